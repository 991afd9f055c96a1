"""The full-text index of who people are, for "who can help whom" (services/intros.py).

One table on both engines, `contact_doc`: per contact, the text a "looking for" is
matched against — job title, company, categories (one a line), notes and career (one
"title<US>company" a line, newest first). Triggers keep it current on every write of
a contact, its category links, a category's name or its career rows, whoever writes
(the app, the CLI, an import, an undo, another process): no write path has to remember.

- SQLite: `contact_fts`, an FTS5 table over `contact_doc` as its external content
  (porter stemming, accents folded), kept in sync by the documented pair of triggers on
  the content table; ranked with `bm25()` and per-column weights.
- PostgreSQL: a stored generated `tsv` column of `contact_doc` (`english` config,
  weighted A title, B career and categories, C company, D notes) with a GIN index;
  ranked with `ts_rank`.

`install(db)` creates all of it and fills it from the current rows; it is idempotent
(drops what is there first) and runs for a new database, in the schema 7 migration, and
when a file at the current version lacks the index (a copy made by `store.transfer`).
"""

from __future__ import annotations

from netterm.store.orm import pw

#: The indexed columns, in FTS5 column order (bm25 weights follow it).
COLUMNS = ("title", "company", "categories", "notes", "career")
#: bm25 weights per column: a title says most about what someone can help with.
BM25_WEIGHTS = (10.0, 3.0, 5.0, 1.5, 4.0)
#: ts_rank weights, in PostgreSQL's order {D, C, B, A}: notes, company, career and
#: categories, title.
TS_WEIGHTS = "{0.15, 0.3, 0.5, 1.0}"
#: The table that tells the index is there (checked by `store.db` at start-up).
MARKER = "contact_doc"

_CATEGORIES = (
    "COALESCE((SELECT {agg} FROM contact_category l JOIN category g ON g.id = l.category_id "
    "WHERE l.contact_id = c.id), '')"
)
_CAREER = (
    "COALESCE((SELECT {agg} FROM (SELECT j.title, j.company, j.started_on, j.id FROM job j "
    "WHERE j.contact_id = c.id ORDER BY j.started_on DESC, j.id DESC) jj), '')"
)


def _doc_select(postgres: bool) -> str:
    """SELECT of the doc rows of the contacts `c` the caller's WHERE picks."""
    if postgres:
        cats = _CATEGORIES.format(agg="string_agg(g.name, chr(10) ORDER BY g.name)")
        career = _CAREER.format(agg="string_agg(jj.title || chr(31) || jj.company, chr(10))")
    else:
        cats = _CATEGORIES.format(agg="group_concat(g.name, char(10))")
        career = _CAREER.format(agg="group_concat(jj.title || char(31) || jj.company, char(10))")
    return (
        "INSERT INTO contact_doc (contact_id, title, company, categories, notes, career) "
        f"SELECT c.id, c.job_title, c.company, {cats}, c.notes, {career} FROM contact c "
    )


# --------------------------------------------------------------------------- SQLite


def _sqlite_refresh(id_expr: str) -> str:
    return (
        f"DELETE FROM contact_doc WHERE contact_id = {id_expr}; "
        f"{_doc_select(False)} WHERE c.id = {id_expr};"
    )


