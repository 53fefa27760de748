"""Booking decisions (pure): choices, capacity, waitlist, moves, cancellations, reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from inbox_worker.deciding.booking import (
    CANCELLED,
    CONFIRMED,
    NEW,
    WAITLISTED,
    Booking,
    BookingChange,
    SessionSeats,
    cancel,
    choose,
    due_reminders,
    offer,
    promote,
)
from inbox_worker.model import OfferedSession

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def session(sid: str, days: int, capacity: int = 10, taken: int = 0) -> SessionSeats:
    starts = NOW + timedelta(days=days)
    return SessionSeats(sid, starts, starts + timedelta(hours=7), sid.title(), capacity, taken)


def booking(
    bid: int,
    sid: str,
    status: str = CONFIRMED,
    seats: int = 1,
    lead: int = 1,
    minutes: int = 0,
    **kw: object,
) -> Booking:
    return Booking(
        id=bid,
        lead_id=lead,
        session_id=sid,
        seats=seats,
        status=status,
        ics_sequence=0,
        created=NOW - timedelta(days=1) + timedelta(minutes=minutes),
        lead_email=f"lead{lead}@example.nl",
        lead_name=f"Lead {lead}",
        **kw,  # type: ignore[arg-type]
    )


UTRECHT, ZWOLLE, ONLINE = session("utrecht", 30), session("zwolle", 60), session("online", 90)
SESSIONS = [UTRECHT, ZWOLLE, ONLINE]
OFFERED = offer(SESSIONS, NOW)


def test_a_choice_books_the_seats_asked_for() -> None:
    outcome = choose(2, OFFERED, 3, [], SESSIONS, {}, NOW)
    assert outcome.changes == (BookingChange(NEW, CONFIRMED, "zwolle", 3),)
    [notice] = outcome.notices
    assert (notice.kind, notice.booking_ref, notice.cancel_ref) == ("confirmation", NEW, None)
    assert outcome.lead_status == "booked"


def test_the_number_means_what_this_person_was_offered() -> None:
    # They were offered Zwolle as option 1 (Utrecht was full then).
    theirs = (OfferedSession(1, "zwolle", ZWOLLE.starts, "Zwolle"),)
    outcome = choose(1, theirs, 1, [], SESSIONS, {}, NOW)
    assert outcome.changes[0].session_id == "zwolle"


def test_seats_exactly_at_capacity_fit() -> None:
    almost = session("utrecht", 30, capacity=10, taken=7)
    outcome = choose(1, offer([almost], NOW), 3, [], [almost], {}, NOW)
    assert outcome.changes[0].status == CONFIRMED


def test_one_seat_too_many_goes_to_the_waitlist_with_alternatives() -> None:
    almost = session("utrecht", 30, capacity=10, taken=8)
    sessions = [almost, ZWOLLE, session("tiny", 70, capacity=2)]
    offered = offer(sessions, NOW)
    outcome = choose(1, offered, 3, [], sessions, {}, NOW)
    assert outcome.changes == (BookingChange(NEW, WAITLISTED, "utrecht", 3),)
    [notice] = outcome.notices
    assert notice.kind == "waitlist"
    # Only sessions where all three fit, renumbered from 1.
    assert [(o.number, o.session_id) for o in notice.offered] == [(1, "zwolle")]
    assert outcome.lead_status == "waitlisted"


def test_unclear_or_unknown_option_asks_again() -> None:
    for option in (None, 7):
        outcome = choose(option, OFFERED, 1, [], SESSIONS, {}, NOW)
        assert outcome.changes == ()
        assert outcome.notices[0].kind == "choose_again"
        assert [o.session_id for o in outcome.notices[0].offered] == ["utrecht", "zwolle", "online"]


def test_a_choice_for_a_past_session_asks_again() -> None:
    past = session("verleden", -2)
    offered = (OfferedSession(1, "verleden", past.starts, "Verleden"),)
    outcome = choose(1, offered, 1, [], [past, ZWOLLE], {}, NOW)
    assert outcome.changes == ()
    assert outcome.notices[0].kind == "choose_again"
    assert [o.session_id for o in outcome.notices[0].offered] == ["zwolle"]


def test_choosing_the_same_session_twice_books_once() -> None:
    mine = [booking(5, "zwolle")]
    outcome = choose(2, OFFERED, 1, mine, SESSIONS, {}, NOW)
    assert outcome.changes == ()
    assert outcome.notices[0].kind == "confirmation"
    assert outcome.notices[0].booking_ref == "b5"


def test_a_change_of_mind_moves_the_booking_and_withdraws_the_old_invite() -> None:
    mine = [booking(5, "utrecht", seats=2)]
    outcome = choose(3, OFFERED, 2, mine, SESSIONS, {}, NOW)
    assert outcome.changes == (
        BookingChange(NEW, CONFIRMED, "online", 2),
        BookingChange("b5", CANCELLED),
    )
    [notice] = outcome.notices
    assert (notice.kind, notice.booking_ref, notice.cancel_ref) == ("moved", NEW, "b5")


def test_moving_frees_the_old_seats_for_the_waitlist() -> None:
    full = session("utrecht", 30, capacity=2, taken=2)
    waiting = [booking(9, "utrecht", WAITLISTED, lead=2)]
    offered = offer([full, ZWOLLE], NOW)  # Utrecht is full: Zwolle is option 1
    sessions = [full, ZWOLLE]
    outcome = choose(1, offered, 1, [booking(5, "utrecht")], sessions, {"utrecht": waiting}, NOW)
    assert BookingChange("b9", CONFIRMED) in outcome.changes
    assert [n.kind for n in outcome.notices] == ["moved", "promoted"]
    assert outcome.notices[1].lead_id == 2


def test_moving_to_a_full_session_keeps_the_current_seat_while_waiting() -> None:
    full = session("zwolle", 60, capacity=1, taken=1)
    sessions = [UTRECHT, full]
    offered = (OfferedSession(2, "zwolle", full.starts, "Zwolle"),)
    outcome = choose(2, offered, 1, [booking(5, "utrecht")], sessions, {}, NOW)
    assert outcome.changes == (BookingChange(NEW, WAITLISTED, "zwolle", 1, replaces=5),)


def test_cancellation_withdraws_the_invite_and_promotes_first_fit() -> None:
    full = session("utrecht", 30, capacity=4, taken=4)
    waiting = [
        booking(10, "utrecht", WAITLISTED, seats=3, lead=2, minutes=1),  # asked first, too big
        booking(11, "utrecht", WAITLISTED, seats=1, lead=3, minutes=2),
        booking(12, "utrecht", WAITLISTED, seats=1, lead=4, minutes=3),
    ]
    mine = [booking(5, "utrecht", seats=2)]
    outcome = cancel(None, (), mine, [full], {"utrecht": waiting})
    assert outcome.changes == (
        BookingChange("b5", CANCELLED),
        BookingChange("b11", CONFIRMED),
        BookingChange("b12", CONFIRMED),
    )
    kinds = [(n.kind, n.cancel_ref, n.lead_id) for n in outcome.notices]
    assert kinds == [("cancellation", "b5", None), ("promoted", None, 3), ("promoted", None, 4)]


def test_cancelling_a_waitlisted_booking_sends_no_calendar_cancel() -> None:
    outcome = cancel(None, (), [booking(5, "utrecht", WAITLISTED)], SESSIONS, {})
    assert outcome.notices[0].cancel_ref is None


def test_cancellation_of_the_session_named_only() -> None:
    mine = [booking(5, "utrecht"), booking(6, "zwolle")]
    outcome = cancel(2, OFFERED, mine, SESSIONS, {})
    assert outcome.changes == (BookingChange("b6", CANCELLED),)


def test_cancellation_without_booking_changes_nothing() -> None:
    outcome = cancel(None, (), [], SESSIONS, {})
    assert outcome.changes == () and outcome.notices == ()
    assert outcome.notes == ("cancellation, but no booking to cancel",)


def test_a_newcomer_takes_only_seats_no_waiting_lead_fits() -> None:
    two_free = session("utrecht", 30, capacity=10, taken=8)
    waiting = {"utrecht": [booking(10, "utrecht", WAITLISTED, seats=1, lead=2)]}
    offered = offer([two_free], NOW)
    # One seat is the waiting lead's: a newcomer wanting two does not get them ...
    assert choose(1, offered, 2, [], [two_free], waiting, NOW).changes[0].status == WAITLISTED
    # ... but the other seat is free for a newcomer wanting one.
    assert choose(1, offered, 1, [], [two_free], waiting, NOW).changes[0].status == CONFIRMED


def test_promotion_skips_opted_out_leads() -> None:
    freed = session("utrecht", 30, capacity=1, taken=0)
    waiting = [booking(10, "utrecht", WAITLISTED, lead=2, lead_opted_out=True)]
    assert promote(freed, 0, waiting).changes == ()


def test_promotion_of_a_lead_who_kept_a_seat_gives_that_seat_up() -> None:
    freed = session("zwolle", 60, capacity=1, taken=0)
    waiting = [booking(10, "zwolle", WAITLISTED, lead=2, replaces=4)]
    outcome = promote(freed, 0, waiting)
    assert outcome.changes == (BookingChange("b10", CONFIRMED), BookingChange("b4", CANCELLED))
    assert outcome.notices[0].cancel_ref == "b4"


def test_reminders_are_due_once_within_the_window() -> None:
    soon, later = session("soon", 2), session("later", 10)
    pairs = [
        (booking(1, "soon"), soon),
        (booking(2, "soon", CANCELLED), soon),
        (booking(3, "soon", lead_opted_out=True), soon),
        (booking(4, "soon"), soon),
        (booking(5, "later"), later),
    ]
    due = due_reminders(pairs, reminded={4}, now=NOW, days_before=3)
    assert [b.id for b, _ in due] == [1]


def test_seats_freed_in_a_session_booked_past_capacity_fill_the_excess_first() -> None:
    # Booked by hand to 5 of 2 seats: cancelling 2 leaves 3, still more than 2.
    over = session("utrecht", 30, capacity=2, taken=5)
    waiting = {"utrecht": [booking(10, "utrecht", WAITLISTED, lead=2)]}
    outcome = cancel(None, (), [booking(5, "utrecht", seats=2)], [over], waiting)
    assert outcome.changes == (BookingChange("b5", CANCELLED),)
    # Cancelling 4 of the 5 leaves 1: one seat for the waiting lead.
    outcome = cancel(None, (), [booking(5, "utrecht", seats=4)], [over], waiting)
    assert outcome.changes[1:] == (BookingChange("b10", CONFIRMED),)
