"""Parse + classify + extract throughput over the shared corpus (one core).

Usage: python benchmarks/bench_classify.py [CORPUS_DIR] [--rounds N]
Prints messages per second; the target is at least 2,000. Not a timed test.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import datetime
from email import message_from_bytes
from email.policy import compat32
from pathlib import Path
from zoneinfo import ZoneInfo

from inbox_worker.classify import classify
from inbox_worker.extract import OfferedSession, extract
from inbox_worker.message import parse

AMS = ZoneInfo("Europe/Amsterdam")
OFFERED = (
    OfferedSession(1, "s1", datetime(2027, 1, 12, 9, 30, tzinfo=AMS), "Utrecht"),
    OfferedSession(2, "s2", datetime(2027, 2, 4, 9, 30, tzinfo=AMS), "Zwolle"),
    OfferedSession(3, "s3", datetime(2027, 3, 10, 9, 30, tzinfo=AMS), "online"),
)


def main() -> None:
    default = (
        os.environ.get("INBOX_WORKER_CORPUS") or Path(__file__).parents[2] / "shared" / "corpus"
    )
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", nargs="?", default=str(default))
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    files = sorted(p for p in Path(args.corpus).rglob("*") if p.suffix in (".eml", ".txt"))
    raws = [p.read_bytes() for p in files]
    if not raws:
        raise SystemExit(f"no messages under {args.corpus}")
    best = float("inf")
    slowest: list[tuple[float, str]] = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for raw in raws:
            msg = parse(raw)
            classify(msg, OFFERED)
            extract(msg, OFFERED)
        best = min(best, time.perf_counter() - start)
    for path, raw in zip(files, raws, strict=True):
        t = time.perf_counter()
        msg = parse(raw)
        classify(msg, OFFERED)
        extract(msg, OFFERED)
        slowest.append((time.perf_counter() - t, str(path.relative_to(args.corpus))))
    slowest.sort(reverse=True)
    # The stdlib parser alone, as a ceiling for this machine: parse() builds on it.
    floor = float("inf")
    for _ in range(args.rounds):
        start = time.perf_counter()
        for raw in raws:
            message_from_bytes(raw[: 96 * 1024], policy=compat32)
        floor = min(floor, time.perf_counter() - start)
    total_mb = sum(map(len, raws)) / 1e6
    print(f"{len(raws)} messages, {total_mb:.1f} MB, best of {args.rounds}: {best:.3f} s")
    print(f"{len(raws) / best:,.0f} messages/s (target >= 2,000)")
    print(f"stdlib compat32 parsing alone on this machine: {len(raws) / floor:,.0f} messages/s")
    print("slowest:", ", ".join(f"{name} {t * 1000:.1f} ms" for t, name in slowest[:5]))


if __name__ == "__main__":
    main()
