"""cron's idle pass asks the database nothing whose cost grows with the mail history.

Each statement an idle pass runs is explained (EXPLAIN QUERY PLAN) against a
database that has been ANALYZEd after a first pass: those statistics say
every message is `processed`, which is what lets the planner prefer walking
a whole table over an index, as it would on a real database years old.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from inbox_worker import config as config_mod
from inbox_worker.app import build_worker
from inbox_worker.commands.common import count_waiting
from inbox_worker.store import Store
from tests import mailfactory
from tests.localdesk import LocalDesk

# Tables that grow with every message, reply and lead ever handled.
HISTORY = ("messages", "leads", "replies", "events", "messages_fts", "leads_fts")


def test_an_idle_pass_reads_no_history(tmp_path: Path) -> None:
    desk = LocalDesk(tmp_path)
    for n in range(40):
        desk.deliver(mailfactory.inquiry_nl(n) if n % 2 else mailfactory.inquiry_en(n))
    assert desk.run().new == 40
    with sqlite3.connect(desk.database) as db:
        db.execute("ANALYZE")

    statements: list[str] = []
    config = config_mod.load(desk.config_path)
    with Store(config.storage.database) as store:
        store.conn.set_trace_callback(statements.append)
        report = build_worker(config, store, clock=lambda: desk.now).run_once()
        count_waiting(store, report)  # what `poll` adds to its summary line
        store.conn.set_trace_callback(None)
        assert report.new == 0 and report.sent == 0
        reads = [s for s in statements if s.lstrip().lower().startswith(("select", "with"))]
        assert len(reads) >= 5  # the pass did ask its questions
        # A partial index holds only the rows in the passing state: walking it is fine.
        partial = {
            name
            for (name,) in store.conn.execute(
                "select name from sqlite_master where type = 'index' and sql like '% WHERE %'"
            )
        }
        for sql in reads:
            steps = [r[3] for r in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
            # "SCAN t", also "SCAN t USING (COVERING) INDEX i": every row or entry.
            walks = [
                s
                for s in steps
                if s.split(" USING")[0] in {f"SCAN {t}" for t in HISTORY}
                and not any(s.endswith(f"INDEX {name}") for name in partial)
            ]
            assert not walks, f"{sql}\n-> {steps}"
