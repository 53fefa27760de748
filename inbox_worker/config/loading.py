"""Reading config.toml: find it, parse it, check every key, build the records.

Key names are used exactly as DESIGN.md §7 writes them, so that deployments
can be scripted. Every error names the file and the key (`config.toml: [imap]
port: expected an integer, got 'abc'`), and an unknown key is an error rather
than a setting silently ignored. Paths are taken relative to the config file.
"""


from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from .. import clock
from ..errors import ConfigError
from .records import (
    AUTH_CHOICES,
    DEFAULT_PATH,
    ENV_VAR,
    GOOGLE_AUTHORIZE_URL,
    GOOGLE_SCOPES,
    GOOGLE_TOKEN_URL,
    LANGUAGES,
    MICROSOFT_LOGIN,
    MICROSOFT_SCOPES,
    OAUTH2_PROVIDERS,
    REPLY_MODES,
    SECURITY_CHOICES,
    WORKSHOP_TEXTS,
    Config,
    ImapConfig,
    OAuth2Config,
    OrganiserConfig,
    RepliesConfig,
    Secret,
    SessionConfig,
    SmtpConfig,
    SourceConfig,
    StorageConfig,
    TransportConfig,
    WorkshopConfig,
    is_loopback,
)

_LANGUAGE_KEY = re.compile(r"[a-z]{2,3}")


def find_config_path(explicit: str | os.PathLike[str] | None) -> Path:
    """--config, else $INBOX_WORKER_CONFIG, else ./config.toml."""
    if explicit:
        return Path(explicit)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return Path(DEFAULT_PATH)


def load(path: Path) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: config file not found (run 'inbox-worker init' to create one)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse(data, path)


def parse(data: Mapping[str, Any], path: Path) -> Config:
    reader = _Reader(path)
    known = {
        "imap", "smtp", "oauth2", "source", "transport", "organiser", "storage", "replies",
        "workshop",
    }  # fmt: skip
    reader.reject_unknown("", data, known)
    base = path.parent

    # [source] and [transport]: a server, or a local path (the embedded default).
    source = SourceConfig(*_kind_and_path(reader, data, base, "source", "imap", "maildir"))
    transport = TransportConfig(*_kind_and_path(reader, data, base, "transport", "smtp", "file"))

    imap = _imap(reader, data, base) if "imap" in data or source.kind == "imap" else None
    smtp = _smtp(reader, data, base) if "smtp" in data or transport.kind == "smtp" else None
    oauth2 = _oauth2(reader, data, base) if "oauth2" in data else None
    wants_oauth2 = [c for c, s in (("imap", imap), ("smtp", smtp)) if s and s.auth == "oauth2"]
    if wants_oauth2 and oauth2 is None:
        raise ConfigError(f'{path}: [{wants_oauth2[0]}] auth: "oauth2" needs an [oauth2] section')

    org_t = reader.table(data, "organiser", required=True)
    reader.reject_unknown(
        "organiser",
        org_t,
        {"name", "email", "phone", "aliases", "forwarders", "authserv_id", "timezone"},
    )
    organiser = OrganiserConfig(
        name=reader.string(org_t, "organiser", "name"),
        email=reader.string(org_t, "organiser", "email").strip().lower(),
        phone=reader.string(org_t, "organiser", "phone", ""),
        aliases=_addresses(reader.strings(org_t, "organiser", "aliases", ())),
        forwarders=_addresses(reader.strings(org_t, "organiser", "forwarders", ())),
        authserv_id=reader.string(org_t, "organiser", "authserv_id", "").strip().lower(),
        timezone=reader.string(org_t, "organiser", "timezone", clock.DEFAULT_TIMEZONE).strip(),
    )
    try:
        zone = organiser.zone
    except ValueError as exc:
        raise reader._err("organiser", "timezone", str(exc)) from None
    for address in (organiser.email, *organiser.aliases, *organiser.forwarders):
        if "@" not in address:
            raise ConfigError(f"{path}: [organiser]: not an email address: {address!r}")

    storage_t = reader.table(data, "storage")
    reader.reject_unknown("storage", storage_t, {"database", "retention_days"})
    database = reader.path(storage_t, "storage", "database", base) or base / "leads.db"
    retention_days = (
        reader.integer(storage_t, "storage", "retention_days", None, minimum=1)
        if "retention_days" in storage_t
        else None
    )
    storage = StorageConfig(database=database, retention_days=retention_days)

    replies_t = reader.table(data, "replies")
    reader.reject_unknown(
        "replies",
        replies_t,
        {
            "mode",
            "templates",
            "default_language",
            "min_days_between",
            "answer_within_days",
            "max_per_hour",
        },
    )
    replies = RepliesConfig(
        mode=reader.choice(replies_t, "replies", "mode", REPLY_MODES, "send"),
        templates=reader.path(replies_t, "replies", "templates", base),
        default_language=reader.choice(replies_t, "replies", "default_language", LANGUAGES, "nl"),
        min_days_between=reader.integer(replies_t, "replies", "min_days_between", 7, minimum=0),
        answer_within_days=reader.integer(
            replies_t, "replies", "answer_within_days", 14, minimum=1
        ),
        max_per_hour=reader.integer(replies_t, "replies", "max_per_hour", 60, minimum=1),
    )

    workshop = _workshop(reader, data, zone)
    return Config(
        path=path,
        source=source,
        transport=transport,
        organiser=organiser,
        storage=storage,
        replies=replies,
        workshop=workshop,
        imap=imap,
        smtp=smtp,
        oauth2=oauth2,
    )


