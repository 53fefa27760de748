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