def _sqlite_statements() -> list[str]:
    cols = ", ".join(COLUMNS)
    new = ", ".join(f"new.{c}" for c in COLUMNS)
    old = ", ".join(f"old.{c}" for c in COLUMNS)
    watched = " OR ".join(f"old.{c} IS NOT new.{c}" for c in ("job_title", "company", "notes"))
    return [
        "CREATE TABLE contact_doc (contact_id INTEGER PRIMARY KEY, title TEXT NOT NULL "
        "DEFAULT '', company TEXT NOT NULL DEFAULT '', categories TEXT NOT NULL DEFAULT '', "
        "notes TEXT NOT NULL DEFAULT '', career TEXT NOT NULL DEFAULT '')",
        f"CREATE VIRTUAL TABLE contact_fts USING fts5({cols}, content='contact_doc', "
        "content_rowid='contact_id', tokenize='porter unicode61 remove_diacritics 2')",
        # the content table → the index (old values from the row itself: always exact)
        "CREATE TRIGGER contact_doc_ai AFTER INSERT ON contact_doc BEGIN "
        f"INSERT INTO contact_fts (rowid, {cols}) VALUES (new.contact_id, {new}); END",
        "CREATE TRIGGER contact_doc_ad AFTER DELETE ON contact_doc BEGIN "
        f"INSERT INTO contact_fts (contact_fts, rowid, {cols}) "
        f"VALUES ('delete', old.contact_id, {old}); END",
        "CREATE TRIGGER contact_doc_au AFTER UPDATE ON contact_doc BEGIN "
        f"INSERT INTO contact_fts (contact_fts, rowid, {cols}) "
        f"VALUES ('delete', old.contact_id, {old}); "
        f"INSERT INTO contact_fts (rowid, {cols}) VALUES (new.contact_id, {new}); END",
        # the sources → the content table
        f"CREATE TRIGGER contact_doc_contact_ai AFTER INSERT ON contact BEGIN "
        f"{_sqlite_refresh('new.id')} END",
        f"CREATE TRIGGER contact_doc_contact_au AFTER UPDATE ON contact WHEN {watched} BEGIN "
        f"{_sqlite_refresh('new.id')} END",
        "CREATE TRIGGER contact_doc_contact_ad AFTER DELETE ON contact BEGIN "
        "DELETE FROM contact_doc WHERE contact_id = old.id; END",
        *(
            f"CREATE TRIGGER contact_doc_{table}_{ev[0].lower()} AFTER {ev} ON {table} BEGIN "
            f"{_sqlite_refresh(f'{row}.contact_id')} END"
            for table in ("contact_category", "job")
            for ev, row in (("INSERT", "new"), ("DELETE", "old"), ("UPDATE", "new"))
        ),
        "CREATE TRIGGER contact_doc_job_u_old AFTER UPDATE OF contact_id ON job BEGIN "
        f"{_sqlite_refresh('old.contact_id')} END",
        "CREATE TRIGGER contact_doc_category_u AFTER UPDATE OF name ON category BEGIN "
        "DELETE FROM contact_doc WHERE contact_id IN "
        "(SELECT contact_id FROM contact_category WHERE category_id = new.id); "
        f"{_doc_select(False)} WHERE c.id IN "
        "(SELECT contact_id FROM contact_category WHERE category_id = new.id); END",
    ]


_SQLITE_DROP = (
    "DROP TABLE IF EXISTS contact_fts",
    "DROP TABLE IF EXISTS contact_doc",  # its triggers go with it; the sources' below
)


def _sqlite_drop_triggers(db: pw.Database) -> None:
    rows = db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'contact_doc_%'"
    ).fetchall()
    for (name,) in rows:
        db.execute_sql(f'DROP TRIGGER IF EXISTS "{name}"')


# --------------------------------------------------------------------------- PostgreSQL


def _pg_statements() -> list[str]:
    tsv = (
        "setweight(to_tsvector('english'::regconfig, title), 'A') || "
        "setweight(to_tsvector('english'::regconfig, career), 'B') || "
        "setweight(to_tsvector('english'::regconfig, categories), 'B') || "
        "setweight(to_tsvector('english'::regconfig, company), 'C') || "
        "setweight(to_tsvector('english'::regconfig, notes), 'D')"
    )
    refresh_body = (
        f"DELETE FROM contact_doc WHERE contact_id = cid; {_doc_select(True)} WHERE c.id = cid;"
    )
    return [
        "CREATE TABLE contact_doc (contact_id integer PRIMARY KEY, title text NOT NULL "
        "DEFAULT '', company text NOT NULL DEFAULT '', categories text NOT NULL DEFAULT '', "
        "notes text NOT NULL DEFAULT '', career text NOT NULL DEFAULT '', "
        f"tsv tsvector GENERATED ALWAYS AS ({tsv}) STORED)",
        "CREATE INDEX contact_doc_tsv ON contact_doc USING GIN (tsv)",
        "CREATE OR REPLACE FUNCTION netterm_doc_refresh(cid integer) RETURNS void "
        f"LANGUAGE sql AS $$ {refresh_body} $$",
        "CREATE OR REPLACE FUNCTION netterm_doc_of_row() RETURNS trigger LANGUAGE plpgsql AS $$"
        " BEGIN"
        " IF TG_TABLE_NAME = 'contact' THEN"
        "   IF TG_OP = 'DELETE' THEN DELETE FROM contact_doc WHERE contact_id = OLD.id;"
        "   ELSIF TG_OP = 'INSERT' THEN PERFORM netterm_doc_refresh(NEW.id);"
        "   ELSIF OLD.job_title IS DISTINCT FROM NEW.job_title"
        "     OR OLD.company IS DISTINCT FROM NEW.company OR OLD.notes IS DISTINCT FROM NEW.notes"
        "   THEN PERFORM netterm_doc_refresh(NEW.id); END IF;"
        " ELSIF TG_TABLE_NAME = 'category' THEN"
        "   PERFORM netterm_doc_refresh(l.contact_id) FROM contact_category l"
        "   WHERE l.category_id = NEW.id;"
        " ELSE"
        "   IF TG_OP <> 'INSERT' THEN PERFORM netterm_doc_refresh(OLD.contact_id); END IF;"
        "   IF TG_OP <> 'DELETE' THEN PERFORM netterm_doc_refresh(NEW.contact_id); END IF;"
        " END IF;"
        " RETURN NULL; END $$",
        "CREATE TRIGGER netterm_doc AFTER INSERT OR UPDATE OR DELETE ON contact"
        " FOR EACH ROW EXECUTE FUNCTION netterm_doc_of_row()",
        "CREATE TRIGGER netterm_doc AFTER INSERT OR UPDATE OR DELETE ON contact_category"
        " FOR EACH ROW EXECUTE FUNCTION netterm_doc_of_row()",
        "CREATE TRIGGER netterm_doc AFTER INSERT OR UPDATE OR DELETE ON job"
        " FOR EACH ROW EXECUTE FUNCTION netterm_doc_of_row()",
        "CREATE TRIGGER netterm_doc AFTER UPDATE OF name ON category"
        " FOR EACH ROW EXECUTE FUNCTION netterm_doc_of_row()",
    ]