def _kind_and_path(
    reader: _Reader, data: Mapping[str, Any], base: Path, section: str, server: str, local: str
) -> tuple[str, Path | None]:
    """`kind` (a server, or `local` by default) and the `path` a local kind requires."""
    table = reader.table(data, section)
    kind = reader.choice(table, section, "kind", (server, local), local)
    where = reader.path(table, section, "path", base)
    reader.reject_unknown(section, table, {"kind", "path"})
    if kind == local and where is None:
        raise ConfigError(f'{reader.file}: [{section}] path: required when kind = "{local}"')
    return kind, where


# Keys both mail servers take; each adds its own (folder, sent_folder).
_SERVER_KEYS = {"host", "port", "security", "username", "password_env", "password_command",
                "ca_file", "auth"}  # fmt: skip


class _Server(NamedTuple):
    """What [imap] and [smtp] share, read and checked the same way."""

    table: dict[str, Any]
    host: str
    security: str
    auth: str
    secret: Secret
    ca_file: Path | None


def _server(
    reader: _Reader,
    data: Mapping[str, Any],
    base: Path,
    section: str,
    extra_keys: set[str],
    default_security: str,
) -> _Server:
    t = reader.table(data, section, required=True)
    secret = reader.secret(t, section)  # first: a plain `password` gets its own message
    reader.reject_unknown(section, t, _SERVER_KEYS | extra_keys)
    security = reader.choice(t, section, "security", SECURITY_CHOICES, default_security)
    host = reader.string(t, section, "host")
    reader.check_plaintext(host, security, section)
    return _Server(
        table=t,
        host=host,
        security=security,
        auth=reader.choice(t, section, "auth", AUTH_CHOICES, "password"),
        secret=secret,
        ca_file=reader.path(t, section, "ca_file", base),
    )


def _imap(reader: _Reader, data: Mapping[str, Any], base: Path) -> ImapConfig:
    server = _server(reader, data, base, "imap", {"folder"}, "tls")
    t = server.table
    if server.auth == "password" and not server.secret.configured:
        raise ConfigError(
            f"{reader.file}: [imap] password_env: set password_env or password_command"
        )
    default_port = 993 if server.security == "tls" else 143
    return ImapConfig(
        host=server.host,
        port=reader.integer(t, "imap", "port", default_port, minimum=1),
        security=server.security,
        username=reader.string(t, "imap", "username"),
        password=server.secret,
        folder=reader.string(t, "imap", "folder", "INBOX"),
        ca_file=server.ca_file,
        auth=server.auth,
    )


