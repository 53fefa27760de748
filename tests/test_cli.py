"""The command line on the embedded default (Maildir in, file outbox out): no servers."""

from __future__ import annotations

import json
import re
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from cli import cli
from inbox_worker.run.guard import run_lock
from tests import mailfactory

ROOT = Path(__file__).parents[1]


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def demo_dir(tmp_path: Path) -> Path:
    code, out, _ = invoke("demo", "--dir", str(tmp_path / "demo"))
    assert code == 0, out
    return tmp_path / "demo"


def test_demo_answers_the_inquiries_and_ignores_machine_mail(demo_dir: Path) -> None:
    db = Database(demo_dir / "leads.db")
    categories = sorted(r["category"] for r in db["messages"].rows)
    assert len(categories) == 12
    assert categories.count("bounce") == 1
    assert categories.count("auto_reply") == 2
    assert categories.count("bulk") == 1
    assert categories.count("unsubscribe") == 1
    outbox = sorted((demo_dir / "outbox").glob("*.eml"))
    inquiries = [r for r in db["messages"].rows if r["category"] == "inquiry"]
    status = {r["id"]: r["status"] for r in db["leads"].rows}
    # An inquiry is answered with the offer unless it asks what only the
    # organiser can answer (in-company, English, who may attend).
    offered = [m for m in inquiries if status[m["lead_id"]] == "offered"]
    flagged = [m for m in inquiries if status[m["lead_id"]] == "needs_attention"]
    assert (len(offered), len(flagged)) == (3, 4)
    assert len(outbox) == len(offered)
    for path in outbox:
        reply = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert reply["Auto-Submitted"] == "auto-replied"
        assert reply["In-Reply-To"] in {m["message_id"] for m in inquiries}
    # No reply to the bounce, the out-of-office replies, the newsletter or the unsubscribe.
    answered = {
        message_from_bytes(p.read_bytes(), policy=policy.default)["To"].addresses[0].addr_spec
        for p in outbox
    }
    ignored = {r["from_addr"] for r in db["messages"].rows if r["category"] != "inquiry"}
    assert not answered & ignored


def test_demo_prints_a_summary_and_the_leads(tmp_path: Path) -> None:
    code, out, _ = invoke("demo", "--dir", str(tmp_path / "d"))
    assert code == 0
    lines = out.splitlines()
    assert re.match(
        r"12 new, \d+ inquiries, .*\d+ replies sent, 4 need you: "
        r"inbox-worker leads list --status needs_attention$",
        lines[0],
    )
    assert lines[2].split() == ["id", "email", "name", "organisation", "status"]
    table = lines[2 : lines.index("", 2)]
    assert all(len(line) <= 100 for line in table)
    assert f"Replies written to {tmp_path / 'd' / 'outbox'}/" in out


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.txt").write_text("precious")
    code, _out, err = invoke("demo", "--dir", str(tmp_path / "mine"))
    assert code == 1
    assert (
        err
        == f"Error: {tmp_path / 'mine'} exists and is not a demo folder; choose another with --dir\n"
    )
    assert (tmp_path / "mine" / "thesis.txt").exists()


def test_a_second_poll_while_one_runs_exits_0(demo_dir: Path) -> None:
    config = str(demo_dir / "config.toml")
    with run_lock(demo_dir / "leads.db"):
        code, out, err = invoke("--config", config, "poll")
    assert code == 0
    assert "another pass is running" in err
    code, out, err = invoke("-q", "--config", config, "poll")
    assert (code, out, err) == (0, "", "")  # healthy and quiet under cron


def test_poll_picks_up_new_mail_in_the_maildir(demo_dir: Path) -> None:
    from inbox_worker.mail.maildir import deliver

    deliver(demo_dir / "mail", mailfactory.inquiry_en(42))
    code, _, err = invoke("--config", str(demo_dir / "config.toml"), "poll")
    assert code == 0
    # The demo leaves four questions for the organiser: the summary says so.
    assert err.splitlines()[-1] == "1 new, 1 inquiry, 1 reply sent, 4 need you: inbox-worker leads list --status needs_attention"


