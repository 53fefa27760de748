"""OAuth2 sign-in end to end on real parts: a token server, Dovecot's oauth2 passdb, XOAUTH2 SMTP.

No test talks to Microsoft or Google. The generic provider runs the whole
life of a sign-in through the CLI (login, poll, silent refresh with a
rotated refresh token, revocation, status, logout); MSAL is pointed at the
same token server over HTTPS to show the Microsoft path signs in and refreshes.
"""

from __future__ import annotations

import json
import os
import stat
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli import cli
from inbox_worker import config as config_mod
from inbox_worker.desk.doctor import oauth2_check
from inbox_worker.errors import AuthError, AuthExpired, LoginFailed, NotSignedIn
from inbox_worker.mail.imap import connect_imap
from inbox_worker.mail.oauth2 import Tokens, TokenStore, for_config
from inbox_worker.mail.smtp import SmtpLoginFailed, SmtpTransport
from tests import mailfactory
from tests.configs import write_config
from tests.oauth_servers import TokenServer, XOAuthSmtpServer
from tests.servers import ImapAccount, ServerCert


def oauth_config(
    tmp_path: Path,
    imap: ImapAccount,
    smtp: XOAuthSmtpServer,
    server: TokenServer,
    *,
    device: bool = True,
) -> Path:
    """tests/configs.write_config with auth = "oauth2" on both sides and a generic provider."""
    path = write_config(tmp_path, imap, smtp)
    text = path.read_text(encoding="utf-8")
    text = text.replace("[imap]\n", '[imap]\nauth = "oauth2"\n', 1)
    text = text.replace("[smtp]\n", f'[smtp]\nauth = "oauth2"\nusername = "{imap.username}"\n', 1)
    flow = (
        f'device_authorization_url = "{server.base}/device"'
        if device
        else f'authorize_url = "{server.base}/authorize"'
    )
    text += f"""
[oauth2]
provider = "generic"
client_id = "inbox-worker-test"
scopes = ["imap", "smtp", "offline_access"]
token_url = "{server.base}/token"
{flow}
"""
    path.write_text(text, encoding="utf-8")
    return path


def run(config: Path, *args: str, input: str | None = None) -> Result:
    # No password in the environment: with auth = "oauth2" none is needed.
    return CliRunner().invoke(cli, ["--config", str(config), *args], input=input)


def cache_of(config: Path) -> dict:
    return json.loads((config.parent / "oauth2-tokens.json").read_text())


def age_cache(config: Path, **fields: str) -> None:
    """Stand in for the passing of time: rewrite timestamps in the token cache."""
    path = config.parent / "oauth2-tokens.json"
    record = json.loads(path.read_text())
    record.update(fields)
    path.write_text(json.dumps(record))


