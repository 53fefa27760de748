"""Telling the organiser what needs a person: the digest and the poll summary.

The store side (migration m008): a lead whose status is set to
needs_attention is one item, caused by the event logged right after, and is
told once; a new message that needs a person again is a new item.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from inbox_worker.store import Store
from tests import mailfactory
from tests.localdesk import LocalDesk

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "leads.db")
    yield s
    s.close()


def store_message(store: Store, n: int, sender: str, text: str) -> int:
    """A decided message, as the pass records it."""
    raw = f"From: {sender}\r\nMessage-ID: <m{n}@example.nl>\r\nSubject: s{n}\r\n\r\n{text}\r\n"
    with store.transaction():
        pk = store.conn.execute(
            "insert into messages (folder, uidvalidity, uid, raw, raw_sha256, received, state,"
            " subject, text, from_addr) values ('INBOX', 1, ?, ?, ?, ?, 'processed', ?, ?, ?)",
            [n, raw.encode(), f"sha{n}", NOW.isoformat(), f"s{n}", text, sender],
        ).lastrowid
    assert pk is not None
    return pk


def decide(
    store: Store, sender: str, n: int, text: str, status: str | None, notes: list[str]
) -> int:
    """What process_one writes for one message: the lead (status first), then the decision."""
    pk = store_message(store, n, sender, text)
    changes = {"name": "Anna de Vries", "status": status}
    with store.transaction():
        lead_id = store.upsert_lead(sender, changes, NOW)
        store.log_event(
            "decision",
            {"category": "inquiry", "reasons": [], "notes": notes},
            NOW,
            lead_id=lead_id,
            message_id=pk,
        )
    return lead_id


def untold(store: Store) -> list[tuple[str, str, list[str]]]:
    import json

    return [
        (r["email"], r["kind"], json.loads(r["detail"]).get("notes", []))
        for r in store.untold_attention()
    ]


def tell_all(store: Store) -> None:
    store.mark_told([(r["lead_id"], r["after_event"]) for r in store.untold_attention()], NOW)


def test_a_lead_set_to_needs_attention_is_one_item_until_told(store: Store) -> None:
    decide(store, "anna@example.org", 1, "Hallo", "offered", [])
    assert untold(store) == []
    decide(store, "anna@example.org", 2, "Korting?", "needs_attention", ["asks for a discount"])
    assert untold(store) == [("anna@example.org", "decision", ["asks for a discount"])]
    [row] = store.untold_attention()
    assert row["text"] == "Korting?" and row["raw"].startswith(b"From: anna@example.org")

    tell_all(store)
    assert untold(store) == []


def test_a_message_that_leaves_the_status_alone_is_no_new_item(store: Store) -> None:
    decide(store, "anna@example.org", 1, "Korting?", "needs_attention", ["asks for a discount"])
    tell_all(store)
    decide(store, "anna@example.org", 2, "Dank je!", None, ["no reply for other"])
    assert untold(store) == []


def test_a_new_message_that_needs_a_person_again_is_a_new_item(store: Store) -> None:
    decide(store, "anna@example.org", 1, "Korting?", "needs_attention", ["asks for a discount"])
    tell_all(store)
    decide(store, "anna@example.org", 2, "En een factuur?", "needs_attention", ["asks for a PO"])
    assert untold(store) == [("anna@example.org", "decision", ["asks for a PO"])]


def test_a_spell_begun_after_the_digest_was_read_stays_untold(store: Store) -> None:
    decide(store, "anna@example.org", 1, "Korting?", "needs_attention", ["asks for a discount"])
    read = [(r["lead_id"], r["after_event"]) for r in store.untold_attention()]
    decide(store, "anna@example.org", 2, "En een factuur?", "needs_attention", ["asks for a PO"])
    store.mark_told(read, NOW)
    assert untold(store) == [("anna@example.org", "decision", ["asks for a PO"])]


def test_a_refused_reply_is_an_item_about_the_message_it_answered(store: Store) -> None:
    lead_id = decide(store, "bob@example.org", 1, "Wanneer?", "offered", [])
    reply_id = store.queue_reply(
        {
            "lead_id": lead_id,
            "in_reply_to": 1,
            "kind": "inquiry",
            "to_addr": "bob@example.org",
            "message_id": "<r1@example.org>",
            "status": "failed",
            "created": NOW.isoformat(),
        }
    )
    # As Worker._send_one does on a 5xx: the status, then its own event.
    with store.transaction():
        store.set_lead_status(lead_id, "needs_attention", NOW)
        error = {"reply": reply_id, "error": "550 5.1.1 no such user"}
        store.log_event("reply_failed", error, NOW, lead_id=lead_id)
    [row] = store.untold_attention()
    assert row["email"] == "bob@example.org" and row["kind"] == "reply_failed"
    assert row["text"] == "Wanneer?"


def test_what_the_organiser_flagged_by_hand_or_resolved_is_not_told(store: Store) -> None:
    lead_id = decide(store, "anna@example.org", 1, "Hallo", "offered", [])
    store.set_status_by_organiser(lead_id, "needs_attention", NOW)
    assert untold(store) == []
    other = decide(store, "bob@example.org", 2, "Korting?", "needs_attention", ["discount"])
    store.set_status_by_organiser(other, "closed", NOW)
    assert untold(store) == []


def test_erasing_the_lead_removes_its_record(store: Store) -> None:
    lead_id = decide(store, "anna@example.org", 1, "Korting?", "needs_attention", ["discount"])
    store.erase_lead(lead_id, NOW + timedelta(minutes=1))
    assert store.conn.execute("select count(*) from attention").fetchone()[0] == 0


def test_leads_waiting_before_the_upgrade_are_told_once(tmp_path: Path) -> None:
    """A database from before m008: the latest decision or refused reply is each one's item."""
    from sqlite_utils import Database

    from inbox_worker.migrations import migrations

    path = tmp_path / "leads.db"
    db = Database(path)
    migrations.apply(db, stop_before="m008_attention_told")
    for lead_id, email, status in ((1, "anna@example.org", "needs_attention"),
                                   (2, "bob@example.org", "offered"),
                                   (3, "carol@example.org", "needs_attention")):  # fmt: skip
        db["leads"].insert(
            {"id": lead_id, "email": email, "status": status, "created": "x", "updated": "x"}
        )
    for lead_id, kind, detail in (
        (1, "decision", '{"notes": ["an old question"]}'),
        (1, "decision", '{"notes": ["asks for a discount"]}'),
        (2, "decision", '{"notes": []}'),
        (3, "decision", '{"notes": []}'),
        (3, "reply_queued", "{}"),
        (3, "reply_failed", '{"reply": 7, "error": "550 no such user"}'),
    ):
        db["events"].insert({"ts": "x", "lead_id": lead_id, "kind": kind, "detail": detail})
    db.close()
    with Store(path) as upgraded:
        assert untold(upgraded) == [
            ("anna@example.org", "decision", ["asks for a discount"]),
            ("carol@example.org", "reply_failed", []),
        ]


