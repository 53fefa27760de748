"""Trying it out and setting up: demo, init."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from inbox_worker import config as config_mod
from inbox_worker.commands.common import State, count_waiting, fail, pass_state, print_leads


@click.command()
@click.option(
    "--dir",
    "folder",
    default="inbox-worker-demo",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder for the demo mailbox, outbox and database (recreated each run).",
)
def demo(folder: Path) -> None:
    """Run the whole pipeline on a demo mailbox; no servers needed.

    Creates a Maildir with a dozen workshop emails, processes them as `poll`
    would, writes the replies to an outbox folder (one .eml each) and prints
    the leads found.

    \b
    Example:
        inbox-worker demo --dir /tmp/demo
    """
    from inbox_worker.app import build_worker, open_store
    from inbox_worker.desk import demo as demo_mod

    config_path = demo_mod.prepare(folder, datetime.now(UTC))
    config = config_mod.load(config_path)
    with open_store(config) as store:
        report = build_worker(config, store).run_once()
        count_waiting(store, report)
        rows = store.leads()
    click.echo(report.summary())
    click.echo()
    print_leads(rows)
    outbox = config.transport.path
    assert outbox is not None
    click.echo()
    click.echo(f"Replies written to {outbox}/ ({len(list(outbox.glob('*.eml')))} files).")
    click.echo(f"Explore: inbox-worker --config {config_path} leads show EMAIL")


@click.command()
@click.option("--force", is_flag=True, help="Overwrite an existing config file.")
@pass_state
def init(state: State, force: bool) -> None:
    """Write config.toml from the example and create the database.

    \b
    Example:
        inbox-worker init && $EDITOR config.toml && inbox-worker doctor
    """
    from inbox_worker.desk.demo import example_config_text

    path = state.config_path
    if path.exists() and not force:
        fail(f"{path} already exists (use --force to overwrite)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(example_config_text(), encoding="utf-8")
    with state.store() as store:
        click.echo(f"Wrote {path}; database {store.path}")
    click.echo("Next: edit the config, then run 'inbox-worker doctor'.")
