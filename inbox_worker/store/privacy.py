"""Removing people: erase on request, purge after the retention period, scrub the files.

An erased or purged lead leaves only an anonymous count (`Removed.anonymous`)
in an event `stats` still reports; an erased address is remembered only as a
keyed hash (`erased_digest`), so their old mail read again creates no lead and
is dropped unread (`is_erased`, `drop_erased_mail`). `scrub` makes the removed
rows unrecoverable from the database files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .database import StoreDatabase, iso
from .mailbox import original

# Leads past the retention period: nothing heard or done since the cutoff and
# no booking on a session still to come.
SQL_PURGE_LEADS = """
select leads.id from leads
where leads.updated < :cutoff
  and not exists (select 1 from messages m where m.lead_id = leads.id and m.received >= :cutoff)
  and not exists (select 1 from replies r where r.lead_id = leads.id and r.created >= :cutoff)
  and not exists (
    select 1 from bookings b join sessions s on s.id = b.session_id
    where b.lead_id = leads.id and b.status != 'cancelled' and s.starts > :now)
order by leads.id
"""


@dataclass(frozen=True)
class Removed:
    """What an erase or purge took out; `anonymous()` is all that is kept of it."""

    leads: int = 0
    messages: int = 0
    replies: int = 0
    bookings: int = 0
    events: int = 0
    booked: int = 0  # leads removed who had a confirmed booking
    categories: dict[str, int] = field(default_factory=dict)

    def __add__(self, other: Removed) -> Removed:
        categories = dict(self.categories)
        for key, n in other.categories.items():
            categories[key] = categories.get(key, 0) + n
        return Removed(
            leads=self.leads + other.leads,
            messages=self.messages + other.messages,
            replies=self.replies + other.replies,
            bookings=self.bookings + other.bookings,
            events=self.events + other.events,
            booked=self.booked + other.booked,
            categories=categories,
        )

    def anonymous(self) -> dict[str, Any]:
        return {
            "leads": self.leads,
            "messages": self.messages,
            "replies": self.replies,
            "bookings": self.bookings,
            "booked": self.booked,
            "categories": dict(sorted(self.categories.items())),
        }


class Privacy(StoreDatabase):
    """Erase, purge (and its preview), scrub, and the erased addresses."""

    def erase_lead(self, lead_id: int, now: datetime) -> Removed:
        """Remove a person: messages (raw too), replies, bookings, events, the lead.

        What stays is one 'erased' event without personal data, holding the
        anonymous counts `stats` still reports, and a keyed hash of the
        address (`is_erased`), so their old mail read again creates no lead.
        Call `scrub()` afterwards so the removed bytes leave the database
        files as well.
        """
        with self.transaction():
            email = self.lead_row(str(lead_id))["email"]
            removed = self._remove_lead(lead_id)
            self.conn.execute(
                "insert or ignore into erased_addresses (digest) values (?)",
                [self.erased_digest(email)],
            )
            self.log_event("erased", removed.anonymous(), now)
        return removed

    def erased_digest(self, email: str) -> str:
        """The keyed hash an erased address is remembered by (HMAC-SHA256, this database's salt)."""
        import hashlib
        import hmac

        if self._erasure_salt is None:
            row = self.conn.execute("select salt from erasure_salt where id = 1").fetchone()
            self._erasure_salt = str(row[0]).encode("ascii")
        key = email.strip().lower().encode("utf-8")
        return hmac.new(self._erasure_salt, key, hashlib.sha256).hexdigest()

    def is_erased(self, *emails: str | None) -> bool:
        """Whether any of these addresses belongs to a person who was erased.

        One primary-key lookup per address; asked only for a message being
        decided, never by an idle pass.
        """
        digests = [self.erased_digest(e) for e in dict.fromkeys(emails) if e]
        if not digests:
            return False
        sql = "select 1 from erased_addresses where digest in ({}) limit 1"
        found = self.conn.execute(sql.format(", ".join("?" for _ in digests)), digests)
        return found.fetchone() is not None

    def reply_message_ids(self, lead_id: int, email: str) -> list[str]:
        """Our Message-IDs of every reply to this person (their files in a file outbox)."""
        rows = self.conn.execute(
            "select message_id from replies where lead_id = ? or to_addr = ?",
            [lead_id, email.lower()],
        )
        return [r[0] for r in rows if r[0]]

    def drop_erased_mail(self, message_id: int, now: datetime) -> None:
        """A message from an erased person: removed unread, and counted anonymously."""
        self._remove_messages("id = :id", {"id": message_id})
        self.log_event("erased_mail_dropped", {"count": 1}, now)

    def purge(self, cutoff: datetime, now: datetime) -> Removed:
        """Apply a retention period: remove leads untouched since `cutoff` and old machine mail.

        A lead with a booking on a session still to come is never touched.
        """
        args = {"cutoff": iso(cutoff), "now": iso(now)}
        with self.transaction():
            total = Removed()
            for row in list(self._query(SQL_PURGE_LEADS, args)):
                total = total + self._remove_lead(row["id"])
            # Mail that never became a lead (out-of-office notes, bounces,
            # newsletters) still names people; it goes after the same period.
            total = total + self._remove_messages(
                "lead_id is null and received < :cutoff", {"cutoff": iso(cutoff)}
            )
            total = total + Removed(
                events=self.conn.execute(
                    "delete from events where lead_id is null and ts < ?"
                    " and kind not in ('erased', 'purged')",
                    [iso(cutoff)],
                ).rowcount
            )
            if total.leads or total.messages or total.events:
                self.log_event("purged", {**total.anonymous(), "before": iso(cutoff)}, now)
        return total

    def purge_preview(self, cutoff: datetime, now: datetime) -> Removed:
        """What `purge` would remove, without removing it."""
        with self.rolled_back():
            return self.purge(cutoff, now)

    def _remove_lead(self, lead_id: int) -> Removed:
        lead = self.lead_row(str(lead_id))
        email = lead["email"]
        args = {"lead": lead_id, "email": email}
        mine = "lead_id = :lead or from_addr = :email"
        undecided = self._undecided_from(email)
        if undecided:
            mine += f" or id in ({', '.join(str(i) for i in undecided)})"
        categories = {
            r["category"]: r["n"]
            for r in self._query(
                f"select coalesce(category, state) as category, count(*) as n from messages"
                f" where {mine} group by 1",
                args,
            )
        }
        booked = bool(
            list(
                self._query(
                    "select 1 from bookings where lead_id = ? and status = 'confirmed' limit 1",
                    [lead_id],
                )
            )
        )
        # Events first: they point at the messages; a reply or suppression logged
        # without a lead still names the address in its detail.
        clauses = [
            "lead_id = :lead",
            f"message_id in (select id from messages where {mine})",
            "instr(lower(detail), :email) > 0",
        ]
        name = (lead["name"] or "").strip()
        if len(name) >= 3:
            clauses.append("instr(lower(detail), :name) > 0")
            args["name"] = name.lower()
        where = " or ".join(clauses)
        events = self.conn.execute(
            f"delete from events where kind not in ('erased', 'purged') and ({where})", args
        ).rowcount
        replies = self.conn.execute(
            "delete from replies where lead_id = :lead or to_addr = :email", args
        ).rowcount
        bookings = self.conn.execute("delete from bookings where lead_id = ?", [lead_id]).rowcount
        removed = self._remove_messages(mine, args)
        self.conn.execute("delete from leads where id = ?", [lead_id])
        return Removed(
            leads=1,
            messages=removed.messages,
            replies=replies + removed.replies,
            bookings=bookings,
            events=events + removed.events,
            categories=categories,
            booked=int(booked),
        )

    def _undecided_from(self, email: str) -> list[int]:
        """Stored messages from `email` that were never decided (waiting, or quarantined).

        The sender is recorded when a message is decided; for these few the
        header is read here, leniently: a quarantined message may not parse.
        """
        from email.parser import BytesHeaderParser
        from email.utils import getaddresses

        found = []
        rows = self._query("select id, raw from messages where state in ('new', 'quarantined')")
        for row in rows:
            try:
                head = BytesHeaderParser().parsebytes(original(row["raw"]))
                senders = [*head.get_all("from", []), *head.get_all("sender", [])]
                if email in {addr.lower() for _, addr in getaddresses(senders)}:
                    found.append(int(row["id"]))
            except Exception:  # unreadable: it names nobody we can find
                continue
        return found

    def _remove_messages(self, where: str, args: dict[str, Any]) -> Removed:
        ids = f"select id from messages where {where}"
        events = self.conn.execute(f"delete from events where message_id in ({ids})", args).rowcount
        # Another lead's reply may answer this mail (a colleague in the thread):
        # it stays, without the link.
        self.conn.execute(
            f"update replies set in_reply_to = null where in_reply_to in ({ids})", args
        )
        messages = self.conn.execute(f"delete from messages where {where}", args).rowcount
        return Removed(messages=messages, events=events)

    def scrub(self) -> None:
        """Make removed rows unrecoverable from the files on disk.

        The FTS indexes are rebuilt (their segments keep tokens of deleted
        rows), the WAL is checkpointed into the database, VACUUM rewrites the
        file without free pages, and the WAL is truncated to nothing.
        """
        with self.transaction():
            for table in ("messages_fts", "leads_fts"):
                self.conn.execute(f"insert into {table}({table}) values ('rebuild')")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.execute("VACUUM")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
