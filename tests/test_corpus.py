"""The shared corpus: real machine mail, broken MIME and the labelled workshop set.

Reads ../shared/corpus (or $INBOX_WORKER_CORPUS) and skips cleanly when absent.
Run with `pytest -s tests/test_corpus.py` to see the confusion matrix and the
extraction accuracies.
"""

from __future__ import annotations

from collections import Counter

import pytest

from inbox_worker.reading.classify import Category, classify
from inbox_worker.reading.extract import extract
from inbox_worker.reading.message import parse
from tests.corpus import CORPUS, OFFERED, corpus_files, labelled

# LABELS.tsv leaves org_type empty when only the sender's domain tells. These are
# the public bodies behind those domains (hand-labelled from public knowledge), so
# an org_type derived from the domain can be scored too. Scoring only: the code
# never reads this table.
DOMAIN_TRUTH = {
    "amsterdam.nl": "gemeente", "barneveld.nl": "gemeente", "nijmegen.nl": "gemeente",
    "woerden.nl": "gemeente", "oldambt.nl": "gemeente", "emmen.nl": "gemeente",
    "gelderland.nl": "provincie", "brabant.nl": "provincie", "wdodelta.nl": "waterschap",
    "wrij.nl": "waterschap", "wetterskipfryslan.nl": "waterschap", "uwv.nl": "zbo",
}  # fmt: skip
MACHINE_LABELS = {"bounce", "auto_reply", "feedback_report", "other_machine", "list_or_bulk"}

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")


def test_no_message_crashes_the_parser() -> None:
    failures, refused = [], []
    for path in corpus_files():
        raw = path.read_bytes()
        try:
            msg = parse(raw)
            classify(msg, OFFERED)
            extract(msg, OFFERED)
        except ValueError as exc:
            # parse() refuses what exceeds its resource limits (the worker
            # quarantines it with this reason); only a MIME bomb may get there.
            refused.append(f"{path.relative_to(CORPUS)}: {exc}")
            if len(raw) < 1_000_000:
                failures.append(f"{path.relative_to(CORPUS)}: refused though small: {exc!r}")
        except Exception as exc:  # the assertion lists every failure at once
            failures.append(f"{path.relative_to(CORPUS)}: {exc!r}")
    print("\nrefused by the parser's limits:", refused or "none")
    assert not failures, "\n".join(failures)


def test_machine_mail_is_recognised_and_humans_are_not() -> None:
    missed, false_alarms = [], []
    seen = 0
    for folder in (
        "sisimai-dev",
        "discourse-fixtures-subset",
        "mikel-mail",
        "flanker",
        "mail-parser-reply",
    ):
        for path, row in labelled(folder):
            label = row["label"]
            try:
                parsed = parse(path.read_bytes())
            except ValueError:
                # Refused by a resource limit (quarantined by the worker): fine
                # for a MIME bomb, a miss for anything that must be recognised.
                if label != "malformed":
                    missed.append(f"{folder}/{row.get('filename')}: {label} refused by parse()")
                continue
            result = classify(parsed)
            seen += 1
            name = f"{folder}/{row.get('filename')}: {label} -> {result.category} {result.reasons}"
            if label in MACHINE_LABELS and not result.category.is_machine:
                missed.append(name)
            if label == "human" and result.category.is_machine:
                false_alarms.append(name)
            if label == "bounce" and result.category is not Category.BOUNCE:
                print("bounce not as bounce:", name)
    print(
        f"\nmachine check over {seen} labelled messages: {len(missed)} missed, "
        f"{len(false_alarms)} humans taken for machines"
    )
    assert seen > 0, "no labelled message was read: the labels' columns changed?"
    assert not missed, "machine mail missed:\n" + "\n".join(missed)
    assert not false_alarms, "humans taken for machine mail:\n" + "\n".join(false_alarms)


def _norm(value: object) -> str:
    return "" if value is None else " ".join(str(value).split()).lower()


