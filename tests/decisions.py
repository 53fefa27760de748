"""The labelled workshop mail, decided as a pass would decide it (for tests and benchmarks).

The corpus holds single messages; a pass reads each one against the database:
the reply of ours it answers, the offer the person last saw, what they hold.
This harness stands in for that database with what the message itself shows,
as our own stored replies would say it:

- A message that answers one of our Message-IDs (`inbox-worker.`) answers a
  reply of ours to its sender: of the kind whose text it quotes (inquiry when
  it quotes none), with the numbering of the offer it quotes, else the three
  sessions of SOURCE.md numbered 1-2-3 (every offer in the corpus was).
- A message quoting our confirmation, move, promotion or reminder comes from
  someone who holds a confirmed seat on the session that quote names; a
  quoted waitlist mail, a waitlist place.
- A cancellation with nothing quoted comes from someone the database finds by
  address: they hold a seat on the session they name, else on the first one.

The organiser's settings are those of SOURCE.md, and the organiser's receiving
server is `mail.antwoordvooroverheden.nl` (the authserv-id in the corpus).
Each message is decided at the time it was sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from inbox_worker.deciding.booking import offer
from inbox_worker.deciding.conversation import Ours, Reading, read
from inbox_worker.deciding.workflow import Decision, Situation, decide
from inbox_worker.model import (
    CANCELLED,
    CONFIRMED,
    HOLDS_A_SEAT,
    NEW,
    WAITLISTED,
    Booking,
    Lead,
    Policy,
    SeenReply,
    ThreadRows,
)
from inbox_worker.reading.classify import Category
from inbox_worker.reading.ourwords import quoted_session
from inbox_worker.writing.render import Renderer, default_template_dir
from inbox_worker.writing.variables import OrganiserVars, WorkshopVars
from tests.corpus import AMS, SESSIONS, held_out, labelled

ORGANISER = OrganiserVars("Gertjan Verstoep", "workshops@antwoordvooroverheden.nl", "030 711 28 46")
WORKSHOP = WorkshopVars(
    title="Co-creëren met de samenleving",
    summary=(
        "In één dag verkennen we hoe je als overheid samen met inwoners, ondernemers en "
        "maatschappelijke organisaties tot betere plannen en besluiten komt. Je brengt een "
        "eigen casus mee en gaat naar huis met een concreet plan van aanpak."
    ),
    price="€ 495 per deelnemer (vrijgesteld van btw), inclusief lunch en werkboek",
    duration="één dag, 9.30 - 16.30 uur",
    url="https://www.antwoordvooroverheden.nl/co-creeren",
)
POLICY = Policy(
    our_addresses=frozenset({ORGANISER.email}),
    # The organiser's own organisation (SOURCE.md: "our own info@ colleague",
    # co-trainers), named in [organiser] forwarders as config.example.toml shows.
    forwarders=frozenset({"@antwoordvooroverheden.nl"}),
    authserv_id="mail.antwoordvooroverheden.nl",
)


STANDARD_OFFER = [{"number": i, "session_id": s.id} for i, s in enumerate(SESSIONS, start=1)]
ACTIONS = ("offer", "book", "move", "cancel", "opt_out", "needs_attention", "ignore", "confirm")
AUTOMATIC = frozenset({"offer", "book", "move", "cancel", "opt_out"})


def own_texts() -> Ours:
    return Ours(Renderer([default_template_dir()]).own_texts(WORKSHOP, ORGANISER), POLICY)


@dataclass(frozen=True)
class Outcome:
    path: Path
    label: dict[str, str]
    reading: Reading
    decision: Decision
    action: str

    @property
    def option(self) -> int | None:
        category = self.reading.classification.category
        if category in (Category.DATE_CHOICE, Category.CANCELLATION):
            return self.reading.facts.option
        return None

    @property
    def wrong_action(self) -> bool:
        expected = self.label.get("expected_action", "")
        return bool(expected) and self.action in AUTOMATIC and self.action != expected


def decide_file(path: Path, label: dict[str, str], own: Ours) -> Outcome:
    raw = path.read_bytes()
    holder: dict[str, object] = {}

    def thread(msg):  # type: ignore[no-untyped-def]
        holder["rows"] = rows = _thread_as_stored(msg, own)
        return rows

    from inbox_worker.reading.message import parse

    now = parse(raw).date or datetime(2026, 12, 1, tzinfo=AMS)
    reading = read(thread, raw, SESSIONS, now, own, fallback="config-sessions")
    situation = _situation(reading, now)
    decision = decide(reading.msg, reading.classification, reading.facts, situation, POLICY, now)
    return Outcome(path, label, reading, decision, action_of(decision, situation.bookings))


def outcomes(folders: tuple[str, ...] = ("workshop-dev", "workshop-dev-2")) -> Iterator[Outcome]:
    own = own_texts()
    for folder in folders:
        for path, label in labelled(folder):
            yield decide_file(path, label, own)


def action_of(decision: Decision, held: tuple[Booking, ...] | list[Booking] = ()) -> str:
    """What the decision does, in the vocabulary of LABELS.tsv's expected_action.
    A new booking that gives up a confirmed seat is a move; one that leaves a
    waitlist place for a free seat is a booking."""
    if decision.needs_attention:
        return "needs_attention"
    if decision.opt_out:
        return "opt_out"
    changes = decision.bookings
    if any(c.ref == NEW for c in changes):
        confirmed = {b.ref for b in held if b.status == CONFIRMED}
        confirmed_ids = {b.id for b in held if b.status == CONFIRMED}
        moved = any(c.ref in confirmed and c.status == CANCELLED for c in changes) or any(
            c.replaces in confirmed_ids for c in changes if c.replaces
        )
        return "move" if moved else "book"
    if any(c.status == CANCELLED for c in changes):
        return "cancel"
    kinds = {r.kind for r in decision.replies}
    if "confirm" in kinds:
        return "confirm"
    if "inquiry" in kinds:
        return "offer"
    return "ignore"


# -- the database as the message shows it --------------------------------------------------


def _ours(message_ids: tuple[str | None, ...]) -> bool:
    return any(m and m.startswith("<inbox-worker.") for m in message_ids)


def _thread_as_stored(msg, own: Ours) -> ThreadRows:  # type: ignore[no-untyped-def]
    if not _ours((msg.in_reply_to, *msg.references)):
        return ThreadRows()
    kind = own.quoted_kind(msg.text) or "inquiry"
    offer_seen = SeenReply(1, "inquiry", STANDARD_OFFER, b"")
    return ThreadRows(
        answered_id=2,
        answered_kind=kind,
        answered_to=msg.from_addr,
        seen=(SeenReply(2, kind, [], b""), offer_seen) if kind != "inquiry" else (offer_seen,),
    )


def _situation(reading: Reading, now: datetime) -> Situation:
    conversation = reading.conversation
    kind = conversation.answered_kind or conversation.quoted_kind
    held = _quoted_session(reading)
    status = None
    if kind in HOLDS_A_SEAT:
        status = CONFIRMED
    elif kind == "waitlist":
        status = WAITLISTED
    elif reading.classification.category is Category.CANCELLATION:
        status = CONFIRMED
        named = next((o for o in conversation.offered if o.number == reading.facts.option), None)
        held = held or (named.session_id if named else SESSIONS[0].id)
    bookings: tuple[Booking, ...] = ()
    lead = None
    if status is not None and held:
        lead = Lead(1, reading.msg.from_addr, "booked", False)
        bookings = (Booking(1, 1, held, 1, status, 0, now - timedelta(days=20)),)
    return Situation(
        lead=lead,
        sessions=SESSIONS,
        offered=conversation.offered or offer(SESSIONS, now),
        bookings=bookings,
        conversation=conversation,
    )


def _quoted_session(reading: Reading) -> str:
    """The session named first in the quoted part of the message (our mail)."""
    everything = offer(SESSIONS, datetime(2026, 1, 1, tzinfo=AMS))
    found = quoted_session(reading.msg.text, reading.msg.new_text, everything)
    return found.session_id if found else ""


def summary_lines(results: list[Outcome]) -> list[str]:
    """Accuracy, the expected_action confusion matrix and the wrong actions."""
    lines: list[str] = []
    for name, part in (
        ("workshop-dev", [r for r in results if r.path.parent.name == "workshop-dev"]),
        ("workshop-dev-2 tuning", [r for r in results if _dev2(r) and not held_out(r.path)]),
        ("workshop-dev-2 held-out", [r for r in results if held_out(r.path)]),
        ("all", results),
    ):
        if not part:
            continue
        cat = sum(str(r.reading.classification.category) == r.label["category"] for r in part)
        opt = sum(str(r.option or "") == r.label["option"] for r in part)
        acted = [r for r in part if r.label.get("expected_action")]
        act = sum(r.action == r.label["expected_action"] for r in acted)
        wrong = sum(r.wrong_action for r in part)
        lines.append(
            f"{name:>24}: n={len(part):3}  category {cat / len(part):6.1%}  "
            f"option {opt / len(part):6.1%}  "
            + (f"expected_action {act / len(acted):6.1%}  " if acted else "")
            + f"wrong automatic actions {wrong}"
        )
    acted = [r for r in results if r.label.get("expected_action")]
    lines.append("\nexpected_action (rows) -> decided (columns)")
    lines.append(" " * 16 + " ".join(f"{a[:7]:>7}" for a in ACTIONS))
    for expected in ACTIONS[:-1]:
        counts = [
            sum(r.label["expected_action"] == expected and r.action == a for r in acted)
            for a in ACTIONS
        ]
        lines.append(f"{expected:>15} " + " ".join(f"{c or '.':>7}" for c in counts))
    return lines


def _dev2(r: Outcome) -> bool:
    return r.path.parent.name == "workshop-dev-2"


def describe(r: Outcome, *, hide_held_out: bool = True) -> str:
    if hide_held_out and held_out(r.path):
        return f"{r.path.parent.name}/{r.path.name}: (held out)"
    c = r.reading.classification
    notes = "; ".join(r.decision.notes)[:160]
    return (
        f"{r.path.parent.name}/{r.path.name}: expected {r.label.get('expected_action', '-')}"
        f" got {r.action} | category {r.label['category']} -> {c.category}"
        f" | option {r.label['option'] or '-'} -> {r.option or '-'} | {notes}"
    )