_PG_DROP = (
    "DROP TRIGGER IF EXISTS netterm_doc ON contact",
    "DROP TRIGGER IF EXISTS netterm_doc ON contact_category",
    "DROP TRIGGER IF EXISTS netterm_doc ON job",
    "DROP TRIGGER IF EXISTS netterm_doc ON category",
    "DROP TABLE IF EXISTS contact_doc",
)


# --------------------------------------------------------------------------- both


def is_postgres(db: pw.Database) -> bool:
    return isinstance(db, pw.PostgresqlDatabase)


def uninstall(db: pw.Database) -> None:
    """Drop the index and its triggers (an upgrade does, before its migrations: SQLite
    rebuilds a table by renaming it, which a trigger naming that table would break;
    the upgrade installs the index again afterwards, filled from the migrated rows)."""
    if is_postgres(db):
        for statement in _PG_DROP:
            db.execute_sql(statement)
        return
    _sqlite_drop_triggers(db)
    for statement in _SQLITE_DROP:
        db.execute_sql(statement)


def install(db: pw.Database) -> None:
    """Create the index, its triggers, and fill it from every contact (inside the
    caller's transaction). Idempotent: what was there is dropped first."""
    uninstall(db)
    if is_postgres(db):
        for statement in _pg_statements():
            db.execute_sql(statement)
        db.execute_sql(f"{_doc_select(True)}")
        return
    for statement in _sqlite_statements():
        db.execute_sql(statement)
    # filling the content table fills the index through its insert trigger
    db.execute_sql(_doc_select(False))


def installed(tables: set[str]) -> bool:
    """The index is there (given the database's table names)."""
    return MARKER in tables and ("contact_fts" in tables or "contact_fts_data" in tables)


def installed_pg(db: pw.Database) -> bool:
    row = db.execute_sql(
        "SELECT 1 FROM pg_trigger WHERE tgname = 'netterm_doc' AND NOT tgisinternal LIMIT 1"
    ).fetchone()
    return row is not None and MARKER in db.get_tables()


def ranked_sql(postgres: bool) -> str:
    """The best matches of a query: (contact id, name parts, indexed text, score).

    Parameters: the query text (an FTS5 expression or a tsquery text), how many of the
    best-ranked rows to look at, the asker's id (never a match of their own), the most
    rows to return. Archived contacts are never matches. The ranking runs on the index
    alone (no join) and only its best rows are joined, so a common word matching
    thousands of people costs one pass over the index, not thousands of row reads.
    """
    fields = (
        "d.contact_id, c.first_name, c.last_name, d.title, d.company, d.categories, "
        "d.notes, d.career"
    )
    if postgres:
        ranked = (
            f"SELECT d.contact_id AS id, ts_rank('{TS_WEIGHTS}', d.tsv, q) AS score "
            "FROM contact_doc d, to_tsquery('english'::regconfig, ?) q "
            "WHERE d.tsv @@ q ORDER BY score DESC, d.contact_id LIMIT ?"
        )
        order = "f.score DESC"
    else:
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        ranked = (
            f"SELECT rowid AS id, bm25(contact_fts, {weights}) AS score FROM contact_fts "
            "WHERE contact_fts MATCH ? ORDER BY score LIMIT ?"
        )
        order = "f.score"
    return (
        f"SELECT {fields}, f.score FROM ({ranked}) f "
        "JOIN contact_doc d ON d.contact_id = f.id JOIN contact c ON c.id = f.id "
        f"WHERE c.archived_at IS NULL AND f.id <> ? ORDER BY {order}, f.id LIMIT ?"
    )