def test_leads_list_json_and_show(demo_dir: Path) -> None:
    config = str(demo_dir / "config.toml")
    code, out, _ = invoke("--config", config, "leads", "list", "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all("email" in r and "status" in r for r in rows)
    email = rows[-1]["email"]
    code, out, _ = invoke("--config", config, "leads", "show", email)
    assert code == 0
    assert out.startswith(f"email:        {email}\n")
    assert "Conversation:" in out
    assert re.search(r"  in   #\d+\s+inquiry", out)
    assert re.search(r"  out  #\d+\s+sent", out)


def test_unknown_lead_is_one_line_exit_1(demo_dir: Path) -> None:
    code, _, err = invoke("--config", str(demo_dir / "config.toml"), "leads", "show", "nobody@x.nl")
    assert (code, err) == (1, "Error: no lead nobody@x.nl\n")


def test_missing_config_is_one_line_exit_1(tmp_path: Path) -> None:
    code, _, err = invoke("--config", str(tmp_path / "nope.toml"), "leads", "list")
    assert code == 1
    assert err == f"Error: {tmp_path / 'nope.toml'}: config file not found (given by --config)\n"


def test_missing_config_names_where_it_looked_and_how_to_point_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("INBOX_WORKER_CONFIG", raising=False)
    code, _, err = invoke("leads", "list")
    assert code == 1
    assert err == (
        f"Error: no config.toml in {tmp_path} (the current folder): name yours with"
        " --config PATH or INBOX_WORKER_CONFIG=PATH; 'inbox-worker init' makes a new one"
        " here, with a new, empty database\n"
    )
    code, _, err = invoke("leads", "list", env={"INBOX_WORKER_CONFIG": "elsewhere.toml"})
    assert err == (
        f"Error: {tmp_path / 'elsewhere.toml'}: config file not found"
        " (given by INBOX_WORKER_CONFIG)\n"
    )


def test_usage_error_exits_2(demo_dir: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--config", str(demo_dir / "config.toml"), "poll", "--dry-run", "--hold"]
    )
    assert result.exit_code == 2


def test_classify_json_has_the_documented_shape(tmp_path: Path) -> None:
    path = tmp_path / "q.eml"
    path.write_bytes(mailfactory.inquiry_nl(1))
    code, out, _ = invoke("classify", "--json", str(path))
    assert code == 0
    record = json.loads(out)
    assert set(record) == {"file", "category", "language", "reasons", "facts"}
    assert set(record["facts"]) == {
        "name",
        "organisation",
        "org_type",
        "phone",
        "participants",
        "option",
        "dates",
        "given_up",
    }
    assert (record["category"], record["language"]) == ("inquiry", "nl")
    assert record["reasons"]


def test_init_writes_the_example_and_refuses_to_overwrite(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    code, _out, _ = invoke("--config", str(config), "init")
    assert code == 0
    assert config.read_text(encoding="utf-8") == (ROOT / "config.example.toml").read_text(
        encoding="utf-8"
    )
    assert (tmp_path / "leads.db").exists()
    code, _, err = invoke("--config", str(config), "init")
    assert (code, err) == (1, f"Error: {config} already exists (use --force to overwrite)\n")


def test_doctor_on_the_embedded_default(demo_dir: Path) -> None:
    code, out, _ = invoke("--config", str(demo_dir / "config.toml"), "doctor")
    assert code == 0, out
    names = [line.split()[1] for line in out.splitlines()]
    assert names == [
        "config", "database", "maildir", "sent", "outbox", "language", "sessions", "overrides",
        "templates",
    ]  # fmt: skip
    assert all(line.startswith("ok") for line in out.splitlines())


def test_doctor_reports_a_broken_template(demo_dir: Path) -> None:
    own = demo_dir / "my-templates" / "nl"
    own.mkdir(parents=True)
    (own / "inquiry.txt.j2").write_text("Beste {{ naam_die_niet_bestaat }}")
    config = demo_dir / "config.toml"
    config.write_text(
        config.read_text().replace("[replies]\n", '[replies]\ntemplates = "my-templates"\n')
    )
    code, out, _ = invoke("--config", str(config), "doctor")
    assert code == 1
    [line] = [x for x in out.splitlines() if x.split()[1] == "templates"]
    assert line.startswith("FAIL") and "naam_die_niet_bestaat" in line
    [line] = [x for x in out.splitlines() if x.split()[1] == "overrides"]
    assert "my-templates: yours replace nl/inquiry.txt.j2; the rest built-in" in line


def test_hold_then_approve_and_reject(demo_dir: Path) -> None:
    from inbox_worker.mail.maildir import deliver

    config = str(demo_dir / "config.toml")
    deliver(demo_dir / "mail", mailfactory.inquiry_en(1))
    deliver(demo_dir / "mail", mailfactory.inquiry_en(2))
    code, _, err = invoke("--config", config, "poll", "--hold")
    assert err.splitlines()[-1] == "2 new, 2 inquiries, 2 replies held, 4 need you: inbox-worker leads list --status needs_attention"
    code, out, _ = invoke("--config", config, "replies", "list", "--status", "held", "--json")
    held = [json.loads(line)["id"] for line in out.splitlines()]
    assert len(held) == 2
    assert invoke("--config", config, "replies", "reject", str(held[0]))[1] == "Rejected 1 reply.\n"
    assert invoke("--config", config, "replies", "approve", "--all")[1] == "Approved 1 reply.\n"
    code, _, err = invoke("--config", config, "poll")
    assert err.splitlines()[-1] == (
        "0 new, 1 reply sent, 4 need you: inbox-worker leads list --status needs_attention"
    )
    code, out, _ = invoke("--config", config, "replies", "show", str(held[1]))
    assert out.startswith("Status: sent\n")
    code, out, _ = invoke("--config", config, "replies", "show", str(held[1]), "--raw")
    assert "Auto-Submitted: auto-replied" in out
    code, _, err = invoke("--config", config, "replies", "approve", "999")
    assert (code, err) == (1, "Error: no reply with id 999\n")


def test_quarantined_message_is_retried(demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from inbox_worker.deciding import conversation as reading_mod
    from inbox_worker.mail.maildir import deliver

    config = str(demo_dir / "config.toml")
    deliver(demo_dir / "mail", mailfactory.inquiry_nl(5))

    def broken(raw: bytes) -> None:
        raise ValueError("simulated parser bug")

    real_parse = reading_mod.parse
    monkeypatch.setattr(reading_mod, "parse", broken)
    code, _, err = invoke("--config", config, "poll")
    assert code == 0
    assert "quarantined: ValueError: simulated parser bug" in err
    code, out, _ = invoke(
        "--config", config, "messages", "list", "--state", "quarantined", "--json"
    )
    [row] = [json.loads(line) for line in out.splitlines()]
    assert row["error"] == "ValueError: simulated parser bug"

    monkeypatch.setattr(reading_mod, "parse", real_parse)
    code, out, _ = invoke("--config", config, "messages", "retry")
    assert code == 0
    assert out == "Retried 1 message: 0 new, 1 inquiry, 1 reply sent, 4 need you: inbox-worker leads list --status needs_attention\n"


def test_sessions_list_and_attendees(demo_dir: Path) -> None:
    config = str(demo_dir / "config.toml")
    code, out, _ = invoke("--config", config, "sessions", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "starts", "location", "seats", "waiting", "note"]
    assert len(lines) == 4 and all(" 0/" in line for line in lines[1:])
    session_id = lines[1].split()[0]
    # The one CSV writer of 'leads export': byte order mark, CRLF, --delimiter.
    for delimiter in (",", ";"):
        result = CliRunner().invoke(
            cli,
            ["--config", config, "sessions", "attendees", session_id, "--csv",
             "--delimiter", delimiter],
        )  # fmt: skip
        header = delimiter.join(["email", "name", "organisation", "org_type", "phone", "seats",
                                 "status"])  # fmt: skip
        assert result.stdout_bytes == f"\ufeff{header}\r\n".encode()
    code, _, err = invoke("--config", config, "sessions", "attendees", "nope")
    assert (code, err) == (1, "Error: no session nope\n")


def test_remind_with_nothing_booked_is_quiet(demo_dir: Path) -> None:
    code, out, err = invoke("-q", "--config", str(demo_dir / "config.toml"), "remind")
    assert (code, out, err) == (0, "", "")
    code, _, err = invoke("--config", str(demo_dir / "config.toml"), "remind")
    assert err == "reminders: nothing to do\n"


def test_leads_list_shows_the_newest_fifty_and_says_so(demo_dir: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from inbox_worker.store import Store

    start = datetime(2026, 11, 1, tzinfo=UTC)
    with Store(demo_dir / "leads.db") as store, store.transaction():
        for i in range(60):
            store.upsert_lead(
                f"extra{i}@example.nl", {"name": f"Extra {i}"}, start + timedelta(minutes=i)
            )
    config = str(demo_dir / "config.toml")
    code, out, err = invoke("--config", config, "leads", "list")
    assert code == 0
    assert len(out.splitlines()) == 1 + 50  # header and fifty rows
    count = Database(demo_dir / "leads.db")["leads"].count
    assert err == f"(50 of {count} leads, newest first; --limit 0 for all)\n"
    code, out, err = invoke("--config", config, "leads", "list", "--limit", "0")
    assert len(out.splitlines()) == 1 + count and err == ""
    code, out, _ = invoke("--config", config, "leads", "list", "--json")
    assert len(out.splitlines()) == count  # scripts get everything


def test_a_pass_reports_progress_to_whoever_asks(demo_dir: Path) -> None:
    """The CLI hands the worker a progress bar on a terminal; the worker counts every message."""
    from contextlib import contextmanager

    from inbox_worker import config as config_mod
    from inbox_worker.app import build_worker
    from inbox_worker.mail.maildir import deliver
    from inbox_worker.store import Store

    for n in range(3):
        deliver(demo_dir / "mail", mailfactory.inquiry_nl(100 + n))
    seen: list[tuple[str, int]] = []

    @contextmanager
    def progress(total: int, label: str):  # type: ignore[no-untyped-def]
        seen.append((label, total))
        yield lambda n: seen.append(("step", n))

    config = config_mod.load(demo_dir / "config.toml")
    with Store(config.storage.database) as store:
        worker = build_worker(config, store)
        worker.progress = progress
        worker.run_once()
    assert seen == [("Reading mail", 3), ("step", 3)]


def test_classify_shows_what_a_pass_would_decide_and_stores_nothing(demo_dir: Path) -> None:
    """The same reading and decision as a pass, in the context a pass would use."""
    config = str(demo_dir / "config.toml")
    path = demo_dir / "choice.eml"
    path.write_bytes(
        b"From: Anna de Vries <anna.devries@gmail.com>\r\n"
        b"To: workshops@example.org\r\nSubject: Workshop\r\n"
        b"Message-ID: <choice-1@gmail.com>\r\n\r\nik kies optie 2\r\n"
    )
    before = Database(demo_dir / "leads.db")["events"].count
    code, out, _ = invoke("--config", config, "classify", "--json", str(path))
    assert code == 0
    record = json.loads(out)
    # A new mail: no offer of ours to go by, so the number is read against the
    # config's sessions (the same answer any day) and left to a person.
    assert record["category"] == "date_choice" and record["facts"]["option"] == 2
    assert "context:config-sessions" in record["reasons"]
    assert record["decision"]["status"] == "needs_attention"
    assert record["decision"]["bookings"] == [] and record["decision"]["replies"] == []
    assert Database(demo_dir / "leads.db")["events"].count == before
