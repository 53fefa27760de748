"""Workflow decisions (pure): who gets a reply, and why not."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from inbox_worker.deciding.booking import offer
from inbox_worker.deciding.workflow import Decision, Situation, decide
from inbox_worker.model import Booking, Conversation, Lead, Policy, PriorReply, SessionSeats
from inbox_worker.reading.classify import Category, Classification
from inbox_worker.reading.dsn import FailedRecipient
from inbox_worker.reading.extract import Facts
from inbox_worker.reading.message import DeliveryReport, ParsedMessage

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
POLICY = Policy(
    our_addresses=frozenset({"workshops@example.org"}),
    min_days_between=7,
    forwarders=frozenset({"@example.org"}),  # the organiser's own organisation, as configured
)


def message(**changes: object) -> ParsedMessage:
    base = ParsedMessage(
        message_id="<m1@example.nl>",
        in_reply_to=None,
        references=(),
        from_addr="anna@gemeente-voorbeeld.nl",
        from_name="Anna de Vries",
        return_path="anna@gemeente-voorbeeld.nl",
        to_addrs=("workshops@example.org",),
        subject="Vraag over de workshop",
        date=NOW,
        headers={},
        content_type="text/plain",
        text="Ik wil graag meer weten.",
        new_text="Ik wil graag meer weten.",
        signature="",
        size=100,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def verdict(category: Category, language: str = "nl") -> Classification:
    return Classification(category=category, language=language, reasons=("test",))


def session(sid: str, days: int, capacity: int = 10, taken: int = 0) -> SessionSeats:
    starts = NOW + timedelta(days=days)
    return SessionSeats(sid, starts, starts + timedelta(hours=7), sid.title(), capacity, taken)


SESSIONS = [session("b", 60), session("past", -3), session("full", 30, 5, 5), session("a", 40)]


def run(
    msg: ParsedMessage,
    category: Category,
    *,
    facts: Facts | None = None,
    language: str = "nl",
    **situation: object,
) -> Decision:
    situation.setdefault("sessions", SESSIONS)
    return decide(
        msg,
        verdict(category, language),
        facts or Facts(name="Anna de Vries"),
        Situation(**situation),  # type: ignore[arg-type]
        POLICY,
        NOW,
    )


def test_offer_lists_upcoming_sessions_with_seats_numbered_by_date() -> None:
    offered = offer(SESSIONS, NOW)
    assert [(o.number, o.session_id) for o in offered] == [(1, "a"), (2, "b")]


def test_inquiry_gets_one_reply_in_its_language_with_the_offer() -> None:
    decision = run(message(), Category.INQUIRY)
    assert decision.lead_email == "anna@gemeente-voorbeeld.nl"
    assert decision.lead_status == "offered"
    [reply] = decision.replies
    assert (reply.kind, reply.language, reply.to_addr) == (
        "inquiry",
        "nl",
        "anna@gemeente-voorbeeld.nl",
    )
    assert reply.name == "Anna de Vries"
    assert [o.session_id for o in reply.offered] == ["a", "b"]
    assert decision.suppressed == ()


@pytest.mark.parametrize(
    "category", [Category.BOUNCE, Category.AUTO_REPLY, Category.BULK, Category.SPAM]
)
def test_machine_mail_never_gets_a_reply_nor_a_lead(category: Category) -> None:
    decision = run(message(), category)
    assert decision.replies == ()
    assert decision.lead_email is None


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"return_path": ""}, "null return path"),
        ({"from_addr": "workshops@example.org"}, "our own address"),
        ({"from_addr": "MAILER-DAEMON@mx.example.nl".lower()}, "role address"),
        ({"from_addr": "noreply@example.nl"}, "role address"),
        ({"from_addr": "no-reply@example.nl"}, "role address"),
        ({"from_addr": "list-bounces@example.nl"}, "role address"),
        ({"from_addr": ""}, "no sender address"),
    ],
)
def test_etiquette_suppresses_and_says_why(changes: dict[str, object], reason: str) -> None:
    decision = run(message(**changes), Category.INQUIRY)
    assert decision.replies == ()
    [suppressed] = decision.suppressed
    assert reason in suppressed.reason


def test_opted_out_lead_gets_nothing() -> None:
    lead = Lead(1, "anna@gemeente-voorbeeld.nl", "unsubscribed", opted_out=True)
    decision = run(message(), Category.INQUIRY, lead=lead)
    assert decision.replies == ()
    assert decision.suppressed[0].reason == "lead opted out"
    assert decision.lead_status == "needs_attention"  # the organiser decides
    assert decision.bookings == ()


def test_one_reply_of_a_kind_per_period() -> None:
    recent = [PriorReply("inquiry", NOW - timedelta(days=6, hours=23), "sent")]
    decision = run(message(), Category.INQUIRY, prior=recent)
    assert decision.replies == ()
    assert "already replied (inquiry) on 2026-11-21" in decision.suppressed[0].reason

    assert decision.lead_status == "needs_attention"  # a person should answer this one

    old = [PriorReply("inquiry", NOW - timedelta(days=7, minutes=1), "sent")]
    assert len(run(message(), Category.INQUIRY, prior=old).replies) == 1


def test_a_choice_that_changes_nothing_and_repeats_our_answer_goes_to_a_person() -> None:
    """They answer our confirmation naming the seat they hold ("I have to withdraw
    from the 10 March session", read as a choice): the repeat confirmation is
    rate-limited, nothing changes, and that must not be silence."""
    held = Booking(7, 1, "a", 1, "confirmed", 0, NOW - timedelta(hours=2))
    conversation = Conversation(
        "offer#1", offered=offer(SESSIONS, NOW), answered_kind="confirmation", answers_ours=True
    )
    recent = [PriorReply("confirmation", NOW - timedelta(hours=2), "sent", booking_id=7)]
    lead = Lead(1, "anna@gemeente-voorbeeld.nl", "booked", opted_out=False)
    decision = run(
        message(),
        Category.DATE_CHOICE,
        facts=Facts(option=1),
        lead=lead,
        prior=recent,
        bookings=[held],
        conversation=conversation,
    )
    assert (decision.replies, decision.bookings) == ((), ())
    assert decision.lead_status == "needs_attention"
    assert decision.notes[-1] == (
        "needs attention: already confirmed for a, and our confirmation was sent already:"
        " answer it by hand"
    )
    # Without the earlier confirmation it is simply confirmed again.
    again = run(
        message(),
        Category.DATE_CHOICE,
        facts=Facts(option=1),
        lead=lead,
        bookings=[held],
        conversation=conversation,
    )
    assert [r.kind for r in again.replies] == ["confirmation"]
    assert again.lead_status is None


def test_a_rejected_reply_does_not_count_towards_the_limit() -> None:
    rejected = [PriorReply("inquiry", NOW - timedelta(hours=1), "rejected")]
    assert len(run(message(), Category.INQUIRY, prior=rejected).replies) == 1


ANSWERS_OURS = Conversation("offer#1", answered_kind="inquiry", answers_ours=True)


def test_unsubscribe_opts_out_without_reply() -> None:
    decision = run(message(), Category.UNSUBSCRIBE, conversation=ANSWERS_OURS)
    assert decision.opt_out is True
    assert decision.lead_status == "unsubscribed"
    assert decision.replies == ()


def test_unsubscribe_from_an_unproven_sender_asks_them_to_confirm() -> None:
    """A new mail (no answer to ours, no DMARC verdict) might be anyone's."""
    decision = run(message(), Category.UNSUBSCRIBE)
    assert decision.opt_out is False and decision.lead_status is None
    [reply] = decision.replies
    assert (reply.kind, reply.action, reply.to_addr) == (
        "confirm",
        "unsubscribe",
        "anna@gemeente-voorbeeld.nl",
    )


def test_permanent_bounce_of_our_mail_names_the_failed_address() -> None:
    anna = "anna@gemeente-voorbeeld.nl"
    dsn = DeliveryReport(
        recipients=(anna,),
        status="5.1.1",
        permanent=True,
        failed=(FailedRecipient(anna, "5.1.1"),),
        returned_message_id="<ours@example.org>",
    )
    ours = {"<ours@example.org>": anna}  # the worker's look-up in the replies table
    decision = run(message(dsn=dsn), Category.BOUNCE, bounced_replies=ours)
    assert decision.undeliverable == (anna,)
    temporary = replace(dsn, failed=(FailedRecipient(anna, "4.2.2"),))
    assert run(message(dsn=temporary), Category.BOUNCE, bounced_replies=ours).undeliverable == ()
    assert run(message(dsn=dsn), Category.BOUNCE).undeliverable == ()  # not our mail


def test_a_colleagues_forward_answers_the_original_writer() -> None:
    msg = message(
        from_addr="info@example.org",  # the organiser's own domain
        forwarded_from_addr="piet@gemeente-voorbeeld.nl",
        forwarded_from_name="Piet Jansen",
    )
    decision = run(msg, Category.INQUIRY, facts=Facts(name="Piet Jansen"))
    assert decision.lead_email == "piet@gemeente-voorbeeld.nl"
    assert decision.replies[0].to_addr == "piet@gemeente-voorbeeld.nl"


def test_anyone_elses_forward_is_answered_to_the_forwarder() -> None:
    """The forwarder asked; the writer of the forwarded mail never wrote to us."""
    msg = message(
        from_addr="secretariaat@gemeente-voorbeeld.nl",
        forwarded_from_addr="piet@gemeente-voorbeeld.nl",
        forwarded_from_name="Piet Jansen",
    )
    decision = run(msg, Category.INQUIRY, facts=Facts(name="Els Bakker"))
    assert decision.lead_email == "secretariaat@gemeente-voorbeeld.nl"
    assert decision.replies[0].to_addr == "secretariaat@gemeente-voorbeeld.nl"


def test_sharing_the_organisers_provider_makes_nobody_a_colleague() -> None:
    """An organiser on yahoo.nl: another yahoo.nl sender is a participant, answered."""
    on_yahoo = Policy(our_addresses=frozenset({"workshops@yahoo.nl"}))
    msg = message(from_addr="piet@yahoo.nl", return_path="piet@yahoo.nl")
    decision = decide(
        msg, verdict(Category.INQUIRY), Facts(), Situation(sessions=SESSIONS), on_yahoo, NOW
    )
    assert decision.lead_email == "piet@yahoo.nl"
    assert [r.to_addr for r in decision.replies] == ["piet@yahoo.nl"]


def test_a_strangers_forward_on_the_organisers_provider_books_nobody_else() -> None:
    """Only a configured colleague's forward speaks for the writer it quotes."""
    on_yahoo = Policy(our_addresses=frozenset({"workshops@yahoo.nl"}))
    msg = message(
        from_addr="stranger@yahoo.nl",
        return_path="stranger@yahoo.nl",
        forwarded_from_addr="karin@gemeente-voorbeeld.nl",
        forwarded_from_name="Karin Bos",
    )
    decision = decide(
        msg,
        verdict(Category.DATE_CHOICE),
        Facts(option=1),
        Situation(sessions=SESSIONS),
        on_yahoo,
        NOW,
    )
    assert decision.lead_email == "stranger@yahoo.nl"
    assert all(r.to_addr != "karin@gemeente-voorbeeld.nl" for r in decision.replies)


def test_a_colleagues_forward_of_our_own_mail_is_internal() -> None:
    """A colleague forwarding the organiser's own mail: no lead, no seat for our address."""
    msg = message(
        from_addr="info@example.org",
        forwarded_from_addr="workshops@example.org",
        forwarded_from_name="Gertjan Verstoep",
    )
    decision = run(msg, Category.DATE_CHOICE, facts=Facts(option=1))
    assert decision.lead_email is None
    assert not decision.bookings and not decision.replies


def test_english_inquiry_is_answered_in_english() -> None:
    decision = run(message(), Category.INQUIRY, facts=Facts(), language="en")
    assert decision.replies[0].language == "en"


def test_no_sessions_left_still_answers_with_an_empty_offer() -> None:
    decision = run(message(), Category.INQUIRY, sessions=[session("full", 30, 5, 5)])
    assert decision.replies[0].offered == ()


def test_history_is_filed_but_not_answered() -> None:
    """A first poll of a mailbox with years of mail answers nobody who wrote long ago."""
    old = NOW - timedelta(days=15)
    decision = run(message(), Category.INQUIRY, received=old)
    assert decision.replies == () and decision.bookings == ()
    assert decision.lead_email == "anna@gemeente-voorbeeld.nl"  # the lead is still kept
    assert "more than 14 days ago (answer_within_days)" in decision.suppressed[0].reason
    recent = run(message(), Category.INQUIRY, received=NOW - timedelta(days=13))
    assert len(recent.replies) == 1
    # An unsubscribe is honoured whatever its age.
    unsubscribe = run(message(), Category.UNSUBSCRIBE, received=old, conversation=ANSWERS_OURS)
    assert unsubscribe.opt_out is True


def test_a_move_needs_proof_but_naming_the_seat_one_holds_does_not() -> None:
    """A new mail (no answer to ours, no DMARC verdict) that picks another session
    than the one held is asked to confirm; naming the one held moves nothing."""
    held = Booking(7, 1, "a", 1, "confirmed", 0, NOW - timedelta(days=9))
    lead = Lead(1, "anna@gemeente-voorbeeld.nl", "booked", opted_out=False)
    numbered = Conversation("offer#1", offered=offer(SESSIONS, NOW))
    common = {"lead": lead, "bookings": [held], "conversation": numbered}
    # offer(): "full" has no seats, so option 1 is "a" (in 40 days), option 2 "b" (60)
    elsewhere = run(message(), Category.DATE_CHOICE, facts=Facts(option=2), **common)
    assert [(r.kind, r.action) for r in elsewhere.replies] == [("confirm", "move")]
    assert elsewhere.bookings == ()
    same = run(message(), Category.DATE_CHOICE, facts=Facts(option=1), **common)
    assert [r.kind for r in same.replies] == ["confirmation"] and same.bookings == ()
