"""The inbox-worker command line: parse options, call the engine, print.

This is the only module that imports click. Engine errors arrive as
InboxWorkerError subclasses and leave as one line on stderr with exit code 1;
usage errors exit 2 (click's own convention).
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from inbox_worker import clock
from inbox_worker import config as config_mod
from inbox_worker.commands.common import (
    CATEGORIES,
    DATE,
    LEAD_STATUSES,
    State,
    _bold,
    _cell,
    _count,
    _count_waiting,
    _create_private,
    _csv_stdout,
    _delimiter_option,
    _error,
    _fail,
    _Group,
    _print_json_lines,
    _print_leads,
    _print_table,
    _progress,
    log,
    pass_state,
    quiet_run,
)
from inbox_worker.errors import InboxWorkerError

TABLE_LIMIT = 50  # rows a list command prints as a table unless told otherwise


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        if record.levelno >= logging.WARNING:
            return f"{record.levelname.lower()}: {text}"
        return text


class _FileFormatter(logging.Formatter):
    """--log-file lines: what mail put in a message (a name, a subject) cannot
    hide terminal escapes in the file someone later reads with cat or tail."""

    def format(self, record: logging.LogRecord) -> str:
        from inbox_worker.desk.followup import printable

        lines = super().format(record).split("\n")  # a traceback keeps its lines
        return "\n".join(printable(line) for line in lines)


def _setup_logging(verbose: int, quiet: bool, log_file: str | None) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbose else logging.INFO)
    root = logging.getLogger("inbox_worker")
    root.handlers.clear()
    root.setLevel(level)
    root.propagate = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter("%(message)s"))
    root.addHandler(handler)
    if log_file:
        # The log names people and addresses: a new file is the owner's only,
        # like the database (an existing one keeps the mode it was given).
        _create_private(Path(log_file))
        file_handler = logging.FileHandler(log_file, encoding="utf-8")
        file_handler.setFormatter(_FileFormatter("%(asctime)s %(levelname)s %(message)s"))
        root.addHandler(file_handler)


@click.group(cls=_Group)
@click.option(
    "--config",
    "config_path",
    metavar="PATH",
    help="Config file (default: $INBOX_WORKER_CONFIG, else ./config.toml).",
)
@click.option("-v", "--verbose", count=True, help="Show details (debug logging).")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors (for cron).")
@click.option("--log-file", metavar="PATH", help="Also write the log to this file.")
@click.version_option(package_name="inbox-worker")
@click.pass_context
def cli(
    ctx: click.Context, config_path: str | None, verbose: int, quiet: bool, log_file: str | None
) -> None:
    """Turn a workshop organiser's mailbox into an intake desk.

    \b
    Example:
        inbox-worker demo
        inbox-worker --config /etc/inbox-worker/config.toml poll
    """
    _setup_logging(verbose, quiet, log_file)
    ctx.obj = State(config_path)


# -- setup ----------------------------------------------------------------------


@cli.command()
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
        _fail(f"{path} already exists (use --force to overwrite)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(example_config_text(), encoding="utf-8")
    with state.store() as store:
        click.echo(f"Wrote {path}; database {store.path}")
    click.echo("Next: edit the config, then run 'inbox-worker doctor'.")


@cli.command()
@pass_state
def doctor(state: State) -> None:
    """Check the config, the mailbox, the outgoing server and the templates.

    Prints one line per check and exits 1 if any fails.

    \b
    Example:
        inbox-worker --config config.toml doctor
    """
    from inbox_worker.desk.doctor import run_checks

    failed = False
    for check in run_checks(state.config_path):
        failed |= not check.ok
        mark = "ok  " if check.ok else "FAIL"
        click.echo(f"{mark}  {check.name:<10} {check.detail}")
    if failed:
        sys.exit(1)


# -- the pass -------------------------------------------------------------------


def _mode(dry_run: bool, hold: bool) -> str | None:
    if dry_run and hold:
        raise click.UsageError("--dry-run and --hold exclude each other")
    return "dry-run" if dry_run else ("hold" if hold else None)


DRY_RUN_HELP = "Show what it would do; store and send nothing."


def _print_preview(lines: Iterable[str]) -> None:
    """A dry run's lines, one per decision; -q (cron) keeps them to itself."""
    if quiet_run():
        return
    for line in lines:
        click.echo(line)


