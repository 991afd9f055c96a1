"""Where the network lives: an SQLite file (a path) or a PostgreSQL database (a URL).

`--db` and `NETTERM_DB` take either. A value starting with `postgresql://` or
`postgres://` is a libpq connection URL (any libpq parameter may follow, e.g.
`?sslmode=require`); anything else is a file path. Passwords are left to libpq
(`~/.pgpass`, `PGPASSWORD`); one written in the URL is used but never shown: `str()`
and every message give the URL with the password masked, only `conninfo` holds it.

This module imports nothing heavy: it is on every command's start-up path.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

SCHEMES = ("postgresql://", "postgres://")
MASK = "****"
_QUERY_PASSWORD = re.compile(r"(?i)([?&]password=)[^&#]*")


def is_postgres_url(value: object) -> bool:
    return isinstance(value, str | PostgresURL) and str.lower(
        value.conninfo if isinstance(value, PostgresURL) else value
    ).startswith(SCHEMES)


def mask(url: str) -> str:
    """`url` with any password (in the user part or a `password=` parameter) masked."""
    head, sep, rest = url.partition("://")
    if not sep:
        return url
    netloc, slash, tail = rest.partition("/")
    if "@" in netloc:
        userinfo, _, hostpart = netloc.rpartition("@")
        if ":" in userinfo:
            user = userinfo.split(":", 1)[0]
            netloc = f"{user}:{MASK}@{hostpart}"
    masked = f"{head}{sep}{netloc}{slash}{tail}"
    return _QUERY_PASSWORD.sub(lambda m: m.group(1) + MASK, masked)


class PostgresURL:
    """A PostgreSQL connection URL. Printing it never shows the password."""

    __slots__ = ("conninfo",)

    def __init__(self, url: str) -> None:
        if not is_postgres_url(url):
            raise ValueError(f"not a PostgreSQL URL: {mask(url)}")
        self.conninfo = url

    @property
    def masked(self) -> str:
        return mask(self.conninfo)

    @property
    def dbname(self) -> str:
        """The database's name as the URL gives it (libpq's default: the user's name)."""
        parts = urlsplit(self.conninfo)
        name = unquote(parts.path.lstrip("/"))
        params = dict(parse_qsl(parts.query))
        return name or params.get("dbname") or unquote(parts.username or "") or "postgres"

    @property
    def stem(self) -> str:
        """A file-name-safe label for backups of this database."""
        return re.sub(r"[^A-Za-z0-9_.-]+", "-", self.dbname).strip("-.") or "netterm"

    def with_dbname(self, name: str) -> PostgresURL:
        parts = urlsplit(self.conninfo)
        return PostgresURL(parts._replace(path="/" + name).geturl())

    def __str__(self) -> str:
        return self.masked

    def __format__(self, spec: str) -> str:
        return format(self.masked, spec)

    def __repr__(self) -> str:
        return f"PostgresURL({self.masked!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PostgresURL) and other.conninfo == self.conninfo

    def __hash__(self) -> int:
        return hash(self.conninfo)

    def __fspath__(self):  # a URL is not a file: fail loudly where a path is expected
        raise TypeError(f"{self.masked} is a PostgreSQL database, not a file")
