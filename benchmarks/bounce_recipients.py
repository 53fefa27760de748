"""Which addresses bounce readers name as failed, on sisimai-dev's real bounces.

Usage, from the repository root:
    .venv/bin/python benchmarks/bounce_recipients.py [--before REV] [--corpus DIR] [--list]

Compares, on the bounces of ../shared/corpus/sisimai-dev (labelled `bounce`):
- inbox-worker as it was at REV (default 4c9f2c0, before failed recipients came
  from the DSN fields), extracted with `git archive` and run in a child process;
- flufl.bounce (`all_failures`, temporary and permanent), when it is installed;
- inbox-worker in this working tree.
The truth is tests/fixtures/sisimai_failed_recipients.tsv: the recipients each
report names as failed, read by hand (sisimai's own labels give statuses, not
addresses). A bounce "yields a wrong address" when a reader names any address
that did not fail (the original sender, a Message-ID, another recipient); it
"yields the right one" when it names a recipient that failed. A second table
counts only what each reader calls a permanent failure: what would be marked
undeliverable. Not a timed test; the figures are printed, nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.policy import compat32
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRUTH = ROOT / "tests" / "fixtures" / "sisimai_failed_recipients.tsv"
BEFORE = "4c9f2c0"
CORPUS = Path(os.environ.get("INBOX_WORKER_CORPUS") or ROOT.parent / "shared" / "corpus")
_FIELD = r"[ \t]*:(.*(?:\n[ \t].*)*)"
_ID_FIELD_RE = re.compile(r"^(?:message-id|in-reply-to|references)" + _FIELD, re.MULTILINE)
_SENDER_FIELD_RE = re.compile(r"^(?:from|sender|reply-to|return-path)" + _FIELD, re.MULTILINE)
_STATUS_RE = re.compile(r"status=([245][.\d]*)")
_OWN_RECIPIENT_RE = re.compile(r"^(?:to|delivered-to)" + _FIELD, re.MULTILINE)

# (all failed, permanent only) for one raw message
Reader = Callable[[bytes], tuple[set[str], set[str]]]


def label_statuses(corpus: Path) -> dict[str, list[str]]:
    """{file: the recipients' statuses in sisimai-dev's LABELS.tsv} (from sisimai's tests)."""
    with (corpus / "sisimai-dev" / "LABELS.tsv").open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {r["filename"]: _STATUS_RE.findall(r["expected_facts"]) for r in rows}


def truth(corpus: Path) -> dict[str, tuple[set[str], set[str]]]:
    """{file: (failed, also)} for every labelled bounce present in the corpus."""
    out = {}
    with TRUTH.open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            if (corpus / "sisimai-dev" / row["file"]).is_file():
                out[row["file"]] = (set(row["failed"].split()), set(row["also"].split()))
    return out


def inbox_worker_reader() -> Reader:
    """The inbox_worker first on sys.path (this tree, or --code's)."""
    from inbox_worker.reading.message import parse

    def read(raw: bytes) -> tuple[set[str], set[str]]:
        try:
            report = parse(raw).dsn
        except ValueError:
            return set(), set()
        if report is None:
            return set(), set()
        failed = getattr(report, "failed", None)
        if failed is None:  # before per-recipient statuses: one status for the report
            named = {a.lower() for a in report.recipients}
            return named, named if report.permanent else set()
        every = {a for f in failed for a in (f.address, f.final) if a}
        return every, {a for f in failed if f.permanent for a in (f.address, f.final) if a}

    return read


def flufl_reader() -> Reader | None:
    try:
        from flufl.bounce import all_failures
    except ImportError:
        return None

    def read(raw: bytes) -> tuple[set[str], set[str]]:
        # flufl.bounce reads the stdlib's tree; CR-only files need LF to have one
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        temporary, permanent = all_failures(message_from_bytes(raw, policy=compat32))
        perm = {a.decode("ascii", "replace").lower() for a in permanent}
        return perm | {a.decode("ascii", "replace").lower() for a in temporary}, perm

    return read


def kind_of_wrong(raw: bytes, address: str) -> str:
    """What a wrong address was: a Message-ID, the original sender, or another address."""
    text = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").decode("utf-8", "replace").lower()
    if any(address in field for field in _ID_FIELD_RE.findall(text)):
        return "message-id"
    head = text.split("\n\n", 1)[0]  # the report's own header: its To is the sender
    own = _OWN_RECIPIENT_RE.findall(head)
    if any(address in field for field in (*own, *_SENDER_FIELD_RE.findall(text))):
        return "original sender"
    return "other"


def score(read: Reader, labels: dict[str, tuple[set[str], set[str]]], corpus: Path) -> dict:
    statuses = label_statuses(corpus)
    result: dict = {"wrong": [], "right": 0, "wrong_perm": [], "right_perm": 0, "kinds": {}}
    result["temporary_as_permanent"] = []
    for name, (failed, also) in labels.items():
        raw = (corpus / "sisimai-dev" / name).read_bytes()
        every, permanent = read(raw)
        said = statuses.get(name, [])
        if permanent and said and all(s.startswith("4") for s in said):
            result["temporary_as_permanent"].append(name)
        ok = failed | also
        for key, named in (("", every), ("_perm", permanent)):
            if named - ok:
                result["wrong" + key].append([name, sorted(named - ok)])
            if named & ok:
                result["right" + key] += 1
        for address in every - ok:
            kind = kind_of_wrong(raw, address)
            result["kinds"][kind] = result["kinds"].get(kind, 0) + 1
    return result


def before_figures(rev: str, corpus: Path) -> dict | None:
    """score() of inbox-worker at rev, in a child process with that code first on its path."""
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", rev, "inbox_worker"],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"(no figures for {rev}: git archive failed: {exc})", file=sys.stderr)
        return None
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        child = subprocess.run(
            [sys.executable, __file__, "--code", tmp, "--corpus", str(corpus), "--json"],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(child.stdout)


def rows(figures: list[tuple[str, dict]], key: str) -> Iterator[str]:
    extra = f"{'4.x.x taken as 5.x.x':>22}" if key else ""
    yield f"  {'reader':<28} {'yield a wrong address':>22} {'yield the right one':>20}{extra}"
    for label, f in figures:
        extra = f"{len(f['temporary_as_permanent']):>22}" if key else ""
        yield f"  {label:<28} {len(f['wrong' + key]):>22} {f['right' + key]:>20}{extra}"


def _lf(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", default=BEFORE, help="git revision to compare with")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--list", action="store_true", help="list every wrong address")
    parser.add_argument("--code", type=Path, help=argparse.SUPPRESS)  # the child's code
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not (args.corpus / "sisimai-dev").is_dir():
        print(f"no sisimai-dev corpus under {args.corpus}: nothing to measure")
        return
    labels = truth(args.corpus)
    sys.path.insert(0, str(args.code or ROOT))
    if args.json:
        print(json.dumps(score(inbox_worker_reader(), labels, args.corpus)))
        return

    figures: list[tuple[str, dict]] = []
    before = before_figures(args.before, args.corpus)
    if before is not None:
        figures.append((f"inbox-worker at {args.before}", before))
    flufl = flufl_reader()
    if flufl is not None:
        from importlib.metadata import version

        figures.append(
            (f"flufl.bounce {version('flufl.bounce')}", score(flufl, labels, args.corpus))
        )
    else:
        print("(flufl.bounce is not installed: pip install flufl.bounce==6.0 to compare)")
    figures.append(("inbox-worker (this tree)", score(inbox_worker_reader(), labels, args.corpus)))

    distinct = len({_lf((args.corpus / "sisimai-dev" / n).read_bytes()) for n in labels})
    where = TRUTH.relative_to(ROOT)
    print(f"sisimai-dev: {len(labels)} bounces ({distinct} distinct); truth: {where}")
    print("any failed recipient (temporary or permanent):")
    print("\n".join(rows(figures, "")))
    print("only what the reader calls permanent (what would be marked undeliverable):")
    print("\n".join(rows(figures, "_perm")))
    print("  (4.x.x taken as 5.x.x: sisimai labels it 4.x.x, the reader calls it permanent)")
    for label, f in figures:
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(f["kinds"].items())) or "none"
        print(f"wrong addresses named by {label}: {kinds}")
        if args.list:
            for name, wrong in f["wrong"]:
                print(f"    {name}: {' '.join(wrong)}")


if __name__ == "__main__":
    main()
