"""Leads and the replies we queue for them: the conversation side of a pass.

A lead is created or filled in from each decided message (`upsert_lead`), and
changed by the organiser (status, opt-in, notes); replies are queued, sent
when due, held for approval, released or rejected. An opt-out withdraws the
replies still queued. These build on the sessions and bookings (bookings.py):
an opted-in lead's status follows their bookings.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..errors import NotFound
from .bookings import Bookings
from .database import iso

if TYPE_CHECKING:
    from ..model import Lead, PriorReply

IDENTITY_FIELDS = frozenset({"name", "organisation", "org_type", "phone"})

# Every pass, cron's idle one too, asks for the few messages and replies in a
# passing state (new, pending, sending, a copy to file) among all there ever
# were. Their queries name the index to use: statistics that say nearly every
# row is `processed` or `sent` (after an ANALYZE) would otherwise let the
# planner walk the whole table in id order instead.
SQL_DUE_REPLIES = """
select * from replies indexed by idx_replies_status_next_attempt_at
where status = 'pending' and (next_attempt_at is null or next_attempt_at <= ?)
  and not exists (select 1 from leads where leads.email = replies.to_addr and opted_out = 1)
order by id
"""

# Replies not yet on their way; an opt-out withdraws them.
SQL_WITHDRAW_QUEUED = """
update replies set status = 'suppressed', last_error = ?
where status in ('held', 'pending') and (lead_id = ? or to_addr = ?)
"""


class Conversations(Bookings):
    """Leads, as a pass learns of them and the organiser sets them, and the reply queue."""

    # -- leads ------------------------------------------------------------

    def lead(self, email: str) -> Lead | None:
        rows = list(self._query("select * from leads where email = ?", [email.lower()]))
        return _lead(rows[0]) if rows else None

    def lead_by_id(self, lead_id: int) -> Lead | None:
        rows = list(self._query("select * from leads where id = ?", [lead_id]))
        return _lead(rows[0]) if rows else None

    def upsert_lead(self, email: str, changes: dict[str, Any], now: datetime) -> int:
        """Create the lead or add what we learned.

        Who the person is (name, organisation, phone) is filled in once and not
        overwritten: a colleague writing in the same thread must not rename
        the lead. Status, language and head count follow the latest message.
        """
        email = email.lower()
        existing = list(self._query("select * from leads where email = ?", [email]))
        values = {k: v for k, v in changes.items() if v not in (None, "")}
        if existing:
            lead_id: int = existing[0]["id"]
            values = {
                k: v
                for k, v in values.items()
                if k not in IDENTITY_FIELDS or existing[0][k] in (None, "")
            }
            if values:
                self._update("leads", lead_id, {**values, "updated": iso(now)})
            if values.get("opted_out") and not existing[0]["opted_out"]:
                self.withdraw_queued(lead_id, email, "lead opted out", now)
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
        return self._insert("leads", row)

    def withdraw_queued(self, lead_id: int, email: str, reason: str, now: datetime) -> int:
        """Replies still held or pending for this lead will never be sent."""
        count = self.conn.execute(SQL_WITHDRAW_QUEUED, [reason, lead_id, email.lower()]).rowcount
        if count:
            detail = {"count": count, "reason": reason}
            self.log_event("replies_withdrawn", detail, now, lead_id=lead_id)
        return count

    def set_lead_status(self, lead_id: int, status: str, now: datetime) -> None:
        self._update("leads", lead_id, {"status": status, "updated": iso(now)})

    def set_status_by_organiser(self, lead_id: int, status: str, now: datetime) -> str:
        """The organiser's word on a lead; returns the old status.

        'unsubscribed' also opts the lead out (someone who asked by phone to hear
        no more): no mail of any kind goes to them again.
        """
        lead = self.lead_row(str(lead_id))
        with self.transaction():
            changes: dict[str, Any] = {"status": status, "updated": iso(now)}
            if status == "unsubscribed":
                changes["opted_out"] = 1
            self._update("leads", lead_id, changes)
            self.log_event(
                "status_set", {"from": lead["status"], "to": status}, now, lead_id=lead_id
            )
            if status == "unsubscribed":
                self.withdraw_queued(lead_id, lead["email"], "lead opted out", now)
        old: str = lead["status"]
        return old

    def opt_in(self, lead_id: int, reason: str, now: datetime) -> tuple[str, str]:
        """Mail may go to a lead who opted out again; the reason and the time are
        kept as their consent (an `opted_in` event). Returns (old, new) status:
        an unsubscribed lead gets the status their bookings give them."""
        lead = self.lead_row(str(lead_id))
        status: str = lead["status"]
        if status == "unsubscribed":
            held = {b.status for b in self.lead_bookings(lead_id)}
            status = (
                "booked"
                if "confirmed" in held
                else ("waitlisted" if "waitlisted" in held else "new")
            )
        with self.transaction():
            self._update("leads", lead_id, {"opted_out": 0, "status": status, "updated": iso(now)})
            self.log_event("opted_in", {"reason": reason}, now, lead_id=lead_id)
        return lead["status"], status

    def add_note(self, lead_id: int, text: str, now: datetime) -> str:
        """Append a dated line to the lead's notes; returns the notes as they now stand."""
        lead = self.lead_row(str(lead_id))
        line = f"{now:%Y-%m-%d} {' '.join(text.split())}"
        notes = "\n".join(n for n in ((lead["notes"] or "").rstrip("\n"), line) if n)
        with self.transaction():
            self._update("leads", lead_id, {"notes": notes, "updated": iso(now)})
            # The text itself may name people: the audit trail keeps only that a note was added.
            self.log_event("note_added", {"chars": len(line)}, now, lead_id=lead_id)
        return notes

    def latest_message(self, lead_id: int) -> dict[str, Any] | None:
        """The lead's newest processed message: what a manual follow-up answers."""
        rows = list(
            self._query(
                'select id, message_id, subject, "references" from messages'
                " where lead_id = ? and state = 'processed' order by received desc, id desc"
                " limit 1",
                [lead_id],
            )
        )
        return rows[0] if rows else None

    def mark_told(self, spells: Sequence[tuple[int, int]], now: datetime) -> None:
        """A digest listed these (lead_id, after_event); a spell begun since stays untold."""
        with self.transaction():
            self.conn.executemany(
                "update attention set told = ? where lead_id = ? and after_event = ?",
                [(iso(now), lead_id, after_event) for lead_id, after_event in spells],
            )

    # -- replies ----------------------------------------------------------

    def prior_replies(self, to_addr: str) -> list[PriorReply]:
        from ..model import PriorReply

        return [
            PriorReply(
                r["kind"], datetime.fromisoformat(r["created"]), r["status"], r["booking_id"]
            )
            for r in self._query(
                "select kind, created, status, booking_id from replies where to_addr = ?"
                " order by id",
                [to_addr.lower()],
            )
        ]

    def queue_reply(self, row: dict[str, Any]) -> int:
        return self._insert("replies", row)

    def due_replies(self, now: datetime) -> list[dict[str, Any]]:
        return list(self._query(SQL_DUE_REPLIES, [iso(now)]))

    def replies_in_state(self, status: str) -> list[dict[str, Any]]:
        sql = (
            "select * from replies indexed by idx_replies_status_next_attempt_at"
            " where status = ? order by id"
        )
        return list(self._query(sql, [status]))

    def replies_to_file(self) -> list[dict[str, Any]]:
        """Sent replies whose copy in the Sent folder is still to be filed."""
        sql = "select * from replies indexed by idx_replies_to_file where filed = 0 order by id"
        return list(self._query(sql))

    def set_reply(self, reply_id: int, **fields: Any) -> None:
        self._update("replies", reply_id, fields)

    def count_automatic_replies(self, since: datetime) -> int:
        """Replies queued to go out on their own since then (the hourly ceiling).
        Read only when a pass queues a reply, never by an idle pass."""
        row = self.conn.execute(
            "select count(*) from replies where created >= ?"
            " and status in ('pending', 'sending', 'sent', 'failed')",
            [iso(since)],
        ).fetchone()
        return int(row[0])

    def release_held(self, reply_ids: Sequence[int] | None) -> int:
        """Held replies become pending; the next pass sends them. None: all held."""
        sql = (
            "update replies set status = 'pending' where status = 'held'"
            " and not exists (select 1 from leads"
            " where leads.email = replies.to_addr and opted_out = 1)"
        )
        args: list[Any] = []
        if reply_ids is not None:
            self._require_replies(reply_ids)
            sql += f" and id in ({', '.join('?' for _ in reply_ids)})"
            args = list(reply_ids)
        with self.transaction():
            return self.conn.execute(sql, args).rowcount

    def reject_replies(self, reply_ids: Sequence[int], now: datetime) -> int:
        self._require_replies(reply_ids)
        marks = ", ".join("?" for _ in reply_ids)
        with self.transaction():
            count = self.conn.execute(
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

    def reply_by_message_id(self, message_id: str) -> dict[str, Any]:
        rows = list(self._query("select * from replies where message_id = ?", [message_id]))
        if not rows:
            raise NotFound(f"no reply with Message-ID {message_id}")
        return rows[0]

    def reply(self, reply_id: int) -> dict[str, Any]:
        rows = list(self._query("select * from replies where id = ?", [reply_id]))
        if not rows:
            raise NotFound(f"no reply with id {reply_id}")
        return rows[0]


def _lead(row: dict[str, Any]) -> Lead:
    from ..model import Lead

    return Lead(
        id=row["id"],
        email=row["email"],
        status=row["status"],
        opted_out=bool(row["opted_out"]),
        language=row["language"],
    )
