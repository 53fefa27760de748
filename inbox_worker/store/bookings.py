"""Sessions and the bookings on them, as a pass and the organiser's commands change them.

The sessions table follows the config (`sync_sessions`); a session is offered
with the seats still free (`session_seats`), cancelled by hand, and never
deleted, so its bookings stay readable. A booking changes only through
`apply_booking_change`, which also raises its ICS sequence on cancellation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..config import SessionConfig
from ..errors import NotFound
from .database import StoreDatabase, _column, iso

if TYPE_CHECKING:
    from ..model import Booking, BookingChange, SessionSeats

SQL_UPSERT_SESSION = """
insert into sessions (id, title, starts, ends, location, capacity, removed)
values (:id, :title, :starts, :ends, :location, :capacity, :removed)
on conflict (id) do update set
  title = excluded.title, starts = excluded.starts, ends = excluded.ends,
  location = excluded.location, capacity = excluded.capacity, removed = excluded.removed
"""

# The columns sync_sessions() keeps in step with the config.
SESSION_COLUMNS = ("id", "title", "starts", "ends", "location", "capacity", "removed")

SQL_SEATS_TAKEN = """
select session_id, coalesce(sum(seats), 0) as taken
from bookings where status = 'confirmed' group by session_id
"""

SQL_BOOKINGS = """
select b.*, l.email as lead_email, coalesce(l.name, '') as lead_name,
  coalesce(l.language, '') as lead_language, l.opted_out as lead_opted_out
from bookings b join leads l on l.id = b.lead_id
"""


class Bookings(StoreDatabase):
    """Sessions (kept in step with the config, seats taken) and bookings."""

    # -- sessions ---------------------------------------------------------

    def sync_sessions(self, title: str, sessions: Sequence[SessionConfig]) -> None:
        """Keep the sessions table in step with the config.

        A session dropped from the config is flagged `removed`, never deleted:
        its bookings must stay readable.
        """
        wanted = {
            s.id: {
                "id": s.id,
                "title": title,
                "starts": iso(s.starts),
                "ends": iso(s.ends),
                "location": s.location,
                "capacity": s.capacity,
                "removed": 0,
            }
            for s in sessions
        }
        columns = ", ".join(_column(c) for c in SESSION_COLUMNS)
        stored = {r["id"]: r for r in self._query(f"select {columns} from sessions")}
        if all(stored.get(k) == row for k, row in wanted.items()) and all(
            r["removed"] or r["id"] in wanted for r in stored.values()
        ):
            return  # the usual case, every pass: nothing to write, no lock taken
        with self.transaction():
            for row in wanted.values():
                self.conn.execute(SQL_UPSERT_SESSION, row)
            marks = ", ".join("?" for _ in wanted) or "''"
            self.conn.execute(
                f"update sessions set removed = 1 where id not in ({marks})", list(wanted)
            )

    def session_seats(self) -> list[SessionSeats]:
        """The sessions in the config and not cancelled, with seats taken: what may be offered."""
        return self._sessions("where removed = 0 and cancelled is null")

    def all_sessions(self) -> list[SessionSeats]:
        """Removed ones too: a booking's session must stay readable."""
        return self._sessions("")

    def session_row(self, session_id: str) -> dict[str, Any]:
        rows = list(self._query("select * from sessions where id = ?", [session_id]))
        if not rows:
            raise NotFound(f"no session {session_id}")
        return rows[0]

    def cancel_session(self, session_id: str, now: datetime) -> None:
        """Mark a session cancelled: from now on it is never offered or booked."""
        self.conn.execute(
            "update sessions set cancelled = ? where id = ? and cancelled is null",
            [iso(now), session_id],
        )

    def session_bookings(self, session_id: str) -> list[Booking]:
        """Who holds a seat or waits on a session, in the order they asked."""
        sql = (
            SQL_BOOKINGS + " where b.session_id = ? and b.status in ('confirmed', 'waitlisted')"
            " order by b.created, b.id"
        )
        return [_booking(r) for r in self._query(sql, [session_id])]

    def _sessions(self, where: str) -> list[SessionSeats]:
        from ..model import SessionSeats

        taken = {r["session_id"]: r["taken"] for r in self._query(SQL_SEATS_TAKEN)}
        return [
            SessionSeats(
                id=r["id"],
                starts=datetime.fromisoformat(r["starts"]),
                ends=datetime.fromisoformat(r["ends"]),
                location=r["location"],
                capacity=r["capacity"],
                seats_taken=taken.get(r["id"], 0),
            )
            for r in self._query(f"select * from sessions {where} order by starts")
        ]

    # -- bookings ---------------------------------------------------------

    def lead_bookings(self, lead_id: int) -> list[Booking]:
        return [_booking(r) for r in self._query(SQL_BOOKINGS + " where b.lead_id = ?", [lead_id])]

    def waitlists(self) -> dict[str, list[Booking]]:
        """Waitlisted bookings per session, in the order they asked."""
        out: dict[str, list[Booking]] = {}
        sql = SQL_BOOKINGS + " where b.status = 'waitlisted' order by b.created, b.id"
        for r in self._query(sql):
            out.setdefault(r["session_id"], []).append(_booking(r))
        return out

    def booking(self, booking_id: int) -> Booking:
        rows = list(self._query(SQL_BOOKINGS + " where b.id = ?", [booking_id]))
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
        from ..model import NEW

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
            return self._insert("bookings", row)
        booking_id = int(change.ref.removeprefix("b"))
        bump = 1 if change.status == "cancelled" else 0
        self.conn.execute(
            "update bookings set status = ?, updated = ?, ics_sequence = ics_sequence + ?"
            " where id = ? and status != ?",
            [change.status, iso(now), bump, booking_id, change.status],
        )
        return booking_id

    def confirmed_bookings(self) -> list[Booking]:
        sql = SQL_BOOKINGS + " where b.status = 'confirmed' order by b.id"
        return [_booking(r) for r in self._query(sql)]

    def reminded_bookings(self) -> set[int]:
        sql = "select booking_id from replies where kind = 'reminder' and booking_id is not null"
        return {r["booking_id"] for r in self._query(sql)}

    def bookings_of_rejected(self, reply_ids: Sequence[int]) -> list[tuple[str, Booking]]:
        """(address, booking) of the rejected replies among reply_ids whose
        booking still holds a seat or a waitlist place."""
        found = []
        for reply_id in reply_ids:
            row = self.conn.execute(
                "select to_addr, booking_id from replies where id = ? and status = 'rejected'",
                [reply_id],
            ).fetchone()
            booking = self.booking(row[1]) if row and row[1] else None
            if booking is not None and booking.status in ("confirmed", "waitlisted"):
                found.append((row[0], booking))
        return found


def _booking(row: dict[str, Any]) -> Booking:
    from ..model import Booking

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
