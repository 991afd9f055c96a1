"""Exact snapshots of a contact, so a decision can be undone to the byte.

The audit's "back" and the undo of a merge store these (as JSON) before changing
anything, and put them back afterwards. Values are the raw column values (ISO text,
numbers, NULL), so a restore writes back exactly what was read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from netterm.store.models import Contact, database

#: Every column of the contact table but its id.
CONTACT_COLUMNS = tuple(f.column_name for f in Contact._meta.sorted_fields if f.name != "id")
_METHOD_COLUMNS = ("id", "kind", "value", "label", '"primary"')


def contact_values(contact_id: int, columns: Iterable[str] = CONTACT_COLUMNS) -> dict:
    """The raw values of these columns of a contact (all of them by default)."""
    cols = tuple(columns)
    row = database.execute_sql(
        f"SELECT {', '.join(cols)} FROM contact WHERE id = ?", (contact_id,)
    ).fetchone()
    if row is None:
        from netterm.errors import NotFound

        raise NotFound(f"no contact #{contact_id}")
    return dict(zip(cols, row, strict=True))


def restore_contact(contact_id: int, values: dict) -> None:
    """Write back values taken by `contact_values` (inside the caller's transaction).

    The version is never put back: it moves on, so a form opened before the undo (on
    another device) sees that the contact changed instead of saving over it."""
    values = {k: v for k, v in values.items() if k != "version"}
    if not values:
        return
    unknown = set(values) - set(CONTACT_COLUMNS)
    if unknown:
        raise ValueError(f"not contact columns: {sorted(unknown)}")
    sets = ", ".join(f"{c} = ?" for c in values)
    database.execute_sql(
        f"UPDATE contact SET {sets}, version = version + 1 WHERE id = ?",
        (*values.values(), contact_id),
    )


def methods_of(contact_id: int) -> list[list]:
    """The contact's methods as [id, kind, value, label, primary] rows, in order."""
    return [
        list(r)
        for r in database.execute_sql(
            f"SELECT {', '.join(_METHOD_COLUMNS)} FROM contact_method WHERE contact_id = ? "
            "ORDER BY id",
            (contact_id,),
        )
    ]


def _insert_keeping_ids(table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Insert rows with their former ids (first column); a taken id gets a new one."""
    cols = ", ".join(columns)
    marks = ", ".join("?" * len(columns))
    for row in rows:
        cur = database.execute_sql(f"INSERT OR IGNORE INTO {table} ({cols}) VALUES ({marks})", row)
        if cur.rowcount == 0:
            database.execute_sql(
                f"INSERT INTO {table} ({', '.join(columns[1:])}) VALUES ({marks[3:]})", row[1:]
            )


def restore_methods(contact_id: int, rows: Sequence[Sequence]) -> None:
    """Put back the methods taken by `methods_of`, with their ids."""
    database.execute_sql("DELETE FROM contact_method WHERE contact_id = ?", (contact_id,))
    _insert_keeping_ids(
        "contact_method",
        ("id", "contact_id", *_METHOD_COLUMNS[1:]),
        [(r[0], contact_id, *r[1:]) for r in rows],
    )


def category_links(contact_id: int) -> list[list[int]]:
    """The contact's category links as [link id, category id] rows."""
    return [
        list(r)
        for r in database.execute_sql(
            "SELECT id, category_id FROM contact_category WHERE contact_id = ? ORDER BY id",
            (contact_id,),
        )
    ]


def all_category_ids() -> set[int]:
    return {r[0] for r in database.execute_sql("SELECT id FROM category")}


def restore_categories(
    contact_id: int, links: Sequence[Sequence[int]], created: Sequence[int] = ()
) -> None:
    """Put back the links taken by `category_links`; drop the categories the undone
    change created, if nothing else uses them by now (a deleted category is skipped)."""
    database.execute_sql("DELETE FROM contact_category WHERE contact_id = ?", (contact_id,))
    alive = all_category_ids()
    _insert_keeping_ids(
        "contact_category",
        ("id", "contact_id", "category_id"),
        [(link, contact_id, cat) for link, cat in links if cat in alive],
    )
    for cat in created:
        database.execute_sql(
            "DELETE FROM category WHERE id = ? AND NOT EXISTS "
            "(SELECT 1 FROM contact_category WHERE category_id = ?)",
            (cat, cat),
        )


# --------------------------------------------------------------------------- a contact's edit


def _ids(table: str, contact_id: int) -> list[int]:
    return [
        r[0]
        for r in database.execute_sql(
            f"SELECT id FROM {table} WHERE contact_id = ? ORDER BY id", (contact_id,)
        )
    ]


def contact_snapshot(contact_id: int) -> dict:
    """Everything an edit of the contact can change (`restore_snapshot` puts it back)."""
    return {
        "values": contact_values(contact_id),
        "methods": methods_of(contact_id),
        "categories": category_links(contact_id),
        "category_ids": sorted(all_category_ids()),
        "jobs": _ids("job", contact_id),
        "touches": _ids("interaction", contact_id),
    }


def created_since(contact_id: int, snapshot: dict) -> dict:
    """The snapshot, with the career rows and touches the edit since then created."""
    return {
        **snapshot,
        "created_jobs": sorted(set(_ids("job", contact_id)) - set(snapshot["jobs"])),
        "created_touches": sorted(set(_ids("interaction", contact_id)) - set(snapshot["touches"])),
    }


def restore_snapshot(contact_id: int, snapshot: dict) -> None:
    """Undo an edit: the contact's fields, methods and categories as they were; the
    career rows and touches it created go (`created_since`). The version moves on, so a
    form opened before the undo still sees that the contact changed."""
    from netterm.services import stats

    with database.atomic():
        restore_contact(contact_id, snapshot["values"])
        restore_methods(contact_id, snapshot["methods"])
        created = sorted(all_category_ids() - set(snapshot["category_ids"]))
        restore_categories(contact_id, snapshot["categories"], created)
        for table, key in (("job", "created_jobs"), ("interaction", "created_touches")):
            for row_id in snapshot.get(key, ()):
                database.execute_sql(
                    f"DELETE FROM {table} WHERE id = ? AND contact_id = ?", (row_id, contact_id)
                )
        stats.refresh([contact_id])
