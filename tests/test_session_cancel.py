"""`sessions cancel`: the organiser calls a session off and everyone on it hears, once.

The CLI tests run on the file-outbox desk (Maildir in, .eml files out); the
last one runs the same story on Dovecot and aiosmtpd. People book by mail, as
they would: an inquiry, the offer, their answer.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from inbox_worker.deciding import booking
from inbox_worker.deciding.booking import CANCELLED, CONFIRMED, WAITLISTED, Booking, SessionSeats
from inbox_worker.writing.invite import from_ics
from tests import mailfactory
from tests.imapdesk import Desk
from tests.localdesk import LocalDesk
from tests.servers import ImapAccount, SmtpServer

ANNA = ("anna@gemeente-voorbeeld.nl", "Anna de Vries")
BOB = ("bob@province-example.nl", "Bob Miller")


def run(desk: LocalDesk, *args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli, ["--config", str(desk.config_path), *args], input=input, catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def to(msg: EmailMessage) -> str:
    return msg["To"].addresses[0].addr_spec


def text(msg: EmailMessage) -> str:
    body = msg.get_body(("plain",))
    assert isinstance(body, EmailMessage)
    return str(body.get_content())


def methods(msg: EmailMessage) -> list[str]:
    return [
        str(from_ics(p.get_content())["method"])
        for p in msg.walk()
        if p.get_content_type() == "application/ics"
    ]


def db(desk: LocalDesk) -> sqlite3.Connection:
    return sqlite3.connect(desk.database)


def booked_and_waiting(tmp_path: Path) -> LocalDesk:
    """Utrecht and Zwolle with one seat each: Anna (nl) holds Utrecht's, Bob (en) waits."""
    desk = LocalDesk(tmp_path, capacity=1)
    desk.deliver(mailfactory.inquiry_nl(1, sender=ANNA[0]))
    desk.deliver(mailfactory.inquiry_en(2, sender=BOB[0]))
    desk.run()
    offers = {to(m): m for m in desk.new_replies()}
    desk.deliver(mailfactory.reply_to(offers[ANNA[0]].as_bytes(), *ANNA, "Optie 1 graag", 3))
    desk.deliver(mailfactory.reply_to(offers[BOB[0]].as_bytes(), *BOB, "Option 1 please", 4))
    desk.run()
    desk.new_replies()
    with db(desk) as conn:
        rows = conn.execute(
            "select l.email, b.session_id, b.status from bookings b join leads l"
            " on l.id = b.lead_id order by b.id"
        ).fetchall()
    assert rows == [(ANNA[0], "utrecht", CONFIRMED), (BOB[0], "utrecht", WAITLISTED)]
    return desk


def test_the_preview_names_everyone_and_the_mail_and_a_no_changes_nothing(
    tmp_path: Path,
) -> None:
    desk = booked_and_waiting(tmp_path)
    code, out, _ = run(desk, "sessions", "cancel", "utrecht", input="n\n")
    assert code == 1  # aborted
    assert "Session utrecht: 2099-01-12 09:30, Utrecht" in out
    assert f"confirmed   1      {ANNA[0]}" in out
    assert f"waitlisted  1      {BOB[0]}" in out
    assert "the mail in nl, with CANCEL invite, e.g. to " + ANNA[0] in out
    assert "the mail in en, e.g. to " + BOB[0] in out
    assert "Subject: Afgelast: Co-creëren met de samenleving" in out
    assert "Subject: Cancelled: Co-creëren met de samenleving" in out
    assert "Cancel session utrecht? [y/N]" in out
    with db(desk) as conn:
        assert conn.execute("select cancelled from sessions where id = 'utrecht'").fetchone() == (
            None,
        )
        assert conn.execute(
            "select count(*) from replies where kind = 'session_cancelled'"
        ).fetchone() == (0,)
        assert conn.execute("select status from bookings order by id").fetchall() == [
            (CONFIRMED,),
            (WAITLISTED,),
        ]
    assert desk.new_replies() == []