def test_login_poll_refresh_revoke_status_logout(
    tmp_path: Path,
    oauth_imap_account: ImapAccount,
    oauth_smtp_server: XOAuthSmtpServer,
    oauth_token_server: TokenServer,
) -> None:
    user = oauth_imap_account.username
    config = oauth_config(tmp_path, oauth_imap_account, oauth_smtp_server, oauth_token_server)
    outputs: list[str] = []

    # Never signed in: poll says what to do, in one line.
    result = run(config, "-q", "poll")
    assert result.exit_code == 1
    assert (
        result.output == f"Error: OAuth2: {user} is not signed in; run 'inbox-worker auth login'\n"
    )

    # Login: the device flow prints the address and the code; the user approves elsewhere.
    approver = oauth_token_server.approve_in_thread(user)
    result = run(config, "auth", "login")
    approver.join()
    outputs.append(result.output)
    assert result.exit_code == 0, result.output
    assert f"To sign in, open {oauth_token_server.base}/device-login\n" in result.output
    assert "and enter the code " in result.output
    assert (
        f"Signed in as {user}; tokens saved in {tmp_path / 'oauth2-tokens.json'}" in result.output
    )
    cache = tmp_path / "oauth2-tokens.json"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    first_refresh_token = cache_of(config)["refresh_token"]

    # Poll: IMAP XOAUTH2 at Dovecot, the reply out over SMTP XOAUTH2.
    oauth_imap_account.deliver(mailfactory.inquiry_nl(1))
    result = run(config, "poll")
    outputs.append(result.output)
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output and "1 reply sent" in result.output
    assert [m.rcpt_tos[0] for m in oauth_smtp_server.messages] == [
        "deelnemer1@gemeente-voorbeeld.nl"
    ]
    assert oauth_smtp_server.logins == [user]
    assert "method=XOAUTH2" in oauth_imap_account.server.log_tail(400)
    refreshes = oauth_token_server.refresh_grants()

    # The access token runs out: the next poll refreshes silently (-q: no output)
    # and saves the rotated refresh token; the old one no longer works.
    oauth_token_server.expire_access_tokens()
    age_cache(config, expires_at=(datetime.now(UTC) - timedelta(minutes=1)).isoformat())
    oauth_imap_account.deliver(mailfactory.inquiry_en(2))
    result = run(config, "-q", "poll")
    outputs.append(result.output)
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert len(oauth_smtp_server.messages) == 2
    assert oauth_token_server.refresh_grants() == refreshes + 1
    rotated = cache_of(config)["refresh_token"]
    assert rotated != first_refresh_token
    with oauth_token_server.lock:
        assert first_refresh_token not in oauth_token_server.refresh
        assert rotated in oauth_token_server.refresh

    # Status: account, scopes, when the refresh token was last used.
    result = run(config, "auth", "status")
    outputs.append(result.output)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"account:                  {user}"
    assert lines[1] == "provider:                 generic"
    assert lines[2] == "scopes:                   imap smtp offline_access"
    assert lines[4].startswith("refresh token last used:  ") and lines[4].endswith("(0 days ago)")

    # Revoked (a password reset, an admin): poll fails with one line, exit 1.
    oauth_token_server.revoke(user)
    oauth_imap_account.deliver(mailfactory.inquiry_nl(3))
    result = run(config, "-q", "poll")
    outputs.append(result.output)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: OAuth2 sign-in for {user} has expired or was revoked; "
        "run 'inbox-worker auth login'\n"
    )

    # Logout removes the cache; status then says nobody is signed in.
    result = run(config, "auth", "logout")
    outputs.append(result.output)
    assert result.output == f"Signed out: removed {cache}\n"
    assert not cache.exists()
    result = run(config, "auth", "status")
    assert result.exit_code == 1
    assert "is not signed in; run 'inbox-worker auth login'" in result.output

    # No token ever reached the output, the database or Dovecot's log.
    issued = oauth_token_server.every_token()
    assert len(issued) >= 4
    database = (tmp_path / "leads.db").read_bytes()
    wal = tmp_path / "leads.db-wal"
    database += wal.read_bytes() if wal.exists() else b""
    everything = "\n".join(outputs)
    for token in issued:
        assert token not in everything
        assert token.encode() not in database


def test_an_access_token_voided_early_gets_one_forced_refresh(
    tmp_path: Path,
    oauth_imap_account: ImapAccount,
    oauth_smtp_server: XOAuthSmtpServer,
    oauth_token_server: TokenServer,
) -> None:
    """The server drops the access token before its expiry: the login is retried once."""
    config = oauth_config(tmp_path, oauth_imap_account, oauth_smtp_server, oauth_token_server)
    approver = oauth_token_server.approve_in_thread(oauth_imap_account.username)
    assert run(config, "auth", "login").exit_code == 0
    approver.join()
    oauth_token_server.expire_access_tokens()  # the cache still thinks it is good
    result = run(config, "-q", "poll")
    assert result.exit_code == 0, result.output
    assert result.output == ""