def _smtp(reader: _Reader, data: Mapping[str, Any], base: Path) -> SmtpConfig:
    server = _server(reader, data, base, "smtp", {"sent_folder"}, "starttls")
    t = server.table
    username = reader.string(t, "smtp", "username", "") or None
    if server.auth == "oauth2" and not username:
        raise ConfigError(f'{reader.file}: [smtp] username: required with auth = "oauth2"')
    if server.auth == "password" and username and not server.secret.configured:
        raise ConfigError(
            f"{reader.file}: [smtp] password_env: a username needs password_env or password_command"
        )
    default_port = {"tls": 465, "starttls": 587, "none": 25}[server.security]
    return SmtpConfig(
        host=server.host,
        port=reader.integer(t, "smtp", "port", default_port, minimum=1),
        security=server.security,
        username=username,
        password=server.secret,
        sent_folder=reader.string(t, "smtp", "sent_folder", "auto"),
        ca_file=server.ca_file,
        auth=server.auth,
    )


def _oauth2(reader: _Reader, data: Mapping[str, Any], base: Path) -> OAuth2Config:
    t = reader.table(data, "oauth2", required=True)
    if "client_secret" in t:
        raise reader._err(
            "oauth2", "client_secret", "secrets are never read from the config file;"
            " use client_secret_env"
        )  # fmt: skip
    reader.reject_unknown(
        "oauth2",
        t,
        {
            "provider", "client_id", "tenant", "authority", "scopes", "token_url",
            "device_authorization_url", "authorize_url", "client_secret_env", "token_cache",
        },
    )  # fmt: skip
    provider = reader.choice(t, "oauth2", "provider", OAUTH2_PROVIDERS, "microsoft")
    tenant = reader.string(t, "oauth2", "tenant", "organizations")
    urls = {
        key: reader.string(t, "oauth2", key, "") or None
        for key in ("authority", "token_url", "device_authorization_url", "authorize_url")
    }
    for key, url in urls.items():
        if url and not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise reader._err("oauth2", key, f"must be an https:// URL, got {url!r}")
    if provider == "microsoft":
        if urls["authority"] and not urls["authority"].startswith("https://"):
            raise reader._err("oauth2", "authority", "MSAL needs an https:// authority")
        authority = (urls["authority"] or f"{MICROSOFT_LOGIN}/{tenant}").rstrip("/")
        urls["authority"] = authority
        # For `auth status` and the docs; MSAL finds these itself from the authority.
        urls["token_url"] = urls["token_url"] or f"{authority}/oauth2/v2.0/token"
        urls["device_authorization_url"] = (
            urls["device_authorization_url"] or f"{authority}/oauth2/v2.0/devicecode"
        )
        default_scopes: tuple[str, ...] = MICROSOFT_SCOPES
    elif provider == "google":
        # Google's device flow does not allow the Gmail scope: sign in with a
        # code instead (Desktop app client, loopback redirect).
        urls["token_url"] = urls["token_url"] or GOOGLE_TOKEN_URL
        urls["authorize_url"] = urls["authorize_url"] or GOOGLE_AUTHORIZE_URL
        default_scopes = GOOGLE_SCOPES
    else:
        if not urls["token_url"]:
            raise reader._err("oauth2", "token_url", 'required with provider = "generic"')
        if not (urls["device_authorization_url"] or urls["authorize_url"]):
            raise reader._err(
                "oauth2",
                "device_authorization_url",
                'provider = "generic" needs device_authorization_url or authorize_url',
            )
        default_scopes = ()
    scopes = reader.strings(t, "oauth2", "scopes", default_scopes)
    if not scopes:
        raise reader._err("oauth2", "scopes", 'required with provider = "generic"')
    return OAuth2Config(
        provider=provider,
        client_id=reader.string(t, "oauth2", "client_id"),
        scopes=scopes,
        token_cache=reader.path(t, "oauth2", "token_cache", base) or base / "oauth2-tokens.json",
        tenant=tenant,
        authority=urls["authority"],
        token_url=urls["token_url"],
        device_authorization_url=urls["device_authorization_url"],
        authorize_url=urls["authorize_url"],
        client_secret_env=reader.string(t, "oauth2", "client_secret_env", "") or None,
        file=reader.file,
    )


