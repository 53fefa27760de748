"""The `bookings` group: add, move or cancel a seat by hand, with the mail email would bring."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import click

from inbox_worker.commands.common import State, fail, log, pass_state, plural


@click.group()
def bookings() -> None:
    """Book, move or cancel a seat by hand, with the same mail as by email."""


_BY_HAND_OPTIONS = (
    click.option("--yes", is_flag=True, help="Do not ask for confirmation (for scripts)."),
    click.option("--no-mail", is_flag=True, help="Change the booking, tell nobody."),
)


def _by_hand_options(func: Any) -> Any:
    for option in reversed(_BY_HAND_OPTIONS):
        func = option(func)
    return func


@bookings.command("add")
@click.argument("key", metavar="EMAIL|ID")
@click.argument("session_id", metavar="SESSION")
@click.option("--seats", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--over-capacity", is_flag=True, help="Confirm even when the session is full.")
@click.option("--name", default="", help="The name of someone who never wrote (a new lead).")
@_by_hand_options
@pass_state
def bookings_add(
    state: State, key: str, session_id: str, seats: int, over_capacity: bool, name: str,
    yes: bool, no_mail: bool,
) -> None:  # fmt: skip
    """Book a lead on a session, as if they had chosen it by email.

    Shows what changes and which mail goes out (a confirmation with a
    calendar invitation, or a waitlist place when the session is full), then
    asks. --over-capacity confirms past the session's capacity, with a
    warning. Someone who holds a seat elsewhere is moved with 'bookings move'.
    An address that never wrote (a colleague someone asked you to book) gets
    a lead of its own, named with --name.

    \b
    Example:
        inbox-worker bookings add piet@gemeente-voorbeeld.nl 2027-03-utrecht --seats 3
    """
    from inbox_worker.desk.byhand import ADD, Request

    request = Request(
        ADD, key, session_id, seats=seats, over_capacity=over_capacity, name=" ".join(name.split())
    )
    _by_hand(state, request, yes=yes, mail=not no_mail)


@bookings.command("move")
@click.argument("key", metavar="EMAIL|ID")
@click.argument("session_id", metavar="SESSION")
@click.option("--over-capacity", is_flag=True, help="Confirm even when the session is full.")
@_by_hand_options
@pass_state
def bookings_move(
    state: State, key: str, session_id: str, over_capacity: bool, yes: bool, no_mail: bool
) -> None:
    """Move a lead's booking to another session, with the same seats.

    They get the 'moved' mail with the new invitation and a second one that
    withdraws the old appointment; the seats they leave go to whoever waits
    for them. A full session keeps the old seat and waitlists the new one,
    unless --over-capacity.

    \b
    Example:
        inbox-worker bookings move piet@gemeente-voorbeeld.nl 2027-04-zwolle
    """
    from inbox_worker.desk.byhand import MOVE, Request

    request = Request(MOVE, key, session_id, over_capacity=over_capacity)
    _by_hand(state, request, yes=yes, mail=not no_mail)


@bookings.command("cancel")
@click.argument("key", metavar="EMAIL|ID")
@click.argument("session_id", metavar="[SESSION]", required=False)
@_by_hand_options
@pass_state
def bookings_cancel(
    state: State, key: str, session_id: str | None, yes: bool, no_mail: bool
) -> None:
    """Cancel a lead's booking on SESSION, or all of them.

    They get the cancellation, which withdraws the calendar invitation; the
    freed seats go to the first on the waitlist who fits, who is told.

    \b
    Example:
        inbox-worker bookings cancel piet@gemeente-voorbeeld.nl
    """
    from inbox_worker.desk.byhand import CANCEL, Request

    _by_hand(state, Request(CANCEL, key, session_id), yes=yes, mail=not no_mail)


def _by_hand(state: State, request: Any, *, yes: bool, mail: bool) -> None:
    from inbox_worker.app import build_worker, renderer_for
    from inbox_worker.desk.byhand import BookingDesk
    from inbox_worker.run.guard import AlreadyRunning, run_lock
    from inbox_worker.run.report import PassReport

    config = state.config
    mode = config.replies.mode
    now = datetime.now(UTC)
    with state.store() as store:
        store.sync_sessions(config.workshop.title, config.workshop.sessions)
        renderer = renderer_for(config)
        desk = BookingDesk(config, store, renderer, mode=mode, mail=mail)
        plan = desk.plan(request, now)
        click.echo(f"{plan.email}:")
        for line in plan.lines:
            click.echo(f"  {line}")
        for warning in plan.warnings:
            log.warning("%s", warning)
        mails = desk.preview(plan, now)
        click.echo("Mail:" if mails else f"Mail: none{'' if mail else ' (--no-mail)'}")
        for m in mails:
            click.echo(f"  {m.describe()}")
        if not yes:
            click.confirm("Go ahead?", abort=True)
        mails = desk.apply(plan, now)
        if not mails:
            click.echo("Done; no mail.")
            return
        if mode == "dry-run":
            click.echo("Done; mail not sent: replies.mode is dry-run.")
            return
        ids = " ".join(str(m.reply_id) for m in mails)
        if mode == "hold":
            click.echo(f"Done; mail held: send it with 'inbox-worker replies approve {ids}'.")
            return
        try:
            with run_lock(store.path):
                build_worker(config, store).deliver(PassReport())
        except AlreadyRunning:
            click.echo("Done; the pass now running sends the mail.")
            return
        rows = [store.reply(m.reply_id) for m in mails]
    unsent = [r for r in rows if r["status"] != "sent"]
    if unsent:
        r = unsent[0]
        fail(
            f"booking done, but reply #{r['id']} not sent yet ({r['status']}):"
            f" {r['last_error']}; the next poll tries again"
        )
    click.echo(f"Done; sent {plural(len(rows), 'mail')}.")
