"""Config loading: the example loads, and every mistake names the file and the key."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from inbox_worker import config as config_mod
from inbox_worker.errors import ConfigError, SecretError

ROOT = Path(__file__).parents[1]

MINIMAL = """
[organiser]
name = "Org"
email = "Workshops@Example.org"

[workshop]
title = "Co-creëren"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_loads_with_every_section() -> None:
    cfg = config_mod.load(ROOT / "config.example.toml")
    assert cfg.source.kind == "maildir"
    assert cfg.source.path == ROOT / "mail"  # relative to the config file
    assert cfg.transport.kind == "file"
    assert cfg.imap is not None and cfg.imap.port == 993 and cfg.imap.security == "tls"
    assert cfg.smtp is not None and cfg.smtp.sent_folder == "auto"
    assert cfg.replies.mode == "send" and cfg.replies.min_days_between == 7
    assert [s.location for s in cfg.workshop.sessions] == ["Utrecht", "Zwolle", "online"]
    assert all(s.starts.tzinfo is not None for s in cfg.workshop.sessions)


def test_defaults_make_the_embedded_default_need_only_paths(tmp_path: Path) -> None:
    text = MINIMAL + '[source]\npath = "mail"\n[transport]\npath = "out"\n'
    cfg = config_mod.load(write(tmp_path, text))
    assert cfg.organiser.email == "workshops@example.org"
    assert cfg.storage.database == tmp_path / "leads.db"
    assert cfg.imap is None and cfg.smtp is None
    assert cfg.transport.path == tmp_path / "out"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("[imap]\nhots = 'x'\n", "unknown key [imap] hots"),
        ("[replies]\nmode = 'loud'\n", "[replies] mode: expected one of"),
        (
            "[replies]\nmin_days_between = 'seven'\n",
            "[replies] min_days_between: expected an integer",
        ),
        ("[frobnicate]\n", "unknown section [frobnicate]"),
        ("[source]\nkind = 'maildir'\n", "[source] path: required"),
        (
            "[source]\nkind='imap'\n[imap]\nhost='mail.example.org'\nusername='u'\n"
            "password_env='P'\nsecurity='none'\n",
            '[imap] security: "none" is only allowed for a loopback host',
        ),
        (
            "[source]\nkind='imap'\n[imap]\nhost='h'\nusername='u'\npassword='hunter2'\n",
            "[imap] password: passwords are never read from the config file",
        ),
        ("[source]\nkind='imap'\n[imap]\nhost='h'\nusername='u'\n", "[imap] password_env: set"),
        (
            "[[workshop.sessions]]\nid='a'\nstarts=2027-04-13T09:30:00+01:00\n"
            "ends=2027-04-13T16:30:00\nlocation='x'\ncapacity=3\n",
            "[workshop.sessions #1] starts: session 'a': 2027-04-13T09:30:00+01:00 is 10:30",
        ),
    ],
)
def test_errors_name_file_and_key(tmp_path: Path, extra: str, expected: str) -> None:
    text = MINIMAL + extra
    if "[source]" not in extra:
        text += '[source]\npath = "mail"\n'
    if "[transport]" not in extra:
        text += '[transport]\npath = "out"\n'
    # [[workshop.sessions]] must follow [workshop]; MINIMAL ends with it only when no other
    # table comes in between, so put sessions cases straight after it.
    if extra.startswith("[[workshop"):
        text = MINIMAL + extra + '[source]\npath = "mail"\n[transport]\npath = "out"\n'
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        config_mod.load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "\n" not in message
    assert "hunter2" not in message


def test_missing_file_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"config file not found \(run 'inbox-worker init'"):
        config_mod.load(tmp_path / "nope.toml")


def test_invalid_toml_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        config_mod.load(write(tmp_path, "[organiser\n"))


def test_secret_from_env_and_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = config_mod.Secret(file=tmp_path / "c.toml", section="imap", env="IW_TEST_PW")
    monkeypatch.delenv("IW_TEST_PW", raising=False)
    with pytest.raises(
        SecretError, match=r"\[imap\] password_env: environment variable IW_TEST_PW"
    ):
        secret.resolve()
    monkeypatch.setenv("IW_TEST_PW", "s3cret")
    assert secret.resolve() == "s3cret"

    command = config_mod.Secret(
        file=tmp_path / "c.toml", section="smtp", command="echo pw-from-cmd"
    )
    assert command.resolve() == "pw-from-cmd"
    failing = config_mod.Secret(file=tmp_path / "c.toml", section="smtp", command="false")
    with pytest.raises(SecretError, match=r"\[smtp\] password_command: exited 1"):
        failing.resolve()


def test_sessions_sorted_by_start(tmp_path: Path) -> None:
    text = (
        MINIMAL + "[[workshop.sessions]]\nid='late'\nstarts=2027-03-10T09:30:00+01:00\n"
        "ends=2027-03-10T16:30:00+01:00\nlocation='online'\ncapacity=20\n"
        "[[workshop.sessions]]\nid='early'\nstarts=2027-01-12T09:30:00+01:00\n"
        "ends=2027-01-12T16:30:00+01:00\nlocation='Utrecht'\ncapacity=16\n"
        '[source]\npath = "mail"\n[transport]\npath = "out"\n'
    )
    cfg = config_mod.load(write(tmp_path, text))
    assert [s.id for s in cfg.workshop.sessions] == ["early", "late"]
    assert cfg.workshop.sessions[0].starts == datetime.fromisoformat("2027-01-12T09:30:00+01:00")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_plaintext_allowed_on_loopback(tmp_path: Path, host: str) -> None:
    text = (
        MINIMAL + f"[source]\nkind='imap'\n[imap]\nhost='{host}'\nusername='u'\npassword_env='P'\n"
        "security='none'\nport=1143\n[transport]\npath='out'\n"
    )
    cfg = config_mod.load(write(tmp_path, text))
    assert cfg.imap is not None and cfg.imap.security == "none" and cfg.imap.port == 1143


