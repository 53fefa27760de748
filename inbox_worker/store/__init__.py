"""All SQLite reads and writes, named by intent.

Opening a Store applies pending migrations, turns on WAL (so the organiser's
CLI can read while a poll writes) and creates the file readable by its owner
only: it holds other people's mail. Multi-step writes go through
`transaction()`; the worker relies on that to store a batch together with the
advanced cursor, and a decision together with the replies it queues.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..config import SessionConfig
from ..errors import InboxWorkerError, NotFound

# The records of model.py, gzip and hashlib are imported where rows are read
# or mail is stored: cron's idle poll opens the store and reads one cursor.
if TYPE_CHECKING:
    from sqlite_utils import Database

    from ..mail.source import FetchedMessage
    from ..model import (
        Booking,
        BookingChange,
        Lead,
        PriorReply,
        SessionSeats,
        ThreadRows,
    )
    from ..reading.message import ParsedMessage

BUSY_TIMEOUT_SECONDS = 30
# The number of migrations in migrations.py, kept in PRAGMA user_version once
# they are applied (tests/test_store.py checks the two agree).
SCHEMA_VERSION = 10
IDENTITY_FIELDS = frozenset({"name", "organisation", "org_type", "phone"})
# A References header can list hundreds of ids; SQLite binds at most 999 by default.
MAX_LOOKUP_IDS = 200

SQL_SET_CURSOR = """
insert into cursors (folder, uidvalidity, last_uid, updated) values (?, ?, ?, ?)
on conflict (folder) do update set
  uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid, updated = excluded.updated
"""

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

SQL_THREAD_REPLY = """
select id, lead_id, kind, to_addr from replies
where message_id in ({placeholders}) and lead_id is not null
order by id desc limit 1
"""
# What the person has seen from us: replies that went out (or may have: a
# crash between SMTP and the commit leaves 'sending').
SQL_SEEN_REPLIES = """
select id, kind, offered, body from replies
where to_addr = ? and status in ('sent', 'sending')
order by id desc limit ?
"""
SQL_IS_OURS = "select 1 from replies where message_id = ?"

# Our replies that left (or may have: 'sending' after a crash) among these
# Message-IDs: a bounce can only be about mail that was handed to a server.
SQL_SENT_REPLIES = """
select message_id, to_addr from replies
where message_id in ({placeholders}) and status in ('sent', 'sending')
"""

SQL_BOOKINGS = """
select b.*, l.email as lead_email, coalesce(l.name, '') as lead_name,
  coalesce(l.language, '') as lead_language, l.opted_out as lead_opted_out
from bookings b join leads l on l.id = b.lead_id
"""

SQL_SESSIONS_OVERVIEW = """
select s.id, s.starts, s.location, s.capacity, s.removed, s.cancelled,
  coalesce(sum(case when b.status = 'confirmed' then b.seats end), 0) as taken,
  coalesce(sum(case when b.status = 'waitlisted' then b.seats end), 0) as waiting
from sessions s left join bookings b on b.session_id = s.id
group by s.id order by s.starts
"""

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

# Most of what `stats` shows is counted as it happens, by triggers, into the
# stats_* tables (migrations.m006_stats_tallies); these read a few hundred rows.
# A row counted down to 0 stays in its table and is skipped here.

SQL_STATS_INQUIRY_DAYS = """
select day, n from stats_message_days where category = 'inquiry' and n > 0 order by day
"""

SQL_STATS_OFFERED = """
select session_id, leads from stats_session_offers where leads > 0
"""

SQL_STATS_BOOKINGS = """
select s.id as session_id, s.starts, s.location, s.capacity,
  count(distinct case when b.status = 'confirmed' then b.lead_id end) as booked,
  coalesce(sum(case when b.status = 'confirmed' then b.seats end), 0) as seats,
  count(distinct case when b.status = 'waitlisted' then b.lead_id end) as waiting,
  count(distinct case when b.status = 'cancelled' then b.lead_id end) as cancelled
