"""The guards around a pass: one at a time, and a failing database stops it cleanly.

`run_lock` lets one pass (or one desk command that writes) work on a
database at a time; a second is told at once (`AlreadyRunning`), so cron's
`poll` started while the last one still runs logs that and exits 0.
`storage_errors` turns a database that cannot be written (disk full, locked
too long, I/O error) into one `StorageError` line the CLI can print; the
pass stops, keeping what it committed. Beyond errors.py only the standard
library is imported, so the idle poll pays nothing for them.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InboxWorkerError


class AlreadyRunning(InboxWorkerError):
    """Another pass holds the lock on this database."""


class StorageError(InboxWorkerError):
    """The database cannot be written (disk full, locked too long, I/O error).

    The pass stops at once: what it committed stands, the transaction in
    progress is rolled back, and no message is blamed (quarantined) for it.
    """


# SQLite result codes that mean the database, not the message at hand, is the
# problem. sqlite3 is imported here for these exception types only; every
# read and write still goes through the store (store/).
_STORAGE_CODES = ("SQLITE_FULL", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_IOERR",
                  "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_CORRUPT", "SQLITE_NOTADB",
                  "SQLITE_NOMEM", "SQLITE_PROTOCOL")  # fmt: skip


def is_storage_failure(exc: BaseException) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return isinstance(exc, sqlite3.Error) and name.startswith(_STORAGE_CODES)


@contextmanager
def storage_errors(database: Path) -> Iterator[None]:
    """Turn a failing database into one line the CLI can print (StorageError)."""
    try:
        yield
    except sqlite3.Error as exc:
        if not is_storage_failure(exc):
            raise
        raise StorageError(
            f"database {database}: {exc} ({getattr(exc, 'sqlite_errorname', '?')});"
            " the pass stopped and kept everything it had committed"
        ) from exc


@contextmanager
def run_lock(database: Path) -> Iterator[None]:
    """One pass per database at a time; a second one is told at once, not queued."""
    lock_path = database.with_name(database.name + ".lock")
    fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(f"another pass is running on {database}") from None
        yield
    finally:
        os.close(fd)  # closing releases the lock, also when the process dies