@cli.command()
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
@click.option("--hold", is_flag=True, help="Queue replies for approval instead of sending.")
@pass_state
def poll(state: State, dry_run: bool, hold: bool) -> None:
    """Run one pass: fetch new mail, classify it, queue and send replies.

    Safe to start from cron while another pass runs: the second one exits 0.
    With --dry-run (or replies.mode = "dry-run") it prints what each message
    would get and leaves the database as it was, so the next real poll
    fetches and answers the same mail.

    \b
    Example (crontab):
        */5 * * * * inbox-worker -q --config /path/config.toml poll
    """
    from inbox_worker.app import build_worker
    from inbox_worker.worker import AlreadyRunning

    mode = _mode(dry_run, hold)
    with state.store() as store:
        worker = build_worker(state.config, store, mode=mode)
        if not quiet_run():
            worker.progress = _progress  # a first poll of a large mailbox takes a while
        try:
            report = worker.run_once()
        except AlreadyRunning as exc:
            log.info("%s; this pass stops here", exc)
            return
        _count_waiting(store, report)
    _print_preview(report.preview)
    log.info("%s", report.summary())
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.option("--interval", default=60, show_default=True, help="Seconds between passes.")
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
@click.option("--hold", is_flag=True, help="Queue replies for approval instead of sending.")
@pass_state
def watch(state: State, interval: int, dry_run: bool, hold: bool) -> None:
    """Poll again and again until stopped (Ctrl-C or SIGTERM).

    Each pass prints one line starting with the time it ran (-q: only
    trouble). A failing pass is logged and the next one still runs. A dry run
    reads the mailbox afresh each time and prints only what it has not shown yet.

    \b
    Example:
        inbox-worker --config config.toml watch --interval 120
    """
    from inbox_worker.app import build_worker
    from inbox_worker.worker import AlreadyRunning

    mode = _mode(dry_run, hold)
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    shown: Counter[str] = Counter()
    with state.store() as store:
        worker = build_worker(state.config, store, mode=mode)
        while not stopping:
            # Every pass says when it ran (a watch runs for days in a terminal);
            # -q keeps the quiet ones quiet.
            stamp = clock.local(datetime.now(UTC), state.config.organiser.zone)
            stamp_text = stamp.strftime("%Y-%m-%d %H:%M:%S")
            try:
                report = worker.run_once()
                fresh = _not_shown(report.preview, shown)
                _print_preview(fresh)
                _count_waiting(store, report)
                log.info("%s %s", stamp_text, report.summary())
            except AlreadyRunning as exc:
                log.info("%s %s", stamp_text, exc)
            except InboxWorkerError as exc:
                log.error("%s %s", stamp_text, exc)
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(1.0, interval))


def _not_shown(lines: Sequence[str], shown: Counter[str]) -> list[str]:
    """The lines a dry watch has not printed yet; every dry pass tells all the mail again."""
    this_pass: Counter[str] = Counter()
    fresh = []
    for line in lines:
        this_pass[line] += 1
        if this_pass[line] > shown[line]:  # two messages may read alike
            fresh.append(line)
    shown |= this_pass  # in place: the most times each line was told
    return fresh


@cli.command()
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
        _count_waiting(store, report)
        rows = store.leads()
    click.echo(report.summary())
    click.echo()
    _print_leads(rows)
    outbox = config.transport.path
    assert outbox is not None
    click.echo()
    click.echo(f"Replies written to {outbox}/ ({len(list(outbox.glob('*.eml')))} files).")
    click.echo(f"Explore: inbox-worker --config {config_path} leads show EMAIL")


