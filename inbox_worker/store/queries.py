"""The desk's read-only queries: what the organiser's commands list, search and show.

Leads listed, searched (FTS5) and shown in detail, their export rows, the
messages and replies listings and counts, session overviews and attendees,
what waits for a person and no digest has told (`untold_attention`), the
messages `reprocess` walks, and the marks a dry run reads back what it
recorded by. Nothing here writes; a pass never needs any of it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from ..errors import NotFound
from .database import StoreDatabase
from .mailbox import original

SQL_LEADS = """
select leads.*,
  (select count(*) from messages where messages.lead_id = leads.id) as messages,
  (select count(*) from replies where replies.lead_id = leads.id and replies.status = 'sent')
    as replies_sent
from leads {where} order by leads.created desc, leads.id desc {limit}
"""

# Leads matching a full-text query in their own fields or in any of their messages,
# newest first. A matching message becomes its lead through the (id, lead_id) index,
# never a read of the message row (it holds the mail). The leads are then walked
# newest first down the index on created until `limit` have matched, and only
# those are read and counted: a common word matches tens of thousands.
SQL_SEARCH_LEADS = """
with hits(id) as (
  select rowid from leads_fts where leads_fts match :q
  union all
  select m.lead_id from messages_fts f
    join messages m indexed by idx_messages_id_lead_id on m.id = f.rowid
  where messages_fts match :q and m.lead_id is not null
), shown(id) as (
  select id from leads indexed by idx_leads_created where id in hits
  order by created desc, id desc limit :limit
)
select leads.*,
  (select count(*) from messages where messages.lead_id = leads.id) as messages,
  (select count(*) from replies where replies.lead_id = leads.id and replies.status = 'sent')
    as replies_sent
from shown join leads on leads.id = shown.id
order by leads.created desc, leads.id desc
"""

SQL_LEAD_MESSAGES = """
select id, received, from_addr, subject, category, reasons, facts, language, state, error
from messages where lead_id = ? order by received, id
"""

SQL_LEAD_REPLIES = """
select id, created, kind, to_addr, subject, status, sent, last_error, in_reply_to
from replies where lead_id = ? order by created, id
"""

SQL_LEAD_BOOKINGS = """
select b.id, b.session_id, b.seats, b.status, b.created, b.updated, s.starts, s.location
from bookings b left join sessions s on s.id = b.session_id
where b.lead_id = ? order by b.created, b.id
"""

# One row per lead, columns in export order (desk.EXPORT_COLUMNS).
SQL_EXPORT = """
select leads.id, leads.email, leads.name, leads.organisation, leads.org_type, leads.phone,
  leads.participants, leads.language, leads.status, leads.opted_out, leads.created,
  leads.updated,
  (select count(*) from messages where messages.lead_id = leads.id) as messages,
  (select max(received) from messages where messages.lead_id = leads.id) as last_message,
  (select count(*) from replies where replies.lead_id = leads.id and replies.status = 'sent')
    as replies_sent,
  (select group_concat(session_id || ' ' || status || ' ' || seats, '; ')
    from (select session_id, status, seats from bookings
          where bookings.lead_id = leads.id order by id)) as bookings,
  leads.notes
from leads {where} order by leads.id
"""

SQL_SESSIONS_OVERVIEW = """
select s.id, s.starts, s.location, s.capacity, s.removed, s.cancelled,
  coalesce(sum(case when b.status = 'confirmed' then b.seats end), 0) as taken,
  coalesce(sum(case when b.status = 'waitlisted' then b.seats end), 0) as waiting
from sessions s left join bookings b on b.session_id = s.id
group by s.id order by s.starts
"""

# Leads waiting for a person that no digest has listed yet, each with the
# event that put it there (migrations.m008: the lead's first decision, refused
# reply or status set by hand after the mark) and the message that event is
# about: the one decided, or the one our refused reply answered. A lead the
# organiser flagged by hand is on their mind already.
SQL_UNTOLD_ATTENTION = """
select a.lead_id, a.after_event, l.email,
  coalesce(nullif(l.name, ''), m.from_name, '') as name,
  e.kind, e.detail, m.subject, m.text, m.raw
from attention a indexed by idx_attention_untold
join leads l on l.id = a.lead_id
join events e on e.id = (
  select id from events
  where lead_id = a.lead_id and id > a.after_event
    and kind in ('decision', 'reply_failed', 'status_set')
  order by id limit 1)
