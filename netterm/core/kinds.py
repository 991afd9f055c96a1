"""Touch kinds, directions, values and contact-method kinds, with their defaults."""

from __future__ import annotations

from dataclasses import dataclass

OUT, IN, MUTUAL = "out", "in", "mutual"
DIRECTIONS = (OUT, IN, MUTUAL)

GAVE, RECEIVED, NONE = "gave", "received", "none"
VALUES = (GAVE, RECEIVED, NONE)


@dataclass(frozen=True, slots=True)
class TouchKind:
    name: str
    key: str  # the one key that picks it in the quick-log
    label: str
    direction: str
    in_person: bool = False
    value: str = NONE
    light: bool = False  # likes, comments, DMs: a touch, but a light one
    short: str = ""  # the label in a narrow column (a timeline), when `label` is long

    @property
    def brief(self) -> str:
        return self.short or self.label


TOUCH_KINDS: dict[str, TouchKind] = {
    k.name: k
    for k in (
        TouchKind("coffee", "c", "coffee chat", MUTUAL, in_person=True),
        TouchKind("lunch", "l", "lunch", MUTUAL, in_person=True),
        TouchKind("call", "p", "call", MUTUAL),
        TouchKind("email", "e", "email", OUT),
        TouchKind("message", "m", "message", OUT),
        TouchKind("social", "s", "social (like, comment, DM)", OUT, light=True, short="social"),
        TouchKind("congrats", "g", "congratulation", OUT),
        TouchKind("article", "a", "shared an article", OUT, value=GAVE, short="article"),
        TouchKind("intro", "i", "introduction", OUT, value=GAVE),
        TouchKind("favour", "f", "favour", OUT, value=GAVE),
        TouchKind("update", "u", "update on my news", OUT, short="update"),
        TouchKind("meeting", "t", "meeting", MUTUAL, in_person=True),
    )
}

DEFAULT_KIND = "coffee"

#: Common spellings people type, mapped to the kind they mean.
KIND_ALIASES = {
    "favor": "favour",
    "congratulations": "congrats",
    "congratulate": "congrats",
    "congratulation": "congrats",
    "dm": "message",
    "text": "message",
    "sms": "message",
    "phone": "call",
    "mail": "email",
    "e-mail": "email",
    "introduction": "intro",
    "like": "social",
    "comment": "social",
    "news": "update",
    "meal": "lunch",
    "dinner": "lunch",
}

#: Kinds that usually wait for an answer when sent (the UI pre-ticks "awaiting reply"
#: only when the user asks; this is used for suggestions).
ATTEMPT_KINDS = frozenset({"email", "message", "call"})


def resolve_kind(text: str) -> TouchKind:
    """The kind named by `text` (case-insensitive, a few aliases, unique prefixes)."""
    from netterm.errors import InvalidInput

    name = text.strip().lower()
    name = KIND_ALIASES.get(name, name)
    if name in TOUCH_KINDS:
        return TOUCH_KINDS[name]
    prefixed = [k for k in TOUCH_KINDS if name and k.startswith(name)]
    if len(prefixed) == 1:
        return TOUCH_KINDS[prefixed[0]]
    hint = ""
    if name:
        import difflib

        close = difflib.get_close_matches(name, list(TOUCH_KINDS), n=1)
        if close:
            hint = f" (did you mean {close[0]}?)"
    raise InvalidInput("kind", f"unknown kind '{text}'{hint}; kinds: {', '.join(TOUCH_KINDS)}")


def kind_for_key(key: str) -> TouchKind | None:
    for kind in TOUCH_KINDS.values():
        if kind.key == key:
            return kind
    return None


METHOD_KINDS = ("email", "phone", "linkedin", "x", "mastodon", "github", "website", "other")
METHOD_ALIASES = {
    "twitter": "x",
    "x/twitter": "x",
    "url": "website",
    "web": "website",
    "tel": "phone",
}
SOCIAL_METHODS = frozenset({"linkedin", "x", "mastodon", "github"})

TIER_NAMES = {1: "priority", 2: "regular", 3: "light", None: "untracked"}


def resolve_tier(value: object) -> int | None:
    """A tier from what a user types: 1/2/3, priority/regular/light, 0/none/untracked."""
    from netterm.errors import InvalidInput

    if value is None:
        return None
    text = str(value).strip().lower()
    if text in {"1", "priority", "p", "t1", "tier1"}:
        return 1
    if text in {"2", "regular", "r", "t2", "tier2"}:
        return 2
    if text in {"3", "light", "l", "t3", "tier3"}:
        return 3
    if text in {"0", "none", "untracked", "-", "u"}:
        return None
    raise InvalidInput(
        "tier", f"unknown tier '{value}'; use 1 (priority), 2 (regular), 3 (light) or untracked"
    )


#: Where a captured touch came from (Interaction.source), as the timeline names it;
#: touches typed by hand or brought by a netterm/vCard import carry no mark.
CAPTURED_SOURCES = {"mail": "mail", "calendar": "calendar", "linkedin": "LinkedIn"}
