"""Bookings by hand: `bookings add|move|cancel` and `leads set-status` on a file-outbox desk.

The commands run through CliRunner against a LocalDesk (Maildir in, file
outbox out) whose leads first wrote in by mail; every test checks what was
printed, what the bookings and statuses became, and what mail went out.
The last test does the same on real Dovecot and aiosmtpd.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from cli import cli
from inbox_worker import config as config_mod
from inbox_worker.app import template_dirs
from inbox_worker.deciding.booking import CONFIRMED, NEW, BookingChange
from inbox_worker.desk.byhand import ADD, BookingDesk, Refused, Request
from inbox_worker.store import Store
from inbox_worker.writing.render import Renderer
from tests import mailfactory
from tests.imapdesk import Desk, invites, text, to
from tests.localdesk import LocalDesk
from tests.servers import ImapAccount, SmtpServer

ANNA = "anna@gemeente-voorbeeld.nl"
BRAM = "bram@provincie-voorbeeld.nl"
PIET = "piet@waterschap-voorbeeld.nl"


@pytest.fixture
def desk(tmp_path: Path) -> LocalDesk:
    """Three leads who asked and got the offer; two sessions of 2 seats each."""
    desk = LocalDesk(tmp_path / "desk", capacity=2)
    for n, who in enumerate((ANNA, BRAM, PIET), start=1):
        desk.deliver(mailfactory.inquiry_nl(n, sender=who))
    desk.run()
    assert len(desk.new_replies()) == 3
    return desk


def run(desk: LocalDesk | Desk, *args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli,
        ["--config", str(desk.config_path), *args],
        input=input,
        catch_exceptions=False,
    )
    return result.exit_code, result.stdout, result.stderr


def db(desk: LocalDesk) -> Database:
    return Database(desk.database)


def bookings(desk: LocalDesk) -> list[tuple[str, str, int, str]]:
    return [
        (r["email"], r["session_id"], r["seats"], r["status"])
        for r in db(desk).query(
            "select leads.email, session_id, seats, bookings.status from bookings"
            " join leads on leads.id = bookings.lead_id order by bookings.id"
        )
    ]


def status(desk: LocalDesk, email: str) -> str:
    return next(db(desk)["leads"].rows_where("email = ?", [email]))["status"]


def who_got(mail: list[EmailMessage]) -> list[tuple[str, str]]:
    """(recipient, method of the calendar invitation or '') of each mail."""
    return [
        (
            m["To"].addresses[0].addr_spec,
            ",".join(str(i["method"]) for i in invites(m)),
        )
        for m in mail
    ]


# -- add ----------------------------------------------------------------------


def test_add_previews_asks_and_sends_the_confirmation_with_its_invite(desk: LocalDesk) -> None:
    code, out, err = run(desk, "bookings", "add", ANNA, "utrecht", "--seats", "2", input="y\n")
    assert (code, err) == (0, "")
    assert out == (
        f"{ANNA}:\n"
        "  booked 2 seat(s) on utrecht\n"
        "Mail:\n"
        f"  confirmation to {ANNA}, calendar invitation\n"
        "Go ahead? [y/N]: y\n"
        "Done; sent 1 mail.\n"
    )
    assert bookings(desk) == [(ANNA, "utrecht", 2, CONFIRMED)]
    assert status(desk, ANNA) == "booked"
    [confirmation] = desk.new_replies()
    assert who_got([confirmation]) == [(ANNA, "REQUEST")]
    # It answers her own mail, and a person sent it: no Auto-Submitted.
    assert confirmation["Subject"].startswith("Re: ")
    assert confirmation["In-Reply-To"] is not None
    assert confirmation["Auto-Submitted"] is None
    assert "2" in text(confirmation) and "Utrecht" in text(confirmation)
    assert "2 plaatsen op jouw naam" in text(confirmation)  # the seats booked, not a date's digit
    assert "automatisch verstuurd" not in text(confirmation)  # the organiser sent it


def test_add_declined_changes_nothing(desk: LocalDesk) -> None:
    code, out, err = run(desk, "bookings", "add", ANNA, "utrecht", input="n\n")
    assert code == 1
    assert out.endswith("Go ahead? [y/N]: n\n") and "Aborted" in err
    assert bookings(desk) == [] and desk.new_replies() == []
    assert db(desk)["replies"].count == 3  # the three offers only: the preview left none


def test_add_without_mail_books_silently(desk: LocalDesk) -> None:
    code, out, _ = run(desk, "bookings", "add", ANNA, "zwolle", "--yes", "--no-mail")
    assert code == 0
    assert out == f"{ANNA}:\n  booked 1 seat(s) on zwolle\nMail: none (--no-mail)\nDone; no mail.\n"
    assert bookings(desk) == [(ANNA, "zwolle", 1, CONFIRMED)]
    assert status(desk, ANNA) == "booked"
    assert desk.new_replies() == []
    assert db(desk)["replies"].count == 3
    [event] = db(desk)["events"].rows_where("kind = 'booking_by_hand'")
    assert '"mail": false' in event["detail"]


def test_a_full_session_waitlists_unless_over_capacity(desk: LocalDesk) -> None:
    run(desk, "bookings", "add", ANNA, "utrecht", "--seats", "2", "--yes")
    desk.new_replies()

    code, out, err = run(desk, "bookings", "add", BRAM, "utrecht", "--yes")
    assert code == 0
    assert "utrecht has 0 seat(s) left, 1 asked: waitlisted" in out
    assert f"  waitlist to {BRAM}\n" in out
    assert err == (
        f"warning: utrecht has 0 seats left for 1: {BRAM} goes on its waitlist"
        " (--over-capacity books anyway)\n"
    )
    assert who_got(desk.new_replies()) == [(BRAM, "")]
    assert status(desk, BRAM) == "waitlisted"

    code, out, err = run(desk, "bookings", "add", PIET, "utrecht", "--yes", "--over-capacity")
    assert code == 0
    assert err == "warning: over capacity: utrecht will have 3 seats taken of 2\n"
    assert who_got(desk.new_replies()) == [(PIET, "REQUEST")]
    assert bookings(desk)[-1] == (PIET, "utrecht", 1, CONFIRMED)
    assert "3/2" in run(desk, "sessions", "list")[1]


def test_more_seats_than_the_session_has_needs_over_capacity(desk: LocalDesk) -> None:
    code, out, err = run(desk, "bookings", "add", PIET, "utrecht", "--seats", "3", "--yes")
    assert (code, out) == (1, "")
    assert (
        err
        == "Error: utrecht has 2 seats in all, fewer than 3: --over-capacity books them anyway\n"
    )
    assert bookings(desk) == []
    code, _, err = run(
        desk, "bookings", "add", PIET, "utrecht", "--seats", "3", "--yes", "--over-capacity"
    )
    assert code == 0 and "over capacity" in err
    assert bookings(desk) == [(PIET, "utrecht", 3, CONFIRMED)]


def test_add_refusals_are_one_line(desk: LocalDesk) -> None:
    run(desk, "bookings", "add", ANNA, "utrecht", "--yes", "--no-mail")
    cases = {
        ("999", "utrecht"): "Error: no lead 999\n",
        (ANNA, "nowhere"): "Error: no session nowhere (there are: utrecht, zwolle)\n",
        (ANNA, "zwolle"): (
            f"Error: {ANNA} already holds a seat on utrecht:"
            f" use 'inbox-worker bookings move {ANNA} zwolle'\n"
        ),
        (ANNA, "utrecht"): (
            f"Error: {ANNA} already holds 1 seat (confirmed) on utrecht; for other seats,"
            f" cancel first: 'inbox-worker bookings cancel {ANNA} utrecht'\n"
        ),
    }
    for (who, session), error in cases.items():
        assert run(desk, "bookings", "add", who, session, "--yes") == (1, "", error)
    assert run(desk, "bookings", "add", ANNA, "utrecht", "--seats", "0")[0] == 2
    assert len(bookings(desk)) == 1


def test_someone_who_never_wrote_gets_a_lead_only_when_booked(desk: LocalDesk) -> None:
    """Piet asks to book his colleague Karin: she never wrote, yet can be booked,
    with her own confirmation; a declined preview leaves no trace of her."""
    karin = "karin.smit@gemeente-voorbeeld.nl"
    code, _, err = run(desk, "bookings", "add", karin, "utrecht", input="n\n")
    assert code == 1 and "never wrote to you" in err
    assert not list(db(desk)["leads"].rows_where("email = ?", [karin]))
    code, _, err = run(
        desk, "bookings", "add", karin, "utrecht", "--name", "Karin Smit", "--yes"
    )
    assert code == 0, err
    assert bookings(desk) == [(karin, "utrecht", 1, CONFIRMED)]
    lead = next(db(desk)["leads"].rows_where("email = ?", [karin]))
    assert (lead["name"], lead["status"]) == ("Karin Smit", "booked")
    [confirmation] = desk.new_replies()
    assert who_got([confirmation]) == [(karin, "REQUEST")]
    assert "Karin" in text(confirmation)
    # The organiser's own mail to someone who never wrote: no "Re:" to a message
    # that does not exist, and no line saying a machine sent it.
    assert confirmation["Subject"] == "Co-creëren met de samenleving"
    assert confirmation["In-Reply-To"] is None
    assert "automatisch" not in text(confirmation)


# -- cancel -----------------------------------------------------------------------


def test_cancel_withdraws_the_invite_and_promotes_the_waitlist(desk: LocalDesk) -> None:
    run(desk, "bookings", "add", ANNA, "utrecht", "--seats", "2", "--yes")
    run(desk, "bookings", "add", BRAM, "utrecht", "--yes")
    [request] = invites(to(desk.new_replies(), ANNA))

    code, out, _ = run(desk, "bookings", "cancel", ANNA, input="y\n")
    assert code == 0
    assert out == (
        f"{ANNA}:\n"
        "  cancelled confirmed booking on utrecht\n"
        f"  waitlisted {BRAM} promoted on utrecht\n"
        "Mail:\n"
        f"  cancellation to {ANNA}, cancels the appointment\n"
        f"  promoted to {BRAM}, calendar invitation\n"
        "Go ahead? [y/N]: y\n"
        "Done; sent 2 mails.\n"
    )
    sent = desk.new_replies()
    cancellation, promoted = to(sent, ANNA), to(sent, BRAM)
    [cancel] = invites(cancellation)
    assert (cancel["method"], cancel["uid"], cancel["sequence"]) == ("CANCEL", request["uid"], 1)
    assert who_got([promoted]) == [(BRAM, "REQUEST")]
    assert status(desk, ANNA) == "cancelled"
    assert status(desk, BRAM) == "booked"  # promoted: the status follows the seat
    assert bookings(desk) == [
        (ANNA, "utrecht", 2, "cancelled"),
        (BRAM, "utrecht", 1, CONFIRMED),
    ]


def test_cancel_without_mail_promotes_silently(desk: LocalDesk) -> None:
    run(desk, "bookings", "add", ANNA, "utrecht", "--seats", "2", "--yes")
    run(desk, "bookings", "add", BRAM, "utrecht", "--yes")
    desk.new_replies()
    code, out, _ = run(desk, "bookings", "cancel", ANNA, "utrecht", "--yes", "--no-mail")
    assert code == 0 and out.endswith("Mail: none (--no-mail)\nDone; no mail.\n")
    assert desk.new_replies() == []
    assert [b[3] for b in bookings(desk)] == ["cancelled", CONFIRMED]


def test_cancel_refusals_are_one_line(desk: LocalDesk) -> None:
    assert run(desk, "bookings", "cancel", ANNA, "--yes") == (
        1,
        "",
        f"Error: {ANNA} holds no booking to cancel\n",
    )
    run(desk, "bookings", "add", ANNA, "utrecht", "--yes", "--no-mail")
    assert run(desk, "bookings", "cancel", ANNA, "zwolle", "--yes") == (
        1,
        "",
        f"Error: {ANNA} holds no booking on zwolle (holds utrecht)\n",
    )
    assert run(desk, "bookings", "cancel", ANNA, "nowhere", "--yes")[2] == (
        "Error: no session nowhere (there are: utrecht, zwolle)\n"
    )


# -- move ---------------------------------------------------------------------------


def test_move_sends_moved_and_released_and_frees_the_seat(desk: LocalDesk) -> None:
    run(desk, "bookings", "add", ANNA, "utrecht", "--seats", "2", "--yes")
    run(desk, "bookings", "add", BRAM, "utrecht", "--yes")
    [old] = invites(to(desk.new_replies(), ANNA))

    code, out, _ = run(desk, "bookings", "move", ANNA, "zwolle", "--yes")
    assert code == 0
    assert out == (
        f"{ANNA}:\n"
        "  booked 2 seat(s) on zwolle\n"
        "  moved from utrecht\n"
        f"  waitlisted {BRAM} promoted on utrecht\n"
        "Mail:\n"
        f"  moved to {ANNA}, calendar invitation\n"
        f"  released to {ANNA}, cancels the appointment\n"
        f"  promoted to {BRAM}, calendar invitation\n"
        "Done; sent 3 mails.\n"
    )
    moved, released, promoted = _by_kind(desk)
    assert invites(moved)[0]["location"] == "Zwolle"
    assert (invites(released)[0]["method"], invites(released)[0]["uid"]) == ("CANCEL", old["uid"])
    assert who_got([promoted]) == [(BRAM, "REQUEST")]
    assert bookings(desk) == [
        (ANNA, "utrecht", 2, "cancelled"),
        (BRAM, "utrecht", 1, CONFIRMED),
        (ANNA, "zwolle", 2, CONFIRMED),
    ]
    assert run(desk, "bookings", "move", PIET, "zwolle", "--yes") == (
        1,
        "",
        f"Error: {PIET} holds no booking to move: use 'inbox-worker bookings add {PIET} zwolle'\n",
    )


def _by_kind(desk: LocalDesk) -> list[EmailMessage]:
    """The mail of the last command, in the order: moved, released, promoted."""
    kinds = {r["message_id"]: r["kind"] for r in db(desk)["replies"].rows}
    mail = {kinds[str(m["Message-ID"])]: m for m in desk.new_replies()}
    return [mail["moved"], mail["released"], mail["promoted"]]


# -- modes and races -------------------------------------------------------------


def test_hold_mode_holds_the_mail_for_approval(desk: LocalDesk) -> None:
    desk.config_path.write_text(
        desk.config_path.read_text().replace("[replies]\n", '[replies]\nmode = "hold"\n')
    )
    code, out, _ = run(desk, "bookings", "add", ANNA, "utrecht", "--yes")
    [held] = db(desk)["replies"].rows_where("status = 'held'")
    assert code == 0
    assert out.endswith(
        f"Done; mail held: send it with 'inbox-worker replies approve {held['id']}'.\n"
    )
    assert desk.new_replies() == []


def test_a_seat_taken_between_preview_and_confirmation_is_not_oversold(
    desk: LocalDesk,
) -> None:
    config = config_mod.load(desk.config_path)
    now = datetime.now(UTC)
    with Store(config.storage.database) as store:
        store.sync_sessions(config.workshop.title, config.workshop.sessions)
        renderer = Renderer(template_dirs(config), config.organiser.zone)
        byhand = BookingDesk(config, store, renderer, mode="send")
        plan = byhand.plan(Request(ADD, ANNA, "utrecht", seats=2), now)
        assert [m.kind for m in byhand.preview(plan, now)] == ["confirmation"]
        # A poll books Bram on the last seats while Anna's preview is read.
        bram = store.lead_row(BRAM)["id"]
        store.apply_booking_change(BookingChange(NEW, CONFIRMED, "utrecht", 1), bram, now)
        with pytest.raises(Refused, match="changed while the preview was shown"):
            byhand.apply(plan, now)
    assert bookings(desk) == [(BRAM, "utrecht", 1, CONFIRMED)]


# -- set-status ------------------------------------------------------------------


def test_set_status_never_contradicts_the_bookings(desk: LocalDesk) -> None:
    run(desk, "bookings", "add", PIET, "utrecht", "--yes", "--no-mail")
    assert run(desk, "leads", "set-status", PIET, "cancelled") == (
        1,
        "",
        f"Error: {PIET} still holds utrecht (confirmed), so the status cannot be cancelled:"
        f" cancel with 'inbox-worker bookings cancel {PIET}'\n",
    )
    assert run(desk, "leads", "set-status", ANNA, "booked") == (
        1,
        "",
        f"Error: {ANNA} holds no confirmed seat, so the status cannot be booked:"
        f" book one with 'inbox-worker bookings add {ANNA} SESSION'\n",
    )
    assert status(desk, PIET) == "booked" and status(desk, ANNA) == "offered"
    # What agrees with the bookings is still the organiser's to set.
    assert run(desk, "leads", "set-status", PIET, "needs_attention")[0] == 0
    assert run(desk, "leads", "set-status", ANNA, "closed")[0] == 0
    run(desk, "bookings", "cancel", PIET, "--yes", "--no-mail")
    assert status(desk, PIET) == "cancelled"
    assert run(desk, "leads", "set-status", PIET, "booked")[0] == 1


# -- on real servers -------------------------------------------------------------


def test_bookings_by_hand_on_dovecot_and_aiosmtpd(
    tmp_path: Path,
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap_account.password)
    desk = Desk(tmp_path, imap_account, smtp_server)  # utrecht holds 2
    anna, bram = (ANNA, "Anna de Vries"), (BRAM, "Bram Visser")
    desk.write(anna, "")
    desk.write(bram, "")
    offers = desk.run()
    assert len(offers) == 2
    [anna_offer] = [m for m in offers if m["To"].addresses[0].addr_spec == ANNA]

    # Anna phoned: two seats in Utrecht. The confirmation answers her mail.
    assert run(desk, "bookings", "add", ANNA, "utrecht", "--seats", "2", "--yes")[0] == 0
    [confirmation] = desk.collect()
    [request] = invites(confirmation)
    assert request["method"] == "REQUEST" and request["location"] == "Utrecht"
    assert confirmation["In-Reply-To"] is not None
    assert confirmation["Subject"] == f"Re: {anna_offer['Subject'].removeprefix('Re: ')}"

    # Bram too: Utrecht is full, so the waitlist; then over capacity by choice.
    assert run(desk, "bookings", "add", BRAM, "utrecht", "--yes")[0] == 0
    assert who_got(desk.collect()) == [(BRAM, "")]
    # Anna cancels by phone: her invite is withdrawn and Bram moves up.
    assert run(desk, "bookings", "cancel", ANNA, "--yes")[0] == 0
    sent = desk.collect()
    assert sorted(who_got(sent)) == [(ANNA, "CANCEL"), (BRAM, "REQUEST")]
    [cancel] = [i for m in sent for i in invites(m) if i["method"] == "CANCEL"]
    assert (cancel["uid"], cancel["sequence"]) == (request["uid"], 1)

    # Anna after all, past the capacity; then Bram moved without a word.
    code, _, err = run(
        desk, "bookings", "add", ANNA, "utrecht", "--seats", "2", "--yes", "--over-capacity"
    )
    assert code == 0 and err == "warning: over capacity: utrecht will have 3 seats taken of 2\n"
    assert who_got(desk.collect()) == [(ANNA, "REQUEST")]
    assert run(desk, "bookings", "move", BRAM, "zwolle", "--yes", "--no-mail")[0] == 0
    assert desk.collect() == []
    assert desk.bookings(BRAM) == [("utrecht", "cancelled"), ("zwolle", CONFIRMED)]
    # A pass afterwards sends nothing more: everything was told once.
    assert desk.run() == []


def test_rejecting_a_held_confirmation_says_the_seat_is_still_taken(desk: LocalDesk) -> None:
    """The mail is dropped, the booking is not: the organiser is told how to free it."""
    desk.config_path.write_text(
        desk.config_path.read_text().replace("[replies]\n", '[replies]\nmode = "hold"\n')
    )
    run(desk, "bookings", "add", ANNA, "utrecht", "--yes")
    [held] = db(desk)["replies"].rows_where("status = 'held'")
    code, out, _ = run(desk, "replies", "reject", str(held["id"]))
    assert code == 0
    assert out == (
        "Rejected 1 reply.\n"
        f"{ANNA} still holds 1 seat(s) (confirmed) on utrecht:"
        f" inbox-worker bookings cancel {ANNA} utrecht\n"
    )
