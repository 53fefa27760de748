"""OAuth2 tokens for IMAP and SMTP XOAUTH2: sign in once, refresh on every pass.

`Tokens` is what the rest of the engine sees: `access_token()` returns a
usable access token, refreshing it with the stored refresh token when it is
(nearly) expired and saving the refresh token the provider hands back
(Microsoft and most others rotate them); `start_device_login()` /
`finish_device_login()` run the device-code flow (RFC 8628) for
`auth login`, which works over SSH and on a server without a browser; Google
does not allow the Gmail scope in its device flow, so it signs in with an
authorization code and PKCE instead (`start_code_login()` /
`finish_code_login()`, the user pastes the address the browser ends up at).

How each provider is asked (MSAL for Microsoft, plain form POSTs for Google
and "generic" token endpoints) is oauth2_flows.py's business. The tokens live
in one JSON file, created 0600, replaced atomically, and refreshed under a
lock so that two processes (cron's poll and a `doctor`) never both spend a
rotating refresh token. A refresh token the provider refuses
(`invalid_grant`: expired, revoked, password reset) becomes `AuthExpired`,
whose one-line message tells the organiser to sign in again.
No token is ever logged or put in an error message.
"""


from __future__ import annotations

import fcntl
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..config import Config, OAuth2Config
from ..errors import AuthError, NotSignedIn
from .oauth2_flows import (
    Clock,
    CodeLogin,
    DeviceCode,
    GenericProvider,
    MicrosoftProvider,
    Provider,
)

log = logging.getLogger(__name__)

CACHE_VERSION = 1
# Entra ID drops refresh tokens unused for 90 days; warn well before that.
STALE_AFTER = timedelta(days=60)


@dataclass(frozen=True)
class Status:
    """What `auth status` and `doctor` report; never a token."""

    provider: str
    account: str
    scopes: tuple[str, ...]
    signed_in: datetime
    refresh_used: datetime
    access_expires: datetime | None
    path: Path

    def idle(self, now: datetime) -> timedelta:
        """How long the refresh token has gone unused."""
        return now - self.refresh_used


# --------------------------------------------------------------------------- the file


