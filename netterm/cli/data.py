"""`netterm backup` and `netterm restore`: your data, copied out and brought back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from netterm.cli import Session, pass_session


def _tell_waiting(message: str) -> None:
    click.echo(f"netterm: {message}…", err=True)


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it is an existing file.")
@pass_session
def backup(session: Session, path: Path | None, force: bool) -> None:
    """Copy the database to PATH, safely while netterm is in use.

    PATH may be a file or a folder. Without it, the copy goes to a timestamped file in
    the backups/ folder next to the database. The copy is consistent even while the app
    or another netterm command is writing, readable by you only (0600), and checked with
    SQLite's integrity check. Bring it back with `netterm restore PATH`.
    """
    from netterm.store.backup import backup as make_backup

    db_path = session.path
    result = make_backup(db_path, path, force=force)
    click.echo(
        f"Backed up {db_path} ({result.info.summary()}) to {result.path} in {result.seconds:.1f}s."
    )


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_session
def restore(session: Session, path: Path | None, yes: bool) -> None:
    """Replace the database with the backup PATH, after checking it.

    PATH must pass SQLite's integrity check, be a netterm database, and not come from a
    newer netterm; otherwise nothing changes. The database it replaces is kept next to
    it as NAME-replaced-DATE.db. An open app sees the restored network at once. Without
    PATH, lists the backups netterm knows about.
    """
    from netterm.store import backup as ops
    from netterm.store.migrations import SCHEMA_VERSION

    db_path = session.path
    if path is None:
        _list(db_path, ops.list_backups(db_path))
        return

    def confirm(candidate, current) -> bool:
        if yes:
            return True
        now = f"{current.summary()}" if current else "unreadable or empty"
        return click.confirm(
            f"Replace {db_path} ({now}) with {candidate.path} ({candidate.summary()})? "
            "The current database is kept as a copy next to it.",
            default=False,
            abort=True,
        )

    result = ops.restore(db_path, path, confirm)
    if result is None:  # pragma: no cover - confirm aborts instead
        return
    click.echo(f"Restored {path} into {db_path}: {result.info.summary()}.")
    if result.kept is not None:
        click.echo(f"The database it replaced is kept at {result.kept}.")
    if result.info.schema < SCHEMA_VERSION:
        session.open()  # upgrades it, after writing a copy next to it
        click.echo(
            f"Upgraded it from schema {result.info.schema} to {SCHEMA_VERSION} "
            "(a copy from before the upgrade is next to it)."
        )


def _list(db_path: Path, found: list[Path]) -> None:
    from netterm.store.backup import human_size

    if not found:
        click.echo(
            f"No backup of {db_path} yet. Make one with `netterm backup` "
            f"(it goes to {db_path.parent / 'backups'})."
        )
        return
    click.echo(f"Backups of {db_path}, newest first:")
    for p in found:
        st = p.stat()
        when = datetime.fromtimestamp(st.st_mtime).strftime("%Y-%m-%d %H:%M")
        click.echo(f"  {when}  {human_size(st.st_size):>9}  {p}")
    click.echo("Restore one with: netterm restore PATH")


@click.group(name="db")
def db_group() -> None:
    """Whole networks: move one between SQLite and PostgreSQL."""


@db_group.command(name="copy")
@click.argument("src")
@click.argument("dst")
def db_copy(src: str, dst: str) -> None:
    """Copy the whole network SRC into DST, ids included (#155 stays #155).

    SRC and DST are each a file (SQLite) or a postgresql:// URL. DST must be new or
    empty. Both are brought to this netterm's schema first; the copy is one transaction,
    checked by each table's row count and a content digest before it is committed.

    \b
      netterm db copy ~/.local/share/netterm/netterm.db postgresql://me@db.example/netterm
      netterm db copy postgresql://me@db.example/netterm ~/netterm-copy.db
    """
    from netterm.config import resolve_db_path
    from netterm.errors import StoreError
    from netterm.store import close_database, open_database, transfer

    source, dest = resolve_db_path(src), resolve_db_path(dst)
    if source == dest:
        raise StoreError(f"{source} is both SRC and DST; copy into another database")
    src_db = open_database(source, create=False)
    dst_db = open_database(dest)  # created if new; SRC stays open (its own connection)
    try:
        result = transfer.copy_network(src_db, dst_db, shown_dst=dest)
    finally:
        src_db.close()
        close_database()
    click.echo(
        f"Copied {result.rows('contact'):,} contacts, {result.rows('interaction'):,} touches "
        f"and every other row from {source} to {dest}: counts and content digest match "
        f"({result.digest[:16]})."
    )


COMMANDS = (backup, restore, db_group)
