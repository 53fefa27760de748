"""classify: one short fixture per rule, table-driven, with the evidence codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from inbox_worker.reading.classify import RULES, Category, classify, detect_language
from inbox_worker.reading.message import parse
from tests.mailfactory import OFFERED

FIXTURES = Path(__file__).parent / "fixtures" / "mail"

CASES = [
    # fixture, category, language, a reason that must be among the evidence
    ("bounce_dsn.eml", Category.BOUNCE, "en", "dsn:report-type=delivery-status"),
    ("bounce_delayed.eml", Category.BOUNCE, "en", "dsn:status=4.4.1"),
    ("bounce_exchange_nl.eml", Category.BOUNCE, "nl", "subject:onbestelbaar"),
    ("auto_header.eml", Category.AUTO_REPLY, "nl", "header:auto-submitted=auto-replied"),
    ("auto_exchange_loop.eml", Category.AUTO_REPLY, "nl", "header:x-ms-exchange-inbox-rules-loop"),
    ("auto_text_nl.eml", Category.AUTO_REPLY, "nl", "text:nl:afwezig-tot"),
    ("auto_ack_en.eml", Category.AUTO_REPLY, "en", "text:en:request-received"),
    ("bulk_list.eml", Category.BULK, "nl", "header:list-id"),
    ("bulk_footer.eml", Category.BULK, "nl", "text:nl:ontvangt-deze"),
    ("spam_phish.eml", Category.SPAM, "nl", "text:nl:verifieer-account"),
    ("unsubscribe.eml", Category.UNSUBSCRIBE, "nl", "text:nl:uitschrijven"),
    ("cancellation_nl.eml", Category.CANCELLATION, "nl", "text:nl:kan-niet-komen"),
    ("date_choice_number.eml", Category.DATE_CHOICE, "nl", "option:2"),
    ("date_choice_gmail.eml", Category.DATE_CHOICE, "en", "text:ordinal"),
    ("forwarded.eml", Category.INQUIRY, "nl", "text:question"),
    ("inquiry_html.eml", Category.INQUIRY, "nl", "text:nl:informatie"),
    (
        "xars_only_human.eml",
        Category.INQUIRY,
        "nl",
        "text:question",
    ),  # X-Auto-Response-Suppress alone
    ("cancellation_question.eml", Category.INQUIRY, "nl", "text:question"),  # asks about terms
    ("date_choice_doubt.eml", Category.INQUIRY, "nl", "text:question"),  # undecided, and asks
    ("date_choice_register_nl.eml", Category.DATE_CHOICE, "nl", "option:none"),  # no option named
    ("date_choice_not_offered_en.eml", Category.DATE_CHOICE, "en", "option:not-offered"),
    ("other_thanks.eml", Category.OTHER, "nl", "default:no-intent"),
]


@pytest.mark.parametrize(("fixture", "category", "language", "reason"), CASES)
def test_fixture_classification(
    fixture: str, category: Category, language: str, reason: str
) -> None:
    result = classify(parse((FIXTURES / fixture).read_bytes()), OFFERED)
    assert (result.category, result.language) == (category, language), result.reasons
    assert reason in result.reasons


def test_every_rule_has_a_fixture() -> None:
    covered = {c for _, c, _, _ in CASES}
    assert {c for c, _ in RULES} - {Category.OTHER} <= covered


def test_bounce_wins_over_auto_submitted() -> None:
    result = classify(parse((FIXTURES / "bounce_dsn.eml").read_bytes()))
    assert result.category is Category.BOUNCE


def test_date_choice_needs_offered_sessions() -> None:
    msg = parse((FIXTURES / "date_choice_number.eml").read_bytes())
    assert classify(msg).category is not Category.DATE_CHOICE
    assert classify(msg, OFFERED).category is Category.DATE_CHOICE


def test_header_names_are_case_insensitive() -> None:
    raw = b"From: x@example.com\nPRECEDENCE: Bulk\nSubject: s\n\nhallo\n"
    assert classify(parse(raw)).reasons == ("header:precedence=bulk",)


def test_auto_submitted_no_is_not_evidence() -> None:
    raw = b"From: x@example.com\nAuto-Submitted: no\nSubject: s\n\nIs er nog plek in de workshop?\n"
    assert classify(parse(raw)).category is Category.INQUIRY


def test_machine_categories() -> None:
    assert Category.BULK.is_machine and not Category.INQUIRY.is_machine


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hallo, ik wil graag meer informatie over de workshop.", "nl"),
        ("Hi, I would like to know more about the workshop, thanks.", "en"),
        ("", "nl"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def _reply(body: str) -> bytes:
    """A plain-text reply to our offer (In-Reply-To set) with body as its new text."""
    return (
        "From: Anna Smit <anna@example.nl>\nTo: organiser@example.org\n"
        "Subject: Re: Workshop\nIn-Reply-To: <offer-1@example.org>\n"
        "Content-Type: text/plain; charset=utf-8\n\n" + body + "\n\nGroet,\nAnna\n"
    ).encode()


# Replies to our offer (issue 4): text, category, option the workflow gets, a reason.
REPLY_CASES = [
    # a wish to register without a recognisable option: the workflow asks again
    ("Ik meld me graag aan!", Category.DATE_CHOICE, None, "text:nl:aanmelden"),
    ("Ik wil me aanmelden voor de workshop.", Category.DATE_CHOICE, None, "option:none"),
    ("Graag aanmelden voor optie 5.", Category.DATE_CHOICE, None, "option:not-offered"),
    (
        "Ik meld me aan voor de sessie op 20 april.",
        Category.DATE_CHOICE,
        None,
        "option:not-offered",
    ),
    ("Ik twijfel tussen optie 1 en optie 2.", Category.DATE_CHOICE, None, "option:ambiguous"),
    ("I'd like to sign up.", Category.DATE_CHOICE, None, "text:en:register"),
    ("Please register me.", Category.DATE_CHOICE, None, "option:none"),
    ("Could you register me please?", Category.DATE_CHOICE, None, "option:none"),  # a request
    # a change of mind phrased as a question still picks
    ("Could you move me to option 3 instead?", Category.DATE_CHOICE, 3, "option:3"),
    ("Kunnen jullie mij omzetten naar optie 3?", Category.DATE_CHOICE, 3, "option:3"),
    ("Kan ik toch liever op 10 maart komen?", Category.DATE_CHOICE, 3, "text:date"),
    # "either is fine" leaves the choice to us: no option, a person decides (issue 12)
    ("Optie 1 of 2 is allebei goed", Category.DATE_CHOICE, None, "option:ambiguous"),
    # genuine follow-up questions stay inquiries; naming a place is not choosing it
    ("Welke datum past het best bij beginners?", Category.INQUIRY, None, "text:question"),
    ("Is er parkeergelegenheid in Zwolle?", Category.INQUIRY, None, "text:question"),
    ("Which date suits beginners best?", Category.INQUIRY, None, "text:question"),
    ("Kan ik me nog aanmelden?", Category.INQUIRY, None, "text:question"),
    (
        "Ik wil me graag aanmelden. Is er parkeergelegenheid?",
        Category.INQUIRY,
        None,
        "text:question",
    ),
    # talk about registering, hedges and "but I can't" are not a wish to register
    ("Ik wil graag informatie over het aanmelden.", Category.INQUIRY, None, "text:nl:informatie"),
    ("Misschien meld ik me later aan.", Category.OTHER, None, "default:no-intent"),
    (
        "I would like to attend but cannot make any of these dates.",
        Category.OTHER,
        None,
        "default:no-intent",
    ),
]


@pytest.mark.parametrize(("text", "category", "option", "reason"), REPLY_CASES)
def test_replies_to_our_offer(
    text: str, category: Category, option: int | None, reason: str
) -> None:
    from inbox_worker.reading.extract import extract

    msg = parse(_reply(text))
    result = classify(msg, OFFERED)
    assert result.category is category, result.reasons
    assert reason in result.reasons
    facts = extract(msg, OFFERED, result)
    if category in (Category.DATE_CHOICE, Category.CANCELLATION):
        assert facts.option == option


def test_a_registration_wish_outside_a_reply_is_an_inquiry() -> None:
    # a first message that wants to register gets the offer, not "choose again"
    raw = _reply("Ik wil me graag aanmelden voor de workshop.").replace(
        b"In-Reply-To: <offer-1@example.org>\n", b""
    )
    assert classify(parse(raw), OFFERED).category is not Category.DATE_CHOICE


# ---------------------------------------------------------------- fast paths


def _texts() -> list[str]:
    from tests.corpus import corpus_files, parsed

    fixtures = sorted(FIXTURES.rglob("*.eml")) + corpus_files()
    return [t for m in parsed(fixtures) for t in (m.text, m.new_text, m.subject)]


_LANGUAGE_CASES = [
    "",
    "Don't we? Ik ben het met je eens, we gaan ervoor.",
    "It's the THE the; de DE de, één café's",
    "tab\tnew\nline\x00control\x7f and or en of",
    "naïve déjà vu ÷ het is",
]


def test_language_counts_in_c_equal_the_regex_form() -> None:
    from inbox_worker.reading.classify import _NON_WORD_ASCII, _WORD_RE, _detect_language_plain

    for text in _LANGUAGE_CASES + _texts():
        assert detect_language(text) == _detect_language_plain(text), text[:80]
        low = text[:4000].lower()
        if low.isascii():  # the words themselves, not only the verdict
            words = low.encode().translate(_NON_WORD_ASCII).split()
            assert words == [w.encode() for w in _WORD_RE.findall(low)], text[:80]


def test_cached_sentences_equal_the_plain_split() -> None:
    from inbox_worker.reading.intent import _SENTENCE_RE, _sentences

    for text in _texts():
        low = text.lower()
        assert list(_sentences(text)) == [
            s.strip() for s in _SENTENCE_RE.findall(low) if s.strip()
        ], text[:80]


def test_sentence_rules_skipped_on_the_whole_text_answer_as_read_per_sentence() -> None:
    from inbox_worker.reading.intent import (
        _cancel_phrases,
        _cancellation_reasons,
        _sentences,
    )
    from inbox_worker.reading.phrases import intent as ph
    from tests.corpus import corpus_files, parsed

    fixtures = sorted(FIXTURES.rglob("*.eml")) + corpus_files()
    for msg in parsed(fixtures):
        sentences = _sentences(msg.new_text)
        assert _cancel_phrases(msg) == _cancellation_reasons(sentences)
        if any(ph.AFMELDEN_RE.search(s) for s in sentences):
            assert ph.AFMELDEN_RE.search(msg.new_text.lower())


@pytest.mark.parametrize(
    "body",
    [
        "Ik ben op 4 februari met vakantie, dus ik kan helaas niet komen.",
        "I'm away on holiday from 1 March, so please cancel my place.",
    ],
)
def test_a_person_explaining_an_absence_is_not_an_auto_reply(body: str) -> None:
    """One absence phrase is how people say why they cannot come; a responder
    also says until when, or whom to ask meanwhile."""
    raw = (
        "From: Anna <anna@example.nl>\r\nTo: organiser@example.org\r\n"
        f"Subject: Re: Workshop\r\nContent-Type: text/plain\r\n\r\n{body}\r\n"
    ).encode()
    assert classify(parse(raw), OFFERED).category is Category.CANCELLATION
