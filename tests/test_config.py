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
            "[[workshop.sessions]]\nid='a'\nstarts=2027-01-12T09:30:00\n"
            "ends=2027-01-12T16:30:00+01:00\nlocation='x'\ncapacity=3\n",
            "[workshop.sessions #1] starts: needs a UTC offset",
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
