"""inbox_worker.mail.smtp against a real aiosmtpd on 127.0.0.1, and the file outbox."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from inbox_worker.errors import ConnectionFailed, DeliveryError
from inbox_worker.mail.smtp import FileOutbox, SmtpConnectionFailed, SmtpTransport, is_loopback
from tests.servers import LOOPBACK, ServerCert, SmtpServer, free_port


def make_msg(n: int = 1, to: str = "Anna de Vries <anna@example.org>") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Workshops <workshops@example.nl>"
    msg["To"] = to
    msg["Subject"] = f"Re: Vraag {n}"
    msg["Message-ID"] = f"<reply-{n}@workshops.example.nl>"
    msg["Date"] = "Fri, 28 Nov 2025 10:00:00 +0100"
    msg["Auto-Submitted"] = "auto-replied"
    msg.set_content(f"Dank voor uw bericht {n}.\n")
    return msg


@pytest.fixture
def transport(smtp_server: SmtpServer) -> Iterator[SmtpTransport]:
    t = SmtpTransport(host=LOOPBACK, port=smtp_server.port, security="none", timeout=5)
    yield t
    t.close()


def test_send_uses_from_and_to_as_the_envelope(
    smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    transport.send(make_msg(1))
    [got] = smtp_server.messages
    assert got.mail_from == "workshops@example.nl"
    assert got.rcpt_tos == ("anna@example.org",)
    assert got.message_id == "<reply-1@workshops.example.nl>"
    assert got.message["Subject"] == "Re: Vraag 1"
    assert got.message.get_content().replace("\r\n", "\n") == "Dank voor uw bericht 1.\n"


def test_many_sends_share_one_connection(smtp_server: SmtpServer, transport: SmtpTransport) -> None:
    for n in range(3):
        transport.send(make_msg(n))
    assert [m.message_id for m in smtp_server.messages] == [
        f"<reply-{n}@workshops.example.nl>" for n in range(3)
    ]
    assert len(smtp_server.sessions_seen) == 1


def test_reconnects_when_the_server_dropped_the_connection(
    smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    transport.send(make_msg(1))
    smtp_server.drop_connections()
    transport.send(make_msg(2))
    assert [m.message_id for m in smtp_server.messages] == [
        "<reply-1@workshops.example.nl>",
        "<reply-2@workshops.example.nl>",
    ]
    assert len(smtp_server.sessions_seen) == 2


def test_reconnects_after_a_server_restart(
    smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    transport.send(make_msg(1))
    smtp_server.restart()
    transport.send(make_msg(2))
    assert len(smtp_server.messages) == 2


@pytest.mark.parametrize("at", ["data", "rcpt"])
def test_4xx_is_a_temporary_delivery_error(
    smtp_server: SmtpServer, transport: SmtpTransport, at: str
) -> None:
    smtp_server.fail_next(451, "try later", times=2, at=at)
    for _ in range(2):
        with pytest.raises(DeliveryError) as info:
            transport.send(make_msg(1))
        assert info.value.permanent is False
        assert info.value.code == 451
        assert "anna@example.org" in str(info.value)
        assert "451 try later" in str(info.value)
    # The third attempt goes through, on the same connection.
    transport.send(make_msg(1))
    assert len(smtp_server.messages) == 1
    assert len(smtp_server.sessions_seen) == 1


@pytest.mark.parametrize("at", ["data", "rcpt"])
def test_5xx_is_a_permanent_delivery_error(
    smtp_server: SmtpServer, transport: SmtpTransport, at: str
) -> None:
    smtp_server.fail_next(550, "no such user", at=at)
    with pytest.raises(DeliveryError) as info:
        transport.send(make_msg(1))
    assert info.value.permanent is True
    assert info.value.code == 550
    assert not isinstance(info.value, ConnectionFailed)
    assert smtp_server.messages == []
    # A permanent refusal of one message leaves the connection usable for the next.
    transport.send(make_msg(2))
    assert len(smtp_server.messages) == 1


def test_connection_refused_is_temporary_and_a_connection_failure() -> None:
    port = free_port()
    t = SmtpTransport(host=LOOPBACK, port=port, security="none", timeout=5)
    with pytest.raises(SmtpConnectionFailed) as info:
        t.send(make_msg(1))
    assert isinstance(info.value, DeliveryError)
    assert isinstance(info.value, ConnectionFailed)
    assert info.value.permanent is False
    assert str(info.value) == f"cannot connect to SMTP server {LOOPBACK}:{port}: Connection refused"


def test_login_when_the_server_requires_it(smtp_server: SmtpServer) -> None:
    smtp_server.require_auth("organiser", "s3cret")
    with SmtpTransport(
        host=LOOPBACK,
        port=smtp_server.port,
        security="none",
        username="organiser",
        password="s3cret",
        timeout=5,
    ) as t:
        t.check()
        t.send(make_msg(1))
    assert len(smtp_server.messages) == 1


def test_wrong_password_is_connection_failed_without_the_password(
    smtp_server: SmtpServer,
) -> None:
    smtp_server.require_auth("organiser", "s3cret")
    t = SmtpTransport(
        host=LOOPBACK,
        port=smtp_server.port,
        security="none",
        username="organiser",
        password="wrong-pass-987",
        timeout=5,
    )
    with pytest.raises(SmtpConnectionFailed) as info:
        t.check()
    message = str(info.value)
    assert message.startswith(
        f"SMTP login failed for organiser at {LOOPBACK}:{smtp_server.port}: 535"
    )
    assert "wrong-pass-987" not in message
    # send() fails the same way, and only temporarily: the message is not at fault.
    with pytest.raises(DeliveryError) as sent:
        t.send(make_msg(1))
    assert sent.value.permanent is False


def test_missing_login_is_not_blamed_on_the_message(smtp_server: SmtpServer) -> None:
    smtp_server.require_auth("organiser", "s3cret")
    t = SmtpTransport(host=LOOPBACK, port=smtp_server.port, security="none", timeout=5)
    with t, pytest.raises(SmtpConnectionFailed, match="requires a login") as info:
        t.send(make_msg(1))
    assert info.value.permanent is False


def test_check_on_a_closed_port_raises_connection_failed() -> None:
    port = free_port()
    t = SmtpTransport(host=LOOPBACK, port=port, security="none", timeout=5)
    with pytest.raises(ConnectionFailed, match=f"{LOOPBACK}:{port}"):
        t.check()


def test_starttls_not_offered_is_a_connection_failure(smtp_server: SmtpServer) -> None:
    t = SmtpTransport(host=LOOPBACK, port=smtp_server.port, security="starttls", timeout=5)
    with pytest.raises(ConnectionFailed, match="does not offer STARTTLS"):
        t.check()


def test_tls_to_a_plain_text_server_fails_cleanly(smtp_server: SmtpServer) -> None:
    t = SmtpTransport(host=LOOPBACK, port=smtp_server.port, security="tls", timeout=5)
    with pytest.raises(SmtpConnectionFailed, match=f"{LOOPBACK}:{smtp_server.port}"):
        t.send(make_msg(1))


@pytest.fixture(params=["starttls", "tls"])
def tls_smtp_server(request: pytest.FixtureRequest, test_cert: ServerCert) -> Iterator[SmtpServer]:
    server = SmtpServer(cert=test_cert, tls=request.param)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_tls_verified_against_the_given_ca_file(
    tls_smtp_server: SmtpServer, test_cert: ServerCert
) -> None:
    with SmtpTransport(
        host=LOOPBACK,
        port=tls_smtp_server.port,
        security=tls_smtp_server.tls,
        ca_file=str(test_cert.cert),
        timeout=5,
    ) as t:
        t.send(make_msg(1))
    assert len(tls_smtp_server.messages) == 1


def test_an_untrusted_certificate_is_refused(tls_smtp_server: SmtpServer) -> None:
    t = SmtpTransport(
        host=LOOPBACK, port=tls_smtp_server.port, security=tls_smtp_server.tls, timeout=5
    )
    with pytest.raises(SmtpConnectionFailed) as info:
        t.send(make_msg(1))
    assert str(info.value).startswith(
        f"cannot connect to SMTP server {LOOPBACK}:{tls_smtp_server.port}: "
        "certificate verification failed"
    )
    assert tls_smtp_server.messages == []


def test_plain_text_to_a_remote_host_is_refused() -> None:
    with pytest.raises(ConnectionFailed, match='security = "none"'):
        SmtpTransport(host="smtp.example.org", port=25, security="none")


@pytest.mark.parametrize(
    "to",
    ["anna@example.org, bob@example.org", ""],
)
def test_exactly_one_recipient(transport: SmtpTransport, to: str) -> None:
    msg = make_msg(1, to=to) if to else make_msg(1)
    if not to:
        del msg["To"]
    with pytest.raises(ValueError, match="exactly one recipient"):
        transport.send(msg)


def test_is_loopback_matches_the_imap_rule() -> None:
    from inbox_worker.mail.imap import is_loopback as imap_is_loopback

    for host in ("127.0.0.1", "::1", "localhost", "mail.example.org", "10.0.0.1"):
        assert is_loopback(host) is imap_is_loopback(host)


# --------------------------------------------------------------------------- FileOutbox


def test_file_outbox_writes_one_eml_per_message(tmp_path: Path) -> None:
    outbox = FileOutbox(tmp_path / "outbox")
    outbox.send(make_msg(1))
    outbox.send(make_msg(2))
    files = sorted((tmp_path / "outbox").iterdir())
    assert [f.name for f in files] == [
        "20251128T100000-reply-1@workshops.example.nl-" + files[0].name.rsplit("-", 1)[1],
        "20251128T100000-reply-2@workshops.example.nl-" + files[1].name.rsplit("-", 1)[1],
    ]
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert parsed["Message-ID"] == "<reply-1@workshops.example.nl>"
    assert parsed["To"] == "Anna de Vries <anna@example.org>"


def test_file_outbox_resend_replaces_the_earlier_file(tmp_path: Path) -> None:
    outbox = FileOutbox(tmp_path)
    outbox.send(make_msg(1))
    again = make_msg(1)
    # A re-rendered reply may carry a new Date but keeps its Message-ID.
    del again["Date"]
    again["Date"] = "Sat, 29 Nov 2025 09:30:00 +0100"
    outbox.send(again)
    [only] = list(tmp_path.iterdir())
    assert only.name.startswith("20251129T093000-")


def test_file_outbox_leaves_no_temp_files(tmp_path: Path) -> None:
    outbox = FileOutbox(tmp_path)
    for n in range(5):
        outbox.send(make_msg(n))
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".eml"] * 5
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


def test_file_outbox_names_are_safe_file_names(tmp_path: Path) -> None:
    msg = make_msg(1)
    del msg["Message-ID"]
    msg["Message-ID"] = "<../../etc/passwd@evil>"
    FileOutbox(tmp_path).send(msg)
    [only] = list(tmp_path.iterdir())
    assert only.parent == tmp_path
    assert "/" not in only.name and ".." not in only.name


def test_file_outbox_without_message_id_still_writes(tmp_path: Path) -> None:
    msg = make_msg(1)
    del msg["Message-ID"]
    FileOutbox(tmp_path).send(msg)
    [only] = list(tmp_path.iterdir())
    assert "no-message-id" in only.name


def test_file_outbox_unwritable_folder_is_a_temporary_delivery_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(DeliveryError) as info:
        FileOutbox(blocker / "outbox").send(make_msg(1))
    assert info.value.permanent is False
