"""All SQLite reads and writes, named by intent.

Opening a Store applies pending migrations, turns on WAL (so the organiser's
CLI can read while a poll writes) and creates the file readable by its owner
only: it holds other people's mail. Multi-step writes go through
`transaction()`; the worker relies on that to store a batch together with the
advanced cursor, and a decision together with the replies it queues.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .booking import NEW, Booking, BookingChange, SessionSeats
from .config import SessionConfig
from .errors import NotFound
from .migrations import migrations
from .source import FetchedMessage
from .workflow import Lead, PriorReply

BUSY_TIMEOUT_SECONDS = 30
IDENTITY_FIELDS = frozenset({"name", "organisation", "org_type", "phone"})

SQL_SEATS_TAKEN = """
select session_id, coalesce(sum(seats), 0) as taken
from bookings where status = 'confirmed' group by session_id
"""

SQL_THREAD_REPLY = """
select lead_id, offered from replies
where message_id in ({placeholders}) and lead_id is not null
order by id desc limit 1
"""

SQL_BOOKINGS = """
select b.*, l.email as lead_email, coalesce(l.name, '') as lead_name,
  coalesce(l.language, '') as lead_language, l.opted_out as lead_opted_out
from bookings b join leads l on l.id = b.lead_id
"""

SQL_SESSIONS_OVERVIEW = """
select s.id, s.starts, s.location, s.capacity, s.removed,
  coalesce(sum(case when b.status = 'confirmed' then b.seats end), 0) as taken,
  coalesce(sum(case when b.status = 'waitlisted' then b.seats end), 0) as waiting
from sessions s left join bookings b on b.session_id = s.id
group by s.id order by s.starts
"""

SQL_DUE_REPLIES = """
select * from replies
where status = 'pending' and (next_attempt_at is null or next_attempt_at <= ?)
order by id
"""

SQL_LEADS = """
select leads.*,
  (select count(*) from messages where messages.lead_id = leads.id) as messages,
  (select count(*) from replies where replies.lead_id = leads.id and replies.status = 'sent')
    as replies_sent
from leads {where} order by leads.created desc, leads.id desc {limit}
"""


@dataclass(frozen=True)
class Cursor:
    folder: str
    uidvalidity: int
    last_uid: int


def iso(ts: datetime) -> str:
    return ts.isoformat(timespec="seconds")


def compress(raw: bytes) -> bytes:
    # Level 1: mail compresses ~3x even at the fastest level, and ingest is hot.
    return gzip.compress(raw, compresslevel=1, mtime=0)


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # Create it 0600 before SQLite does; SQLite gives the -wal and -shm
            # files the same mode as the database.
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS)
        self.db = Database(conn)
        self.db.execute("PRAGMA foreign_keys = ON")
        if self.db.journal_mode != "wal":
            self.db.enable_wal()
        migrations.apply(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self.db.atomic():
            yield

    # -- ingest -----------------------------------------------------------

    def cursor(self, folder: str) -> Cursor | None:
        rows = list(self.db.query("select * from cursors where folder = ?", [folder]))
        if not rows:
            return None
        return Cursor(rows[0]["folder"], rows[0]["uidvalidity"], rows[0]["last_uid"])

    def reset_cursor(self, folder: str, uidvalidity: int, now: datetime) -> None:
        """A new UIDVALIDITY: every UID we knew is void; read the folder again."""
        self.db.table("cursors").upsert(
            {"folder": folder, "uidvalidity": uidvalidity, "last_uid": 0, "updated": iso(now)},
            pk="folder",
        )

    def ingest(
        self,
        folder: str,
        uidvalidity: int,
        batch: Sequence[FetchedMessage],
        now: datetime,
        *,
        dedupe: bool = False,
    ) -> int:
        """Store a fetched batch and advance the cursor past it, atomically.

        With `dedupe` (after a UIDVALIDITY change) a message already stored
        under another UID, recognised by Message-ID or else by its bytes, is
        skipped so it is never processed twice. Returns how many were new.
        """
        if not batch:
            return 0
        rows = []
        for m in batch:
            sha = hashlib.sha256(m.raw).hexdigest()
            message_id = _header_message_id(m.raw)
            if dedupe and self._seen(message_id, sha):
                continue
            rows.append(
                {
                    "folder": folder,
                    "uidvalidity": uidvalidity,
                    "uid": m.uid,
                    "message_id": message_id,
                    "size": m.size,
                    "raw": compress(m.raw),
                    "raw_sha256": sha,
                    "received": iso(m.internaldate or now),
                    "state": "new",
                }
            )
        with self.transaction():
            before = self.db.table("messages").count
            self.db.table("messages").insert_all(rows, ignore=True)
            new = self.db.table("messages").count - before
            self.db.table("cursors").upsert(
                {
                    "folder": folder,
                    "uidvalidity": uidvalidity,
                    "last_uid": max(m.uid for m in batch),
                    "updated": iso(now),
                },
                pk="folder",
            )
        return new

    def _seen(self, message_id: str | None, sha: str) -> bool:
        if message_id:
            sql, args = "select 1 from messages where message_id = ? limit 1", [message_id]
        else:
            sql, args = "select 1 from messages where raw_sha256 = ? limit 1", [sha]
        return bool(list(self.db.query(sql, args)))

    # -- processing -------------------------------------------------------

    def unprocessed(self, limit: int = 500) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "select id, raw from messages where state = 'new' order by id limit ?", [limit]
            )
        )

    @staticmethod
    def decompress(stored: bytes) -> bytes:
        return gzip.decompress(stored)

    def has_other_uidvalidity(self, folder: str, uidvalidity: int) -> bool:
        """Messages stored under an earlier UIDVALIDITY: new ones may be old ones renumbered."""
        sql = "select 1 from messages where folder = ? and uidvalidity != ? limit 1"
        return bool(list(self.db.query(sql, [folder, uidvalidity])))

    def raw_message(self, message_id: int) -> bytes:
        rows = list(self.db.query("select raw from messages where id = ?", [message_id]))
        if not rows:
            raise NotFound(f"no message with id {message_id}")
        return gzip.decompress(rows[0]["raw"])

    def record_message(self, message_id: int, fields: dict[str, Any]) -> None:
        self.db.table("messages").update(message_id, fields)

    def quarantine(self, message_id: int, error: str, now: datetime) -> None:
        self.db.execute(
            "update messages set state = 'quarantined', error = ?, processed = ?,"
            " attempts = attempts + 1 where id = ?",
            [error, iso(now), message_id],
        )

    def requeue(self, message_ids: Sequence[int] | None = None, *, state: str) -> int:
        """Put messages back to 'new' so the next pass processes them again."""
        where = "state = ?"
        args: list[Any] = [state]
        if message_ids:
            where += f" and id in ({', '.join('?' for _ in message_ids)})"
            args.extend(message_ids)
        cur = self.db.execute(
            f"update messages set state = 'new', error = null where {where}", args
        )
        return cur.rowcount

    def lead(self, email: str) -> Lead | None:
        rows = list(self.db.query("select * from leads where email = ?", [email.lower()]))
        return _lead(rows[0]) if rows else None

    def lead_by_id(self, lead_id: int) -> Lead | None:
        rows = list(self.db.query("select * from leads where id = ?", [lead_id]))
        return _lead(rows[0]) if rows else None

    def thread_reply(self, message_ids: Sequence[str]) -> tuple[int, list[dict[str, Any]]] | None:
        """The lead and the options of our latest reply that this message answers."""
        ids = [m for m in message_ids if m]
        if not ids:
            return None
        sql = SQL_THREAD_REPLY.format(placeholders=", ".join("?" for _ in ids))
        rows = list(self.db.query(sql, ids))
        if not rows:
            return None
        return rows[0]["lead_id"], json.loads(rows[0]["offered"] or "[]")

    def prior_replies(self, to_addr: str) -> list[PriorReply]:
        return [
            PriorReply(
                r["kind"], datetime.fromisoformat(r["created"]), r["status"], r["booking_id"]
            )
            for r in self.db.query(
                "select kind, created, status, booking_id from replies where to_addr = ?"
                " order by id",
                [to_addr.lower()],
            )
        ]

    def upsert_lead(self, email: str, changes: dict[str, Any], now: datetime) -> int:
        """Create the lead or add what we learned.

        Who the person is (name, organisation, phone) is filled in once and not
        overwritten: a colleague writing in the same thread must not rename
        the lead. Status, language and head count follow the latest message.
        """
        email = email.lower()
        existing = list(self.db.query("select * from leads where email = ?", [email]))
        values = {k: v for k, v in changes.items() if v not in (None, "")}
        if existing:
            lead_id: int = existing[0]["id"]
            values = {
                k: v
                for k, v in values.items()
                if k not in IDENTITY_FIELDS or existing[0][k] in (None, "")
            }
            if values:
                self.db.table("leads").update(lead_id, {**values, "updated": iso(now)})
            return lead_id
        row = {
            "email": email,
            "status": "new",
            "opted_out": 0,
            "notes": "",
            "created": iso(now),
            "updated": iso(now),
            **values,
        }
        return _pk(self.db.table("leads").insert(row).last_pk)

    def set_lead_status(self, lead_id: int, status: str, now: datetime) -> None:
        self.db.table("leads").update(lead_id, {"status": status, "updated": iso(now)})

    def mark_undeliverable(self, email: str, now: datetime) -> int | None:
        lead = self.lead(email)
        if lead is None:
            return None
        self.set_lead_status(lead.id, "undeliverable", now)
        return lead.id

    def log_event(
        self,
        kind: str,
        detail: dict[str, Any],
        now: datetime,
        *,
        lead_id: int | None = None,
        message_id: int | None = None,
    ) -> None:
        self.db.table("events").insert(
            {
                "ts": iso(now),
                "lead_id": lead_id,
                "message_id": message_id,
                "kind": kind,
                "detail": json.dumps(detail, ensure_ascii=False, default=str),
            }
        )

    # -- sessions ---------------------------------------------------------

    def sync_sessions(self, title: str, sessions: Sequence[SessionConfig]) -> None:
        """Keep the sessions table in step with the config.

        A session dropped from the config is flagged `removed`, never deleted:
        its bookings must stay readable.
        """
        with self.transaction():
            ids = [s.id for s in sessions]
            for s in sessions:
                self.db.table("sessions").upsert(
                    {
                        "id": s.id,
                        "title": title,
                        "starts": iso(s.starts),
                        "ends": iso(s.ends),
                        "location": s.location,
                        "capacity": s.capacity,
                        "removed": 0,
                    },
                    pk="id",
                )
            marks = ", ".join("?" for _ in ids) or "''"
            self.db.execute(f"update sessions set removed = 1 where id not in ({marks})", ids)

    def session_seats(self) -> list[SessionSeats]:
        """The sessions in the config, with seats taken."""
        return self._sessions("where removed = 0")

    def all_sessions(self) -> list[SessionSeats]:
        """Removed ones too: a booking's session must stay readable."""
        return self._sessions("")

    def _sessions(self, where: str) -> list[SessionSeats]:
        taken = {r["session_id"]: r["taken"] for r in self.db.query(SQL_SEATS_TAKEN)}
        return [
            SessionSeats(
                id=r["id"],
                starts=datetime.fromisoformat(r["starts"]),
                ends=datetime.fromisoformat(r["ends"]),
                location=r["location"],
                capacity=r["capacity"],
                seats_taken=taken.get(r["id"], 0),
            )
            for r in self.db.query(f"select * from sessions {where} order by starts")
        ]

    # -- bookings ---------------------------------------------------------

    def lead_bookings(self, lead_id: int) -> list[Booking]:
        return [
            _booking(r) for r in self.db.query(SQL_BOOKINGS + " where b.lead_id = ?", [lead_id])
        ]

    def waitlists(self) -> dict[str, list[Booking]]:
        """Waitlisted bookings per session, in the order they asked."""
        out: dict[str, list[Booking]] = {}
        sql = SQL_BOOKINGS + " where b.status = 'waitlisted' order by b.created, b.id"
        for r in self.db.query(sql):
            out.setdefault(r["session_id"], []).append(_booking(r))
        return out

    def booking(self, booking_id: int) -> Booking:
        rows = list(self.db.query(SQL_BOOKINGS + " where b.id = ?", [booking_id]))
        if not rows:
            raise NotFound(f"no booking with id {booking_id}")
        return _booking(rows[0])

    def apply_booking_change(
        self, change: BookingChange, lead_id: int | None, now: datetime
    ) -> int:
        """Store one change; returns the booking's id.

        A cancellation raises ics_sequence so the CANCEL sent for it supersedes
        the invitation the person holds (RFC 5546 §2.1.4).
        """
        if change.ref == NEW:
            assert lead_id is not None
            row = {
                "lead_id": lead_id,
                "session_id": change.session_id,
                "seats": change.seats,
                "status": change.status,
                "replaces": change.replaces,
                "ics_sequence": 0,
                "created": iso(now),
                "updated": iso(now),
            }
            return _pk(self.db.table("bookings").insert(row).last_pk)
        booking_id = int(change.ref.removeprefix("b"))
        bump = 1 if change.status == "cancelled" else 0
        self.db.execute(
            "update bookings set status = ?, updated = ?, ics_sequence = ics_sequence + ?"
            " where id = ? and status != ?",
            [change.status, iso(now), bump, booking_id, change.status],
        )
        return booking_id

    def confirmed_bookings(self) -> list[Booking]:
        sql = SQL_BOOKINGS + " where b.status = 'confirmed' order by b.id"
        return [_booking(r) for r in self.db.query(sql)]

    def reminded_bookings(self) -> set[int]:
        sql = "select booking_id from replies where kind = 'reminder' and booking_id is not null"
        return {r["booking_id"] for r in self.db.query(sql)}

    def attendees(self, session_id: str) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "select leads.email, leads.name, leads.organisation, leads.org_type,"
                " leads.phone, bookings.seats, bookings.status, bookings.created"
                " from bookings join leads on leads.id = bookings.lead_id"
                " where bookings.session_id = ? and bookings.status != 'cancelled'"
                " order by bookings.status, bookings.created, bookings.id",
                [session_id],
            )
        )

    def sessions_overview(self) -> list[dict[str, Any]]:
        return list(self.db.query(SQL_SESSIONS_OVERVIEW))

    # -- replies ----------------------------------------------------------

    def queue_reply(self, row: dict[str, Any]) -> int:
        return _pk(self.db.table("replies").insert(row).last_pk)

    def due_replies(self, now: datetime) -> list[dict[str, Any]]:
        return list(self.db.query(SQL_DUE_REPLIES, [iso(now)]))

    def replies_in_state(self, status: str) -> list[dict[str, Any]]:
        return list(self.db.query("select * from replies where status = ? order by id", [status]))

    def set_reply(self, reply_id: int, **fields: Any) -> None:
        self.db.table("replies").update(reply_id, fields)

    def replies(self, *, status: str | None = None) -> list[dict[str, Any]]:
        where, args = ("where status = ?", [status]) if status else ("", [])
        return list(self.db.query(f"select * from replies {where} order by id", args))

    def release_held(self, reply_ids: Sequence[int] | None) -> int:
        """Held replies become pending; the next pass sends them. None: all held."""
        sql = "update replies set status = 'pending' where status = 'held'"
        args: list[Any] = []
        if reply_ids is not None:
            self._require_replies(reply_ids)
            sql += f" and id in ({', '.join('?' for _ in reply_ids)})"
            args = list(reply_ids)
        with self.transaction():
            return self.db.execute(sql, args).rowcount

    def reject_replies(self, reply_ids: Sequence[int], now: datetime) -> int:
        self._require_replies(reply_ids)
        marks = ", ".join("?" for _ in reply_ids)
        with self.transaction():
            count = self.db.execute(
                "update replies set status = 'rejected', last_error = 'rejected by the organiser'"
                f" where status in ('held', 'pending') and id in ({marks})",
                list(reply_ids),
            ).rowcount
            for reply_id in reply_ids:
                self.log_event("reply_rejected", {"reply": reply_id}, now)
        return count

    def _require_replies(self, reply_ids: Sequence[int]) -> None:
        for reply_id in reply_ids:
            self.reply(reply_id)

    def reply(self, reply_id: int) -> dict[str, Any]:
        rows = list(self.db.query("select * from replies where id = ?", [reply_id]))
        if not rows:
            raise NotFound(f"no reply with id {reply_id}")
        return rows[0]

    # -- review -----------------------------------------------------------

    def leads(self, *, status: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        where, args = ("where leads.status = ?", [status]) if status else ("", [])
        sql = SQL_LEADS.format(where=where, limit=f"limit {int(limit)}" if limit else "")
        return list(self.db.query(sql, args))

    def lead_detail(self, key: str) -> dict[str, Any]:
        """A lead (by email or id) with its messages, replies and events."""
        column = "id" if key.isdigit() else "email"
        rows = list(self.db.query(f"select * from leads where {column} = ?", [key.lower()]))
        if not rows:
            raise NotFound(f"no lead {key}")
        lead = rows[0]
        lead["messages"] = list(
            self.db.query(
                "select id, received, subject, category, reasons, state from messages"
                " where lead_id = ? order by id",
                [lead["id"]],
            )
        )
        lead["replies"] = list(
            self.db.query(
                "select id, created, kind, subject, status, sent, last_error from replies"
                " where lead_id = ? order by id",
                [lead["id"]],
            )
        )
        lead["bookings"] = list(
            self.db.query("select * from bookings where lead_id = ? order by id", [lead["id"]])
        )
        return lead

    def messages(
        self, *, state: str | None = None, category: str | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        clauses, args = [], []
        if state:
            clauses.append("state = ?")
            args.append(state)
        if category:
            clauses.append("category = ?")
            args.append(category)
        where = f"where {' and '.join(clauses)}" if clauses else ""
        sql = (
            "select id, received, state, category, from_addr, subject, lead_id, error"
            f" from messages {where} order by id desc limit ?"
        )
        return list(self.db.query(sql, [*args, limit]))

    def message(self, message_id: int) -> dict[str, Any]:
        rows = list(self.db.query("select * from messages where id = ?", [message_id]))
        if not rows:
            raise NotFound(f"no message with id {message_id}")
        row = rows[0]
        del row["raw"]
        return row

    def counts(self) -> dict[str, int]:
        return {
            name: self.db[name].count
            for name in ("messages", "leads", "replies", "bookings", "events")
        }


def _booking(row: dict[str, Any]) -> Booking:
    return Booking(
        id=row["id"],
        lead_id=row["lead_id"],
        session_id=row["session_id"],
        seats=row["seats"],
        status=row["status"],
        ics_sequence=row["ics_sequence"],
        created=datetime.fromisoformat(row["created"]),
        replaces=row["replaces"],
        lead_email=row["lead_email"],
        lead_name=row["lead_name"],
        lead_language=row["lead_language"],
        lead_opted_out=bool(row["lead_opted_out"]),
    )


def _pk(value: Any) -> int:
    assert isinstance(value, int)
    return value


def _lead(row: dict[str, Any]) -> Lead:
    return Lead(
        id=row["id"],
        email=row["email"],
        status=row["status"],
        opted_out=bool(row["opted_out"]),
        language=row["language"],
    )


def _header_message_id(raw: bytes) -> str | None:
    """The Message-ID from the header block, cheaply, for deduplication."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    lines = head.replace(b"\r\n", b"\n").split(b"\n")
    for i, line in enumerate(lines):
        if line[:11].lower() == b"message-id:":
            value = line[11:]
            # A folded header continues on lines starting with white space.
            for cont in lines[i + 1 :]:
                if cont[:1] in (b" ", b"\t"):
                    value += cont
                else:
                    break
            text = value.decode("ascii", "replace").strip()
            return text or None
    return None
