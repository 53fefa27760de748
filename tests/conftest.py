"""Shared pytest fixtures.

tests/README: the integration servers
-------------------------------------
Tests that touch the network use real servers on 127.0.0.1 only (tests/servers.py):

* ``dovecot_server`` (session): the machine's Dovecot (Debian package
  dovecot-imapd) with a private config, Maildirs and log under
  /tmp/inbox-worker-dovecot-*; ``.host``, ``.port`` (plain + STARTTLS),
  ``.tls_port`` (implicit TLS), ``.ca_file``, ``.restart()``, ``.stop()``,
  ``.add_user(username=None, password=None)``, ``.log_tail()``,
  ``.maildir_of(user)`` (Dovecot's on-disk Maildir).
* ``imap_account`` (function): a fresh user on it, so tests never see each
  other's mail: ``host``, ``port``, ``username``, ``password``,
  ``connect_kwargs()`` (for ``connect_imap``), ``append(folder, raw, flags=())``
  -> uid, ``deliver(raw)`` (to INBOX), ``list_uids(folder)``,
  ``fetch_all(folder)`` -> [StoredMessage(uid, raw, flags)],
  ``create_folder(folder)``, ``uidvalidity(folder)``,
  ``recreate_folder(folder)`` -> new UIDVALIDITY (same messages, new UIDs).
  Folders: INBOX, Sent (\\Sent special-use), Drafts.
* ``courier_like_dovecot`` / ``courier_like_account``: the same, laid out as
  Courier-IMAP is: namespace prefix ``INBOX.``, delimiter ``.``, no
  special-use flags and only INBOX until something creates a folder. The server also speaks
  TLS with a throwaway self-signed certificate: STARTTLS on ``port``,
  implicit TLS on ``tls_port``; ``ca_file`` verifies it.
* ``test_cert`` (session): that kind of certificate for other servers
  (``cert``, ``key``, ``server_context()``); ``SmtpServer(cert=...,
  tls="starttls"|"tls")`` serves SMTP over it.
* ``smtp_server`` (function): aiosmtpd with a recording handler:
  ``host``, ``port``, ``messages`` -> [ReceivedMessage(mail_from, rcpt_tos,
  raw, message_id)], ``fail_next(code, text, times=1, at="data"|"rcpt")``,
  ``require_auth(user, password)``, ``drop_connections()``, ``restart()``,
  ``sessions_seen`` (one entry per client connection).

Tests using these fixtures are marked ``integration`` automatically
(``pytest -m "not integration"`` runs the rest). Without Dovecot installed
they are skipped, except when the environment variable CI is set: CI must
never pass by skipping them, so there they fail. $INBOX_WORKER_DOVECOT
overrides the dovecot binary.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.servers import (
    COURIER_NAMESPACE,
    DovecotServer,
    ImapAccount,
    ServerCert,
    SmtpServer,
    find_dovecot,
    make_root,
    make_test_cert,
)

_INTEGRATION_FIXTURES = {
    "dovecot_server",
    "imap_account",
    "smtp_server",
    "test_cert",
    "courier_like_dovecot",
    "courier_like_account",
}


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def pytest_configure(config: pytest.Config) -> None:
    # Plain-text AUTH on loopback is deliberate in the aiosmtpd fixture.
    config.addinivalue_line(
        "filterwarnings", "ignore:Requiring AUTH while not requiring TLS:UserWarning"
    )
    # Kept in the default run (CI runs everything); `-m "not slow"` skips them.
    config.addinivalue_line("markers", "slow: takes more than ~10 s (the SIGKILL crash test)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _INTEGRATION_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)


def _dovecot_binary(what: str) -> str:
    """The Dovecot to test with; skipped without one, except under CI where that fails."""
    binary = find_dovecot()
    if binary is None:
        reason = "Dovecot is not installed (apt-get install dovecot-imapd)"
        if _in_ci():
            pytest.fail(f"{reason}; CI must run the {what} integration tests", pytrace=False)
        pytest.skip(reason)
    return binary


@contextmanager
def _running(make: Callable[[Path], DovecotServer], prefix: str) -> Iterator[DovecotServer]:
    """Start a private Dovecot in a fresh folder; stop it and remove the folder whatever happens."""
    root = make_root(prefix)
    server = None
    try:
        server = make(root)
        server.start()
    except BaseException:
        if server is not None:
            server.stop()
            print(server.log_tail())
        shutil.rmtree(root, ignore_errors=True)
        raise
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[DovecotServer]:
    binary = _dovecot_binary("IMAP")
    with _running(
        lambda root: DovecotServer(root, binary, cert=make_test_cert(root)), "inbox-worker-dovecot-"
    ) as server:
        yield server


@pytest.fixture
def imap_account(dovecot_server: DovecotServer) -> ImapAccount:
    if not dovecot_server.running:
        # A test that stopped or crashed the server must not break the next one.
        dovecot_server.restart()
    return dovecot_server.add_user()


@pytest.fixture(scope="session")
def courier_like_dovecot() -> Iterator[DovecotServer]:
    """A Dovecot laid out as Courier-IMAP is: folders under "INBOX.", no \\Sent flag, no Sent."""
    binary = _dovecot_binary("IMAP")
    with _running(
        lambda root: DovecotServer(root, binary, namespace=COURIER_NAMESPACE),
        "inbox-worker-courier-like-",
    ) as server:
        yield server


@pytest.fixture
def courier_like_account(courier_like_dovecot: DovecotServer) -> ImapAccount:
    if not courier_like_dovecot.running:
        courier_like_dovecot.restart()
    return courier_like_dovecot.add_user()


@pytest.fixture(scope="session")
def test_cert(tmp_path_factory: pytest.TempPathFactory) -> ServerCert:
    if shutil.which("openssl") is None:
        reason = "openssl is not installed (it comes with dovecot-core)"
        if _in_ci():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return make_test_cert(tmp_path_factory.mktemp("cert"))


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


# -- OAuth2 (issue 8): a token server, a Dovecot with an oauth2 passdb, XOAUTH2 SMTP ----------
#
# * ``oauth_token_server`` (session): tests/oauth_servers.TokenServer over plain HTTP on
#   127.0.0.1; ``.base``, ``.approve_in_thread(user)``, ``.expire_access_tokens()``,
#   ``.revoke(user)``, ``.valid_access(token, user)``, ``.every_token()``.
# * ``oauth_dovecot`` (session): a second Dovecot whose passdb introspects XOAUTH2 tokens
#   at that server (password logins still work, for the helpers).
# * ``oauth_imap_account`` (function): a fresh user on it (an ``ImapAccount``).
# * ``oauth_smtp_server`` (function): aiosmtpd that requires AUTH XOAUTH2 with a token
#   the token server issued; ``.logins`` lists the users it let in.

from tests.oauth_servers import OAuthDovecot, TokenServer, XOAuthSmtpServer  # noqa: E402

_INTEGRATION_FIXTURES.update({"oauth_dovecot", "oauth_imap_account", "oauth_smtp_server"})


@pytest.fixture(scope="session")
def oauth_token_server() -> Iterator[TokenServer]:
    server = TokenServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def oauth_dovecot(oauth_token_server: TokenServer) -> Iterator[OAuthDovecot]:
    binary = _dovecot_binary("OAuth2")
    introspection = f"{oauth_token_server.base}/introspect"
    with _running(
        lambda root: OAuthDovecot(root, binary, introspection_url=introspection),
        "inbox-worker-oauth-dovecot-",
    ) as server:
        assert isinstance(server, OAuthDovecot)
        yield server


@pytest.fixture
def oauth_imap_account(oauth_dovecot: OAuthDovecot) -> ImapAccount:
    if not oauth_dovecot.running:
        oauth_dovecot.restart()
    return oauth_dovecot.add_user()


@pytest.fixture
def oauth_smtp_server(oauth_token_server: TokenServer) -> Iterator[XOAuthSmtpServer]:
    server = XOAuthSmtpServer(oauth_token_server)
    server.start()
    try:
        yield server
    finally:
        server.stop()
