"""inbox_worker.mail.maildir: UIDs for a Maildir, without any server.

The last tests open Dovecot's own on-disk Maildir, to check that both sides
agree on what a Maildir is.
"""

from __future__ import annotations

import multiprocessing
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from inbox_worker.errors import InboxWorkerError
from inbox_worker.mail.maildir import UIDLIST_NAME, MaildirSource, deliver, open_maildir
from tests.servers import DovecotServer, ImapAccount


def make_raw(n: int, message_id: str | None = None) -> bytes:
    mid = message_id or f"<msg{n}@example.org>"
    return (
        f"From: sender{n}@example.org\nTo: workshops@example.nl\n"
        f"Subject: Vraag {n}\nMessage-ID: {mid}\n\nBody {n}\n"
    ).encode()


def deliver_at(root: Path, raw: bytes, mtime: float) -> Path:
    path = deliver(root, raw)
    os.utime(path, (mtime, mtime))
    return path


def all_raw(src: MaildirSource, uids: list[int]) -> list[bytes]:
    return [m.raw for batch in src.fetch(uids) for m in batch]


def test_open_refuses_a_folder_that_is_not_a_maildir(tmp_path: Path) -> None:
    with pytest.raises(InboxWorkerError, match="is not a Maildir"):
        open_maildir(tmp_path)


def test_open_with_create_makes_an_empty_maildir(tmp_path: Path) -> None:
    with open_maildir(tmp_path / "mail", create=True) as src:
        state = src.select("INBOX")
    assert state.exists == 0
    assert state.uidnext == 1
    assert state.uidvalidity > 0
    assert {p.name for p in (tmp_path / "mail").iterdir()} >= {"cur", "new", "tmp"}


def test_uids_follow_arrival_order_and_survive_reopening(tmp_path: Path) -> None:
    root = tmp_path / "mail"
    # Delivered out of name order: mtime decides, as arrival order should.
    deliver_at(root, make_raw(2), 2_000_000_000)
    deliver_at(root, make_raw(1), 1_000_000_000)
    deliver_at(root, make_raw(3), 3_000_000_000)

    with open_maildir(root) as src:
        first = src.select("INBOX")
        uids = src.uids_after(0)
        assert uids == [1, 2, 3]
        assert all_raw(src, uids) == [make_raw(1), make_raw(2), make_raw(3)]

    with open_maildir(root) as again:
        second = again.select("INBOX")
        assert second.uidvalidity == first.uidvalidity
        assert all_raw(again, again.uids_after(0)) == [make_raw(1), make_raw(2), make_raw(3)]


def test_later_arrivals_get_higher_uids(tmp_path: Path) -> None:
    root = tmp_path / "mail"
    deliver_at(root, make_raw(1), 2_000_000_000)
    with open_maildir(root) as src:
        src.select("INBOX")
        assert src.uids_after(0) == [1]
        # Even with an older mtime, a file seen later is numbered later: UIDs never go back.
        deliver_at(root, make_raw(2), 1_000_000_000)
        assert src.uids_after(1) == [2]
        assert all_raw(src, [2]) == [make_raw(2)]


def test_a_file_moved_by_a_mail_client_keeps_its_uid_and_is_not_touched_by_us(
    tmp_path: Path,
) -> None:
    root = tmp_path / "mail"
    path = deliver(root, make_raw(1))
    with open_maildir(root) as src:
        src.select("INBOX")
        [uid] = src.uids_after(0)
        [[fetched]] = list(src.fetch([uid]))
        # Reading left the file where it was: still new/, no \Seen flag.
        assert path.exists()
        # The organiser's client reads it: new/ -> cur/ with the S flag.
        moved = root / "cur" / f"{path.name}:2,S"
        path.rename(moved)
        assert src.uids_after(0) == [uid]
        assert all_raw(src, [uid]) == [make_raw(1)]
    assert fetched.size == len(make_raw(1))
    assert isinstance(fetched.internaldate, datetime)
    assert fetched.internaldate.utcoffset() is not None


def test_fetch_batches_and_skips_deleted_files(tmp_path: Path) -> None:
    root = tmp_path / "mail"
    paths = [deliver_at(root, make_raw(n), 1_000_000_000 + n) for n in range(5)]
    with open_maildir(root) as src:
        src.select("INBOX")
        uids = src.uids_after(0)
        paths[2].unlink()
        batches = list(src.fetch(uids, batch_size=2))
    assert [[m.uid for m in b] for b in batches] == [[1, 2], [4], [5]]


def test_deleted_files_free_no_uids(tmp_path: Path) -> None:
    root = tmp_path / "mail"
    first = deliver(root, make_raw(1))
    with open_maildir(root) as src:
        src.select("INBOX")
        assert src.uids_after(0) == [1]
    first.unlink()
    deliver(root, make_raw(2))
    with open_maildir(root) as src:
        state = src.select("INBOX")
        assert src.uids_after(0) == [2]
    assert state.exists == 1
    assert state.uidnext == 3


def test_a_removed_uid_list_means_a_new_uidvalidity(tmp_path: Path) -> None:
    root = tmp_path / "mail"
    deliver(root, make_raw(1))
    with open_maildir(root) as src:
        before = src.select("INBOX").uidvalidity
    (root / UIDLIST_NAME).unlink()
    with open_maildir(root) as src:
        assert src.select("INBOX").uidvalidity != before


