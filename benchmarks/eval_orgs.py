"""How often the organisation (and the greeting's name) a reply would show is right.

Usage, from the repository root: python benchmarks/eval_orgs.py [CORPUS_DIR] [--tuning-only]

Over corpus/workshop-dev and corpus/workshop-dev-2, for human mail (label
category inquiry, date_choice, cancellation, unsubscribe, other): parse,
classify and extract each message as a pass does, then compare

- the organisation the extractor found with the labelled one (exact, after
  folding case, punctuation and a leading "de"/"the"), and
- the organisation a reply would show (orgs.reply_organisation, which leaves
  out what it is not sure of): shown and right, shown and only part of the
  name (a word-boundary part of the label: "Gemeente Zwolle" for "Gemeente
  Zwolle, afdeling Wijkzaken"), shown and wrong (the embarrassing case), or
  left out (the sentence reads on without it).
- the greeting's first name (orgs.greeting_name): shown and right (the first
  word of the labelled name), shown and wrong, left out.

Split: workshop-dev-2 files whose number is divisible by 5 are held out. Their
figures are printed only as an aggregate (no file names, no texts), and rules
are never tuned against them. The tuning messages list every wrong value shown.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from inbox_worker.reading.classify import classify  # noqa: E402
from inbox_worker.reading.extract import extract  # noqa: E402
from inbox_worker.reading.message import parse  # noqa: E402
from inbox_worker.reading.orgs import greeting_name, reply_organisation  # noqa: E402
from tests.corpus import HUMAN_CATEGORIES as HUMAN  # noqa: E402
from tests.corpus import OFFERED, held_out, labels  # noqa: E402


def fold(text: str | None) -> str:
    words = re.sub(r"[^\w&]+", " ", (text or "").lower()).split()
    if words and words[0] in ("de", "the", "het"):
        words = words[1:]
    return " ".join(words)


@dataclass
class Row:
    file: str
    label: str
    extracted: str
    shown: str
    label_name: str
    shown_name: str
    held_out: bool


def judge(shown: str, label: str) -> str:
    """right, part, wrong or silent."""
    if not shown:
        return "silent"
    s, lab = fold(shown), fold(label)
    if s == lab:
        return "right"
    if lab and re.search(rf"(?<!\w){re.escape(s)}(?!\w)", lab) and len(s.split()) >= 2:
        return "part"
    return "wrong"


def judge_name(shown: str, label: str) -> str:
    if not shown:
        return "silent"
    first = label.split()[0] if label.split() else ""
    return "right" if fold(shown) == fold(first) else "wrong"


def _figures(rows: list[Row]) -> list[str]:
    n = len(rows)
    labelled = [r for r in rows if r.label]
    exact = sum(fold(r.extracted) == fold(r.label) for r in labelled)
    spurious = sum(bool(r.extracted) and not r.label for r in rows)
    verdicts = [judge(r.shown, r.label) for r in rows]
    shown = sum(v != "silent" for v in verdicts)
    right, part, wrong = (verdicts.count(v) for v in ("right", "part", "wrong"))
    names = [judge_name(r.shown_name, r.label_name) for r in rows]
    nshown = sum(v != "silent" for v in names)
    nwrong = names.count("wrong")
    named = sum(bool(r.label_name) for r in rows)
    pct = lambda a, b: f"{a / b:.0%}" if b else "-"  # noqa: E731
    return [
        f"  {n} human messages, {len(labelled)} with an organisation labelled, {named} with a name",
        f"  extractor: exactly right {exact}/{len(labelled)} = {pct(exact, len(labelled))}; "
        f"found one where none is written: {spurious}",
        f"  reply shows an organisation in {shown}/{n}: right {right}, part of it {part}, "
        f"wrong {wrong} ({pct(wrong, shown)} of those shown); "
        f"recall of right+part {pct(right + part, len(labelled))}",
        f"  greeting names someone in {nshown}/{n}: wrong {nwrong} ({pct(nwrong, nshown)}); "
        f"named {nshown - nwrong}/{named} labelled names",
    ]


def _rows(folder: Path, tuning_only: bool) -> list[Row]:
    rows = []
    for label in labels(folder):
        if label["category"] not in HUMAN:
            continue
        is_held_out = held_out(folder / label["file"])
        if is_held_out and tuning_only:
            continue
        msg = parse((folder / label["file"]).read_bytes())
        facts = extract(msg, OFFERED, classify(msg, OFFERED))
        rows.append(
            Row(
                file=label["file"],
                label=label["organisation"],
                extracted=facts.organisation or "",
                shown=reply_organisation(facts.organisation),
                label_name=label["name"],
                shown_name=greeting_name(facts.name),
                held_out=is_held_out,
            )
        )
    return rows


def main() -> None:
    default = os.environ.get("INBOX_WORKER_CORPUS") or ROOT.parent / "shared" / "corpus"
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", nargs="?", default=str(default))
    ap.add_argument("--tuning-only", action="store_true", help="leave the held-out split out")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    for name, split in (("workshop-dev", False), ("workshop-dev-2", True)):
        folder = corpus / name
        if not (folder / "LABELS.tsv").is_file():
            print(f"{name}: skipped, no labels under {corpus}")
            continue
        rows = _rows(folder, args.tuning_only)
        tuning = [r for r in rows if not r.held_out]
        title = f"{name} (tuning split)" if split else name
        print(title)
        print("\n".join(_figures(tuning)))
        for r in tuning:
            if judge(r.shown, r.label) == "wrong":
                print(f"    wrong org  {r.file}: shown {r.shown!r}, labelled {r.label!r}")
            if judge_name(r.shown_name, r.label_name) == "wrong":
                print(f"    wrong name {r.file}: shown {r.shown_name!r}, labelled {r.label_name!r}")
        held = [r for r in rows if r.held_out]
        if held:
            print(f"{name} (held-out split, aggregate only)")
            print("\n".join(_figures(held)))


if __name__ == "__main__":
    main()
