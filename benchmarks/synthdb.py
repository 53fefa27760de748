"""A large synthetic database for the CLI and idle-poll benchmarks.

Opened through `inbox_worker.store.Store`, so the schema, indexes, FTS tables
and triggers are exactly what the engine creates; the rows are fake (names
from a seeded generator, a tiny gzip'd raw message shared by all) and go in
with sqlite-utils `insert_all`, which is the fast way in. Each lead gets
messages, one sent reply and one decision event per message, the shape a
real history has.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from inbox_worker.store import Store

CATEGORIES = ["inquiry", "date_choice", "auto_reply", "other", "bulk", "bounce"]
STATUSES = ["new", "offered", "booked", "waitlisted", "needs_attention", "undeliverable"]
FIRST = ["Sanne", "Kees", "Fatima", "Jeroen", "Annelies", "Mohamed", "Eva", "Pieter", "Lotte"]
LAST = ["Bakker", "Jansen", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Dekker"]
ORGS = ["Gemeente Zwolle", "Provincie Gelderland", "Waterschap Rivierenland", "GGD Twente"]
BASE = datetime(2020, 1, 1, tzinfo=UTC)


def lead_email(i: int) -> str:
    return f"lead{i}@org{i % 997}.example.nl"


def build(path: Path, leads: int, messages: int, seed: int = 7) -> dict[str, Any]:
    """Fill a new database at `path`; returns what a benchmark needs to query it."""
    if messages < leads:
        raise ValueError("every lead needs a message: messages >= leads")
    rng = random.Random(seed)
    raw = gzip.compress(b"From: a@b.nl\nSubject: x\n\nhallo\n", compresslevel=1, mtime=0)
    store = Store(path)
    db = store.db
    try:
        with store.transaction():
            db.table("leads").insert_all(_leads(rng, leads), batch_size=2000)
        with store.transaction():
            db.table("messages").insert_all(_messages(rng, leads, messages, raw), batch_size=2000)
        with store.transaction():
            db.table("replies").insert_all(_replies(leads), batch_size=2000)
        with store.transaction():
            db.table("events").insert_all(_events(leads, messages), batch_size=5000)
        db.execute("analyze")
    finally:
        store.close()
    probe = leads // 2
    return {
        "leads": leads,
        "messages": messages,
        "show": lead_email(probe),
        "search": LAST[probe % len(LAST)],
    }


def _leads(rng: random.Random, count: int) -> Iterator[dict[str, Any]]:
    for i in range(1, count + 1):
        when = (BASE + timedelta(minutes=7 * i)).isoformat(timespec="seconds")
        yield {
            "id": i,
            "email": lead_email(i),
            "name": f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}",
            "organisation": rng.choice(ORGS),
            "org_type": "gemeente",
            "participants": rng.randint(1, 5),
            "language": "nl" if rng.random() < 0.8 else "en",
            "status": rng.choice(STATUSES),
            "created": when,
            "updated": when,
            "notes": "",
            "opted_out": 0,
        }


def _messages(rng: random.Random, leads: int, count: int, raw: bytes) -> Iterator[dict[str, Any]]:
    for i in range(1, count + 1):
        lead = (i - 1) % leads + 1
        when = (BASE + timedelta(minutes=i)).isoformat(timespec="seconds")
        category = rng.choice(CATEGORIES)
        yield {
            "id": i,
            "folder": "INBOX",
            # An earlier UIDVALIDITY: the live folder's cursor is set apart from these.
            "uidvalidity": 1,
            "uid": i,
            "message_id": f"<m{i}@org{lead % 997}.example.nl>",
            "from_addr": lead_email(lead),
            "from_name": f"{FIRST[lead % len(FIRST)]} {LAST[lead % len(LAST)]}",
            "subject": f"Vraag over de workshop {i % 50}",
            "date": when,
            "size": 3000,
            "raw": raw,
            "raw_sha256": f"{i:064x}",
            "received": when,
            "text": "Kunnen jullie mij laten weten wanneer de volgende data zijn?",
            "language": "nl",
            "category": category,
            "reasons": json.dumps(["default:no-intent"]),
            "facts": "{}",
            "lead_id": lead,
            "state": "processed",
            "processed": when,
            "attempts": 0,
        }


def _replies(leads: int) -> Iterator[dict[str, Any]]:
    for i in range(1, leads + 1):
        when = (BASE + timedelta(minutes=7 * i + 1)).isoformat(timespec="seconds")
        yield {
            "lead_id": i,
            "in_reply_to": i,  # a message id: build() keeps messages >= leads
            "kind": "inquiry",
            "to_addr": lead_email(i),
            "language": "nl",
            "subject": "Re: Vraag over de workshop",
            "message_id": f"<r{i}@example.org>",
            "body": b"Subject: Re: Vraag\n\nDank voor je bericht.\n",
            "offered": "[]",
            "status": "sent",
            "attempts": 1,
            "created": when,
            "sent": when,
        }


def _events(leads: int, messages: int) -> Iterator[dict[str, Any]]:
    detail = json.dumps({"category": "inquiry", "reasons": [], "notes": []})
    for i in range(1, messages + 1):
        yield {
            "ts": (BASE + timedelta(minutes=i)).isoformat(timespec="seconds"),
            "lead_id": (i - 1) % leads + 1,
            "message_id": i,
            "kind": "decision",
            "detail": detail,
        }


def set_cursor(path: Path, folder: str, uidvalidity: int, last_uid: int) -> None:
    """Point the database at a live folder, as if every message in it had been read."""
    store = Store(path)
    try:
        store.reset_cursor(folder, uidvalidity, datetime.now(UTC))
        store.db.execute("update cursors set last_uid = ? where folder = ?", [last_uid, folder])
        store.db.conn.commit()
    finally:
        store.close()
