"""Copies of sent replies on servers laid out unlike Dovecot's default (issue 13).

Courier-IMAP (and Cyrus unless an admin sets it) flags no folder \\Sent and
keeps every folder under "INBOX." with "." as the delimiter; the
`courier_like_account` fixture is a Dovecot configured that way. Courier also
refuses an APPEND to a folder the same connection EXAMINEd; the
`ImapAnsweringProxy` plays that part, and refuses other APPENDs on request.
"""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from cli import cli
from inbox_worker.mail.source import Folder, choose_sent_folder
from tests import mailfactory
from tests.configs import write_config
from tests.proxy import ImapAnsweringProxy
from tests.servers import ImapAccount, SmtpServer

# -- the choice, without a server ----------------------------------------------------------


def folders(*names: str, flags: dict[str, str] | None = None, delimiter: str = ".") -> list[Folder]:
    flags = flags or {}
    return [
        Folder(name, frozenset(f for f in flags.get(name, "").split() if f), delimiter)
        for name in names
    ]


def test_the_folder_flagged_sent_wins_over_any_name() -> None:
    listed = folders("INBOX", "INBOX.Sent", "INBOX.Outbox", flags={"INBOX.Outbox": "\\sent"})
    assert choose_sent_folder("auto", listed, "INBOX.", ".")[:2] == ("INBOX.Outbox", "special-use")


@pytest.mark.parametrize(
    ("names", "prefix", "delimiter", "chosen"),
    [
        (("INBOX", "INBOX.Drafts", "INBOX.Sent"), "INBOX.", ".", "INBOX.Sent"),
        (("INBOX", "INBOX/Sent Items"), "", "/", "INBOX/Sent Items"),  # no NAMESPACE prefix
        (("INBOX", "Verzonden items", "Archief"), "", "/", "Verzonden items"),
        (("INBOX", "INBOX.sent messages"), "INBOX.", ".", "INBOX.sent messages"),
        (("INBOX", "INBOX.Sent Items", "INBOX.Sent"), "INBOX.", ".", "INBOX.Sent"),
    ],
)
def test_without_a_flag_the_usual_names_in_the_servers_namespace(
    names: tuple[str, ...], prefix: str, delimiter: str, chosen: str
) -> None:
    found = choose_sent_folder("auto", folders(*names, delimiter=delimiter), prefix, delimiter)
    assert (found.name, found.how) == (chosen, "by name")


def test_a_sent_folder_deeper_down_or_not_selectable_is_not_taken() -> None:
    listed = folders("INBOX", "INBOX.Archief.Sent", "INBOX.Sent", flags={"INBOX.Sent": "\\noselect"})
    found = choose_sent_folder("auto", listed, "INBOX.", ".")
    assert (found.name, found.how) == ("INBOX.Sent", "create")  # LIST shows it, it is no mailbox
    assert "created with the first copy" in found.detail
    assert choose_sent_folder("auto", folders("INBOX"), "", "/").name == "Sent"


def test_a_named_folder_is_taken_as_written_and_a_missing_one_names_what_exists() -> None:
    listed = folders("INBOX", "INBOX.Drafts", "INBOX.Sent", "INBOX.Trash")
    assert choose_sent_folder("INBOX.Sent", listed, "INBOX.")[:2] == ("INBOX.Sent", "configured")
    missing = choose_sent_folder("Sent", listed, "INBOX.")
    assert (missing.name, missing.how) == (None, "missing")
    # The one the user most likely meant comes first.
    assert "it has 'INBOX.Sent', 'INBOX', 'INBOX.Drafts', 'INBOX.Trash'" in missing.detail


# -- on a Courier-like Dovecot -------------------------------------------------------------


