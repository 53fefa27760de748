"""An OAuth2 provider, Dovecot and aiosmtpd that speak XOAUTH2, all on 127.0.0.1.

`TokenServer` is a small identity provider in a thread (http.server): the
device authorization endpoint (RFC 8628), a token endpoint for the
device_code, authorization_code (with PKCE) and refresh_token grants, an
authorize endpoint that signs the test's user in at once and redirects, and
an introspection endpoint (RFC 7662) for Dovecot. It rotates refresh tokens
(the old one stops working, as at Microsoft), can expire access tokens and
revoke a user's whole grant. With `tls=` it serves HTTPS and the Entra ID
discovery document, so MSAL can be pointed at it.

`OAuthDovecot` is a second, separate Dovecot (its own base_dir, log and
port) whose first passdb is `driver = oauth2`, asking `TokenServer` to
introspect each XOAUTH2 token; password logins still work through the
passwd-file passdb, which the test helpers use to deliver mail.
`XOAuthSmtpServer` is the recording aiosmtpd from tests/servers.py with an
`auth_XOAUTH2` mechanism that checks the bearer token with the token server.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.servers import LOOPBACK, DovecotServer, RecordingHandler, ServerCert, SmtpServer


@dataclass
class _Grant:
    user: str
    scope: str
    revoked: bool = False


@dataclass
class _Device:
    user_code: str
    scope: str
    approved_as: str | None = None
    denied: bool = False


@dataclass
class TokenServer:
    """A scriptable OAuth2 provider; see the module docstring."""

    access_ttl: int = 3600
    interval: int = 0
    tls: ServerCert | None = None
    # The user the authorize endpoint (and `approve()` by default) signs in as.
    user: str = "organiser@example.org"
    port: int = 0
    devices: dict[str, _Device] = field(default_factory=dict)
    access: dict[str, tuple[_Grant, float]] = field(default_factory=dict)
    refresh: dict[str, _Grant] = field(default_factory=dict)
    codes: dict[str, tuple[_Grant, str, str]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep pytest output clean
                pass

            def _reply(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
                if url.path.endswith("/v2.0/.well-known/openid-configuration"):
                    self._reply(200, outer.discovery(url.path.split("/")[1]))
                elif url.path == "/authorize":
                    location = outer.authorize(query)
                    self.send_response(302)
                    self.send_header("Location", location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self._reply(404, {"error": "not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {
                    k: v[0]
                    for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode()).items()
                }
                path = urllib.parse.urlsplit(self.path).path
                with outer.lock:
                    outer.requests.append((path, form))
                if path.endswith("/devicecode") or path == "/device":
                    self._reply(*outer.device_authorization(form))
                elif path.endswith("/token"):
                    self._reply(*outer.token(form))
                elif path == "/introspect":
                    self._reply(200, outer.introspect(form.get("token", "")))
                else:
                    self._reply(404, {"error": "not_found"})

        self._httpd = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        if self.tls is not None:
            self._httpd.socket = self.tls.server_context().wrap_socket(
                self._httpd.socket, server_side=True
            )
        self.port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def base(self) -> str:
        return f"{'https' if self.tls else 'http'}://{LOOPBACK}:{self.port}"

    # -- what the test scripts -------------------------------------------------------

    def approve(self, user: str | None = None, timeout: float = 10.0) -> None:
        """Approve the pending device sign-in (waits for one to start) as `user`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                pending = [d for d in self.devices.values() if d.approved_as is None]
                if pending:
                    pending[-1].approved_as = user or self.user
                    return
            time.sleep(0.02)
        raise AssertionError("no device sign-in to approve")

    def approve_in_thread(self, user: str | None = None) -> threading.Thread:
        thread = threading.Thread(target=self.approve, args=(user,), daemon=True)
        thread.start()
        return thread

    def expire_access_tokens(self) -> None:
        with self.lock:
            self.access.clear()

    def revoke(self, user: str) -> None:
        """Void every grant of `user`: its refresh and access tokens stop working."""
        with self.lock:
            for grant in [*self.refresh.values(), *(g for g, _ in self.access.values())]:
                if grant.user == user:
                    grant.revoked = True

    def valid_access(self, token: str, user: str | None = None) -> bool:
        with self.lock:
            entry = self.access.get(token)
        if entry is None:
            return False
        grant, expires = entry
        return not grant.revoked and time.time() < expires and (user in (None, grant.user))

    def refresh_grants(self) -> int:
        with self.lock:
            return sum(1 for path, f in self.requests if f.get("grant_type") == "refresh_token")

    def every_token(self) -> list[str]:
        """Every access and refresh token ever issued (to grep output for leaks)."""
        with self.lock:
            return list(self.issued)

    # -- the endpoints -----------------------------------------------------------------

    def _issue(self, grant: _Grant) -> dict[str, Any]:
        access = "at-" + secrets.token_urlsafe(24)
        refresh = "rt-" + secrets.token_urlsafe(24)
        self.access[access] = (grant, time.time() + self.access_ttl)
        self.refresh[refresh] = grant
        self.issued += [access, refresh]
        body: dict[str, Any] = {
            "token_type": "Bearer",
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": self.access_ttl,
            "scope": grant.scope,
        }
        if self.tls is not None:
            body.update(self._entra_extras(grant.user))
        return body

    def _entra_extras(self, user: str) -> dict[str, Any]:
        """The id_token and client_info Entra ID adds, which MSAL builds its account from."""
        oid = hashlib.sha256(user.encode()).hexdigest()[:32]
        tid = "00000000-0000-0000-0000-000000000001"

        def b64(data: dict[str, Any]) -> str:
            return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

        claims = {
            "iss": f"{self.base}/{tid}/v2.0",
            "aud": "test-client",
            "sub": oid,
            "oid": oid,
            "tid": tid,
            "preferred_username": user,
            "name": user,
            "iat": int(time.time()),
            "exp": int(time.time()) + 3600,
        }
        return {
            "id_token": f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}.sig",
            "client_info": b64({"uid": oid, "utid": tid}),
        }

    def discovery(self, tenant: str) -> dict[str, Any]:
        root = f"{self.base}/{tenant}"
        return {
            "issuer": f"{root}/v2.0",
            "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
            "token_endpoint": f"{root}/oauth2/v2.0/token",
            "device_authorization_endpoint": f"{root}/oauth2/v2.0/devicecode",
        }

    def device_authorization(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if not form.get("client_id"):
            return 400, {"error": "invalid_client"}
        device_code = "dc-" + secrets.token_urlsafe(16)
        user_code = secrets.token_hex(4).upper()
        with self.lock:
            self.devices[device_code] = _Device(user_code=user_code, scope=form.get("scope", ""))
        body = {
            "device_code": device_code,
            "user_code": user_code,
            "verification_uri": f"{self.base}/device-login",
            "expires_in": 60,
            "interval": self.interval,
            "message": f"To sign in, open {self.base}/device-login and enter {user_code}.",
        }
        return 200, body

    def authorize(self, query: dict[str, str]) -> str:
        """Sign `self.user` in at once; the redirect carries the code (PKCE S256 kept)."""
        code = "code-" + secrets.token_urlsafe(16)
        with self.lock:
            self.codes[code] = (
                _Grant(self.user, query.get("scope", "")),
                query.get("code_challenge", ""),
                query.get("redirect_uri", ""),
            )
        params = urllib.parse.urlencode({"code": code, "state": query.get("state", "")})
        return f"{query.get('redirect_uri')}?{params}"

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        grant_type = form.get("grant_type")
        with self.lock:
            if grant_type == "urn:ietf:params:oauth:grant-type:device_code":
                device = self.devices.get(form.get("device_code", ""))
                if device is None:
                    return 400, {"error": "invalid_grant"}
                if device.approved_as is None:
                    return 400, {"error": "authorization_pending"}
                del self.devices[form["device_code"]]
                return 200, self._issue(_Grant(device.approved_as, device.scope))
            if grant_type == "authorization_code":
                entry = self.codes.pop(form.get("code", ""), None)
                if entry is None:
                    return 400, {"error": "invalid_grant"}
                grant, challenge, redirect_uri = entry
                verifier = form.get("code_verifier", "")
                digest = hashlib.sha256(verifier.encode()).digest()
                expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                if expected != challenge or form.get("redirect_uri") != redirect_uri:
                    return 400, {"error": "invalid_grant", "error_description": "PKCE mismatch"}
                return 200, self._issue(grant)
            if grant_type == "refresh_token":
                grant = self.refresh.pop(form.get("refresh_token", ""), None)
                if grant is None or grant.revoked:
                    return 400, {
                        "error": "invalid_grant",
                        "error_description": "AADSTS70000: The refresh token was revoked.",
                    }
                # Rotation: the old refresh token is gone (popped) and a new one issued.
                return 200, self._issue(grant)
        return 400, {"error": "unsupported_grant_type"}

    def introspect(self, token: str) -> dict[str, Any]:
        with self.lock:
            entry = self.access.get(token)
        if entry is None or entry[0].revoked or time.time() >= entry[1]:
            return {"active": False}
        return {"active": True, "username": entry[0].user, "scope": entry[0].scope}


# --------------------------------------------------------------------------- Dovecot


class OAuthDovecot(DovecotServer):
    """A DovecotServer whose first passdb checks XOAUTH2 tokens by introspection."""

    def __init__(self, root: Path, binary: str, *, introspection_url: str) -> None:
        super().__init__(root, binary)
        self.introspection_url = introspection_url
        self.oauth2_conf = root / "dovecot-oauth2.conf.ext"

    def _write_config(self) -> None:
        super()._write_config()
        self.oauth2_conf.write_text(
            f"introspection_url = {self.introspection_url}\n"
            "introspection_mode = post\n"
            "username_attribute = username\n"
            "active_attribute = active\n"
            "active_value = true\n"
            "timeout_msecs = 5000\n"
        )
        text = self.conf.read_text()
        text = text.replace(
            "auth_mechanisms = plain login", "auth_mechanisms = plain login xoauth2 oauthbearer"
        )
        passdb = (
            "passdb {\n"
            "  driver = oauth2\n"
            "  mechanisms = xoauth2 oauthbearer\n"
            f"  args = {self.oauth2_conf}\n"
            "}\n"
        )
        text = text.replace(
            "passdb {\n  driver = passwd-file\n",
            passdb + "passdb {\n  driver = passwd-file\n  mechanisms = plain login\n",
            1,
        )
        assert "driver = oauth2" in text, "the base config changed shape"
        self.conf.write_text(text)


# --------------------------------------------------------------------------- SMTP


@dataclass
class XOAuthHandler(RecordingHandler):
    """RecordingHandler plus SASL XOAUTH2, checked against a TokenServer."""

    tokens: TokenServer | None = None
    logins: list[str] = field(default_factory=list)

    async def auth_XOAUTH2(self, server: Any, args: list[str]) -> Any:
        from aiosmtpd.smtp import MISSING, AuthResult

        if len(args) > 1:
            blob: Any = base64.b64decode(args[1])
        else:
            blob = await server.challenge_auth("")
            if blob is MISSING:
                return AuthResult(success=False, handled=True)
        parts = dict(
            p.split("=", 1) for p in blob.decode().split("\x01") if "=" in p
        )  # user=..., auth=Bearer ...
        user = parts.get("user", "")
        token = parts.get("auth", "").removeprefix("Bearer ")
        assert self.tokens is not None
        if self.tokens.valid_access(token, user):
            self.logins.append(user)
            return AuthResult(success=True, auth_data=user)
        # XOAUTH2 failure: a 334 with a JSON status, the client answers empty, then 535.
        await server.challenge_auth(json.dumps({"status": "401", "schemes": "bearer"}))
        return AuthResult(success=False, handled=False)


class XOAuthSmtpServer(SmtpServer):
    """aiosmtpd that requires AUTH and accepts XOAUTH2 tokens from `tokens`."""

    def __init__(self, tokens: TokenServer) -> None:
        super().__init__()
        self.handler = XOAuthHandler(tokens=tokens)
        # AUTH required; PLAIN/LOGIN stay on offer but only with credentials
        # nobody knows, so XOAUTH2 is the one way in.
        self._credentials = (secrets.token_hex(8), secrets.token_hex(8))

    @property
    def logins(self) -> list[str]:
        assert isinstance(self.handler, XOAuthHandler)
        return list(self.handler.logins)
