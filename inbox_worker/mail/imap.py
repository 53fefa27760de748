"""The IMAP edge: the only module that imports imapclient.

`connect_imap()` opens and authenticates a connection (implicit TLS, STARTTLS,
or plain text on loopback only) and returns an `ImapSource`, which implements
the `MailSource` protocol from `source.py`: select a folder, list the UIDs
after the ingest cursor, fetch messages in batches without setting \\Seen,
look a Message-ID up in the Sent folder, and append copies of sent replies.
Every failure leaves this module as an `InboxWorkerError`: `ConnectionFailed`
when the server cannot be reached, refuses the login or drops the
connection, the plain base class when the server answers NO/BAD to a
command. Messages name the host and port but never the password.
"""

from __future__ import annotations

import imaplib
import logging
import socket
import ssl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta, timezone
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError

from ..config import SECURITY_CHOICES, is_loopback
from ..errors import ConnectionFailed, InboxWorkerError, LoginFailed
from .source import (
    MAX_MESSAGE_BYTES,
    PLACEHOLDER_HEADER_BYTES,
    FetchedMessage,
    Folder,
    FolderState,
    MailSource,
    SentFolder,
    choose_sent_folder,
    vanished,
)

__all__ = [
    "FetchedMessage",
    "FolderState",
    "ImapSource",
    "connect_imap",
]

log = logging.getLogger(__name__)


# BODY.PEEK rather than BODY[] or RFC822: those set \Seen as a side effect, and
# the organiser must still see the message as unread in their own client.
_FETCH_ITEMS = [b"BODY.PEEK[]", b"INTERNALDATE", b"RFC822.SIZE"]
# For a message too large to download: the first bytes of its header only.
_HEADER_ITEMS = [
    f"BODY.PEEK[HEADER]<0.{PLACEHOLDER_HEADER_BYTES}>".encode(),
    b"INTERNALDATE",
    b"RFC822.SIZE",
]
# A batch is stored in one transaction, so it is held in memory whole.
MAX_BATCH_BYTES = 64 * 1024 * 1024


def _by_bytes(uids: list[int], sizes: dict[int, int]) -> Iterator[list[int]]:
    """Consecutive groups of `uids` whose downloads add up to at most MAX_BATCH_BYTES."""
    group: list[int] = []
    total = 0
    for uid in uids:
        cost = sizes[uid] if sizes[uid] <= MAX_MESSAGE_BYTES else PLACEHOLDER_HEADER_BYTES
        if group and total + cost > MAX_BATCH_BYTES:
            yield group
            group, total = [], 0
        group.append(uid)
        total += cost
    if group:
        yield group


def _server_text(exc: BaseException) -> str:
    """The server's own words from an imapclient error, without the bytes repr noise."""
    text = str(exc)
    # imapclient formats the server's response as a bytes repr: "b'[AUTH...] ...'".
    if len(text) >= 3 and text[:2] in ("b'", 'b"') and text[-1] == text[1]:
        text = text[2:-1]
    return text


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"certificate verification failed: {exc.verify_message}"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    return _server_text(exc) or type(exc).__name__


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _as_aware(value: Any) -> datetime | None:
    """INTERNALDATE with a standard-library tzinfo (imapclient uses its own class)."""
    if not isinstance(value, datetime):
        return None
    offset = value.utcoffset()
    if offset is None:
        return value
    return value.replace(tzinfo=timezone(timedelta(seconds=offset.total_seconds())))


