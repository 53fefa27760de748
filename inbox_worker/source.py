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
