"""`inbox-worker doctor`: check each part a pass needs, one line each.

Each check catches the engine's own errors and reports them as a failed line
rather than stopping, so the organiser sees every problem in one run. Error
texts come from the edges, which never include a password. With OAuth2 the
sign-in is reported before the mailbox check, because that check spends the
refresh token and so resets the idle time the warning is about.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .. import config as config_mod
from ..app import renderer_for, source_factory, transport_factory
from ..errors import InboxWorkerError
from ..mail.source import MailSource


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def oauth2_check(config: config_mod.Config, now: datetime) -> Check:
    """Who is signed in, and a warning when the refresh token has idled too long."""
    from ..mail.oauth2 import STALE_AFTER, for_config

    try:
        tokens = for_config(config)
        status = tokens.status()
    except InboxWorkerError as exc:
        return Check("oauth2", False, str(exc))
    if status is None:
        return Check(
            "oauth2", False, f"{tokens.user} is not signed in; run 'inbox-worker auth login'"
        )
    idle = status.idle(now)
    detail = f"{status.account} signed in ({status.provider}; {' '.join(status.scopes)})"
    if idle > STALE_AFTER:
        # Entra ID drops a refresh token after 90 days unused; the mailbox
        # check below uses it, which starts that count again.
        detail = (
            f"warning: refresh token not used for {idle.days} days; {detail}. Providers "
            "drop unused sign-ins (Microsoft after 90 days): keep poll running"
        )
    return Check("oauth2", True, detail)


def sent_check(config: config_mod.Config, source: MailSource) -> Check:
    """Which folder copies of sent replies go to, or why none (nothing is created here)."""
    if config.transport.kind != "smtp" or config.smtp is None:
        return Check("sent", True, "no copies kept: replies are written to the outbox folder")
    if config.source.kind != "imap":
        return Check("sent", True, "no copies kept: the mailbox is a local Maildir, not IMAP")
    setting = config.smtp.sent_folder
    try:
        found = source.sent_folder(setting, create=False)
    except (InboxWorkerError, OSError) as exc:
        return Check("sent", False, str(exc))
    if not setting:
        where = f"looked for in {found.name!r}" if found.name else "not checked: no Sent folder"
        return Check(
            "sent",
            True,
            f'no copies kept (sent_folder = ""): the SMTP server files what it sends; '
            f"after a crash a reply is {where}",
        )
    return Check("sent", found.name is not None, found.detail)


def language_check(config: config_mod.Config) -> Check:
    """A warning when replies may go out in a language whose workshop texts are
    those of [workshop] (written in replies.default_language): an English reply
    that quotes a Dutch price and duration (issue 14)."""
    default = config.replies.default_language
    gaps = {
        lang: missing
        for lang in config_mod.LANGUAGES
        if lang != default and (missing := config.workshop.untranslated(lang))
    }
    if not gaps:
        return Check("language", True, "workshop texts of its own for every reply language")
    what = "; ".join(
        f"[workshop.{lang}] has no {', '.join(missing)}"
        if dict(config.workshop.translations).get(lang)
        else f"no [workshop.{lang}]"
        for lang, missing in gaps.items()
    )
    return Check(
        "language",
        True,
        f"warning: {what}: replies in {', '.join(gaps)} show the [workshop] texts written "
        f"for {default!r} (see [workshop.en] in config.example.toml)",
    )


def sessions_check(config: config_mod.Config, now: datetime) -> Check | None:
    """People booked or waiting on an upcoming session the config no longer has.

    Nobody told them; `sessions cancel` does. Without a database yet there is
    nothing to check (and doctor creates none).
    """
    from ..run.stranded import stranded, stranded_warning
    from ..store import Store

    path = config.storage.database
    if not path.is_file():
        return None
    try:
        with Store(path) as store:
            found = stranded(store, config, now)
    except (InboxWorkerError, OSError, sqlite3.Error) as exc:
        return Check("sessions", False, f"{path}: {exc}")
    if found:
        return Check("sessions", False, stranded_warning(found))
    return Check("sessions", True, "every session with bookings is in the config or cancelled")


def database_check(config: config_mod.Config) -> Check:
    """The database file: there (or creatable), SQLite, readable and writable."""
    from ..store import inspect_database

    try:
        return Check("database", True, inspect_database(config.storage.database))
    except InboxWorkerError as exc:
        return Check("database", False, str(exc))


def own_templates(own: Path, builtin: Path) -> tuple[list[str], list[str]]:
    """(files in `own` that replace a built-in one, files in `own` the built-in set lacks),
    as paths like 'nl/inquiry.txt.j2'."""
    mine = sorted(p.relative_to(own).as_posix() for p in own.glob("*/*.j2") if p.is_file())
    replacing = [m for m in mine if (builtin / m).is_file()]
    return replacing, [m for m in mine if m not in replacing]


def overrides_check(config: config_mod.Config) -> Check:
    """Which templates folder is in use, and which of its files replace the built-in ones.

    After `pip install` the built-in set lives in site-packages: the organiser
    must be able to see which of their own texts are actually used.
    """
    from ..writing.render import default_template_dir

    builtin = default_template_dir()
    own = config.replies.templates
    hint = "; 'inbox-worker templates copy DIR' writes them out to edit"
    if not own or not own.is_dir():
        where = f"{own} does not exist: " if own else ""
        return Check("overrides", True, f"{where}every template is built-in ({builtin}){hint}")
    if own.resolve() == builtin.resolve():
        return Check("overrides", True, f"{own}: the built-in templates themselves")
    replacing, extra = own_templates(own, builtin)
    if not replacing and not extra:
        return Check("overrides", True, f"{own} holds no templates: all built-in ({builtin})")
    parts = []
    if replacing:
        parts.append(f"yours replace {', '.join(replacing)}")
    if extra:
        parts.append(f"yours added {', '.join(extra)}")
    detail = f"{own}: {'; '.join(parts)}; the rest built-in ({builtin})"
    return Check("overrides", True, detail)


def run_checks(config_path: Path, now: datetime | None = None) -> Iterator[Check]:
    try:
        config = config_mod.load(config_path)
    except InboxWorkerError as exc:
        yield Check("config", False, str(exc))
        return
    yield Check("config", True, str(config_path))
    yield database_check(config)
    if config.uses_oauth2:
        yield oauth2_check(config, now or datetime.now(UTC))

    source_name = "imap" if config.source.kind == "imap" else "maildir"
    sent: Check | None = None
    try:
        with source_factory(config)() as source:
            folder = config.imap.folder if config.imap and source_name == "imap" else "INBOX"
            state = source.select(folder)
            sent = sent_check(config, source)
        where = (
            f"{config.imap.username}@{config.imap.host}:{config.imap.port}"
            if config.imap and source_name == "imap"
            else str(config.source.path)
        )
        yield Check(source_name, True, f"{where} {folder}: {state.exists} messages")
    except (InboxWorkerError, OSError) as exc:
        yield Check(source_name, False, str(exc))
    if sent is not None:
        yield sent

    if config.transport.kind == "smtp" and config.smtp is not None:
        try:
            from ..mail.smtp import SmtpTransport

            transport = transport_factory(config)()
            assert isinstance(transport, SmtpTransport)
            transport.check()
            transport.close()
            login = f"{config.smtp.username} at " if config.smtp.username else ""
            yield Check("smtp", True, f"{login}{config.smtp.host}:{config.smtp.port}")
        except (InboxWorkerError, OSError) as exc:
            yield Check("smtp", False, str(exc))
    else:
        outbox = config.transport.path
        assert outbox is not None
        try:
            outbox.mkdir(parents=True, exist_ok=True)
            probe = outbox / ".doctor-probe"
            probe.write_bytes(b"")
            probe.unlink()
            yield Check("outbox", True, f"{outbox} is writable")
        except OSError as exc:
            yield Check("outbox", False, f"{outbox}: {exc.strerror or exc}")

    yield language_check(config)
    stranded = sessions_check(config, now or datetime.now(UTC))
    if stranded is not None:
        yield stranded
    yield overrides_check(config)
    problems = renderer_for(config).check()
    if problems:
        yield Check("templates", False, "; ".join(problems))
    else:
        yield Check("templates", True, "every template renders in nl and en")
