"""Numbers and retention: stats counts what the database holds, purge lets the old go."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from inbox_worker.commands.common import State, bold, log, pass_state, plural


@click.command()
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
        click.echo(bold(line) if line and not line.startswith(" ") and ":" not in line else line)


@click.command()
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
            f"{plural(planned.leads, 'lead')}, {plural(planned.messages, 'message')}"
            f" and {plural(planned.events, 'event')} older than {plural(days, 'day')}"
        )
        if not (planned.leads or planned.messages or planned.events):
            log.info("Nothing to purge: nothing older than %s.", plural(days, "day"))
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
        plural(removed.leads, "lead"),
        plural(removed.messages, "message"),
        plural(removed.events, "event"),
        plural(days, "day"),
    )
