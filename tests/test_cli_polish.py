"""The CLI as the organiser reads it: decoded replies, escaped mail, clear errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from inbox_worker.desk.followup import printable
from inbox_worker.store import Store
from tests import mailfactory
from tests.localdesk import LocalDesk


def invoke(*args: str, **kw: object) -> tuple[int, str, str, bytes]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False, **kw)  # type: ignore[arg-type]
    return result.exit_code, result.stdout, result.stderr, result.stdout_bytes


@pytest.fixture
def desk(tmp_path: Path) -> LocalDesk:
    desk = LocalDesk(tmp_path)
    desk.deliver(mailfactory.inquiry_nl(1))
    desk.run()
    return desk


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain, ë and 😀\n\tindented", "plain, ë and 😀\n\tindented"),
        ("\x1b]52;c;ZXZpbA==\x07", "\\x1b]52;c;ZXZpbA==\\x07"),  # write the clipboard
        ("\x1b]0;title\x1b\\", "\\x1b]0;title\\x1b\\"),  # set the window title
        ("a\rb\x08\x7f\x9b2J", "a\\x0db\\x08\\x7f\\x9b2J"),
        ("evil\u202etxt.exe", "evil\\u202etxt.exe"),  # right-to-left override
    ],
)
def test_printable_escapes_what_a_terminal_would_obey(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_replies_show_decodes_and_raw_gives_the_bytes(desk: LocalDesk) -> None:
    config = str(desk.config_path)
    code, out, _, _ = invoke("--config", config, "replies", "show", "1")
    assert code == 0
    assert out.startswith("Status: sent\nFrom: ")
    assert "Subject: Re: Vraag over de workshop Co-creëren met de samenleving\n" in out
    assert "Co-creëren" in out.split("\n\n", 1)[1]  # the text, not =C3=AB
    assert "=C3=AB" not in out and "=?utf-8?" not in out
    assert "Attached: text/calendar" not in out  # an inquiry reply carries no invite
    _, _, _, raw = invoke("--config", config, "replies", "show", "1", "--raw")
    with Store(desk.database) as store:
        assert raw == store.reply(1)["body"]


def test_messages_show_escapes_terminal_control_sequences(desk: LocalDesk) -> None:
    hostile = mailfactory.inquiry_nl(2).replace(
        b"Goedemiddag,", b"Goedemiddag \x1b]52;c;ZXZpbA==\x07\x1b[2J,"
    )
    desk.deliver(hostile)
    desk.run()
    code, out, _, _ = invoke("--config", str(desk.config_path), "messages", "show", "2")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "Goedemiddag \\x1b]52;c;ZXZpbA==\\x07\\x1b[2J," in out
    code, _, _, raw = invoke("--config", str(desk.config_path), "messages", "show", "2", "--raw")
    assert b"\x1b]52;c;" in raw


def test_watch_prints_the_time_of_every_pass(
    desk: LocalDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    import inbox_worker.commands.run as cli_mod

    now = [0.0]

    def sleep(seconds: float) -> None:  # a watch of two passes, without the wait
        now[0] += seconds
        if now[0] > 1.5:
            raise KeyboardInterrupt

    monkeypatch.setattr(cli_mod.time, "sleep", sleep)
    monkeypatch.setattr(cli_mod.time, "monotonic", lambda: now[0])
    desk.deliver(mailfactory.inquiry_en(2))
    result = CliRunner().invoke(
        cli, ["--config", str(desk.config_path), "watch", "--interval", "1"]
    )
    assert result.exit_code == 130
    lines = result.stderr.splitlines()
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"
    assert re.fullmatch(rf"{stamp} 1 new, 1 inquiry, 1 reply sent", lines[0]), lines
    assert re.fullmatch(rf"{stamp} 0 new", lines[1]), lines


def _point_database_at(desk: LocalDesk, database: str) -> str:
    text = desk.config_path.read_text(encoding="utf-8")
    desk.config_path.write_text(
        text.replace("[replies]", f'[storage]\ndatabase = "{database}"\n\n[replies]'),
        encoding="utf-8",
    )
    return str(desk.config_path)


def _folder(p: Path) -> None:
    p.mkdir()


def _zip(p: Path) -> None:
    p.write_bytes(b"PK\x03\x04 a zip, not SQLite" * 100)


def _file_for_folder(p: Path) -> None:
    p.parent.write_text("x")


@pytest.mark.parametrize(
    ("make", "where", "reason"),
    [
        (_folder, "db", "a folder, not a database file"),
        (_zip, "leads.zip", "not an SQLite database"),
        (_file_for_folder, "blocker/leads.db", "blocker is a file, not a folder"),
    ],
    ids=["a folder", "another file", "a file where its folder should be"],
)
def test_a_database_path_that_cannot_work_is_one_line_and_doctor_says_so(
    tmp_path: Path, make: Callable[[Path], None], where: str, reason: str
) -> None:
    desk = LocalDesk(tmp_path)
    target = tmp_path / where
    make(target)
    config = _point_database_at(desk, where)
    for command in (["leads", "list"], ["poll"], ["stats"]):
        code, out, err, _ = invoke("--config", config, *command)
        assert code == 1, (command, out, err)
        assert err.startswith(f"Error: database {target}: ") and reason in err, err
        assert len(err.splitlines()) == 1
    code, out, _, _ = invoke("--config", config, "doctor")
    assert code == 1
    [line] = [x for x in out.splitlines() if x.split()[1] == "database"]
    assert line.startswith("FAIL") and reason in line


def test_doctor_checks_the_database_without_creating_it(tmp_path: Path) -> None:
    desk = LocalDesk(tmp_path)
    _, out, _, _ = invoke("--config", str(desk.config_path), "doctor")
    assert f"ok    database   {desk.database} does not exist yet" in out
    assert not desk.database.exists()
    desk.deliver(mailfactory.inquiry_nl(1))
    desk.run()
    _, out, _, _ = invoke("--config", str(desk.config_path), "doctor")
    assert f"ok    database   {desk.database}: 1 lead\n" in out


def test_templates_copy_writes_the_built_in_set_and_doctor_names_the_overrides(
    tmp_path: Path,
) -> None:
    from inbox_worker.writing.render import default_template_dir

    desk = LocalDesk(tmp_path)
    config = str(desk.config_path)
    _, out, _, _ = invoke("--config", config, "doctor")
    [line] = [x for x in out.splitlines() if x.split()[1] == "overrides"]
    assert f"every template is built-in ({default_template_dir()})" in line
    assert "templates copy DIR" in line

    code, out, _, _ = invoke("templates", "copy", str(tmp_path / "mine"))
    assert code == 0, out
    builtin = sorted(
        p.relative_to(default_template_dir()) for p in default_template_dir().rglob("*.j2")
    )
    assert (
        sorted(p.relative_to(tmp_path / "mine") for p in (tmp_path / "mine").rglob("*.j2"))
        == builtin
    )
    assert out.startswith(f"Wrote {len(builtin)} templates from ")
    code, _, err, _ = invoke("templates", "copy", str(tmp_path / "mine"))
    assert code == 1 and "use --force to overwrite" in err
    assert invoke("templates", "copy", str(tmp_path / "mine"), "--force")[0] == 0

    # Keep one changed text, drop the rest: doctor names the one in use.
    for path in (tmp_path / "mine").rglob("*.j2"):
        if path.relative_to(tmp_path / "mine").as_posix() != "nl/inquiry.txt.j2":
            path.unlink()
    (tmp_path / "mine" / "nl" / "inquiry.txt.j2").write_text(
        (default_template_dir() / "nl" / "inquiry.txt.j2").read_text(encoding="utf-8")
        + "\nGroet!\n",
        encoding="utf-8",
    )
    text = desk.config_path.read_text(encoding="utf-8")
    desk.config_path.write_text(
        text.replace("[replies]\n", '[replies]\ntemplates = "mine"\n'), encoding="utf-8"
    )
    code, out, _, _ = invoke("--config", config, "doctor")
    assert code == 0, out
    [line] = [x for x in out.splitlines() if x.split()[1] == "overrides"]
    assert f"{tmp_path / 'mine'}: yours replace nl/inquiry.txt.j2; the rest built-in" in line


def test_leads_show_escapes_control_characters_from_mail(tmp_path: Path) -> None:
    """A stored name or organisation with a terminal escape in it (read from a
    signature, say) is shown escaped, as messages show does."""
    from sqlite_utils import Database

    invoke("demo", "--dir", str(tmp_path / "d"))
    config = str(tmp_path / "d" / "config.toml")
    db = Database(tmp_path / "d" / "leads.db")
    db["leads"].update(1, {"name": "Evil\x1b]0;pwned\x07", "organisation": "Org\x1b[2J"})
    db.conn.commit()
    code, out, *_ = invoke("--config", config, "leads", "show", "1")
    assert code == 0
    assert "\x1b" not in out and "\\x1b" in out


def test_the_log_file_shows_control_characters_escaped() -> None:
    """A name or subject from mail cannot hide terminal escapes in --log-file."""
    import logging

    from cli import _FileFormatter

    record = logging.LogRecord("inbox_worker", logging.INFO, "", 0, "from Evil\x1b]0;x\x07", (), None)
    assert _FileFormatter("%(message)s").format(record) == "from Evil\\x1b]0;x\\x07"