def test_workshop_dev_accuracy() -> None:
    rows = labelled("workshop-dev")
    if not rows:
        pytest.skip("no workshop-dev")
    confusion: Counter[tuple[str, str]] = Counter()
    right: Counter[str] = Counter()
    wrong: list[str] = []
    fields = ("language", "name", "organisation", "org_type", "participants", "option")
    for path, row in rows:
        msg = parse(path.read_bytes())
        result = classify(msg, OFFERED)
        facts = extract(msg, OFFERED)
        confusion[(row["category"], str(result.category))] += 1
        if row["category"] == result.category:
            right["category"] += 1
        else:
            wrong.append(
                f"{path.name}: category {row['category']} -> {result.category} {result.reasons}"
            )
        got = {
            "language": result.language, "name": facts.name, "organisation": facts.organisation,
            "org_type": facts.org_type, "participants": facts.participants,
            # the option counts for the choices and cancellations it belongs to
            "option": facts.option if result.category in (Category.DATE_CHOICE, Category.CANCELLATION)
            else None,
        }  # fmt: skip
        domain = (msg.forwarded_from_addr or msg.from_addr).rpartition("@")[2]
        if _norm(facts.org_type) == _norm(row["org_type"]) or (
            not row["org_type"] and facts.org_type == DOMAIN_TRUTH.get(domain)
        ):
            right["org_type_domain"] += 1
        for f in fields:
            if _norm(got[f]) == _norm(row[f]):
                right[f] += 1
            elif f != "option" or row["category"] in ("date_choice", "cancellation"):
                wrong.append(f"{path.name}: {f} {row[f]!r} -> {got[f]!r}")
            else:
                right[f] += 1
    total = len(rows)
    cats = [str(c) for c in Category]
    print(f"\nworkshop-dev confusion matrix ({total} messages; rows = label, columns = result)")
    print(" " * 13 + " ".join(f"{c[:6]:>6}" for c in cats))
    for label in cats:
        print(f"{label:>12} " + " ".join(f"{confusion[(label, c)] or '.':>6}" for c in cats))
    for f in ("category", *fields):
        print(f"{f:>13}: {right[f] / total:6.1%}")
    print(
        f"{'org_type':>13}: {right['org_type_domain'] / total:6.1%} counting answers from the "
        "sender's domain as right when they are (the labels leave those empty)"
    )
    print("\n".join(wrong))
    assert right["category"] / total >= 0.97
    assert right["option"] / total >= 0.97


def test_workshop_decisions_are_the_ones_the_organiser_would_take() -> None:
    """Decided as a pass would (tests/decisions.py stands in for the database).

    Not one automatic action (booking, move, cancellation, opt-out or offer)
    that expected_action does not call for, over all of workshop-dev and
    workshop-dev-2; category, option and expected_action at 97% or better on
    the mail the rules were written against. The held-out split of
    workshop-dev-2 (tests/decisions.py:held_out) is kept out of those
    thresholds so that it stays held out: its figures are printed, and are the
    honest estimate for mail none of us has seen. Run with -s for the figures,
    the confusion matrix and every miss (held-out misses as figures only).
    """
    from tests.corpus import held_out
    from tests.decisions import describe, outcomes, summary_lines

    results = list(outcomes())
    if not results:
        pytest.skip("no labelled workshop mail")
    print("\n" + "\n".join(summary_lines(results)))
    misses = [
        r
        for r in results
        if not held_out(r.path)
        and (
            str(r.reading.classification.category) != r.label["category"]
            or str(r.option or "") != r.label["option"]
            or (r.label.get("expected_action") and r.action != r.label["expected_action"])
        )
    ]
    print("\n".join(describe(r) for r in misses))
    wrong = [describe(r) for r in results if r.wrong_action]
    print("wrong automatic actions:", wrong or "none")
    assert not wrong
    human = {"inquiry", "date_choice", "cancellation", "unsubscribe", "other"}
    silenced = [
        describe(r)
        for r in results
        if r.label["category"] in human and r.reading.classification.category.is_machine
    ]
    assert not silenced, "human mail taken for machine mail"

    tuning = [r for r in results if not held_out(r.path)]
    acted = [r for r in tuning if r.label.get("expected_action")]
    category = sum(str(r.reading.classification.category) == r.label["category"] for r in tuning)
    option = sum(str(r.option or "") == r.label["option"] for r in tuning)
    action = sum(r.action == r.label["expected_action"] for r in acted)
    assert category / len(tuning) >= 0.97
    assert option / len(tuning) >= 0.97
    assert action / len(acted) >= 0.97
