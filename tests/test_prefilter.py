"""prefilter.needles is sound: any text a pattern matches contains one of its needles.

If it were not, classify would silently skip evidence; so every phrase table
pattern is checked against texts generated from the pattern itself and against
the corpus texts, and _search with the pre-filter must equal a plain search.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbox_worker.reading import phrases
from inbox_worker.reading.phrases import intent, machine
from inbox_worker.reading.prefilter import found, needles
from tests.corpus import corpus_files, parsed

TABLES = {
    name: getattr(module, name)
    for module in (machine, intent)
    for name in dir(module)
    if name.endswith("_TEXT") and isinstance(getattr(module, name), tuple)
}
ALL = [p for table in TABLES.values() for p in table]
FIXTURES = Path(__file__).parent / "fixtures" / "mail"
CORPUS = Path(
    os.environ.get("INBOX_WORKER_CORPUS") or Path(__file__).parents[2] / "shared" / "corpus"
)


def test_needles_of_simple_shapes() -> None:
    assert needles(re.compile(r"\b(?:afwezig|met vakantie)\b")) == ("afwezig", "met vakantie")
    assert needles(re.compile(r"\b(?:e-?)?mails?\b")) == ("mail",)  # the shortest implied form
    assert needles(re.compile(r"\bseo\b|\bwebsite\b")) == ("seo", "website")
    # no needle can be proved: search always
    assert needles(re.compile(r"\d+ \$")) is None
    assert needles(re.compile(r"afwezig", re.IGNORECASE)) is None
    assert needles(re.compile(r"(?i:afwezig)")) is None
    assert needles(re.compile(r"ab|cd")) is None  # too short to pay off
    assert needles(re.compile(r"\b(?:afwezig|\w+ vakantie)")) == (" vakantie", "afwezig")
    assert needles(re.compile(r"(?:foo)?bar|baz\d")) == ("bar", "baz")


def test_most_phrases_get_needles() -> None:
    # the pre-filter is the speed-up: it must stay applicable to the tables
    assert sum(p.needles is not None for p in ALL) >= 0.9 * len(ALL)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(ALL).flatmap(lambda p: st.tuples(st.just(p), st.from_regex(p.pattern))))
def test_every_generated_match_contains_a_needle(case: tuple[phrases.Phrase, str]) -> None:
    phrase, text = case
    if phrase.pattern.search(text):
        assert found(phrase.needles, text), (phrase.code, text)


def _texts() -> list[str]:
    files = [p for p in FIXTURES.glob("*.eml")]
    files += corpus_files()
    return [(msg.subject + "\n" + msg.text[:20000]).lower() for msg in parsed(files)]


def test_filtered_search_equals_plain_search_on_real_text() -> None:
    for text in _texts():
        for name, table in TABLES.items():
            plain = tuple(f"text:{p.code}" for p in table if p.pattern.search(text))
            assert phrases.search(table, text) == plain, name


def test_ignore_case_search_equals_the_case_insensitive_pattern() -> None:
    from inbox_worker.reading import dsn

    samples = ["UNDELIVERABLE: x", "Undeliverable", "ſ", "MAİLER", "Delivery Status Notification"]
    samples += ["Returned mail: see transcript", "WİLL CONTINUE TO TRY", "ı will continue to try"]
    samples += _texts_raw()
    for ignore_case in (dsn.BOUNCE_SUBJECT, dsn.BOUNCE_BODY, dsn.DELAY):
        for text in samples:
            assert ignore_case.search(text) == bool(ignore_case.folded.search(text)), text[:80]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="UNDELIVERABLEundeliverable İıſK ", max_size=20))
def test_ignore_case_on_generated_case_mixes(text: str) -> None:
    from inbox_worker.reading import dsn

    assert dsn.BOUNCE_SUBJECT.search(text) == bool(dsn.BOUNCE_SUBJECT.folded.search(text))


def _texts_raw() -> list[str]:
    files = [p for p in FIXTURES.glob("*.eml")]
    files += corpus_files()
    out = []
    for msg in parsed(files):
        out += [msg.subject, msg.text[:5000]]
    return out


def test_needle_index_finds_exactly_the_needles_that_occur() -> None:
    from inbox_worker.reading.prefilter import NeedleIndex

    texts = [*_texts(), "afwezig tot", "ik ben afwezig van", " binnen  binnen "]
    for table in TABLES.values():
        all_needles = {n for p in table if p.needles for n in p.needles}
        index = NeedleIndex(all_needles)
        for text in texts:
            assert index.present(text) == {n for n in all_needles if n in text}


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="ab ", min_size=1, max_size=4), max_size=6),
    st.text("ab ", max_size=30),
)
def test_needle_index_on_generated_overlaps(words: list[str], text: str) -> None:
    from inbox_worker.reading.prefilter import NeedleIndex

    assert NeedleIndex(set(words)).present(text) == {w for w in set(words) if w in text}
