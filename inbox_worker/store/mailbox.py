"""The mailbox side of a pass: what was fetched, and what became of each message.

The IMAP cursors, ingesting a fetched batch (deduplicated after a UIDVALIDITY
change), the messages waiting to be decided and their raw bytes (stored as
fetched, gzip-compressed once decided: `compress`, `original`,
`compressed_for_storage`), recording, quarantining and requeueing a message,
and the thread lookup (`thread`, and `ThreadIndex` for the child processes
that read mail): what we sent that a message answers.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import NotFound
from .database import BUSY_TIMEOUT_SECONDS, StoreDatabase, iso

# gzip, hashlib and the records of model.py are imported where mail is stored
# or rows are read: cron's idle poll opens the store and reads one cursor.
if TYPE_CHECKING:
    from ..mail.source import FetchedMessage
    from ..model import ThreadRows
    from ..reading.message import ParsedMessage

# A References header can list hundreds of ids; SQLite binds at most 999 by default.
MAX_LOOKUP_IDS = 200

SQL_SET_CURSOR = """
insert into cursors (folder, uidvalidity, last_uid, updated) values (?, ?, ?, ?)
on conflict (folder) do update set
  uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid, updated = excluded.updated
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


# A NamedTuple for the same reason as config's records (so is queries.LeadFilter).
class Cursor(NamedTuple):
    folder: str
    uidvalidity: int
    last_uid: int


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


class Mailbox(StoreDatabase):
    """Cursors, ingest, and the stored messages a pass decides."""

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
        # Named index (see conversations.SQL_DUE_REPLIES); it holds the new ones in id order.
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

    # -- the thread a message belongs to ---------------------------------

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
