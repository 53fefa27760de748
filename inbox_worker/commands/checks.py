"""Asking without changing anything: doctor checks the setup, classify the rules."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from inbox_worker.commands.common import State, fail, pass_state


@click.command()
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


@click.command("classify")
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
                fail(f"{name}: {exc}")
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
