"""The `messages` group: stored mail listed, shown, retried and reprocessed."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import click

from inbox_worker.commands.common import (
    CATEGORIES,
    DATE,
    State,
    count_waiting,
    pass_state,
    print_json_lines,
    print_table,
    progress_bar,
)


@click.group()
def messages() -> None:
    """Stored mail: list, inspect, retry the quarantined, reprocess with new rules."""


@messages.command("list")
@click.option(
    "--state", "msg_state", type=click.Choice(["new", "processed", "quarantined"]),
    help="Only messages in this state.",
)  # fmt: skip
@click.option("--category", help="Only messages of this category.")
@click.option("--limit", type=int, default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_state
def messages_list(
    state: State, msg_state: str | None, category: str | None, limit: int, as_json: bool
) -> None:
    """List stored messages, newest first.

    \b
    Example:
        inbox-worker messages list --state quarantined
    """
    with state.store() as store:
        rows = store.messages(state=msg_state, category=category, limit=limit)
    if as_json:
        print_json_lines(rows)
        return
    for row in rows:
        row["received"] = state.time(row["received"])
    print_table(
        rows,
        [("id", 5), ("received", 16), ("state", 11), ("category", 12), ("from_addr", 26),
         ("subject", 19)],
    )  # fmt: skip


@messages.command("show")
@click.argument("message_id", type=int)
@click.option("--raw", is_flag=True, help="Print the original bytes.")
@pass_state
def messages_show(state: State, message_id: int, raw: bool) -> None:
    """Show a stored message with its classification.

    Control characters in the mail (terminal escape sequences) are shown
    escaped, as \\x1b; --raw gives the original bytes.

    \b
    Example:
        inbox-worker messages show 42
    """
    with state.store() as store:
        if raw:
            sys.stdout.buffer.write(store.raw_message(message_id))
            return
        row = store.message(message_id)
    for key in ("date", "received"):
        row[key] = state.time(row.get(key))
    from inbox_worker.desk.followup import printable

    # A stranger wrote these: escape sequences in them are shown, never obeyed.
    for key in ("id", "state", "error", "from_addr", "from_name", "subject", "date", "received",
                "category", "language", "reasons", "facts", "lead_id"):  # fmt: skip
        if row.get(key) not in (None, ""):
            click.echo(f"{key + ':':<11}{printable(str(row[key]))}")
    click.echo()
    click.echo(printable(row.get("text") or ""))


@messages.command("retry")
@click.argument("message_ids", type=int, nargs=-1)
@pass_state
def messages_retry(state: State, message_ids: Sequence[int]) -> None:
    """Process quarantined messages again (all, or the IDs given).

    \b
    Example:
        inbox-worker messages retry 42
    """
    from inbox_worker.app import build_worker

    with state.store() as store:
        count = store.requeue(list(message_ids) or None, state="quarantined")
        worker = build_worker(state.config, store)
        report = worker.process_and_deliver()
        count_waiting(store, report)
    click.echo(f"Retried {count} message{'s' if count != 1 else ''}: {report.summary()}")
    if not report.ok:
        sys.exit(1)


@messages.command("reprocess")
@click.argument("message_ids", type=int, nargs=-1)
@click.option("--category", type=click.Choice(CATEGORIES), help="Only messages now in it.")
@click.option("--since", type=DATE, help="Only messages received on or after YYYY-MM-DD.")
@click.option("--dry-run", is_flag=True, help="Show what would change; store nothing.")
@pass_state
def messages_reprocess(
    state: State,
    message_ids: Sequence[int],
    category: str | None,
    since: datetime | None,
    dry_run: bool,
) -> None:
    """Classify stored mail again with the current rules (all, or the IDs given).

    Prints each change of category ('#12 inquiry -> date_choice'). Only the
    stored category, reasons, facts and language change: nothing is sent or
    re-sent, and leads and bookings stay as they are.

    \b
    Example:
        inbox-worker messages reprocess --since 2026-09-01 --dry-run
    """
    from inbox_worker.app import own_texts
    from inbox_worker.desk.reprocess import reprocess

    with state.store() as store:
        selection: dict[str, Any] = {
            "ids": list(message_ids),
            "category": category,
            "since": since.date().isoformat() if since else None,
        }
        for message_id in message_ids:
            store.message(message_id)  # NotFound: one line, exit 1
        total = store.count_reprocess(**selection)
        with progress_bar(total, "Reprocessing") as step:
            report = reprocess(
                store,
                datetime.now(UTC),
                dry_run=dry_run,
                progress=step,
                own=own_texts(state.config),
                **selection,
            )
    for change in report.changes:
        click.echo(change.line())
    for message_id, error in report.failed:
        click.echo(f"#{message_id} not reprocessed: {error}", err=True)
    click.echo(report.summary() + (" (dry run: nothing stored)" if dry_run else ""))
    if report.failed:
        sys.exit(1)
