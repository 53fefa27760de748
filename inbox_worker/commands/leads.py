"""The `leads` group: the people who wrote in, reviewed, followed up, exported, erased."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from inbox_worker.commands.common import (
    CATEGORIES,
    DATE,
    LEAD_STATUSES,
    State,
    bold,
    create_private,
    csv_stdout,
    delimiter_option,
    fail,
    log,
    pass_state,
    plural,
    print_json_lines,
    print_leads,
    progress_bar,
    table_cell,
)

TABLE_LIMIT = 50  # rows a list command prints as a table unless told otherwise


def _lead_filters(func: Any) -> Any:
    """The filter options `leads list` and `leads export` share."""
    for option in reversed(
        [
            click.option("--status", type=click.Choice(LEAD_STATUSES), help="Only this status."),
            click.option(
                "--category",
                type=click.Choice(CATEGORIES),
                help="Only leads with a message of this category.",
            ),
            click.option("--org-type", help="Only this type of organisation (gemeente, ...)."),
            click.option("--since", type=DATE, help="Only leads created on or after YYYY-MM-DD."),
            click.option(
                "--session", "session_id", help="Only leads booked or waiting on this session."
            ),
        ]
    ):
        func = option(func)
    return func


def _filter(
    status: str | None,
    category: str | None,
    org_type: str | None,
    since: datetime | None,
    session_id: str | None,
) -> Any:
    from inbox_worker.store import LeadFilter

    return LeadFilter(
        status=status,
        category=category,
        org_type=org_type,
        since=since.date().isoformat() if since else None,
        session=session_id,
    )


@click.group()
def leads() -> None:
    """The people who wrote in: review, follow up, export, erase."""


@leads.command("list")
@_lead_filters
@click.option(
    "--limit",
    type=int,
    help=f"At most this many rows (table default {TABLE_LIMIT}, --json all; 0: all).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_state
def leads_list(
    state: State,
    status: str | None,
    category: str | None,
    org_type: str | None,
    since: datetime | None,
    session_id: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List leads, newest first.

    \b
    Example:
        inbox-worker leads list --status offered --since 2026-11-01
        inbox-worker leads list --category date_choice --org-type gemeente --json
    """
    filters = _filter(status, category, org_type, since, session_id)
    if limit is None and not as_json:
        limit = TABLE_LIMIT  # a terminal cannot show 100,000 rows; the newest matter
    with state.store() as store:
        rows = store.leads(filters, limit=limit or None)
        total = store.count_leads(filters) if limit and len(rows) == limit else len(rows)
    if as_json:
        print_json_lines(rows)
        return
    print_leads(rows)
    if total > len(rows):
        click.echo(f"({len(rows)} of {total} leads, newest first; --limit 0 for all)", err=True)


@leads.command("show")
@click.argument("key", metavar="EMAIL|ID")
@click.option("--json", "as_json", is_flag=True, help="The lead as one JSON object.")
@pass_state
def leads_show(state: State, key: str, as_json: bool) -> None:
    """Show one lead: its facts, bookings and the whole conversation in order.

    Each message shows its category and the evidence for it, each reply its
    status.

    \b
    Example:
        inbox-worker leads show m.brink@zwolle.nl
    """
    from inbox_worker.desk.followup import conversation

    with state.store() as store:
        lead = store.lead_detail(key)
    if as_json:
        click.echo(json.dumps(lead, ensure_ascii=False, default=str))
        return
    for field_name in (
        "email", "name", "organisation", "org_type", "phone", "participants",
        "language", "status", "created", "updated",
    ):  # fmt: skip
        value = lead.get(field_name)
        if field_name in ("created", "updated"):
            value = state.time(value)
        if value not in (None, ""):
            click.echo(f"{field_name + ':':<14}{table_cell(value, 200)}")
    if lead.get("opted_out"):
        click.echo(f"{'opted out:':<14}yes: no mail of any kind goes to this address")
    if lead.get("notes"):
        click.echo(f"{'notes:':<14}" + "\n              ".join(lead["notes"].splitlines()))
    if lead["bookings"]:
        click.echo()
        click.echo(bold("Bookings:"))
        for b in lead["bookings"]:
            seats = f"{b['seats']} seat{'s' if b['seats'] != 1 else ''}"
            click.echo(
                f"  #{b['id']:<5} {table_cell(b['session_id'], 24):<24}"
                f" {state.time(b['starts']):<16}"
                f"  {table_cell(b['location'], 12):<12} {seats:<8} {b['status']}".rstrip()
            )
    click.echo()
    click.echo(bold("Conversation:"))
    for e in conversation(lead):
        click.echo(
            f"  {state.time(e.when):<16}  {e.direction:<4} #{e.id:<5} {e.label:<13} "
            f"{table_cell(e.subject, 50)}".rstrip()
        )
        for detail in e.details:
            click.echo(f"{'':<32}{table_cell(detail, 68)}")


