"""The inbox-worker command line: parse options, call the engine, print.

This file is the table of contents: the root group with its global options
and logging, then every command in the order a user meets them. The commands
live in inbox_worker/commands/, one module per group; they and this file are
the only modules that import click. Engine errors arrive as InboxWorkerError
subclasses and leave as one line on stderr with exit code 1; usage errors
exit 2 (click's own convention).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from inbox_worker.commands import (
    auth,
    bookings,
    checks,
    leads,
    messages,
    records,
    replies,
    run,
    sessions,
    setup,
    templates,
)
from inbox_worker.commands.common import CommandGroup, State, create_private


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
        create_private(Path(log_file))
        file_handler = logging.FileHandler(log_file, encoding="utf-8")
        file_handler.setFormatter(_FileFormatter("%(asctime)s %(levelname)s %(message)s"))
        root.addHandler(file_handler)


@click.group(cls=CommandGroup)
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


# -- trying it out and setting up -----------------------------------------------
cli.add_command(setup.demo)
cli.add_command(setup.init)
cli.add_command(checks.doctor)
cli.add_command(templates.templates)
cli.add_command(auth.auth)

# -- the pass (cron) ------------------------------------------------------------
cli.add_command(run.poll)
cli.add_command(run.watch)
cli.add_command(run.remind)
cli.add_command(run.digest)

# -- the desk: what the pass found, and acting on it ----------------------------
cli.add_command(checks.classify_cmd)
cli.add_command(leads.leads)
cli.add_command(replies.replies)
cli.add_command(sessions.sessions)
cli.add_command(bookings.bookings)
cli.add_command(messages.messages)

# -- numbers and retention ------------------------------------------------------
cli.add_command(records.stats)
cli.add_command(records.purge)


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="inbox-worker")


if __name__ == "__main__":
    main()