def _workshop(reader: _Reader, data: Mapping[str, Any], zone: ZoneInfo) -> WorkshopConfig:
    t = reader.table(data, "workshop", required=True)
    # [workshop.en] (any language code) overrides the texts for replies in that language.
    languages = sorted(
        k for k, v in t.items() if isinstance(v, dict) and _LANGUAGE_KEY.fullmatch(k)
    )
    reader.reject_unknown(
        "workshop",
        t,
        {*WORKSHOP_TEXTS, "reminder_days_before", "sessions", *languages},
    )
    translations = []
    for lang in languages:
        where = f"workshop.{lang}"
        reader.reject_unknown(where, t[lang], set(WORKSHOP_TEXTS))
        texts = tuple((k, reader.string(t[lang], where, k)) for k in WORKSHOP_TEXTS if k in t[lang])
        translations.append((lang, texts))
    raw_sessions = t.get("sessions", [])
    if not isinstance(raw_sessions, list):
        raise ConfigError(
            f"{reader.file}: [workshop] sessions: expected [[workshop.sessions]] tables"
        )
    sessions: list[SessionConfig] = []
    seen: set[str] = set()
    for i, s in enumerate(raw_sessions, start=1):
        where = f"workshop.sessions #{i}"
        if not isinstance(s, dict):
            raise ConfigError(f"{reader.file}: [{where}]: expected a table")
        reader.reject_unknown(where, s, {"id", "starts", "ends", "location", "capacity"})
        session_id = reader.string(s, where, "id")
        session = SessionConfig(
            id=session_id,
            starts=reader.session_time(s, where, "starts", session_id, zone),
            ends=reader.session_time(s, where, "ends", session_id, zone),
            location=reader.string(s, where, "location"),
            capacity=reader.integer(s, where, "capacity", None, minimum=0),
        )
        if session.id in seen:
            raise ConfigError(f"{reader.file}: [{where}] id: duplicate session id {session.id!r}")
        if session.ends <= session.starts:
            raise ConfigError(f"{reader.file}: [{where}] ends: must be after starts")
        seen.add(session.id)
        sessions.append(session)
    return WorkshopConfig(
        title=reader.string(t, "workshop", "title"),
        summary=reader.string(t, "workshop", "summary", ""),
        price=reader.string(t, "workshop", "price", ""),
        duration=reader.string(t, "workshop", "duration", ""),
        url=reader.string(t, "workshop", "url", ""),
        reminder_days_before=reader.integer(t, "workshop", "reminder_days_before", 3, minimum=0),
        sessions=tuple(sorted(sessions, key=lambda s: s.starts)),
        translations=tuple(translations),
    )


_MISSING = object()


def _addresses(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip().lower() for v in values if v.strip())


