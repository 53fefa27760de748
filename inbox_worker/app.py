"""Wiring: a Config becomes a mail source, a transport, a renderer and a Worker.

The edges are imported inside the factories so that a command that needs no
server (`leads list`, `classify`) never pays for importing imapclient or
smtplib, and cron's idle `poll` imports only what it uses.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config
from .store import Removed, Store
from .worker import Worker, policy_for

if TYPE_CHECKING:
    from .deciding.conversation import Ours, Reading
    from .deciding.workflow import Decision
    from .mail.smtp import Transport
    from .mail.source import MailSource
    from .writing.render import Renderer


def template_dirs(config: Config) -> list[Path]:
    """The organiser's own templates first; the built-in set fills the gaps."""
    from .writing.render import default_template_dir

    dirs = [config.replies.templates] if config.replies.templates else []
    return [*dirs, default_template_dir()]


def source_factory(config: Config) -> Callable[[], MailSource]:
    if config.source.kind == "maildir":
        from .mail.maildir import open_maildir

        path = config.source.path
        assert path is not None  # config.parse requires it

        return lambda: open_maildir(path, create=True)

    from .mail.imap import connect_imap

    imap = config.imap
    assert imap is not None

    if imap.auth == "oauth2":
        from .errors import LoginFailed
        from .mail.oauth2 import for_config

        tokens = for_config(config)

        def connect_oauth2() -> MailSource:
            def login(token: str) -> MailSource:
                return connect_imap(
                    host=imap.host,
                    port=imap.port,
                    security=imap.security,
                    username=imap.username,
                    password="",
                    ca_file=str(imap.ca_file) if imap.ca_file else None,
                    oauth2_token=token,
                )

            try:
                return login(tokens.access_token())
            except LoginFailed:
                # A provider can void an access token before its expiry (password
                # reset, revoked consent). One forced refresh tells that apart:
                # a voided grant becomes AuthExpired, a good one a working login.
                return login(tokens.access_token(force_refresh=True))

        return connect_oauth2

    def connect() -> MailSource:
        return connect_imap(
            host=imap.host,
            port=imap.port,
            security=imap.security,
            username=imap.username,
            password=imap.password.resolve(),
            ca_file=str(imap.ca_file) if imap.ca_file else None,
        )

    return connect


def transport_factory(config: Config) -> Callable[[], Transport]:
    # The transport is only opened when there is mail to send: its module (and
    # smtplib) is imported then, not on every pass.
    if config.transport.kind == "file":
        path = config.transport.path
        assert path is not None

        def outbox() -> Transport:
            from .mail.smtp import FileOutbox

            return FileOutbox(path)

        return outbox

    from .mail.smtp import SmtpTransport

    smtp = config.smtp
    assert smtp is not None

    if smtp.auth == "oauth2":
        from .mail.oauth2 import for_config

        tokens = for_config(config)

        def connect_oauth2() -> Transport:
            # Fetched now so that a sign-in that has expired stops the pass
            # before any reply is marked as being sent; each (re)connect asks
            # again, so a long pass never logs in with a stale token.
            tokens.access_token()
            return SmtpTransport(
                host=smtp.host,
                port=smtp.port,
                security=smtp.security,
                username=smtp.username,
                ca_file=str(smtp.ca_file) if smtp.ca_file else None,
                oauth2_token=tokens.access_token,
            )

        return connect_oauth2

    def connect() -> Transport:
        return SmtpTransport(
            host=smtp.host,
            port=smtp.port,
            security=smtp.security,
            username=smtp.username,
            password=smtp.password.resolve() if smtp.username else None,
            ca_file=str(smtp.ca_file) if smtp.ca_file else None,
        )

    return connect


def own_texts(config: Config) -> Ours:
    """Our templates as this organiser sends them (see reading.Ours)."""
    from .deciding.conversation import Ours

    texts = renderer_for(config).own_texts(config.workshop, config.organiser)
    return Ours(texts, policy_for(config))


def erase_person(config: Config, store: Store, lead_id: int, now: datetime) -> tuple[Removed, int]:
    """`leads erase`: the person leaves the database (for good, see Store.erase_lead)
    and their replies leave the file outbox. Returns (what was removed, files removed).

    Copies of replies in the organiser's Sent folder stay: that is the
    organiser's own mailbox, outside what this program keeps.
    """
    email = store.lead_row(str(lead_id))["email"]
    message_ids = store.reply_message_ids(lead_id, email)
    removed = store.erase_lead(lead_id, now)
    files = 0
    if config.transport.kind == "file" and config.transport.path is not None:
        from .mail.smtp import FileOutbox

        files = FileOutbox(config.transport.path).remove(message_ids, email)
    return removed, files


def open_store(config: Config) -> Store:
    return Store(config.storage.database)


def build_worker(
    config: Config,
    store: Store,
    *,
    mode: str | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Worker:
    return Worker(
        config,
        store,
        open_source=source_factory(config),
        open_transport=transport_factory(config),
        make_renderer=lambda: renderer_for(config),
        clock=clock,
        mode=mode,
    )


def renderer_for(config: Config) -> Renderer:
    """The organiser's templates over the built-in ones, dates in the organiser's zone."""
    from .writing.render import Renderer

    return Renderer(template_dirs(config), config.organiser.zone)


@contextlib.contextmanager
def previewer(
    config: Config | None,
) -> Iterator[Callable[[bytes], tuple[Reading, Decision | None]]]:
    """What a pass would make of a message (`classify FILE`), storing nothing.

    With a config, the message is read and decided against the database (when
    it exists; else an empty one) and the config's sessions, inside a
    transaction that is rolled back. Without one, it is only read, against
    the offer it quotes if any."""
    from .deciding.conversation import NO_TEXTS, read
    from .model import ThreadRows

    if config is None:
        now = datetime.now(UTC)
        yield lambda raw: (read(lambda msg: ThreadRows(), raw, (), now, NO_TEXTS), None)
        return
    with contextlib.ExitStack() as stack:
        database = config.storage.database
        if not database.exists():
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            database = scratch / "preview.db"
        store = stack.enter_context(contextlib.closing(Store(database)))
        stack.enter_context(store.rolled_back())
        worker = build_worker(config, store, mode="dry-run")
        worker.sync_sessions()
        yield worker.preview
