"""The database a Store opens, and the machinery every concern of it builds on.

Opening applies pending migrations, turns on WAL (so the organiser's CLI can
read while a poll writes) and creates the file readable by its owner only: it
holds other people's mail. `StoreDatabase` holds the one connection and the
transaction, rolled-back and snapshot blocks that the concern classes
(mailbox.py, conversations.py, bookings.py, queries.py, privacy.py, stats.py)
share, with the low-level reads and writes they all go through (`_query`,
`_insert`, `_update`, the events log and the lead lookup every concern starts
from). `inspect_database` is `doctor`'s read-only look at the same file.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from ..errors import InboxWorkerError, NotFound

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_SECONDS = 30
# The number of migrations in migrations.py, kept in PRAGMA user_version once
# they are applied (tests/test_store.py checks the two agree).
SCHEMA_VERSION = 10


class _Undo(Exception):
    """Ends a rolled_back() block by rolling it back; never leaves it."""


def iso(ts: datetime) -> str:
    return ts.isoformat(timespec="seconds")


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


class StoreDatabase:
    """One connection to the database, and the helpers every concern writes and reads through.

    The concern classes are mixins over this one; `Store` combines them, so
    they share this connection and its transaction.
    """

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

    def __enter__(self) -> Self:
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

    # -- shared by every concern -----------------------------------------
    # Every concern that writes leaves its trail in the events table, and the
    # conversations, the desk's queries and privacy all start from a lead
    # looked up by address or id: both live here, not in one concern's mixin.

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

    def lead_row(self, key: str) -> dict[str, Any]:
        """A lead by email address or id; NotFound names the key."""
        column = "id" if key.isdigit() else "email"
        rows = list(self._query(f"select * from leads where {column} = ?", [key.lower()]))
        if not rows:
            raise NotFound(f"no lead {key}")
        return rows[0]


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
