"""Delivery: send the replies that are due, and file their copies in the Sent folder.

The last stage of a pass (DESIGN.md §2, step 4). A reply is marked `sending`
before the SMTP transaction and `sent` after it, then its copy is filed in
the Sent folder (`filed`). A temporary failure (4xx, a dropped connection)
keeps the reply queued with a growing wait (`next_attempt_at`); a permanent
one (5xx, a message that cannot be sent as it is) marks it failed and its
lead `needs_attention`.

The one window no mail system can close lies between the SMTP server
accepting a reply and our commit of `sent`: a crash there leaves the row in
`sending`, and the next pass looks for its Message-ID in the Sent folder
before sending it again. `sent` is committed straight after acceptance, one
local write, and the copy is filed after it; a pass stopped between the two
files the copy next time. Only a crash inside that one commit can send a
reply twice, unless the server files its sent mail itself (Gmail, Microsoft
365), where the lookup finds it anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from email import message_from_bytes
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..errors import ConnectionFailed, DeliveryError, InboxWorkerError
from ..run.report import PassReport
from ..store import Store, iso

# writing.headers (REPLY_POLICY) is imported where it is used:
# cron's idle poll, with nothing due, never pays for it.
if TYPE_CHECKING:
    from ..mail.smtp import Transport
    from ..mail.source import MailSource

log = logging.getLogger("inbox_worker")

MAX_SEND_ATTEMPTS = 10
FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=6)


def keeps_sent_copies(config: Config) -> bool:
    """Whether there is a Sent folder to look in and file to: an IMAP source, SMTP out."""
    return (
        config.source.kind == "imap" and config.transport.kind == "smtp" and config.smtp is not None
    )


class Delivery:
    """One delivery stage over the store: what is due is sent, what was interrupted resumed."""

    def __init__(
        self,
        config: Config,
        store: Store,
        *,
        open_source: Callable[[], MailSource],
        open_transport: Callable[[], Transport],
        clock: Callable[[], datetime],
    ) -> None:
        self.config = config
        self.store = store
        self.open_source = open_source
        self.open_transport = open_transport
        self.clock = clock

    def deliver(self, report: PassReport) -> None:
        with _SentCopies(self.config, self.open_source) as copies:
            self._recover_interrupted_sends(copies)
            self._file_missing_copies(copies)
            due = self.store.due_replies(self.clock())
            if not due:
                return
            copies.prepare()
            transport = self.open_transport()
            try:
                for row in due:
                    if not self._send_one(row, transport, copies, report):
                        break
            finally:
                transport.close()

    def _send_one(
        self, row: dict[str, Any], transport: Transport, copies: _SentCopies, report: PassReport
    ) -> bool:
        """Send one reply; False when the server cannot be reached at all."""
        from ..writing.headers import REPLY_POLICY

        now = self.clock()
        attempts = row["attempts"] + 1
        self.store.set_reply(row["id"], status="sending", attempts=attempts)
        email = message_from_bytes(row["body"], policy=REPLY_POLICY)
        try:
            transport.send(email)  # type: ignore[arg-type]
        except ConnectionFailed as exc:
            # The server, not this reply, is the problem: keep it queued without
            # spending one of its attempts, and stop trying the rest this pass.
            self.store.set_reply(
                row["id"], status="pending", attempts=row["attempts"], last_error=str(exc)
            )
            report.errors.append(str(exc))
            log.error("%s", exc)
            return False
        except (DeliveryError, ValueError) as exc:
            # A refusal, or a message that cannot be sent as it is (ValueError:
            # not one recipient, an address no encoding can carry): this reply's
            # own failure, which never ends the pass for the others.
            permanent = not isinstance(exc, DeliveryError) or exc.permanent
            if permanent or attempts >= MAX_SEND_ATTEMPTS:
                self.store.set_reply(row["id"], status="failed", last_error=str(exc))
                if row["lead_id"]:
                    self.store.set_lead_status(row["lead_id"], "needs_attention", now)
                self.store.log_event(
                    "reply_failed",
                    {"reply": row["id"], "error": str(exc)},
                    now,
                    lead_id=row["lead_id"],
                )
                report.failed += 1
                log.error("reply %s to %s failed: %s", row["id"], row["to_addr"], exc)
                return True
            wait = min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)
            self.store.set_reply(
                row["id"], status="pending", last_error=str(exc), next_attempt_at=iso(now + wait)
            )
            report.retrying += 1
            log.warning("reply %s to %s will be retried: %s", row["id"], row["to_addr"], exc)
            return True
        # The crash window (module docstring) runs from the server's 250 to
        # this commit; the copy in Sent is filed after it, and a pass stopped
        # before that files it next time (filed = 0).
        with self.store.transaction():
            self.store.set_reply(
                row["id"],
                status="sent",
                sent=iso(self.clock()),
                last_error=None,
                filed=0 if copies.files else None,
            )
            self.store.log_event("reply_sent", {"reply": row["id"]}, now, lead_id=row["lead_id"])
        report.sent += 1
        if copies.file(row):
            self.store.set_reply(row["id"], filed=1)
        return True

    def _recover_interrupted_sends(self, copies: _SentCopies) -> None:
        stuck = self.store.replies_in_state("sending")
        if not stuck:
            return
        found = {r["message_id"] for r in stuck if copies.holds(r["message_id"])}
        for r in stuck:
            if r["message_id"] in found:
                filed = 1 if copies.files else None
                self.store.set_reply(r["id"], status="sent", sent=iso(self.clock()), filed=filed)
                log.info("reply %s was sent before an interruption (found in Sent)", r["id"])
            else:
                self.store.set_reply(r["id"], status="pending")
                log.info("reply %s was interrupted before it was sent; sending again", r["id"])

    def _file_missing_copies(self, copies: _SentCopies) -> None:
        """File the Sent copies of replies that went out in a pass stopped before filing them."""
        for row in self.store.replies_to_file():
            if not copies.files:  # the config no longer asks for copies
                self.store.set_reply(row["id"], filed=None)
                continue
            try:
                filed = copies.holds(row["message_id"]) or copies.file(row)
            except NoSentFolder:
                return  # said once a pass, when the folder was looked for
            except (ConnectionFailed, OSError) as exc:
                log.warning("copies of sent replies will be filed later: %s", exc)
                return
            except InboxWorkerError as exc:
                # Refused for this copy only (file() takes its own NO/BADs).
                log.warning("the copy of reply %s is filed later: %s", row["id"], exc)
                continue
            if filed:
                self.store.set_reply(row["id"], filed=1)


class NoSentFolder(InboxWorkerError):
    """The Sent folder that would tell whether a reply went out cannot be found."""


class _SentCopies:
    """The Sent folder for one delivery stage, over one connection opened on first use.

    Our copies are filed after `sent` is committed (a copy a stopped pass
    did not file is filed by the next one). Where the server files its own
    (`sent_folder = ""`: Gmail, Microsoft 365), looking there is what tells,
    for a reply a kill left in `sending`, whether it went out. One
    connection, opened before the first send, serves the whole stage. With
    no IMAP source there is nothing to file or look up.

    `auto` is the folder flagged \\Sent, else one with a usual name, else a
    `Sent` created in the personal namespace (source.choose_sent_folder). A
    server that refuses one copy (NO/BAD) costs that copy only; only a
    server that cannot be reached twice stops the filing for this pass.
    """

    def __init__(self, config: Config, open_source: Callable[[], MailSource]) -> None:
        self._open_source = open_source
        smtp = config.smtp
        self._lookup = keeps_sent_copies(config) and smtp is not None
        # "" means the server files what it sends (Gmail, Microsoft 365): we
        # still look there after a crash, but never add a copy of our own.
        self.files = self._lookup and smtp is not None and bool(smtp.sent_folder)
        self._setting = smtp.sent_folder if smtp is not None else ""
        self._source: MailSource | None = None
        self._folder: str | None = None
        self._detail = ""  # how the folder was found, or why there is none
        self._told = False  # why there is no folder: said once per pass
        self._unreachable = 0  # connections that failed this stage

    def _open(self) -> tuple[MailSource, str | None]:
        if self._source is None:
            source = self._open_source()
            try:
                found = source.sent_folder(self._setting, create=self.files)
            except BaseException:
                source.close()
                raise
            self._source, self._folder, self._detail = source, found.name, found.detail
            if found.how == "created":
                log.info("%s", found.detail)
            elif found.name is None and not self._told:
                self._told = True
                if self.files:
                    log.warning("copies of sent replies wait: %s", found.detail)
                else:
                    log.info("no Sent folder to look in: %s", found.detail)
        return self._source, self._folder

    def holds(self, message_id: str) -> bool:
        """Whether the Sent folder has this reply; connection errors propagate.

        Unsure means not sent yet would risk a duplicate, and sent would risk
        a lost reply; the pass stops instead and the rows stay `sending`.
        """
        if not self._lookup:
            return False
        source, folder = self._open()
        if folder is None:
            raise NoSentFolder(
                "cannot tell whether an interrupted reply went out: no Sent folder to"
                f" look in ({self._detail}); it stays 'sending' until there is one"
            )
        return source.find_message_id(folder, message_id)

    def prepare(self) -> None:
        """Open the connection before the first send, not inside the window after it."""
        if not self.files:
            return
        try:
            self._open()
        except (InboxWorkerError, OSError) as exc:
            log.warning("cannot open the Sent folder for copies of replies: %s", exc)
            self._unreachable += 1

    def file(self, row: dict[str, Any]) -> bool:
        """Append the reply to the Sent folder; False when it could not be filed now."""
        if not self.files:
            return False
        if self._unreachable >= 2:
            # An unreachable server would cost a connect timeout per reply.
            log.warning(
                "reply %s sent; its copy in Sent is filed later (IMAP unavailable)", row["id"]
            )
            return False
        try:
            source, folder = self._open()
        except (InboxWorkerError, OSError) as exc:
            log.warning("reply %s sent; its copy in Sent is filed later: %s", row["id"], exc)
            self._unreachable += 1
            return False
        if not folder:  # said once, in _open
            return False
        try:
            source.append(folder, row["body"])
            return True
        except (ConnectionFailed, OSError) as exc:
            # The reply is out; a missing copy must not make us send it again.
            log.warning("reply %s sent; its copy in Sent is filed later: %s", row["id"], exc)
            self._unreachable += 1
            self.close()  # the next reply reconnects
            return False
        except InboxWorkerError as exc:
            # The server answered NO or BAD to this one APPEND: the connection
            # is fine and the next copy may well be filed.
            log.warning("reply %s sent; its copy in Sent is filed later: %s", row["id"], exc)
            return False

    def close(self) -> None:
        source, self._source = self._source, None
        if source is not None:
            source.close()

    def __enter__(self) -> _SentCopies:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