OAUTH_IMAP = (
    "[source]\nkind='imap'\n[imap]\nhost='outlook.office365.com'\n"
    "username='workshops@gemeente.nl'\nauth='oauth2'\n[transport]\npath='out'\n"
)


def test_oauth2_microsoft_defaults_need_only_a_client_id(tmp_path: Path) -> None:
    text = MINIMAL + OAUTH_IMAP + "[oauth2]\nclient_id = 'abc'\n"
    cfg = config_mod.load(write(tmp_path, text))
    assert cfg.imap is not None and cfg.imap.auth == "oauth2"
    assert not cfg.imap.password.configured  # no password needed
    assert cfg.uses_oauth2
    o = cfg.oauth2
    assert o is not None and o.provider == "microsoft" and o.tenant == "organizations"
    assert o.scopes == (
        "https://outlook.office.com/IMAP.AccessAsUser.All",
        "https://outlook.office.com/SMTP.Send",
        "offline_access",
    )
    assert o.authority == "https://login.microsoftonline.com/organizations"
    assert o.token_url == "https://login.microsoftonline.com/organizations/oauth2/v2.0/token"
    assert o.token_cache == tmp_path / "oauth2-tokens.json"


def test_oauth2_google_and_generic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        MINIMAL + OAUTH_IMAP + "[oauth2]\nprovider='google'\nclient_id='x.apps'\n"
        "client_secret_env='IW_GOOGLE_SECRET'\ntenant='ignored'\ntoken_cache='secret/t.json'\n"
    )
    cfg = config_mod.load(write(tmp_path, text))
    o = cfg.oauth2
    assert o is not None and o.scopes == ("https://mail.google.com/",)
    assert o.token_url == "https://oauth2.googleapis.com/token"
    assert o.authorize_url == "https://accounts.google.com/o/oauth2/v2/auth"
    assert o.device_authorization_url is None  # Google's device flow refuses the Gmail scope
    assert o.token_cache == tmp_path / "secret" / "t.json"
    monkeypatch.delenv("IW_GOOGLE_SECRET", raising=False)
    with pytest.raises(SecretError, match=r"\[oauth2\] client_secret_env: environment variable"):
        o.client_secret()
    monkeypatch.setenv("IW_GOOGLE_SECRET", "GOCSPX-x")
    assert o.client_secret() == "GOCSPX-x"

    text = (
        MINIMAL + OAUTH_IMAP + "[oauth2]\nprovider='generic'\nclient_id='c'\nscopes=['mail']\n"
        "token_url='https://idp.example/token'\n"
        "device_authorization_url='https://idp.example/device'\n"
    )
    o = config_mod.load(write(tmp_path, text)).oauth2
    assert o is not None and o.scopes == ("mail",) and o.authorize_url is None


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("", '[imap] auth: "oauth2" needs an [oauth2] section'),
        ("[oauth2]\nclient_id='c'\nclientid='d'\n", "unknown key [oauth2] clientid"),
        ("[oauth2]\nclient_id='c'\nclient_secret='hunter2'\n", "[oauth2] client_secret: secrets"),
        ("[oauth2]\nprovider='yahoo'\nclient_id='c'\n", "[oauth2] provider: expected one of"),
        ("[oauth2]\n", "[oauth2] client_id: required"),
        ("[oauth2]\nclient_id='c'\nscopes='a b'\n", "[oauth2] scopes: expected a list"),
        ("[oauth2]\nprovider='generic'\nclient_id='c'\n", "[oauth2] token_url: required"),
        (
            "[oauth2]\nprovider='generic'\nclient_id='c'\nscopes=['s']\ntoken_url='https://t'\n",
            '[oauth2] device_authorization_url: provider = "generic" needs',
        ),
        (
            "[oauth2]\nclient_id='c'\nauthority='http://login.example/x'\n",
            "[oauth2] authority: must be an https:// URL",
        ),
    ],
)
def test_oauth2_errors_name_file_and_key(tmp_path: Path, extra: str, expected: str) -> None:
    path = write(tmp_path, MINIMAL + OAUTH_IMAP + extra)
    with pytest.raises(ConfigError) as info:
        config_mod.load(path)
    assert str(info.value).startswith(f"{path}: ")
    assert expected in str(info.value)
    assert "hunter2" not in str(info.value)


def test_smtp_oauth2_needs_a_username(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + OAUTH_IMAP.replace("[transport]\npath='out'\n", "")
        + (
            "[oauth2]\nclient_id='c'\n[transport]\nkind='smtp'\n[smtp]\nhost='smtp.office365.com'\n"
            "auth='oauth2'\n"
        )
    )
    with pytest.raises(ConfigError, match=r'\[smtp\] username: required with auth = "oauth2"'):
        config_mod.load(write(tmp_path, text))
