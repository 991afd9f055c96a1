"""Checks and normal forms for contact methods and other typed values."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit

from netterm.core.kinds import METHOD_ALIASES, METHOD_KINDS
from netterm.core.names import clean
from netterm.errors import InvalidInput

_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]{2,}$")
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()./\-]+(?:\s*(?:x|ext\.?)\s*\d+)?$")
_LINKEDIN_PATH = re.compile(r"^/(in|pub|company)/([^/?#]+)", re.IGNORECASE)
_HANDLE = re.compile(r"^@?[A-Za-z0-9_.-]+$")
_MASTODON = re.compile(r"^@?([A-Za-z0-9_.]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})$")


def method_kind(text: str) -> str:
    kind = text.strip().lower()
    kind = METHOD_ALIASES.get(kind, kind)
    if kind not in METHOD_KINDS:
        raise InvalidInput(
            "method", f"unknown contact method '{text}'; use one of {', '.join(METHOD_KINDS)}"
        )
    return kind


def normalize_email(value: str) -> str:
    v = value.strip()
    if v.lower().startswith("mailto:"):
        v = v[7:]
    if not _EMAIL.match(v):
        raise InvalidInput("email", f"'{value}' is not a valid email address")
    local, domain = v.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def normalize_phone(value: str) -> str:
    v = value.strip()
    if v.lower().startswith("tel:"):
        v = v[4:]
    digits = re.sub(r"\D", "", v.split("x")[0])
    if not _PHONE_CHARS.match(v) or not 3 <= len(digits) <= 17:
        raise InvalidInput("phone", f"'{value}' is not a valid phone number")
    return " ".join(v.split())


def _split(url: str) -> SplitResult | None:
    """urlsplit, or None for text it rejects ('[' reads as a broken IPv6 address)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def normalize_url(value: str, field: str = "website") -> str:
    v = value.strip()
    if not v or " " in v:
        raise InvalidInput(field, f"'{value}' is not a valid web address")
    if "://" not in v:
        v = "https://" + v
    parts = _split(v)
    if parts is None or parts.scheme not in ("http", "https") or "." not in parts.netloc:
        raise InvalidInput(field, f"'{value}' is not a valid web address")
    return v


def normalize_linkedin(value: str) -> str:
    """A profile URL in one canonical form: https://www.linkedin.com/in/slug.

    Accepts full URLs (any subdomain, with or without scheme, query or trailing slash)
    and a bare profile slug.
    """
    v = value.strip()
    if _HANDLE.match(v) and "." not in v:
        return f"https://www.linkedin.com/in/{v.lstrip('@').lower()}"
    url = v if "://" in v else "https://" + v
    parts = _split(url)
    host = parts.netloc.lower() if parts else ""
    m = _LINKEDIN_PATH.match(parts.path) if parts else None
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")) or not m:
        raise InvalidInput("linkedin", f"'{value}' is not a LinkedIn profile address")
    return f"https://www.linkedin.com/{m.group(1).lower()}/{m.group(2).lower()}"


def normalize_handle(value: str, field: str) -> str:
    v = value.strip()
    if "://" in v or v.startswith("www."):
        return normalize_url(v, field)
    if not _HANDLE.match(v):
        raise InvalidInput(field, f"'{value}' is not a valid {field} handle or address")
    return "@" + v.lstrip("@")


def normalize_mastodon(value: str) -> str:
    v = value.strip()
    if "://" in v:
        return normalize_url(v, "mastodon")
    m = _MASTODON.match(v)
    if not m:
        raise InvalidInput("mastodon", f"'{value}' is not a Mastodon address (@user@server)")
    return f"@{m.group(1)}@{m.group(2).lower()}"


def normalize_method(kind: str, value: str) -> tuple[str, str]:
    """(kind, value) in canonical form, or InvalidInput naming the kind.

    Control characters (terminal escapes) are dropped first, as from any typed text.
    """
    kind = method_kind(kind)
    value = clean(value)
    if not value or not value.strip():
        raise InvalidInput(kind, "empty value")
    if kind == "email":
        return kind, normalize_email(value)
    if kind == "phone":
        return kind, normalize_phone(value)
    if kind == "linkedin":
        return kind, normalize_linkedin(value)
    if kind == "website":
        return kind, normalize_url(value)
    if kind == "mastodon":
        return kind, normalize_mastodon(value)
    if kind in ("x", "github"):
        return kind, normalize_handle(value, kind)
    return kind, " ".join(value.split())


def positive_days(value: object, field: str = "cadence") -> int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        n = int(str(value).strip().rstrip("d"))
    except ValueError:
        raise InvalidInput(field, f"'{value}' is not a number of days") from None
    if not 1 <= n <= 3650:
        raise InvalidInput(field, f"{n} is out of range (1 to 3650 days)")
    return n


#: The most characters netterm keeps in each text field: far above any real value, low
#: enough that one pasted or imported megabyte cannot swamp every list and export.
MAX_LENGTH = {
    "name": 400,
    "first_name": 200,
    "last_name": 200,
    "previous_names": 2_000,
    "job_title": 300,
    "company": 300,
    "location": 300,
    "how_met": 5_000,
    "looking_for": 5_000,
    "notes": 100_000,
    "note": 20_000,
    "follow-up": 2_000,
    "category": 60,
    "method": 500,
}


def too_long(field: str, text: str) -> str | None:
    """Why `text` is too long for `field` (None if it fits): "… 1,048,576 characters …"."""
    limit = MAX_LENGTH.get(field)
    if limit is None or len(text) <= limit:
        return None
    label = field.replace("_", " ")
    return f"{label} is {len(text):,} characters long; netterm keeps at most {limit:,}"


def check_length(field: str, text: str) -> str:
    """`text`, or InvalidInput naming the field if it is longer than MAX_LENGTH allows."""
    why = too_long(field, text)
    if why is not None:
        raise InvalidInput(field.replace("_", " "), why.split("; ", 1)[1] + f" (got {len(text):,})")
    return text