@cli.command()
@click.option(
    "--days",
    type=int,
    help="Remind bookings starting within this many days (default: the config's "
    "workshop.reminder_days_before).",
)
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
@pass_state
def remind(state: State, days: int | None, dry_run: bool) -> None:
    """Send each confirmed participant a reminder before their session, once.

    Meant for cron, daily. Cancelled bookings and opted-out leads get nothing.

    \b
    Example (crontab):
        0 8 * * * inbox-worker -q --config /path/config.toml remind
    """
    from inbox_worker.app import build_worker
    from inbox_worker.worker import AlreadyRunning

    days_before = state.config.workshop.reminder_days_before if days is None else days
    with state.store() as store:
        worker = build_worker(state.config, store, mode="dry-run" if dry_run else None)
        try:
            report = worker.remind(days_before)
        except AlreadyRunning as exc:
            log.info("%s; try again later", exc)
            return
    _print_preview(report.preview)
    log.info("reminders: %s", report.summary(mail_in=False))
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.option("--dry-run", is_flag=True, help="Print the digest; send and record nothing.")
@pass_state
def digest(state: State, dry_run: bool) -> None:
    """Mail the organiser one message listing what needs a person.

    Each lead a message (or a refused reply) put in needs_attention: who, what
    they wrote, why, and the command to act on it. Each is listed once, and
    again only when a new message needs you again; nothing new, no mail. It
    goes to [organiser] email in replies.default_language, over the transport
    replies use. Meant for cron, daily.

    \b
    Example (crontab):
        0 8 * * * inbox-worker -q --config /path/config.toml digest
    """
    from inbox_worker.app import template_dirs, transport_factory
    from inbox_worker.desk.followup import prepare_digest, preview, send_digest
    from inbox_worker.writing.render import Renderer

    config = state.config
    now = datetime.now(UTC)
    with state.store() as store:
        renderer = Renderer(template_dirs(config), config.organiser.zone)
        prepared = prepare_digest(config, store, renderer, now)
        if prepared is None:
            log.info("Nothing new needs you: no digest sent.")
            return
        if dry_run:
            click.echo(preview(prepared.message.as_bytes()), nl=False)
            return
        send_digest(prepared, transport_factory(config)(), store, now)
    log.info("Digest sent to %s: %s.", config.organiser.email, _count(len(prepared.items), "item"))


# -- sessions -------------------------------------------------------------------


