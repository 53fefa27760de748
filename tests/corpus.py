"""Where the shared email corpus lives, its messages parsed, its labels (tests and benchmarks).

The corpus is read from ../shared/corpus (or $INBOX_WORKER_CORPUS) and never
copied into this repository; tests that need it skip when it is absent. The
labelled workshop folders come with the sessions their mail was written
against and our own held-out split, defined here once for the tests
(decisions.py) and the benchmarks that read the same mail.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from inbox_worker.model import OfferedSession, SessionSeats
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


AMS = ZoneInfo("Europe/Amsterdam")


def _session(sid: str, day: datetime, location: str, capacity: int) -> SessionSeats:
    return SessionSeats(sid, day, day.replace(hour=16, minute=30), location, capacity, 0)


# The three sessions of the workshop folders' SOURCE.md; every offer in the
# labelled mail numbered them 1-2-3.
SESSIONS = (
    _session("2027-01-12-utrecht", datetime(2027, 1, 12, 9, 30, tzinfo=AMS), "Utrecht", 16),
    _session("2027-02-04-zwolle", datetime(2027, 2, 4, 9, 30, tzinfo=AMS), "Zwolle", 16),
    _session("2027-03-10-online", datetime(2027, 3, 10, 9, 30, tzinfo=AMS), "online", 20),
)
OFFERED = tuple(
    OfferedSession(n, s.id, s.starts, s.location) for n, s in enumerate(SESSIONS, start=1)
)
HUMAN_CATEGORIES = frozenset({"inquiry", "date_choice", "cancellation", "unsubscribe", "other"})


def labels(folder: Path) -> list[dict[str, str]]:
    """The rows of a folder's LABELS.tsv, each naming its message under "file";
    [] when the folder has no labels."""
    path = folder / "LABELS.tsv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [{**r, "file": r.get("file") or r.get("filename", "")} for r in rows]


def labelled(folder: str) -> list[tuple[Path, dict[str, str]]]:
    """Each labelled message of a corpus folder that is there, with its labels."""
    return [
        (CORPUS / folder / r["file"], r)
        for r in labels(CORPUS / folder)
        if (CORPUS / folder / r["file"]).is_file()
    ]


def held_out(path: Path) -> bool:
    """Our own held-out split of workshop-dev-2: never read while writing rules."""
    return path.parent.name == "workshop-dev-2" and int(path.stem) % 5 == 0