# -- the poll summary -------------------------------------------------------------


def invoke(*args: str) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from cli import cli

    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def ask_twice(desk: LocalDesk, n: int) -> str:
    """An inquiry, and the same person asking again before the offer may be repeated:
    the second one needs a person."""
    sender = f"deelnemer{n}@gemeente-voorbeeld.nl"
    desk.deliver(mailfactory.inquiry_nl(n, sender=sender))
    desk.deliver(mailfactory.inquiry_nl(n + 100, sender=sender))
    return sender


NEEDS_YOU = "you: inbox-worker leads list --status needs_attention"


def test_the_poll_summary_names_what_needs_you_and_the_command(tmp_path: Path) -> None:
    desk = LocalDesk(tmp_path)
    config = str(desk.config_path)
    desk.deliver(mailfactory.inquiry_en(1))
    code, _, err = invoke("--config", config, "poll")
    assert code == 0
    assert err == "1 new, 1 inquiry, 1 reply sent\n"

    first = ask_twice(desk, 2)
    code, _, err = invoke("--config", config, "poll")
    assert code == 0
    assert err.startswith("2 new, 2 inquiries, ") and err.endswith(f", 1 needs {NEEDS_YOU}\n")
    second = ask_twice(desk, 3)
    invoke("--config", config, "poll")
    code, _, err = invoke("--config", config, "poll")  # idle: still waiting
    assert (code, err) == (0, f"0 new, 2 need {NEEDS_YOU}\n")

    code, out, _ = invoke("--config", config, "leads", "list", "--status", "needs_attention")
    assert code == 0
    listed = [line.split()[1] for line in out.splitlines()[1:]]
    assert sorted(listed) == [first, second]


def test_under_cron_a_healthy_pass_still_prints_nothing(tmp_path: Path) -> None:
    desk = LocalDesk(tmp_path)
    ask_twice(desk, 1)
    assert invoke("-q", "--config", str(desk.config_path), "poll") == (0, "", "")
