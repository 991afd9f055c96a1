"""`netterm demo`: write the sample network."""

from __future__ import annotations

import time

import click

from netterm.cli import pass_session


@click.command()
@click.option(
    "--size",
    type=click.IntRange(min=1, max=100_000),
    default=None,
    help="How many contacts (default 250).",
)
@click.option(
    "--touches",
    type=click.IntRange(min=0, max=10_000_000),
    default=None,
    help="How many touches in all (default: about 10 per contact).",
)
@click.option(
    "--seed", type=int, default=None, help="The same seed (and day) gives the same network."
)
@pass_session
def demo(session, size, touches, seed):
    """Write a realistic sample network to a new database (--db, or the demo database)."""
    from netterm.services.demo import DEFAULT_SEED, DEFAULT_SIZE, generate
    from netterm.store import open_database

    path = session.path
    if not session.explicit_db:
        from netterm import config

        path = config.demo_db_path()
    started = time.perf_counter()
    open_database(path)
    result = generate(
        size=size or DEFAULT_SIZE, seed=DEFAULT_SEED if seed is None else seed, touches=touches
    )
    took = time.perf_counter() - started
    click.echo(
        f"Wrote {result.contacts} contacts and {result.touches} touches to {path} in {took:.1f}s."
    )
    click.echo(f"Open it with: netterm --db '{path}'")


COMMANDS = (demo,)
