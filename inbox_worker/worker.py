"""One pass over the mailbox: ingest -> process -> deliver (DESIGN.md §2).

`Worker.run_once()` is what `poll` runs from cron and what `watch` repeats.
Each stage hands over to the next through the database, never through
memory, so a pass killed at any point resumes where it stopped:

- ingest stores each fetched batch together with the advanced cursor;
- process turns each stored message into a decision, and commits the
  decision, the replies it queues and the message's new state together;
- deliver marks a reply `sending` before the SMTP transaction and `sent`
  after it, then files its copy in the Sent folder (`filed`).

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

import contextlib
import fcntl
import functools
import json
import logging
import os
import sqlite3
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Config
from .errors import ConnectionFailed, DeliveryError, InboxWorkerError, one_line
from .mail.source import MAX_MESSAGE_BYTES
from .store import Store, iso

# What only a pass with mail to read, replies to write or send needs (the
# classifier's phrase tables, jinja2, icalendar, even the records of
# model.py) is imported where it is used:
# cron's idle poll, most passes, then costs little more than a bare IMAP login.
if TYPE_CHECKING:
    from .deciding.conversation import Ours, Reading
    from .deciding.workflow import Decision
    from .mail.smtp import Transport
    from .mail.source import MailSource
    from .model import BookingChange, PlannedReply, Policy, SessionSeats
    from .outbox.queue import Composer
    from .parallel import ParallelReader
    from .reading.message import ParsedMessage
    from .writing.render import Renderer

log = logging.getLogger("inbox_worker")

PROCESS_BATCH = 500
COMMIT_EVERY = 100
# Batches read (in child processes) ahead of the one being decided.
READ_AHEAD = 2
# A backlog at least this big is read in child processes: starting them costs
# about a third of a second, which only a large first poll earns back.
PARALLEL_MIN = 400
# Whatever one address writes, it gets at most this many automatic replies in
# FLOOD_WINDOW. The per-kind limit (min_days_between) cannot see a flood of
# booking changes: each new booking is a new subject to confirm, so a script
# alternating "option 1" and "cancel" would otherwise get a reply to each.
MAX_REPLIES_PER_ADDRESS = 5
FLOOD_WINDOW = timedelta(hours=24)
HOUR = timedelta(hours=1)
MAX_SEND_ATTEMPTS = 10
FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=6)


SUMMARY_CATEGORIES = (
    ("inquiry", "inquiry", "inquiries"),
    ("date_choice", "date choice", "date choices"),
    ("cancellation", "cancellation", "cancellations"),
    ("unsubscribe", "unsubscribe", "unsubscribes"),
    ("auto_reply", "auto-reply ignored", "auto-replies ignored"),
    ("bounce", "bounce", "bounces"),
    ("bulk", "bulk message ignored", "bulk messages ignored"),
    ("spam", "spam message ignored", "spam messages ignored"),
    ("other", "other", "other"),
    ("erased", "message of an erased person dropped", "messages of erased people dropped"),
)


class PoisonMessage(Exception):
    """A message that could not be read: `str(exc)` is the reason it keeps."""

    def __str__(self) -> str:
        return str(self.args[0])


class AlreadyRunning(InboxWorkerError):
    """Another pass holds the lock on this database."""


class StorageError(InboxWorkerError):
    """The database cannot be written (disk full, locked too long, I/O error).

    The pass stops at once: what it committed stands, the transaction in
    progress is rolled back, and no message is blamed (quarantined) for it.
    """


# SQLite result codes that mean the database, not the message at hand, is the
# problem. sqlite3 is imported here for these exception types only; every
# read and write still goes through store.py.
_STORAGE_CODES = ("SQLITE_FULL", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_IOERR",
                  "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_CORRUPT", "SQLITE_NOTADB",
                  "SQLITE_NOMEM", "SQLITE_PROTOCOL")  # fmt: skip


def _is_storage_failure(exc: BaseException) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return isinstance(exc, sqlite3.Error) and name.startswith(_STORAGE_CODES)


@contextmanager
def storage_errors(database: Path) -> Iterator[None]:
    """Turn a failing database into one line the CLI can print (StorageError)."""
    try:
        yield
    except sqlite3.Error as exc:
        if not _is_storage_failure(exc):
            raise
        raise StorageError(
            f"database {database}: {exc} ({getattr(exc, 'sqlite_errorname', '?')});"
            " the pass stopped and kept everything it had committed"
        ) from exc


@dataclass
class PassReport:
    new: int = 0
    categories: Counter[str] = field(default_factory=Counter)
    quarantined: int = 0
    queued: int = 0
    held: int = 0
    suppressed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    # A dry run: nothing was kept; `preview` says, one line each, what every
    # message (and any mail of our own accord) would have got.
    dry_run: bool = False
    preview: list[str] = field(default_factory=list)
    # Leads whose status is needs_attention after the pass (counted by the CLI).
    needs_you: int = 0
    over_ceiling: int = 0  # replies held because [replies] max_per_hour was reached

    def count_queued(self, status: str) -> None:
        if status == "held":
            self.held += 1
        elif status == "pending":
            self.queued += 1

    @property
    def ok(self) -> bool:
        return not self.errors and not self.failed

    def summary(self, *, mail_in: bool = True) -> str:
        """One line, e.g. '12 new, 9 inquiries, 1 auto-reply ignored, 9 replies sent'.

        Without `mail_in` (reminders read no mail) only the replies are told.
        """
        parts = [f"{self.new} new"] if mail_in else []
        for key, one, many in SUMMARY_CATEGORIES:
            if self.categories[key]:
                parts.append(_count(self.categories[key], one, many))
        held = "to hold" if self.dry_run else "held"
        for count, one, many in (
            (self.quarantined, "quarantined", "quarantined"),
            (self.queued if self.dry_run else 0, "reply to send", "replies to send"),
            (self.held, f"reply {held}", f"replies {held}"),
            (self.suppressed, "reply suppressed", "replies suppressed"),
            (self.sent, "reply sent", "replies sent"),
            (self.retrying, "reply to retry", "replies to retry"),
            (self.failed, "reply failed", "replies failed"),
        ):
            if count:
                parts.append(_count(count, one, many))
        if self.over_ceiling:
            parts.append(
                f"{_count(self.over_ceiling, 'reply', 'replies')} held at max_per_hour:"
                " inbox-worker replies approve"
            )
        if self.needs_you:
            parts.append(
                f"{_count(self.needs_you, 'needs', 'need')} you:"
                " inbox-worker leads list --status needs_attention"
            )
        text = ", ".join(parts) or "nothing to do"
        return f"dry run: {text}; nothing stored or sent" if self.dry_run else text


@contextmanager
def run_lock(database: Path) -> Iterator[None]:
    """One pass per database at a time; a second one is told at once, not queued."""
    lock_path = database.with_name(database.name + ".lock")
    fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(f"another pass is running on {database}") from None
        yield
    finally:
        os.close(fd)  # closing releases the lock, also when the process dies


def policy_for(config: Config) -> Policy:
    from .model import Policy

    replies = config.replies
    return Policy(
        our_addresses=config.organiser.addresses,
        default_language=replies.default_language,
        min_days_between=replies.min_days_between,
        answer_within_days=replies.answer_within_days,
        forwarders=frozenset(config.organiser.forwarders),
        authserv_id=config.organiser.authserv_id,
    )


class Worker:
    def __init__(
        self,
        config: Config,
        store: Store,
        *,
        open_source: Callable[[], MailSource],
        open_transport: Callable[[], Transport],
        make_renderer: Callable[[], Renderer],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        mode: str | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.open_source = open_source
        self.open_transport = open_transport
        self.clock = clock
        self.mode = mode or config.replies.mode
        # A dry run (the flag or `replies.mode`) runs each pass for real and
        # rolls it back, so the real run after it finds everything as it was.
        self.dry_run = self.mode == "dry-run"
        self._make_renderer = make_renderer
        # Set by the CLI on a terminal: (total, label) -> a context giving a
        # step(n) callback. The engine itself never prints.
        self.progress: (
            Callable[[int, str], contextlib.AbstractContextManager[Callable[[int], None]]] | None
        ) = None
        # Sessions with their seats taken, read once and kept until a booking
        # changes: a pass would otherwise count every session's seats for
        # every message it reads.
        self._session_cache: list[SessionSeats] | None = None
        # (when counted, automatic replies queued in the hour before): the ceiling
        self._sent_this_hour: tuple[datetime, int] | None = None
        self._composer: Composer | None = None
        self.folder = (
            config.imap.folder if config.imap and config.source.kind == "imap" else "INBOX"
        )

    @functools.cached_property
    def own_texts(self) -> Ours:
        """Our templates as this organiser sends them: our words, recognised when quoted."""
        from .deciding.conversation import Ours

        config = self.config
        texts = self.composer.renderer.own_texts(config.workshop, config.organiser)
        return Ours(texts, self.policy)

    @functools.cached_property
    def policy(self) -> Policy:
        return policy_for(self.config)

    def _sessions(self) -> list[SessionSeats]:
        if self._session_cache is None:
            self._session_cache = self.store.session_seats()
        return self._session_cache

    @property
    def composer(self) -> Composer:
        if self._composer is None:
            from .outbox.queue import Composer

            self._composer = Composer(
                self.config, self.store, self._make_renderer(), mode=self._queue_mode()
            )
        return self._composer

    def _queue_mode(self) -> str:
        """How replies are queued: a dry run queues them as the real run would."""
        if not self.dry_run:
            return self.mode
        return "send" if self.config.replies.mode == "dry-run" else self.config.replies.mode

    def run_once(self) -> PassReport:
        return self._pass(read_mailbox=True)

    def process_and_deliver(self) -> PassReport:
        """The second half of a pass, for messages already stored (retry, reprocess)."""
        return self._pass(read_mailbox=False)

    def _pass(self, *, read_mailbox: bool) -> PassReport:
        report = PassReport(dry_run=self.dry_run)
        with run_lock(self.store.path), storage_errors(self.store.path), self._undone_if_dry():
            self.sync_sessions()
            self.warn_stranded_sessions()
            with _Pipeline(self, report) as pipeline:
                # What an earlier pass stored but did not decide comes first:
                # decisions follow the order in which mail arrived.
                self.process(report, pipeline)
                if read_mailbox:
                    self.ingest(report, pipeline)
            with self._told(report, "free seats"):
                self.fill_free_seats(report)
            self.deliver(report)
        return report

    def _undone_if_dry(self) -> contextlib.AbstractContextManager[None]:
        """A dry run is one transaction, rolled back at the end: cursor, mail, leads,
        bookings, replies and events stay as the real run needs them."""
        return self.store.rolled_back() if self.dry_run else contextlib.nullcontext()

    @contextmanager
    def _told(self, report: PassReport, about: int | str) -> Iterator[None]:
        """In a dry run, add to the preview what the block recorded, before it is undone.

        `about` is the stored message decided in the block, or a label for mail
        we start ourselves ("reminder").
        """
        if not self.dry_run:
            yield
            return
        from . import dryrun

        mark = self.store.mark()
        yield
        report.preview.extend(dryrun.told(self.store, about, mark))

    def remind(self, days_before: int) -> PassReport:
        """Queue and send a reminder for each confirmed booking starting within the days."""
        from .deciding import booking
        from .model import PlannedReply

        report = PassReport(dry_run=self.dry_run)
        with run_lock(self.store.path), storage_errors(self.store.path), self._undone_if_dry():
            self.sync_sessions()
            now = self.clock()
            sessions = {s.id: s for s in self.store.session_seats()}
            confirmed = [
                (b, sessions[b.session_id])
                for b in self.store.confirmed_bookings()
                if b.session_id in sessions
            ]
            due = booking.due_reminders(confirmed, self.store.reminded_bookings(), now, days_before)
            for b, session in due:
                reminder = PlannedReply(
                    kind="reminder",
                    language=b.lead_language or self.policy.default_language,
                    to_addr=b.lead_email,
                    to_name=b.lead_name,
                    name=b.lead_name,
                    booking_ref=b.ref,
                )
                days_left = max((session.starts.date() - now.date()).days, 0)
                with self._told(report, "reminder"), self.store.transaction():
                    self._queue(
                        reminder,
                        report,
                        now,
                        lead_id=b.lead_id,
                        answering=None,
                        bookings={},
                        extra={"days_left": days_left},
                    )
            self.deliver(report)
        return report

    def sync_sessions(self) -> None:
        """Start of every pass: sessions as the config says, seats as the database says."""
        self.store.sync_sessions(self.config.workshop.title, self.config.workshop.sessions)
        self._session_cache = None

    def warn_stranded_sessions(self) -> None:
        """One warning line a pass while people are booked on a session the config dropped."""
        from .stranded import stranded, stranded_warning

        found = stranded(self.store, self.config, self.clock())
        if found:
            log.warning("%s", stranded_warning(found))

    def fill_free_seats(self, report: PassReport) -> None:
        """Give seats that are free to whoever on a waitlist fits them.

        Cancellations promote at once; this also catches seats freed in other
        ways (a capacity raised in the config, a chain of moves).
        """
        waitlists = self.store.waitlists()
        if not waitlists:
            return
        from .deciding import booking

        for session in self.store.session_seats():
            waiting = waitlists.get(session.id, ())
            if not waiting or session.seats_left == 0 or session.starts <= self.clock():
                continue
            outcome = booking.promote(session, 0, waiting)
            if not outcome.changes:
                continue
            now = self.clock()
            with self.store.transaction():
                ids = self._apply_bookings(outcome.changes, None, None, now)
                for notice in outcome.notices:
                    planned = booking.reply_for(notice, self.policy.default_language)
                    self._queue(
                        planned, report, now, lead_id=notice.lead_id, answering=None, bookings=ids
                    )

    # -- ingest -----------------------------------------------------------

    def ingest(self, report: PassReport, pipeline: _Pipeline) -> None:
        """Store what is new in the folder, batch by batch, and hand each batch on.

        A batch is committed with the advanced cursor before it is read, so a
        killed pass never fetches it again; the pipeline decides it while the
        next batches are fetched.
        """
        with self.open_source() as source:
            state = source.select(self.folder)
            cursor = self.store.cursor(self.folder)
            if cursor is not None and cursor.uidvalidity != state.uidvalidity:
                log.warning(
                    "%s: UIDVALIDITY changed (%s -> %s); re-reading it, skipping known messages",
                    self.folder,
                    cursor.uidvalidity,
                    state.uidvalidity,
                )
                self.store.reset_cursor(self.folder, state.uidvalidity, self.clock())
                cursor = None
            last_uid = cursor.last_uid if cursor else 0
            dedupe = self.store.has_other_uidvalidity(self.folder, state.uidvalidity)
            uids = source.uids_after(last_uid)
            pipeline.expect(len(uids))
            for batch in source.fetch(uids, batch_size=PROCESS_BATCH):
                with self.store.transaction():
                    stored_up_to = self.store.last_message_id()
                    report.new += self.store.ingest(
                        self.folder, state.uidvalidity, batch, self.clock(), dedupe=dedupe
                    )
                pipeline.add(self.store.unprocessed(len(batch), after_id=stored_up_to))

    # -- process ----------------------------------------------------------

    def process(self, report: PassReport, pipeline: _Pipeline | None = None) -> None:
        """Decide on every stored, unprocessed message, in the order it arrived.

        Messages are committed in groups of COMMIT_EVERY (one commit per
        message would cost more than the deciding); each message runs in its
        own savepoint, so a poison message is rolled back alone and set aside.
        A pass killed mid-group loses only undecided work: nothing is sent
        before the decision that queued it is committed.
        """
        with contextlib.ExitStack() as stack:
            if pipeline is None:
                pipeline = stack.enter_context(_Pipeline(self, report))
            pipeline.expect(0)
            rows = self.store.unprocessed(PROCESS_BATCH)
            while rows:
                pipeline.add(rows)
                rows = self.store.unprocessed(PROCESS_BATCH, after_id=rows[-1]["id"])
            pipeline.finish()

    def decide_batch(
        self,
        rows: list[dict[str, Any]],
        readings: Iterator[Reading | str] | None,
        report: PassReport,
        step: Callable[[int], None] | None,
    ) -> None:
        for start in range(0, len(rows), COMMIT_EVERY):
            group = rows[start : start + COMMIT_EVERY]
            with self.store.transaction():
                for row in group:
                    reading = next(readings) if readings is not None else None
                    with self._told(report, row["id"]):
                        self._process_row(row, row["size"], report, reading)
            if step is not None:
                step(len(group))

    def _process_row(
        self, row: dict[str, Any], size: int, report: PassReport, reading: Any = None
    ) -> None:
        if size > MAX_MESSAGE_BYTES:
            # Only its header was downloaded: nothing to decide on, and a
            # header alone must never be answered.
            error = f"too large: {size} bytes (limit {MAX_MESSAGE_BYTES}); header only"
            log.warning("message %s quarantined: %s", row["id"], error)
            self.store.quarantine(row["id"], error, self.clock())
            report.quarantined += 1
            return
        try:
            if isinstance(reading, str):  # read in a child process, and failed there
                raise PoisonMessage(reading)
            with self.store.transaction():  # a savepoint inside the group's transaction
                category = self.process_one(
                    row["id"], row["raw"], report, received=row["received"], reading=reading
                )
            report.categories[category] += 1
        except Exception as exc:  # a poison message must never block the others
            if _is_storage_failure(exc):
                raise  # the disk or a lock, not this message: stop the pass
            reason = str(exc) if isinstance(exc, PoisonMessage) else one_line(exc)
            log.warning("message %s quarantined: %s", row["id"], reason)
            log.debug("message %s", row["id"], exc_info=True)
            self.store.quarantine(row["id"], reason, self.clock())
            report.quarantined += 1

    def process_one(
        self,
        message_pk: int,
        stored: bytes,
        report: PassReport,
        *,
        received: str | None = None,
        reading: Reading | None = None,
    ) -> str:
        from .parallel import read_stored
        from .writing.compose import InReplyTo

        now = self.clock()
        if reading is None:
            reading = read_stored(self.store.thread, stored, self._sessions(), now, self.own_texts)
        msg, classification, facts = reading.msg, reading.classification, reading.facts
        decision = self.decide(reading, received, now)
        if self.store.is_erased(msg.from_addr, decision.lead_email):
            # Their old mail, read again (a restored folder, a new UIDVALIDITY):
            # an erase lasts, so it creates no lead, gets no reply and is not kept.
            self.store.drop_erased_mail(message_pk, now)
            return "erased"
        decision = self._cap_replies(decision, now)

        lead_id = None
        if decision.lead_email:
            changes: dict[str, Any] = {
                "name": facts.name,
                "organisation": facts.organisation,
                "org_type": facts.org_type,
                "phone": facts.phone,
                "participants": facts.participants,
                "language": classification.language,
                "status": decision.lead_status,
            }
            if decision.opt_out:
                changes["opted_out"] = 1
            lead_id = self.store.upsert_lead(decision.lead_email, changes, now)
        for address in decision.undeliverable:
            bounced, reason = self._mark_undeliverable(msg, address, self._sessions(), now)
            if bounced is not None:
                self.store.log_event(
                    "undeliverable",
                    {"address": address, "reason": reason},
                    now,
                    lead_id=bounced,
                    message_id=message_pk,
                )
                if reason not in decision.notes:  # what they hold, when they hold something
                    decision = replace(decision, notes=(*decision.notes, reason))
                lead_id = lead_id or bounced
        booking_ids = self._apply_bookings(decision.bookings, lead_id, message_pk, now)

        self.store.record_message(
            message_pk,
            {
                "message_id": msg.message_id,
                "in_reply_to": msg.in_reply_to,
                "references": " ".join(msg.references),
                "from_addr": msg.from_addr,
                "from_name": msg.from_name,
                "subject": msg.subject,
                "date": iso(msg.date) if msg.date else None,
                "text": msg.text,
                "language": classification.language,
                "category": classification.category.value,
                "reasons": json.dumps(list(classification.reasons)),
                "facts": facts.to_json(),
                "lead_id": lead_id,
                "state": "processed",
                "error": None,
                "processed": iso(now),
                **({"raw": reading.compressed} if reading.compressed is not None else {}),
            },
        )
        self.store.log_event(
            "decision",
            {
                "category": classification.category.value,
                "reasons": list(classification.reasons),
                "notes": list(decision.notes),
            },
            now,
            lead_id=lead_id,
            message_id=message_pk,
        )
        for s in decision.suppressed:
            report.suppressed += 1
            self.store.log_event(
                "reply_suppressed",
                {"kind": s.kind, "to": s.to_addr, "reason": s.reason},
                now,
                lead_id=lead_id,
                message_id=message_pk,
            )
        answering = InReplyTo(message_pk, msg.message_id, msg.subject, msg.references)
        for planned in decision.replies:
            self._queue(
                planned,
                report,
                now,
                lead_id=planned.lead_id or lead_id,
                # A promotion goes to someone else: it answers none of their mail.
                answering=answering if planned.lead_id is None else None,
                bookings=booking_ids,
            )
        return classification.category.value

    def _queue(self, planned: PlannedReply, report: PassReport, now: datetime, **how: Any) -> None:
        """Queue one automatic reply, held for the organiser past the hourly ceiling
        ([replies] max_per_hour): forged senders by the hundred must not turn the
        organiser's address into a source of mail to strangers."""
        status = None
        if self.composer.status == "pending":
            if self._sent_this_hour is None or now - self._sent_this_hour[0] > HOUR:
                self._sent_this_hour = (now, self.store.count_automatic_replies(now - HOUR))
            started, count = self._sent_this_hour
            if count >= self.config.replies.max_per_hour:
                status = "held"
                report.over_ceiling += 1
            else:
                self._sent_this_hour = (started, count + 1)
        report.count_queued(self.composer.queue(planned, now=now, status=status, **how))

    def decide(self, reading: Reading, received: str | None, now: datetime) -> Decision:
        """The decision on one read message (nothing is written: process_one
        applies it, `classify FILE` shows it)."""
        from .deciding.workflow import Situation, decide, lead_address
        from .reading import bounces
        from .reading.classify import Category

        msg, conversation = reading.msg, reading.conversation
        lead_email = lead_address(msg, self.policy)
        lead = (
            self.store.lead_by_id(conversation.lead_id)
            if conversation.lead_id is not None
            else self.store.lead(lead_email)
        )
        booking_intent = reading.classification.category in (
            Category.DATE_CHOICE,
            Category.CANCELLATION,
        )
        situation = Situation(
            lead=lead,
            prior=self.store.prior_replies(lead.email if lead else lead_email),
            sessions=self._sessions(),
            offered=conversation.offered,
            bookings=self.store.lead_bookings(lead.id) if lead else (),
            waitlists=self.store.waitlists() if booking_intent else {},
            received=datetime.fromisoformat(received) if received else None,
            conversation=conversation,
            bounced_replies=(
                self.store.sent_replies(bounces.ids_to_look_up(msg))
                if reading.classification.category is Category.BOUNCE
                else {}
            ),
        )
        decision = decide(msg, reading.classification, reading.facts, situation, self.policy, now)
        if lead is not None and decision.lead_email:
            # A colleague answering in the thread still belongs to the lead we wrote to.
            decision = replace(decision, lead_email=lead.email)
        return decision

    def preview(self, raw: bytes) -> tuple[Reading, Decision]:
        """What a pass would make of a message, read against the database and
        the config's sessions in the order listed (the same answer on any day
        for mail that belongs to no conversation); nothing is stored."""
        from .deciding.conversation import read

        now = self.clock()
        reading = read(
            self.store.thread,
            raw,
            self._sessions(),
            now,
            self.own_texts,
            fallback="config-sessions",
        )
        return reading, self.decide(reading, None, now)

    def _mark_undeliverable(
        self, msg: ParsedMessage, address: str, sessions: Sequence[SessionSeats], now: datetime
    ) -> tuple[int | None, str]:
        """Set the lead's status after a permanent bounce: (lead id or None, the reason).

        A lead holding a seat or a waitlist place becomes needs_attention, so
        their status never says `booked` while nothing reaches them.
        """
        from .reading import bounces

        lead = self.store.lead(address)
        if lead is None:
            return None, ""
        failure = bounces.failure_of(msg.dsn, address) if msg.dsn else None
        status, reason = bounces.status_after(
            address,
            failure.status if failure else "",
            self.store.lead_bookings(lead.id),
            sessions,
        )
        self.store.set_lead_status(lead.id, status, now)
        return lead.id, reason

    def _cap_replies(self, decision: Decision, now: datetime) -> Decision:
        """Suppress replies past MAX_REPLIES_PER_ADDRESS in FLOOD_WINDOW; a person takes over.

        The cap covers changes too: past it, a booking change is not applied
        either, or a flood of alternating choices and cancellations would leave
        the bookings somewhere no mail of ours ever told the person."""
        from .deciding.workflow import NEEDS_ATTENTION, Suppressed

        sender = (decision.lead_email or "").lower()
        if decision.bookings and sender:
            recent = self._recent_replies(sender, now)
            if recent >= MAX_REPLIES_PER_ADDRESS:
                reason = (
                    f"flood: {recent} automatic replies to {sender} in the last "
                    f"{FLOOD_WINDOW.total_seconds() / 3600:.0f} hours; the booking change "
                    "was not applied: answer by hand"
                )
                return replace(
                    decision,
                    bookings=(),
                    replies=(),
                    lead_status=NEEDS_ATTENTION,
                    suppressed=(
                        *decision.suppressed,
                        *(Suppressed(r.kind, r.to_addr, reason) for r in decision.replies),
                    ),
                    notes=(*decision.notes, f"needs attention: {reason}"),
                )

        counts: dict[str, int] = {}
        kept: list[PlannedReply] = []
        suppressed = list(decision.suppressed)
        status = decision.lead_status
        for planned in decision.replies:
            address = planned.to_addr.lower()
            if address not in counts:
                counts[address] = self._recent_replies(address, now)
            if counts[address] >= MAX_REPLIES_PER_ADDRESS:
                reason = (
                    f"flood: {counts[address]} automatic replies to {address} in the last "
                    f"{FLOOD_WINDOW.total_seconds() / 3600:.0f} hours; answer by hand"
                )
                suppressed.append(Suppressed(planned.kind, planned.to_addr, reason))
                if planned.lead_id is None:
                    status = NEEDS_ATTENTION
                continue
            counts[address] += 1
            kept.append(planned)
        if len(kept) == len(decision.replies):
            return decision
        return replace(
            decision, replies=tuple(kept), suppressed=tuple(suppressed), lead_status=status
        )

    def _recent_replies(self, address: str, now: datetime) -> int:
        return sum(
            1
            for p in self.store.prior_replies(address)
            if now - p.created < FLOOD_WINDOW and p.status not in ("rejected", "failed")
        )

    def _apply_bookings(
        self,
        changes: Sequence[BookingChange],
        lead_id: int | None,
        message_pk: int | None,
        now: datetime,
    ) -> dict[str, int]:
        ids: dict[str, int] = {}
        if changes:
            self._session_cache = None  # seats taken have changed
        for change in changes:
            booking_id = self.store.apply_booking_change(change, lead_id, now)
            ids[change.ref] = booking_id
            stored = self.store.booking(booking_id)
            self.store.log_event(
                "booking",
                {"booking": booking_id, "status": change.status, "session": stored.session_id},
                now,
                lead_id=lead_id,
                message_id=message_pk,
            )
            if stored.lead_id != lead_id and change.status == "confirmed":
                # Someone else moved up from the waitlist: their status follows
                # the seat they now hold.
                self.store.set_lead_status(stored.lead_id, "booked", now)
        return ids

    # -- deliver ----------------------------------------------------------

    def deliver(self, report: PassReport) -> None:
        if self.dry_run:  # nothing is sent, and no copy filed in Sent
            return
        with _SentCopies(self) as copies:
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
        from .writing.headers import REPLY_POLICY

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

    def _keeps_sent_copies(self) -> bool:
        return (
            self.config.source.kind == "imap"
            and self.config.transport.kind == "smtp"
            and self.config.smtp is not None
        )

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
            except (ConnectionFailed, OSError) as exc:
                log.warning("copies of sent replies will be filed later: %s", exc)
                return
            except InboxWorkerError as exc:
                # Refused for this copy only (file() takes its own NO/BADs).
                log.warning("the copy of reply %s is filed later: %s", row["id"], exc)
                continue
            if filed:
                self.store.set_reply(row["id"], filed=1)


