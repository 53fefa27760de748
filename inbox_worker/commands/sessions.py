"""The `sessions` group: seats taken, attendees, calling a session off."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import click

from inbox_worker.commands.common import (
    State,
    csv_stdout,
    delimiter_option,
    fail,
    pass_state,
    plural,
    print_json_lines,
    print_table,
)


@click.group()
def sessions() -> None:
    """Workshop sessions: seats taken, waitlists, attendees."""


@sessions.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_state
def sessions_list(state: State, as_json: bool) -> None:
    """List sessions with seats taken, capacity and waitlist.

    \b
    Example:
        inbox-worker sessions list
    """
    with state.store() as store:
        store.sync_sessions(state.config.workshop.title, state.config.workshop.sessions)
        rows = store.sessions_overview()
    if as_json:
        print_json_lines(rows)
        return
    for row in rows:
        row["seats"] = f"{row['taken']}/{row['capacity']}"
        row["starts"] = state.time(row["starts"])
        row["note"] = (
            "cancelled" if row["cancelled"] else ("removed from config" if row["removed"] else "")
        )
    print_table(
        rows,
        [("id", 24), ("starts", 16), ("location", 16), ("seats", 7), ("waiting", 7), ("note", 20)],
    )


@sessions.command("attendees")
@click.argument("session_id")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option(
    "--csv", "as_csv", is_flag=True,
    help="CSV with a header row (UTF-8 with BOM, formula-safe, as 'leads export').",
)  # fmt: skip
@delimiter_option
@pass_state
def sessions_attendees(
    state: State, session_id: str, as_json: bool, as_csv: bool, delimiter: str
) -> None:
    """List who is booked on a session, then who is waiting.

    \b
    Example:
        inbox-worker sessions attendees 2027-01-utrecht --csv --delimiter ";" > utrecht.csv
    """
    with state.store() as store:
        if not any(s.id == session_id for s in store.all_sessions()):
            raise click.ClickException(f"no session {session_id}")
        rows = store.attendees(session_id)
    if as_json:
        print_json_lines(rows)
    elif as_csv:
        from inbox_worker.desk import export

        columns = ["email", "name", "organisation", "org_type", "phone", "seats", "status"]
        with csv_stdout() as out:
            export.write_table(rows, columns, out, delimiter=export.DELIMITERS[delimiter])
    else:
        print_table(
            rows,
            [("status", 10), ("seats", 5), ("email", 34), ("name", 20), ("organisation", 20)],
        )


@sessions.command("cancel")
@click.argument("session_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (for scripts).")
@click.option("--no-mail", is_flag=True, help="Cancel the bookings without writing to anyone.")
@pass_state
def sessions_cancel(state: State, session_id: str, yes: bool, no_mail: bool) -> None:
    """Call a session off and tell everyone booked or waiting on it.

    Shows who is booked and waiting and the mail each gets, then asks. Every
    seat and waitlist place on the session is cancelled; each person gets one
    email in their language, with the calendar cancellation for a confirmed
    seat and the upcoming sessions where their group still fits. The session
    stays in the database as cancelled and is never offered again. The mail
    goes as replies.mode says (in hold mode it waits for 'replies approve').
    Take the session out of the config afterwards, or leave it: either way
    it is not offered.

    \b
    Example:
        inbox-worker sessions cancel 2027-03-zwolle
    """
    from inbox_worker.app import build_worker, renderer_for
    from inbox_worker.desk.sessions import SessionDesk
    from inbox_worker.run.guard import AlreadyRunning, run_lock
    from inbox_worker.run.report import PassReport

    config = state.config
    mode = config.replies.mode
    with state.store() as store:
        store.sync_sessions(config.workshop.title, config.workshop.sessions)
        renderer = renderer_for(config)
        desk = SessionDesk(config, store, renderer, mode=mode, mail=not no_mail)
        planned = desk.preview(session_id, datetime.now(UTC))
        _print_session_cancel(state, planned)
        if not yes:
            click.confirm(f"Cancel session {session_id}?", abort=True)
        try:
            # No pass may decide on the session's seats while it goes.
            with run_lock(store.path):
                done = desk.cancel(session_id, datetime.now(UTC))
                report = PassReport()
                if done.reply_status == "pending":
                    build_worker(config, store).deliver(report)
        except AlreadyRunning:
            fail("a pass is running; nothing cancelled, try again in a moment")
    booked = plural(done.booked, "booking")
    waiting = plural(done.waiting, "waitlist place")
    click.echo(f"Cancelled session {session_id}, with {booked} and {waiting}.")
    mails = len(done.mails)
    if no_mail or not mails:
        click.echo("No mail sent." + (" (--no-mail)" if no_mail else ""))
    elif done.reply_status == "held":
        click.echo(
            f"Held {plural(mails, 'email')}; send with 'inbox-worker replies approve --all'."
        )
    elif done.reply_status == "suppressed":
        click.echo(f"Not sent: replies.mode is dry-run ({plural(mails, 'email')} recorded).")
    else:
        click.echo(f"Sent {report.sent} of {plural(mails, 'email')}.")
        if report.sent < mails:
            fail(
                f"{mails - report.sent} not sent yet; the next poll tries again"
                " (inbox-worker replies list --status pending)"
            )


def _print_session_cancel(state: State, planned: Any) -> None:
    """Who is on the session, what each gets, and each kind of mail once, in full."""
    from inbox_worker.desk.followup import preview

    when = state.time(planned.starts)
    click.echo(f"Session {planned.session_id}: {when}, {planned.location}")
    if not planned.people:
        click.echo("Nobody is booked or waiting: no mail goes out.")
    else:
        print_table(
            [asdict(p) for p in planned.people],
            [("status", 10), ("seats", 5), ("email", 34), ("name", 18), ("mail", 24)],
        )
    mailed = [p for p in planned.people if not p.mail.startswith("no mail")]
    shown: set[str] = set()
    for person, body in zip(mailed, planned.mails, strict=True):
        if person.mail in shown:
            continue
        shown.add(person.mail)
        click.echo(f"\n--- the mail in {person.mail}, e.g. to {person.email} ---")
        click.echo(preview(body), nl=False)
    click.echo()
