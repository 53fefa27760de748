"""One pass over the mailbox: lock -> ingest -> read -> decide -> deliver (DESIGN.md §2).

`Worker.run_once()` is what `poll` runs from cron and what `watch` repeats.
Each stage hands over to the next through the database, never through
memory, so a pass killed at any point resumes where it stopped:

- ingest stores each fetched batch together with the advanced cursor;
- process turns each stored message into a decision, and commits the
  decision, the replies it queues and the message's new state together;
- deliver marks a reply `sending` before the SMTP transaction and `sent`
  after it, then files its copy in the Sent folder (`filed`).

The pass's parts live in run/, named for what they do: the run lock and
storage guard (guard.py), reading ahead of deciding (pipeline.py, and
parallel.py for child processes), what a decision writes (recording.py), the
summary line (report.py), the dry run's read-back (dryrun.py); the reply
caps, queue and delivery, with its crash windows, in outbox/.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .config import Config
from .errors import one_line
from .mail.source import MAX_MESSAGE_BYTES
from .outbox.caps import ReplyCaps
from .run.guard import is_storage_failure, run_lock, storage_errors
from .run.pipeline import Pipeline
from .run.report import PassReport
from .store import Store

# What only a pass with mail to read, replies to write or send needs (the
# classifier's phrase tables, jinja2, icalendar, even the records of
# model.py) is imported where it is used:
# cron's idle poll, most passes, then costs little more than a bare IMAP login.
if TYPE_CHECKING:
    from .deciding.conversation import Ours, Reading
    from .deciding.workflow import Decision
    from .mail.smtp import Transport
    from .mail.source import MailSource
    from .model import PlannedReply, Policy, SessionSeats
    from .outbox.queue import Composer
    from .writing.render import Renderer

log = logging.getLogger("inbox_worker")

PROCESS_BATCH = 500
COMMIT_EVERY = 100


class PoisonMessage(Exception):
    """A message that could not be read: `str(exc)` is the reason it keeps."""

    def __str__(self) -> str:
        return str(self.args[0])


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
        self.caps = ReplyCaps(config, store)
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

    def sessions(self) -> list[SessionSeats]:
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
            self.caps.new_pass()
            self.sync_sessions()
            self.warn_stranded_sessions()
            with Pipeline(self, report) as pipeline:
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
        from .run import dryrun

        mark = self.store.mark()
        yield
        report.preview.extend(dryrun.told(self.store, about, mark))

    def remind(self, days_before: int) -> PassReport:
        """Queue and send a reminder for each confirmed booking starting within the days."""
        from .deciding import booking
        from .model import PlannedReply

        report = PassReport(dry_run=self.dry_run)
        with run_lock(self.store.path), storage_errors(self.store.path), self._undone_if_dry():
            self.caps.new_pass()
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
        from .run.stranded import stranded, stranded_warning

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
        from .run import recording

        for session in self.store.session_seats():
            waiting = waitlists.get(session.id, ())
            if not waiting or session.seats_left == 0 or session.starts <= self.clock():
                continue
            outcome = booking.promote(session, 0, waiting)
            if not outcome.changes:
                continue
            now = self.clock()
            with self.store.transaction():
                self._session_cache = None  # seats taken change
                ids = recording.apply_bookings(self.store, outcome.changes, None, None, now)
                for notice in outcome.notices:
                    planned = booking.reply_for(notice, self.policy.default_language)
                    self._queue(
                        planned, report, now, lead_id=notice.lead_id, answering=None, bookings=ids
                    )

    # -- ingest -----------------------------------------------------------

    def ingest(self, report: PassReport, pipeline: Pipeline) -> None:
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

    def process(self, report: PassReport, pipeline: Pipeline) -> None:
        """Decide on every stored, unprocessed message, in the order it arrived.

        Messages are committed in groups of COMMIT_EVERY (one commit per
        message would cost more than the deciding); each message runs in its
        own savepoint, so a poison message is rolled back alone and set aside.
        A pass killed mid-group loses only undecided work: nothing is sent
        before the decision that queued it is committed.
        """
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
            if is_storage_failure(exc):
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
        from .run import recording
        from .run.parallel import read_stored
        from .writing.compose import InReplyTo

        now = self.clock()
        if reading is None:
            reading = read_stored(self.store.thread, stored, self.sessions(), now, self.own_texts)
        msg = reading.msg
        decision = self.decide(reading, received, now)
        if self.store.is_erased(msg.from_addr, decision.lead_email):
            # Their old mail, read again (a restored folder, a new UIDVALIDITY):
            # an erase lasts, so it creates no lead, gets no reply and is not kept.
            self.store.drop_erased_mail(message_pk, now)
            return "erased"
        decision = self.caps.cap(decision, now)

        sessions = self.sessions()
        if decision.bookings:
            self._session_cache = None  # seats taken change
        recorded = recording.record(self.store, message_pk, reading, decision, sessions, now)
        report.suppressed += len(decision.suppressed)
        answering = InReplyTo(message_pk, msg.message_id, msg.subject, msg.references)
        for planned in decision.replies:
            self._queue(
                planned,
                report,
                now,
                lead_id=planned.lead_id or recorded.lead_id,
                # A promotion goes to someone else: it answers none of their mail.
                answering=answering if planned.lead_id is None else None,
                bookings=recorded.bookings,
            )
        return reading.classification.category.value

    def _queue(self, planned: PlannedReply, report: PassReport, now: datetime, **how: Any) -> None:
        """Queue one automatic reply, held for the organiser past the hourly ceiling
        ([replies] max_per_hour): forged senders by the hundred must not turn the
        organiser's address into a source of mail to strangers."""
        status = None
        if self.composer.status == "pending" and self.caps.over_ceiling(now):
            status = "held"
            report.over_ceiling += 1
        report.count_queued(self.composer.queue(planned, now=now, status=status, **how))

    def decide(self, reading: Reading, received: str | None, now: datetime) -> Decision:
        """The decision on one read message (nothing is written: process_one
        applies it, `classify FILE` shows it)."""
        from .deciding.authority import lead_address
        from .deciding.workflow import Situation, decide
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
            sessions=self.sessions(),
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
            self.sessions(),
            now,
            self.own_texts,
            fallback="config-sessions",
        )
        return reading, self.decide(reading, None, now)

    # -- deliver ----------------------------------------------------------

    def deliver(self, report: PassReport) -> None:
        """Send the replies that are due (outbox/deliver.py); a dry run sends nothing."""
        if self.dry_run:  # nothing is sent, and no copy filed in Sent
            return
        from .outbox.deliver import Delivery

        Delivery(
            self.config,
            self.store,
            open_source=self.open_source,
            open_transport=self.open_transport,
            clock=self.clock,
        ).deliver(report)
