"""All SQLite reads and writes, named by intent, one module per concern.

A `Store` is one database connection. Multi-step writes go through
`transaction()`; the worker relies on that to store a batch together with the
advanced cursor, and a decision together with the replies it queues. Each
concern is a mixin over `StoreDatabase`, and `Store` combines them, so every
method shares that one connection and its transaction:

- database.py: opening (WAL, busy timeout, migrations, `DatabaseUnavailable`,
  `inspect_database`), transactions, rolled-back and snapshot blocks, and the
  low-level helpers every concern reads and writes through;
- mailbox.py: cursors, ingest, the stored messages and their raw bytes,
  recording, quarantine and requeue, and the thread lookup;
- conversations.py: leads and the reply queue; bookings.py: sessions and
  bookings, which conversations build on;
- queries.py: the desk's read-only queries (lists, search, detail, export,
  the digest's attention items, reprocess selection, dry-run read-back);
- privacy.py: erase, purge, scrub and the erased addresses;
- stats.py: the rows `stats` is built from.

A pass uses the mailbox and the conversations (with their bookings), plus
privacy's erased-address check and a few queries (stranded sessions, and the
dry run's read-back of what it recorded); the desk commands use the queries, privacy and
stats, and the conversations and bookings for what they change by hand.
migrations.py holds the schema. The records of
model.py, gzip, hashlib and sqlite-utils are imported where rows are read or
mail is stored, never at import: cron's idle poll opens the store and reads
one cursor.
"""

from __future__ import annotations

from .bookings import Bookings
from .conversations import Conversations
from .database import (
    BUSY_TIMEOUT_SECONDS,
    SCHEMA_VERSION,
    DatabaseUnavailable,
    StoreDatabase,
    inspect_database,
    iso,
)
from .mailbox import (
    GZIP_MAGIC,
    Cursor,
    Mailbox,
    ThreadIndex,
    compress,
    compressed_for_storage,
    original,
)
from .privacy import Privacy, Removed
from .queries import DeskQueries, LeadFilter, Mark, fts_query
from .stats import SQL_STATS_BOOKINGS, Stats

__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "GZIP_MAGIC",
    "SCHEMA_VERSION",
    "SQL_STATS_BOOKINGS",
    "Cursor",
    "DatabaseUnavailable",
    "LeadFilter",
    "Mark",
    "Removed",
    "Store",
    "ThreadIndex",
    "compress",
    "compressed_for_storage",
    "fts_query",
    "inspect_database",
    "iso",
    "original",
]


class Store(Mailbox, Conversations, Bookings, DeskQueries, Privacy, Stats, StoreDatabase):
    """The database of one inbox-worker: every concern over one connection."""
