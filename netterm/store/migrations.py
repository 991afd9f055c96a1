"""Schema versions and the migrations between them.

A new database is created at `SCHEMA_VERSION` straight from the models. An older one
is upgraded by `store.db.upgrade`, which runs the migrations registered for every
version above its own. To change the schema:

1. change the model in `models.py`;
2. bump `SCHEMA_VERSION`;
3. add `MIGRATIONS[new_version] = Migration("what and why", apply)` where `apply(migrator,
   db)` makes an old file look like the new models (`playhouse.migrate` operations, or
   SQL through `db.execute_sql`).

What an upgrade guarantees, so a migration need not:

- a consistent private copy of the file is written next to it first
  (`NAME-before-upgrade-DATE.db`); the user's data is never migrated without one;
- the whole upgrade holds the write lock (one transaction; each migration is a savepoint
  inside it), so no other netterm process writes meanwhile and two processes opening an
  old file upgrade it once;
- foreign keys are off while it runs (rebuilding a table drops it, which would otherwise
  cascade-delete its children) and `PRAGMA foreign_key_check` must be clean at the end;
- if anything fails, the file is restored from the copy and the user is told, in one
  line, which step failed and where the copy is.

A migration must not COMMIT, VACUUM or change `journal_mode` itself. Test one by
registering it, as tests/safety/test_migrations.py does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import peewee as pw
    from playhouse.migrate import SchemaMigrator

SCHEMA_VERSION = 7


def __getattr__(name: str):
    """`SchemaMigrator` and `migrate` (playhouse.migrate, for migrations to use) are
    imported when asked for: every start opens the store, few run a migration."""
    if name in ("SchemaMigrator", "migrate"):
        import playhouse.migrate

        return getattr(playhouse.migrate, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Migration:
    description: str
    apply: Callable[[SchemaMigrator, pw.Database], None]


def _v2_sources_versions_authors(migrator: SchemaMigrator, db: pw.Database) -> None:
    """Touches remember their source item (captured mail, calendar, LinkedIn messages are
    re-imported idempotently) and who logged them; deleted imported touches leave a
    `dismissed_source` row; contacts carry a version for conflicting edits from two
    devices; audit decisions record who decided."""
    from playhouse.migrate import migrate

    from netterm.store.models import DismissedSource
    from netterm.store.orm import pw

    migrate(
        migrator.add_column("contact", "version", pw.IntegerField(default=1)),
        migrator.add_column("interaction", "source", pw.TextField(default="typed")),
        migrator.add_column("interaction", "source_key", pw.TextField(null=True)),
        migrator.add_column("interaction", "logged_by", pw.TextField(default="")),
        migrator.add_column("audit_decision", "decided_by", pw.TextField(default="")),
        migrator.add_index("interaction", ("contact_id", "source", "source_key"), True),
    )
    db.create_tables([DismissedSource])


def _v3_possible_duplicates(migrator: SchemaMigrator, db: pw.Database) -> None:
    """Pairs an import flagged as possible duplicates (same name, but a company or
    profile that disagrees: added as new instead of overwriting the other)."""
    from netterm.store.models import PossibleDuplicate

    db.create_tables([PossibleDuplicate])


#: The index `_v4_touches_by_day` adds (the name peewee gives the model's index).
TOUCHES_BY_DAY = "interaction_occurred_on_kind_in_person_value_contact_id"


def _v4_touches_by_day(migrator: SchemaMigrator, db: pw.Database) -> None:
    """The Insights figures read touches by date range (services/insights.py): an index
    on (occurred_on, kind, in_person, value, contact_id) answers them from the index
    alone, several times faster at 300,000 touches than reading the rows."""
    db.execute_sql(
        f"CREATE INDEX IF NOT EXISTS {TOUCHES_BY_DAY} ON interaction "
        "(occurred_on, kind, in_person, value, contact_id)"
    )


def _v5_insights_partial_indexes(migrator: SchemaMigrator, db: pw.Database) -> None:
    """Two small partial indexes for Insights (store/models.py says what each serves):
    the touches marked given or received, by date, and the contacts with a cadence of
    their own. Both leave out the common rows, so writes barely pay for them."""
    from netterm.store.models import OWN_CADENCE, VALUED_TOUCHES

    db.execute_sql(
        f"CREATE INDEX IF NOT EXISTS {VALUED_TOUCHES} ON interaction "
        "(occurred_on, contact_id, value) WHERE value != 'none'"
    )
    db.execute_sql(
        f"CREATE INDEX IF NOT EXISTS {OWN_CADENCE} ON contact (cadence_days) WHERE cadence_days > 0"
    )


def _v6_audit_scope(migrator: SchemaMigrator, db: pw.Database) -> None:
    """An audit can take a part of the network (the contacts marked, or those a filter
    shows): `audit.scope` says which; "" (every audit before) is the whole network."""
    from playhouse.migrate import migrate

    from netterm.store.orm import pw

    if "scope" in {c.name for c in db.get_columns("audit")}:
        return  # a file made to look older than it is (tests/unit/test_insights.py)
    migrate(migrator.add_column("audit", "scope", pw.TextField(default="")))


def _v7_full_text_index(migrator: SchemaMigrator, db: pw.Database) -> None:
    """Who can help whom (services/intros.py): a full-text index of every contact's
    title, company, categories, notes and career, kept current by triggers — FTS5 on
    SQLite, a weighted tsvector with a GIN index on PostgreSQL (store/search_sql.py).

    (Every upgrade drops the index before its migrations and builds it again after
    them, store/db.py: a later migration may rebuild a table the triggers name.)"""
    from netterm.store import search_sql

    search_sql.install(db)


#: version → the migration that brings a file from version - 1 to it.
MIGRATIONS: dict[int, Migration] = {
    2: Migration("touch sources, contact versions, who logged", _v2_sources_versions_authors),
    3: Migration("possible duplicates flagged by imports", _v3_possible_duplicates),
    4: Migration("an index of touches by day, for Insights", _v4_touches_by_day),
    5: Migration("partial indexes for Insights' balances and budget", _v5_insights_partial_indexes),
    6: Migration("audits of a part of the network", _v6_audit_scope),
    7: Migration("a full-text index of who people are, for introductions", _v7_full_text_index),
}


def pending(from_version: int, to_version: int | None = None) -> list[tuple[int, Migration]]:
    target = SCHEMA_VERSION if to_version is None else to_version
    missing = [v for v in range(from_version + 1, target + 1) if v not in MIGRATIONS]
    if missing:
        raise RuntimeError(f"no migration registered for schema version(s) {missing}")
    return [(v, MIGRATIONS[v]) for v in range(from_version + 1, target + 1)]
