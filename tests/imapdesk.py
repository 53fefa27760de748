"""The organiser's desk on real Dovecot and aiosmtpd, driven pass by pass.

Mail is delivered into the IMAP account, a pass (`run_once`, or any action
on the worker) runs on a clock the test controls, and what it sent is
collected from aiosmtpd: the plumbing of the conversation and trust tests.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from inbox_worker import config as config_mod
from inbox_worker.app import build_worker
from inbox_worker.run.report import PassReport
from inbox_worker.store import Store
from inbox_worker.writing.invite import from_ics
from tests import mailfactory
from tests.configs import write_config
from tests.servers import ImapAccount, SmtpServer

Person = tuple[str, str]  # (address, display name)


class Desk:
    """The organiser's mailbox with a worker on a clock the test controls.

    `config` goes to write_config (organiser, aliases, capacity, ...)."""

    def __init__(self, tmp_path: Path, imap: ImapAccount, smtp: SmtpServer, **config: Any) -> None:
        self.imap = imap
        self.smtp = smtp
        config.setdefault("utrecht_capacity", 2)
        self.organiser = config.get("organiser", mailfactory.ORGANISER)
        self.config_path = write_config(tmp_path, imap, smtp, **config)
        self.db = Database(tmp_path / "leads.db")
        # Real time: what Dovecot stamps as INTERNALDATE must not look like history.
        self.now = datetime.now(UTC)
        self.seen = 0
        self.n = 0

    def run(self, action: Callable[..., PassReport] | None = None) -> list[EmailMessage]:
        """One pass (or `action` on the worker); returns the mail it sent."""
        config = config_mod.load(self.config_path)
        with Store(config.storage.database) as store:
            worker = build_worker(config, store, clock=lambda: self.now)
            report = (action or type(worker).run_once)(worker)
        assert report.ok, report.summary()
        return self.collect()

    def collect(self) -> list[EmailMessage]:
        """The mail sent since the last look (by a pass, or by the CLI)."""
        new = self.smtp.messages[self.seen :]
        self.seen = len(self.smtp.messages)
        return [message_from_bytes(m.raw, policy=policy.default) for m in new]

    def next_n(self) -> int:
        self.n += 1
        return self.n

    def write(self, who: Person, body: str, answering: EmailMessage | None = None) -> None:
        """The standard Dutch inquiry (no `answering`), else `body` in answer to our mail."""
        n = self.next_n()
        if answering is None:
            raw = mailfactory.inquiry_nl(n, sender=who[0])
        else:
            raw = mailfactory.reply_to(answering.as_bytes(), who[0], who[1], body, n)
        self.imap.deliver(raw)

    def new(
        self,
        who: Person,
        subject: str,
        body: str,
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        """A new message (no thread) to the organiser."""
        raw = mailfactory.mail(
            who[0], who[1], subject, body, self.next_n(), to=self.organiser, headers=headers
        )
        self.imap.deliver(raw)

    def answer(self, who: Person, body: str, answering: EmailMessage, **how: Any) -> None:
        """`body` in answer to our mail; `how`: quoting, subject, headers (mailfactory.reply_to)."""
        raw = mailfactory.reply_to(answering.as_bytes(), who[0], who[1], body, self.next_n(), **how)
        self.imap.deliver(raw)

    # -- what the database says ---------------------------------------------

    def kinds(self, mail: list[EmailMessage]) -> list[tuple[str, str]]:
        """(recipient, kind of reply) of each mail sent, sorted: who got what."""
        kind = {r["message_id"]: r["kind"] for r in self.db["replies"].rows}
        return sorted((m["To"].addresses[0].addr_spec, kind[m["Message-ID"]]) for m in mail)

    def lead(self, address: str) -> dict[str, Any] | None:
        rows = list(self.db["leads"].rows_where("email = ?", [address]))
        return rows[0] if rows else None

    def bookings(self, address: str) -> list[tuple[str, str]]:
        """(session, status) of every booking the lead ever had, oldest first."""
        return [
            (r["session_id"], r["status"])
            for r in self.db.query(
                "select session_id, bookings.status from bookings"
                " join leads on leads.id = bookings.lead_id where leads.email = ?"
                " order by bookings.id",
                [address],
            )
        ]

    def read_as(self, address: str) -> list[str]:
        """How each message from this address was read: "category: reasons"."""
        return [
            f"{r['category']}: {', '.join(json.loads(r['reasons'] or '[]'))}"
            for r in self.db.query(
                "select category, reasons from messages where from_addr = ? order by id",
                [address],
            )
        ]

    def notes(self, address: str) -> list[str]:
        """The notes of every decision logged for the lead, oldest first."""
        return [
            note
            for r in self.db.query(
                "select detail from events join leads on leads.id = events.lead_id"
                " where events.kind = 'decision' and leads.email = ? order by events.id",
                [address],
            )
            for note in json.loads(r["detail"])["notes"]
        ]

    def attention(self, address: str) -> list[str]:
        """The needs_attention reasons logged for the lead."""
        prefix = "needs attention: "
        return [n[len(prefix) :] for n in self.notes(address) if n.startswith(prefix)]


def to(mail: list[EmailMessage], address: str) -> EmailMessage:
    [found] = [m for m in mail if m["To"].addresses[0].addr_spec == address]
    return found


def recipients(mail: list[EmailMessage]) -> list[str]:
    return sorted(m["To"].addresses[0].addr_spec for m in mail)


def invites(msg: EmailMessage) -> list[dict[str, object]]:
    """Every calendar attachment, parsed."""
    return [
        from_ics(part.get_content())
        for part in msg.walk()
        if part.get_content_type() == "application/ics"
    ]


def text(msg: EmailMessage) -> str:
    body = msg.get_body(("plain",))
    assert body is not None
    return body.get_content()
