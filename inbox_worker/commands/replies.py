"""The `replies` group: what was queued, held, sent or failed, and sending one by hand."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import click

from inbox_worker.commands.common import (
    State,
    fail,
    pass_state,
    plural,
    print_json_lines,
    print_table,
    show_error,
)


@click.group()
def replies() -> None:
    """Replies queued, held, sent or failed."""


@replies.command("list")
@click.option(
    "--status",
    type=click.Choice(["held", "pending", "sending", "sent", "failed", "suppressed", "rejected"]),
    help="Only replies in this state.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_state
def replies_list(state: State, status: str | None, as_json: bool) -> None:
    """List replies, oldest first.

    For a sent reply, "copy" tells whether its copy is in the Sent folder
    ("filed"), waits for a later pass ("to file"), or is not kept
    (sent_folder = "", or no IMAP mailbox). With --json: the field "filed",
    1, 0 or null.

    \b
    Example:
        inbox-worker replies list --status held
    """
    with state.store() as store:
        rows = store.replies(status=status)
    if as_json:
        print_json_lines(rows)
        return
    for row in rows:
        row["created"] = state.time(row["created"])
    print_table(
        [{**r, "copy": _copy_state(r)} for r in rows],
        [
            ("id", 5),
            ("status", 10),
            ("copy", 8),
            ("kind", 10),
            ("to_addr", 32),
            ("created", 16),
            ("subject", 20),
        ],
    )


def _copy_state(row: dict[str, Any]) -> str:
    """The copy of a sent reply in the Sent folder: filed, still to file, or none kept."""
    if row["status"] != "sent":
        return ""
    filed = row.get("filed")
    return "filed" if filed == 1 else ("to file" if filed == 0 else "not kept")


@replies.command("show")
@click.argument("reply_id", type=int)
@click.option("--raw", is_flag=True, help="Print the exact bytes that were or will be sent.")
@pass_state
def replies_show(state: State, reply_id: int, raw: bool) -> None:
    """Show a reply as the recipient reads it: headers, text, what is attached.

    \b
    Example:
        inbox-worker replies show 12
        inbox-worker replies show 12 --raw > reply.eml
    """
    from inbox_worker.desk.followup import preview

    with state.store() as store:
        row = store.reply(reply_id)
    if raw:
        sys.stdout.buffer.write(row["body"])
        return
    click.echo(f"Status: {row['status']}")
    if row.get("last_error"):
        click.echo(f"Error: {row['last_error']}")
    click.echo(preview(row["body"], ("From", "To", "Subject", "Date", "Message-ID")), nl=False)


@replies.command("approve")
@click.argument("reply_ids", type=int, nargs=-1)
@click.option("--all", "approve_all", is_flag=True, help="Approve every held reply.")
@pass_state
def replies_approve(state: State, reply_ids: Sequence[int], approve_all: bool) -> None:
    """Release held replies; the next poll sends them.

    A named reply that is not held (sent, pending, suppressed by a dry run)
    is refused with the reason, and the exit code is 1.

    \b
    Example:
        inbox-worker replies approve 12 13
    """
    if not reply_ids and not approve_all:
        raise click.UsageError("give reply IDs or --all")
    with state.store() as store:
        if approve_all:
            _approve_all(store)
        else:
            _approve_named(store, list(dict.fromkeys(reply_ids)))


def _approve_all(store: Any) -> None:
    from inbox_worker.desk.followup import reply_tally

    count = store.release_held(None)
    if count:
        click.echo(f"Approved {plural(count, 'reply', 'replies')}.")
    else:
        click.echo(f"No held replies ({reply_tally(store.reply_counts())}).")


def _approve_named(store: Any, reply_ids: list[int]) -> None:
    """Approve those that can be; say why each other one cannot, and exit 1."""
    from inbox_worker.desk.followup import approval_refused

    approvable, refused = [], []
    for reply_id in reply_ids:  # an unknown id stops here, before anything is approved
        row = store.reply(reply_id)
        lead = store.lead(row["to_addr"])
        why = approval_refused(row, opted_out=bool(lead and lead.opted_out))
        if why:
            refused.append(why)
        else:
            approvable.append(reply_id)
    if approvable:
        click.echo(f"Approved {plural(store.release_held(approvable), 'reply', 'replies')}.")
    for why in refused:
        show_error(why)
    if refused:
        sys.exit(1)


@replies.command("reject")
@click.argument("reply_ids", type=int, nargs=-1, required=True)
@pass_state
def replies_reject(state: State, reply_ids: Sequence[int]) -> None:
    """Drop held or pending replies; they will never be sent.

    \b
    Example:
        inbox-worker replies reject 14
    """
    with state.store() as store:
        count = store.reject_replies(list(reply_ids), datetime.now(UTC))
        # A rejected confirmation leaves its booking as it is: say so, and how to undo it.
        held = store.bookings_of_rejected(list(reply_ids))
    click.echo(f"Rejected {count} repl{'y' if count == 1 else 'ies'}.")
    for to_addr, booking in held:
        click.echo(
            f"{to_addr} still holds {booking.seats} seat(s) ({booking.status}) on"
            f" {booking.session_id}: inbox-worker bookings cancel {to_addr} {booking.session_id}"
        )


@replies.command("send")
@click.option("--lead", "lead_key", required=True, metavar="EMAIL|ID", help="Who gets it.")
@click.option("--template", "kind", required=True, help="The template (kind), e.g. inquiry.")
@click.option("--language", type=click.Choice(["nl", "en"]), help="Default: the lead's language.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (for scripts).")
@pass_state
def replies_send(state: State, lead_key: str, kind: str, language: str | None, yes: bool) -> None:
    """Send a lead a follow-up from a template, by hand.

    Shows the email first and asks before queueing it. It answers the lead's
    latest message and goes through the outbox like any reply: in hold mode it
    waits for 'replies approve', in dry-run mode it is only shown. A lead who
    unsubscribed gets nothing.

    \b
    Example:
        inbox-worker replies send --lead m.brink@zwolle.nl --template inquiry
    """
    from inbox_worker.app import build_worker, renderer_for
    from inbox_worker.desk.followup import FollowUpDesk, preview
    from inbox_worker.run.guard import AlreadyRunning, run_lock
    from inbox_worker.run.report import PassReport

    config = state.config
    now = datetime.now(UTC)
    with state.store() as store:
        store.sync_sessions(config.workshop.title, config.workshop.sessions)
        renderer = renderer_for(config)
        desk = FollowUpDesk(config, store, renderer, mode=config.replies.mode)
        follow_up = desk.prepare(lead_key, kind, now, language=language)
        if config.replies.mode == "dry-run":  # a dry run stores nothing, so nothing is queued
            click.echo(preview(follow_up.body))
            to = follow_up.to_addr
            click.echo(f"Not queued: replies.mode is dry-run ({kind} email to {to}).")
            return
        if not yes:
            click.echo(preview(follow_up.body))
            click.confirm(f"Queue this {kind} email to {follow_up.to_addr}?", abort=True)
        queued = desk.queue(follow_up, now)
        if queued.status == "held":
            click.echo(
                f"Held reply #{queued.reply_id}; send it with"
                f" 'inbox-worker replies approve {queued.reply_id}'."
            )
            return
        report = PassReport()
        try:
            with run_lock(store.path):
                build_worker(config, store).deliver(report)
        except AlreadyRunning:
            click.echo(f"Queued reply #{queued.reply_id}; the pass now running sends it.")
            return
        row = store.reply(queued.reply_id)
    if row["status"] == "sent":
        click.echo(f"Sent reply #{queued.reply_id} to {follow_up.to_addr}.")
    else:
        fail(
            f"reply #{queued.reply_id} not sent yet ({row['status']}): {row['last_error']};"
            " the next poll tries again"
        )
