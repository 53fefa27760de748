"""A local Maildir as a `MailSource`: the embedded default for the demo and first runs.

Maildir has no UIDs, so each folder keeps a small uid list file of its own
(`inbox-worker-uidlist`, in the spirit of Dovecot's dovecot-uidlist): a
UIDVALIDITY chosen once when the list is created, the next free UID, and
for every message its base name (the file name before ":", which stays the
same when a mail client moves the file from new/ to cur/ or changes its
flags) with the UID it was given. Messages seen for the first time get the
next UIDs in order of (mtime, name). The list is rewritten atomically under
an flock, so two processes never hand out the same UID. The folder "INBOX"
is the Maildir itself, other folders are Maildir++ subfolders (".Sent").
Reading never moves, renames or re-flags the user's files.
"""

from __future__ import annotations

import fcntl
import logging
import os
import secrets
import socket
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from itertools import count
from pathlib import Path

from ..errors import InboxWorkerError
from .source import (
    MAX_MESSAGE_BYTES,
    PLACEHOLDER_HEADER_BYTES,
    FetchedMessage,
    FolderState,
    MailSource,
    SentFolder,
)

__all__ = ["MaildirSource", "deliver", "open_maildir"]

log = logging.getLogger(__name__)

UIDLIST_NAME = "inbox-worker-uidlist"
_HEADER = "inbox-worker-uidlist 1"
SENT_FOLDER = "Sent"
# IMAP system flags and their Maildir info letters (cr.yp.to/proto/maildir.html).
_FLAG_LETTERS = {
    "\\Draft": "D",
    "\\Flagged": "F",
    "\\Answered": "R",
    "\\Seen": "S",
    "\\Deleted": "T",
}
_deliveries = count(1)


@dataclass
class _UidList:
    uidvalidity: int
    next_uid: int
    uids: dict[str, int]  # base name -> uid


def _base_name(file_name: str) -> str:
    return file_name.split(":", 1)[0]


def _unique_name() -> str:
    """A Maildir file name no other delivery on any host will pick."""
    now = time.time()
    host = socket.gethostname().replace("/", "\\057").replace(":", "\\072") or "localhost"
    return (
        f"{int(now)}.M{int((now % 1) * 1_000_000)}P{os.getpid()}"
        f"Q{next(_deliveries)}R{secrets.token_hex(4)}.{host}"
    )


def _make_maildir(path: Path) -> None:
    # 0700 folders and 0600 files, as Dovecot makes them: the mail is other people's.
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(mode=0o700, parents=True, exist_ok=True)


def _is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() and (path / "new").is_dir()


def _write_message(folder: Path, raw: bytes, flags: Sequence[str]) -> Path:
    """Deliver the Maildir way: write in tmp/, then rename into new/ or cur/."""
    _make_maildir(folder)
    name = _unique_name()
    tmp = folder / "tmp" / name
    with os.fdopen(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), "wb") as out:
        out.write(raw)
        out.flush()
        os.fsync(out.fileno())
    letters = "".join(sorted(_FLAG_LETTERS[f] for f in flags if f in _FLAG_LETTERS))
    # Unflagged mail goes to new/ (what "unread, just arrived" means in Maildir);
    # anything with flags needs an info suffix, which only cur/ carries.
    target = folder / "cur" / f"{name}:2,{letters}" if letters else folder / "new" / name
    os.replace(tmp, target)
    return target


def deliver(path: Path, raw: bytes, *, folder: str = "INBOX") -> Path:
    """Drop `raw` into `folder` of the Maildir at `path` as a new, unread message.

    Creates the Maildir (and folder) when missing. Returns the file written.
    """
    return _write_message(_folder_path(Path(path), folder), raw, ())


def _read_bounded(path: Path) -> tuple[bytes, float, int]:
    """(bytes, mtime, size); over MAX_MESSAGE_BYTES only the start of the header is read."""
    with path.open("rb") as handle:
        info = os.fstat(handle.fileno())
        if info.st_size <= MAX_MESSAGE_BYTES:
            return handle.read(), info.st_mtime, info.st_size
        head = handle.read(PLACEHOLDER_HEADER_BYTES)
    log.warning(
        "%s is %d bytes, over the %d byte limit: only its header was read",
        path.name,
        info.st_size,
        MAX_MESSAGE_BYTES,
    )
    for end in (b"\r\n\r\n", b"\n\n"):
        if end in head:
            head = head[: head.index(end) + len(end)]
            break
    return head, info.st_mtime, info.st_size