@cli.group()
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
        _print_json_lines(rows)
        return
    for row in rows:
        row["seats"] = f"{row['taken']}/{row['capacity']}"
        row["starts"] = state.time(row["starts"])
        row["note"] = (
            "cancelled" if row["cancelled"] else ("removed from config" if row["removed"] else "")
        )
    _print_table(
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
@_delimiter_option
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
        _print_json_lines(rows)
    elif as_csv:
        from inbox_worker.desk import export

        columns = ["email", "name", "organisation", "org_type", "phone", "seats", "status"]
        with _csv_stdout() as out:
            export.write_table(rows, columns, out, delimiter=export.DELIMITERS[delimiter])
    else:
        _print_table(
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
    from inbox_worker.app import build_worker, template_dirs
    from inbox_worker.desk.sessions import SessionDesk
    from inbox_worker.worker import AlreadyRunning, PassReport, run_lock
    from inbox_worker.writing.render import Renderer

    config = state.config
    mode = config.replies.mode
    with state.store() as store:
        store.sync_sessions(config.workshop.title, config.workshop.sessions)
        renderer = Renderer(template_dirs(config), config.organiser.zone)
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
            _fail("a pass is running; nothing cancelled, try again in a moment")
    booked = _count(done.booked, "booking")
    waiting = _count(done.waiting, "waitlist place")
    click.echo(f"Cancelled session {session_id}, with {booked} and {waiting}.")
    mails = len(done.mails)
    if no_mail or not mails:
        click.echo("No mail sent." + (" (--no-mail)" if no_mail else ""))
    elif done.reply_status == "held":
        click.echo(
            f"Held {_count(mails, 'email')}; send with 'inbox-worker replies approve --all'."
        )
    elif done.reply_status == "suppressed":
        click.echo(f"Not sent: replies.mode is dry-run ({_count(mails, 'email')} recorded).")
    else:
        click.echo(f"Sent {report.sent} of {_count(mails, 'email')}.")
        if report.sent < mails:
            _fail(
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
        _print_table(
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


# -- classify -------------------------------------------------------------------


@cli.command("classify")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file.")
@pass_state
def classify_cmd(state: State, files: Sequence[str], as_json: bool) -> None:
    """Show what a pass would decide about .eml files, and why; stores nothing.

    With a config, each message is read in its conversation as the database
    knows it (else against the offer it quotes, else the config's sessions in
    the order the config lists them) and decided as a pass would. Without a
    config it is only classified.

    \b
    Example:
        inbox-worker classify --json message.eml
    """
    from inbox_worker.app import previewer

    config = state.config if state.config_path.exists() else None
    with previewer(config) as preview:
        for name in files:
            try:
                reading, decision = preview(Path(name).read_bytes())
            except ValueError as exc:
                _fail(f"{name}: {exc}")
            _show_classification(name, reading, decision, as_json)


def _show_classification(name: str, reading: Any, decision: Any, as_json: bool) -> None:
    result = reading.classification
    facts = asdict(reading.facts)
    facts["dates"] = [d.isoformat() for d in facts["dates"]]
    record: dict[str, Any] = {
        "file": name,
        "category": result.category.value,
        "language": result.language,
        "reasons": list(result.reasons),
        "facts": facts,
    }
    if decision is not None:
        record["decision"] = {
            "lead": decision.lead_email,
            "status": decision.lead_status,
            "replies": [f"{r.kind} to {r.to_addr}" for r in decision.replies],
            "bookings": [f"{c.status} {c.session_id or c.ref}" for c in decision.bookings],
            "notes": list(decision.notes),
        }
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False))
        return
    click.echo(f"{name}: {record['category']} ({record['language']})")
    for reason in record["reasons"]:
        click.echo(f"  because {reason}")
    for key, value in facts.items():
        if value not in (None, [], ""):
            click.echo(f"  {key}: {value}")
    for key, value in record.get("decision", {}).items():
        if value not in (None, [], ""):
            shown = "; ".join(value) if isinstance(value, list) else value
            click.echo(f"  decision {key}: {shown}")


# -- leads ----------------------------------------------------------------------


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


@cli.group()
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
        _print_json_lines(rows)
        return
    _print_leads(rows)
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
            click.echo(f"{field_name + ':':<14}{_cell(value, 200)}")
    if lead.get("opted_out"):
        click.echo(f"{'opted out:':<14}yes: no mail of any kind goes to this address")
    if lead.get("notes"):
        click.echo(f"{'notes:':<14}" + "\n              ".join(lead["notes"].splitlines()))
    if lead["bookings"]:
        click.echo()
        click.echo(_bold("Bookings:"))
        for b in lead["bookings"]:
            seats = f"{b['seats']} seat{'s' if b['seats'] != 1 else ''}"
            click.echo(
                f"  #{b['id']:<5} {_cell(b['session_id'], 24):<24} {state.time(b['starts']):<16}"
                f"  {_cell(b['location'], 12):<12} {seats:<8} {b['status']}".rstrip()
            )
    click.echo()
    click.echo(_bold("Conversation:"))
    for e in conversation(lead):
        click.echo(
            f"  {state.time(e.when):<16}  {e.direction:<4} #{e.id:<5} {e.label:<13} "
            f"{_cell(e.subject, 50)}".rstrip()
        )
        for detail in e.details:
            click.echo(f"{'':<32}{_cell(detail, 68)}")


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
        _print_json_lines(rows)
    else:
        _print_leads(rows)


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
            _fail(
                f"{lead['email']} opted out: to mail them again, record why with"
                f' inbox-worker leads opt-in {lead["email"]} --reason "..."'
            )
        conflict = status_conflict(lead["email"], status, store.lead_bookings(lead["id"]))
        if conflict:
            _fail(conflict)
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
            _fail(f"{lead['email']} has not opted out")
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
@_delimiter_option
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
            out = stack.enter_context(_csv_stdout())
        else:
            _create_private(output)  # an export is personal data too
            out = stack.enter_context(output.open("w", encoding="utf-8", newline=""))
        step = stack.enter_context(_progress(store.count_leads(filters), "Exporting"))
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
                f"Erase {who}: {_count(len(lead['messages']), 'message')},"
                f" {_count(len(lead['replies']), 'reply', 'replies')},"
                f" {_count(len(lead['bookings']), 'booking')}? This cannot be undone",
                abort=True,
            )
        removed, files = erase_person(state.config, store, lead["id"], datetime.now(UTC))
        store.scrub()
    click.echo(
        f"Erased {lead['email']}: {_count(removed.messages, 'message')},"
        f" {_count(removed.replies, 'reply', 'replies')},"
        f" {_count(removed.bookings, 'booking')}, {_count(removed.events, 'event')}"
        + (f", {_count(files, 'outbox file')}." if files else ".")
    )


# -- replies --------------------------------------------------------------------


@cli.group()
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
        _print_json_lines(rows)
        return
    for row in rows:
        row["created"] = state.time(row["created"])
    _print_table(
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
        click.echo(f"Approved {_count(count, 'reply', 'replies')}.")
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
        click.echo(f"Approved {_count(store.release_held(approvable), 'reply', 'replies')}.")
    for why in refused:
        _error(why)
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
    from inbox_worker.app import build_worker, template_dirs
    from inbox_worker.desk.followup import FollowUpDesk, preview
    from inbox_worker.worker import AlreadyRunning, PassReport, run_lock
    from inbox_worker.writing.render import Renderer

    config = state.config
    now = datetime.now(UTC)
    with state.store() as store:
        store.sync_sessions(config.workshop.title, config.workshop.sessions)
        renderer = Renderer(template_dirs(config), config.organiser.zone)
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
        _fail(
            f"reply #{queued.reply_id} not sent yet ({row['status']}): {row['last_error']};"
            " the next poll tries again"
        )


# -- bookings -------------------------------------------------------------------


@cli.group()
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
    from inbox_worker.app import build_worker, template_dirs
    from inbox_worker.desk.byhand import BookingDesk
    from inbox_worker.worker import AlreadyRunning, PassReport, run_lock
    from inbox_worker.writing.render import Renderer

    config = state.config
    mode = config.replies.mode
    now = datetime.now(UTC)
    with state.store() as store:
        store.sync_sessions(config.workshop.title, config.workshop.sessions)
        renderer = Renderer(template_dirs(config), config.organiser.zone)
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
        _fail(
            f"booking done, but reply #{r['id']} not sent yet ({r['status']}):"
            f" {r['last_error']}; the next poll tries again"
        )
    click.echo(f"Done; sent {_count(len(rows), 'mail')}.")


# -- messages -------------------------------------------------------------------


@cli.group()
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
        _print_json_lines(rows)
        return
    for row in rows:
        row["received"] = state.time(row["received"])
    _print_table(
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
        _count_waiting(store, report)
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
        with _progress(total, "Reprocessing") as step:
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


# -- numbers and retention ------------------------------------------------------


@cli.command()
@click.option("--weeks", type=int, default=12, show_default=True, help="Weeks of inquiries shown.")
@click.option("--json", "as_json", is_flag=True, help="Everything as one JSON object.")
@pass_state
def stats(state: State, weeks: int, as_json: bool) -> None:
    """Inquiries per week, bookings per session, organisation types, reply times.

    Conversion is the share of leads offered a session who booked it; reply
    time runs from the message's arrival to our reply leaving.

    \b
    Example:
        inbox-worker stats
        inbox-worker stats --json | jq .sessions
    """
    from inbox_worker.desk import stats as stats_mod

    with state.store() as store:
        result = stats_mod.build(store.stats_rows())
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False))
        return
    for line in stats_mod.lines(result, weeks=weeks, zone=state.config.organiser.zone):
        click.echo(_bold(line) if line and not line.startswith(" ") and ":" not in line else line)


@cli.command()
@click.option(
    "--older-than", "days", type=click.IntRange(min=1), metavar="DAYS",
    help="Retention period (default: the config's storage.retention_days).",
)  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (for cron).")
@pass_state
def purge(state: State, days: int | None, dry_run: bool, yes: bool) -> None:
    """Remove leads nobody has heard from for DAYS days, and machine mail that old.

    A lead with a booking on a session still to come is never removed. What
    goes is erased as by 'leads erase'; 'stats' keeps an anonymous count.

    \b
    Example (crontab, weekly):
        0 3 * * 0 inbox-worker -q --config /path/config.toml purge --yes
    """
    from datetime import timedelta

    days = days or state.config.storage.retention_days
    if days is None:
        raise click.UsageError("give --older-than DAYS or set storage.retention_days")
    now = datetime.now(UTC)
    cutoff = now - timedelta(days=days)
    with state.store() as store:
        store.sync_sessions(state.config.workshop.title, state.config.workshop.sessions)
        planned = store.purge_preview(cutoff, now)
        what = (
            f"{_count(planned.leads, 'lead')}, {_count(planned.messages, 'message')}"
            f" and {_count(planned.events, 'event')} older than {_count(days, 'day')}"
        )
        if not (planned.leads or planned.messages or planned.events):
            log.info("Nothing to purge: nothing older than %s.", _count(days, "day"))
            return
        if dry_run:
            click.echo(f"Would remove {what}.")
            return
        if not yes:
            click.confirm(f"Remove {what}? This cannot be undone", abort=True)
        removed = store.purge(cutoff, now)
        store.scrub()
    log.info(
        "Purged %s, %s and %s older than %s.",
        _count(removed.leads, "lead"),
        _count(removed.messages, "message"),
        _count(removed.events, "event"),
        _count(days, "day"),
    )


# -- templates --------------------------------------------------------------------


@cli.group()
def templates() -> None:
    """The reply templates: write out the built-in ones to edit."""


@templates.command("copy")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files that are already there.")
def templates_copy(folder: Path, force: bool) -> None:
    """Write the built-in templates into FOLDER (nl/, en/, ...) for editing.

    Point the config at it (replies.templates = "FOLDER"), edit the texts you
    want to change and delete the others: a file in your folder wins over the
    built-in one of the same name, and the ones you leave out keep getting the
    improvements of later versions. 'doctor' names the files in use.

    \b
    Example:
        inbox-worker templates copy my-templates
    """
    import shutil

    from inbox_worker.writing.render import default_template_dir

    builtin = default_template_dir()
    files = sorted(p for p in builtin.rglob("*") if p.is_file() and p.suffix in (".j2", ".md"))
    there = [p.relative_to(builtin) for p in files if (folder / p.relative_to(builtin)).exists()]
    if there and not force:
        _fail(
            f"{folder} already holds {', '.join(p.as_posix() for p in there[:3])}"
            f"{' ...' if len(there) > 3 else ''} (use --force to overwrite)"
        )
    try:
        for source in files:
            target = folder / source.relative_to(builtin)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    except OSError as exc:
        _fail(f"cannot write to {folder}: {exc.strerror or exc}")
    templates_n = sum(1 for p in files if p.suffix == ".j2")
    click.echo(f"Wrote {_count(templates_n, 'template')} from {builtin} to {folder}.")
    click.echo(
        f'Next: set replies.templates = "{folder}" in the config (relative to it), edit the'
        " texts to change, delete the rest; then run 'inbox-worker doctor'."
    )


# -- auth (OAuth2) ----------------------------------------------------------------


@cli.group()
def auth() -> None:
    """OAuth2 sign-in for Microsoft 365 and Gmail (auth = "oauth2" in the config)."""


@auth.command("login")
@pass_state
def auth_login(state: State) -> None:
    """Sign in once; every poll after that refreshes the tokens by itself.

    Microsoft (and providers with a device flow): prints a web address and a
    code; open the address on any device, enter the code and sign in as the
    mailbox user. Works over SSH. Google: prints an address to open; after
    signing in the browser lands on a page that does not load: paste its
    address here.

    \b
    Example:
        inbox-worker --config config.toml auth login
    """
    from inbox_worker.mail.oauth2 import for_config

    tokens = for_config(state.config)
    if tokens.uses_device_flow:
        code = tokens.start_device_login()
        click.echo(f"To sign in, open {code.verification_uri}")
        click.echo(f"and enter the code {code.user_code}")
        click.echo(f"(waiting up to {code.expires_in // 60 or 1} minutes) ...")
        status = tokens.finish_device_login(code)
    else:
        login = tokens.start_code_login()
        click.echo("To sign in, open this address in a browser:")
        click.echo()
        click.echo(login.url)
        click.echo()
        click.echo(
            f"After signing in, the browser goes to {login.redirect_uri}, a page that "
            "will not load. Copy that page's whole address from the address bar."
        )
        pasted = click.prompt("Address", prompt_suffix=": ")
        status = tokens.finish_code_login(login, pasted)
    click.echo(f"Signed in as {status.account}; tokens saved in {status.path}")


@auth.command("status")
@pass_state
def auth_status(state: State) -> None:
    """Show the signed-in account, its scopes and when the refresh token was last used.

    Exits 1 when nobody is signed in.

    \b
    Example:
        inbox-worker --config config.toml auth status
    """
    from inbox_worker.errors import NotSignedIn
    from inbox_worker.mail.oauth2 import for_config

    tokens = for_config(state.config)
    status = tokens.status()
    if status is None:
        raise NotSignedIn(f"OAuth2: {tokens.user} is not signed in; run 'inbox-worker auth login'")
    now = datetime.now(UTC)
    idle = status.idle(now).days
    click.echo(f"{'account:':<26}{status.account}")
    click.echo(f"{'provider:':<26}{status.provider}")
    click.echo(f"{'scopes:':<26}{' '.join(status.scopes)}")
    click.echo(f"{'signed in:':<26}{status.signed_in:%Y-%m-%d %H:%M %Z}")
    click.echo(
        f"{'refresh token last used:':<26}{status.refresh_used:%Y-%m-%d %H:%M %Z}"
        f" ({idle} day{'s' if idle != 1 else ''} ago)"
    )
    if status.access_expires is not None:
        click.echo(f"{'access token expires:':<26}{status.access_expires:%Y-%m-%d %H:%M %Z}")
    click.echo(f"{'token cache:':<26}{status.path}")


@auth.command("logout")
@pass_state
def auth_logout(state: State) -> None:
    """Forget the stored tokens (revoke the app's access at the provider as well).

    \b
    Example:
        inbox-worker --config config.toml auth logout
    """
    from inbox_worker.mail.oauth2 import for_config

    tokens = for_config(state.config)
    if tokens.logout():
        click.echo(f"Signed out: removed {tokens.store.path}")
    else:
        click.echo(f"Not signed in (no {tokens.store.path}).")


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="inbox-worker")


if __name__ == "__main__":
    main()
