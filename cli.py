"""The inbox-worker command line: parse options, call the engine, print.

This is the only module that imports click. Engine errors arrive as
InboxWorkerError subclasses and leave as one line on stderr with exit code 1;
usage errors exit 2 (click's own convention).
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from inbox_worker import clock
from inbox_worker import config as config_mod
from inbox_worker.commands import (
    auth,
    bookings,
    leads,
    messages,
    replies,
    sessions,
    templates,
)
from inbox_worker.commands.common import (
    State,
    _bold,
    _count,
    _count_waiting,
    _create_private,
    _fail,
    _Group,
    _print_leads,
    _progress,
    log,
    pass_state,
    quiet_run,
)
from inbox_worker.errors import InboxWorkerError


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


cli.add_command(sessions.sessions)


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


cli.add_command(leads.leads)
cli.add_command(replies.replies)
cli.add_command(bookings.bookings)
cli.add_command(messages.messages)


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


cli.add_command(templates.templates)
cli.add_command(auth.auth)


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="inbox-worker")


if __name__ == "__main__":
    main()