from sessions s left join bookings b on b.session_id = s.id
group by s.id order by s.starts
"""

# Leads per type from the tally; who booked from the bookings, which are few.
SQL_STATS_ORG_TYPES = """
select t.org_type, t.leads, coalesce(b.booked, 0) as booked
from stats_org_types t left join (
  select coalesce(nullif(org_type, ''), 'unknown') as org_type, count(*) as booked
  from leads where id in (select lead_id from bookings where status = 'confirmed')
  group by 1
) b on b.org_type = t.org_type
where t.leads > 0
order by t.leads desc, t.org_type
"""

# Reply times: how many, and the one at a given rank from the shortest (or,
# DESC, from the longest), found by walking the index on minutes.
SQL_STATS_REPLIES_SENT = "select count(*) from stats_reply_minutes"
SQL_STATS_REPLY_MINUTES_AT = """
select minutes from stats_reply_minutes order by minutes {order} limit 1 offset ?
"""

SQL_STATS_CATEGORIES = """
select category, sum(n) as n from stats_message_days
group by category having sum(n) > 0 order by category
"""

# Answered from a partial index of these two kinds (m006).
SQL_STATS_REMOVED = """
select kind, detail from events where kind in ('erased', 'purged')
"""


# desk/stats.py takes the median and the p90 from the times at these ranks,
# by the same arithmetic (its own reply_ranks and _p90_rank, which this
# mirrors so that the store imports nothing from the desk; test_stats_tallies
# checks the two agree).
def reply_ranks(sent: int) -> list[int]:
    """Which of `sent` reply times, counted from the shortest (0), the median and
    the p90 are made of: the middle one or two, and the p90's."""
    if not sent:
        return []
    return sorted({(sent - 1) // 2, sent // 2, _p90_rank(sent)})


def _p90_rank(sent: int) -> int:
    return min(sent - 1, round(0.9 * (sent - 1)))


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


# LeadFilter and Cursor are NamedTuples for the same reason as config's records.
class LeadFilter(NamedTuple):
    """What `leads list` and `leads export` narrow down by; None: no condition."""

    status: str | None = None
    category: str | None = None  # any of the lead's messages has it
    org_type: str | None = None
    since: str | None = None  # ISO date: created on or after
    session: str | None = None  # booked or waiting on it (not cancelled)


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


class _Undo(Exception):
    """Ends a rolled_back() block by rolling it back; never leaves it."""


class Cursor(NamedTuple):
    folder: str
    uidvalidity: int
    last_uid: int


class Mark(NamedTuple):
    """Where the events and replies stood: what was recorded after it is new."""

    event_id: int
    reply_id: int


def iso(ts: datetime) -> str:
    return ts.isoformat(timespec="seconds")


# messages.raw holds a message as fetched until it is decided, and gzip-
# compressed from then on: compressing costs more than anything else in
# storing a batch, and during a first poll the child processes that read the
# mail do it (Reading.compressed), not the one process that fetches and
# decides. A stored message starting with the gzip magic is always ours:
# the rare fetched one that starts with it is compressed at once.
GZIP_MAGIC = b"\x1f\x8b"


def compress(raw: bytes) -> bytes:
    # Level 1: mail compresses ~3x even at the fastest level.
    import gzip

    return gzip.compress(raw, compresslevel=1, mtime=0)


def original(stored: bytes) -> bytes:
    """The message as fetched, from what messages.raw holds."""
    if not stored.startswith(GZIP_MAGIC):
        return stored
    import gzip

    return gzip.decompress(stored)


def compressed_for_storage(stored: bytes, raw: bytes) -> bytes | None:
    """What messages.raw should hold once the message is decided; None: it already does."""
    return None if stored.startswith(GZIP_MAGIC) else compress(raw)


class DatabaseUnavailable(InboxWorkerError):
    """The database path is no usable SQLite file: missing folder, no permission,
    a folder, another kind of file. The message is one line naming the path."""


def _unavailable(path: Path, exc: BaseException) -> DatabaseUnavailable:
    """The one-line reason `path` cannot serve as the database."""
    if path.is_dir():
        why = "a folder, not a database file ([storage] database names the file)"
    elif isinstance(exc, sqlite3.DatabaseError) and "not a database" in str(exc):
        why = "not an SQLite database (does [storage] database name the right file?)"
    elif isinstance(exc, OSError) or "unable to open" in str(exc) or "readonly" in str(exc):
        folder = path.parent
        if folder.exists() and not folder.is_dir():
            why = f"{folder} is a file, not a folder"
        elif not folder.is_dir():
            why = f"cannot create its folder {folder}"
        elif not os.access(folder, os.W_OK | os.X_OK):
            why = f"the folder {folder} is not writable (the database needs files beside it)"
        elif path.exists() and not os.access(path, os.R_OK | os.W_OK):
            why = "not readable and writable by this user"
        else:
            why = "cannot be opened"
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        why = f"{why}: {detail}"
    else:
        why = str(exc)
    return DatabaseUnavailable(f"database {path}: {why}")


def inspect_database(path: Path) -> str:
    """What `doctor` says of the database, read-only (nothing is created or migrated).

    Raises DatabaseUnavailable with the one-line reason when a pass could not use it.
    """
    if not path.exists() and not path.is_symlink():
        folder = next((p for p in path.parents if p.exists()), Path("."))
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            raise _unavailable(path, PermissionError(13, "Permission denied", str(folder)))
        return f"{path} does not exist yet; the first pass creates it"
    if path.is_dir():
        raise _unavailable(path, IsADirectoryError(21, "Is a directory", str(path)))
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("select name from sqlite_master")}
            leads = (
                conn.execute("select count(*) from leads").fetchone()[0] if "leads" in tables else 0
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _unavailable(path, exc) from exc
    for target in (path, path.parent):
        if not os.access(target, os.W_OK):
            raise _unavailable(path, PermissionError(13, "Permission denied", str(target)))
    if version > SCHEMA_VERSION:
        raise DatabaseUnavailable(
            f"database {path}: made by a newer inbox-worker (schema {version},"
            f" this one knows {SCHEMA_VERSION}); upgrade inbox-worker"
        )
    state = "" if version == SCHEMA_VERSION else "; the next run brings its schema up to date"
    return f"{path}: {leads} lead{'' if leads == 1 else 's'}{state}"


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._open(path)
        except (OSError, sqlite3.DatabaseError) as exc:
            with contextlib.suppress(AttributeError, sqlite3.Error):
                self.conn.close()
            raise _unavailable(path, exc) from exc

    def _open(self, path: Path) -> None:
        if path.is_dir():
            raise IsADirectoryError(21, "Is a directory", str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # Create it 0600 before SQLite does; SQLite gives the -wal and -shm
            # files the same mode as the database.
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        # Autocommit mode (isolation_level None): a statement outside
        # transaction() commits by itself, and transaction() says BEGIN itself.
        self.conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        self._db: Database | None = None
        self._savepoints = 0
        self._erasure_salt: bytes | None = None
        self.conn.execute("PRAGMA foreign_keys = ON")
        # Deleted rows are overwritten with zeros, not just unlinked: erasing a
        # person (AVG/GDPR) must not leave their mail in free pages.
        self.conn.execute("PRAGMA secure_delete = ON")
        # As sqlite-utils sets it: a REPLACE that deletes a row fires its
        # delete triggers, which keep the full-text indexes right.
        self.conn.execute("PRAGMA recursive_triggers = ON")
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self.conn.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL syncs at checkpoints, not at every commit: a killed
        # process loses nothing it committed (the OS holds it); only a power cut
        # or kernel crash can take back the last commits. That is the trade mail
        # servers make too, and it is what lets a pass commit per message.
        self.conn.execute("PRAGMA synchronous = NORMAL")
        # The schema version lives in the file header, so an up-to-date
        # database (every open but the first after an upgrade) is recognised
        # without importing sqlite-utils and the migrations: cron's idle poll
        # pays for neither.
        if self.conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            self._migrate()

    def _migrate(self) -> None:
        from .migrations import migrations

        if migrations.pending(self.db):
            migrations.apply(self.db)
        self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @property
    def db(self) -> Database:
        """sqlite-utils over the same connection: migrations, and tests' inspection."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # The hot paths of a pass write through these two rather than sqlite-utils'
    # insert()/update(), which look up the table's columns and primary key on
    # every call: a few statements more per row, several rows per message.

    def _query(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> Iterator[dict[str, Any]]:
        """Rows as dicts, read straight from the connection (sqlite-utils' query()
        wraps every read in a savepoint of its own: two statements more a read)."""
        cur = self.conn.execute(sql, params)
        columns = [d[0] for d in cur.description]
        return (dict(zip(columns, row, strict=True)) for row in cur)

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        sql = _insert_sql(table, tuple(row))
        return _pk(self.conn.execute(sql, list(row.values())).lastrowid)

    def _update(self, table: str, pk: int, fields: dict[str, Any]) -> None:
        self.conn.execute(_update_sql(table, tuple(fields)), [*fields.values(), pk])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of writes; nested, a savepoint.

        It takes SQLite's write lock at BEGIN (BEGIN IMMEDIATE): a deferred
        transaction that reads before it writes cannot wait for another
        writer (once that one commits, the snapshot read is stale and SQLite
        answers SQLITE_BUSY at once, busy timeout or not). Taking the lock
        first makes it wait up to BUSY_TIMEOUT_SECONDS instead, so a poll and
        the organiser's CLI writing at the same moment both succeed.
        """
        conn = self.conn
        if conn.in_transaction:
            self._savepoints += 1
            name = f"nested_{self._savepoints}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                # A failure SQLite answered with a rollback of its own (a full
                # disk) has already taken the savepoint with the transaction.
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO {name}")
                    conn.execute(f"RELEASE {name}")
                raise
            conn.execute(f"RELEASE {name}")
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @contextlib.contextmanager
    def rolled_back(self) -> Iterator[None]:
        """Writes that are all undone at the end: what every dry run uses.

        The code inside runs exactly as it would for real, and reads back what
        it wrote; each transaction() inside becomes a savepoint of this one.
        Leaving the block rolls it all back, and the database is as it was.
        """
        try:
            with self.transaction():
                yield
                raise _Undo
        except _Undo:
            pass

    # -- ingest -----------------------------------------------------------

    def cursor(self, folder: str) -> Cursor | None:
        rows = list(self._query("select * from cursors where folder = ?", [folder]))
        if not rows:
            return None
        return Cursor(rows[0]["folder"], rows[0]["uidvalidity"], rows[0]["last_uid"])

    def reset_cursor(self, folder: str, uidvalidity: int, now: datetime) -> None:
        """A new UIDVALIDITY: every UID we knew is void; read the folder again."""
        self._set_cursor(folder, uidvalidity, 0, now)

    def _set_cursor(self, folder: str, uidvalidity: int, last_uid: int, now: datetime) -> None:
        self.conn.execute(SQL_SET_CURSOR, [folder, uidvalidity, last_uid, iso(now)])

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
        from hashlib import sha256

        rows = []
        for m in batch:
            sha = sha256(m.raw).hexdigest()
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
                    "raw": compress(m.raw) if m.raw.startswith(GZIP_MAGIC) else m.raw,
                    "raw_sha256": sha,
                    "received": iso(m.internaldate or now),
                    "state": "new",
                }
            )
        with self.transaction():
            # A UID already stored (by a pass that died before it saw its own
            # commit) is skipped and not counted.
            new = 0
            if rows:
                new = self.conn.executemany(
                    f"insert or ignore into messages ({', '.join(rows[0])})"
                    f" values ({', '.join('?' for _ in rows[0])})",
                    [list(r.values()) for r in rows],
                ).rowcount
            self._set_cursor(folder, uidvalidity, max(m.uid for m in batch), now)
        return new

    def _seen(self, message_id: str | None, sha: str) -> bool:
        if message_id:
            sql, args = "select 1 from messages where message_id = ? limit 1", [message_id]
        else:
            sql, args = "select 1 from messages where raw_sha256 = ? limit 1", [sha]
        return bool(list(self._query(sql, args)))

    # -- processing -------------------------------------------------------

    def last_message_id(self) -> int:
        return int(self.conn.execute("select coalesce(max(id), 0) from messages").fetchone()[0])

    def count_unprocessed(self) -> int:
        return int(next(self.conn.execute("select count(*) from messages where state = 'new'"))[0])

    def unprocessed(self, limit: int = 500, *, after_id: int = 0) -> list[dict[str, Any]]:
        """The next stored, undecided messages in the order they arrived.

        `size` is the size at the source (RFC822.SIZE, the file size): the
        worker quarantines a message stored as its header only, also when
        `messages retry` requeues it.
        """
        # Named index (see SQL_DUE_REPLIES); it holds the new ones in id order.
        return list(
            self._query(
                "select id, raw, received, coalesce(size, 0) as size"
                " from messages indexed by idx_messages_state"
                " where state = 'new' and id > ? order by id limit ?",
                [after_id, limit],
            )
        )

    def has_other_uidvalidity(self, folder: str, uidvalidity: int) -> bool:
        """Messages stored under an earlier UIDVALIDITY: new ones may be old ones renumbered."""
        # Two ranges of the (folder, uidvalidity, uid) index, both empty as a
        # rule: `!=` would walk every message of the folder on every pass.
        sql = (
            "select 1 from messages where folder = :f and uidvalidity < :v"
            " union all select 1 from messages where folder = :f and uidvalidity > :v limit 1"
        )
        return bool(list(self._query(sql, {"f": folder, "v": uidvalidity})))

    def raw_message(self, message_id: int) -> bytes:
        rows = list(self._query("select raw from messages where id = ?", [message_id]))
        if not rows:
            raise NotFound(f"no message with id {message_id}")
        return original(rows[0]["raw"])

    def record_message(self, message_id: int, fields: dict[str, Any]) -> None:
        self._update("messages", message_id, fields)

    def quarantine(self, message_id: int, error: str, now: datetime) -> None:
        self.conn.execute(
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
        cur = self.conn.execute(
            f"update messages set state = 'new', error = null where {where}", args
        )
        return cur.rowcount

    def lead(self, email: str) -> Lead | None:
        rows = list(self._query("select * from leads where email = ?", [email.lower()]))
        return _lead(rows[0]) if rows else None

    def lead_by_id(self, lead_id: int) -> Lead | None:
        rows = list(self._query("select * from leads where id = ?", [lead_id]))
        return _lead(rows[0]) if rows else None

    def thread(self, msg: ParsedMessage) -> ThreadRows:
        """What we sent that a message answers or refers to (see ThreadRows)."""
        return _thread(self.conn, msg)

    def sent_replies(self, message_ids: Sequence[str]) -> dict[str, str]:
        """{Message-ID: recipient} of our replies among message_ids that were sent."""
        ids = list(dict.fromkeys(m for m in message_ids if m))[:MAX_LOOKUP_IDS]
        if not ids:
            return {}
        sql = SQL_SENT_REPLIES.format(placeholders=", ".join("?" for _ in ids))
        return {row[0]: row[1].lower() for row in self.conn.execute(sql, ids)}

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

    def log_event(
        self,
        kind: str,
        detail: dict[str, Any],
        now: datetime,
        *,
        lead_id: int | None = None,
        message_id: int | None = None,
    ) -> None:
        self._insert(
            "events",
            {
                "ts": iso(now),
                "lead_id": lead_id,
                "message_id": message_id,
                "kind": kind,
                "detail": json.dumps(detail, ensure_ascii=False, default=str),
            },
        )

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

    # -- replies ----------------------------------------------------------

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

    def replies(self, *, status: str | None = None) -> list[dict[str, Any]]:
        where, args = ("where status = ?", [status]) if status else ("", [])
        return list(self._query(f"select * from replies {where} order by id", args))

    def reply_counts(self) -> dict[str, int]:
        sql = "select status, count(*) as n from replies group by status"
        return {r["status"]: r["n"] for r in self._query(sql)}

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

    # -- review -----------------------------------------------------------

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

    def lead_row(self, key: str) -> dict[str, Any]:
        """A lead by email address or id; NotFound names the key."""
        column = "id" if key.isdigit() else "email"
        rows = list(self._query(f"select * from leads where {column} = ?", [key.lower()]))
        if not rows:
            raise NotFound(f"no lead {key}")
        return rows[0]

    def lead_detail(self, key: str) -> dict[str, Any]:
        """A lead (by email or id) with its messages, replies and bookings: four queries."""
        lead = self.lead_row(key)
        lead["messages"] = list(self._query(SQL_LEAD_MESSAGES, [lead["id"]]))
        lead["replies"] = list(self._query(SQL_LEAD_REPLIES, [lead["id"]]))
        lead["bookings"] = list(self._query(SQL_LEAD_BOOKINGS, [lead["id"]]))
        return lead

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

    def export_rows(self, filters: LeadFilter | None = None) -> Iterator[dict[str, Any]]:
        """Leads in a stable order (by id) with the columns of desk.EXPORT_COLUMNS."""
        where, args = _lead_where(filters or LeadFilter())
        yield from self._query(SQL_EXPORT.format(where=where), args)

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

    def count_held_replies(self) -> int:
        row = self.conn.execute("select count(*) from replies where status = 'held'").fetchone()
        return int(row[0])

    def count_automatic_replies(self, since: datetime) -> int:
        """Replies queued to go out on their own since then (the hourly ceiling).
        Read only when a pass queues a reply, never by an idle pass."""
        row = self.conn.execute(
            "select count(*) from replies where created >= ?"
            " and status in ('pending', 'sending', 'sent', 'failed')",
            [iso(since)],
        ).fetchone()
        return int(row[0])

    def count_leads(self, filters: LeadFilter | None = None) -> int:
        where, args = _lead_where(filters or LeadFilter())
        rows = list(self._query(f"select count(*) as n from leads {where}", args))
        count: int = rows[0]["n"]
        return count

    def untold_attention(self) -> list[dict[str, Any]]:
        """What waits for a person and no digest has listed (SQL_UNTOLD_ATTENTION).

        `raw` is the message as fetched, None when the item has no message.
        """
        rows = list(self._query(SQL_UNTOLD_ATTENTION))
        for row in rows:
            row["raw"] = original(row["raw"]) if row["raw"] is not None else None
        return rows

    def mark_told(self, spells: Sequence[tuple[int, int]], now: datetime) -> None:
        """A digest listed these (lead_id, after_event); a spell begun since stays untold."""
        with self.transaction():
            self.conn.executemany(
                "update attention set told = ? where lead_id = ? and after_event = ?",
                [(iso(now), lead_id, after_event) for lead_id, after_event in spells],
            )

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

    def reclassify(
        self, message_id: int, fields: dict[str, Any], old_category: str | None, now: datetime
    ) -> None:
        """Store a new classification of a message; bookings and replies stay as they are."""
        self._update("messages", message_id, fields)
        if fields.get("category") != old_category:
            self.log_event(
                "reprocessed",
                {"from": old_category, "to": fields.get("category"), "reasons": fields["reasons"]},
                now,
                message_id=message_id,
            )

    # -- stats ------------------------------------------------------------

    def stats_rows(self) -> dict[str, list[dict[str, Any]]]:
        """The raw material of `inbox-worker stats`, read from one snapshot.

        Of the reply times only those at the ranks the median and the p90 are
        made of (reply_ranks) are read, with their count.
        """
        with self._snapshot():
            sent: int = self.conn.execute(SQL_STATS_REPLIES_SENT).fetchone()[0]
            return {
                "inquiry_days": list(self._query(SQL_STATS_INQUIRY_DAYS)),
                "offered": list(self._query(SQL_STATS_OFFERED)),
                "sessions": list(self._query(SQL_STATS_BOOKINGS)),
                "org_types": list(self._query(SQL_STATS_ORG_TYPES)),
                "replies_sent": [{"n": sent}],
                "reply_minutes": [
                    {"rank": rank, "minutes": self._reply_minutes_at(rank, sent)}
                    for rank in reply_ranks(sent)
                ],
                "categories": list(self._query(SQL_STATS_CATEGORIES)),
                "removed": list(self._query(SQL_STATS_REMOVED)),
            }

    def _reply_minutes_at(self, rank: int, count: int) -> float:
        """The reply time at `rank` (0: the shortest of `count`), walked to from the nearer end."""
        order, offset = ("asc", rank) if rank < count // 2 else ("desc", count - 1 - rank)
        row = self.conn.execute(SQL_STATS_REPLY_MINUTES_AT.format(order=order), [offset])
        minutes: float = row.fetchone()[0]
        return minutes

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Reads that all see the same state of the database (a deferred, read-only
        transaction: it takes no lock that would hold up a pass)."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

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
            "select r.kind, r.to_addr, r.status, b.session_id from replies r"
            " left join bookings b on b.id = r.booking_id where r.id > ? order by r.id"
        )
        return list(self._query(sql, [mark.reply_id]))

    # -- privacy ----------------------------------------------------------

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


class ThreadIndex:
    """A read-only view of our replies, for reading messages in another process.

    Only committed replies are visible; a message can only answer a reply
    that was sent, and so committed, long before.
    """

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS)

    def thread(self, msg: ParsedMessage) -> ThreadRows:
        return _thread(self.conn, msg)


