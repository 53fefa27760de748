"""Real mail servers on 127.0.0.1 for the integration tests.

`DovecotServer` runs the machine's Dovecot (Debian: dovecot-imapd) with a
throwaway config, users and Maildirs in a private temp folder, on a free
loopback port; `ImapAccount` is one test user on it, with helpers that talk
IMAP through imapclient directly (never through the code under test).
`SmtpServer` wraps an aiosmtpd Controller whose handler records every message
and can be scripted to answer with errors or to drop its connections.

Nothing here ever listens on anything but 127.0.0.1, and every process
started here is stopped by `stop()` (also registered with atexit, in case a
test run is interrupted before the fixture finalizers run).
"""

from __future__ import annotations

import atexit
import email
import email.policy
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from imapclient import IMAPClient

LOOPBACK = "127.0.0.1"


class ServerStartError(RuntimeError):
    """A test server did not come up; the message carries the tail of its log."""


def free_port() -> int:
    """A port the OS just called free on loopback (another process may still take it)."""
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def find_dovecot() -> str | None:
    """Path of the dovecot binary; /usr/sbin is not on a non-root PATH.

    $INBOX_WORKER_DOVECOT names another binary (a source build, say); pointed
    at a missing file, it shows what the suite does without Dovecot.
    """
    override = os.environ.get("INBOX_WORKER_DOVECOT")
    if override:
        return override if os.access(override, os.X_OK) else None
    found = shutil.which("dovecot")
    if found:
        return found
    for candidate in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def dovecot_version(binary: str) -> tuple[int, int]:
    out = subprocess.run(
        [binary, "--version"], capture_output=True, text=True, check=True, timeout=10
    ).stdout
    match = re.match(r"(\d+)\.(\d+)", out.strip())
    if not match:
        raise ServerStartError(f"cannot read the Dovecot version from {out!r}")
    return int(match.group(1)), int(match.group(2))


@dataclass(frozen=True)
class ServerCert:
    """A self-signed certificate for 127.0.0.1 and localhost; `cert` doubles as the CA file."""

    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context


