"""The few exceptions the engine raises on purpose.

Every one carries a message fit to show the organiser as one line; cli.py is
the only place that turns them into output and exit codes.
"""


class InboxWorkerError(Exception):
    """Base class: something the user must act on."""


class ConfigError(InboxWorkerError):
    """The config file is missing, unreadable, or has a wrong or unknown key."""


class SecretError(ConfigError):
    """A password or token could not be obtained (env var unset, command failed)."""


class ConnectionFailed(InboxWorkerError):
    """An IMAP or SMTP server could not be reached or refused us."""


class LoginFailed(ConnectionFailed):
    """An IMAP or SMTP server refused the login (password or OAuth2 token)."""


class TemplateError(InboxWorkerError):
    """A reply template is missing or does not render."""


class DeliveryError(InboxWorkerError):
    """An SMTP server refused a message.

    `permanent` is True for 5xx answers: retrying will not help.
    """

    def __init__(self, message: str, *, permanent: bool, code: int | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.code = code


class NotFound(InboxWorkerError):
    """A lead, reply, message or session named on the command line does not exist."""


class AuthError(InboxWorkerError):
    """OAuth2 sign-in failed, or the identity provider refused a token request."""


class NotSignedIn(AuthError):
    """No OAuth2 tokens are stored yet: `inbox-worker auth login` has not been run."""


class AuthExpired(AuthError):
    """The refresh token was refused (expired, revoked, password reset, unused too long).

    Only a new `inbox-worker auth login` helps; the message says so in one line
    because under cron it is what the organiser receives by mail.
    """

    def __init__(self, user: str) -> None:
        super().__init__(
            f"OAuth2 sign-in for {user} has expired or was revoked; run 'inbox-worker auth login'"
        )
        self.user = user


def one_line(exc: BaseException) -> str:
    """An exception as one line, e.g. the reason a quarantined message keeps."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:500]
