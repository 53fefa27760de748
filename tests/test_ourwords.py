"""Our own words never act; only the organiser's own server vouches for a sender (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from inbox_worker.model import OfferedSession, Policy
from inbox_worker.reading.authres import vouched_sender
from inbox_worker.reading.ourwords import OurWords, quoted_offer

OFFER = """Beste Anna,

Dank je voor je bericht en leuk dat je interesse hebt in de workshop "Co-creëren met de samenleving".

Dit zijn de komende data waarop nog plaats is:

Optie 1: dinsdag 12 januari 2027, 09:30-16:30, Utrecht (nog 8 plaatsen)
Optie 2: donderdag 4 februari 2027, 09:30-16:30, Zwolle (nog 11 plaatsen)

Aanmelden gaat eenvoudig: beantwoord deze e-mail met het nummer van je optie en het aantal deelnemers, bijvoorbeeld "Optie 1, 2 deelnemers". Je krijgt dan een bevestiging met een agenda-uitnodiging.

Met vriendelijke groet,

Gertjan Verstoep
"""
OURS = OurWords([OFFER])


def test_an_offer_pasted_without_any_quoting_is_removed() -> None:
    text = "Dank je, ik overleg het even met mijn team.\n\n" + OFFER
    new, removed = OURS.strip(text)
    assert "Optie 1, 2 deelnemers" not in new
    assert "Optie 2" not in new
    assert new.startswith("Dank je, ik overleg het even met mijn team.")
    assert removed >= 5


def test_quoted_with_bars_or_rewrapped_is_ours_too() -> None:
    barred = "\n".join("| " + line for line in OFFER.splitlines())
    new, _ = OURS.strip("Even overleggen.\n" + barred)
    assert "deelnemers" not in new and "Optie" not in new
    # A mail client re-wraps a long line of ours at 60 characters.
    wrapped = (
        "> Aanmelden gaat eenvoudig: beantwoord deze e-mail met het\n"
        '> nummer van je optie en het aantal deelnemers, bijvoorbeeld "Optie\n'
        '> 1, 2 deelnemers". Je krijgt dan een bevestiging met een\n'
    )
    new, _ = OURS.strip("Ik denk er nog over na.\n" + wrapped)
    assert new == "Ik denk er nog over na."


def test_the_persons_own_short_answer_stays() -> None:
    """Copying our example as the answer is a real choice: it is theirs, not ours."""
    for answer in ("Optie 1, 2 deelnemers", "Optie 2 graag", "Met vriendelijke groet,"):
        new, removed = OURS.strip(answer + "\n\nAnna")
        assert (new.splitlines()[0], removed) == (answer, 0)
    # Below a pasted offer too (bottom-posting).
    new, _ = OURS.strip(OFFER + "\nOptie 2, 1 deelnemer\n")
    assert "Optie 2, 1 deelnemer" in new


def test_quoted_offer_gives_the_numbering_the_person_saw() -> None:
    ams = datetime(2027, 1, 12, 9, 30, tzinfo=UTC)
    sessions = (
        OfferedSession(0, "zwolle", datetime(2027, 2, 4, 9, 30, tzinfo=UTC), "Zwolle"),
        OfferedSession(0, "utrecht", ams, "Utrecht"),
    )
    quoted = "\n".join("> " + line for line in OFFER.splitlines())
    offered = quoted_offer("Optie 2 graag.\n" + quoted, sessions)
    assert [(o.number, o.session_id) for o in offered] == [(1, "utrecht"), (2, "zwolle")]
    assert quoted_offer("Optie 2 graag.", sessions) == ()


AR = "authentication-results"


def test_only_the_organisers_own_server_vouches() -> None:
    ours = "mx.example.org; dkim=pass header.d=gemeente.nl; dmarc=pass header.from=gemeente.nl"
    assert vouched_sender({AR: (ours,)}, "anna@gemeente.nl", "mx.example.org") == "auth:dmarc=pass"
    # Anyone can write an Authentication-Results header; another server's counts for nothing.
    assert vouched_sender({AR: (ours,)}, "anna@gemeente.nl", "mx.other.net") == ""
    assert vouched_sender({AR: (ours,)}, "anna@gemeente.nl", "") == ""
    # A verdict about another domain than the From domain says nothing about it.
    assert vouched_sender({AR: (ours,)}, "anna@elders.nl", "mx.example.org") == ""


def test_a_forged_header_below_ours_is_not_read() -> None:
    """The receiving server prepends its own verdict: the topmost with our id is the real one."""
    real = "mx.example.org; spf=fail smtp.mailfrom=gemeente.nl; dmarc=fail header.from=gemeente.nl"
    forged = "mx.example.org; dmarc=pass header.from=gemeente.nl"
    headers = {AR: (real, forged)}
    assert vouched_sender(headers, "anna@gemeente.nl", "mx.example.org") == ""


def test_an_aligned_dkim_signature_vouches_unless_dmarc_failed() -> None:
    dkim = "mx.example.org (comment); dkim=pass (2048-bit key) header.d=gemeente.nl; spf=none"
    headers = {AR: (dkim,)}
    assert vouched_sender(headers, "a@mail.gemeente.nl", "mx.example.org") == "auth:dkim=pass"
    other = {AR: ("mx.example.org; dkim=pass header.d=mailer.com",)}
    assert vouched_sender(other, "a@gemeente.nl", "mx.example.org") == ""
    failed = {AR: (dkim + "; dmarc=fail header.from=gemeente.nl",)}
    assert vouched_sender(failed, "a@gemeente.nl", "mx.example.org") == ""


def test_colleagues_are_the_ones_the_config_names_never_a_shared_domain() -> None:
    own = Policy(our_addresses=frozenset({"gertjan@antwoord.nl"}))
    # Sharing the organiser's domain says nothing on its own: a gemeente or a
    # provider missing from any list (yahoo.nl) is anyone's.
    assert not own.colleague("marieke@antwoord.nl")
    assert not own.colleague("anna@gemeente.nl")
    assert not Policy(our_addresses=frozenset({"w@yahoo.nl"})).colleague("piet@yahoo.nl")
    named = Policy(our_addresses=frozenset({"gertjan@antwoord.nl"}), forwarders=frozenset({"@antwoord.nl"}))
    assert named.colleague("marieke@antwoord.nl")
    public = Policy(
        our_addresses=frozenset({"gertjan.verstoep@gmail.com"}),
        forwarders=frozenset({"info@bureau.nl", "@team.nl"}),
    )
    assert not public.colleague("anna.devries@gmail.com")  # same provider: a participant
    assert public.colleague("gertjan.verstoep@gmail.com")
    assert public.colleague("info@bureau.nl") and public.colleague("els@team.nl")


def test_an_answer_to_our_mail_proves_only_the_address_we_wrote_to() -> None:
    """Someone else replying in a thread of ours (a colleague in Cc, a forward)
    answers our mail, but our mail did not go to them: no proof for a cancel."""
    from inbox_worker.deciding.authority import authority
    from inbox_worker.deciding.conversation import read
    from inbox_worker.model import ThreadRows

    ours = ThreadRows(answered_id=7, answered_kind="confirmation", answered_to="anna@gemeente.nl")
    policy = Policy(our_addresses=frozenset({"workshops@example.org"}))

    def reading(sender: str) -> bool:
        raw = (
            f"From: {sender}\r\nTo: workshops@example.org\r\nSubject: Re: Bevestiging\r\n"
            "Message-ID: <r1@gemeente.nl>\r\nIn-Reply-To: <inbox-worker.7@example.org>\r\n"
            "\r\nIk kan toch niet komen, graag afmelden.\r\n"
        ).encode()
        read_it = read(lambda msg: ours, raw, (), datetime(2026, 12, 1, tzinfo=UTC))
        proof = authority(read_it.msg, read_it.conversation, policy)
        return read_it.conversation.answers_ours and proof == "auth:answers-our-mail"

    assert reading("anna@gemeente.nl")
    assert not reading("piet@gemeente.nl")