@leads.command("search")
@click.argument("text")
@click.option("--limit", type=int, default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_state
def leads_search(state: State, text: str, limit: int, as_json: bool) -> None:
    """Find leads by name, organisation, address, notes or the text of their mail.

    Every word must occur (as the start of a word), in any order.

    \b
    Example:
        inbox-worker leads search "waterschap vallei"
    """
    with state.store() as store:
        rows = store.search_leads(text, limit=limit)
    if as_json:
        print_json_lines(rows)
    else:
        print_leads(rows)


@leads.command("set-status")
@click.argument("key", metavar="EMAIL|ID")
@click.argument("status", type=click.Choice(LEAD_STATUSES))
@pass_state
def leads_set_status(state: State, key: str, status: str) -> None:
    """Set a lead's status by hand.

    'unsubscribed' also opts the lead out: no mail of any kind goes to them
    again, and replies still queued for them are withdrawn.

    \b
    Example:
        inbox-worker leads set-status m.brink@zwolle.nl closed
    """
    from inbox_worker.desk.byhand import status_conflict

    with state.store() as store:
        lead = store.lead_row(key)
        if lead["opted_out"] and status != "unsubscribed":
            fail(
                f"{lead['email']} opted out: to mail them again, record why with"
                f' inbox-worker leads opt-in {lead["email"]} --reason "..."'
            )
        conflict = status_conflict(lead["email"], status, store.lead_bookings(lead["id"]))
        if conflict:
            fail(conflict)
        old = store.set_status_by_organiser(lead["id"], status, datetime.now(UTC))
    click.echo(f"{lead['email']}: {old} -> {status}")


@leads.command("opt-in")
@click.argument("key", metavar="EMAIL|ID")
@click.option("--reason", required=True, help="Why they may be mailed again (kept as consent).")
@pass_state
def leads_opt_in(state: State, key: str, reason: str) -> None:
    """Let mail go again to a lead who opted out, recording when and why.

    For someone who unsubscribed by mistake (or was unsubscribed by someone
    else) and asks to hear from you again. The reason and the time are kept in
    the lead's history as their consent.

    \b
    Example:
        inbox-worker leads opt-in m.brink@zwolle.nl --reason "Belde: per ongeluk afgemeld"
    """
    if not reason.strip():
        raise click.UsageError("the reason is empty")
    with state.store() as store:
        lead = store.lead_row(key)
        if not lead["opted_out"]:
            fail(f"{lead['email']} has not opted out")
        old, new = store.opt_in(lead["id"], " ".join(reason.split()), datetime.now(UTC))
    click.echo(f"{lead['email']}: opted in again ({old} -> {new}); the reason is recorded.")


@leads.command("note")
@click.argument("key", metavar="EMAIL|ID")
@click.argument("text")
@pass_state
def leads_note(state: State, key: str, text: str) -> None:
    """Add a dated note to a lead (shown by 'leads show', searchable).

    \b
    Example:
        inbox-worker leads note m.brink@zwolle.nl "Belde terug: wil in maart, 3 personen"
    """
    if not text.strip():
        raise click.UsageError("the note is empty")
    with state.store() as store:
        lead = store.lead_row(key)
        store.add_note(lead["id"], text, datetime.now(UTC))
    click.echo(f"Noted on {lead['email']}.")


@leads.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file (default: standard output).",
)  # fmt: skip
@delimiter_option
@_lead_filters
@pass_state
def leads_export(
    state: State,
    fmt: str,
    output: Path | None,
    delimiter: str,
    status: str | None,
    category: str | None,
    org_type: str | None,
    since: datetime | None,
    session_id: str | None,
) -> None:
    """Export leads, one row each, columns in a fixed order.

    CSV is UTF-8 with a byte order mark (Excel reads the accents right); a cell
    starting with =, +, -, @ gets a ' in front so no spreadsheet runs it as a
    formula; --delimiter ";" for Excel with Dutch settings. JSON is an array
    with one lead per line.

    \b
    Example:
        inbox-worker leads export --format csv --delimiter ";" -o leads.csv
        inbox-worker leads export --format json --status booked > booked.json
    """
    import functools

    from inbox_worker.desk import export

    write: Callable[..., int] = export.write_json
    if fmt == "csv":
        write = functools.partial(export.write_csv, delimiter=export.DELIMITERS[delimiter])
    filters = _filter(status, category, org_type, since, session_id)
    with state.store() as store, contextlib.ExitStack() as stack:
        # newline="": the csv module writes its own CRLF line ends.
        out: Any
        if output is None:
            out = stack.enter_context(csv_stdout())
        else:
            create_private(output)  # an export is personal data too
            out = stack.enter_context(output.open("w", encoding="utf-8", newline=""))
        step = stack.enter_context(progress_bar(store.count_leads(filters), "Exporting"))
        count = write(store.export_rows(filters), out, progress=step)
    if output is not None:
        log.info("Exported %d lead%s to %s", count, "" if count == 1 else "s", output)


@leads.command("erase")
@click.argument("key", metavar="EMAIL|ID")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def leads_erase(state: State, key: str, yes: bool) -> None:
    """Erase a person for good (AVG/GDPR): their messages, bookings, replies, events.

    Afterwards their address and name are nowhere in the database files; only
    an anonymous count remains for 'stats', and a salted hash of the address
    so that their old mail, read again, brings nothing back. Their replies
    leave the file outbox too; copies in your own Sent folder stay. This
    cannot be undone.

    \b
    Example:
        inbox-worker leads erase m.brink@zwolle.nl
    """
    from inbox_worker.app import erase_person

    with state.store() as store:
        lead = store.lead_detail(key)
        who = lead["email"] + (f" ({lead['name']})" if lead["name"] else "")
        if not yes:
            click.confirm(
                f"Erase {who}: {plural(len(lead['messages']), 'message')},"
                f" {plural(len(lead['replies']), 'reply', 'replies')},"
                f" {plural(len(lead['bookings']), 'booking')}? This cannot be undone",
                abort=True,
            )
        removed, files = erase_person(state.config, store, lead["id"], datetime.now(UTC))
        store.scrub()
    click.echo(
        f"Erased {lead['email']}: {plural(removed.messages, 'message')},"
        f" {plural(removed.replies, 'reply', 'replies')},"
        f" {plural(removed.bookings, 'booking')}, {plural(removed.events, 'event')}"
        + (f", {plural(files, 'outbox file')}." if files else ".")
    )