def test_everyone_booked_or_waiting_hears_once_in_their_language(tmp_path: Path) -> None:
    desk = booked_and_waiting(tmp_path)
    code, out, err = run(desk, "sessions", "cancel", "utrecht", "--yes")
    assert (code, err) == (0, "")
    assert out.endswith(
        "Cancelled session utrecht, with 1 booking and 1 waitlist place.\nSent 2 of 2 emails.\n"
    )
    mails = {to(m): m for m in desk.new_replies()}
    assert sorted(mails) == sorted([ANNA[0], BOB[0]])

    anna, bob = mails[ANNA[0]], mails[BOB[0]]
    assert anna["Subject"].startswith("Afgelast: Co-creëren met de samenleving, ")
    assert methods(anna) == ["CANCEL"]  # her confirmed seat leaves her calendar
    assert "Beste Anna," in text(anna) and "afgelasten" in text(anna)
    assert "Optie 1: " in text(anna) and "Zwolle" in text(anna)
    assert "Utrecht" not in text(anna).split("Op deze data")[1]  # never offered again
    assert bob["Subject"].startswith("Cancelled: ")
    assert methods(bob) == []  # a waitlist place has no appointment to withdraw
    assert "waitlist" in text(bob) and "Option 1: " in text(bob) and "Zwolle" in text(bob)
    assert "Beste" not in text(bob) and "afgelast" not in text(bob)
    assert anna["Auto-Submitted"] is None  # the organiser's own mail, not an auto-reply

    with db(desk) as conn:
        assert conn.execute(
            "select cancelled is not null from sessions where id = 'utrecht'"
        ).fetchone() == (1,)
        assert conn.execute("select status from bookings order by id").fetchall() == [
            (CANCELLED,),
            (CANCELLED,),
        ]
        assert conn.execute("select status from leads order by id").fetchall() == [
            ("cancelled",),
            ("cancelled",),
        ]
        # The CANCEL supersedes her invitation (RFC 5546): a higher SEQUENCE.
        assert conn.execute("select ics_sequence from bookings order by id").fetchall()[0] == (1,)

    code, out, _ = run(desk, "sessions", "list")
    assert [line.split()[-1] for line in out.splitlines() if line.startswith("utrecht")] == [
        "cancelled"
    ]
    code, _, err = run(desk, "sessions", "cancel", "utrecht", "--yes")
    assert code == 1 and "session utrecht was cancelled on " in err
    assert desk.new_replies() == []

    # Her answer to the cancellation books the alternative it offered.
    desk.deliver(mailfactory.reply_to(anna.as_bytes(), *ANNA, "Dan graag optie 1", 5))
    desk.run()
    [confirmation] = desk.new_replies()
    assert to(confirmation) == ANNA[0] and methods(confirmation) == ["REQUEST"]
    with db(desk) as conn:
        assert conn.execute(
            "select session_id, status from bookings where id = (select max(id) from bookings)"
        ).fetchone() == ("zwolle", CONFIRMED)


def test_no_mail_cancels_silently_and_an_empty_session_just_goes(tmp_path: Path) -> None:
    desk = booked_and_waiting(tmp_path)
    code, out, _ = run(desk, "sessions", "cancel", "utrecht", "--yes", "--no-mail")
    assert code == 0 and out.endswith("No mail sent. (--no-mail)\n")
    assert "no mail (--no-mail)" in out
    assert desk.new_replies() == []
    code, out, _ = run(desk, "sessions", "cancel", "zwolle", "--yes")
    assert code == 0
    assert "Nobody is booked or waiting: no mail goes out." in out
    assert out.endswith("with 0 bookings and 0 waitlist places.\nNo mail sent.\n")
    with db(desk) as conn:
        assert conn.execute("select count(*) from sessions where cancelled is null").fetchone() == (
            0,
        )


def test_an_unknown_session_is_one_line(tmp_path: Path) -> None:
    desk = LocalDesk(tmp_path)
    desk.run()
    code, _, err = run(desk, "sessions", "cancel", "nowhere", "--yes")
    assert (code, err) == (1, "Error: no session nowhere\n")


def test_a_session_dropped_from_the_config_with_people_on_it_is_named(tmp_path: Path) -> None:
    desk = booked_and_waiting(tmp_path)
    config = desk.config_path.read_text(encoding="utf-8")
    start = config.index('[[workshop.sessions]]\nid = "utrecht"')
    end = config.index("[[workshop.sessions]]", start + 1)
    desk.config_path.write_text(config[:start] + config[end:], encoding="utf-8")

    warning = (
        "warning: session utrecht (1 booked, 1 waiting) removed from the config but nobody"
        " told: run 'inbox-worker sessions cancel utrecht'\n"
    )
    code, _, err = run(desk, "-q", "poll")
    assert (code, err) == (0, warning)  # one line a pass, also under cron
    code, out, _ = run(desk, "doctor")
    assert code == 1
    assert "FAIL  sessions   session utrecht (1 booked, 1 waiting) removed from the config" in out
    code, out, _ = run(desk, "sessions", "list")
    assert "removed from config" in out

    # Cancelled (here in silence), it is settled: no warning, doctor content.
    assert run(desk, "sessions", "cancel", "utrecht", "--yes", "--no-mail")[0] == 0
    assert run(desk, "-q", "poll") == (0, "", "")
    code, out, _ = run(desk, "doctor")
    assert "ok    sessions   every session with bookings is in the config or cancelled" in out


# -- the decision (pure) ------------------------------------------------------------


def _session(sid: str, month: int, taken: int = 0) -> SessionSeats:
    start = datetime(2099, month, 1, 9, 30, tzinfo=UTC)
    return SessionSeats(sid, start, start.replace(hour=16), sid.title(), 4, taken)


