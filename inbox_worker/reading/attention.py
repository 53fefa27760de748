"""What in a human message only a person can answer (pure).

Owns reading the new text of a human message (quoted history and signature
already removed) for evidence that an automatic reply would be wrong: a question
our offer and confirmations do not answer (a discount, an in-company day, a PO
number, wheelchair access, the video platform, parking, who may join, the
language), a choice made conditional on such an answer or left to us, a
colleague sent instead, a request that is not a participant's (a guest lecture,
a partnership), an access request under the AVG. The deciding layer acts
automatically only when needs_a_person returns nothing.

Questions the offer does answer (what the workshop is, the dates, whether there
is room, how to register, the price per person) and remarks that need no answer
("Rob eet vegetarisch", "de factuur graag naar ...", "copy my colleagues") do not
count. The vocabulary lives in phrases/unanswered.py (the questions) and
phrases/asking.py (how a sentence asks, or asks nothing).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .phrases import asking as ph
from .phrases import unanswered
from .prefilter import NeedleIndex, needles

# a sentence ends at . ! ? followed by a space or the end ("x.nl", "12.30" go on)
# Every code needs_a_person returns, with what it means (for reasons and the digest).
CODES: dict[str, str] = {
    "ask:price": "asks for a discount, a group rate or a price for a group",
    "ask:in-company": "wants the workshop for their own team, in-house or made to measure",
    "ask:invoice": "quote, PO number, payment terms, refund or another invoice question",
    "ask:accessibility": "an access or care need, or a dietary question",
    "ask:platform": "asks about the video platform or joining online",
    "ask:logistics": "asks about the venue, parking, travel or times our mails do not give",
    "ask:who-may-attend": "asks who may take part",
    "ask:language": "asks about the language of the workshop",
    "ask:conditional": "makes the choice depend on an answer",
    "ask:open-choice": "leaves the choice to us",
    "ask:substitute": "sends someone else in their place",
    "ask:partial-cancel": "cancels some of the places, not all",
    "ask:speaker": "asks for a talk or guest lecture, not a place",
    "ask:partnership": "proposes working together, not a place",
    "ask:access-request": "asks what personal data we hold or where it came from (AVG)",
    "ask:question": "asks something else our automatic replies do not answer",
    # set by the reading (extract.implausible_count), not by needs_a_person
    "ask:group-size": "a head count no session takes: nobody, or hundreds",
}

_SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?]+(?=[^\s.!?])[^.!?\n]*)*[.!?]*")
# a line wrapped inside a sentence (format=flowed, fixed-width clients) goes on in
# lower case: join it, so that a question read per sentence is read whole
_WRAP_RE = re.compile(r"\n(?=[ \t]*[a-z\u00e0-\u00ff(])")
_REPLY_PREFIX_RE = re.compile(r"^\s*(?:(?:re|aw|antw|sv|vs|wg)\s*(?:\[\d+\])?\s*:\s*)+", re.I)
_MAX_CHARS = 20_000


def _needles(pattern: re.Pattern[str]) -> frozenset[str]:
    found = needles(pattern)
    if found is None:  # the pre-filter below relies on every pattern having needles
        raise ValueError(f"no literal needles for {pattern.pattern[:60]!r}")
    return frozenset(found)


# Where each table is searched: the whole text, the sentences that ask, the questions,
# or a question with the sentence before it.
_WHOLE, _ASKED, _QUESTIONED, _BEFORE = 0, 1, 2, 3
_PHRASES = tuple(
    (where, phrase)
    for where, table in (
        (_WHOLE, unanswered.ASK_ALWAYS),
        (_ASKED, unanswered.ASK_WHEN_ASKED),
        (_QUESTIONED, unanswered.ASK_WHEN_QUESTIONED),
        (_BEFORE, unanswered.ASK_BEFORE_QUESTION),
    )
    for phrase in table
)
# needle -> the phrases (by position in _PHRASES) that need it
_BY_NEEDLE: dict[str, list[int]] = {}
for _i, (_, _phrase) in enumerate(_PHRASES):
    for _n in _needles(_phrase.pattern):
        _BY_NEEDLE.setdefault(_n, []).append(_i)
_ASKING = _needles(ph.ASKING_RE)
_CONDITION = _needles(ph.CONDITION_RE)
_OPEN_CHOICE = _needles(ph.OPEN_CHOICE_RE)
# Every needle, found in the whole text in one pass: a phrase is searched only when
# one of its needles occurs (the phrases read in asking sentences only, there).
_SENTENCE_LEVEL = _ASKING | _CONDITION | _OPEN_CHOICE
_QUESTION_MARK = frozenset("?")
_INDEX = NeedleIndex(set(_BY_NEEDLE) | _SENTENCE_LEVEL)


def _fold(text: str) -> str:
    low = _WRAP_RE.sub(" ", text[:_MAX_CHARS]).lower()
    if low.isascii():
        return low
    return low.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")


class _Sentences:
    """The sentences of a text, found by the offset of anything inside them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = [m.span() for m in _SENTENCE_RE.finditer(text)]
        self.ends = [end for _, end in self.spans]

    def __getitem__(self, i: int) -> str:
        start, end = self.spans[i]
        return self.text[start:end]

    def holding(self, literals: frozenset[str]) -> list[int]:
        """Indexes, in order, of the sentences in which one of literals occurs."""
        found: set[int] = set()
        for literal in literals:
            pos = self.text.find(literal)
            while pos >= 0:
                found.add(bisect_right(self.ends, pos))
                pos = self.text.find(literal, pos + 1)
        return sorted(i for i in found if i < len(self.spans))