def test_code_flow_with_pkce_and_a_pasted_address(
    tmp_path: Path,
    oauth_imap_account: ImapAccount,
    oauth_smtp_server: XOAuthSmtpServer,
    oauth_token_server: TokenServer,
) -> None:
    """Google's way: open the address, sign in, paste the address the browser ended at."""
    config = oauth_config(
        tmp_path, oauth_imap_account, oauth_smtp_server, oauth_token_server, device=False
    )
    cfg = config_mod.load(config)
    tokens = for_config(cfg)
    login = tokens.start_code_login()
    assert "code_challenge_method=S256" in login.url

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    oauth_token_server.user = oauth_imap_account.username
    try:
        urllib.request.build_opener(NoRedirect).open(login.url)
    except urllib.error.HTTPError as exc:  # the 302 itself, as a browser sees it
        landed = exc.headers["Location"]
    assert landed.startswith(login.redirect_uri + "?code=")

    # A wrong or stale address is refused before anything is sent.
    with pytest.raises(AuthError, match="not the address the sign-in ended at"):
        tokens.finish_code_login(login, login.redirect_uri + "?code=x&state=other")
    status = tokens.finish_code_login(login, landed)
    assert status.account == oauth_imap_account.username
    source = for_config(cfg).access_token()
    with connect_imap(
        host=oauth_imap_account.host,
        port=oauth_imap_account.port,
        security="none",
        username=oauth_imap_account.username,
        password="",
        oauth2_token=source,
    ) as imap:
        assert imap.select("INBOX").exists == 0


def test_servers_refuse_a_token_for_someone_else(
    oauth_imap_account: ImapAccount,
    oauth_smtp_server: XOAuthSmtpServer,
    oauth_token_server: TokenServer,
    oauth_dovecot: object,
) -> None:
    other = oauth_dovecot.add_user()  # type: ignore[attr-defined]
    from tests.oauth_servers import _Grant

    with oauth_token_server.lock:
        token = oauth_token_server._issue(_Grant(other.username, "imap"))["access_token"]
    with pytest.raises(LoginFailed, match="IMAP login failed"):
        connect_imap(
            host=oauth_imap_account.host,
            port=oauth_imap_account.port,
            security="none",
            username=oauth_imap_account.username,
            password="",
            oauth2_token=token,
        )
    transport = SmtpTransport(
        host=oauth_smtp_server.host,
        port=oauth_smtp_server.port,
        security="none",
        username=oauth_imap_account.username,
        oauth2_token=lambda: token,
    )
    with pytest.raises(SmtpLoginFailed, match="535") as info:
        transport.check()
    assert token not in str(info.value)
    transport = SmtpTransport(
        host=oauth_smtp_server.host,
        port=oauth_smtp_server.port,
        security="none",
        username=other.username,
        oauth2_token=token,
    )
    transport.check()
    transport.close()
    assert oauth_smtp_server.logins == [other.username]


# --------------------------------------------------------------------------- no servers


def generic_cfg(tmp_path: Path, base: str = "http://127.0.0.1:9") -> config_mod.OAuth2Config:
    return config_mod.OAuth2Config(
        provider="generic",
        client_id="c",
        scopes=("s",),
        token_cache=tmp_path / "tokens.json",
        token_url=f"{base}/token",
        device_authorization_url=f"{base}/device",
    )


def test_token_store_is_private_and_replaced_whole(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "sub" / "tokens.json")
    old_umask = os.umask(0o022)
    try:
        store.save({"version": 1, "refresh_token": "one"})
        store.save({"version": 1, "refresh_token": "two"})
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert store.load() == {"version": 1, "refresh_token": "two"}
    assert [p.name for p in store.path.parent.iterdir()] == ["tokens.json"]  # no temp left
    store.path.write_text("{not json")
    with pytest.raises(AuthError, match="is damaged; run 'inbox-worker auth login'"):
        store.load()
    assert store.remove() is True and store.remove() is False


def test_not_signed_in_and_unreachable_endpoint_are_one_line(tmp_path: Path) -> None:
    tokens = Tokens(generic_cfg(tmp_path), "u@example.org")
    with pytest.raises(NotSignedIn, match=r"^OAuth2: u@example.org is not signed in"):
        tokens.access_token()
    TokenStore(tmp_path / "tokens.json").save(
        {
            "version": 1, "provider": "generic", "client_id": "c", "account": "u@example.org",
            "refresh_token": "rt-secret", "access_token": "at-secret",
            "expires_at": "2000-01-01T00:00:00+00:00",
            "signed_in": "2000-01-01T00:00:00+00:00", "refresh_used": "2000-01-01T00:00:00+00:00",
        }
    )  # fmt: skip
    with pytest.raises(Exception, match=r"cannot reach the OAuth2 endpoint 127\.0\.0\.1:9") as info:
        tokens.access_token()
    assert "secret" not in str(info.value)


