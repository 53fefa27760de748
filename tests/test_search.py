"""`leads search`: which leads, in which order, how many, with which counts.

The query collects every match and then walks the leads newest first; these
tests hold it to what the straightforward query it replaced answered
(REFERENCE): leads whose own fields or any of whose messages match, newest
first (ties: the higher id first), at most `limit`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from inbox_worker.mail.source import FetchedMessage
from inbox_worker.store import Store, fts_query, iso

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

REFERENCE = """
select leads.*,
  (select count(*) from messages where messages.lead_id = leads.id) as messages,
  (select count(*) from replies where replies.lead_id = leads.id and replies.status = 'sent')
    as replies_sent
from leads where leads.id in (
  select rowid from leads_fts where leads_fts match :q
  union
  select messages.lead_id from messages_fts join messages on messages.id = messages_fts.rowid
  where messages_fts match :q and messages.lead_id is not null
)
order by leads.created desc, leads.id desc limit :limit
"""

WORDS = ["vallei", "zwolle", "participatie", "omgevingswet", "waterschap", "gemeente"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Leads made out of order in time, some at the same second; mail from some of
    them and from nobody in particular; a sent reply here and there."""
    rng = random.Random(7)
    with Store(tmp_path_factory.mktemp("search") / "leads.db") as s:
        for n in range(1, 61):
            created = NOW - timedelta(minutes=rng.choice([0, 5, 5, 30, 60 * n]))
            with s.transaction():
                lead = s.upsert_lead(
                    f"p{n}@example.nl",
                    {"name": f"Persoon {n}", "organisation": f"{rng.choice(WORDS)} {n % 4}"},
                    created,
                )
        for n in range(1, 121):
            raw = f"From: x{n}@example.nl\r\nMessage-ID: <m{n}@x.nl>\r\n\r\nx\r\n".encode()
            s.ingest("INBOX", 1, [FetchedMessage(n, raw, NOW, len(raw))], NOW)
            lead = rng.choice([None, *range(1, 61)])
            text = " ".join(rng.sample(WORDS, 2))
            s.record_message(n, {"text": text, "lead_id": lead, "state": "processed"})
            if lead is not None and n % 3 == 0:
                s.queue_reply(
                    {"lead_id": lead, "in_reply_to": n, "kind": "inquiry", "status": "sent",
                     "to_addr": f"p{lead}@example.nl", "message_id": f"<r{n}@example.org>",
                     "created": iso(NOW), "sent": iso(NOW)}
                )  # fmt: skip
        yield s


def test_the_fixture_has_ties_and_more_matches_than_a_page(store: Store) -> None:
    created = [r["created"] for r in store._query("select created from leads")]
    assert len(set(created)) < len(created) - 10
    assert len(store.search_leads("gemeente", limit=1000)) > 7


@pytest.mark.parametrize("text", [*WORDS, "zwolle 3", "vallei gemeente", "pers", "p17", "niets"])
@pytest.mark.parametrize("limit", [1, 7, 100])
def test_search_answers_as_the_query_it_replaced(store: Store, text: str, limit: int) -> None:
    expected = [dict(r) for r in store._query(REFERENCE, {"q": fts_query(text), "limit": limit})]
    assert store.search_leads(text, limit=limit) == expected


def test_search_finds_by_lead_fields_and_by_mail_newest_first(tmp_path: Path) -> None:
    with Store(tmp_path / "leads.db") as s:
        old = s.upsert_lead("anna@example.nl", {"name": "Anna Mulder"}, NOW - timedelta(days=2))
        same_a = s.upsert_lead("bert@example.nl", {"organisation": "Mulder BV"}, NOW)
        same_b = s.upsert_lead("carla@example.nl", {"name": "Carla"}, NOW)  # same second
        other = s.upsert_lead("dirk@example.nl", {"name": "Dirk"}, NOW)
        for n, lead, text in [
            (1, same_b, "groeten van mevrouw Mulder"),
            (2, same_b, "nogmaals Mulder"),  # two matching mails: still one row
            (3, None, "Mulder nieuwsbrief"),  # mail that never became a lead
            (4, other, "iets anders"),
            (5, old, "ook Mulder"),  # matches by name and by mail: one row
        ]:
            raw = f"Message-ID: <m{n}@x.nl>\r\n\r\nx\r\n".encode()
            s.ingest("INBOX", 1, [FetchedMessage(n, raw, NOW, len(raw))], NOW)
            s.record_message(n, {"text": text, "lead_id": lead, "state": "processed"})

        found = s.search_leads("mulder")
        assert [r["id"] for r in found] == [same_b, same_a, old]
        assert [r["messages"] for r in found] == [2, 0, 1]
        assert [r["id"] for r in s.search_leads("mulder", limit=2)] == [same_b, same_a]
        assert [r["id"] for r in s.search_leads("groeten mulder")] == [same_b]
        assert s.search_leads("nieuwsbrief") == []
        assert s.search_leads("   ") == []