def run(config: Path, imap: ImapAccount, *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr (the log) of one command."""
    result = CliRunner().invoke(
        cli,
        ["--config", str(config), *args],
        env={"TEST_IMAP_PASSWORD": imap.password},
        catch_exceptions=False,
    )
    return result.exit_code, result.stdout, result.stderr


def sent_line(doctor_output: str) -> str:
    [line] = [x for x in doctor_output.splitlines() if x.split()[1:2] == ["sent"]]
    return line


def message_ids(imap: ImapAccount, folder: str) -> list[str]:
    return sorted(
        str(message_from_bytes(m.raw, policy=policy.default)["Message-ID"])
        for m in imap.fetch_all(folder)
    )


def test_auto_creates_sent_in_the_inbox_namespace_once_and_doctor_says_so(
    tmp_path: Path,
    courier_like_account: ImapAccount,
    smtp_server: SmtpServer,
) -> None:
    imap = courier_like_account
    config = write_config(tmp_path, imap, smtp_server)
    code, doctor, _ = run(config, imap, "doctor")
    assert code == 0, doctor
    assert sent_line(doctor).startswith("ok")
    assert "'INBOX.Sent', created with the first copy" in sent_line(doctor)

    imap.deliver(mailfactory.inquiry_nl(1))
    code, _, log = run(config, imap, "poll")
    assert code == 0, log
    assert log.count("created for them") == 1, log
    db = Database(tmp_path / "leads.db")
    [reply] = db["replies"].rows
    assert (reply["status"], reply["filed"]) == ("sent", 1)
    assert message_ids(imap, "INBOX.Sent") == [reply["message_id"]]

    imap.deliver(mailfactory.inquiry_en(2))
    _, _, log = run(config, imap, "poll")
    assert "created" not in log  # said once
    assert len(message_ids(imap, "INBOX.Sent")) == 2
    _, doctor, _ = run(config, imap, "doctor")
    assert "copies go to 'INBOX.Sent' (found by name" in sent_line(doctor)
    _, listing, _ = run(config, imap, "replies", "list")
    assert [line.split()[2] for line in listing.splitlines()[1:]] == ["filed", "filed"]


def test_auto_finds_a_dutch_sent_folder_by_name(
    tmp_path: Path, courier_like_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    imap = courier_like_account
    imap.create_folder("INBOX.Verzonden items")
    imap.deliver(mailfactory.inquiry_nl(1))
    config = write_config(tmp_path, imap, smtp_server)
    run(config, imap, "poll")
    [reply] = Database(tmp_path / "leads.db")["replies"].rows
    assert message_ids(imap, "INBOX.Verzonden items") == [reply["message_id"]]
    with imap.client() as client:  # nothing created beside it
        assert sorted(name for _, _, name in client.list_folders()) == [
            "INBOX",
            "INBOX.Verzonden items",
        ]


def test_a_named_folder_the_server_lacks_fails_doctor_and_warns_in_poll(
    tmp_path: Path,
    courier_like_account: ImapAccount,
    smtp_server: SmtpServer,
) -> None:
    imap = courier_like_account
    imap.create_folder("INBOX.Sent")
    config = write_config(tmp_path, imap, smtp_server, sent_folder="Sent")
    code, doctor, _ = run(config, imap, "doctor")
    assert code == 1
    line = sent_line(doctor)
    assert line.startswith("FAIL") and "sent_folder 'Sent' does not exist" in line
    assert "it has 'INBOX.Sent', 'INBOX'" in line

    imap.deliver(mailfactory.inquiry_nl(1))
    imap.deliver(mailfactory.inquiry_en(2))
    _, _, log = run(config, imap, "-q", "poll")
    assert len(log.splitlines()) == 1 and "'INBOX.Sent'" in log, log  # one line a pass
    assert len(smtp_server.messages) == 2
    assert imap.fetch_all("INBOX.Sent") == []
    _, listing, _ = run(config, imap, "replies", "list")
    assert [line.split()[2] for line in listing.splitlines()[1:]] == ["to", "to"]  # "to file"

    # Once the config names the folder, the next pass files both and sends nothing again.
    config.write_text(config.read_text().replace('sent_folder = "Sent"', 'sent_folder = "INBOX.Sent"'))
    run(config, imap, "poll")
    assert [r["filed"] for r in Database(tmp_path / "leads.db")["replies"].rows] == [1, 1]
    assert len(message_ids(imap, "INBOX.Sent")) == 2
    assert len(smtp_server.messages) == 2


def test_refused_copies_are_filed_later_and_never_stop_the_others(
    tmp_path: Path,
    courier_like_account: ImapAccount,
    smtp_server: SmtpServer,
) -> None:
    """Two APPENDs refused with Courier's read-only answer: the third copy is still
    filed in the same pass, and the next pass, which first looks for each copy
    in Sent (EXAMINE) and then files it, is not refused for that look."""
    imap = courier_like_account
    imap.create_folder("INBOX.Sent")
    for n in (1, 2, 3):
        imap.deliver(mailfactory.inquiry_nl(n))
    with ImapAnsweringProxy(imap.port) as proxy:
        proxy.courier_read_only = True
        proxy.refuse_appends = 2
        config = write_config(tmp_path, imap, smtp_server)
        config.write_text(config.read_text().replace(f"port = {imap.port}", f"port = {proxy.port}"))
        code, _, log = run(config, imap, "poll")
        assert code == 0, log
        db = Database(tmp_path / "leads.db")
        assert [r["filed"] for r in db["replies"].rows] == [0, 0, 1]
        assert proxy.refused == 2
        assert "IMAP unavailable" not in log and log.count("filed later") == 2, log

        run(config, imap, "poll")
        assert proxy.refused == 2  # nothing appended to a folder selected read-only
    replies = list(db["replies"].rows)
    assert [r["filed"] for r in replies] == [1, 1, 1]
    assert message_ids(imap, "INBOX.Sent") == sorted(r["message_id"] for r in replies)
    assert len(smtp_server.messages) == 3  # nothing sent twice


def test_a_reply_left_sending_is_not_sent_again_while_no_sent_folder_can_tell(
    tmp_path: Path,
    courier_like_account: ImapAccount,
    smtp_server: SmtpServer,
) -> None:
    """A kill between the SMTP 250 and our `sent` leaves a row in `sending`; only the
    Sent folder can tell whether it went out. A named folder the server lacks cannot."""
    imap = courier_like_account
    imap.create_folder("INBOX.Sent")
    config = write_config(tmp_path, imap, smtp_server, sent_folder="Sent")
    imap.deliver(mailfactory.inquiry_nl(1))
    run(config, imap, "-q", "poll")
    assert len(smtp_server.messages) == 1
    db = Database(tmp_path / "leads.db")
    [reply] = list(db["replies"].rows)
    db["replies"].update(reply["id"], {"status": "sending"})  # as a kill would leave it

    code, _, log = run(config, imap, "-q", "poll")
    assert len(smtp_server.messages) == 1, "sent again on a guess"
    assert db["replies"].get(reply["id"])["status"] == "sending"
    assert code != 0 and "cannot tell whether an interrupted reply went out" in log, log