class _Pipeline:
    """Stored batches on their way to a decision, read a few batches ahead.

    A large backlog (a first poll) is read in child processes, one per core but one:
    parsing and classifying are pure CPU work, while deciding needs the one
    database writer and stays here. The children read the batches queued
    here while this process fetches, stores and decides the ones before them.
    At most READ_AHEAD batches wait, so memory stays flat however large the
    backlog.
    """

    def __init__(self, worker: Worker, report: PassReport) -> None:
        self.worker = worker
        self.report = report
        self.queue: deque[tuple[list[dict[str, Any]], Iterator[Reading | str] | None]] = deque()
        self.stack = contextlib.ExitStack()
        self.reader: ParallelReader | None = None
        self.step: Callable[[int], None] | None = None

    def expect(self, incoming: int) -> None:
        """Size the work once it is known: children for a backlog, a progress bar."""
        backlog = self.worker.store.count_unprocessed() + incoming
        if self.reader is None and backlog >= PARALLEL_MIN and (os.cpu_count() or 1) > 1:
            from .parallel import ParallelReader

            # One core stays with this process, which fetches, stores and
            # decides: it is the slower side, and on two cores a second child
            # would only take CPU time from it.
            self.reader = self.stack.enter_context(
                ParallelReader(
                    self.worker.store.path,
                    (os.cpu_count() or 2) - 1,
                    self.worker.own_texts,
                )
            )
        if self.step is None and backlog and self.worker.progress is not None:
            self.step = self.stack.enter_context(self.worker.progress(backlog, "Reading mail"))

    def add(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        readings = None  # read here, message by message
        if self.reader is not None:
            readings = self.reader.readings(
                [row["raw"] for row in rows], self.worker._sessions(), self.worker.clock()
            )
        self.queue.append((rows, readings))
        while len(self.queue) > READ_AHEAD:
            self._decide_next()

    def finish(self) -> None:
        while self.queue:
            self._decide_next()

    def _decide_next(self) -> None:
        rows, readings = self.queue.popleft()
        self.worker.decide_batch(rows, readings, self.report, self.step)

    def __enter__(self) -> _Pipeline:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        try:
            if exc_type is None:
                self.finish()
        finally:
            self.stack.close()


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

    def __init__(self, worker: Worker) -> None:
        self._worker = worker
        smtp = worker.config.smtp
        self._lookup = worker._keeps_sent_copies() and smtp is not None
        # "" means the server files what it sends (Gmail, Microsoft 365): we
        # still look there after a crash, but never add a copy of our own.
        self.files = self._lookup and smtp is not None and bool(smtp.sent_folder)
        self._setting = smtp.sent_folder if smtp is not None else ""
        self._source: MailSource | None = None
        self._folder: str | None = None
        self._told = False  # why there is no folder: said once per pass
        self._unreachable = 0  # connections that failed this stage

    def _open(self) -> tuple[MailSource, str | None]:
        if self._source is None:
            source = self._worker.open_source()
            try:
                found = source.sent_folder(self._setting, create=self.files)
            except BaseException:
                source.close()
                raise
            self._source, self._folder = source, found.name
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
        return bool(folder) and source.find_message_id(folder or "", message_id)

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


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
