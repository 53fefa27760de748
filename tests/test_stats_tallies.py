"""The stats tallies (migration m006) against the rows they count.

Triggers keep the stats_* tables in step with messages, replies and leads.
After every kind of change a pass, the desk, erase and purge make, the
tallies must equal a fresh count of the rows, and `stats` must give what the
full-table queries it replaced gave (REFERENCE below, as they were before
m006). A database upgraded from m005 gets the same figures from the backfill.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from inbox_worker.config import SessionConfig
from inbox_worker.desk import stats
from inbox_worker.mail.source import FetchedMessage
from inbox_worker.model import NEW, BookingChange
from inbox_worker.store import SQL_STATS_BOOKINGS, Store, iso
from inbox_worker.store.migrations import migrations
from inbox_worker.store.stats import reply_ranks

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

# What `stats` ran before m006, one full scan each. Organisation types count
# each lead once (the old join counted a lead once per confirmed booking).
REFERENCE = {
    "inquiry_days": """
        select substr(received, 1, 10) as day, count(*) as n
        from messages where category = 'inquiry' group by day order by day""",
    "offered": """
        select json_extract(j.value, '$.session_id') as session_id,
          count(distinct r.lead_id) as leads
        from replies r, json_each(r.offered) j
        where r.status not in ('rejected', 'failed') and r.lead_id is not null
        group by session_id""",
    "sessions": SQL_STATS_BOOKINGS,
    "org_types": """
        select coalesce(nullif(leads.org_type, ''), 'unknown') as org_type,
          count(distinct leads.id) as leads, count(distinct b.lead_id) as booked
        from leads left join bookings b on b.lead_id = leads.id and b.status = 'confirmed'
        group by 1 order by leads desc, org_type""",
    "categories": """
        select coalesce(category, state) as category, count(*) as n
        from messages group by 1 order by 1""",
    "removed": "select kind, detail from events where kind in ('erased', 'purged')",
}
REFERENCE_MINUTES = """
    select r.id, (julianday(r.sent) - julianday(m.received)) * 1440.0 as minutes
    from replies r join messages m on m.id = r.in_reply_to
    where r.status = 'sent' and r.sent is not null"""

# Each tally as a fresh count: (tally query, count query), rows of (key..., n).
TALLIES = {
    "stats_message_days": (
        "select category, day, n from stats_message_days",
        "select coalesce(category, state), substr(received, 1, 10), count(*)"
        " from messages group by 1, 2",
    ),
    "stats_reply_minutes": (
        "select reply_id, minutes from stats_reply_minutes",
        f"select id, minutes from ({REFERENCE_MINUTES}) where minutes is not null",
    ),
    "stats_offered_leads": (
        "select lead_id, session_id, replies from stats_offered_leads",
        "select lead_id, session_id, count(*) from ("
        "  select distinct r.id, r.lead_id, json_extract(j.value, '$.session_id') as session_id"
        "  from replies r, json_each(r.offered) j"
        "  where r.status not in ('rejected', 'failed') and r.lead_id is not null"
        ") where session_id is not null group by 1, 2",
    ),
    "stats_session_offers": (
        "select session_id, leads from stats_session_offers",
        "select session_id, count(distinct lead_id) from ("
        "  select r.lead_id, json_extract(j.value, '$.session_id') as session_id"
        "  from replies r, json_each(r.offered) j"
        "  where r.status not in ('rejected', 'failed') and r.lead_id is not null"
        ") where session_id is not null group by 1",
    ),
    "stats_org_types": (
        "select org_type, leads from stats_org_types",
        "select coalesce(nullif(org_type, ''), 'unknown'), count(*) from leads group by 1",
    ),
}


def rows(conn: sqlite3.Connection, sql: str) -> list[dict[str, Any]]:
    cur = conn.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur]


def reference_stats(conn: sqlite3.Connection) -> dict[str, Any]:
    """`stats --json` computed the old way: every reply time read and sorted."""
    found = {key: rows(conn, sql) for key, sql in REFERENCE.items()}
    minutes = sorted(m for _, m in conn.execute(REFERENCE_MINUTES) if m is not None)
    found["replies_sent"] = [{"n": len(minutes)}]
    found["reply_minutes"] = [
        {"rank": k, "minutes": minutes[k]} for k in reply_ranks(len(minutes))
    ]
    return stats.build(found).to_json()


def check(store: Store) -> None:
    """Every tally equals a fresh count, no count is negative, and stats is as before."""
    conn = store.conn
    for table, (tally, fresh) in TALLIES.items():
        kept = {tuple(r[:-1]): r[-1] for r in conn.execute(tally)}
        if table != "stats_reply_minutes":  # counts, not minutes (which may be < 0)
            assert all(n >= 0 for n in kept.values()), table
        assert {k: n for k, n in kept.items() if n} == {
            tuple(r[:-1]): r[-1] for r in conn.execute(fresh)
        }, table
    assert stats.build(store.stats_rows()).to_json() == reference_stats(conn)


def fetched(n: int, received: datetime) -> FetchedMessage:
    raw = f"From: p{n}@example.nl\r\nMessage-ID: <m{n}@example.nl>\r\n\r\nbody {n}\r\n".encode()
    return FetchedMessage(uid=n, raw=raw, internaldate=received, size=len(raw))


def offered(*sessions: str) -> str:
    return json.dumps([{"number": i, "session_id": s} for i, s in enumerate(sessions, 1)])


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "leads.db") as s:
        yield s


def test_tallies_follow_every_change(store: Store) -> None:
    session = SessionConfig("s1", NOW + timedelta(days=30), NOW + timedelta(days=30), "Zwolle", 9)
    store.sync_sessions("W", [session, session._replace(id="s2"), session._replace(id="s3")])
    check(store)

    # A pass: new mail over three days, classified, leads made.
    batch = [fetched(n, NOW - timedelta(days=n % 3, minutes=n)) for n in range(1, 13)]
    assert store.ingest("INBOX", 1, batch, NOW) == 12
    check(store)
    org_types = ["gemeente", "", None, "provincie", "gemeente"]
    categories = ["inquiry", "inquiry", "auto_reply", "date_choice", None, "bulk", "inquiry"]
    leads = []
    for n in range(1, 11):
        with store.transaction():
            lead = store.upsert_lead(
                f"p{n % 5}@example.nl", {"org_type": org_types[n % 5], "name": f"P {n}"}, NOW
            )
            leads.append(lead)
            store.record_message(
                n,
                {"category": categories[n % 7], "state": "processed", "lead_id": lead,
                 "text": f"hallo {n}", "reasons": "[]", "facts": "{}"},
            )  # fmt: skip
    store.quarantine(11, "boom", NOW)
    check(store)

    # Replies offering sessions, through their states.
    def reply(n: int, lead: int | None, status: str, offer: str | None) -> int:
        return store.queue_reply(
            {"lead_id": lead, "in_reply_to": n, "kind": "inquiry", "to_addr": f"p{n}@example.nl",
             "message_id": f"<r{n}@example.org>", "offered": offer, "status": status,
             "created": iso(NOW)}
        )  # fmt: skip

    r1 = reply(1, leads[0], "pending", offered("s1", "s2"))
    r2 = reply(2, leads[1], "pending", offered("s1", "s1"))  # the same session twice
    r3 = reply(3, leads[2], "held", offered("s2"))
    r4 = reply(4, leads[3], "pending", offered("s3"))
    r5 = reply(5, None, "pending", offered("s1"))  # no lead: not counted
    r6 = reply(6, leads[5], "pending", "[]")
    r7 = reply(7, leads[6], "held", None)
    r8 = reply(8, leads[0], "pending", offered("s1"))  # the lead offered s1 twice
    check(store)
    store.set_reply(r1, status="sending", attempts=1)
    store.set_reply(r1, status="sent", sent=iso(NOW + timedelta(minutes=5)))
    store.set_reply(r2, status="sent", sent=iso(NOW - timedelta(days=4)))  # clock skew: < 0
    store.set_reply(r4, status="failed", last_error="550")
    store.set_reply(r5, status="sent", sent=iso(NOW + timedelta(hours=2)))
    store.set_reply(r6, status="sent", sent="not a date")
    store.set_reply(r8, status="sent", sent=iso(NOW + timedelta(days=1)))
    check(store)
    store.reject_replies([r3], NOW)
    store.release_held([r7])
    store.set_reply(r4, status="pending")  # retried after a failure: counts again
    store.set_reply(r8, status="sent", sent=iso(NOW + timedelta(days=2)))  # resent later
    store.set_reply(r1, offered=offered("s3"), lead_id=leads[3])
    check(store)
    store.set_reply(r6, lead_id=leads[4], offered=offered("s2"))
    store.set_reply(r8, lead_id=leads[4])  # only the lead changes
    store.conn.execute("update replies set sent = ? where id = ?", [iso(NOW), r5])
    store.conn.execute("update replies set in_reply_to = 9 where id = ?", [r8])
    check(store)
    store.withdraw_queued(leads[3], "p4@example.nl", "opted out", NOW)
    check(store)

    # Reprocessing and retries change categories and states.
    store.reclassify(1, {"category": "bulk", "reasons": "[]"}, "inquiry", NOW)
    store.reclassify(2, {"category": None, "reasons": "[]"}, "inquiry", NOW)
    store.requeue([11], state="quarantined")
    store.requeue(None, state="processed")
    check(store)

    # Leads: identity filled in once, and changed by hand.
    store.upsert_lead("p2@example.nl", {"org_type": "waterschap"}, NOW)
    store.conn.execute("update leads set org_type = '' where email = 'p4@example.nl'")
    check(store)

    # Bookings: a lead with two confirmed bookings is one booked lead.
    for sid in ("s1", "s2"):
        store.apply_booking_change(BookingChange(NEW, "confirmed", sid, 2), leads[1], NOW)
    store.apply_booking_change(BookingChange(NEW, "waitlisted", "s1", 1), leads[2], NOW)
    check(store)
    org_types_now = stats.build(store.stats_rows()).to_json()["org_types"]
    assert {"org_type": "waterschap", "leads": 1, "booked": 1} in org_types_now

    # Time moves: every message a day older (as tests/test_desk.py's age() does).
    store.conn.execute("update messages set received = datetime(received, '-1 day')")
    check(store)

    store.erase_lead(leads[1], NOW)
    check(store)
    store.conn.execute(
        "update leads set updated = ? where id = ?", [iso(NOW - timedelta(days=400)), leads[0]]
    )
    store.conn.execute(
        "update messages set received = ? where lead_id is null or lead_id = ?",
        [iso(NOW - timedelta(days=400)), leads[0]],
    )
    store.conn.execute("update replies set created = ? where 1", [iso(NOW - timedelta(days=400))])
    removed = store.purge(NOW - timedelta(days=365), NOW)
    assert removed.leads == 1 and removed.messages >= 3
    check(store)

    # Rows removed behind the store's back (foreign keys off) are counted out too.
    store.conn.execute("PRAGMA foreign_keys = OFF")
    answered = "select in_reply_to from replies where status = 'sent' and in_reply_to > 0"
    assert store.conn.execute(answered).fetchall()
    store.conn.execute(f"delete from messages where id = ({answered} limit 1)")
    store.conn.execute("delete from replies where id = (select max(id) from replies)")
    store.conn.execute("delete from leads where id = (select max(id) from leads)")
    check(store)


def test_a_reply_whose_offer_cannot_be_read_is_stored_and_offers_nothing(store: Store) -> None:
    lead = store.upsert_lead("p@example.nl", {}, NOW)
    for n, offer in enumerate(['{"not": "closed"', '["s1", 5]', '[{"number": 1}]', "7"]):
        store.queue_reply(
            {"lead_id": lead, "kind": "inquiry", "to_addr": "p@example.nl", "offered": offer,
             "message_id": f"<r{n}@example.org>", "status": "pending", "created": iso(NOW)}
        )  # fmt: skip
    assert store.conn.execute("select count(*) from replies").fetchone()[0] == 4
    assert store.stats_rows()["offered"] == []


def test_stats_reads_one_snapshot_inside_a_transaction_too(store: Store) -> None:
    store.ingest("INBOX", 1, [fetched(1, NOW)], NOW)
    with store.transaction():
        store.record_message(1, {"category": "inquiry", "state": "processed"})
        # Uncommitted, but this connection's own: it sees them.
        assert store.stats_rows()["categories"] == [{"category": "inquiry", "n": 1}]
    assert not store.conn.in_transaction


def fill_before_m006(conn: sqlite3.Connection, rng: random.Random) -> None:
    """A history as m005 left it: leads, messages, replies, bookings, removals."""
    conn.execute(
        "insert into sessions (id, title, starts, ends, location, capacity) values"
        " ('s1', 'W', '2027-01-12T09:30:00+01:00', '2027-01-12T16:00:00+01:00', 'Utrecht', 16),"
        " ('s2', 'W', '2027-02-09T09:30:00+01:00', '2027-02-09T16:00:00+01:00', 'Zwolle', 16)"
    )
    for lead in range(1, 41):
        conn.execute(
            "insert into leads (id, email, org_type, status, created, updated, opted_out)"
            " values (?, ?, ?, 'new', ?, ?, 0)",
            [lead, f"p{lead}@example.nl", rng.choice(["gemeente", "provincie", "", None]),
             iso(NOW), iso(NOW)],
        )  # fmt: skip
    for n in range(1, 201):
        received = NOW - timedelta(days=rng.randrange(60), minutes=rng.randrange(1440))
        conn.execute(
            "insert into messages (id, folder, uidvalidity, uid, raw, raw_sha256, received,"
            " category, state, lead_id) values (?, 'INBOX', 1, ?, x'00', ?, ?, ?, ?, ?)",
            [n, n, f"{n:064x}", iso(received),
             rng.choice(["inquiry", "inquiry", "auto_reply", "bounce", "other", None]),
             rng.choice(["processed", "processed", "new", "quarantined"]),
             rng.choice([None, *range(1, 41)])],
        )  # fmt: skip
    for n in range(1, 121):
        status = rng.choice(["sent", "sent", "sent", "pending", "failed", "rejected", "held"])
        sent = iso(NOW + timedelta(minutes=rng.randrange(-600, 6000))) if status == "sent" else None
        sessions = rng.sample(["s1", "s2", "s9"], rng.randrange(4))
        conn.execute(
            "insert into replies (lead_id, in_reply_to, kind, to_addr, message_id, offered,"
            " status, created, sent) values (?, ?, 'inquiry', 'x@example.nl', ?, ?, ?, ?, ?)",
            [rng.choice([None, *range(1, 41)]), rng.choice([None, *range(1, 201)]),
             f"<r{n}@example.org>", offered(*sessions), status, iso(NOW), sent],
        )  # fmt: skip
    for lead in range(1, 41, 3):
        conn.execute(
            "insert into bookings (lead_id, session_id, seats, status, created, updated)"
            " values (?, ?, 1, ?, ?, ?)",
            [lead, rng.choice(["s1", "s2"]), rng.choice(["confirmed", "waitlisted", "cancelled"]),
             iso(NOW), iso(NOW)],
        )  # fmt: skip
    for kind, leads in (("erased", 1), ("purged", 4), ("decision", 0)):
        conn.execute(
            "insert into events (ts, kind, detail) values (?, ?, ?)",
            [iso(NOW), kind, json.dumps({"leads": leads})],
        )
    conn.commit()


def test_an_upgraded_database_gets_the_same_figures(tmp_path: Path) -> None:
    path = tmp_path / "leads.db"
    db = Database(path)
    migrations.apply(db, stop_before="m006_stats_tallies")
    fill_before_m006(db.conn, random.Random(6))
    before = reference_stats(db.conn)
    db.close()
    assert before["reply_minutes"]["sent"] > 20 and before["removed_leads"] == 5

    with Store(path) as store:
        applied = [r[0] for r in store.conn.execute("select name from _sqlite_migrations")]
        assert "m006_stats_tallies" in applied
        assert stats.build(store.stats_rows()).to_json() == before
        check(store)