class ImapSource(MailSource):
    """A logged-in IMAP connection seen as a `MailSource`.

    Build it with `connect_imap()`; the constructor takes an already
    authenticated client so tests and other factories can hand in their own.
    """

    def __init__(self, client: IMAPClient, *, host: str, port: int) -> None:
        self._client = client
        self._host = host
        self._port = port
        self._selected: str | None = None
        # EXAMINE (read-only): Courier refuses an APPEND to the folder the
        # same connection holds that way ("NO Current box is selected READ-ONLY.").
        self._readonly = False
        self._closed = False
        # Aware datetimes as the server sent them, instead of converted to the
        # local zone of whatever machine runs the worker and then made naive.
        client.normalise_times = False

    @property
    def where(self) -> str:
        return f"{self._host}:{self._port}"

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except (IMAPClientAbortError, imaplib.IMAP4.abort, OSError) as exc:
            # abort (connection closed under us) must be caught before its
            # base class IMAPClientError: it is a connection problem, not an answer.
            raise ConnectionFailed(
                f"lost connection to IMAP server {self.where} while {action}: {_reason(exc)}"
            ) from exc
        except (IMAPClientError, imaplib.IMAP4.error) as exc:
            raise InboxWorkerError(
                f"IMAP server {self.where} refused {action}: {_server_text(exc)}"
            ) from exc

    def _select(self, folder: str, *, readonly: bool) -> dict[bytes, Any]:
        # A failed SELECT leaves no folder selected on the server (RFC 3501 6.3.1).
        self._selected = None
        with self._errors(f"selecting folder {folder!r}"):
            info: dict[bytes, Any] = self._client.select_folder(folder, readonly=readonly)
        self._selected = folder
        self._readonly = readonly
        return info

    def _leave_readonly(self) -> None:
        """Give up a read-only selection (UNSELECT, else CLOSE: it expunges nothing there)."""
        if self._selected is None or not self._readonly:
            return
        with self._errors(f"leaving folder {self._selected!r}"):
            if self._client.has_capability("UNSELECT"):
                self._client.unselect_folder()
            else:
                self._client.close_folder()
        self._selected = None
        self._readonly = False

    def select(self, folder: str) -> FolderState:
        # Read-write, though we never change flags here: the worker may later
        # want to set flags after its commit, and EXAMINE would forbid that.
        info = self._select(folder, readonly=False)
        uidnext = info.get(b"UIDNEXT")
        return FolderState(
            uidvalidity=int(info[b"UIDVALIDITY"]),
            uidnext=int(uidnext) if uidnext is not None else None,
            exists=int(info.get(b"EXISTS", 0)),
        )

    def _require_selected(self) -> None:
        if self._selected is None:
            raise InboxWorkerError("no IMAP folder selected: call select() first")

    def uids_after(self, last_uid: int) -> list[int]:
        self._require_selected()
        if last_uid < 0:
            raise ValueError(f"last_uid must be >= 0, not {last_uid}")
        with self._errors("searching for new messages"):
            found = self._client.search(["UID", f"{last_uid + 1}:*"])
        # "n:*" always matches the highest UID, even when it is below n
        # (RFC 3501 6.4.8), so an empty folder tail still answers one UID.
        return sorted(uid for uid in found if uid > last_uid)

    def fetch(self, uids: Sequence[int], batch_size: int = 500) -> Iterator[list[FetchedMessage]]:
        """Batches of at most `batch_size` messages and MAX_BATCH_BYTES.

        The sizes are asked first (RFC822.SIZE), so a batch never holds more
        than MAX_BATCH_BYTES in memory and a message over MAX_MESSAGE_BYTES is
        never downloaded: only the start of its header is, for the worker to
        quarantine it as too large.
        """
        self._require_selected()
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, not {batch_size}")
        ordered = sorted(set(uids))
        for start in range(0, len(ordered), batch_size):
            chunk = ordered[start : start + batch_size]
            with self._errors(f"asking the size of {len(chunk)} messages"):
                sized = self._client.fetch(chunk, [b"RFC822.SIZE"])
            sizes = {
                uid: int(data.get(b"RFC822.SIZE", 0)) for uid, data in sized.items() if uid in chunk
            }
            for group in _by_bytes([uid for uid in chunk if uid in sizes], sizes):
                batch = self._fetch_group(group, sizes)
                if batch:
                    yield batch

    def _fetch_group(self, group: list[int], sizes: dict[int, int]) -> list[FetchedMessage]:
        whole = [uid for uid in group if sizes[uid] <= MAX_MESSAGE_BYTES]
        too_large = [uid for uid in group if sizes[uid] > MAX_MESSAGE_BYTES]
        response: dict[int, Any] = {}
        if whole:
            with self._errors(f"fetching {len(whole)} messages"):
                response.update(self._client.fetch(whole, _FETCH_ITEMS))
        if too_large:
            with self._errors(f"fetching the headers of {len(too_large)} messages"):
                response.update(self._client.fetch(too_large, _HEADER_ITEMS))
        batch: list[FetchedMessage] = []
        for uid in group:
            data = response.get(uid)
            if data is None:
                log.debug("UID %d vanished before it could be fetched", uid)
                continue
            raw = next((v for k, v in data.items() if k.startswith(b"BODY[")), None) or b""
            why = vanished(bytes(raw))
            if why is not None:
                # Expunged by another session after SELECT: not mail, not new.
                log.warning("UID %d vanished before it could be fetched (%s): skipped", uid, why)
                continue
            size = data.get(b"RFC822.SIZE")
            if uid in too_large:
                log.warning(
                    "UID %d is %d bytes, over the %d byte limit: only its header was fetched",
                    uid,
                    sizes[uid],
                    MAX_MESSAGE_BYTES,
                )
            batch.append(
                FetchedMessage(
                    uid=uid,
                    raw=bytes(raw),
                    internaldate=_as_aware(data.get(b"INTERNALDATE")),
                    size=int(size) if size is not None else len(raw),
                )
            )
        return batch

    def find_message_id(self, folder: str, message_id: str) -> bool:
        wanted = message_id.strip()
        if not wanted:
            return False
        if not wanted.startswith("<"):
            wanted = f"<{wanted}>"
        previous = self._selected
        try:
            self._select(folder, readonly=True)
            with self._errors(f"searching {folder!r} for a Message-ID"):
                # HEADER search is a substring match: confirm each hit exactly.
                hits = self._client.search(["HEADER", "Message-ID", wanted])
                if not hits:
                    return False
                headers = self._client.fetch(hits, [b"BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
            for data in headers.values():
                block = next((v for k, v in data.items() if k.startswith(b"BODY[HEADER")), b"")
                value = bytes(block).split(b":", 1)[-1].strip().decode("ascii", "replace")
                if value == wanted:
                    return True
            return False
        finally:
            if previous is not None:
                # The ingest side may still count on its folder being selected,
                # read-write as select() left it.
                self._select(previous, readonly=False)
            elif self._selected is not None:
                # Nothing to go back to: leave the read-only selection, so an
                # APPEND to this folder (a copy of a reply) is not refused.
                self._leave_readonly()

    def append(self, folder: str, raw: bytes, flags: Sequence[str] = ("\\Seen",)) -> None:
        if self._selected == folder and self._readonly:
            self._leave_readonly()
        with self._errors(f"appending a message to {folder!r}"):
            self._client.append(folder, raw, flags=tuple(flags))

    def folders(self) -> list[Folder]:
        """Every folder LIST shows, with its attributes in lower case."""
        with self._errors("listing folders"):
            listed = self._client.list_folders()
        return [
            Folder(
                name=str(name),
                flags=frozenset(_text(f).lower() for f in flags),
                delimiter=_text(delimiter) if delimiter else None,
            )
            for flags, delimiter, name in listed
        ]

    def personal_namespace(self, folders: Sequence[Folder]) -> tuple[str, str | None]:
        """The personal namespace's prefix and delimiter: "INBOX." and "." on Courier.

        From NAMESPACE (RFC 2342) when the server has it, else no prefix and
        the delimiter LIST gave INBOX.
        """
        inbox = next((f for f in folders if f.name.upper() == "INBOX"), None)
        delimiter = inbox.delimiter if inbox else next((f.delimiter for f in folders), None)
        if not self._client.has_capability("NAMESPACE"):
            return "", delimiter
        with self._errors("asking for the namespace"):
            personal = self._client.namespace().personal
        if not personal:
            return "", delimiter
        prefix, separator = personal[0]
        return str(prefix or ""), (str(separator) if separator else delimiter)

    def sent_folder(self, setting: str = "auto", *, create: bool = False) -> SentFolder:
        folders = self.folders()
        prefix, delimiter = self.personal_namespace(folders)
        found = choose_sent_folder(setting, folders, prefix, delimiter)
        if found.how != "create" or not create or found.name is None:
            return found
        with self._errors(f"creating folder {found.name!r}"):
            self._client.create_folder(found.name)
        with suppress(IMAPClientError, imaplib.IMAP4.error):
            # Clients that show only subscribed folders (common with Courier) see it too.
            self._client.subscribe_folder(found.name)
        return SentFolder(
            found.name,
            "created",
            f"copies go to {found.name!r}, created for them "
            "(no folder was flagged \\Sent and none had a usual name)",
        )

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._client.logout()
        except Exception as exc:  # the connection may already be gone; nothing to save
            log.debug("IMAP logout from %s failed: %s", self.where, exc)
            with suppress(Exception):
                self._client.shutdown()


def connect_imap(
    *,
    host: str,
    port: int,
    security: str,
    username: str,
    password: str,
    ca_file: str | None = None,
    timeout: float = 30.0,
    oauth2_token: str | None = None,
) -> ImapSource:
    """Connect, secure and log in; raise `ConnectionFailed` naming host:port on any failure.

    `security` is "tls" (implicit TLS, usually port 993), "starttls" (usually
    143) or "none", which is refused unless `host` is a loopback address.
    Certificates are verified against the system store, or against `ca_file`
    when given. With `oauth2_token` the login uses SASL XOAUTH2 instead of
    the password (Gmail, Microsoft 365).
    """
    if security not in SECURITY_CHOICES:
        raise ValueError(
            f"IMAP security must be one of {', '.join(SECURITY_CHOICES)}, not {security!r}"
        )
    where = f"{host}:{port}"
    if security == "none" and not is_loopback(host):
        raise ConnectionFailed(
            f'refusing plain-text IMAP to {where}: security = "none" is only allowed '
            'for a loopback address; use "tls" or "starttls"'
        )
    context = ssl.create_default_context(cafile=ca_file) if security != "none" else None
    try:
        client = IMAPClient(
            host, port=port, ssl=security == "tls", ssl_context=context, timeout=timeout
        )
    except (OSError, IMAPClientError, imaplib.IMAP4.error) as exc:
        raise ConnectionFailed(f"cannot connect to IMAP server {where}: {_reason(exc)}") from exc

    try:
        if security == "starttls":
            if not client.has_capability("STARTTLS"):
                raise ConnectionFailed(f"IMAP server {where} does not offer STARTTLS")
            client.starttls(context)
        if oauth2_token is not None:
            client.oauth2_login(username, oauth2_token)
        else:
            client.login(username, password)
    except LoginError as exc:
        _drop(client)
        raise LoginFailed(
            f"IMAP login failed for {username} at {where}: {_server_text(exc)}"
        ) from exc
    except ConnectionFailed:
        _drop(client)
        raise
    except (OSError, IMAPClientError, imaplib.IMAP4.error) as exc:
        _drop(client)
        raise ConnectionFailed(f"cannot connect to IMAP server {where}: {_reason(exc)}") from exc
    log.debug("logged in to IMAP server %s as %s", where, username)
    return ImapSource(client, host=host, port=port)


def _drop(client: IMAPClient) -> None:
    with suppress(Exception):
        client.shutdown()
