"""What a mailbox looks like to the worker, whichever kind it is.

The worker reads new mail and files copies of its replies through the
`MailSource` protocol; `imap.py` implements it over a real IMAP server and
`maildir.py` over a local Maildir (the embedded default). The value types that
cross that seam live here, so the Maildir side never has to import imapclient.
A source speaks in UIDs: numbers that only grow within one folder for as long
as the folder's UIDVALIDITY stays the same, which is what the ingest cursor
relies on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from types import TracebackType
from typing import NamedTuple, Protocol, Self

# Bodies above this many bytes are never downloaded: a source hands over the
# header only, with `size` the real size, and the worker quarantines it as too
# large. The same limit as message.MAX_RAW_BYTES (tested), kept here so the
# edges need not import the parser.
MAX_MESSAGE_BYTES = 25 * 1024 * 1024
# What a header-only placeholder keeps: enough for From, Subject and Message-ID.
PLACEHOLDER_HEADER_BYTES = 64 * 1024


# What Courier-IMAP serves for a message expunged between SELECT and FETCH:
# a stand-in of its own, "From: System Administrator", "Subject: message
# unavailable", a line of text. Small, so a real message is never taken for it.
_PLACEHOLDER_MAX_BYTES = 2048
_PLACEHOLDER_FROM = re.compile(rb"^from:[ \t]*\"?system administrator\b", re.I | re.M)
_PLACEHOLDER_SUBJECT = re.compile(rb"^subject:[ \t]*message unavailable[ \t]*\r?$", re.I | re.M)


def vanished(raw: bytes) -> str | None:
    """Why a FETCH answer is no message at all, or None when it is one.

    A message expunged by another session between SELECT and FETCH comes back
    with no body (Dovecot, Cyrus) or as Courier's placeholder; storing it would
    count it as new mail and read it as a message from a person.
    """
    if not raw.strip():
        return "no body in the FETCH answer"
    if len(raw) <= _PLACEHOLDER_MAX_BYTES:
        header = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
        if _PLACEHOLDER_FROM.search(header) and _PLACEHOLDER_SUBJECT.search(header):
            return "the server's 'message unavailable' placeholder"
    return None


# Records are NamedTuples: cron's idle poll defines them at every start, and a
# frozen dataclass costs five times as much to define (see config.py).
class FetchedMessage(NamedTuple):
    """One message as the source holds it, untouched.

    Over MAX_MESSAGE_BYTES, `raw` is only the start of its header and `size`
    is the size of the whole message.
    """

    uid: int
    raw: bytes
    internaldate: datetime | None
    size: int


class FolderState(NamedTuple):
    """What selecting a folder tells us; `uidnext` is None when the server keeps it to itself."""

    uidvalidity: int
    uidnext: int | None
    exists: int


class MailSource(Protocol):
    """A mailbox the worker can read from and file its sent replies into."""

    def select(self, folder: str) -> FolderState:
        """Open `folder` for the calls that follow (uids_after, fetch)."""
        ...

    def uids_after(self, last_uid: int) -> list[int]:
        """UIDs above `last_uid` in the selected folder, ascending."""
        ...

    def fetch(self, uids: Sequence[int], batch_size: int = 500) -> Iterator[list[FetchedMessage]]:
        """The messages for `uids`, in batches; never marks them \\Seen.

        A UID that vanished in the meantime (expunged) is left out.
        """
        ...

    def find_message_id(self, folder: str, message_id: str) -> bool:
        """Whether `folder` holds a message with exactly this Message-ID."""
        ...

    def append(self, folder: str, raw: bytes, flags: Sequence[str] = ("\\Seen",)) -> None:
        """Store `raw` in `folder` with `flags` (a copy of a sent reply)."""
        ...

    def sent_folder(self) -> str | None:
        """The folder for sent mail, or None when the source has no such folder."""
        ...

    def close(self) -> None:
        """Let go of the connection or files; safe to call twice."""
        ...

    # Shared by the sources that name MailSource as their base.
    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
