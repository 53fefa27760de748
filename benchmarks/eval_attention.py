"""How well attention.needs_a_person finds the human mail a person must answer.

Usage, from the repository root: python benchmarks/eval_attention.py [CORPUS_DIR] [--show]

Over corpus/workshop-dev-2, for human mail (label category inquiry, date_choice,
cancellation, unsubscribe, other): parse each message, classify it (the category
and language the deciding layer will pass), call needs_a_person on msg.new_text
and compare "fires" with expected_action == needs_attention.

Split: files whose number is divisible by 5 are held out. Their figures are
printed only as an aggregate (no file names, no texts); the tuning split lists
its misses and false alarms. Some needs_attention labels are decided from the
conversation rather than the words (a choice left open, more seats than the
session has): misses whose notes say so are counted apart as "decided elsewhere".

workshop-dev carries no expected_action column: its messages are listed with the
codes that fire, for reading, and not scored.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from inbox_worker.reading.attention import needs_a_person  # noqa: E402
from inbox_worker.reading.classify import classify  # noqa: E402
from inbox_worker.reading.extract import extract  # noqa: E402
from inbox_worker.reading.message import parse  # noqa: E402
from tests.corpus import HUMAN_CATEGORIES as HUMAN  # noqa: E402
from tests.corpus import OFFERED, held_out, labels  # noqa: E402

# needs_attention that the deciding layer reads from the conversation, not the words
ELSEWHERE_RE = re.compile(
    r"left open|left to us|choice left|more (?:seats|places)|than the session has|"
    r"partial cancellation",
    re.I,
)


@dataclass
class Row:
    file: str
    expected: bool  # expected_action == needs_attention
    fired: tuple[str, ...]
    elsewhere: bool
    held_out: bool


Call = tuple[str, str, str, str]  # needs_a_person's arguments


def _fire(raw: bytes) -> tuple[tuple[str, ...], Call]:
    msg = parse(raw)
    result = classify(msg, OFFERED)
    call = (msg.new_text, msg.subject, result.category.value, result.language)
    return needs_a_person(*call), call


def _cost(calls: list[Call], raws: list[bytes], rounds: int = 7) -> tuple[float, float]:
    """CPU seconds per message of needs_a_person, and of parse + classify + extract
    (what bench_classify.py times) on the same messages: best of rounds passes each,
    interleaved, so that load from elsewhere hits both alike."""
    best, pipeline = float("inf"), float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for call in calls:
            needs_a_person(*call)
        best = min(best, time.process_time() - start)
        start = time.process_time()
        for raw in raws:
            msg = parse(raw)
            extract(msg, OFFERED, classify(msg, OFFERED))
        pipeline = min(pipeline, time.process_time() - start)
    return best / len(calls), pipeline / len(raws)


def _figures(rows: list[Row], skip_elsewhere: bool = False) -> str:
    rows = [r for r in rows if not (skip_elsewhere and r.elsewhere and r.expected)]
    tp = sum(r.expected and bool(r.fired) for r in rows)
    fn = sum(r.expected and not r.fired for r in rows)
    fp = sum(not r.expected and bool(r.fired) for r in rows)
    negatives = sum(not r.expected for r in rows)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    alarm = fp / negatives if negatives else 0.0
    return (
        f"{len(rows)} human messages, {tp + fn} need a person: precision {precision:.0%} "
        f"({tp}/{tp + fp}), recall {recall:.0%} ({tp}/{tp + fn}), "
        f"false alarms {fp}/{negatives} = {alarm:.0%} of the rest"
    )


def main() -> None:
    default = os.environ.get("INBOX_WORKER_CORPUS") or ROOT.parent / "shared" / "corpus"
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", nargs="?", default=str(default))
    ap.add_argument("--tuning-only", action="store_true", help="leave the held-out split out")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    dev2 = corpus / "workshop-dev-2"
    if not (dev2 / "LABELS.tsv").is_file():
        print(f"skipped: no workshop-dev-2 labels under {corpus}")
        return

    rows: list[Row] = []
    calls: list[Call] = []
    raws: list[bytes] = []
    for label in labels(dev2):
        if label["category"] not in HUMAN:
            continue
        if args.tuning_only and held_out(dev2 / label["file"]):
            continue
        raw = (dev2 / label["file"]).read_bytes()
        codes, call = _fire(raw)
        calls.append(call)
        raws.append(raw)
        rows.append(
            Row(
                label["file"],
                label["expected_action"] == "needs_attention",
                codes,
                bool(ELSEWHERE_RE.search(label["notes"])),
                held_out(dev2 / label["file"]),
            )
        )

    tuning = [r for r in rows if not r.held_out]
    held = [r for r in rows if r.held_out]
    print("workshop-dev-2, tuning split:  ", _figures(tuning))
    print("  without 'decided elsewhere': ", _figures(tuning, skip_elsewhere=True))
    if not args.tuning_only:
        print("workshop-dev-2, held-out split:", _figures(held))
        print("  without 'decided elsewhere': ", _figures(held, skip_elsewhere=True))
    for title, wanted in (
        ("missed (tuning)", lambda r: r.expected and not r.fired and not r.elsewhere),
        (
            "missed, decided elsewhere (tuning)",
            lambda r: r.expected and not r.fired and r.elsewhere,
        ),
        ("false alarms (tuning)", lambda r: not r.expected and r.fired),
    ):
        found = [r for r in tuning if wanted(r)]
        print(f"{title}: {len(found)}")
        for r in found:
            print(f"  {r.file} {' '.join(r.fired)}")
    print(
        "fired correctly (tuning):",
        " ".join(
            f"{r.file}={','.join(c.removeprefix('ask:') for c in r.fired)}"
            for r in tuning
            if r.expected and r.fired
        ),
    )
    cost, pipeline = _cost(calls, raws)
    print(
        f"needs_a_person: {cost * 1e3:.3f} ms per message, {cost / pipeline:.0%} of what "
        f"parse + classify + extract take on the same messages ({pipeline * 1e3:.3f} ms; "
        "CPU time, best of 7)"
    )

    dev = corpus / "workshop-dev"
    if (dev / "LABELS.tsv").is_file():
        print("workshop-dev (no expected_action labels; for reading):")
        for label in labels(dev):
            if label["category"] in HUMAN:
                codes, _ = _fire((dev / label["file"]).read_bytes())
                if codes:
                    print(f"  {label['file']} {label['category']}: {' '.join(codes)}")


if __name__ == "__main__":
    main()
