"""Where the shared email corpus lives, and its messages parsed (for tests).

The corpus is read from ../shared/corpus (or $INBOX_WORKER_CORPUS) and never
copied into this repository; tests that need it skip when it is absent.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from inbox_worker.reading.message import ParsedMessage, parse

CORPUS = Path(
    os.environ.get("INBOX_WORKER_CORPUS") or Path(__file__).parents[2] / "shared" / "corpus"
)


def corpus_files() -> list[Path]:
    """Every message file in the corpus ([] when it is absent)."""
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".eml", ".txt"))


def parsed(paths: Iterable[Path]) -> Iterator[ParsedMessage]:
    """The messages parse() accepts; a MIME bomb it refuses by its limits is left out."""
    for path in paths:
        try:
            yield parse(path.read_bytes())
        except ValueError:
            continue
