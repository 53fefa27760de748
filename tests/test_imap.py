"""inbox_worker.mail.imap against a real Dovecot on 127.0.0.1 (see conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from inbox_worker.config import is_loopback
from inbox_worker.errors import ConnectionFailed, InboxWorkerError
from inbox_worker.mail.imap import ImapSource, connect_imap
from tests.servers import LOOPBACK, DovecotServer, ImapAccount, free_port


def make_raw(n: int, message_id: str | None = None) -> bytes:
    mid = message_id or f"<msg{n}@example.org>"
    return (
        f"From: Sender {n} <sender{n}@example.org>\r\n"
        "To: workshops@example.nl\r\n"
        f"Subject: Vraag {n}\r\n"
        f"Message-ID: {mid}\r\n"
        "Date: Fri, 28 Nov 2025 10:00:00 +0100\r\n"
        "\r\n"
        f"Body of message {n}\r\n"
    ).encode()


@pytest.fixture
def source(imap_account: ImapAccount) -> Iterator[ImapSource]:
    src = connect_imap(**imap_account.connect_kwargs())
    yield src
    src.close()


def test_select_reports_uidvalidity_uidnext_and_count(
    imap_account: ImapAccount, source: ImapSource
) -> None:
    for n in range(3):
        imap_account.deliver(make_raw(n))
    state = source.select("INBOX")
    assert state.uidvalidity == imap_account.uidvalidity("INBOX")
    assert state.exists == 3
    assert state.uidnext == 4


def test_uids_after_drops_uids_at_or_below_the_cursor(
    imap_account: ImapAccount, source: ImapSource
) -> None:
    uids = [imap_account.deliver(make_raw(n)) for n in range(3)]
    source.select("INBOX")
    assert source.uids_after(0) == uids
    assert source.uids_after(uids[0]) == uids[1:]
    # "UID n:*" with n above the highest UID still matches the highest message.
    assert source.uids_after(uids[-1]) == []
    assert source.uids_after(uids[-1] + 100) == []


def test_uids_after_on_an_empty_folder(source: ImapSource) -> None:
    source.select("INBOX")
    assert source.uids_after(0) == []


def test_fetch_returns_raw_bytes_in_batches_and_leaves_messages_unseen(
    imap_account: ImapAccount, source: ImapSource
) -> None:
    raws = [make_raw(n) for n in range(5)]
    uids = [imap_account.deliver(raw) for raw in raws]
    source.select("INBOX")

    batches = list(source.fetch(source.uids_after(0), batch_size=2))

    assert [[m.uid for m in batch] for batch in batches] == [uids[0:2], uids[2:4], uids[4:]]
    fetched = [m for batch in batches for m in batch]
    assert [m.raw for m in fetched] == raws
    assert [m.size for m in fetched] == [len(r) for r in raws]
    for m in fetched:
        assert isinstance(m.internaldate, datetime)
        assert m.internaldate.utcoffset() is not None
    # BODY.PEEK: the organiser still sees every message as unread.
    assert all("\\Seen" not in m.flags for m in imap_account.fetch_all("INBOX"))


def test_fetch_skips_uids_that_no_longer_exist(
    imap_account: ImapAccount, source: ImapSource
) -> None:
    uid = imap_account.deliver(make_raw(1))
    source.select("INBOX")
    batches = list(source.fetch([uid, uid + 50]))
    assert [[m.uid for m in b] for b in batches] == [[uid]]


def test_fetch_of_nothing_yields_nothing(source: ImapSource) -> None:
    source.select("INBOX")
    assert list(source.fetch([])) == []


def test_calls_before_select_are_refused(source: ImapSource) -> None:
    with pytest.raises(InboxWorkerError, match="select"):
        source.uids_after(0)


def test_select_of_a_missing_folder_names_it(source: ImapSource) -> None:
    with pytest.raises(InboxWorkerError, match="'Nope'") as info:
        source.select("Nope")
    assert not isinstance(info.value, ConnectionFailed)


def test_sent_folder_is_the_special_use_folder(source: ImapSource) -> None:
    assert source.sent_folder() == ("Sent", "special-use", "copies go to 'Sent' (flagged \\Sent)")
    # A folder named in the config is taken as written; one the server lacks is not.
    assert source.sent_folder("Drafts").name == "Drafts"
    missing = source.sent_folder("Verzonden")
    assert (missing.name, missing.how) == (None, "missing")
    assert "'Sent'" in missing.detail and "'INBOX'" in missing.detail


def test_find_message_id_leaves_no_read_only_selection_behind(
    imap_account: ImapAccount, source: ImapSource
) -> None:
    """Courier refuses an APPEND to the folder the same connection EXAMINEd."""
    assert not source.find_message_id("Sent", "<absent@example.org>")
    assert source._selected is None
    source.select("Sent")  # read-write, as ingest leaves a folder
    assert not source.find_message_id("Sent", "<absent@example.org>")
    assert (source._selected, source._readonly) == ("Sent", False)


def test_append_to_sent_and_find_message_id(imap_account: ImapAccount, source: ImapSource) -> None:
    raw = make_raw(7, "<reply-7@workshops.example.nl>")
    source.append("Sent", raw)

    [stored] = imap_account.fetch_all("Sent")
    assert stored.raw == raw
    assert "\\Seen" in stored.flags
    assert source.find_message_id("Sent", "<reply-7@workshops.example.nl>")
    assert source.find_message_id("Sent", "reply-7@workshops.example.nl")
    assert not source.find_message_id("Sent", "<reply-8@workshops.example.nl>")
    # HEADER search matches substrings; a longer id containing ours is not ours.
    assert not source.find_message_id("Sent", "<ply-7@workshops.example.nl>")


def test_find_message_id_keeps_the_ingest_folder_selected(
    imap_account: ImapAccount, source: ImapSource
) -> None:
    uid = imap_account.deliver(make_raw(1))
    source.select("INBOX")
    assert not source.find_message_id("Sent", "<absent@example.org>")
    # Still on INBOX: the UIDs are INBOX's, not Sent's (which is empty).
    assert source.uids_after(0) == [uid]


def test_uidvalidity_changes_when_the_folder_is_recreated(
    imap_account: ImapAccount,
) -> None:
    imap_account.deliver(make_raw(1))
    imap_account.deliver(make_raw(2))
    with connect_imap(**imap_account.connect_kwargs()) as src:
        before = src.select("INBOX")
    new_validity = imap_account.recreate_folder("INBOX")
    with connect_imap(**imap_account.connect_kwargs()) as src:
        after = src.select("INBOX")
        uids = src.uids_after(0)
        raws = [m.raw for batch in src.fetch(uids) for m in batch]
    assert after.uidvalidity == new_validity != before.uidvalidity
    assert sorted(raws) == sorted([make_raw(1), make_raw(2)])


def test_recreating_another_folder_renumbers_it(imap_account: ImapAccount) -> None:
    imap_account.create_folder("Archief")
    imap_account.append("Archief", make_raw(1))
    imap_account.append("Archief", make_raw(2))
    before = imap_account.uidvalidity("Archief")
    assert imap_account.recreate_folder("Archief") != before
    assert len(imap_account.fetch_all("Archief")) == 2


def test_wrong_password_is_connection_failed_naming_user_host_and_port(
    imap_account: ImapAccount,
) -> None:
    kwargs = imap_account.connect_kwargs() | {"password": "wrong-secret-123"}
    with pytest.raises(ConnectionFailed) as info:
        connect_imap(**kwargs)
    message = str(info.value)
    assert message.startswith(
        f"IMAP login failed for {imap_account.username} at {LOOPBACK}:{imap_account.port}: "
    )
    assert "wrong-secret-123" not in message
    assert "b'" not in message


def test_closed_port_is_connection_failed() -> None:
    port = free_port()
    with pytest.raises(ConnectionFailed) as info:
        connect_imap(
            host=LOOPBACK, port=port, security="none", username="u", password="p", timeout=5
        )
    assert str(info.value) == (
        f"cannot connect to IMAP server {LOOPBACK}:{port}: Connection refused"
    )


def test_tls_to_a_plain_text_server_fails_cleanly(imap_account: ImapAccount) -> None:
    kwargs = imap_account.connect_kwargs() | {"security": "tls"}
    with pytest.raises(ConnectionFailed, match=f"{LOOPBACK}:{imap_account.port}"):
        connect_imap(**kwargs)


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_tls_verified_against_the_given_ca_file(
    dovecot_server: DovecotServer, imap_account: ImapAccount, security: str
) -> None:
    port = dovecot_server.tls_port if security == "tls" else dovecot_server.port
    kwargs = imap_account.connect_kwargs() | {
        "security": security,
        "port": port,
        "ca_file": dovecot_server.ca_file,
    }
    with connect_imap(**kwargs) as src:
        assert src.select("INBOX").exists == 0


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_an_untrusted_certificate_is_refused(
    dovecot_server: DovecotServer, imap_account: ImapAccount, security: str
) -> None:
    # Certificates are verified by default: a self-signed one is not trusted.
    port = dovecot_server.tls_port if security == "tls" else dovecot_server.port
    kwargs = imap_account.connect_kwargs() | {"security": security, "port": port}
    with pytest.raises(ConnectionFailed) as info:
        connect_imap(**kwargs)
    assert str(info.value).startswith(
        f"cannot connect to IMAP server {LOOPBACK}:{port}: certificate verification failed"
    )


def test_plain_text_to_a_remote_host_is_refused_before_connecting() -> None:
    with pytest.raises(ConnectionFailed, match='security = "none"'):
        connect_imap(host="mail.example.org", port=143, security="none", username="u", password="p")


def test_unknown_security_mode_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="ssl"):
        connect_imap(host=LOOPBACK, port=143, security="ssl", username="u", password="p")


def test_a_server_restart_surfaces_as_connection_failed(
    dovecot_server: DovecotServer, imap_account: ImapAccount
) -> None:
    src = connect_imap(**imap_account.connect_kwargs())
    try:
        src.select("INBOX")
        dovecot_server.restart()
        with pytest.raises(ConnectionFailed, match=f"{LOOPBACK}:{imap_account.port}"):
            src.select("INBOX")
    finally:
        src.close()
    # And a new connection works again.
    with connect_imap(**imap_account.connect_kwargs()) as again:
        assert again.select("INBOX").exists == 0


def test_close_twice_is_harmless(imap_account: ImapAccount) -> None:
    src = connect_imap(**imap_account.connect_kwargs())
    src.close()
    src.close()


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", True),
        ("127.0.0.53", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("mail.example.org", False),
        ("192.168.1.10", False),
        ("localhost.example.org", False),
    ],
)
def test_is_loopback(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected
