"""International addresses on a real Dovecot and aiosmtpd (issue 13).

A relay without SMTPUTF8 (aiosmtpd's default, and many relays') takes a
Unicode domain as IDNA; a Unicode local part has no ASCII form, so that one
reply fails for good (the lead waits for a person, the reason shown) while
the replies to everyone else in the same pass go out.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from inbox_worker import config as config_mod
from inbox_worker.app import build_worker
from inbox_worker.run.report import PassReport
from inbox_worker.store import Store
from tests import mailfactory
from tests.imapdesk import Desk
from tests.servers import ImapAccount, SmtpServer

ORDINARY = ("anna@gemeente-voorbeeld.nl", "bram@provincie-voorbeeld.nl")
IDN = "x@exämple.com"
IDN_ASCII = "x@xn--exmple-cua.com"
LOCAL = "jösé@example.com"


def inquiry(n: int, address: str) -> bytes:
    """The standard inquiry from `address`, its header as an SMTPUTF8 server delivers it."""
    stand_in = f"stand-in-{n}@example.com"
    return mailfactory.inquiry_nl(n, sender=stand_in).replace(
        stand_in.encode(), address.encode("utf-8")
    )


def run(desk: Desk) -> PassReport:
    config = config_mod.load(desk.config_path)
    with Store(config.storage.database) as store:
        return build_worker(config, store, clock=lambda: desk.now).run_once()


@pytest.fixture
def utf8_smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(smtputf8=True)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _desk(tmp_path: Path, imap: ImapAccount, smtp: SmtpServer, mp: pytest.MonkeyPatch) -> Desk:
    mp.setenv("TEST_IMAP_PASSWORD", imap.password)
    desk = Desk(tmp_path, imap, smtp)
    for n, address in enumerate((ORDINARY[0], IDN, LOCAL, ORDINARY[1]), start=1):
        imap.deliver(inquiry(n, address))
    return desk


def test_a_relay_without_smtputf8_gets_idna_and_one_reply_fails_alone(
    tmp_path: Path,
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desk = _desk(tmp_path, imap_account, smtp_server, monkeypatch)
    report = run(desk)

    # The pass went on past the address it could not send to.
    assert (report.sent, report.failed, report.errors) == (3, 1, [])
    received = {m.rcpt_tos[0]: m for m in smtp_server.messages}
    assert sorted(received) == sorted([*ORDINARY, IDN_ASCII])
    idn = received[IDN_ASCII].message
    assert idn["To"].addresses[0].addr_spec == IDN_ASCII
    assert all(m.raw.isascii() for m in received.values())
    assert all("SMTPUTF8" not in m.mail_options for m in received.values())

    [failed] = desk.db.query("select * from replies where status = 'failed'")
    assert failed["to_addr"] == LOCAL
    assert "SMTPUTF8" in failed["last_error"] and LOCAL in failed["last_error"]
    assert desk.lead(LOCAL)["status"] == "needs_attention"
    [event] = desk.db.query("select detail from events where kind = 'reply_failed'")
    assert "SMTPUTF8" in event["detail"]
    assert {desk.lead(a)["status"] for a in (*ORDINARY, IDN)} != {"needs_attention"}

    # Failed for good: the next pass neither retries it nor fails again.
    again = run(desk)
    assert (again.sent, again.failed, again.errors) == (0, 0, [])


def test_a_relay_with_smtputf8_takes_a_unicode_local_part(
    tmp_path: Path,
    imap_account: ImapAccount,
    utf8_smtp: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desk = _desk(tmp_path, imap_account, utf8_smtp, monkeypatch)
    report = run(desk)

    assert (report.sent, report.failed, report.errors) == (4, 0, [])
    received = {m.rcpt_tos[0]: m for m in utf8_smtp.messages}
    assert sorted(received) == sorted([*ORDINARY, IDN_ASCII, LOCAL])
    local = received[LOCAL]
    assert "SMTPUTF8" in local.mail_options
    # RFC 6532: the header carries the address as UTF-8, not as an encoded word.
    [to_line] = [line for line in local.raw.splitlines() if line.startswith(b"To:")]
    assert f"<{LOCAL}>".encode() in to_line
    assert "SMTPUTF8" not in received[ORDINARY[0]].mail_options