def _booking(bid: int, status: str, seats: int = 1, *, opted_out: bool = False) -> Booking:
    return Booking(
        id=bid,
        lead_id=bid,
        session_id="a",
        seats=seats,
        status=status,
        ics_sequence=0,
        created=datetime(2098, 1, bid, tzinfo=UTC),
        lead_email=f"p{bid}@example.org",
        lead_opted_out=opted_out,
    )


def test_each_person_is_offered_only_sessions_their_group_fits() -> None:
    sessions = [_session("b", 2, taken=2), _session("c", 3)]
    on_it = [
        _booking(1, CONFIRMED, 3),
        _booking(2, WAITLISTED, 1),
        _booking(3, CONFIRMED, opted_out=True),
        _booking(4, CANCELLED),
    ]
    out = booking.cancel_session("a", on_it, sessions, datetime(2098, 12, 1, tzinfo=UTC))
    assert [(c.ref, c.status) for c in out.changes] == [
        ("b1", CANCELLED),
        ("b2", CANCELLED),
        ("b3", CANCELLED),
    ]
    three, one = out.notices  # nobody writes to the one who opted out
    assert (three.lead_id, three.cancel_ref, [o.session_id for o in three.offered]) == (
        1,
        "b1",
        ["c"],
    )
    assert (one.lead_id, one.cancel_ref, [o.session_id for o in one.offered]) == (
        2,
        None,
        ["b", "c"],
    )
    assert "no mail to p3@example.org: opted out" in out.notes


# -- on the real servers ----------------------------------------------------------------


@pytest.mark.timeout(120)
def test_session_cancel_over_imap_and_smtp(
    tmp_path: Path,
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desk = Desk(tmp_path, imap_account, smtp_server, utrecht_capacity=1)
    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap_account.password)
    desk.write(ANNA, "")
    desk.imap.deliver(mailfactory.inquiry_en(2, sender=BOB[0]))
    offers = {to(m): m for m in desk.run()}
    desk.write(ANNA, "Optie 1", offers[ANNA[0]])
    desk.write(BOB, "Option 1 please", offers[BOB[0]])
    desk.run()
    assert desk.bookings(ANNA[0]) == [("utrecht", CONFIRMED)]
    assert desk.bookings(BOB[0]) == [("utrecht", WAITLISTED)]

    result = CliRunner().invoke(
        cli, ["--config", str(desk.config_path), "sessions", "cancel", "utrecht", "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("Sent 2 of 2 emails.\n")
    mails = {to(m): m for m in desk.collect()}
    assert sorted(mails) == sorted([ANNA[0], BOB[0]])  # each once
    assert methods(mails[ANNA[0]]) == ["CANCEL"] and methods(mails[BOB[0]]) == []
    assert str(mails[ANNA[0]]["Content-Language"]) == "nl"
    assert str(mails[BOB[0]]["Content-Language"]) == "en"
    for msg in mails.values():  # the alternatives: Zwolle and online, never Utrecht again
        body = text(msg)
        assert "Zwolle" in body and "online" in body
        assert body.count("Utrecht") == 1  # only where it says which session is off
    assert desk.bookings(ANNA[0]) == [("utrecht", CANCELLED)]
    # Nothing more goes out on the next pass.
    assert desk.run() == []


def test_someone_waiting_to_move_keeps_the_seat_they_hold_and_the_status_says_so(
    tmp_path: Path,
) -> None:
    """Anna holds Utrecht and waits to move to a full Zwolle; Zwolle is called off.
    Her Utrecht seat stands, and her status is booked again, not 'waitlisted'."""
    carl = ("carl@gemeente-voorbeeld.nl", "Carl Smit")
    desk = LocalDesk(tmp_path, capacity=1)
    desk.deliver(mailfactory.inquiry_nl(1, sender=ANNA[0]))
    desk.deliver(mailfactory.inquiry_nl(2, sender=carl[0]))
    desk.run()
    offers = {to(m): m for m in desk.new_replies()}
    desk.deliver(mailfactory.reply_to(offers[ANNA[0]].as_bytes(), *ANNA, "Optie 1 graag", 3))
    desk.deliver(mailfactory.reply_to(offers[carl[0]].as_bytes(), *carl, "Optie 2 graag", 4))
    desk.run()
    [anna_confirmed] = [m for m in desk.new_replies() if to(m) == ANNA[0]]
    desk.deliver(
        mailfactory.reply_to(anna_confirmed.as_bytes(), *ANNA, "Toch liever optie 2", 5)
    )
    desk.run()
    desk.new_replies()
    status = "select status from leads where email = ?"
    assert db(desk).execute(status, [ANNA[0]]).fetchone() == ("waitlisted",)

    code, _, err = run(desk, "sessions", "cancel", "zwolle", "--yes")
    assert (code, err) == (0, "")
    assert db(desk).execute(status, [ANNA[0]]).fetchone() == ("booked",)
    held = "select b.session_id, b.status from bookings b join leads l on l.id = b.lead_id"
    held += " where l.email = ? and b.status != 'cancelled'"
    assert db(desk).execute(held, [ANNA[0]]).fetchall() == [("utrecht", "confirmed")]