def test_expired_error_names_the_account() -> None:
    assert str(AuthExpired("a@b.nl")) == (
        "OAuth2 sign-in for a@b.nl has expired or was revoked; run 'inbox-worker auth login'"
    )


def test_doctor_warns_when_the_refresh_token_idles(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        """
[source]
kind = "imap"
[imap]
host = "imap.example.org"
username = "shared@example.org"
auth = "oauth2"
[oauth2]
client_id = "11111111-2222-3333-4444-555555555555"
[organiser]
name = "O"
email = "shared@example.org"
[transport]
path = "out"
[workshop]
title = "W"
"""
    )
    cfg = config_mod.load(path)
    now = datetime(2030, 6, 1, tzinfo=UTC)
    check = oauth2_check(cfg, now)
    assert not check.ok
    assert check.detail == "shared@example.org is not signed in; run 'inbox-worker auth login'"
    record = {
        "version": 1, "provider": "microsoft", "client_id": cfg.oauth2.client_id,  # type: ignore[union-attr]
        "account": "me@example.org", "scopes": ["IMAP.AccessAsUser.All"],
        "signed_in": "2030-01-01T00:00:00+00:00", "refresh_used": "2030-03-31T00:00:00+00:00",
        "msal_cache": "{}", "home_account_id": "x",
    }  # fmt: skip
    TokenStore(tmp_path / "oauth2-tokens.json").save(record)
    check = oauth2_check(cfg, now)
    assert check.ok
    assert check.detail.startswith("warning: refresh token not used for 62 days; me@example.org")
    check = oauth2_check(cfg, datetime(2030, 4, 30, tzinfo=UTC))
    assert check.detail == "me@example.org signed in (microsoft; IMAP.AccessAsUser.All)"


# --------------------------------------------------------------------------- Microsoft via MSAL


@pytest.fixture
def entra(test_cert: ServerCert, monkeypatch: pytest.MonkeyPatch) -> Iterator[TokenServer]:
    """The token server over HTTPS, trusted through REQUESTS_CA_BUNDLE (MSAL uses requests)."""
    server = TokenServer(tls=test_cert)
    server.start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(test_cert.cert))
    try:
        yield server
    finally:
        server.stop()


def test_msal_device_login_refresh_rotation_and_revocation(
    tmp_path: Path, entra: TokenServer
) -> None:
    cfg = config_mod.OAuth2Config(
        provider="microsoft",
        client_id="test-client",
        scopes=config_mod.MICROSOFT_SCOPES,
        token_cache=tmp_path / "tokens.json",
        authority=f"{entra.base}/organizations",
    )
    tokens = Tokens(cfg, "shared@example.org")
    code = tokens.start_device_login()
    assert code.verification_uri == f"{entra.base}/device-login"
    entra.approve("me@example.org")
    status = tokens.finish_device_login(code)
    assert status.account == "me@example.org"
    # MSAL was given the scopes without the reserved ones and added its own.
    device_form = next(f for p, f in entra.requests if p.endswith("/devicecode"))
    assert "https://outlook.office.com/IMAP.AccessAsUser.All" in device_form["scope"]
    assert "offline_access" in device_form["scope"]

    record = json.loads(cfg.token_cache.read_text())
    assert "refresh_token" not in record  # MSAL keeps them inside its own cache
    first = tokens.access_token()
    assert entra.valid_access(first, "me@example.org")
    refreshes = entra.refresh_grants()
    assert tokens.access_token() == first  # still valid: no refresh
    assert entra.refresh_grants() == refreshes

    second = tokens.access_token(force_refresh=True)
    assert second != first and entra.valid_access(second, "me@example.org")
    assert entra.refresh_grants() == refreshes + 1
    # The rotated refresh token was saved: a fresh process refreshes with it.
    third = Tokens(cfg, "shared@example.org").access_token(force_refresh=True)
    assert entra.valid_access(third)

    entra.revoke("me@example.org")
    with pytest.raises(AuthExpired, match=r"^OAuth2 sign-in for me@example\.org has expired"):
        Tokens(cfg, "shared@example.org").access_token(force_refresh=True)
    assert stat.S_IMODE(cfg.token_cache.stat().st_mode) == 0o600
