"""Literal pre-filters for regular expressions (pure).

Owns deriving, from a pattern's own syntax tree, a few literal strings of which
at least one must occur in any text the pattern matches ("needles"). A substring
test (`"afwezig" in text`) runs at memchr speed, while a pattern that starts
with `\\b` or an alternation makes the `re` engine try every position of the
text; so a table of phrases is searched only where its needles occur. The
derivation is conservative: when it cannot prove a set of needles (case-
insensitive patterns, classes, unbounded alternatives) it returns None and the
pattern is always searched. tests/test_prefilter.py checks soundness.
"""

from __future__ import annotations

import re
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

# Past this many alternatives a run of literals stops being expanded.
_MAX_EXACT = 48
# Needles shorter than this find almost every text: not worth testing.
_MIN_NEEDLE = 3


class _Unsupported(Exception):
    pass


# (exact, needed): the node matches exactly one of `exact` (None: unknown), and
# whatever it matches contains one of `needed` (None: unknown).
_Info = tuple[frozenset[str] | None, frozenset[str] | None]


def needles(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literals one of which occurs in every match of pattern, None when unknown."""
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
        _, needed = _sequence(list(tree))
    except (_Unsupported, RecursionError):
        return None
    if not needed or min(map(len, needed)) < _MIN_NEEDLE:
        return None
    # "mail" in text is implied by "e-mails" in text: keep the shortest forms
    kept = [n for n in needed if not any(o != n and o in n for o in needed)]
    return tuple(sorted(kept))


def found(needle_set: tuple[str, ...] | None, text: str) -> bool:
    """Whether text may match the pattern these needles were derived from."""
    # map() keeps the loop in C: a generator costs a frame resume per needle
    return needle_set is None or any(map(text.__contains__, needle_set))


def _score(options: frozenset[str]) -> tuple[int, int]:
    return (min(map(len, options)), -len(options))


def _best(*candidates: frozenset[str] | None) -> frozenset[str] | None:
    usable = [s for s in candidates if s and "" not in s]
    return max(usable, key=_score) if usable else None


def _sequence(items: list[tuple[object, Any]]) -> _Info:
    # the parser's node arguments are untyped tuples, hence Any
    run: frozenset[str] | None = frozenset({""})
    whole: frozenset[str] | None = frozenset({""})
    best: frozenset[str] | None = None
    for op, av in items:
        exact, needed = _node(op, av)
        best = _best(best, needed)
        whole = _concat(whole, exact)
        if exact is None:
            best = _best(best, run)
            run = frozenset({""})
        else:
            product = _concat(run, exact)
            if product is None:  # too many combinations: start a new run here
                best = _best(best, run)
                run = exact
            else:
                run = product
    best = _best(best, run)
    return whole, _best(best, whole)


def _concat(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    if a is None or b is None or len(a) * len(b) > _MAX_EXACT:
        return None
    return frozenset(x + y for x in a for y in b)


def _node(op: object, av: Any) -> _Info:
    if op is c.LITERAL:
        return frozenset({chr(av)}), None
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return frozenset({""}), None  # zero width: adds no characters
    if op is c.IN:
        chars = [chr(v) for o, v in av if o is c.LITERAL]
        if len(chars) == len(av) and len(chars) <= 8:
            return frozenset(chars), None
        return None, None
    if op is c.SUBPATTERN:
        _, add_flags, _, sub = av
        if add_flags & re.IGNORECASE:
            raise _Unsupported
        return _sequence(list(sub))
    if op is c.BRANCH:
        _, alternatives = av
        infos = [_sequence(list(alt)) for alt in alternatives]
        exacts = [e for e, _ in infos]
        exact: frozenset[str] | None = None
        if all(e is not None for e in exacts):
            union = frozenset[str]().union(*(e for e in exacts if e is not None))
            exact = union if len(union) <= _MAX_EXACT else None
        neededs = [_best(n, e) for e, n in infos]
        if any(n is None for n in neededs):
            return exact, None
        return exact, frozenset[str]().union(*(n for n in neededs if n is not None))
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, high, sub = av
        exact, needed = _sequence(list(sub))
        if low == high == 1:
            return exact, needed
        if low == 0 and high == 1 and exact is not None:
            return exact | {""}, None
        return None, (_best(needed, exact) if low >= 1 else None)
    if op is c.ATOMIC_GROUP:
        return _sequence(list(av))
    return None, None  # ANY, NOT_LITERAL, CATEGORY, group references: no literal


# Characters that re.IGNORECASE equates with an ASCII letter although str.lower()
# does not map them to it (or maps them to two characters): İ, ı, ſ.
_FOLD_EXCEPTIONS = ("\u0130", "\u0131", "\u017f")


class IgnoreCase:
    """A case-insensitive pattern searched as a case-sensitive one on lower-case text.

    re.IGNORECASE folds every character the engine tries, and needles() cannot
    see through it; searching `text.lower()` with the same (lower-case) source is
    equivalent except for the few characters in _FOLD_EXCEPTIONS, where the
    case-insensitive pattern is used as is. tests/test_prefilter.py compares both.
    """

    def __init__(self, source: str) -> None:
        if source != source.lower():
            raise ValueError("IgnoreCase needs a lower-case source (no \\S, \\W, [A-Z])")
        self.folded = re.compile(source, re.IGNORECASE)
        self.lower = re.compile(source)
        self.needles = needles(self.lower)

    def search(self, text: str) -> bool:
        """Whether self.folded.search(text) finds a match."""
        if not text.isascii() and any(c in text for c in _FOLD_EXCEPTIONS):
            return self.folded.search(text) is not None
        low = text.lower()
        return found(self.needles, low) and self.lower.search(low) is not None


class NeedleIndex:
    """Which of many needles occur in a text, in one regex pass instead of one
    substring search per needle.

    The needles are compiled into a trie-shaped pattern: at a position, the needles
    that start there all lie on the one trie path the text spells, so the greedy
    match is the longest of them and the others are its prefixes. Searching again
    one position after each match start therefore finds every needle that occurs.
    """

    def __init__(self, all_needles: set[str]) -> None:
        ordered = sorted(all_needles)
        self._prefixes = {n: frozenset(m for m in ordered if n.startswith(m)) for n in ordered}
        self._pattern = re.compile(_trie(ordered)) if ordered else None

    def any_in(self, text: str) -> bool:
        """Whether any of the needles occurs in text (one search)."""
        return self._pattern is not None and self._pattern.search(text) is not None

    def present(self, text: str) -> frozenset[str]:
        if self._pattern is None:
            return frozenset()
        out: set[str] = set()
        search = self._pattern.search
        pos = 0
        while (m := search(text, pos)) is not None:
            out.update(self._prefixes[m.group()])
            pos = m.start() + 1
        return frozenset(out)


def _trie(words: list[str]) -> str:
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a needle ends here

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a shorter needle ends here: the rest is optional (greedy)
            return f"(?:{body})?"
        return body

    return pattern(root)
