"""ParsedMessage -> Classification (pure).

Owns deciding what a message is. The decision is an ordered, declarative table
of small named predicates (Mailman style): the first rule that finds evidence
wins, and its evidence codes become the reasons. Machine mail is recognised
first (delivery reports, automatic replies, bulk, spam), from headers and then
from text; the sender's intent (unsubscribe, cancellation, date choice,
inquiry) is read from the new text only, so quoted history cannot mislead it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from ..model import OfferedSession
from . import phrases as ph
from .dsn import BOUNCE_SUBJECT_RE, is_bounce_sender
from .mentions import OPTION_NUM_RE, day_months, sentence_mentions
from .message import ParsedMessage
from .options import message_choice
from .prefilter import NeedleIndex, found, needles


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


Reasons = tuple[str, ...]
Rule = Callable[[ParsedMessage, Sequence[OfferedSession]], Reasons]

_WORD_RE = re.compile(r"[a-zà-ÿ']+")
_SENTENCE_RE = re.compile(r"[^.!?\n]+[.!?]*")
NOREPLY_RE = re.compile(
    r"no-?reply|do-?not-?reply|^(?:notifications?|notify|alerts?|news(?:letter)?|"
    r"nieuwsbrief|mailing|marketing|campaign)\b",
    re.I,
)
SYSTEM_ACCOUNT_RE = re.compile(
    r"^(?:www-data|apache|nginx|root|daemon|cron|nobody|svn|git|jenkins|"
    r"wordpress|httpd)@",
    re.I,
)
SPAM_HEADER_RE = re.compile(r"^(?:yes|spam\b)", re.I)
COMPLAINT_SUBJECT_RE = re.compile(
    r"\b(?:complaint|abuse report|spam report|feedback report)\b", re.I
)
BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})
PLATFORM_HEADERS = (
    "x-campaign",
    "x-campaignid",
    "x-mailchimp-campaign",
    "x-mc-user",
    "x-sfmc-stack",
    "x-sg-eid",
    "x-mailgun-tag",
    "feedback-id",
    "x-feedback-id",
    "x-github-reason",
    "x-linkedin-class",
    "x-facebook-notify",
    "list-post",
)


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


# id(table) -> (table, the index of its needles); the tables are module constants
_INDEXES: dict[int, tuple[ph.Table, NeedleIndex]] = {}


def _index(table: ph.Table) -> NeedleIndex:
    entry = _INDEXES.get(id(table))
    if entry is None or entry[0] is not table:
        entry = (table, NeedleIndex({n for p in table if p.needles for n in p.needles}))
        _INDEXES[id(table)] = entry
    return entry[1]


def _search(table: ph.Table, text: str, prefix: str = "text") -> Reasons:
    """The codes of every phrase in table found in text (all of them: each is evidence).
    A phrase is searched only when one of its needles occurs (see prefilter.py)."""
    present = _index(table).present(text)
    return tuple(
        [
            f"{prefix}:{p.code}"
            for p in table
            if (p.needles is None or not present.isdisjoint(p.needles)) and p.pattern.search(text)
        ]
    )


def _may_find(table: ph.Table, low: str) -> bool:
    """Whether a phrase of table may match in low or in any part of it: False only
    when every phrase has needles and none of them occurs in low."""
    return _index(table).any_in(low) or any(p.needles is None for p in table)


# ---------------------------------------------------------------- machine mail


def is_bounce(msg: ParsedMessage, offered: Sequence[OfferedSession]) -> Reasons:
    if msg.dsn is None:
        return ()
    reasons: list[str] = []
    if msg.content_type == "multipart/report":
        reasons.append("dsn:report-type=delivery-status")
    if any(t.endswith("delivery-status") for t in msg.part_types):
        reasons.append("dsn:part=message/delivery-status")
    if msg.header("x-failed-recipients"):
        reasons.append("header:x-failed-recipients")
    if is_bounce_sender(msg.from_addr):
        reasons.append(f"from:{msg.from_addr.split('@')[0]}")
    m = BOUNCE_SUBJECT_RE.search(msg.subject)
    if m:
        reasons.append("subject:" + m.group(0).lower().replace(" ", "-"))
    if msg.dsn.status:
        reasons.append(f"dsn:status={msg.dsn.status}")
    return tuple(reasons) or ("dsn:text",)


def is_auto_reply(msg: ParsedMessage, offered: Sequence[OfferedSession]) -> Reasons:
    reasons: list[str] = []
    auto = msg.header("auto-submitted").lower().split(";")[0].strip()
    if auto and auto != "no":
        reasons.append(f"header:auto-submitted={auto}")
    for name in ("x-autoreply", "x-autorespond", "x-autoresponder", "x-autogenerated"):
        if msg.header(name):
            reasons.append(f"header:{name}")
    if msg.header("precedence").lower().strip() == "auto_reply":
        reasons.append("header:precedence=auto_reply")
    if msg.header("x-ms-exchange-inbox-rules-loop") and msg.header("x-auto-response-suppress"):
        reasons.append("header:x-ms-exchange-inbox-rules-loop")
    if msg.return_path == "" and not msg.in_reply_to:
        reasons.append("header:return-path=<>")
    if msg.header("x-apple-action").lower().startswith("vacation"):
        reasons.append("header:x-apple-action=vacation")
    if "disposition-notification" in msg.header("content-type").lower() or any(
        t == "message/disposition-notification" for t in msg.part_types
    ):
        reasons.append("report:disposition-notification")
    head = msg.new_text[:1500].lower()
    if reasons == ["header:auto-submitted=auto-generated"] and _notification(msg, head):
        return ()  # a platform's notification (a recording, a reminder) is bulk
    if reasons:
        return tuple(reasons)
    # no headers: the text must say it (half of the real ones carry none)
    text_reasons = _search(ph.AUTO_REPLY_TEXT, head)
    if text_reasons and len(_search(ph.SPAM_TEXT, msg.subject.lower() + "\n" + head)) >= 2:
        return ()  # phishing dresses up as system mail
    if ph.AUTO_REPLY_SUBJECT.match(msg.subject):
        return ("subject:auto-reply", *text_reasons)
    if len(text_reasons) >= 2 or (text_reasons and ph.AUTO_REPLY_REFERRAL.search(head)):
        return text_reasons
    # One phrase alone ("ik ben die dag met vakantie") is how people explain
    # why they cannot come: a responder also says until when, or whom to ask.
    return ()


def _notification(msg: ParsedMessage, head: str) -> bool:
    """Auto-generated mail that answers nothing: from a no-reply address, not in a
    thread, and without the words of an acknowledgement or absence."""
    return (
        not msg.in_reply_to
        and not msg.references
        and NOREPLY_RE.search(msg.from_addr.partition("@")[0]) is not None
        and not ph.AUTO_REPLY_SUBJECT.match(msg.subject)
        and not _search(ph.AUTO_REPLY_TEXT, head)
    )


def is_bulk(msg: ParsedMessage, offered: Sequence[OfferedSession]) -> Reasons:
    reasons: list[str] = []
    for name in ("list-id", "list-unsubscribe"):
        if msg.header(name):
            reasons.append(f"header:{name}")
    precedence = msg.header("precedence").lower().strip()
    if precedence in BULK_PRECEDENCE:
        reasons.append(f"header:precedence={precedence}")
    if "feedback-report" in msg.header("content-type").lower() or any(
        t == "message/feedback-report" for t in msg.part_types
    ):
        reasons.append("report:feedback-report")
    elif COMPLAINT_SUBJECT_RE.search(msg.subject) and "message/rfc822" in msg.part_types:
        reasons.append("report:complaint")
    for name in PLATFORM_HEADERS:
        if msg.header(name):
            reasons.append(f"header:{name}")
            break
    if reasons:
        return tuple(reasons)
    # Without list headers the evidence is weak: a web form's notification (the
    # visitor is a person asking) and phishing sent from a no-reply address, dressed
    # as a notification, are not bulk.
    if msg.form_from_addr:
        return ()
    weak = _bulk_without_headers(msg)
    if weak and weak[-1].startswith("from:") and is_spam(msg, offered):
        return ()
    return weak


def _bulk_without_headers(msg: ParsedMessage) -> Reasons:
    body = (msg.new_text + "\n" + msg.signature)[-3000:].lower()
    text_reasons = _search(ph.BULK_TEXT, body)
    subject = BULK_SUBJECT_MATCH(msg.subject)
    if text_reasons and (subject or NOREPLY_RE.match(msg.from_addr) or not msg.in_reply_to):
        return text_reasons + subject
    local = msg.from_addr.partition("@")[0]
    if NOREPLY_RE.search(local) and not msg.in_reply_to:
        return (*subject, "from:noreply")
    for addr in (msg.from_addr, msg.return_path or ""):
        if SYSTEM_ACCOUNT_RE.match(addr):
            return ("from:system-account",)
    return ()


def BULK_SUBJECT_MATCH(subject: str) -> Reasons:
    if subject.lower().startswith(("re:", "aw:", "antw:")):
        return ()
    m = ph.BULK_SUBJECT.search(subject)
    return ("subject:" + m.group(0).lower().replace(" ", "-"),) if m else ()


def is_spam(msg: ParsedMessage, offered: Sequence[OfferedSession]) -> Reasons:
    for name, values in msg.headers.items():
        if (
            "spam" in name
            and name.endswith(("status", "flag", "check"))
            and any(SPAM_HEADER_RE.match(v) for v in values)
        ):
            return (f"header:{name}=yes",)
    if msg.in_reply_to:
        return ()  # spam starts conversations; it does not answer ours
    memo = _SPAM_MEMO  # is_bulk may have read this message already
    if memo[0] is msg:
        return memo[1]
    # a web form's visitor wrote only the question; the rest is the form's own text
    body = msg.new_text if msg.form_from_addr else msg.text
    hits = _search(ph.SPAM_TEXT, (msg.subject + "\n" + body[:2500]).lower())
    if hits:  # one piece of evidence at most is never enough
        hits += brand_lookalike(msg.from_name, msg.from_addr)
    result = hits if len(hits) >= 2 else ()
    _remember_spam(msg, result)
    return result


# (message, is_spam's answer) for the last message read: one tuple, replaced whole,
# so a thread never pairs one message with another's answer.
_SPAM_MEMO: tuple[ParsedMessage | None, Reasons] = (None, ())


def _remember_spam(msg: ParsedMessage, result: Reasons) -> None:
    global _SPAM_MEMO
    _SPAM_MEMO = (msg, result)


_DOMAIN_WORD_RE = re.compile(r"[a-z0-9]+")


def brand_lookalike(name: str, addr: str) -> Reasons:
    """`from:brand-lookalike` when the sender names a brand that phishing imitates
    (a bank, Microsoft, a parcel service) in its display name or domain while
    the address is not on one of that brand's own domains."""
    domain = addr.rpartition("@")[2]
    if not domain:
        return ()
    low_name = name.lower()
    words = _DOMAIN_WORD_RE.findall(domain)
    for brand, own in ph.BRAND_DOMAINS:
        joined = brand.replace(" ", "")
        named = re.search(rf"\b{re.escape(brand)}\b", low_name) is not None or any(
            w.startswith(joined) for w in words
        )
        if named and not any(domain == d or domain.endswith("." + d) for d in own):
            return ("from:brand-lookalike",)
    return ()


