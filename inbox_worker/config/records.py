"""The configuration as records: one immutable NamedTuple per section (DESIGN.md §7).

The records are NamedTuples rather than frozen dataclasses: Python 3.11 takes
about 1 ms to define a frozen dataclass and a fifth of that for a NamedTuple,
and every start of cron's `poll` defines them all. Secrets are never held
here, only where to find them (`Secret`), resolved when a connection is made.
"""


from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from .. import clock
from ..errors import SecretError

ENV_VAR = "INBOX_WORKER_CONFIG"
DEFAULT_PATH = "config.toml"
SECURITY_CHOICES = ("tls", "starttls", "none")
REPLY_MODES = ("send", "hold", "dry-run")
LANGUAGES = ("nl", "en")
AUTH_CHOICES = ("password", "oauth2")
OAUTH2_PROVIDERS = ("microsoft", "google", "generic")

# Microsoft: one access token for the outlook.office.com resource covers IMAP and
# SMTP; offline_access is what makes Entra ID hand out a refresh token.
MICROSOFT_SCOPES = (
    "https://outlook.office.com/IMAP.AccessAsUser.All",
    "https://outlook.office.com/SMTP.Send",
    "offline_access",
)
GOOGLE_SCOPES = ("https://mail.google.com/",)
MICROSOFT_LOGIN = "https://login.microsoftonline.com"
GOOGLE_AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth"
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"


class Secret(NamedTuple):
    """Where a password comes from; `resolve()` fetches it at connection time."""

    file: Path
    section: str
    env: str | None = None
    command: str | None = None

    @property
    def configured(self) -> bool:
        return bool(self.env or self.command)

    def resolve(self) -> str:
        where = f"{self.file}: [{self.section}]"
        if self.env:
            value = os.environ.get(self.env)
            if not value:
                raise SecretError(
                    f"{where} password_env: environment variable {self.env} is not set"
                )
            return value
        if self.command:
            import shlex
            import subprocess

            try:
                done = subprocess.run(
                    shlex.split(self.command),
                    capture_output=True,
                    text=True,
                    timeout=30,
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise SecretError(f"{where} password_command: could not run: {exc}") from None
            # Only the exit status is reported: stderr might echo the secret.
            if done.returncode != 0 or not done.stdout.strip():
                raise SecretError(
                    f"{where} password_command: exited {done.returncode} without a password"
                )
            return done.stdout.splitlines()[0]
        raise SecretError(f"{where}: set password_env or password_command")


class ImapConfig(NamedTuple):
    host: str
    port: int
    security: str
    username: str
    password: Secret
    folder: str = "INBOX"
    ca_file: Path | None = None
    auth: str = "password"


class SmtpConfig(NamedTuple):
    host: str
    port: int
    security: str
    username: str | None
    password: Secret
    sent_folder: str = "auto"
    ca_file: Path | None = None
    auth: str = "password"


class OAuth2Config(NamedTuple):
    """The [oauth2] table: which identity provider, which app, where tokens are kept.

    `authority` (Microsoft) and the URLs are filled in from the provider when
    the file leaves them out. Google has no device flow for the Gmail scope,
    so it signs in with an authorization code (`authorize_url`); a generic
    provider uses the device flow when it has a `device_authorization_url`.
    """

    provider: str
    client_id: str
    scopes: tuple[str, ...]
    token_cache: Path
    tenant: str = "organizations"
    authority: str | None = None
    token_url: str | None = None
    device_authorization_url: str | None = None
    authorize_url: str | None = None
    client_secret_env: str | None = None
    file: Path | None = None

    def client_secret(self) -> str | None:
        """The client secret from its environment variable, when one is configured."""
        if not self.client_secret_env:
            return None
        value = os.environ.get(self.client_secret_env)
        if not value:
            raise SecretError(
                f"{self.file}: [oauth2] client_secret_env: environment variable "
                f"{self.client_secret_env} is not set"
            )
        return value


class SourceConfig(NamedTuple):
    kind: str = "maildir"
    path: Path | None = None


class TransportConfig(NamedTuple):
    kind: str = "file"
    path: Path | None = None


class OrganiserConfig(NamedTuple):
    name: str
    email: str
    phone: str = ""
    # Other addresses of the organiser: mail from them is internal, never a lead.
    aliases: tuple[str, ...] = ()
    # Colleagues (addresses, or "@domain") whose forwards act for the original writer.
    forwarders: tuple[str, ...] = ()
    # The authserv-id of the organiser's own receiving server (RFC 8601): only its
    # Authentication-Results are trusted as proof of who sent a message.
    authserv_id: str = ""
    # Where the workshops happen: session times are read in it, every time is shown in it.
    timezone: str = clock.DEFAULT_TIMEZONE

    @property
    def addresses(self) -> frozenset[str]:
        return frozenset({self.email, *self.aliases})

    @property
    def zone(self) -> ZoneInfo:
        return clock.zone(self.timezone)


class StorageConfig(NamedTuple):
    database: Path
    retention_days: int | None = None  # `inbox-worker purge` removes leads idle this long


class RepliesConfig(NamedTuple):
    mode: str = "send"
    templates: Path | None = None
    default_language: str = "nl"
    min_days_between: int = 7
    answer_within_days: int = 14
    # A ceiling on all automatic mail: past it, replies wait for the organiser.
    max_per_hour: int = 60


class SessionConfig(NamedTuple):
    id: str
    starts: datetime
    ends: datetime
    location: str
    capacity: int


# The texts of [workshop] a reply shows; [workshop.en] (any language) overrides them.
WORKSHOP_TEXTS = ("title", "summary", "price", "duration", "url")


class WorkshopConfig(NamedTuple):
    title: str
    summary: str = ""
    price: str = ""
    duration: str = ""
    url: str = ""
    reminder_days_before: int = 3
    sessions: tuple[SessionConfig, ...] = ()
    # Per language ("en"), the texts of [workshop.en]: (key, text) pairs.
    translations: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def for_language(self, language: str) -> WorkshopConfig:
        """The workshop as a reply in `language` shows it: [workshop.<language>]
        over [workshop], key by key."""
        for lang, texts in self.translations:
            if lang == language:
                # texts name only the str fields (title, summary, ...): see _workshop
                return self._replace(**dict(texts))  # type: ignore[arg-type]
        return self

    def untranslated(self, language: str) -> tuple[str, ...]:
        """The texts a reply in `language` takes from [workshop] itself, for want
        of a [workshop.<language>] text (only those [workshop] sets)."""
        own = dict(dict(self.translations).get(language, ()))
        return tuple(k for k in WORKSHOP_TEXTS if getattr(self, k) and k not in own)


class Config(NamedTuple):
    path: Path
    source: SourceConfig
    transport: TransportConfig
    organiser: OrganiserConfig
    storage: StorageConfig
    replies: RepliesConfig
    workshop: WorkshopConfig
    imap: ImapConfig | None = None
    smtp: SmtpConfig | None = None
    oauth2: OAuth2Config | None = None

    @property
    def uses_oauth2(self) -> bool:
        return bool(
            (self.imap and self.imap.auth == "oauth2") or (self.smtp and self.smtp.auth == "oauth2")
        )


def is_loopback(host: str) -> bool:
    """True for addresses that never leave this machine (plain text is safe there).

    The one rule for `security = "none"`: the config checks it when read, and
    the IMAP and SMTP edges again when they connect."""
    import ipaddress

    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
