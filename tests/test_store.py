"""The SQLite store: migrations, atomic ingest, lead upserts, reply states."""

from __future__ import annotations

import json
import stat
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from inbox_worker.config import SessionConfig
from inbox_worker.errors import NotFound
from inbox_worker.mail.source import FetchedMessage
from inbox_worker.reading.message import ParsedMessage
from inbox_worker.store import Store

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def raw(n: int, message_id: str | None = None) -> bytes:
    mid = message_id or f"<m{n}@example.nl>"
    return (
        f"From: a{n}@example.nl\r\nMessage-ID: {mid}\r\nSubject: s{n}\r\n\r\nbody {n}\r\n"
    ).encode()


def fetched(uid: int, message_id: str | None = None) -> FetchedMessage:
    data = raw(uid, message_id)
    return FetchedMessage(uid=uid, raw=data, internaldate=NOW, size=len(data))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "leads.db")
    yield s
    s.close()


def test_database_is_private_and_migrated(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "leads.db"
    with Store(path) as s:
        assert {"messages", "leads", "replies", "events", "cursors", "sessions", "bookings"} <= set(
            s.db.table_names()
        )
        assert s.db.journal_mode == "wal"
        applied = s.db["_sqlite_migrations"].count
        assert applied >= 2
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with Store(path) as again:  # opening twice applies nothing new
        assert again.db["_sqlite_migrations"].count == applied


def test_schema_version_counts_the_migrations(tmp_path: Path) -> None:
    from inbox_worker.store import SCHEMA_VERSION
    from inbox_worker.store.migrations import migrations

    with Store(tmp_path / "leads.db") as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert s.db["_sqlite_migrations"].count == SCHEMA_VERSION
        assert not migrations.pending(s.db)


def test_a_database_from_before_the_version_stamp_still_migrates(tmp_path: Path) -> None:
    """Databases written before user_version was kept say 0: the migrations decide."""
    path = tmp_path / "leads.db"
    with Store(path) as s:
        s.conn.execute("PRAGMA user_version = 0")
        s.conn.execute(
            "delete from _sqlite_migrations where name = 'm005_fts_triggers_on_indexed_columns'"
        )
        s.conn.execute('DROP TRIGGER "leads_au"')
    with Store(path) as s:
        triggers = {
            r[0] for r in s.conn.execute("select name from sqlite_master where type = 'trigger'")
        }
        assert "leads_au" in triggers  # m005 ran again
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] > 0


