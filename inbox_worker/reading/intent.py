"""ParsedMessage -> evidence of what its writer wants (pure).

Owns the rules for a person's intent: unsubscribe, cancellation, date choice,
mail that needs no automatic answer, and inquiry. Intent is read from the new
text only, so quoted history cannot mislead it, and mostly sentence by sentence
(phrases/intent.py); the session chosen is read by options.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ..model import OfferedSession
from .mentions import OPTION_NUM_RE, day_months, sentence_mentions
from .message import ParsedMessage
from .options import message_choice
from .phrases import Reasons, may_find, search
from .phrases import intent as ph
from .prefilter import found, needles

_SENTENCE_RE = re.compile(r"[^.!?\n]+[.!?]*")


def _sentences(text: str) -> tuple[str, ...]:
    return _lower_sentences(text.lower())


@lru_cache(maxsize=16)  # the unsubscribe and cancellation rules read the same text
def _lower_sentences(low: str) -> tuple[str, ...]:
    return tuple([s for s in map(str.strip, _SENTENCE_RE.findall(low)) if s])


def is_unsubscribe(msg: ParsedMessage, offered: Sequence[OfferedSession]) -> Reasons:
    text = msg.new_text.lower()
    if msg.subject.lower().strip() in ("uitschrijven", "unsubscribe", "afmelden nieuwsbrief"):
        return ("subject:unsubscribe",)
    reasons = search(ph.UNSUBSCRIBE_TEXT, text)
    if reasons and ph.UNSUBSCRIBE_UNDO_RE.search(text):
        return ()  # "I clicked unsubscribe by mistake": a person sorts it out
    if reasons and ph.SESSION_OR_MAIL_CODES.issuperset(reasons):
        reasons = _unsubscribe_sentences(text, reasons)
    if reasons:
        # "what do you hold about me, then delete it": a person answers an access request
        return () if search(ph.ACCESS_REQUEST_TEXT, text) else reasons
    if ph.AFMELDEN_RE.search(text) is None:
        return ()  # then no sentence says it: sentences end at non-word characters
    for sentence in _sentences(text):
        if (
            ph.AFMELDEN_RE.search(sentence)
            and not ph.SESSION_CONTEXT_RE.search(sentence)
            and not is_cancellation(msg, offered)
        ):
            return ("text:nl:afmelden-zonder-sessie",)
    return ()


def _unsubscribe_sentences(text: str, reasons: Reasons) -> Reasons:
    """reasons, unless every sentence that says "uitschrijven" or "remove me" is
    about a session and none of them about mail: then it is a cancellation."""
    for sentence in _sentences(text):
        if not search(ph.UNSUBSCRIBE_TEXT, sentence):
            continue
        if ph.MAIL_WORDS_RE.search(sentence) or not _cancellation_reasons((sentence,)):
            return reasons
    return ()


_REQUEST_RE = re.compile(
    r"\b(?:wil(?:t|len)? (?:u|je|jij|jullie)|kun(?:t|nen)? (?:u|je|jij|jullie)|"
    r"zou(?:den)? (?:u|je|jullie)|could you|can you|would you|please)\b"
)


def is_cancellation(msg: ParsedMessage, offered: Sequence[OfferedSession]) -> Reasons:
    reasons = _cancel_phrases(msg)
    if reasons and offered and _chooses_instead(msg, offered):
        return ()  # "niet op 12 januari, wel op 4 februari": a move, read as a date choice
    return reasons


def _cancel_phrases(msg: ParsedMessage) -> Reasons:
    if not may_find(ph.CANCEL_TEXT, msg.new_text.lower()):
        return ()  # no sentence of the text can hold a phrase either
    return _cancellation_reasons(_sentences(msg.new_text))


def _chooses_instead(msg: ParsedMessage, offered: Sequence[OfferedSession]) -> bool:
    """Whether a message that says it cannot come picks another session, in words
    that choose or against one it turns down ("4 februari kan ik niet, 10 maart wel").
    Not when someone else drops out or takes the place ("mijn collega kan niet, ik
    kom wel op 4 februari" keeps a booking and gives up a seat)."""
    choice = message_choice(msg, offered)
    if choice.number is None:
        return False
    if not choice.cued and not choice.rejected:
        return False  # "Ik meld me af. Succes op 12 januari!" names it, it does not pick it
    return ph.PARTIAL_CANCEL_RE.search(msg.new_text.lower()) is None


def _cancellation_reasons(sentences: Sequence[str]) -> Reasons:
    reasons: list[str] = []
    for sentence in sentences:
        if sentence.endswith("?") and not _REQUEST_RE.search(sentence):
            continue
        if ph.CANCEL_QUESTION.search(sentence) and not _REQUEST_RE.search(sentence):
            continue
        codes = search(ph.CANCEL_TEXT, sentence)
        if (
            codes
            and _BARE_CANCEL.issuperset(codes)
            and ph.OTHER_CANCELLED_RE.search(sentence)
            and not ph.SEAT_WORDS_RE.search(sentence)
        ):
            continue  # "kunt u de factuur annuleren?": something else is cancelled
        for code in codes:
            if code not in reasons:
                reasons.append(code)
    return tuple(reasons)


# Codes that say "cancel" without saying what: the object may be something else.
_BARE_CANCEL = frozenset({"text:nl:annuleren", "text:en:cancel", "text:en:drop-out"})


def is_date_choice(msg: ParsedMessage, offered: Sequence[OfferedSession]) -> Reasons:
    if not offered:
        return ()
    choice = message_choice(msg, offered)
    if choice.number is not None and not (
        choice.cued or msg.in_reply_to or msg.references or choice.how == "number"
    ):
        # A first message that only names a day or a place ("de lunch op dinsdag 12
        # januari", "de sheets voor Zwolle") is a supplier or a co-trainer as often
        # as a participant: without words that choose, no seat is booked on it.
        return ()
    if choice.number is not None:
        reasons = [f"option:{choice.number}", f"{choice.source}:{choice.how}"]
        if choice.given_up is not None:
            reasons.append(f"given-up:{choice.given_up}")
        return tuple(reasons)
    if msg.in_reply_to or msg.references:
        # answering our offer: a wish to register without a session we can resolve
        # is still a choice, and the workflow asks again with the options
        return unresolved_choice(msg.new_text, offered, choice.open)
    return ()


def unresolved_choice(
    text: str, offered: Sequence[OfferedSession], open_choice: str | None = None
) -> Reasons:
    """Reasons when text wants a session but names none of the offered ones clearly:
    `option:ambiguous` (undecided between offered sessions), `option:conditional`
    (on something a person must check),
    `option:not-offered` (a number or date we did not offer) or `option:none`,
    with the phrase's code. `open_choice` is why the choice reading picked nothing.

    A message that also asks a question is left to the inquiry rule: someone
    undecided who asks about parking or discounts needs an answer, not the options."""
    sentences = sentence_mentions(text, offered)
    if any(s.endswith("?") and not _REQUEST_RE.search(s) for s, _ in sentences):
        return ()
    numbers = {s.number for s in offered}
    for i, (sentence, named) in enumerate(sentences):
        undecided = search(ph.UNDECIDED_TEXT, sentence)
        if undecided and (len(named) >= 2 or any(c.endswith("-open") for c in undecided)):
            return ("option:ambiguous", *undecided)
        wish = search(ph.REGISTER_TEXT, sentence)
        if not wish or ph.REGISTER_NEGATION_RE.search(sentence):
            continue
        # "I'd like to attend, but I cannot make these dates": the clause after it
        after = sentences[i + 1][0] if i + 1 < len(sentences) else ""
        if after.startswith(_BUT) and ph.REGISTER_NEGATION_RE.search(after):
            continue
        if len(named) >= 2:
            return ("option:ambiguous", *wish)
        if any(
            m.group(1).isdigit() and int(m.group(1)) not in numbers
            for m in OPTION_NUM_RE.finditer(sentence)
        ) or (not named and day_months(sentence)):
            return ("option:not-offered", *wish)
        return ("option:none", *wish)
    if open_choice in ("ambiguous", "conditional"):
        return (f"option:{open_choice}",)  # a tentative "eventueel optie 2" is no choice
    return ()


_BUT = ("but", "maar", "however", "echter")


def is_other(msg: ParsedMessage, offered: Sequence[OfferedSession]) -> Reasons:
    """Mail that needs no automatic answer: misdirected, internal, a bare thank-you."""
    # Sharing a mail domain with the organiser says nothing: half the country
    # is on gmail.com, and colleagues inside one gemeente are participants too.
    # Only the organiser's own addresses are internal (workflow.decide).
    return search(ph.MISDIRECTED_TEXT, msg.new_text.lower())


def is_inquiry(msg: ParsedMessage, offered: Sequence[OfferedSession]) -> Reasons:
    """A person's message that asks about the workshop, its dates or joining: it
    asks (a question mark, or a phrase that asks or states interest) and says
    what about (the workshop, its sessions or dates, a place, taking part), in
    the text or the subject. A question about something else (a hotel, parking,
    a guest lecture) is left to a person. With an empty body ("Sent from my
    iPad") the subject of a first message is the question."""
    text = msg.new_text.lower()
    subject = msg.subject.lower()
    lead: tuple[str, ...] = ()
    if len(text.split()) <= _FEW_WORDS and not _REPLY_SUBJECT_RE.match(subject):
        text = text + "\n" + subject  # "zie onderwerp", or nothing but the subject
        lead = ("subject:question",)
    reasons = _inquiry_reasons(text, subject, lead)
    if reasons and _speaker(text):
        # an invitation to speak or teach elsewhere asks nothing about joining
        rest = "\n".join(s for s in _sentences(text) if not _speaker(s))
        reasons = _inquiry_reasons(rest, "" if _speaker(subject) else subject, lead)
    if reasons and may_find(ph.ACCESS_REQUEST_TEXT, text) and search(ph.ACCESS_REQUEST_TEXT, text):
        return ()  # a request under the AVG/GDPR: a person answers it, not the offer
    return reasons


def _inquiry_reasons(text: str, subject: str, lead: Reasons) -> Reasons:
    reasons = [*lead, *search(ph.INQUIRY_TEXT, text)]
    question = "?" in text
    if question:
        reasons.append("text:question")
    # "would like to attend" alone is a wish, not yet a question (see unresolved_choice)
    if not (question or any(r not in _NOT_ASKING for r in reasons)):
        return ()
    if not ph.WORKSHOP_TOPIC.search(text + " " + subject):
        return ()
    reasons.append("text:topic")
    return tuple(reasons)


def _speaker(text: str) -> bool:
    return found(_SPEAKER_NEEDLES, text) and ph.SPEAKER_REQUEST_RE.search(text) is not None


_SPEAKER_NEEDLES = needles(ph.SPEAKER_REQUEST_RE)


_NOT_ASKING = frozenset({"subject:question", "text:en:question"})
# A body this short says nothing of its own ("Zie onderwerp", a greeting).
_FEW_WORDS = 3
_REPLY_SUBJECT_RE = re.compile(r"\s*(?:re|aw|antw|fw|fwd|doorst|wg|tr)\s*:")