def make_test_cert(folder: Path) -> ServerCert:
    """Generate a throwaway certificate with openssl (a dependency of dovecot-core)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return ServerCert(cert=cert, key=key)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


# --------------------------------------------------------------------------- Dovecot


@dataclass(frozen=True)
class StoredMessage:
    """A message as the test server holds it."""

    uid: int
    raw: bytes
    flags: tuple[str, ...]


@dataclass
class ImapAccount:
    """One throwaway Dovecot user; the helpers bypass the code under test."""

    server: DovecotServer
    username: str
    password: str

    @property
    def host(self) -> str:
        return self.server.host

    @property
    def port(self) -> int:
        return self.server.port

    def connect_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `inbox_worker.mail.imap.connect_imap`."""
        return {
            "host": self.host,
            "port": self.port,
            "security": "none",
            "username": self.username,
            "password": self.password,
            "timeout": 10.0,
        }

    @contextmanager
    def client(self) -> Iterator[IMAPClient]:
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        try:
            client.login(self.username, self.password)
            yield client
        finally:
            with suppress(Exception):
                client.logout()

    def append(self, folder: str, raw: bytes, flags: tuple[str, ...] = ()) -> int:
        """APPEND `raw` to `folder`; returns the new message's UID (UIDPLUS)."""
        with self.client() as client:
            response = client.append(folder, raw, flags=flags)
        match = re.search(rb"APPENDUID \d+ (\d+)", bytes(response))
        if not match:
            raise AssertionError(f"no APPENDUID in {response!r}")
        return int(match.group(1))

    def deliver(self, raw: bytes) -> int:
        """Put a message in the INBOX as an unread new arrival."""
        return self.append("INBOX", raw)

    def deliver_many(self, raws: list[bytes], folder: str = "INBOX") -> None:
        """APPEND many messages over one connection (hundreds in well under a second)."""
        with self.client() as client:
            for raw in raws:
                client.append(folder, raw)

    def find_message_ids(self, folder: str, message_ids: list[str]) -> set[str]:
        """Which of these Message-IDs `folder` holds (exact match on the header value)."""
        if not message_ids:
            return set()
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            if not uids:
                return set()
            data = client.fetch(uids, [b"BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
        held = set()
        for item in data.values():
            block = next((v for k, v in item.items() if k.startswith(b"BODY[HEADER")), b"")
            held.add(bytes(block).split(b":", 1)[-1].strip().decode("ascii", "replace"))
        return held & set(message_ids)

    def create_folder(self, folder: str) -> None:
        with self.client() as client:
            client.create_folder(folder)

    def uidvalidity(self, folder: str) -> int:
        with self.client() as client:
            return int(client.folder_status(folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"])

    def list_uids(self, folder: str) -> list[int]:
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            return sorted(client.search("ALL"))

    def fetch_all(self, folder: str) -> list[StoredMessage]:
        """Every message in `folder` with its flags, read without changing them."""
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            if not uids:
                return []
            data = client.fetch(uids, [b"BODY.PEEK[]", b"FLAGS"])
        return [
            StoredMessage(
                uid=uid,
                raw=bytes(data[uid][b"BODY[]"]),
                flags=tuple(
                    f.decode() if isinstance(f, bytes) else str(f) for f in data[uid][b"FLAGS"]
                ),
            )
            for uid in sorted(data)
        ]

    def recreate_folder(self, folder: str) -> int:
        """Give `folder` a new UIDVALIDITY with the same messages under new UIDs.

        This is what a server restore or migration does to a client's cursor.
        Returns the new UIDVALIDITY. Other folders go through IMAP DELETE and
        CREATE; INBOX cannot be deleted, so its Dovecot index and uid list are
        removed on disk and Dovecot rebuilds them with a fresh UIDVALIDITY.
        """
        old = self.uidvalidity(folder)
        if folder.upper() == "INBOX":
            self.server.reset_inbox_uids(self.username)
        else:
            with self.client() as client:
                client.select_folder(folder, readonly=True)
                uids = client.search("ALL")
                data = (
                    client.fetch(uids, [b"BODY.PEEK[]", b"FLAGS", b"INTERNALDATE"]) if uids else {}
                )
                client.unselect_folder()
                client.delete_folder(folder)
                client.create_folder(folder)
                for uid in sorted(data):
                    flags = tuple(f for f in data[uid][b"FLAGS"] if f != b"\\Recent")
                    client.append(
                        folder,
                        data[uid][b"BODY[]"],
                        flags=flags,
                        msg_time=data[uid][b"INTERNALDATE"],
                    )
        new = self.uidvalidity(folder)
        if new == old:
            raise AssertionError(f"UIDVALIDITY of {folder} did not change ({old})")
        return new


# Folders under "/" at the top level, with Sent and Drafts flagged (RFC 6154).
DEFAULT_NAMESPACE = """\
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
}"""
# What Courier-IMAP (and Cyrus by default) show: every folder under "INBOX.",
# "." as the delimiter, no special-use flags and no Sent until a client makes one.
COURIER_NAMESPACE = """\
namespace inbox {
  inbox = yes
  prefix = INBOX.
  separator = .
}"""


class DovecotServer:
    """A private Dovecot instance: start(), stop(), restart(), add_user()."""

    host = LOOPBACK

    def __init__(
        self,
        root: Path,
        binary: str,
        cert: ServerCert | None = None,
        namespace: str = DEFAULT_NAMESPACE,
    ) -> None:
        self.root = root
        self.namespace = namespace
        self.binary = binary
        self.version = dovecot_version(binary)
        self.port = 0
        # With a cert: STARTTLS on `port`, implicit TLS on `tls_port`;
        # `ca_file` is what a client must trust to verify it.
        self.cert = cert
        self.tls_port = 0
        self.conf = root / "dovecot.conf"
        self.log_path = root / "dovecot.log"
        self.users_file = root / "users"
        self.mail_root = root / "mail"
        self._process: subprocess.Popen[bytes] | None = None
        self._users: dict[str, str] = {}
        self._pool: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._atexit_registered = False

    # -- setup ------------------------------------------------------------------

    def _identities(self) -> dict[str, str]:
        """Which system users Dovecot's processes and mail files run as.

        Dovecot refuses to access mail as root, so as root the Maildirs belong
        to the system user `mail` (present on every Debian); the login and
        internal users are the ones the Debian package creates. Run as an
        ordinary user, everything runs as that user.
        """
        if os.geteuid() != 0:
            me = pwd.getpwuid(os.geteuid()).pw_name
            return {"mail": me, "internal": me, "login": me}
        mail_user = "mail" if _user_exists("mail") else "nobody"
        internal = "dovecot" if _user_exists("dovecot") else mail_user
        login = "dovenull" if _user_exists("dovenull") else internal
        return {"mail": mail_user, "internal": internal, "login": login}

    def _write_config(self) -> None:
        ids = self._identities()
        if self.cert is not None:
            # Plain-text LOGIN stays allowed: most tests use the plain port.
            ssl_lines = f"ssl = yes\nssl_cert = <{self.cert.cert}\nssl_key = <{self.cert.key}"
        else:
            ssl_lines = "ssl = no"
        version_lines = ""
        if self.version >= (2, 4):
            # Not used on the Debian 12 machines we run on (2.3); kept so a
            # newer Dovecot fails with its own clear message, not ours.
            version_lines = "dovecot_config_version = 2.4.0\ndovecot_storage_version = 2.4.0\n"
        non_root = ""
        if os.geteuid() != 0:
            # Without root there is no chroot and no switching users.
            non_root = textwrap.dedent(
                """\
                service imap-login {
                  chroot =
                }
                service anvil {
                  chroot =
                }
                """
            )
        else:
            non_root = f"mail_uid = {ids['mail']}\nmail_gid = {pwd.getpwnam(ids['mail']).pw_gid}\n"
        self.conf.write_text(
            version_lines
            + textwrap.dedent(
                f"""\
                # Throwaway Dovecot for the inbox-worker tests: loopback only.
                protocols = imap
                listen = {LOOPBACK}
                instance_name = inbox-worker-test-{self.root.name}
                base_dir = {self.root}/run
                state_dir = {self.root}/state
                log_path = {self.log_path}
                info_log_path = {self.log_path}
                {{ssl}}
                disable_plaintext_auth = no
                auth_mechanisms = plain login
                # Failed logins are part of the tests: no 2-15 s penalty for them.
                auth_failure_delay = 0
                default_internal_user = {ids["internal"]}
                default_login_user = {ids["login"]}
                first_valid_uid = 1
                first_valid_gid = 1
                mail_location = maildir:{self.mail_root}/%u/Maildir
                passdb {{
                  driver = passwd-file
                  args = scheme=PLAIN username_format=%u {self.users_file}
                  default_fields = nodelay=yes
                }}
                userdb {{
                  driver = static
                  args = home={self.mail_root}/%u
                }}
                service imap-login {{
                  inet_listener imap {{
                    address = {LOOPBACK}
                    port = {{port}}
                  }}
                  inet_listener imaps {{
                    address = {LOOPBACK}
                    port = {{tls_port}}
                  }}
                }}
                service anvil {{
                  unix_listener anvil-auth-penalty {{
                    mode = 0
                  }}
                }}
                {{namespace}}
                """
            )
            .replace("{port}", str(self.port))
            .replace("{tls_port}", str(self.tls_port))
            .replace("{ssl}", ssl_lines)
            .replace("{namespace}", self.namespace)
            + non_root
        )

    def _write_users(self) -> None:
        lines = "".join(f"{user}:{{PLAIN}}{pw}::::::\n" for user, pw in self._users.items())
        tmp = self.users_file.with_suffix(".tmp")
        tmp.write_text(lines)
        tmp.chmod(0o644)
        # passwd-file is re-read when its mtime changes: replace it whole.
        os.replace(tmp, self.users_file)

    def _prepare(self) -> None:
        # The mail user must be able to walk down to its Maildir.
        self.root.chmod(0o755)
        self.mail_root.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            ids = self._identities()
            entry = pwd.getpwnam(ids["mail"])
            os.chown(self.mail_root, entry.pw_uid, entry.pw_gid)
        self.mail_root.chmod(0o755)
        if "probe" not in self._users:
            self._users["probe"] = secrets.token_hex(8)
            # Known before Dovecot starts, so the first tests need not wait.
            fresh = [(f"user{secrets.token_hex(4)}", secrets.token_urlsafe(12)) for _ in range(50)]
            self._users.update(fresh)
            self._pool.extend(fresh)
        self._write_users()

    # -- lifecycle --------------------------------------------------------------

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no log written)"
        return "\n".join(text.splitlines()[-lines:])

    def start(self, *, keep_port: bool = False) -> None:
        self._prepare()
        attempts = 1 if keep_port else 3
        for attempt in range(attempts):
            if not keep_port or not self.port:
                self.port = free_port()
                self.tls_port = free_port() if self.cert is not None else 0
                while self.tls_port == self.port:
                    self.tls_port = free_port()
            self._write_config()
            try:
                self._spawn_and_wait()
                return
            except ServerStartError as exc:
                self._kill()
                port_taken = "Address already in use" in str(exc)
                if not port_taken or attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def _spawn_and_wait(self, timeout: float = 20.0) -> None:
        # Output goes to a file, not a pipe: Dovecot's processes keep the
        # stderr they were started with, and a pipe nobody drains (or that
        # stays open after the master exits) hangs whoever reads it.
        with self.log_path.open("ab") as out:
            self._process = subprocess.Popen(
                [self.binary, "-F", "-c", str(self.conf)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if not self._atexit_registered:
            atexit.register(self.stop)
            self._atexit_registered = True
        deadline = time.monotonic() + timeout
        last_error = "no attempt"
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ServerStartError(
                    f"dovecot exited with status {self._process.returncode}:\n{self.log_tail()}"
                )
            try:
                client = IMAPClient(self.host, port=self.port, ssl=False, timeout=5)
                try:
                    client.login("probe", self._users["probe"])
                finally:
                    with suppress(Exception):
                        client.logout()
                return
            except Exception as exc:
                last_error = f"{type(exc).__name__}: {exc}"
                time.sleep(0.1)
        raise ServerStartError(
            f"dovecot on {self.host}:{self.port} not answering a login after {timeout:.0f}s "
            f"({last_error}):\n{self.log_tail()}"
        )

    def _kill(self) -> None:
        process = self._process
        if process is None:
            return
        self._process = None
        if process.poll() is None:
            # SIGTERM to the master lets it stop its children cleanly.
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        # Children that outlived their master (e.g. a busy imap process) are in
        # the session we started; nothing else is.
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)

    def stop(self) -> None:
        with self._lock:
            self._kill()

    def restart(self) -> None:
        """Stop and start again on the same port, keeping users and mail."""
        with self._lock:
            self._kill()
            self.start(keep_port=True)

    @property
    def ca_file(self) -> str | None:
        return str(self.cert.cert) if self.cert is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    # -- users and storage ------------------------------------------------------

    def add_user(self, username: str | None = None, password: str | None = None) -> ImapAccount:
        """A new user, ready to log in.

        Dovecot looks at a changed passwd-file at most about once a second, so
        users are written in batches ahead of need and handed out from that
        pool; a user with a chosen name waits until Dovecot knows it.
        """
        if username is None and password is None:
            if not self._pool:
                self._fill_pool()
            username, password = self._pool.pop()
            return ImapAccount(server=self, username=username, password=password)
        username = username or f"user{secrets.token_hex(4)}"
        password = password or secrets.token_urlsafe(12)
        self._users[username] = password
        self._write_users()
        self._wait_for_login(username, password)
        return ImapAccount(server=self, username=username, password=password)

    def _fill_pool(self, size: int = 50) -> None:
        fresh = [(f"user{secrets.token_hex(4)}", secrets.token_urlsafe(12)) for _ in range(size)]
        self._users.update(fresh)
        self._write_users()
        self._wait_for_login(*fresh[-1])
        self._pool.extend(fresh)

    def _wait_for_login(self, username: str, password: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                client = IMAPClient(self.host, port=self.port, ssl=False, timeout=5)
                try:
                    client.login(username, password)
                    return
                finally:
                    with suppress(Exception):
                        client.logout()
            except Exception as exc:
                if time.monotonic() > deadline:
                    raise ServerStartError(
                        f"Dovecot did not accept new user {username} within {timeout:.0f}s: "
                        f"{exc}\n{self.log_tail()}"
                    ) from exc
                time.sleep(0.2)

    def maildir_of(self, username: str) -> Path:
        return self.mail_root / username / "Maildir"

    def reset_inbox_uids(self, username: str) -> None:
        """Drop Dovecot's uid list and indexes for the INBOX so it renumbers.

        Dovecot then assigns a new UIDVALIDITY from its per-user counter
        (dovecot-uidvalidity) and UIDs from 1. Only safe while no IMAP session
        of that user is open; the test helpers close theirs after each call.
        """
        maildir = self.maildir_of(username)
        for path in maildir.iterdir():
            if path.is_file() and (
                path.name == "dovecot-uidlist" or path.name.startswith("dovecot.index")
            ):
                path.unlink()


# --------------------------------------------------------------------------- SMTP


@dataclass(frozen=True)
class ReceivedMessage:
    """One message aiosmtpd accepted."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    message_id: str | None
    mail_options: tuple[str, ...] = ()  # MAIL FROM parameters (SMTPUTF8, BODY=8BITMIME)

    @property
    def message(self) -> email.message.EmailMessage:
        parsed = email.message_from_bytes(self.raw, policy=email.policy.default)
        assert isinstance(parsed, email.message.EmailMessage)
        return parsed


@dataclass
class _Failure:
    code: int
    text: str
    at: str
    times: int


@dataclass
class RecordingHandler:
    """aiosmtpd handler: records accepted mail, answers scripted failures first."""

    messages: list[ReceivedMessage] = field(default_factory=list)
    failures: list[_Failure] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _scripted(self, at: str) -> str | None:
        with self.lock:
            for failure in self.failures:
                if failure.at == at and failure.times > 0:
                    failure.times -= 1
                    return f"{failure.code} {failure.text}"
        return None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        answer = self._scripted("rcpt")
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        answer = self._scripted("data")
        if answer:
            return answer
        raw = bytes(envelope.original_content or envelope.content)
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        with self.lock:
            self.messages.append(
                ReceivedMessage(
                    mail_from=envelope.mail_from,
                    rcpt_tos=tuple(envelope.rcpt_tos),
                    mail_options=tuple(envelope.mail_options),
                    raw=raw,
                    message_id=parsed["Message-ID"],
                )
            )
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on 127.0.0.1 with a recording, scriptable handler."""

    host = LOOPBACK

    def __init__(
        self, *, cert: ServerCert | None = None, tls: str = "none", smtputf8: bool = False
    ) -> None:
        """`tls`: "none", "starttls" (offered, not required) or "tls" (implicit), with `cert`.

        `smtputf8`: offer SMTPUTF8 (RFC 6531); off by default, as on many relays."""
        self.smtputf8 = smtputf8
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import SMTP

        self.handler = RecordingHandler()
        self._credentials: tuple[str, str] | None = None
        self._sessions: list[SMTP] = []
        outer = self

        class _Controller(Controller):
            def factory(self) -> SMTP:
                smtp = super().factory()
                outer._sessions.append(smtp)
                return smtp

        self._controller_class = _Controller
        self._controller: Controller | None = None
        self.port = 0
        self.tls = tls
        if tls not in ("none", "starttls", "tls") or (tls != "none" and cert is None):
            raise ValueError("tls must be none, starttls or tls; the last two need a cert")
        self._tls_kwargs: dict[str, Any] = {}
        if tls == "starttls":
            assert cert is not None
            self._tls_kwargs = {"tls_context": cert.server_context(), "require_starttls": False}
        elif tls == "tls":
            assert cert is not None
            self._tls_kwargs = {"ssl_context": cert.server_context()}

    @property
    def sessions_seen(self) -> list[Any]:
        """One entry per client connection accepted so far (across restarts)."""
        return list(self._sessions)

    @property
    def messages(self) -> list[ReceivedMessage]:
        with self.handler.lock:
            return list(self.handler.messages)

    def _authenticator(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        ok = (
            self._credentials is not None
            and isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == self._credentials[0]
            and auth_data.password.decode() == self._credentials[1]
        )
        # handled=False: let aiosmtpd answer 535 itself (True would mean we had).
        return AuthResult(success=ok, handled=False)

    def start(self, *, keep_port: bool = False) -> None:
        last: Exception | None = None
        for _ in range(1 if keep_port else 3):
            if not keep_port or not self.port:
                self.port = free_port()
            controller = self._controller_class(
                self.handler,
                hostname=LOOPBACK,
                port=self.port,
                # Plain-text AUTH is fine on loopback; it is what we test.
                auth_require_tls=False,
                auth_required=self._credentials is not None,
                authenticator=self._authenticator,
                enable_SMTPUTF8=self.smtputf8,
                ready_timeout=10.0,
                **self._tls_kwargs,
            )
            before = len(self._sessions)
            try:
                controller.start()
            except OSError as exc:  # port raced away between free_port() and bind
                last = exc
                with suppress(Exception):
                    controller.stop(no_assert=True)
                continue
            # start() opens one connection of its own to see the server answer.
            del self._sessions[before:]
            self._controller = controller
            return
        raise ServerStartError(f"aiosmtpd did not start on {LOOPBACK}:{self.port}: {last}")

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def restart(self) -> None:
        self.stop()
        self.start(keep_port=True)

    def fail_next(self, code: int, text: str, *, times: int = 1, at: str = "data") -> None:
        """Answer the next `times` DATA (or RCPT, with at="rcpt") commands with `code text`."""
        if at not in ("data", "rcpt"):
            raise ValueError("at must be 'data' or 'rcpt'")
        with self.handler.lock:
            self.handler.failures.append(_Failure(code, text, at, times))

    def require_auth(self, username: str, password: str) -> None:
        """From now on, refuse MAIL before AUTH PLAIN/LOGIN with these credentials."""
        self._credentials = (username, password)
        if self._controller is not None:
            self._controller.SMTP_kwargs["auth_required"] = True

    def drop_connections(self) -> None:
        """Close every open client connection from the server side, as an idle timeout does."""
        controller = self._controller
        if controller is None:
            return
        done = threading.Event()

        def close_all() -> None:
            for smtp in self._sessions:
                if smtp.transport is not None:
                    smtp.transport.close()
            done.set()

        controller.loop.call_soon_threadsafe(close_all)
        done.wait(5)
        # Let the loop finish closing the sockets before the test goes on.
        time.sleep(0.05)


def make_root(prefix: str) -> Path:
    """A private temp folder with a short path (unix socket paths are limited to ~107 bytes)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