def needs_a_person(text: str, subject: str, category: str, language: str) -> tuple[str, ...]:
    """Evidence codes ("ask:price", ...) for what a person must answer in this new
    text; () when nothing. `category` and `language` are the classifier's: a choice
    left open counts in a date choice or when it names sessions, not in a first
    inquiry ("voorkeur: maakt niet uit"). The subject is read only when the message
    is not a reply (a reply's subject repeats what was asked before). Both languages'
    phrases are read whatever `language` says: people mix them. CODES says what each
    code means."""
    low = _fold(text)
    subj = "" if _REPLY_PREFIX_RE.match(subject) else _fold(subject).strip()
    both = f"{low}\n{subj}" if subj else low
    present = _INDEX.present(both)
    question = "?" in both
    if not present and not question:
        return ()
    candidates = sorted({i for n in present for i in _BY_NEEDLE.get(n, ())})
    codes: dict[str, None] = {}
    for i in candidates:
        where, phrase = _PHRASES[i]
        if where == _WHOLE and phrase.code not in codes and phrase.pattern.search(both):
            codes[phrase.code] = None

    if not question and present.isdisjoint(_SENTENCE_LEVEL):
        return tuple(codes)
    sentences = _Sentences(both)
    asking = set(sentences.holding(_QUESTION_MARK)) if question else set()
    asking.update(
        i
        for i in sentences.holding(present & _ASKING)
        if i not in asking and ph.ASKING_RE.search(sentences[i])
    )
    if asking:
        order = sorted(asking)
        asked = [sentences[i] for i in order]
        texts = {
            _ASKED: "\n".join(asked),
            _QUESTIONED: "\n".join(s for s in asked if "?" in s),
            # who may join, said in the sentence before the question
            _BEFORE: "\n".join(sentences[max(0, i - 1)] + " " + sentences[i] for i in order),
        }
        for i in candidates:
            where, phrase = _PHRASES[i]
            if where != _WHOLE and phrase.code not in codes and phrase.pattern.search(texts[where]):
                codes[phrase.code] = None
        # a real question to the organiser that no code names and that the offer does
        # not answer; a subject alone is too short to judge
        if not codes and any(
            "?" in s and s.strip() != subj and not ph.ANSWERED_QUESTION_RE.search(s) for s in asked
        ):
            codes["ask:question"] = None

    if present & _CONDITION and any(
        _conditional(sentences[i]) for i in sentences.holding(present & _CONDITION)
    ):
        codes["ask:conditional"] = None
    if present & _OPEN_CHOICE and any(
        ph.OPEN_CHOICE_RE.search(s := sentences[i])
        and (category == "date_choice" or ph.SESSION_NAMED_RE.search(s))
        for i in sentences.holding(present & _OPEN_CHOICE)
    ):
        codes["ask:open-choice"] = None
    return tuple(codes)


def _conditional(sentence: str) -> bool:
    """A condition in the sentence that only a person can answer, and a choice in it."""
    return any(
        not ph.CONDITION_EXEMPT_RE.search(m.group()) for m in ph.CONDITION_RE.finditer(sentence)
    ) and bool(ph.CHOICE_RE.search(sentence))


_FRAGMENT_SPLIT_RE = re.compile(r"[.!,;:\n()\u2013\u2014]+|\s-\s|\s+(?:en|and|&)\s+")
_NAME_RE = re.compile(r"^(?:[A-Z][\w'.-]*\s*){1,3}$")
_DECORATION = " \t*~'\"_=+:;)(^-<>"


def is_thanks_only(text: str) -> bool:
    """Whether the new text only thanks or acknowledges ("Dank je, tot dan!",
    "Thanks, received"): nothing in it asks, chooses, cancels or tells anything.
    Strict on purpose: a False only costs the organiser a look."""
    plain = text[:2000].replace("\u2019", "'").strip()
    if not plain or len(plain) > 300 or "?" in plain:
        return False
    fragments = [f.strip(_DECORATION) for f in _FRAGMENT_SPLIT_RE.split(plain)]
    fragments = [f for f in fragments if f and not all(ord(c) > 0x2000 for c in f)]
    thanked = False
    for i, fragment in enumerate(fragments):
        low = fragment.lower()
        if ph.THANKS_FRAGMENT_RE.fullmatch(low):
            thanked = True
            continue
        # a name after a greeting or at the end ("Hoi Gertjan", "Groet, Henk")
        if _NAME_RE.match(fragment) and (i == len(fragments) - 1 or i == 0 or i == 1):
            continue
        return False
    return thanked


def asks_nothing(text: str) -> bool:
    """Whether a human message asks nothing of anyone: no question, no request,
    and words that thank, confirm, say they come or pass something on ("Wat
    fijn, ik kom!", "Hierbij alvast mijn casus. Tot woensdag!", "No need to
    reply unless something is off"). Read only when nothing else placed the
    message, and never with regret or a negation (how an unrecognised
    cancellation begins); a False sends it to the organiser, which only costs a look."""
    plain = text[:3000].replace("\u2019", "'").lower()
    if not plain.strip() or "?" in plain or ph.REGRET_RE.search(plain):
        return False
    return bool(ph.NO_ANSWER_MARKER_RE.search(plain)) and not ph.REQUEST_RE.search(
        ph.NO_ANSWER_MARKER_RE.sub(" ", plain)
    )
