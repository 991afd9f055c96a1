"""The errors netterm shows to a user. Each carries one clear sentence."""

from __future__ import annotations


class NetTermError(Exception):
    """Base of every error meant for the user (the CLI prints it on one line, exit 1)."""


class InvalidInput(NetTermError):
    """A value the user gave is not acceptable. `field` names it (e.g. "email")."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ValidationFailed(InvalidInput):
    """Several fields at once (forms show each message under its field).

    Each message is a whole sentence that names its field ("email: 'x' is not …").
    """

    def __init__(self, errors: dict[str, str]) -> None:
        field, message = next(iter(errors.items()))
        Exception.__init__(self, "; ".join(errors.values()))
        self.field = field
        self.message = message
        self.errors = dict(errors)


class NotFound(NetTermError):
    pass


class Ambiguous(NetTermError):
    """A name matched several contacts; nothing was changed."""

    def __init__(self, query: str, candidates: list[str]) -> None:
        shown = "; ".join(candidates[:8])
        more = f" (+{len(candidates) - 8} more)" if len(candidates) > 8 else ""
        super().__init__(
            f"'{query}' matches {len(candidates)} contacts: {shown}{more}. "
            "Be more specific or use #ID."
        )
        self.query = query
        self.candidates = candidates


class Conflict(NetTermError):
    """An edit made over an older version of a contact: someone (another device, another
    process) saved it after the form was opened. Nothing was written.

    `theirs` holds, for each field this edit changes, the value saved meanwhile.
    """

    def __init__(self, contact_id: int, name: str, theirs: dict[str, object]) -> None:
        fields = ", ".join(f.replace("_", " ") for f in theirs) or "its details"
        super().__init__(
            f"#{contact_id} {name} was changed elsewhere since you opened it ({fields}); "
            "nothing was saved. Save again to keep your version, or discard yours to take theirs"
        )
        self.contact_id = contact_id
        self.theirs = dict(theirs)


class StoreError(NetTermError):
    """The database file cannot be used (corrupt, newer schema, not writable, …)."""