class TokenStore:
    """The 0600 JSON file that holds one account's tokens."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")

    def load(self) -> dict[str, Any] | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise AuthError(
                f"cannot read the OAuth2 token cache {self.path}: {exc.strerror}"
            ) from None
        try:
            record = json.loads(text)
        except ValueError:
            record = None
        if not isinstance(record, dict) or record.get("version") != CACHE_VERSION:
            raise AuthError(
                f"the OAuth2 token cache {self.path} is damaged; run 'inbox-worker auth login'"
            )
        return record

    def save(self, record: Mapping[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # mkstemp creates the file 0600 before a byte is written, and the
        # rename means a crash leaves either the old tokens or the new ones.
        fd, tmp = tempfile.mkstemp(prefix=".oauth2-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(record, out, indent=1, sort_keys=True)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def remove(self) -> bool:
        existed = self.path.exists()
        self.path.unlink(missing_ok=True)
        self.lock_path.unlink(missing_ok=True)
        return existed

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold an exclusive lock while a rotating refresh token is spent and saved."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock


# --------------------------------------------------------------------------- the facade


class Tokens:
    """One account's tokens for one [oauth2] config: log in, refresh, report, log out."""

    def __init__(
        self,
        cfg: OAuth2Config,
        user: str,
        *,
        clock: Clock = lambda: datetime.now(UTC),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.cfg = cfg
        self.user = user
        self.clock = clock
        self.store = TokenStore(cfg.token_cache)
        self.provider: Provider
        self._generic: GenericProvider | None = None
        if cfg.provider == "microsoft":
            self.provider = MicrosoftProvider(cfg, clock=clock)
        else:
            self._generic = GenericProvider(cfg, clock=clock, sleep=sleep)
            self.provider = self._generic

    @property
    def uses_device_flow(self) -> bool:
        return self.cfg.provider == "microsoft" or bool(self.cfg.device_authorization_url)

    # -- sign in --------------------------------------------------------------------

    def start_device_login(self) -> DeviceCode:
        return self.provider.start_device_flow()

    def finish_device_login(self, code: DeviceCode) -> Status:
        return self._signed_in(self.provider.finish_device_flow(code))

    def start_code_login(self, redirect_uri: str = "http://127.0.0.1:8400/") -> CodeLogin:
        if self._generic is None:
            raise AuthError("Microsoft sign-in uses the device flow")
        return self._generic.start_code_flow(redirect_uri)

    def finish_code_login(self, login: CodeLogin, pasted_url: str) -> Status:
        if self._generic is None:
            raise AuthError("Microsoft sign-in uses the device flow")
        return self._signed_in(self._generic.finish_code_flow(login, pasted_url))

    def _signed_in(self, tokens: dict[str, Any]) -> Status:
        now = self.clock().isoformat()
        record = {
            "version": CACHE_VERSION,
            "provider": self.cfg.provider,
            "client_id": self.cfg.client_id,
            **tokens,
            "account": tokens.get("account") or self.user,
            "signed_in": now,
            "refresh_used": now,
        }
        with self.store.locked():
            self.store.save(record)
        log.info("signed in as %s; tokens saved in %s", record["account"], self.store.path)
        status = self.status()
        assert status is not None
        return status

    # -- use ------------------------------------------------------------------------------

    def access_token(self, *, force_refresh: bool = False) -> str:
        """A valid access token; refreshes (and saves the rotated refresh token) when due."""
        with self.store.locked():
            # Read under the lock: another process may just have rotated the tokens.
            record = self.store.load()
            if record is None:
                raise NotSignedIn(
                    f"OAuth2: {self.user} is not signed in; run 'inbox-worker auth login'"
                )
            if record.get("provider") != self.cfg.provider or (
                record.get("client_id") != self.cfg.client_id
            ):
                raise NotSignedIn(
                    f"OAuth2: the tokens in {self.store.path} are for another app or "
                    "provider; run 'inbox-worker auth login'"
                )
            before = json.dumps(record, sort_keys=True)
            token, refreshed = self.provider.fresh_token(record, force=force_refresh)
            if refreshed:
                record["refresh_used"] = self.clock().isoformat()
                log.debug("refreshed the OAuth2 access token for %s", record.get("account"))
            if json.dumps(record, sort_keys=True) != before:
                self.store.save(record)
        return token

    # -- report and forget ----------------------------------------------------------------

    def status(self) -> Status | None:
        record = self.store.load()
        if record is None:
            return None
        expires = record.get("expires_at")
        return Status(
            provider=str(record.get("provider")),
            account=str(record.get("account") or self.user),
            scopes=tuple(record.get("scopes") or ()),
            signed_in=datetime.fromisoformat(record["signed_in"]),
            refresh_used=datetime.fromisoformat(record["refresh_used"]),
            access_expires=datetime.fromisoformat(expires) if expires else None,
            path=self.store.path,
        )

    def logout(self) -> bool:
        """Forget the tokens; True when there were any. (The grant itself stays with the
        provider: revoke it there, e.g. myapps.microsoft.com or myaccount.google.com.)"""
        with self.store.locked():
            return self.store.remove()


def for_config(config: Config, **kwargs: Any) -> Tokens:
    """The `Tokens` for a config's [oauth2] table, named after the mailbox it signs in to."""
    if config.oauth2 is None:
        raise AuthError(f"{config.path}: no [oauth2] section; see the README on OAuth2")
    user = ""
    if config.imap and config.imap.auth == "oauth2":
        user = config.imap.username
    elif config.smtp and config.smtp.auth == "oauth2":
        user = config.smtp.username or ""
    return Tokens(config.oauth2, user or config.organiser.email, **kwargs)
