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


# The names mail clients give the folder for sent mail, most common first,
# for servers that flag none \Sent (Courier; Cyrus unless an admin set it).
SENT_NAMES = (
    "Sent",
    "Sent Items",
    "Sent Messages",
    "Sent Mail",
    "Verzonden items",
    "Verzonden",
    "Verzonden berichten",
    "Sent-mail",
)
CREATED_SENT_NAME = "Sent"


class Folder(NamedTuple):
    """One LIST answer: the name as the user sees it, its attributes (lower case)."""

    name: str
    flags: frozenset[str]
    delimiter: str | None


class SentFolder(NamedTuple):
    """Where copies of sent replies go, and how that was decided (doctor prints `detail`).

    `how` is "special-use" (the folder flagged \\Sent), "by name" (no folder
    is flagged; one has a usual name), "configured" (sent_folder names it),
    "create" (none exists: `name` is the one to create), "created", or
    "missing" (sent_folder names a folder the server does not have; `name`
    is None and `detail` lists the folders it does have).
    """

    name: str | None
    how: str
    detail: str


def choose_sent_folder(
    setting: str, folders: Sequence[Folder], prefix: str = "", delimiter: str | None = None
) -> SentFolder:
    """The folder for copies: pure, from a LIST answer and the personal namespace.

    `setting` is the config's sent_folder: "auto" (or "", which only looks)
    or a folder name, taken exactly as written. `prefix` and `delimiter` are
    the personal namespace's ("INBOX." and "." on Courier and Cyrus), used to
    find the usual names where the server keeps them and to name the folder
    to create.
    """
    usable = [f for f in folders if not f.flags & {"\\noselect", "\\nonexistent"}]
    if setting not in ("auto", ""):
        if any(f.name == setting for f in usable):
            return SentFolder(setting, "configured", f"copies go to {setting!r} (sent_folder)")
        return SentFolder(
            None,
            "missing",
            f"sent_folder {setting!r} does not exist on the server; it has "
            f'{_folder_names(usable, prefix)}; set sent_folder to one of those or "auto"',
        )
    for folder in usable:
        if "\\sent" in folder.flags:
            return SentFolder(
                folder.name, "special-use", f"copies go to {folder.name!r} (flagged \\Sent)"
            )
    by_lower: dict[str, str] = {}
    for folder in usable:
        by_lower.setdefault(folder.name.lower(), folder.name)
    delimiters = [d for d in (delimiter, ".", "/") if d]
    for wanted in SENT_NAMES:
        # The personal namespace first, then the top level, then under INBOX
        # (servers that answer no NAMESPACE but keep folders there).
        candidates = [prefix + wanted, wanted] + [f"INBOX{d}{wanted}" for d in delimiters]
        for candidate in candidates:
            exact = next((f.name for f in usable if f.name == candidate), None)
            found = exact or by_lower.get(candidate.lower())
            if found:
                return SentFolder(
                    found,
                    "by name",
                    f"copies go to {found!r} (found by name; no folder is flagged \\Sent)",
                )
    name = prefix + CREATED_SENT_NAME
    return SentFolder(
        name,
        "create",
        f"copies go to {name!r}, created with the first copy "
        "(no folder is flagged \\Sent and none has a usual name)",
    )


def _folder_names(folders: Sequence[Folder], prefix: str, most: int = 12) -> str:
    # Sent-like names first: that is the one the user is looking for.
    def rank(folder: Folder) -> tuple[int, str]:
        leaf = folder.name.removeprefix(prefix).lower()
        return (0 if any(n.lower() in leaf for n in ("sent", "verzonden")) else 1, folder.name)

    names = [repr(f.name) for f in sorted(folders, key=rank)]
    if not names:
        return "no folders"
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more


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

    def sent_folder(self, setting: str = "auto", *, create: bool = False) -> SentFolder:
        """Where copies of sent replies go for the config's `sent_folder` setting.

        With `create`, a folder `auto` found missing is created ("created");
        without, it is only named ("create"), as doctor does.
        """
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
