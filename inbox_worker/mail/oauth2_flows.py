"""OAuth2 with the provider: sign-in flows and the refresh grant, per provider.

The device-code flow (RFC 8628), the authorization code with PKCE (RFC 7636,
for Google, which refuses the Gmail scope in its device flow) and the refresh
grant. Microsoft goes through MSAL, whose token cache is serialised into our
record; Google and "generic" providers are plain form POSTs to the token
endpoint (urllib: three requests need no library). A refresh token the
provider refuses for good becomes AuthExpired. oauth2.py keeps the tokens.
"""


from __future__ import annotations

import base64
import hashlib
import json
import logging
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from ..config import MICROSOFT_LOGIN, OAuth2Config
from ..errors import AuthError, AuthExpired, ConnectionFailed

log = logging.getLogger(__name__)

# Refresh a little before the provider's deadline: a token that expires between
# our check and the server's makes a login fail halfway through a pass.
REFRESH_MARGIN = timedelta(minutes=5)
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
# MSAL adds these itself and refuses them in a scope list.
MSAL_RESERVED_SCOPES = frozenset({"openid", "profile", "offline_access"})
# The refresh grant answers these when only a new sign-in helps.
EXPIRED_ERRORS = frozenset({"invalid_grant", "interaction_required"})

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class DeviceCode:
    """What `auth login` shows: open `verification_uri`, enter `user_code`."""

    user_code: str
    verification_uri: str
    expires_in: int
    interval: int
    verification_uri_complete: str | None = None
    # The device_code (generic) or MSAL's flow dict: never shown.
    state: Mapping[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class CodeLogin:
    """An authorization-code sign-in in progress (Google): open `url`, paste where it ends."""

    url: str
    redirect_uri: str
    state: str = field(repr=False)
    verifier: str = field(repr=False)


# --------------------------------------------------------------------------- providers


class Provider(Protocol):
    def start_device_flow(self) -> DeviceCode: ...

    def finish_device_flow(self, code: DeviceCode) -> dict[str, Any]:
        """Wait for the user's approval; the token record (without timestamps)."""
        ...

    def fresh_token(self, record: dict[str, Any], *, force: bool) -> tuple[str, bool]:
        """An access token from `record`, updating it in place; (token, refresh token used)."""
        ...


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


def _claims(id_token: str | None) -> dict[str, Any]:
    """The payload of an ID token, for the account name only (never trusted for access)."""
    if not id_token or id_token.count(".") != 2:
        return {}
    payload = id_token.split(".")[1]
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


class GenericProvider:
    """RFC 6749/8628 over urllib: device code, authorization code + PKCE, refresh."""

    def __init__(self, cfg: OAuth2Config, *, clock: Clock, sleep: Callable[[float], None]):
        self.cfg = cfg
        self.clock = clock
        self.sleep = sleep

    def _post(self, url: str, fields: Mapping[str, str]) -> dict[str, Any]:
        """POST a form; the JSON answer, also for 4xx (OAuth2 errors come as 400)."""
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(
            url, data=body, headers={"Accept": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise ConnectionFailed(
                f"cannot reach the OAuth2 endpoint {_host(url)}: {reason}"
            ) from None
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise AuthError(f"OAuth2 endpoint {_host(url)} answered {status} without JSON")
        if status >= 400 and "error" not in answer:
            answer["error"] = f"http_{status}"
        return answer

    def _client_fields(self) -> dict[str, str]:
        fields = {"client_id": self.cfg.client_id}
        secret = self.cfg.client_secret()
        if secret:
            # Google's "Desktop app" clients have a secret that is not secret
            # (it ships in every copy); the token endpoint still wants it.
            fields["client_secret"] = secret
        return fields

    def _refused(self, answer: Mapping[str, Any], what: str) -> AuthError:
        error = str(answer.get("error"))
        described = str(answer.get("error_description") or "").splitlines()
        detail = f" ({described[0][:200]})" if described else ""
        assert self.cfg.token_url
        return AuthError(f"OAuth2 {what} refused by {_host(self.cfg.token_url)}: {error}{detail}")

    def _record(self, answer: Mapping[str, Any]) -> dict[str, Any]:
        if "access_token" not in answer:
            raise self._refused({"error": "no access_token in the answer"}, "sign-in")
        if "refresh_token" not in answer:
            raise AuthError(
                "the OAuth2 provider gave no refresh token; add offline access to the "
                "scopes (Microsoft: offline_access) and run 'inbox-worker auth login' again"
            )
        claims = _claims(answer.get("id_token"))
        account = str(
            claims.get("email") or claims.get("preferred_username") or claims.get("upn") or ""
        )
        scopes = str(answer.get("scope") or " ".join(self.cfg.scopes)).split()
        return {
            "account": account,
            "scopes": scopes,
            "access_token": answer["access_token"],
            "expires_at": self._expiry(answer).isoformat(),
            "refresh_token": answer["refresh_token"],
        }

    def _expiry(self, answer: Mapping[str, Any]) -> datetime:
        try:
            seconds = int(answer.get("expires_in", 3600))
        except (TypeError, ValueError):
            seconds = 3600
        return self.clock() + timedelta(seconds=seconds)

    # -- device code -------------------------------------------------------------

    def start_device_flow(self) -> DeviceCode:
        url = self.cfg.device_authorization_url
        if not url:
            raise AuthError(f"provider {self.cfg.provider!r} has no device_authorization_url")
        answer = self._post(url, {**self._client_fields(), "scope": " ".join(self.cfg.scopes)})
        if "error" in answer or "device_code" not in answer:
            raise self._refused(answer, "device sign-in")
        return DeviceCode(
            user_code=str(answer["user_code"]),
            verification_uri=str(
                answer.get("verification_uri") or answer.get("verification_url", "")
            ),
            verification_uri_complete=answer.get("verification_uri_complete"),
            expires_in=int(answer.get("expires_in", 900)),
            interval=int(answer.get("interval", 5)),
            state={"device_code": answer["device_code"]},
        )

    def finish_device_flow(self, code: DeviceCode) -> dict[str, Any]:
        assert self.cfg.token_url
        deadline = time.monotonic() + code.expires_in
        interval = float(code.interval)
        while True:
            answer = self._post(
                self.cfg.token_url,
                {
                    **self._client_fields(),
                    "grant_type": DEVICE_GRANT,
                    "device_code": code.state["device_code"],
                },
            )
            error = answer.get("error")
            if not error:
                return self._record(answer)
            if error == "slow_down":
                interval += 5  # RFC 8628 3.5
            elif error != "authorization_pending":
                raise self._refused(answer, "sign-in")
            if time.monotonic() + interval > deadline:
                raise AuthError("the sign-in code expired before it was used; try again")
            # A floor so that a server saying interval=0 does not get hammered.
            self.sleep(max(interval, 0.1))

    # -- authorization code (Google) ------------------------------------------------

    def start_code_flow(self, redirect_uri: str) -> CodeLogin:
        if not self.cfg.authorize_url:
            raise AuthError(f"provider {self.cfg.provider!r} has no authorize_url")
        verifier = secrets.token_urlsafe(48)
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        state = secrets.token_urlsafe(16)
        query = urllib.parse.urlencode(
            {
                "client_id": self.cfg.client_id,
                "response_type": "code",
                "redirect_uri": redirect_uri,
                "scope": " ".join(self.cfg.scopes),
                "state": state,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
                # Google hands out a refresh token only with these two.
                "access_type": "offline",
                "prompt": "consent",
            }
        )
        return CodeLogin(
            url=f"{self.cfg.authorize_url}?{query}",
            redirect_uri=redirect_uri,
            state=state,
            verifier=verifier,
        )

    def finish_code_flow(self, login: CodeLogin, pasted: str) -> dict[str, Any]:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(pasted.strip()).query)
        if "error" in query:
            raise AuthError(f"sign-in refused: {query['error'][0]}")
        if query.get("state", [""])[0] != login.state or "code" not in query:
            raise AuthError(
                "that is not the address the sign-in ended at (no code, or from another "
                "attempt); run 'inbox-worker auth login' again"
            )
        assert self.cfg.token_url
        answer = self._post(
            self.cfg.token_url,
            {
                **self._client_fields(),
                "grant_type": "authorization_code",
                "code": query["code"][0],
                "redirect_uri": login.redirect_uri,
                "code_verifier": login.verifier,
            },
        )
        if "error" in answer:
            raise self._refused(answer, "sign-in")
        return self._record(answer)

    # -- refresh ------------------------------------------------------------------------

    def fresh_token(self, record: dict[str, Any], *, force: bool) -> tuple[str, bool]:
        expires = datetime.fromisoformat(record.get("expires_at") or "1970-01-01T00:00:00+00:00")
        if not force and record.get("access_token") and expires - REFRESH_MARGIN > self.clock():
            return str(record["access_token"]), False
        assert self.cfg.token_url
        answer = self._post(
            self.cfg.token_url,
            {
                **self._client_fields(),
                "grant_type": "refresh_token",
                "refresh_token": record["refresh_token"],
            },
        )
        error = answer.get("error")
        if error in EXPIRED_ERRORS:
            raise AuthExpired(record.get("account") or "this account")
        if error or "access_token" not in answer:
            raise self._refused(answer, "token refresh")
        record["access_token"] = answer["access_token"]
        record["expires_at"] = self._expiry(answer).isoformat()
        # Providers that rotate send a new one and void the old; the others
        # (Google) send none and the old one stays good.
        if answer.get("refresh_token"):
            record["refresh_token"] = answer["refresh_token"]
        return str(answer["access_token"]), True


class MicrosoftProvider:
    """Entra ID through MSAL; MSAL's serialised token cache is kept inside our file."""

    def __init__(self, cfg: OAuth2Config, *, clock: Clock) -> None:
        self.cfg = cfg
        self.clock = clock
        # MSAL asks for these by itself and raises ValueError when given them.
        self.scopes = [s for s in cfg.scopes if s not in MSAL_RESERVED_SCOPES]

    def _app(self, serialized: str | None = None) -> tuple[Any, Any]:
        import msal  # only Microsoft sign-ins pay for importing it

        cache = msal.SerializableTokenCache()
        if serialized:
            cache.deserialize(serialized)
        authority = self.cfg.authority or f"{MICROSOFT_LOGIN}/{self.cfg.tenant}"
        app = msal.PublicClientApplication(
            self.cfg.client_id,
            authority=authority,
            token_cache=cache,
            # Instance discovery asks login.microsoftonline.com about the
            # authority; one we were told explicitly (a national cloud) is known.
            instance_discovery=authority.startswith(MICROSOFT_LOGIN + "/"),
        )
        return app, cache

    def _refused(self, result: Mapping[str, Any], what: str) -> AuthError:
        described = str(result.get("error_description") or "").splitlines()
        detail = f" ({described[0][:200]})" if described else ""
        return AuthError(f"Microsoft {what} refused: {result.get('error')}{detail}")

    def start_device_flow(self) -> DeviceCode:
        app, _ = self._app()
        flow = app.initiate_device_flow(scopes=self.scopes)
        if "user_code" not in flow:
            raise self._refused(flow, "device sign-in")
        return DeviceCode(
            user_code=flow["user_code"],
            verification_uri=flow["verification_uri"],
            verification_uri_complete=flow.get("verification_uri_complete"),
            expires_in=int(flow.get("expires_in", 900)),
            interval=int(flow.get("interval", 5)),
            state=flow,
        )

    def finish_device_flow(self, code: DeviceCode) -> dict[str, Any]:
        app, cache = self._app()
        result = app.acquire_token_by_device_flow(dict(code.state))
        if "access_token" not in result:
            raise self._refused(result, "sign-in")
        claims = result.get("id_token_claims") or {}
        account = str(claims.get("preferred_username") or claims.get("upn") or "")
        accounts = app.get_accounts(username=account or None) or app.get_accounts()
        if not accounts:
            raise AuthError("Microsoft sign-in returned no account; try again")
        return {
            "account": account or accounts[0].get("username", ""),
            "home_account_id": accounts[0]["home_account_id"],
            "scopes": str(result.get("scope") or " ".join(self.scopes)).split(),
            "expires_at": (
                self.clock() + timedelta(seconds=int(result.get("expires_in", 3600)))
            ).isoformat(),
            "msal_cache": cache.serialize(),
        }

    def fresh_token(self, record: dict[str, Any], *, force: bool) -> tuple[str, bool]:
        app, cache = self._app(record.get("msal_cache"))
        account = next(
            (
                a
                for a in app.get_accounts()
                if a.get("home_account_id") == record.get("home_account_id")
            ),
            None,
        )
        user = record.get("account") or "this account"
        if account is None:
            raise AuthExpired(user)
        result = app.acquire_token_silent_with_error(self.scopes, account, force_refresh=force)
        if result is None:  # no refresh token left in the cache
            raise AuthExpired(user)
        if "access_token" not in result:
            log.debug("Microsoft refused the refresh: %s", result.get("error_codes"))
            if result.get("error") in EXPIRED_ERRORS:
                raise AuthExpired(user)
            raise self._refused(result, "token refresh")
        if cache.has_state_changed:
            record["msal_cache"] = cache.serialize()
        record["expires_at"] = (
            self.clock() + timedelta(seconds=int(result.get("expires_in", 3600)))
        ).isoformat()
        return str(result["access_token"]), result.get("token_source") == "identity_provider"