def test_opening_a_current_database_imports_no_sqlite_utils(tmp_path: Path) -> None:
    """Cron's idle poll opens the store every minute; sqlite-utils costs ~50 ms to import."""
    import subprocess
    import sys

    Store(tmp_path / "leads.db").close()
    code = (
        "import sys; from pathlib import Path; from inbox_worker.store import Store; "
        f"Store(Path({str(tmp_path / 'leads.db')!r})).close(); "
        "print('sqlite_utils' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_ingest_stores_batch_and_cursor_together(store: Store) -> None:
    assert store.cursor("INBOX") is None
    new = store.ingest("INBOX", 7, [fetched(1), fetched(2)], NOW)
    assert new == 2
    cursor = store.cursor("INBOX")
    assert cursor is not None and (cursor.uidvalidity, cursor.last_uid) == (7, 2)
    assert store.raw_message(1) == raw(1)
    # The same UIDs again (a pass that died before noticing its commit) add nothing.
    assert store.ingest("INBOX", 7, [fetched(2)], NOW) == 0
    assert store.db["messages"].count == 2


def test_ingest_rolls_back_everything_on_failure(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    # The cursor write is the last step; failing there must undo the inserted messages.
    monkeypatch.setattr(Store, "_set_cursor", boom)
    with pytest.raises(RuntimeError):
        store.ingest("INBOX", 7, [fetched(1)], NOW)
    assert store.db["messages"].count == 0
    assert store.cursor("INBOX") is None


def test_rolled_back_runs_the_writes_then_undoes_them_all(store: Store) -> None:
    """The one way a dry run stores nothing: inner transactions commit into it, then it goes."""
    store.ingest("INBOX", 7, [fetched(1)], NOW)
    with store.rolled_back():
        store.ingest("INBOX", 7, [fetched(2), fetched(3)], NOW)  # its own transaction inside
        with store.transaction():
            store.upsert_lead("a2@example.nl", {"status": "offered"}, NOW)
        assert store.cursor("INBOX") == ("INBOX", 7, 3)  # read back while it lasts
        assert store.lead("a2@example.nl") is not None
    assert store.cursor("INBOX") == ("INBOX", 7, 1)
    assert store.db["messages"].count == 1 and store.lead("a2@example.nl") is None
    with pytest.raises(RuntimeError), store.rolled_back():
        store.ingest("INBOX", 7, [fetched(4)], NOW)
        raise RuntimeError("a failure inside is not swallowed")
    assert store.db["messages"].count == 1
    assert not store.conn.in_transaction


def test_after_uidvalidity_change_known_messages_are_skipped(store: Store) -> None:
    store.ingest("INBOX", 7, [fetched(1), fetched(2)], NOW)
    assert store.has_other_uidvalidity("INBOX", 8)
    store.reset_cursor("INBOX", 8, NOW)
    renumbered = [fetched(10, "<m1@example.nl>"), fetched(11, "<m2@example.nl>"), fetched(12)]
    assert store.ingest("INBOX", 8, renumbered, NOW, dedupe=True) == 1
    cursor = store.cursor("INBOX")
    assert cursor is not None and cursor.last_uid == 12


def test_messages_without_message_id_deduplicate_by_bytes(store: Store) -> None:
    data = b"From: x@example.nl\r\nSubject: no id\r\n\r\nhello\r\n"
    store.ingest("INBOX", 1, [FetchedMessage(1, data, None, len(data))], NOW)
    assert (
        store.ingest("INBOX", 2, [FetchedMessage(1, data, None, len(data))], NOW, dedupe=True) == 0
    )


def test_upsert_lead_keeps_identity_but_follows_status(store: Store) -> None:
    lead_id = store.upsert_lead("Anna@Example.nl", {"name": "Anna", "status": "offered"}, NOW)
    later = NOW + timedelta(days=1)
    again = store.upsert_lead(
        "anna@example.nl", {"name": "Collega Kees", "phone": "06-12345678", "status": "x"}, later
    )
    assert again == lead_id
    row = store.db["leads"].get(lead_id)
    assert (row["name"], row["phone"], row["status"]) == ("Anna", "06-12345678", "x")
    assert row["email"] == "anna@example.nl"


def test_thread_finds_the_reply_answered_and_what_the_person_saw(store: Store) -> None:
    lead_id = store.upsert_lead("anna@example.nl", {}, NOW)
    store.queue_reply(
        {
            "lead_id": lead_id,
            "kind": "inquiry",
            "to_addr": "anna@example.nl",
            "message_id": "<ours@example.org>",
            "offered": json.dumps([{"number": 1, "session_id": "a"}]),
            "status": "sent",
            "created": NOW.isoformat(),
        }
    )
    answer = ParsedMessage(
        message_id="<theirs@example.nl>",
        in_reply_to="<ours@example.org>",
        references=("<other@x>", "<ours@example.org>"),
        from_addr="anna@example.nl",
        from_name="Anna",
        return_path=None,
        to_addrs=(),
        subject="Re: workshop",
        date=None,
        headers={},
        content_type="text/plain",
        text="Optie 1",
        new_text="Optie 1",
        signature="",
        size=7,
    )
    rows = store.thread(answer)
    assert (rows.lead_id, rows.answered_kind, rows.answered_to) == (
        lead_id,
        "inquiry",
        "anna@example.nl",
    )
    assert [(r.kind, r.offered) for r in rows.seen] == [
        ("inquiry", [{"number": 1, "session_id": "a"}])
    ]
    # A new mail from her answers nothing, but she has still seen our offer.
    unrelated = replace(answer, in_reply_to=None, references=())
    assert store.thread(unrelated).answered_id is None
    assert len(store.thread(unrelated).seen) == 1
    # Our own reply, come back through a list, is recognised as ours.
    assert store.thread(replace(answer, message_id="<ours@example.org>")).ours
    assert [p.kind for p in store.prior_replies("ANNA@example.nl")] == ["inquiry"]


def test_sessions_follow_the_config_and_removed_ones_stay(store: Store) -> None:
    def s(sid: str) -> SessionConfig:
        return SessionConfig(sid, NOW, NOW + timedelta(hours=7), "Utrecht", 10)

    store.sync_sessions("W", [s("a"), s("b")])
    store.sync_sessions("W", [s("a")])
    rows = {r["id"]: r["removed"] for r in store.db["sessions"].rows}
    assert rows == {"a": 0, "b": 1}
    assert [x.id for x in store.session_seats()] == ["a"]


def test_held_replies_are_released_or_rejected(store: Store) -> None:
    ids = [
        store.queue_reply(
            {
                "kind": "inquiry",
                "to_addr": f"p{i}@example.nl",
                "message_id": f"<r{i}@example.org>",
                "status": "held",
                "created": NOW.isoformat(),
            }
        )
        for i in range(3)
    ]
    assert store.release_held([ids[0]]) == 1
    assert store.reject_replies([ids[1]], NOW) == 1
    assert [r["status"] for r in store.replies()] == ["pending", "rejected", "held"]
    assert store.release_held(None) == 1
    with pytest.raises(NotFound, match="no reply with id 99"):
        store.release_held([99])


def test_full_text_index_follows_only_the_indexed_columns(store: Store) -> None:
    lead_id = store.upsert_lead("anna@example.nl", {"name": "Anna Mulder"}, NOW)
    store.set_lead_status(lead_id, "offered", NOW)  # not indexed: the index is not touched
    store.upsert_lead("anna@example.nl", {"organisation": "Waterschap Vallei"}, NOW)

    def hits(word: str) -> list[int]:
        return [
            r[0]
            for r in store.db.conn.execute(
                "select rowid from leads_fts where leads_fts match ?", [word]
            )
        ]

    assert hits("Mulder") == [lead_id]
    assert hits("Vallei") == [lead_id]  # an indexed column changed: re-indexed
    store.ingest("INBOX", 1, [fetched(1)], NOW)
    store.record_message(
        1, {"subject": "Vraag over participatie", "text": "hallo", "state": "processed"}
    )
    found = store.db.conn.execute(
        "select rowid from messages_fts where messages_fts match 'participatie'"
    )
    assert [r[0] for r in found] == [1]


def test_a_message_is_kept_as_fetched_until_decided_then_compressed(store: Store) -> None:
    from inbox_worker.store import GZIP_MAGIC, compressed_for_storage, original

    # One fetched message happens to start with the gzip magic: stored compressed
    # at once, so that stored bytes starting with it are always our own gzip.
    odd = GZIP_MAGIC + b"not a mail at all\r\n"
    store.ingest("INBOX", 7, [fetched(1), FetchedMessage(2, odd, NOW, len(odd))], NOW)
    stored = {r[0]: r[1] for r in store.conn.execute("select id, raw from messages")}
    assert stored[1] == raw(1)
    assert stored[2] != odd and stored[2].startswith(GZIP_MAGIC)
    assert store.raw_message(1) == raw(1) and store.raw_message(2) == odd

    compressed = compressed_for_storage(stored[1], raw(1))
    assert compressed is not None and compressed.startswith(GZIP_MAGIC)
    store.record_message(1, {"state": "processed", "raw": compressed})
    assert store.raw_message(1) == raw(1) == original(compressed)
    assert compressed_for_storage(compressed, raw(1)) is None  # never compressed twice


def test_erase_also_removes_the_persons_undecided_and_quarantined_mail(store: Store) -> None:
    """Their sender is only recorded when a message is decided; erase must find them anyway."""
    person = "p.de.vries@gemeente-voorbeeld.nl"
    lead_id = store.upsert_lead(person, {"name": "Petra de Vries"}, NOW)

    def mail(n: int, sender: str, body: bytes = b"Hallo") -> FetchedMessage:
        data = f"From: Petra <{sender}>\r\nMessage-ID: <e{n}@x>\r\n\r\n".encode() + body
        return FetchedMessage(n, data, NOW, len(data))

    store.ingest(
        "INBOX", 7,
        [mail(1, person), mail(2, person.upper()), mail(3, "iemand@anders.nl"), mail(4, person)],
        NOW,
    )  # fmt: skip
    store.record_message(1, {"state": "processed", "lead_id": lead_id, "from_addr": person})
    store.quarantine(4, "ValueError: too many MIME boundary lines (> 2000)", NOW)
    removed = store.erase_lead(lead_id, NOW)
    assert removed.messages == 3
    left = [r[0] for r in store.conn.execute("select id from messages")]
    assert left == [3]
