"""Phrase tables for classification and attention, Dutch and English (pure).

Owns the vocabulary: each table maps a short evidence code to a compiled
pattern, so a match becomes a reason code like "text:nl:afwezig-tot". Patterns
are matched on lower-cased text; each carries the literal needles the pre-filter
derived from it, so most texts skip most patterns at substring-test speed.
Keep them general (how people and mail systems write), never tied to one message.

The tables live by what they recognise: machine.py (mail no person wrote),
intent.py (what a person wants), unanswered.py and asking.py (what needs a
person), language.py (Dutch or English). This module owns what a phrase is and
how a table of them is searched.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..prefilter import NeedleIndex, needles


class Phrase(NamedTuple):
    code: str  # "nl:afwezig-tot"
    pattern: re.Pattern[str]
    # literals one of which any match contains (see prefilter.py); None: always search
    needles: tuple[str, ...] | None


Table = tuple[Phrase, ...]


def _table(lang: str, entries: dict[str, str]) -> Table:
    compiled = ((f"{lang}:{code}", re.compile(pattern)) for code, pattern in entries.items())
    return tuple(Phrase(code, pattern, needles(pattern)) for code, pattern in compiled)


# The evidence codes a rule found, e.g. "text:nl:afwezig-tot", "header:list-id".
Reasons = tuple[str, ...]

# id(table) -> (table, the index of its needles); the tables are module constants
_INDEXES: dict[int, tuple[Table, NeedleIndex]] = {}


def _index(table: Table) -> NeedleIndex:
    entry = _INDEXES.get(id(table))
    if entry is None or entry[0] is not table:
        entry = (table, NeedleIndex({n for p in table if p.needles for n in p.needles}))
        _INDEXES[id(table)] = entry
    return entry[1]


def search(table: Table, text: str, prefix: str = "text") -> Reasons:
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


def may_find(table: Table, low: str) -> bool:
    """Whether a phrase of table may match in low or in any part of it: False only
    when every phrase has needles and none of them occurs in low."""
    return _index(table).any_in(low) or any(p.needles is None for p in table)
