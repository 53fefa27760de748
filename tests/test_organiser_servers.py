"""The organiser's controls of issue 14 on real Dovecot and aiosmtpd: opting someone
back in, and an English reply with English workshop texts.

Everyone is on gmail.com, as the organiser is.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from tests import mailfactory
from tests.imapdesk import Desk, text
from tests.servers import ImapAccount, SmtpServer

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

ORGANISER = "gertjan.verstoep@gmail.com"
ANNA = ("anna.devries@gmail.com", "Anna de Vries")


@pytest.fixture
def desk(
    tmp_path: Path,
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> Desk:
    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap_account.password)
    return Desk(tmp_path, imap_account, smtp_server, organiser=ORGANISER)


def cli_run(desk: Desk, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--config", str(desk.config_path), *args])
    return result.exit_code, result.output


def test_an_opt_out_undone_with_a_reason_lets_mail_flow_again(desk: Desk) -> None:
    desk.write(ANNA, "")
    [offer] = desk.run()
    desk.answer(ANNA, "Graag uitschrijven, ik wil geen mail meer van jullie ontvangen.", offer)
    assert desk.run() == []
    lead = desk.lead(ANNA[0])
    assert lead is not None and lead["opted_out"] == 1
    # She asks again: nothing goes out while she is opted out.
    desk.write(ANNA, "")
    assert desk.run() == []

    code, out = cli_run(desk, "leads", "opt-in", ANNA[0], "--reason", "Belde: per ongeluk")
    assert code == 0, out
    # Now her choice is booked and confirmed, over SMTP, as for anyone.
    desk.answer(ANNA, "Graag optie 1.", offer)
    [again] = desk.run()
    assert desk.kinds([again]) == [(ANNA[0], "confirmation")]
    assert desk.bookings(ANNA[0]) == [("utrecht", "confirmed")]


def test_an_english_inquiry_gets_english_workshop_texts(desk: Desk) -> None:
    with desk.config_path.open("a", encoding="utf-8") as config:
        config.write(
            '\n[workshop.en]\ntitle = "Co-creating with society"\n'
            'summary = "A day on citizen participation."\n'
            'price = "EUR 495 per participant"\nduration = "one day"\n'
        )
    desk.imap.deliver(mailfactory.inquiry_en(desk.next_n(), sender="james.whitfield@gmail.com"))
    [reply] = desk.run()
    body = text(reply)
    assert "Co-creating with society" in body and "one day" in body
    assert "EUR 495 per participant" in body
    # None of the Dutch [workshop] texts (write_config's) reach the English reply.
    for dutch in ("Een dag over participatie", "één dag", "Co-creëren"):
        assert dutch not in body, dutch
