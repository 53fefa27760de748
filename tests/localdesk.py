"""The worker on a local Maildir with a file outbox: the whole pass, no servers.

For tests that push hundreds or thousands of messages through `run_once()`
(floods, the corpus, hostile input), where IMAP round trips would only cost
time: the Maildir source and the file outbox are the production edges of the
embedded default.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from inbox_worker import config as config_mod
from inbox_worker.app import build_worker
from inbox_worker.mail.maildir import deliver, open_maildir
from inbox_worker.run.report import PassReport
from inbox_worker.store import Store
from inbox_worker.worker import Worker
from tests import mailfactory

CONFIG = """
[source]
kind = "maildir"
path = "mail"

[transport]
kind = "file"
path = "outbox"

[organiser]
name = "Gertjan Verstoep"
email = "{organiser}"

[replies]
min_days_between = {min_days}

[workshop]
title = "Co-creëren met de samenleving"

[[workshop.sessions]]
id = "utrecht"
starts = 2099-01-12T09:30:00+01:00
ends = 2099-01-12T16:30:00+01:00
location = "Utrecht"
capacity = {capacity}

[[workshop.sessions]]
id = "zwolle"
starts = 2099-02-04T09:30:00+01:00
ends = 2099-02-04T16:30:00+01:00
location = "Zwolle"
capacity = {capacity}
"""


class LocalDesk:
    """One organiser's mailbox, database and outbox in a folder."""

    def __init__(
        self,
        folder: Path,
        *,
        organiser: str = mailfactory.ORGANISER,
        min_days: int = 7,
        capacity: int = 1000,
    ) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.config_path = folder / "config.toml"
        self.config_path.write_text(
            CONFIG.format(organiser=organiser, min_days=min_days, capacity=capacity),
            encoding="utf-8",
        )
        self.mail = folder / "mail"
        open_maildir(self.mail, create=True).close()
        self.outbox = folder / "outbox"
        self.database = folder / "leads.db"
        self.now = datetime(2098, 12, 1, 9, 0, tzinfo=UTC)
        self._seen: set[str] = set()
        self._delivered = 0

    def deliver(self, raw: bytes) -> None:
        """Drop a message in the Maildir as arrived at the desk's `now`.

        The file's mtime is the message's INTERNALDATE; mail that arrived long
        before `now` would be history the worker does not answer.
        """
        path = deliver(self.mail, raw)
        # A millisecond apart, so the Maildir's UID order (by mtime) stays the
        # order of delivery.
        self._delivered += 1
        stamp = self.now.timestamp() + self._delivered / 1000
        os.utime(path, (stamp, stamp))

    def run(self, action: Callable[[Worker], PassReport] | None = None) -> PassReport:
        config = config_mod.load(self.config_path)
        with Store(config.storage.database) as store:
            worker = build_worker(config, store, clock=lambda: self.now)
            return (action or Worker.run_once)(worker)

    def sent(self) -> list[EmailMessage]:
        """Every reply in the outbox, oldest first."""
        if not self.outbox.exists():
            return []
        out = []
        for path in sorted(self.outbox.glob("*.eml")):
            msg = message_from_bytes(path.read_bytes(), policy=policy.default)
            assert isinstance(msg, EmailMessage)
            out.append(msg)
        return out

    def new_replies(self) -> list[EmailMessage]:
        """Replies written since the last call."""
        fresh = [m for m in self.sent() if str(m["Message-ID"]) not in self._seen]
        self._seen |= {str(m["Message-ID"]) for m in fresh}
        return fresh