def test_calls_before_select_are_refused(tmp_path: Path) -> None:
    with open_maildir(tmp_path, create=True) as src, pytest.raises(InboxWorkerError):
        src.uids_after(0)


def test_select_of_a_missing_folder_names_it(tmp_path: Path) -> None:
    with (
        open_maildir(tmp_path, create=True) as src,
        pytest.raises(InboxWorkerError, match="'Nope'"),
    ):
        src.select("Nope")


@pytest.mark.parametrize("name", ["../escape", "a/../b", ".hidden", ""])
def test_folder_names_cannot_leave_the_maildir(tmp_path: Path, name: str) -> None:
    with open_maildir(tmp_path, create=True) as src, pytest.raises(InboxWorkerError):
        src.append(name, make_raw(1))


def test_append_to_sent_creates_the_folder_seen_and_findable(tmp_path: Path) -> None:
    with open_maildir(tmp_path, create=True) as src:
        assert src.sent_folder().name == "Sent"
        assert not src.find_message_id("Sent", "<reply-1@workshops.example.nl>")
        src.append("Sent", make_raw(1, "<reply-1@workshops.example.nl>"))
        assert src.find_message_id("Sent", "<reply-1@workshops.example.nl>")
        assert src.find_message_id("Sent", "reply-1@workshops.example.nl")
        assert not src.find_message_id("Sent", "<eply-1@workshops.example.nl>")
        assert not src.find_message_id("INBOX", "<reply-1@workshops.example.nl>")
        state = src.select("Sent")
        assert state.exists == 1
    [stored] = list((tmp_path / ".Sent" / "cur").iterdir())
    assert stored.name.endswith(":2,S")
    assert (tmp_path / ".Sent" / "maildirfolder").exists()


def test_append_without_flags_lands_in_new(tmp_path: Path) -> None:
    with open_maildir(tmp_path, create=True) as src:
        src.append("INBOX", make_raw(1), flags=())
    assert len(list((tmp_path / "new").iterdir())) == 1


def _open_and_list(root: str, go: Any, queue: Any) -> None:
    go.wait(10)
    with open_maildir(Path(root)) as src:
        validity = src.select("INBOX").uidvalidity
        uids = src.uids_after(0)
        queue.put((validity, {m.uid: m.raw for b in src.fetch(uids) for m in b}))


def test_concurrent_openers_agree_on_uidvalidity_and_every_uid(tmp_path: Path) -> None:
    root = tmp_path / "mail"
    for n in range(200):
        deliver(root, make_raw(n))
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    go = ctx.Event()
    workers = [ctx.Process(target=_open_and_list, args=(str(root), go, queue)) for _ in range(4)]
    for w in workers:
        w.start()
    go.set()  # all at once: each finds no uid list and wants to create one
    results = [queue.get(timeout=30) for _ in workers]
    for w in workers:
        w.join(timeout=30)
    # Without the lock each would pick its own UIDVALIDITY and the last writer would win.
    assert len({validity for validity, _ in results}) == 1
    maps = [m for _, m in results]
    assert all(m == maps[0] for m in maps)
    assert sorted(maps[0]) == list(range(1, 201))
    assert len(set(maps[0].values())) == 200
    with open_maildir(root) as src:
        assert src.select("INBOX").uidvalidity == results[0][0]


# --------------------------------------------------------------------------- with Dovecot


def lf(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n")


def test_reads_the_maildir_dovecot_wrote(
    dovecot_server: DovecotServer, imap_account: ImapAccount
) -> None:
    imap_account.deliver(make_raw(1).replace(b"\n", b"\r\n"))
    imap_account.deliver(make_raw(2).replace(b"\n", b"\r\n"))
    with open_maildir(dovecot_server.maildir_of(imap_account.username)) as src:
        src.select("INBOX")
        raws = all_raw(src, src.uids_after(0))
    # Dovecot keeps LF line ends on disk (mail_save_crlf = no) and sends CRLF over IMAP.
    assert sorted(lf(r) for r in raws) == [make_raw(1), make_raw(2)]


def test_dovecot_sees_what_deliver_and_append_wrote(
    dovecot_server: DovecotServer, imap_account: ImapAccount
) -> None:
    # Let Dovecot create both folders on disk first (auto = subscribe creates
    # Sent lazily), so their directories belong to the mail user, not to us.
    imap_account.list_uids("INBOX")
    imap_account.list_uids("Sent")
    root = dovecot_server.maildir_of(imap_account.username)
    owner = os.stat(root)
    written = [deliver(root, make_raw(1))]
    with open_maildir(root) as src:
        src.append("Sent", make_raw(2, "<reply-2@workshops.example.nl>"))
    written += list((root / ".Sent" / "cur").iterdir())
    if os.geteuid() == 0:
        for path in written:
            os.chown(path, owner.st_uid, owner.st_gid)  # Dovecot works as the mail user
    [inbox] = imap_account.fetch_all("INBOX")
    assert lf(inbox.raw) == make_raw(1)
    assert "\\Seen" not in inbox.flags
    [sent] = imap_account.fetch_all("Sent")
    assert lf(sent.raw) == make_raw(2, "<reply-2@workshops.example.nl>")
    assert "\\Seen" in sent.flags
