"""The SMTP edge: the only module that imports smtplib, plus the file outbox.

A `Transport` sends one `EmailMessage` to its one recipient. `SmtpTransport`
talks to a real server (implicit TLS, STARTTLS, or plain text on loopback
only), connects on the first send, reuses that connection for the sends that
follow and reconnects once when the server has dropped it in between.
Failures come out as `DeliveryError`: `permanent=True` for a 5xx answer
(retrying will not help), `permanent=False` for a 4xx answer and for any
connection trouble. Connection trouble and refused logins are raised as
`SmtpConnectionFailed`, which is both a `DeliveryError` (temporary) and a
`ConnectionFailed`, so the worker can stop its delivery pass early: the next
message would fail the same way. `FileOutbox` is the embedded default: it
writes each message as an .eml file in a folder instead of sending it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import smtplib
import ssl
import tempfile
from collections.abc import Callable
from contextlib import suppress
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import Protocol

from ..config import SECURITY_CHOICES, is_loopback
from ..errors import ConnectionFailed, DeliveryError, InboxWorkerError, LoginFailed
from ..writing.idn import ascii_address

__all__ = [
    "FileOutbox",
    "SmtpConnectionFailed",
    "SmtpLoginFailed",
    "SmtpTransport",
    "Transport",
]

log = logging.getLogger(__name__)


class Transport(Protocol):
    def send(self, msg: EmailMessage) -> None:
        """Deliver `msg` to its one To address; raise DeliveryError when that fails."""
        ...

    def close(self) -> None:
        """Let go of any connection; safe to call twice."""
        ...


class SmtpConnectionFailed(DeliveryError, ConnectionFailed):
    """The SMTP server could not be reached, dropped us, or refused the login.

    Always temporary for the message at hand; the cause is the server or the
    config, not this message.
    """

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message, permanent=False, code=code)


class SmtpLoginFailed(SmtpConnectionFailed, LoginFailed):
    """The SMTP server refused our password or OAuth2 token."""


def _envelope(msg: EmailMessage) -> tuple[str, str]:
    """Envelope sender and the single recipient, taken from the headers."""
    senders = [addr for _name, addr in getaddresses(msg.get_all("From", [])) if addr]
    recipients = [addr for _name, addr in getaddresses(msg.get_all("To", [])) if addr]
    if len(senders) != 1:
        raise ValueError(f"a reply needs exactly one From address, got {senders!r}")
    if len(recipients) != 1 or msg.get_all("Cc") or msg.get_all("Bcc"):
        # One recipient per message is a safety rule (DESIGN.md 5): a template
        # bug must never turn a reply into a mailing.
        raise ValueError(f"a reply goes to exactly one recipient, got To {recipients!r}")
    return senders[0], recipients[0]


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


class SmtpTransport:
    """Sends over one reused SMTP connection; see the module docstring for errors."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        security: str,
        username: str | None = None,
        password: str | None = None,
        ca_file: str | None = None,
        timeout: float = 30.0,
        local_hostname: str | None = None,
        oauth2_token: str | Callable[[], str] | None = None,
    ) -> None:
        """`oauth2_token` (a token, or a function that returns a fresh one at each
        connect) makes the login SASL XOAUTH2 as `username` instead of a password."""
        if security not in SECURITY_CHOICES:
            raise ValueError(
                f"SMTP security must be one of {', '.join(SECURITY_CHOICES)}, not {security!r}"
            )
        if security == "none" and not is_loopback(host):
            raise ConnectionFailed(
                f'refusing plain-text SMTP to {host}:{port}: security = "none" is only '
                'allowed for a loopback address; use "tls" or "starttls"'
            )
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self._password = password
        self._ca_file = ca_file
        self._oauth2_token = oauth2_token
        self.timeout = timeout
        self.local_hostname = local_hostname
        self._conn: smtplib.SMTP | None = None

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self._ca_file)

    def _connect(self) -> smtplib.SMTP:
        conn: smtplib.SMTP | None = None
        try:
            if self.security == "tls":
                conn = smtplib.SMTP_SSL(
                    self.host,
                    self.port,
                    local_hostname=self.local_hostname,
                    timeout=self.timeout,
                    context=self._context(),
                )
            else:
                conn = smtplib.SMTP(
                    self.host, self.port, local_hostname=self.local_hostname, timeout=self.timeout
                )
            conn.ehlo()
            if self.security == "starttls":
                if not conn.has_extn("starttls"):
                    raise SmtpConnectionFailed(f"SMTP server {self.where} does not offer STARTTLS")
                conn.starttls(context=self._context())
                conn.ehlo()
            if self.username and self._oauth2_token is not None:
                self._xoauth2(conn, self.username)
            elif self.username:
                conn.login(self.username, self._password or "")
        except smtplib.SMTPAuthenticationError as exc:
            self._abandon(conn)
            raise SmtpLoginFailed(
                f"SMTP login failed for {self.username} at {self.where}: "
                f"{exc.smtp_code} {_text(exc.smtp_error)}",
                code=exc.smtp_code,
            ) from exc
        except SmtpConnectionFailed:
            self._abandon(conn)
            raise
        except InboxWorkerError as exc:
            # No token to be had (sign-in expired, provider unreachable): the
            # server is out of reach for this pass, no reply is at fault.
            self._abandon(conn)
            raise SmtpConnectionFailed(str(exc)) from exc
        except smtplib.SMTPNotSupportedError as exc:
            self._abandon(conn)
            raise SmtpConnectionFailed(
                f"SMTP server {self.where} does not support login: {exc}"
            ) from exc
        except smtplib.SMTPResponseException as exc:
            self._abandon(conn)
            raise SmtpConnectionFailed(
                f"SMTP server {self.where} refused the connection: "
                f"{exc.smtp_code} {_text(exc.smtp_error)}",
                code=exc.smtp_code,
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self._abandon(conn)
            raise SmtpConnectionFailed(
                f"cannot connect to SMTP server {self.where}: {_reason(exc)}"
            ) from exc
        log.debug("connected to SMTP server %s", self.where)
        return conn

    def _xoauth2(self, conn: smtplib.SMTP, user: str) -> None:
        """AUTH XOAUTH2 (the Gmail and Microsoft 365 SASL mechanism) with a bearer token."""
        token = self._oauth2_token() if callable(self._oauth2_token) else self._oauth2_token
        assert token is not None
        initial = f"user={user}\x01auth=Bearer {token}\x01\x01"

        def answer(challenge: bytes | None = None) -> str:
            # A 334 after our token carries the server's JSON error; the
            # mechanism wants an empty line back, then the server says 535.
            return initial if challenge is None else ""

        if not conn.has_extn("auth") or "XOAUTH2" not in conn.esmtp_features["auth"].upper():
            raise SmtpLoginFailed(f"SMTP server {self.where} does not offer AUTH XOAUTH2")
        # smtplib sends base64(answer()) on the AUTH line itself (RFC 4954 initial response).
        conn.auth("XOAUTH2", answer, initial_response_ok=True)

    @staticmethod
    def _abandon(conn: smtplib.SMTP | None) -> None:
        if conn is not None:
            with suppress(OSError):
                conn.close()

    def _alive(self, conn: smtplib.SMTP) -> bool:
        # Probing with NOOP before each reuse (rather than retrying a failed
        # send) means a message is never offered twice because the link broke
        # after the server had already taken it.
        try:
            code, _ = conn.noop()
        except (OSError, smtplib.SMTPException):
            return False
        return code == 250

    def _connection(self) -> smtplib.SMTP:
        if self._conn is not None and not self._alive(self._conn):
            log.debug("SMTP server %s closed the connection; reconnecting", self.where)
            self._abandon(self._conn)
            self._conn = None
        if self._conn is None:
            self._conn = self._connect()
        return self._conn

    def check(self) -> None:
        """Connect, EHLO and log in (for `doctor`); raise ConnectionFailed if any step fails."""
        self.close()
        self._conn = self._connect()

    def send(self, msg: EmailMessage) -> None:
        sender, recipient = _envelope(msg)
        conn = self._connection()
        if not conn.has_extn("smtputf8"):
            sender, recipient = self._ascii_envelope(msg, sender, recipient)
        try:
            refused = conn.send_message(msg, from_addr=sender, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = exc.recipients.get(recipient, (None, b""))
            raise _refusal(recipient, code, text, "refused the recipient") from exc
        except smtplib.SMTPSenderRefused as exc:
            if exc.smtp_code == 530:
                # "Authentication required": our config lacks a login; every
                # message would fail alike, and none of them is at fault.
                raise SmtpConnectionFailed(
                    f"SMTP server {self.where} requires a login: "
                    f"{exc.smtp_code} {_text(exc.smtp_error)}",
                    code=exc.smtp_code,
                ) from exc
            raise _refusal(recipient, exc.smtp_code, exc.smtp_error, "refused the sender") from exc
        except smtplib.SMTPDataError as exc:
            raise _refusal(recipient, exc.smtp_code, exc.smtp_error, "refused the message") from exc
        except smtplib.SMTPNotSupportedError as exc:
            # Raised before a byte of the message is sent (an address that needs
            # SMTPUTF8): this message is at fault, the connection is fine.
            raise DeliveryError(
                f"SMTP server {self.where} cannot take the message for {recipient}: {exc}",
                permanent=True,
            ) from exc
        except smtplib.SMTPServerDisconnected as exc:
            self._abandon(conn)
            self._conn = None
            raise SmtpConnectionFailed(
                f"SMTP server {self.where} closed the connection while sending to "
                f"{recipient}: {exc}"
            ) from exc
        except smtplib.SMTPResponseException as exc:
            raise _refusal(recipient, exc.smtp_code, exc.smtp_error, "refused") from exc
        except (OSError, smtplib.SMTPException) as exc:
            self._abandon(conn)
            self._conn = None
            raise SmtpConnectionFailed(
                f"lost connection to SMTP server {self.where} while sending to "
                f"{recipient}: {_reason(exc)}"
            ) from exc
        if refused:  # only possible with several recipients; kept for completeness
            code, text = refused[recipient]
            raise _refusal(recipient, code, text, "refused the recipient")
        log.debug("sent %s to %s via %s", msg["Message-ID"], recipient, self.where)

    def _ascii_envelope(self, msg: EmailMessage, sender: str, recipient: str) -> tuple[str, str]:
        """The envelope for a relay without SMTPUTF8 (RFC 6531): domains as IDNA.

        A domain in Unicode has an ASCII form every server takes; the To header
        follows it (replies queued before render() wrote A-labels carry an
        undeliverable RFC 2047 word there). A local part in Unicode has none:
        that one reply fails for good, as a DeliveryError, and the others go on.
        """
        try:
            ascii_sender = ascii_address(sender)
        except ValueError as exc:
            raise SmtpConnectionFailed(f"cannot send as {sender}: {exc}") from exc
        if not ascii_sender.isascii():
            # Every reply has this sender: the config, not a reply, is at fault.
            raise SmtpConnectionFailed(
                f"SMTP server {self.where} does not offer SMTPUTF8, which the sender "
                f"address {sender} needs: use an ASCII address or a relay with SMTPUTF8"
            )
        try:
            ascii_recipient = ascii_address(recipient)
        except ValueError as exc:
            raise DeliveryError(f"cannot send to {recipient}: {exc}", permanent=True) from exc
        if not ascii_recipient.isascii():
            raise DeliveryError(
                f"SMTP server {self.where} does not offer SMTPUTF8, which the address "
                f"{recipient} needs: its part before the @ is not ASCII and has no ASCII "
                "form; answer by hand from a mailbox that can send to it",
                permanent=True,
            )
        if ascii_recipient != recipient:
            name = next((n for n, _a in getaddresses(msg.get_all("To", []))), "")
            del msg["To"]
            msg["To"] = Address(display_name=name, addr_spec=ascii_recipient)
        return ascii_sender, ascii_recipient

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.quit()
        except (OSError, smtplib.SMTPException):
            self._abandon(conn)

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"certificate verification failed: {exc.verify_message}"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, TimeoutError):
        return "timed out"
    return str(exc) or type(exc).__name__


def _refusal(recipient: str, code: int | None, text: bytes | str, what: str) -> DeliveryError:
    """A DeliveryError whose permanence follows the reply code (5xx permanent, else not)."""
    detail = f"{code} {_text(text)}" if code is not None else _text(text)
    return DeliveryError(
        f"SMTP server {what} for {recipient}: {detail}",
        permanent=code is not None and 500 <= code < 600,
        code=code,
    )


# --------------------------------------------------------------------------- file outbox

_UNSAFE = re.compile(r"[^A-Za-z0-9._@+-]+")


def outbox_name(msg: EmailMessage) -> tuple[str, str]:
    """(date prefix, stable suffix) of the file that holds `msg` in a FileOutbox.

    The suffix depends only on the Message-ID (or, without one, the bytes),
    so a resend of the same reply replaces its earlier file.
    """
    message_id = (msg["Message-ID"] or "").strip()
    if message_id:
        suffix = _outbox_suffix(message_id)
    else:
        digest = hashlib.sha256(msg.as_bytes()).hexdigest()[:10]
        suffix = f"no-message-id-{digest}.eml"
    try:
        date = parsedate_to_datetime(str(msg["Date"])) if msg["Date"] else None
    except (TypeError, ValueError):
        date = None
    prefix = date.strftime("%Y%m%dT%H%M%S") if date else "00000000T000000"
    return prefix, suffix


def _outbox_suffix(message_id: str) -> str:
    message_id = message_id.strip()
    digest = hashlib.sha256(message_id.encode("utf-8", "replace")).hexdigest()[:10]
    readable = _UNSAFE.sub("_", message_id.strip("<>"))[:80].strip("._") or "message"
    # The hash keeps two ids apart that the readable part folds together.
    return f"{readable}-{digest}.eml"


class FileOutbox:
    """Writes each message as one .eml file in a folder instead of sending it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def remove(self, message_ids: list[str], address: str) -> int:
        """Delete the files of these replies, and any other addressed to `address` (an erase).

        Returns how many files went. The other files' headers are read to
        find mail to the address that the database no longer knows of.
        """
        from email.parser import BytesHeaderParser

        if not self.path.is_dir():
            return 0
        suffixes = tuple(_outbox_suffix(m) for m in message_ids if m)
        address = address.strip().lower()
        removed = 0
        for path in self.path.glob("*.eml"):
            mine = path.name.endswith(suffixes) if suffixes else False
            if not mine:
                try:
                    with path.open("rb") as f:
                        head = BytesHeaderParser().parse(f)
                    to = getaddresses([str(v) for v in head.get_all("to", [])])
                    mine = address in {a.lower() for _, a in to}
                except (OSError, ValueError, TypeError):
                    continue
            if mine:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def send(self, msg: EmailMessage) -> None:
        _envelope(msg)  # the same one-recipient rule as the real transport
        try:
            # Replies hold names and addresses: 0700 here, 0600 files (mkstemp).
            self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
            prefix, suffix = outbox_name(msg)
            target = self.path / f"{prefix}-{suffix}"
            data = msg.as_bytes()
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".eml", dir=self.path)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                # Readers (the organiser, the demo) never see half a message.
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            for older in self.path.glob(f"*-{suffix}"):
                if older != target:
                    older.unlink(missing_ok=True)
        except OSError as exc:
            raise DeliveryError(
                f"cannot write to the outbox folder {self.path}: {exc.strerror or exc}",
                permanent=False,
            ) from exc
        log.debug("wrote %s to %s", msg["Message-ID"], target)

    def close(self) -> None:
        pass
