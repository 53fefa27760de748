"""ParsedMessage -> Classification (pure).

Owns deciding what a message is. The decision is an ordered, declarative table
of small named predicates (Mailman style): the first rule that finds evidence
wins, and its evidence codes become the reasons. Machine mail is recognised
first (delivery reports, automatic replies, bulk, spam), from headers and then
from text; the sender's intent (unsubscribe, cancellation, date choice,
inquiry) is read from the new text only, so quoted history cannot mislead it.
The rules themselves live in machine.py and intent.py; this module owns the
table, the categories and the language a message is written in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ..model import OfferedSession
from .intent import (
    is_cancellation,
    is_date_choice,
    is_inquiry,
    is_other,
    is_unsubscribe,
)
from .machine import is_auto_reply, is_bounce, is_bulk, is_spam
from .message import ParsedMessage
from .phrases import Reasons
from .phrases import language as ph


class Category(StrEnum):
    BOUNCE = "bounce"
    AUTO_REPLY = "auto_reply"
    BULK = "bulk"
    SPAM = "spam"
    UNSUBSCRIBE = "unsubscribe"
    CANCELLATION = "cancellation"
    DATE_CHOICE = "date_choice"
    INQUIRY = "inquiry"
    OTHER = "other"

    @property
    def is_machine(self) -> bool:
        return self in MACHINE_CATEGORIES


MACHINE_CATEGORIES = frozenset({Category.BOUNCE, Category.AUTO_REPLY, Category.BULK, Category.SPAM})


@dataclass(frozen=True)
class Classification:
    category: Category
    language: str  # "nl" or "en"
    reasons: tuple[str, ...]  # e.g. "header:auto-submitted=auto-replied", "text:nl:afwezig-tot"
    # Evidence that a person must answer (a question our replies do not answer),
    # e.g. "ask:price"; the deciding layer then acts on nothing automatically.
    attention: tuple[str, ...] = ()
    # Evidence that a human message needs no answer from anyone (a thank-you,
    # misdirected mail); without it, mail we cannot place goes to a person.
    no_answer_needed: tuple[str, ...] = ()


Rule = Callable[[ParsedMessage, Sequence[OfferedSession]], Reasons]

_WORD_RE = re.compile(r"[a-zà-ÿ']+")


def detect_language(text: str) -> str:
    """ "nl" or "en" by counting frequent function words; "nl" when undecided."""
    low = text[:4000].lower()
    if low.isascii():
        ascii_words = low.encode().translate(_NON_WORD_ASCII).split()
        nl = sum(map(_NL_ASCII.__contains__, ascii_words))
        en = sum(map(_EN_ASCII.__contains__, ascii_words))
    else:
        words = _WORD_RE.findall(low)
        nl = sum(map(ph.NL_WORDS.__contains__, words))
        en = sum(map(ph.EN_WORDS.__contains__, words))
    return "en" if en > nl else "nl"


def _detect_language_plain(text: str) -> str:
    """detect_language by regex and str sets: the reference it is tested against."""
    words = _WORD_RE.findall(text[:4000].lower())
    nl = sum(map(ph.NL_WORDS.__contains__, words))
    en = sum(map(ph.EN_WORDS.__contains__, words))
    return "en" if en > nl else "nl"


# _WORD_RE's complement within ASCII, mapped to spaces: ASCII text is then split
# into the same words by one C-level translate and split, and counted as bytes.
_NON_WORD_ASCII = bytes(c if _WORD_RE.fullmatch(chr(c)) else 32 for c in range(256))
_NL_ASCII = frozenset(w.encode() for w in ph.NL_WORDS if w.isascii())
_EN_ASCII = frozenset(w.encode() for w in ph.EN_WORDS if w.isascii())


# The decision table: first match wins.
RULES: tuple[tuple[Category, Rule], ...] = (
    (Category.BOUNCE, is_bounce),
    (Category.AUTO_REPLY, is_auto_reply),
    (Category.BULK, is_bulk),
    (Category.SPAM, is_spam),
    (Category.UNSUBSCRIBE, is_unsubscribe),
    (Category.CANCELLATION, is_cancellation),
    (Category.DATE_CHOICE, is_date_choice),
    (Category.OTHER, is_other),
    (Category.INQUIRY, is_inquiry),
)


def machine_verdict(msg: ParsedMessage) -> Classification | None:
    """The machine-mail rules alone: the Classification when one finds evidence."""
    for category, rule in RULES:
        if category.is_machine:
            reasons = rule(msg, ())
            if reasons:
                return Classification(category, _language(msg), reasons)
    return None


def classify(
    msg: ParsedMessage, offered: Sequence[OfferedSession] = (), *, human: bool = False
) -> Classification:
    """The first rule with evidence decides. `human`: machine_verdict() already
    found none, so only the intent rules are run."""
    language = _language(msg)
    for category, rule in RULES:
        if human and category.is_machine:
            continue
        reasons = rule(msg, offered)
        if reasons:
            if category is Category.OTHER:
                return Classification(category, language, reasons, no_answer_needed=reasons)
            return Classification(category, language, reasons)
    return Classification(Category.OTHER, language, ("default:no-intent",))


def _language(msg: ParsedMessage) -> str:
    return detect_language(msg.new_text or msg.text or msg.subject)
