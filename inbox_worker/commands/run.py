"""The pass, as cron runs it: poll, watch, remind, digest."""

from __future__ import annotations

import signal
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import click

from inbox_worker import clock
from inbox_worker.commands.common import (
    State,
    count_waiting,
    log,
    pass_state,
    plural,
    progress_bar,
    quiet_run,
)
from inbox_worker.errors import InboxWorkerError


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


@click.command()
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
    from inbox_worker.run.guard import AlreadyRunning

    mode = _mode(dry_run, hold)
    with state.store() as store:
        worker = build_worker(state.config, store, mode=mode)
        if not quiet_run():
            worker.progress = progress_bar  # a first poll of a large mailbox takes a while
        try:
            report = worker.run_once()
        except AlreadyRunning as exc:
            log.info("%s; this pass stops here", exc)
            return
        count_waiting(store, report)
    _print_preview(report.preview)
    log.info("%s", report.summary())
    if not report.ok:
        sys.exit(1)


@click.command()
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
    from inbox_worker.run.guard import AlreadyRunning

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
                count_waiting(store, report)
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


@click.command()
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
    from inbox_worker.run.guard import AlreadyRunning

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


@click.command()
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
    from inbox_worker.app import renderer_for, transport_factory
    from inbox_worker.desk.followup import prepare_digest, preview, send_digest

    config = state.config
    now = datetime.now(UTC)
    with state.store() as store:
        renderer = renderer_for(config)
        prepared = prepare_digest(config, store, renderer, now)
        if prepared is None:
            log.info("Nothing new needs you: no digest sent.")
            return
        if dry_run:
            click.echo(preview(prepared.message.as_bytes()), nl=False)
            return
        send_digest(prepared, transport_factory(config)(), store, now)
    log.info("Digest sent to %s: %s.", config.organiser.email, plural(len(prepared.items), "item"))
