"""What every command shares, defined once: the context object, errors, output.

The State the root group puts on the click context, engine errors turned into
one line and exit 1, the choices and options more than one group offers, and
the formatters every listing prints with. Like the rest of this package it
imports the engine inside the functions that use it, beyond the light clock,
config and errors: cron's idle poll imports little.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click

from inbox_worker import clock
from inbox_worker import config as config_mod
from inbox_worker.errors import ConfigError, InboxWorkerError

log = logging.getLogger("inbox_worker")


# -- the context object ---------------------------------------------------------


class State:
    """What the group callback knows; commands load the config only when they need it."""

    def __init__(self, config_path: str | None) -> None:
        import os

        self.config_path = config_mod.find_config_path(config_path)
        self._config: config_mod.Config | None = None
        # Where the path came from, for the error when there is nothing there.
        self._config_from = (
            "--config" if config_path
            else config_mod.ENV_VAR if os.environ.get(config_mod.ENV_VAR)
            else None
        )  # fmt: skip

    @property
    def config(self) -> config_mod.Config:
        if self._config is None:
            if not self.config_path.exists():
                raise ConfigError(self._no_config())
            self._config = config_mod.load(self.config_path)
        return self._config

    def _no_config(self) -> str:
        # Run from another folder, 'init' here would start a second, empty
        # database that answers everyone again: point to the existing one first.
        where = self.config_path.absolute()
        if self._config_from:
            return f"{where}: config file not found (given by {self._config_from})"
        return (
            f"no config.toml in {where.parent} (the current folder): name yours with"
            f" --config PATH or INBOX_WORKER_CONFIG=PATH; 'inbox-worker init' makes a new"
            " one here, with a new, empty database"
        )

    def time(self, ts: datetime | str | None) -> str:
        """Any time as every command prints it: "2027-04-13 10:30" in the organiser's zone."""
        return clock.show(ts, self.config.organiser.zone)

    def store(self) -> Any:
        from inbox_worker.app import open_store

        return open_store(self.config)


pass_state = click.make_pass_decorator(State)


# -- errors to exit codes -------------------------------------------------------


def show_error(message: str) -> None:
    # click.echo drops the colour when stderr is not a terminal (cron, pipes, tests).
    click.echo(click.style("Error:", fg="red", bold=True) + f" {message}", err=True)


def fail(message: str) -> NoReturn:
    show_error(message)
    sys.exit(1)


class CommandGroup(click.Group):
    """Turns engine errors into one line and exit 1, wherever they are raised."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InboxWorkerError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)


# -- files the owner alone reads ------------------------------------------------


def create_private(path: Path) -> None:
    """Create `path` readable and writable by its owner only, unless it exists."""
    import os

    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise click.FileError(str(path), exc.strerror or str(exc)) from exc


# -- choices and options more than one group offers -----------------------------


# Kept here as literals so that building the command tree imports no engine
# module; tests/test_desk_units.py checks them against the engine's own lists.
LEAD_STATUSES = (
    "new", "offered", "booked", "waitlisted", "cancelled", "needs_attention",
    "unsubscribed", "undeliverable", "closed",
)  # fmt: skip
CATEGORIES = (
    "bounce", "auto_reply", "bulk", "spam", "unsubscribe", "cancellation",
    "date_choice", "inquiry", "other",
)  # fmt: skip
DATE = click.DateTime(formats=["%Y-%m-%d"])


def delimiter_option(func: Any) -> Any:
    return click.option(
        "--delimiter",
        type=click.Choice([",", ";", "tab"]),
        default=",",
        show_default=True,
        help="CSV field separator (';' for Excel with Dutch settings).",
    )(func)


@contextlib.contextmanager
def csv_stdout() -> Iterator[Any]:
    """Standard output as text for the CSV writer: UTF-8, the writer's own CRLF."""
    import io

    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    try:
        yield out
    finally:
        out.detach()  # flushes, and leaves stdout itself open


# -- what a pass's summary counts -----------------------------------------------


def count_waiting(store: Any, report: Any) -> None:
    """The summary names what waits for a person: one count over the status index."""
    from inbox_worker.store import LeadFilter

    report.needs_you = store.count_leads(LeadFilter(status="needs_attention"))


# -- output ---------------------------------------------------------------------


def print_json_lines(rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        clean = {k: v for k, v in row.items() if not isinstance(v, bytes)}
        click.echo(json.dumps(clean, ensure_ascii=False, default=str))


def table_cell(value: Any, width: int) -> str:
    """A table cell: one line, control characters from mail shown escaped, cut to width."""
    from inbox_worker.desk.followup import printable

    text = "" if value is None else printable(" ".join(str(value).split()))
    return text if len(text) <= width else text[: width - 1] + "…"


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, int]]) -> None:
    if not rows:
        click.echo("(none)")
        return
    click.echo(bold("  ".join(f"{name:<{width}}" for name, width in columns).rstrip()))
    for row in rows:
        click.echo("  ".join(f"{table_cell(row.get(n), w):<{w}}" for n, w in columns).rstrip())


def print_leads(rows: Sequence[dict[str, Any]]) -> None:
    # 99 columns: fits a 100-column terminal with the cursor's column to spare.
    print_table(
        rows,
        [("id", 5), ("email", 38), ("name", 16), ("organisation", 17), ("status", 15)],
    )


def bold(text: str) -> str:
    """Bold on a terminal; click.echo strips the escape codes anywhere else."""
    return click.style(text, bold=True)


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


@contextlib.contextmanager
def progress_bar(length: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal for long work; nothing at all under cron or in a pipe."""
    if length < 50 or not sys.stderr.isatty():
        yield lambda n: None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


def quiet_run() -> bool:
    """-q given: cron's way of saying print nothing unless something is wrong."""
    return logging.getLogger("inbox_worker").level >= logging.WARNING
