"""The numbers behind `inbox-worker stats` (pure): from grouped rows to a report.

`Store.stats_rows()` reads a few rows per section, most of them from tallies
the database keeps; `build()` turns those rows into a Stats value (ISO weeks,
conversion per session, reply times as a median and a 90th percentile) and
`lines()` into the compact table the command prints. Of the reply times the
store reads only those at the ranks `store.stats.reply_ranks()` names.
Leads that were erased or purged are gone from every table, so their
anonymous count is reported on its own line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo
from typing import Any

from .. import clock
from ..store.stats import p90_rank

MACHINE = ("auto_reply", "bounce", "bulk", "spam")


@dataclass(frozen=True)
class SessionConversion:
    session_id: str
    starts: str
    location: str
    capacity: int
    offered: int  # leads who were offered this session
    booked: int  # leads with a confirmed booking on it
    seats: int
    waiting: int
    cancelled: int

    @property
    def conversion(self) -> float | None:
        """Booked leads per lead offered the session; None when it was never offered."""
        return self.booked / self.offered if self.offered else None


@dataclass(frozen=True)
class ReplyTimes:
    sent: int
    median_minutes: float | None
    p90_minutes: float | None


@dataclass(frozen=True)
class Stats:
    weeks: list[tuple[str, int]]  # ("2026-W47", inquiries), every week from first to last
    sessions: list[SessionConversion]
    org_types: list[tuple[str, int, int]]  # (org type, leads, booked)
    reply_times: ReplyTimes
    machine: dict[str, int]  # machine mail ignored, by category
    categories: dict[str, int] = field(default_factory=dict)  # every message, by category
    removed_leads: int = 0  # erased or purged

    def to_json(self) -> dict[str, Any]:
        return {
            "inquiries_per_week": [{"week": w, "inquiries": n} for w, n in self.weeks],
            "sessions": [
                {
                    "session": s.session_id,
                    "starts": s.starts,
                    "location": s.location,
                    "capacity": s.capacity,
                    "offered": s.offered,
                    "booked": s.booked,
                    "seats": s.seats,
                    "waiting": s.waiting,
                    "cancelled": s.cancelled,
                    "conversion": None if s.conversion is None else round(s.conversion, 3),
                }
                for s in self.sessions
            ],
            "org_types": [{"org_type": t, "leads": n, "booked": b} for t, n, b in self.org_types],
            "reply_minutes": {
                "sent": self.reply_times.sent,
                "median": _round(self.reply_times.median_minutes),
                "p90": _round(self.reply_times.p90_minutes),
            },
            "machine_mail_ignored": {"total": sum(self.machine.values()), **self.machine},
            "messages": self.categories,
            "removed_leads": self.removed_leads,
        }


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def build(rows: Mapping[str, Sequence[Any]]) -> Stats:
    """`rows` as Store.stats_rows() reads them: lists of dict rows; replies_sent is
    one row {"n": count}, reply_minutes a row {"rank", "minutes"} per rank in
    store.stats.reply_ranks(count)."""
    return Stats(
        weeks=_weeks(rows["inquiry_days"]),
        sessions=_sessions(rows["sessions"], rows["offered"]),
        org_types=[(r["org_type"], r["leads"], r["booked"]) for r in rows["org_types"]],
        reply_times=_reply_times(
            sum(r["n"] for r in rows["replies_sent"]),
            {r["rank"]: r["minutes"] for r in rows["reply_minutes"]},
        ),
        machine={r["category"]: r["n"] for r in rows["categories"] if r["category"] in MACHINE},
        categories={r["category"]: r["n"] for r in rows["categories"]},
        removed_leads=sum(json.loads(r["detail"]).get("leads", 0) for r in rows["removed"]),
    )


def lines(stats: Stats, *, weeks: int = 12, zone: tzinfo = clock.AMSTERDAM) -> list[str]:
    """The compact table; at most the last `weeks` weeks of inquiries; times in `zone`."""
    out = ["Inquiries per week"]
    shown = stats.weeks[-weeks:] if weeks else stats.weeks
    out += [f"  {w:<10}{n:>5}" for w, n in shown] or ["  (none)"]
    out += ["", f"{'Sessions':<26}{'starts':<16}{'offered':>8}{'booked':>8}{'seats':>7}"
            f"{'waiting':>8}{'conv.':>7}"]  # fmt: skip
    for s in stats.sessions:
        conv = "-" if s.conversion is None else f"{s.conversion:.0%}"
        out.append(
            f"  {_cut(s.session_id, 23):<24}{clock.show(s.starts, zone):<16}"
            f"{s.offered:>8}{s.booked:>8}{s.seats:>7}{s.waiting:>8}{conv:>7}"
        )
    if not stats.sessions:
        out.append("  (none)")
    out += ["", f"{'Organisation types':<26}{'leads':>7}{'booked':>8}"]
    out += [f"  {_cut(t, 23):<24}{n:>7}{b:>8}" for t, n, b in stats.org_types] or ["  (none)"]
    out.append("")
    rt = stats.reply_times
    if rt.sent and rt.median_minutes is not None and rt.p90_minutes is not None:
        out.append(
            f"Reply time: median {_minutes(rt.median_minutes)} from message to reply sent"
            f" (90% within {_minutes(rt.p90_minutes)}; {rt.sent} sent)"
        )
    else:
        out.append("Reply time: no replies sent yet")
    total = sum(stats.machine.values())
    parts = ", ".join(f"{k} {v}" for k, v in sorted(stats.machine.items()))
    out.append(f"Machine mail ignored: {total}" + (f" ({parts})" if parts else ""))
    if stats.removed_leads:
        out.append(f"Leads erased or purged: {stats.removed_leads}")
    return out


def _weeks(days: Sequence[Mapping[str, Any]]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    parsed = [(date.fromisoformat(r["day"]), r["n"]) for r in days if r["day"]]
    for day, n in parsed:
        counts[iso_week(day)] = counts.get(iso_week(day), 0) + n
    if not parsed:
        return []
    # Every week from the first to the last, so a quiet week shows as 0.
    first = min(d for d, _ in parsed)
    last = max(d for d, _ in parsed)
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        weeks.append((iso_week(monday), counts.get(iso_week(monday), 0)))
        monday += timedelta(weeks=1)
    return weeks


def _sessions(
    sessions: Sequence[Mapping[str, Any]], offered: Sequence[Mapping[str, Any]]
) -> list[SessionConversion]:
    offered_by = {r["session_id"]: r["leads"] for r in offered}
    return [
        SessionConversion(
            session_id=r["session_id"],
            starts=r["starts"] or "",
            location=r["location"] or "",
            capacity=r["capacity"] or 0,
            offered=offered_by.get(r["session_id"], 0),
            booked=r["booked"],
            seats=r["seats"],
            waiting=r["waiting"],
            cancelled=r["cancelled"],
        )
        for r in sessions
    ]


def _reply_times(sent: int, minutes_at: Mapping[int, float]) -> ReplyTimes:
    if not sent:
        return ReplyTimes(0, None, None)

    def at(rank: int) -> float:
        # A clock skew between the mail server's INTERNALDATE and ours can make a
        # few replies look sent before their message arrived; count those as 0.
        return max(minutes_at[rank], 0.0)

    median = at(sent // 2) if sent % 2 else (at(sent // 2 - 1) + at(sent // 2)) / 2
    return ReplyTimes(sent, median, at(p90_rank(sent)))


def _minutes(value: float) -> str:
    if value < 90:
        return f"{value:.0f} min"
    if value < 48 * 60:
        return f"{value / 60:.1f} h"
    return f"{value / 1440:.1f} days"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