# ---------------------------------------------------------------- intent


def _sentences(text: str) -> tuple[str, ...]:
    return _lower_sentences(text.lower())


@lru_cache(maxsize=16)  # the unsubscribe and cancellation rules read the same text
def _lower_sentences(low: str) -> tuple[str, ...]:
    return tuple([s for s in map(str.strip, _SENTENCE_RE.findall(low)) if s])


def is_unsubscribe(msg: ParsedMessage, offered: Sequence[OfferedSession]) -> Reasons:
    text = msg.new_text.lower()
    if msg.subject.lower().strip() in ("uitschrijven", "unsubscribe", "afmelden nieuwsbrief"):
        return ("subject:unsubscribe",)
    reasons = _search(ph.UNSUBSCRIBE_TEXT, text)
    if reasons and ph.UNSUBSCRIBE_UNDO_RE.search(text):
        return ()  # "I clicked unsubscribe by mistake": a person sorts it out
    if reasons and ph.SESSION_OR_MAIL_CODES.issuperset(reasons):
        reasons = _unsubscribe_sentences(text, reasons)
    if reasons:
        # "what do you hold about me, then delete it": a person answers an access request
        return () if _search(ph.ACCESS_REQUEST_TEXT, text) else reasons
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
        if not _search(ph.UNSUBSCRIBE_TEXT, sentence):
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
    if not _may_find(ph.CANCEL_TEXT, msg.new_text.lower()):
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
        codes = _search(ph.CANCEL_TEXT, sentence)
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
        undecided = _search(ph.UNDECIDED_TEXT, sentence)
        if undecided and (len(named) >= 2 or any(c.endswith("-open") for c in undecided)):
            return ("option:ambiguous", *undecided)
        wish = _search(ph.REGISTER_TEXT, sentence)
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
    return _search(ph.MISDIRECTED_TEXT, msg.new_text.lower())


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
    if (
        reasons
        and _may_find(ph.ACCESS_REQUEST_TEXT, text)
        and _search(ph.ACCESS_REQUEST_TEXT, text)
    ):
        return ()  # a request under the AVG/GDPR: a person answers it, not the offer
    return reasons


def _inquiry_reasons(text: str, subject: str, lead: Reasons) -> Reasons:
    reasons = [*lead, *_search(ph.INQUIRY_TEXT, text)]
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
