"""Stranded sessions: taken out of the config while people are booked or waiting on them.

Nobody has told those people yet. Every pass warns about them and `doctor`
fails on them, both with the line `stranded_warning()` writes, which names
the command that tells them (`sessions cancel`). This lives apart from the
desk so that the pass can warn without depending on the organiser's commands;
it imports nothing heavier than the store, keeping cron's idle poll cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ..config import Config
from ..store import Store


@dataclass(frozen=True)
class Stranded:
    session_id: str
    starts: str
    booked: int
    waiting: int


def stranded(store: Store, config: Config, now: datetime) -> list[Stranded]:
    """Upcoming sessions gone from the config with people booked or waiting, not cancelled."""
    rows = store.stranded_sessions([s.id for s in config.workshop.sessions], now)
    return [Stranded(r["id"], r["starts"], r["booked"], r["waiting"]) for r in rows]


def stranded_warning(found: Sequence[Stranded]) -> str:
    """One line naming each stranded session and the command that tells its people."""
    parts = [f"{s.session_id} ({s.booked} booked, {s.waiting} waiting)" for s in found]
    many = len(found) > 1
    return (
        f"session{'s' if many else ''} {', '.join(parts)} removed from the config but"
        f" nobody told: run 'inbox-worker sessions cancel {found[0].session_id}'"
        + (" for each" if many else "")
    )
