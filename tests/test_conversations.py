"""Booking by email, whole conversations on real Dovecot and aiosmtpd.

Participants write in, get the offer, answer it, and get what a booking
system would send: confirmations with invites, a waitlist place, a promotion
when someone cancels, a moved booking, and a reminder on a moved clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests import mailfactory
from tests.imapdesk import Desk, invites, text, to
from tests.servers import ImapAccount, SmtpServer

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
A = ("anna@gemeente-voorbeeld.nl", "Anna de Vries")
B = ("bram@provincie-voorbeeld.nl", "Bram Visser")
C = ("carol@ministry-example.nl", "Carol Smith")


@pytest.fixture
def desk(
    tmp_path: Path,
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> Desk:
    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap_account.password)
    return Desk(tmp_path, imap_account, smtp_server)


def test_book_waitlist_cancel_promote_move_and_remind(desk: Desk) -> None:
    # Three people ask; each gets the offer.
    desk.write(A, "")
    desk.write(B, "")
    desk.imap.deliver(mailfactory.inquiry_en(3, sender=C[0]))
    offers = desk.run()
    assert len(offers) == 3
    assert "Optie 1:" in text(to(offers, A[0])) and "Utrecht" in text(to(offers, A[0]))

    # Anna takes both Utrecht seats.
    desk.write(A, "Graag optie 1, ik kom met een collega, dus met z'n tweeën.", to(offers, A[0]))
    [confirmation] = desk.run()
    assert confirmation["In-Reply-To"] is not None
    assert confirmation["Auto-Submitted"] == "auto-replied"
    [invite] = invites(confirmation)
    assert invite["method"] == "REQUEST"
    assert invite["sequence"] == 0
    assert invite["location"] == "Utrecht"
    assert invite["starts"] == datetime(2099, 1, 12, 9, 30, tzinfo=AMSTERDAM)
    assert invite["ends"] == datetime(2099, 1, 12, 16, 30, tzinfo=AMSTERDAM)
    assert invite["organizer"] == f"mailto:{mailfactory.ORGANISER}"
    assert invite["attendee"] == f"mailto:{A[0]}"
    assert invite["tzids"] == ["Europe/Amsterdam"]
    calendar_parts = [p for p in confirmation.walk() if p.get_content_type() == "text/calendar"]
    assert calendar_parts[0].get_param("method") == "REQUEST"

    # Bram wants Utrecht too: full, so the waitlist, with Zwolle offered instead.
    desk.write(B, "Ik kies voor optie 1.", to(offers, B[0]))
    [waitlist] = desk.run()
    assert "wachtlijst" in text(waitlist)
    assert "Zwolle" in text(waitlist) and invites(waitlist) == []
    seats = {r["session_id"]: r for r in desk.db.query(
        "select session_id, sum(seats) as seats from bookings where status = 'confirmed' group by session_id"
    )}  # fmt: skip
    assert seats["utrecht"]["seats"] == 2

    # Anna cancels: her invite is withdrawn (same UID, higher SEQUENCE) and Bram moves up.
    desk.write(A, "Helaas moeten we onze aanmelding annuleren, we kunnen toch niet.", confirmation)
    sent = desk.run()
    cancelled = to(sent, A[0])
    [cancel] = invites(cancelled)
    assert (cancel["method"], cancel["uid"], cancel["sequence"]) == ("CANCEL", invite["uid"], 1)
    assert cancel["status"] == "CANCELLED"
    promoted = to(sent, B[0])
    assert "plaats vrijgekomen" in promoted["Subject"]
    [bram_invite] = invites(promoted)
    assert bram_invite["method"] == "REQUEST" and bram_invite["location"] == "Utrecht"
    assert bram_invite["uid"] != invite["uid"]
    # Status and bookings agree: who moved up holds a seat, and says so.
    bram = desk.lead(B[0])
    assert bram is not None and bram["status"] == "booked"

    # Carol books Zwolle, then changes her mind to the online session.
    desk.write(C, "Option 2 works for me, please book one place.", to(offers, C[0]))
    [carol_confirmation] = desk.run()
    [zwolle] = invites(carol_confirmation)
    assert zwolle["location"] == "Zwolle"
    desk.write(
        C, "Change of plans: please move me to option 3, the online session.", to(offers, C[0])
    )
    # Two messages, each with one calendar part (RFC 6047): Outlook and Gmail act
    # on the inline part only, so the CANCEL cannot ride along with the REQUEST.
    moved, released = desk.run()
    assert "separate message" in text(moved)
    [new_invite] = invites(moved)
    assert (new_invite["method"], new_invite["location"]) == ("REQUEST", "online")
    [withdrawn] = invites(released)
    assert (withdrawn["method"], withdrawn["uid"]) == ("CANCEL", zwolle["uid"])
    assert withdrawn["sequence"] == 1
    assert released["In-Reply-To"] == moved["Message-ID"]
    assert released["Subject"] == moved["Subject"]
    for msg, method in ((moved, "REQUEST"), (released, "CANCEL")):
        [inline] = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
        assert inline.get_param("method") == method

    # Nothing new: nothing sent. Reminders go out once, two days before Utrecht.
    assert desk.run() == []
    desk.now = datetime(2099, 1, 10, 8, 0, tzinfo=UTC)
    reminders = desk.run(lambda w: w.remind(3))
    assert [r["To"].addresses[0].addr_spec for r in reminders] == [B[0]]
    assert reminders[0]["Subject"].startswith("Herinnering:")
    assert desk.run(lambda w: w.remind(3)) == []

    statuses = {
        (r["email"], r["session_id"]): r["status"]
        for r in desk.db.query(
            "select leads.email, session_id, bookings.status from bookings"
            " join leads on leads.id = bookings.lead_id"
        )
    }
    assert statuses == {
        (A[0], "utrecht"): "cancelled",
        (B[0], "utrecht"): "confirmed",
        (C[0], "zwolle"): "cancelled",
        (C[0], "online"): "confirmed",
    }


def test_two_choices_for_the_last_seat_in_one_pass(desk: Desk) -> None:
    desk.write(A, "")
    desk.write(B, "")
    offers = desk.run()
    desk.write(A, "Graag optie 1, ik kom met z'n tweeën.", to(offers, A[0]))
    desk.write(B, "Graag optie 1.", to(offers, B[0]))
    sent = desk.run()
    assert invites(to(sent, A[0]))[0]["method"] == "REQUEST"
    assert invites(to(sent, B[0])) == []  # waitlisted: never oversold
    taken = desk.db.execute(
        "select sum(seats) from bookings where session_id = 'utrecht' and status = 'confirmed'"
    ).fetchone()[0]
    assert taken == 2


def test_a_follow_up_question_goes_to_the_organiser_not_to_the_robot(desk: Desk) -> None:
    desk.write(A, "")
    [offer] = desk.run()
    desk.write(A, "Ik wil graag komen, maar welke datum past het best bij beginners?", offer)
    assert desk.run() == []
    assert desk.db["bookings"].count == 0
    [lead] = desk.db["leads"].rows
    assert lead["status"] == "needs_attention"


def test_reminder_clock_is_a_window_not_a_day(desk: Desk) -> None:
    desk.write(A, "")
    [offer] = desk.run()
    desk.write(A, "Graag optie 2.", offer)
    desk.run()
    desk.now = datetime(2099, 1, 20, 8, 0, tzinfo=UTC)  # 15 days before Zwolle
    assert desk.run(lambda w: w.remind(3)) == []
    desk.now = datetime(2099, 2, 3, 8, 0, tzinfo=UTC) - timedelta(hours=1)
    [reminder] = desk.run(lambda w: w.remind(3))
    assert "Zwolle" in text(reminder)
