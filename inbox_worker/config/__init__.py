"""Configuration: config.toml as immutable records (DESIGN.md §7).

`records` defines what a configuration is, one NamedTuple per section;
`loading` finds the file (--config, $INBOX_WORKER_CONFIG, ./config.toml),
checks every key and builds the records. Every other module imports from
here: `from inbox_worker.config import Config, load`.
"""

from .loading import find_config_path, load, parse
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

__all__ = [
    "AUTH_CHOICES",
    "DEFAULT_PATH",
    "ENV_VAR",
    "GOOGLE_AUTHORIZE_URL",
    "GOOGLE_SCOPES",
    "GOOGLE_TOKEN_URL",
    "LANGUAGES",
    "MICROSOFT_LOGIN",
    "MICROSOFT_SCOPES",
    "OAUTH2_PROVIDERS",
    "REPLY_MODES",
    "SECURITY_CHOICES",
    "WORKSHOP_TEXTS",
    "Config",
    "ImapConfig",
    "OAuth2Config",
    "OrganiserConfig",
    "RepliesConfig",
    "Secret",
    "SessionConfig",
    "SmtpConfig",
    "SourceConfig",
    "StorageConfig",
    "TransportConfig",
    "WorkshopConfig",
    "find_config_path",
    "is_loopback",
    "load",
    "parse",
]