class _Reader:
    """Typed access to TOML tables whose errors name the file and key."""

    def __init__(self, file: Path) -> None:
        self.file = file

    def _err(self, section: str, key: str, problem: str) -> ConfigError:
        where = f"[{section}] {key}" if section else key
        return ConfigError(f"{self.file}: {where}: {problem}")

    def reject_unknown(self, section: str, table: Mapping[str, Any], known: set[str]) -> None:
        for key in table:
            if key not in known:
                hint = ", ".join(sorted(known))
                if section:
                    raise ConfigError(f"{self.file}: unknown key [{section}] {key} (known: {hint})")
                raise ConfigError(f"{self.file}: unknown section [{key}] (known: {hint})")

    def table(
        self, data: Mapping[str, Any], name: str, *, required: bool = False
    ) -> dict[str, Any]:
        value = data.get(name, _MISSING)
        if value is _MISSING:
            if required:
                raise ConfigError(f"{self.file}: [{name}]: section missing")
            return {}
        if not isinstance(value, dict):
            raise ConfigError(f"{self.file}: [{name}]: expected a table")
        return value

    def _get(self, t: Mapping[str, Any], section: str, key: str, default: Any) -> Any:
        value = t.get(key, _MISSING)
        if value is _MISSING:
            if default is None and key not in t:
                raise self._err(section, key, "required")
            return default
        return value

    def string(
        self, t: Mapping[str, Any], section: str, key: str, default: str | None = None
    ) -> str:
        value = self._get(t, section, key, default)
        if not isinstance(value, str):
            raise self._err(section, key, f"expected a string, got {_show(value)}")
        if any(c in value for c in "\r\n") and key not in ("summary",):
            raise self._err(section, key, "must be a single line")
        return value

    def integer(
        self,
        t: Mapping[str, Any],
        section: str,
        key: str,
        default: int | None,
        *,
        minimum: int | None = None,
    ) -> int:
        value = self._get(t, section, key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._err(section, key, f"expected an integer, got {_show(value)}")
        if minimum is not None and value < minimum:
            raise self._err(section, key, f"must be at least {minimum}, got {value}")
        return value

    def strings(
        self, t: Mapping[str, Any], section: str, key: str, default: tuple[str, ...]
    ) -> tuple[str, ...]:
        value = t.get(key, _MISSING)
        if value is _MISSING:
            return default
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self._err(section, key, f"expected a list of strings, got {_show(value)}")
        return tuple(value)

    def choice(
        self, t: Mapping[str, Any], section: str, key: str, choices: tuple[str, ...], default: str
    ) -> str:
        value = self.string(t, section, key, default)
        if value not in choices:
            options = " | ".join(f'"{c}"' for c in choices)
            raise self._err(section, key, f"expected one of {options}, got {value!r}")
        return value

    def path(self, t: Mapping[str, Any], section: str, key: str, base: Path) -> Path | None:
        if key not in t:
            return None
        value = self.string(t, section, key)
        if not value:
            return None
        p = Path(value).expanduser()
        return p if p.is_absolute() else base / p

    def session_time(
        self, t: Mapping[str, Any], section: str, key: str, session_id: str, zone: ZoneInfo
    ) -> datetime:
        """A session's starts/ends: wall time in the organiser's zone, or a matching offset."""
        value = self._get(t, section, key, None)
        if not isinstance(value, datetime):
            raise self._err(
                section,
                key,
                f"session {session_id!r}: expected a TOML datetime like 2027-04-13T09:30:00"
                f" (wall time in {zone}), got {_show(value)}",
            )
        try:
            return clock.session_time(value, zone)
        except clock.ClockError as exc:
            raise self._err(section, key, f"session {session_id!r}: {exc}") from None

    def secret(self, t: Mapping[str, Any], section: str) -> Secret:
        if "password" in t:
            raise self._err(
                section,
                "password",
                "passwords are never read from the config file;"
                " use password_env or password_command",
            )
        env = self.string(t, section, "password_env", "") or None
        command = self.string(t, section, "password_command", "") or None
        if env and command:
            raise self._err(
                section, "password_env", "set password_env or password_command, not both"
            )
        return Secret(file=self.file, section=section, env=env, command=command)

    def check_plaintext(self, host: str, security: str, section: str) -> None:
        if security == "none" and not is_loopback(host):
            raise self._err(
                section,
                "security",
                f'"none" is only allowed for a loopback host, not {host!r};'
                ' use "tls" or "starttls"',
            )


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    return f"{type(value).__name__} {value!r}"