SEEN_REPLIES_READ = 6  # enough for the last offer and the text they may quote


def _thread(conn: sqlite3.Connection, msg: ParsedMessage) -> ThreadRows:
    from ..model import SeenReply, ThreadRows

    if msg.message_id and conn.execute(SQL_IS_OURS, [msg.message_id]).fetchone():
        return ThreadRows(ours=True)
    answered = None
    ids = [m for m in (msg.in_reply_to, *msg.references) if m]
    if ids:
        sql = SQL_THREAD_REPLY.format(placeholders=", ".join("?" for _ in ids))
        answered = conn.execute(sql, ids).fetchone()
    # The person is the one we wrote to in this thread, else the sender.
    person = answered[3] if answered else msg.from_addr
    seen = (
        tuple(
            SeenReply(r[0], r[1], json.loads(r[2] or "[]"), r[3] or b"")
            for r in conn.execute(SQL_SEEN_REPLIES, [person.lower(), SEEN_REPLIES_READ])
        )
        if person
        else ()
    )
    if answered is None:
        return ThreadRows(seen=seen)
    return ThreadRows(
        answered_id=answered[0],
        lead_id=answered[1],
        answered_kind=answered[2],
        answered_to=answered[3],
        seen=seen,
    )


# A pass writes the same few shapes of row thousands of times: build each
# statement once.
@functools.lru_cache(maxsize=256)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(_column(c) for c in columns)
    return f"insert into {table} ({names}) values ({', '.join('?' for _ in columns)})"


@functools.lru_cache(maxsize=256)
def _update_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"update {table} set {', '.join(f'{_column(c)} = ?' for c in columns)} where id = ?"


def _column(name: str) -> str:
    """A column name from our own code, quoted (`references` is an SQL keyword)."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a column name: {name!r}")
    return '"' + name + '"'


def _pk(value: Any) -> int:
    assert isinstance(value, int)
    return value


def _lead(row: dict[str, Any]) -> Lead:
    from ..model import Lead

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