left join replies r on e.kind = 'reply_failed' and r.id = json_extract(e.detail, '$.reply')
left join messages m on m.id = coalesce(e.message_id, r.in_reply_to)
where a.told is null and l.status = 'needs_attention' and e.kind != 'status_set'
order by e.id
"""

SQL_REPROCESS = """
select id, raw, received, category, reasons, facts, language from messages
where state = 'processed' and id > ? {where} order by id limit ?
"""


# A NamedTuple for the same reason as config's records (so is mailbox.Cursor).
class LeadFilter(NamedTuple):
    """What `leads list` and `leads export` narrow down by; None: no condition."""

    status: str | None = None
    category: str | None = None  # any of the lead's messages has it
    org_type: str | None = None
    since: str | None = None  # ISO date: created on or after
    session: str | None = None  # booked or waiting on it (not cancelled)


class Mark(NamedTuple):
    """Where the events and replies stood: what was recorded after it is new."""

    event_id: int
    reply_id: int


class DeskQueries(StoreDatabase):
    """Reads for the desk commands: leads, messages, replies, sessions, digest, reprocess."""

    # -- leads ------------------------------------------------------------

    def leads(
        self, filters: LeadFilter | None = None, *, status: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:  # fmt: skip
        """Leads newest first, filtered; one query (the counts are indexed subqueries)."""
        filters = filters or LeadFilter(status=status)
        where, args = _lead_where(filters)
        sql = SQL_LEADS.format(where=where, limit=f"limit {int(limit)}" if limit else "")
        return list(self._query(sql, args))

    def search_leads(self, text: str, *, limit: int = 100) -> list[dict[str, Any]]:
        """Leads whose name, organisation, address or notes, or any message, match `text`."""
        query = fts_query(text)
        if not query:
            return []
        return list(self._query(SQL_SEARCH_LEADS, {"q": query, "limit": limit}))

    def lead_detail(self, key: str) -> dict[str, Any]:
        """A lead (by email or id) with its messages, replies and bookings: four queries."""
        lead = self.lead_row(key)
        lead["messages"] = list(self._query(SQL_LEAD_MESSAGES, [lead["id"]]))
        lead["replies"] = list(self._query(SQL_LEAD_REPLIES, [lead["id"]]))
        lead["bookings"] = list(self._query(SQL_LEAD_BOOKINGS, [lead["id"]]))
        return lead

    def count_leads(self, filters: LeadFilter | None = None) -> int:
        where, args = _lead_where(filters or LeadFilter())
        rows = list(self._query(f"select count(*) as n from leads {where}", args))
        count: int = rows[0]["n"]
        return count

    def export_rows(self, filters: LeadFilter | None = None) -> Iterator[dict[str, Any]]:
        """Leads in a stable order (by id) with the columns of desk.EXPORT_COLUMNS."""
        where, args = _lead_where(filters or LeadFilter())
        yield from self._query(SQL_EXPORT.format(where=where), args)

    # -- messages, replies and sessions ----------------------------------

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
        return list(self._query(sql, [*args, limit]))

    def message(self, message_id: int) -> dict[str, Any]:
        rows = list(self._query("select * from messages where id = ?", [message_id]))
        if not rows:
            raise NotFound(f"no message with id {message_id}")
        row = rows[0]
        del row["raw"]
        return row

    def counts(self) -> dict[str, int]:
        return {
            name: self.conn.execute(f"select count(*) from {name}").fetchone()[0]
            for name in ("messages", "leads", "replies", "bookings", "events")
        }

    def replies(self, *, status: str | None = None) -> list[dict[str, Any]]:
        where, args = ("where status = ?", [status]) if status else ("", [])
        return list(self._query(f"select * from replies {where} order by id", args))

    def reply_counts(self) -> dict[str, int]:
        sql = "select status, count(*) as n from replies group by status"
        return {r["status"]: r["n"] for r in self._query(sql)}

    def count_held_replies(self) -> int:
        row = self.conn.execute("select count(*) from replies where status = 'held'").fetchone()
        return int(row[0])

    def attendees(self, session_id: str) -> list[dict[str, Any]]:
        return list(
            self._query(
                "select leads.email, leads.name, leads.organisation, leads.org_type,"
                " leads.phone, bookings.seats, bookings.status, bookings.created"
                " from bookings join leads on leads.id = bookings.lead_id"
                " where bookings.session_id = ? and bookings.status != 'cancelled'"
                " order by bookings.status, bookings.created, bookings.id",
                [session_id],
            )
        )

    def sessions_overview(self) -> list[dict[str, Any]]:
        return list(self._query(SQL_SESSIONS_OVERVIEW))

    def stranded_sessions(self, in_config: Sequence[str], now: datetime) -> list[dict[str, Any]]:
        """Sessions still to come, gone from the config, not cancelled, with people on them.

        Nobody told those people: `sessions cancel` does.
        """
        marks = ", ".join("?" for _ in in_config) or "''"
        sql = (
            "select s.id, s.starts,"
            " count(case when b.status = 'confirmed' then 1 end) as booked,"
            " count(case when b.status = 'waitlisted' then 1 end) as waiting"
            " from sessions s join bookings b on b.session_id = s.id"
            f" where s.id not in ({marks}) and s.cancelled is null"
            " and b.status in ('confirmed', 'waitlisted')"
            " group by s.id order by s.starts"
        )
        # starts is stored with its offset: compared as a time, not as text.
        rows = self._query(sql, list(in_config))
        return [r for r in rows if datetime.fromisoformat(r["starts"]) > now]

    # -- the digest -------------------------------------------------------

    def untold_attention(self) -> list[dict[str, Any]]:
        """What waits for a person and no digest has listed (SQL_UNTOLD_ATTENTION).

        `raw` is the message as fetched, None when the item has no message.
        """
        rows = list(self._query(SQL_UNTOLD_ATTENTION))
        for row in rows:
            row["raw"] = original(row["raw"]) if row["raw"] is not None else None
        return rows

    # -- reprocess --------------------------------------------------------

    def reprocess_batch(
        self, after_id: int, limit: int, *, ids: Sequence[int] = (), category: str | None = None,
        since: str | None = None,
    ) -> list[dict[str, Any]]:  # fmt: skip
        """Processed messages after `after_id`, in id order, with their raw bytes."""
        where, args = _reprocess_where(ids, category, since)
        sql = SQL_REPROCESS.format(where=where)
        return list(self._query(sql, [after_id, *args, limit]))

    def count_reprocess(
        self, *, ids: Sequence[int] = (), category: str | None = None, since: str | None = None
    ) -> int:
        where, args = _reprocess_where(ids, category, since)
        sql = f"select count(*) as n from messages where state = 'processed' {where}"
        count: int = next(iter(self._query(sql, args)))["n"]
        return count

    # -- what a pass recorded (a dry run reads it back before undoing it) -

    def mark(self) -> Mark:
        row = self.conn.execute(
            "select (select coalesce(max(id), 0) from events),"
            " (select coalesce(max(id), 0) from replies)"
        ).fetchone()
        return Mark(row[0], row[1])

    def events_since(self, mark: Mark) -> list[dict[str, Any]]:
        sql = "select kind, lead_id, message_id, detail from events where id > ? order by id"
        return list(self._query(sql, [mark.event_id]))

    def replies_since(self, mark: Mark) -> list[dict[str, Any]]:
        """Replies queued since the mark, with the session of the booking each is about."""
        sql = (
            "select r.kind, r.to_addr, r.status, r.body, b.session_id from replies r"
            " left join bookings b on b.id = r.booking_id where r.id > ? order by r.id"
        )
        return list(self._query(sql, [mark.reply_id]))


def fts_query(text: str) -> str:
    """User text as an FTS5 query: every word must occur, as a prefix; no operators.

    Each word is quoted, so a stray `"`, `-` or `NEAR` in what the organiser
    types is matched as text instead of breaking the query.
    """
    words = text.split()
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def _lead_where(filters: LeadFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    if filters.status:
        clauses.append("leads.status = ?")
        args.append(filters.status)
    if filters.org_type:
        clauses.append("leads.org_type = ?")
        args.append(filters.org_type)
    if filters.since:
        clauses.append("leads.created >= ?")
        args.append(filters.since)
    if filters.category:
        clauses.append(
            "exists (select 1 from messages m where m.lead_id = leads.id and m.category = ?)"
        )
        args.append(filters.category)
    if filters.session:
        clauses.append(
            "exists (select 1 from bookings b where b.lead_id = leads.id"
            " and b.session_id = ? and b.status != 'cancelled')"
        )
        args.append(filters.session)
    return (f"where {' and '.join(clauses)}" if clauses else ""), args


def _reprocess_where(
    ids: Sequence[int], category: str | None, since: str | None
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    if ids:
        clauses.append(f"id in ({', '.join('?' for _ in ids)})")
        args.extend(ids)
    if category:
        clauses.append("category = ?")
        args.append(category)
    if since:
        clauses.append("received >= ?")
        args.append(since)
    return "".join(f" and {c}" for c in clauses), args