def _folder_path(root: Path, folder: str) -> Path:
    if folder.upper() == "INBOX":
        return root
    parts = folder.replace("/", ".").split(".")
    if any(part in ("", "..") or "\0" in part for part in parts):
        raise InboxWorkerError(f"invalid Maildir folder name {folder!r}")
    return root / ("." + ".".join(parts))


class MaildirSource(MailSource):
    """A Maildir on local disk, seen as a `MailSource`. Build it with `open_maildir()`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._selected: Path | None = None
        self._selected_name: str | None = None
        self._paths: dict[int, Path] = {}

    # -- uid list ------------------------------------------------------------------

    def _read_list(self, file: Path) -> _UidList | None:
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return None
        if not lines or lines[0] != _HEADER or len(lines) < 2:
            raise InboxWorkerError(f"unreadable uid list {file}: remove it to start afresh")
        try:
            validity, next_uid = (int(v) for v in lines[1].split())
            uids = {}
            for line in lines[2:]:
                uid, name = line.split(" ", 1)
                uids[name] = int(uid)
        except ValueError as exc:
            raise InboxWorkerError(
                f"unreadable uid list {file}: remove it to start afresh"
            ) from exc
        return _UidList(validity, next_uid, uids)

    def _write_list(self, file: Path, uid_list: _UidList) -> None:
        body = [_HEADER, f"{uid_list.uidvalidity} {uid_list.next_uid}"]
        body += [f"{uid} {name}" for name, uid in sorted(uid_list.uids.items(), key=lambda i: i[1])]
        tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("\n".join(body) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, file)

    def _sync(self, folder: Path) -> tuple[_UidList, dict[int, Path]]:
        """Give every message file a UID; return the list and uid -> current path."""
        lock_fd = os.open(folder / f"{UIDLIST_NAME}.lock", os.O_CREAT | os.O_WRONLY, 0o600)
        with os.fdopen(lock_fd, "a") as lock:
            # Held across read, scan and write: a second process waits here
            # instead of numbering the same new files differently.
            fcntl.flock(lock, fcntl.LOCK_EX)
            file = folder / UIDLIST_NAME
            uid_list = self._read_list(file)
            changed = uid_list is None
            if uid_list is None:
                # Random rather than the clock: a list removed and recreated in
                # the same second must still announce a new UIDVALIDITY.
                uid_list = _UidList(secrets.randbelow(2**31 - 2) + 1, 1, {})
            on_disk: dict[str, Path] = {}
            for sub in ("cur", "new"):
                with os.scandir(folder / sub) as entries:
                    for entry in entries:
                        if not entry.name.startswith(".") and entry.is_file():
                            on_disk[_base_name(entry.name)] = Path(entry.path)
            gone = uid_list.uids.keys() - on_disk.keys()
            for name in gone:
                del uid_list.uids[name]
            fresh = [name for name in on_disk if name not in uid_list.uids]

            def arrival(name: str) -> tuple[float, str]:
                try:
                    return (on_disk[name].stat().st_mtime, name)
                except FileNotFoundError:
                    return (0.0, name)

            for name in sorted(fresh, key=arrival):
                uid_list.uids[name] = uid_list.next_uid
                uid_list.next_uid += 1
            if changed or gone or fresh:
                self._write_list(file, uid_list)
        paths = {uid: on_disk[name] for name, uid in uid_list.uids.items()}
        return uid_list, paths

    # -- MailSource ------------------------------------------------------------------

    def _existing_folder(self, folder: str) -> Path:
        path = _folder_path(self.root, folder)
        if not _is_maildir(path):
            raise InboxWorkerError(f"Maildir folder {folder!r} does not exist in {self.root}")
        return path

    def select(self, folder: str) -> FolderState:
        path = self._existing_folder(folder)
        uid_list, paths = self._sync(path)
        self._selected, self._selected_name, self._paths = path, folder, paths
        return FolderState(
            uidvalidity=uid_list.uidvalidity, uidnext=uid_list.next_uid, exists=len(paths)
        )

    def _require_selected(self) -> Path:
        if self._selected is None:
            raise InboxWorkerError("no Maildir folder selected: call select() first")
        return self._selected

    def uids_after(self, last_uid: int) -> list[int]:
        folder = self._require_selected()
        if last_uid < 0:
            raise ValueError(f"last_uid must be >= 0, not {last_uid}")
        # Like an IMAP search, this sees mail that arrived after select().
        _, self._paths = self._sync(folder)
        return sorted(uid for uid in self._paths if uid > last_uid)

    def _read(self, folder: Path, uid: int) -> tuple[bytes, float, int] | None:
        path = self._paths.get(uid)
        for attempt in range(2):
            if path is not None:
                try:
                    return _read_bounded(path)
                except FileNotFoundError:
                    pass
            if attempt == 0:
                # A mail client may have moved it (new/ -> cur/, new flags): look again.
                _, self._paths = self._sync(folder)
                path = self._paths.get(uid)
        return None

    def fetch(self, uids: Sequence[int], batch_size: int = 500) -> Iterator[list[FetchedMessage]]:
        folder = self._require_selected()
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, not {batch_size}")
        ordered = sorted(set(uids))
        for start in range(0, len(ordered), batch_size):
            batch: list[FetchedMessage] = []
            for uid in ordered[start : start + batch_size]:
                found = self._read(folder, uid)
                if found is None:
                    log.debug("Maildir UID %d vanished before it could be read", uid)
                    continue
                raw, mtime, size = found
                batch.append(
                    FetchedMessage(
                        uid=uid,
                        raw=raw,
                        # Dovecot, too, takes a Maildir file's mtime as its INTERNALDATE.
                        internaldate=datetime.fromtimestamp(mtime, tz=UTC),
                        size=size,
                    )
                )
            if batch:
                yield batch

    def find_message_id(self, folder: str, message_id: str) -> bool:
        wanted = message_id.strip()
        if not wanted:
            return False
        if not wanted.startswith("<"):
            wanted = f"<{wanted}>"
        path = _folder_path(self.root, folder)
        if not _is_maildir(path):
            return False
        parser = BytesHeaderParser(policy=default_policy)
        for sub in ("cur", "new"):
            for file in (path / sub).iterdir():
                if file.name.startswith("."):
                    continue
                try:
                    with file.open("rb") as handle:
                        headers = parser.parse(handle)
                except (FileNotFoundError, IsADirectoryError):
                    continue
                if str(headers.get("Message-ID", "")).strip() == wanted:
                    return True
        return False

    def append(self, folder: str, raw: bytes, flags: Sequence[str] = ("\\Seen",)) -> None:
        path = _folder_path(self.root, folder)
        if path != self.root and not (path / "maildirfolder").exists():
            # Maildir++ marks subfolders so Dovecot and Courier see them as folders.
            _make_maildir(path)
            (path / "maildirfolder").touch()
        try:
            _write_message(path, raw, flags)
        except OSError as exc:
            raise InboxWorkerError(
                f"cannot store a message in Maildir folder {folder!r} of {self.root}: "
                f"{exc.strerror or exc}"
            ) from exc

    def sent_folder(self, setting: str = "auto", *, create: bool = False) -> SentFolder:
        name = SENT_FOLDER if setting in ("auto", "") else setting
        # append() makes a missing Maildir++ folder itself.
        return SentFolder(name, "configured", f"copies go to Maildir folder {name!r}")

    def close(self) -> None:
        self._selected = None
        self._paths = {}


def open_maildir(path: Path, *, create: bool = False) -> MaildirSource:
    """Open the Maildir at `path`; with `create`, make it (cur/, new/, tmp/) when missing."""
    root = Path(path)
    if not _is_maildir(root):
        if not create:
            raise InboxWorkerError(f"{root} is not a Maildir (it needs cur/ and new/ folders)")
        try:
            _make_maildir(root)
        except OSError as exc:
            raise InboxWorkerError(
                f"cannot create a Maildir at {root}: {exc.strerror or exc}"
            ) from exc
    return MaildirSource(root)
