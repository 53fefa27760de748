"""inbox-worker against its peers on one private Dovecot (issue 7): medians, ratios, PASS/FAIL.

Usage, from the repository root (no PYTHONPATH, no install needed):

    python benchmarks/bench_poll.py --messages 10000 50000
    python benchmarks/bench_poll.py --quick            # 2,000 messages, a smoke run

Starts Dovecot on 127.0.0.1 (tests/servers.py), loads seeded workshop mail
(benchmarks/mailgen.py) into private users' Maildirs, and measures side by
side: a bare imapclient fetch loop, mbsync, getmail6, the stdlib parsers,
sqlite-utils inserts, an idle check against `inbox-worker poll` with nothing
new, inbox-worker's first poll with replies held (wall time and peak RSS), CLI
latency on a synthetic database of 100,000 leads and 500,000 messages, and
1,000 replies sent to aiosmtpd through the worker's deliver path. Prints a
table of medians and the issue's ratios, and writes them as JSON to
benchmarks/results/latest.json (`--save` also writes a dated copy to commit).

inbox-worker always runs from this working tree (as `cli:main`), never from
an installed copy, which may be older than the code being measured.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Runnable as a plain script from the repo root, without PYTHONPATH or an install.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import compileall  # noqa: E402
import email  # noqa: E402
import email.policy  # noqa: E402
import gzip  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import pstats  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from functools import partial  # noqa: E402
from typing import Any  # noqa: E402

from benchmarks import synthdb  # noqa: E402
from benchmarks.harness import (  # noqa: E402
    LOOPBACK,
    BenchError,
    Getmail,
    Mailbox,
    Mbsync,
    Measure,
    Series,
    bare_fetch,
    fresh_dir,
    index_and_warm,
    interleave,
    load_maildir,
    repeat,
    run_process,
    version_of,
)
from benchmarks.mailgen import ORGANISER, SESSIONS, MailGenerator  # noqa: E402
from tests.servers import DovecotServer, SmtpServer, find_dovecot, make_root  # noqa: E402

PASSWORD_ENV = "BENCH_IMAP_PASSWORD"
RESULTS = ROOT / "benchmarks" / "results"
PY = sys.executable
# What the installed `inbox-worker` command runs (cli:main), on the working
# tree's code (ROOT on PYTHONPATH), imported from cached bytecode. `python
# cli.py` would compile the 1,200-line script on every start; `-m` adds runpy.
CLI = [PY, "-c", "from cli import main; main()"]

# The targets (issue 7).
TARGET_POLL_RATE = 2500  # messages/s end to end
TARGET_VS_GETMAIL = 20  # times getmail6's rate
TARGET_IDLE_RATIO = 1.5
TARGET_RSS_MB = 150
TARGET_RSS_GROWTH = 1.3
TARGET_CLI_SECONDS = 0.3
TARGET_SEND_RATE = 200

IDLE_SCRIPT = """
import os, sys
from imapclient import IMAPClient
host, port, user, last = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
client = IMAPClient(host, port=port, ssl=False, timeout=30)
client.login(user, os.environ["BENCH_IMAP_PASSWORD"])
client.select_folder("INBOX")
client.search(["UID", f"{last + 1}:*"])
client.logout()
"""

DELIVER_SCRIPT = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from inbox_worker import config as config_mod
from inbox_worker.app import build_worker, open_store
from inbox_worker.run.report import PassReport
config = config_mod.load(__import__("pathlib").Path(sys.argv[2]))
with open_store(config) as store:
    worker = build_worker(config, store, mode="send")
    report = PassReport()
    start = time.perf_counter()
    worker.deliver(report)
    seconds = time.perf_counter() - start
with open(sys.argv[3], "w") as out:
    json.dump({"seconds": seconds, "sent": report.sent, "errors": report.errors}, out)
"""

# The sessions mailgen's date choices quote, so the engine recognises the options.
SESSIONS_TOML = "".join(
    f'\n[[workshop.sessions]]\nid = "{sid}"\nstarts = {starts:%Y-%m-%dT%H:%M}:00+01:00\n'
    f'ends = {starts:%Y-%m-%d}T16:30:00+01:00\nlocation = "{place}"\n'
    f"capacity = {20 if sid == 'online' else 16}\n"
    for sid, starts, place in SESSIONS
)

CONFIG = """\
[source]
kind = "imap"

[transport]
kind = "{transport}"
{transport_lines}

[imap]
host = "{host}"
port = {port}
security = "none"
username = "{username}"
password_env = "{password_env}"

[organiser]
name = "Gertjan Verstoep"
email = "{organiser}"

[storage]
database = "{database}"

[replies]
mode = "send"
# measures sending speed: the ceiling on automatic mail would hold most of it
max_per_hour = 1000000

[workshop]
title = "Co-creëren met de samenleving"
{sessions}"""


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.server: DovecotServer | None = None
        self.results: dict[str, Any] = {"folders": {}, "notes": []}
        self.env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.mailboxes: dict[int, Mailbox] = {}

    # -- setup ---------------------------------------------------------------

    def start_dovecot(self) -> None:
        binary = find_dovecot()
        if binary is None:
            raise BenchError("Dovecot is not installed (apt-get install dovecot-imapd)")
        root = self.work / "dovecot"
        root.mkdir()
        self.server = DovecotServer(root, binary)
        self.server.start()

    def mailbox(self, count: int) -> Mailbox:
        """A user holding the first `count` generated messages, indexed and warm."""
        if count in self.mailboxes:
            return self.mailboxes[count]
        assert self.server is not None
        account = self.server.add_user(username=f"bench{count}")
        self.env[PASSWORD_ENV] = account.password
        t0 = time.perf_counter()
        gen = MailGenerator(self.args.seed).messages(count)
        stored, size = load_maildir(
            self.server.mail_root / account.username,
            self.server.maildir_of(account.username),
            ((m.raw, m.date.timestamp()) for m in gen),
        )
        t1 = time.perf_counter()
        uidvalidity, last_uid = index_and_warm(
            account.username, account.password, self.server.port, stored
        )
        t2 = time.perf_counter()
        log(
            f"loaded {stored:,} messages ({size / 1e6:.1f} MB) for {account.username} in "
            f"{t1 - t0:.1f}s; Dovecot indexed and served them once in {t2 - t1:.1f}s"
        )
        box = Mailbox(account.username, account.password, stored, size / 1e6, uidvalidity, last_uid)
        self.mailboxes[count] = box
        return box

    def config(self, box: Mailbox, database: Path, name: str, smtp_port: int = 0) -> Path:
        folder = self.work / name
        folder.mkdir(exist_ok=True)
        if smtp_port:
            transport = "smtp"
            lines = (
                f'\n[smtp]\nhost = "{LOOPBACK}"\nport = {smtp_port}\n'
                'security = "none"\nsent_folder = ""'
            )
        else:
            transport, lines = "file", f'path = "{folder / "outbox"}"'
        assert self.server is not None
        path = folder / "config.toml"
        path.write_text(
            CONFIG.format(
                transport=transport, transport_lines=lines, host=LOOPBACK, port=self.server.port,
                username=box.username, password_env=PASSWORD_ENV, organiser=ORGANISER,
                database=database, sessions=SESSIONS_TOML,
            ),
            encoding="utf-8",
        )  # fmt: skip
        return path

    def password_env(self, box: Mailbox) -> dict[str, str]:
        return {**self.env, PASSWORD_ENV: box.password}

    # -- per folder ----------------------------------------------------------

    def folder(self, count: int, *, peers: bool, idle: bool) -> dict[str, Any]:
        """The peers and inbox-worker's first poll on one folder, run round by round."""
        box = self.mailbox(count)
        out: dict[str, Any] = {"messages": box.count, "megabytes": round(box.megabytes, 1)}
        assert self.server is not None
        port = self.server.port
        measures: list[Measure] = []
        fetched: list[tuple[int, int]] = []
        mb: Mbsync | None = None
        gm: Getmail | None = None
        limit = min(count, self.args.getmail_limit)
        if peers:

            def bare() -> float:
                t = time.perf_counter()
                fetched.append(bare_fetch(box.username, box.password, port))
                return time.perf_counter() - t

            measures.append(Measure("bare_imapclient", bare))
            if shutil.which("mbsync"):
                mb = Mbsync(
                    fresh_dir(self.work / f"mbsync{count}"), port, box.username, box.password
                )
                measures.append(Measure("mbsync", partial(mb.run, timeout(count, 50)), mb.reset))
            else:
                out["mbsync"] = {"skipped": "mbsync not installed (apt-get install isync)"}
            getmail = find_getmail()
            if getmail:
                gm = Getmail(
                    fresh_dir(self.work / f"getmail{count}"), port, box.username, box.password,
                    limit,
                )  # fmt: skip
                run = partial(gm.run, getmail, timeout(limit, 20))
                measures.append(Measure("getmail6", run, gm.reset))
            else:
                out["getmail6"] = {"skipped": "getmail6 not installed (pip install getmail6)"}

        database = self.work / f"poll{count}" / "leads.db"
        cfg = self.config(box, database, f"poll{count}")
        env = self.password_env(box)
        poll = partial(
            run_process,
            # --hold stores everything and sends nothing (a dry run stores nothing).
            [*CLI, "--config", str(cfg), "poll", "--hold"],
            timeout=timeout(count, 50), env=env, label="inbox-worker",
        )  # fmt: skip
        measures.append(Measure("first_poll", poll, partial(remove_database, database)))

        log(f"[{count}] {', '.join(m.name for m in measures)}: {self.args.repeat} rounds")
        series = interleave(measures, self.args.repeat, budget=self.args.budget)
        if fetched:
            n, size = fetched[-1]
            out["bare_imapclient"] = rate(series["bare_imapclient"], n, megabytes=size / 1e6)
        if mb is not None:
            check(mb.delivered(), box.count, "mbsync")
            out["mbsync"] = rate(series["mbsync"], box.count)
        if gm is not None:
            check(gm.delivered(), limit, "getmail6")
            out["getmail6"] = rate(series["getmail6"], limit)
            if limit < count:
                # max_messages_per_session: the rate is what the comparison uses.
                out["getmail6"]["note"] = f"first {limit:,} of {count:,} per run"
        stored = stored_messages(database)
        check(stored["total"], box.count, "inbox-worker first poll")
        out["first_poll"] = rate(series["first_poll"], box.count)
        out["first_poll"]["states"] = stored["states"]

        if idle:
            out["idle"] = self.idle(box, cfg, env)
        return out

    def idle(self, box: Mailbox, cfg: Path, env: dict[str, str]) -> dict[str, Any]:
        """cron's idle case, process start included: nothing new since the last poll."""
        assert self.server is not None
        log(f"[{box.count}] idle: bare process vs inbox-worker poll")
        bare_argv = [PY, "-c", IDLE_SCRIPT, LOOPBACK, str(self.server.port), box.username,
                     str(box.last_uid)]  # fmt: skip
        poll_argv = [*CLI, "-q", "--config", str(cfg), "poll"]
        bare_s, poll_s = Series(), Series()
        # Interleaved, so a burst of background load hits both sides alike.
        for _ in range(self.args.idle_repeat):
            bare_s.add(run_process(bare_argv, timeout=60, env=env, label="bare idle"))
            poll_s.add(run_process(poll_argv, timeout=60, env=env, label="inbox-worker poll"))
        return {
            "bare_process_s": round(bare_s.median, 4),
            "inbox_worker_poll_s": round(poll_s.median, 4),
            "bare_cpu_s": bare_s.cpu_median,
            "inbox_worker_cpu_s": poll_s.cpu_median,
            "inbox_worker_rss_mb": poll_s.rss_median,
            "ratio": round(poll_s.median / bare_s.median, 2),
            "runs": len(bare_s.seconds),
        }

    # -- in-process figures --------------------------------------------------

    def parse_rates(self) -> dict[str, Any]:
        sample = [m.raw for m in MailGenerator(self.args.seed).messages(self.args.parse_sample)]
        log(f"stdlib parse rates over {len(sample):,} messages")

        def modern() -> float:
            t = time.perf_counter()
            for raw in sample:
                msg = email.message_from_bytes(raw, policy=email.policy.default)
                body = msg.get_body(preferencelist=("plain", "html"))  # type: ignore[attr-defined]
                if body is not None:
                    body.get_content()
            return time.perf_counter() - t

        def compat() -> float:
            t = time.perf_counter()
            for raw in sample:
                msg = email.message_from_bytes(raw)
                for part in msg.walk():
                    if part.get_content_type() == "text/plain":
                        part.get_payload(decode=True)
                        break
            return time.perf_counter() - t

        times = self.args.repeat
        return {
            "policy_default_get_content": rate(repeat(modern, times), len(sample)),
            "compat32_get_payload": rate(repeat(compat, times), len(sample)),
        }

    def sqlite_insert_rate(self) -> dict[str, Any]:
        import sqlite_utils

        count = self.args.insert_rows
        sample = [
            gzip.compress(m.raw, compresslevel=1, mtime=0)
            for m in MailGenerator(self.args.seed).messages(min(count, 2000))
        ]
        rows = [
            {"folder": "INBOX", "uidvalidity": 1, "uid": i, "message_id": f"<{i}@bench>",
             "size": 3000, "raw": sample[i % len(sample)], "raw_sha256": f"{i:064x}",
             "received": "2026-11-28T12:00:00+00:00", "state": "new"}
            for i in range(count)
        ]  # fmt: skip
        log(f"sqlite-utils insert_all of {count:,} rows in one transaction")
        path = self.work / "insert.db"

        def once() -> float:
            for p in path.parent.glob(path.name + "*"):
                p.unlink()
            db = sqlite_utils.Database(path)
            db.enable_wal()
            t = time.perf_counter()
            with db.conn:
                db["messages"].insert_all(rows, batch_size=500)
            elapsed = time.perf_counter() - t
            db.close()
            return elapsed

        s = repeat(once, self.args.repeat)
        out = rate(s, count)
        out["rows_per_s"] = out.pop("msgs_per_s")
        return out

    def cli_latency(self, mailbox: Mailbox) -> dict[str, Any]:
        from click.testing import CliRunner

        import cli as cli_module

        leads, messages = self.args.cli_leads, self.args.cli_messages
        database = self.work / "cli" / "leads.db"
        database.parent.mkdir()
        log(f"building a synthetic database: {leads:,} leads, {messages:,} messages")
        t = time.perf_counter()
        info = synthdb.build(database, leads, messages)
        log(f"  built in {time.perf_counter() - t:.0f}s")
        cfg = self.config(mailbox, database, "cli")
        # name -> (the command's path, its arguments); a missing one is noted, not fatal.
        commands = {
            "leads list": (["leads", "list"], []),
            "leads show": (["leads", "show"], [info["show"]]),
            "leads search": (["leads", "search"], [info["search"]]),
            "stats": (["stats"], []),
        }
        runner = CliRunner()
        out: dict[str, Any] = {"leads": leads, "messages": messages, "commands": {}}
        sink = self.work / "cli" / "stdout.txt"
        for name, (path, extra) in commands.items():
            probe = runner.invoke(cli_module.cli, [*path, "--help"])
            if probe.exit_code != 0:
                out["commands"][name] = {
                    "skipped": f"no such command in this tree ({probe.exit_code})"
                }
                continue
            log(f"  {name}")
            argv = ["--config", str(cfg), *path, *extra]
            inproc = Series()
            for _ in range(self.args.idle_repeat):
                t = time.perf_counter()
                result = runner.invoke(cli_module.cli, argv, catch_exceptions=False)
                inproc.add(time.perf_counter() - t)
                if result.exit_code != 0:
                    raise BenchError(f"{name} exited {result.exit_code}: {result.output[-500:]}")
            sub = Series()
            for _ in range(self.args.idle_repeat):
                sub.add(run_process([*CLI, *argv], timeout=120, env=self.env, stdout=sink,
                                    label=name))  # fmt: skip
            out["commands"][name] = {
                "in_process_s": round(inproc.median, 4),
                "subprocess_s": round(sub.median, 4),
                "rss_mb": round(sub.rss_median or 0, 1),
                "output_lines": sum(1 for _ in sink.open("rb")),
            }
        out["config"] = str(cfg)
        out["database"] = str(database)
        return out

    def idle_large_database(self, box: Mailbox, cli: dict[str, Any]) -> dict[str, Any]:
        """The idle poll again, with the 100,000-lead database behind it."""
        database = Path(cli["database"])
        synthdb.set_cursor(database, "INBOX", box.uidvalidity, box.last_uid)
        cfg = self.config(box, database, "idle-large")
        result = self.idle(box, cfg, self.password_env(box))
        result["leads"] = cli["leads"]
        return result

    def sending(self, mailbox: Mailbox) -> dict[str, Any]:
        """Queued replies through Worker.deliver over one SmtpTransport connection."""
        from email.message import EmailMessage

        from inbox_worker.store import Store

        count = self.args.replies
        smtp = SmtpServer()
        smtp.start()
        try:
            database = self.work / "send" / "leads.db"
            database.parent.mkdir()
            cfg = self.config(mailbox, database, "send", smtp_port=smtp.port)
            body = ("Beste Sanne,\n\nDank voor je vraag over de workshop. De komende data:\n"
                    + "1. dinsdag 12 januari 2099, Utrecht\n" * 3 + "\nMet vriendelijke groet,\n"
                    "Gertjan Verstoep\n") * 4  # fmt: skip

            def queue(store: Store) -> None:
                with store.transaction():
                    for i in range(count):
                        msg = EmailMessage()
                        msg["From"] = f"Gertjan Verstoep <{ORGANISER}>"
                        msg["To"] = f"lead{i}@gemeente.example.nl"
                        msg["Subject"] = "Re: Vraag over de workshop"
                        msg["Message-ID"] = f"<bench.{i}.{time.time_ns()}@example.org>"
                        msg["Auto-Submitted"] = "auto-replied"
                        msg.set_content(body)
                        store.queue_reply({
                            "kind": "inquiry", "to_addr": msg["To"], "language": "nl",
                            "subject": msg["Subject"], "message_id": msg["Message-ID"],
                            "body": msg.as_bytes(), "status": "pending", "attempts": 0,
                            "created": datetime.now(UTC).isoformat(timespec="seconds"),
                        })  # fmt: skip

            def once() -> float:
                remove_database(database)
                smtp.handler.messages.clear()
                before = len(smtp.sessions_seen)
                with Store(database) as store:
                    queue(store)
                # The sender is a child process: in this one it would share the GIL
                # with aiosmtpd, which parses every message it receives.
                report = self.work / "send" / "report.json"
                run_process(
                    [PY, "-c", DELIVER_SCRIPT, str(ROOT), str(cfg), str(report)],
                    timeout=120 + count / 10, env=self.env, label="deliver",
                )  # fmt: skip
                done = json.loads(report.read_text())
                if done["sent"] != count or len(smtp.messages) != count:
                    raise BenchError(
                        f"sent {done['sent']}, server got {len(smtp.messages)} of {count}"
                    )
                connections.append(len(smtp.sessions_seen) - before)
                return float(done["seconds"])

            log(f"sending {count:,} queued replies to aiosmtpd through Worker.deliver")
            connections: list[int] = []
            out = rate(repeat(once, self.args.repeat), count)
            out["connections"] = max(connections)
            return out
        finally:
            smtp.stop()

    def profile(self, count: int, path: Path) -> list[str]:
        """One more first poll of `count` messages under cProfile; the top cumulative entries."""
        box = self.mailbox(count)
        database = self.work / f"profile{count}" / "leads.db"
        cfg = self.config(box, database, f"profile{count}")
        log(f"[{count}] first poll under cProfile -> {path}")
        run_process(
            [PY, "-m", "cProfile", "-o", str(path), "-m", "cli", "--config", str(cfg), "poll",
             "--hold"],
            timeout=timeout(count, 20), env=self.password_env(box), label="cProfile poll",
        )  # fmt: skip
        stats = pstats.Stats(str(path))
        stats.sort_stats("cumulative")
        lines = []
        for func, (_cc, nc, tt, ct, _callers) in sorted(
            stats.stats.items(),  # type: ignore[attr-defined]
            key=lambda kv: kv[1][3],
            reverse=True,
        )[:40]:
            filename, line, name = func
            where = f"{Path(filename).name}:{line}({name})"
            lines.append(f"{ct:8.2f}s cum {tt:7.2f}s own {nc:>9} calls  {where}")
        return lines


# ----------------------------------------------------------------------------- helpers


def log(text: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def timeout(count: int, floor_rate: float) -> float:
    """Generous but finite: a run slower than `floor_rate` messages/s is a hang."""
    return 120 + count / floor_rate


def check(got: int, expected: int, who: str) -> None:
    if got != expected:
        raise BenchError(f"{who} delivered {got:,} messages, expected {expected:,}")


def rate(series: Series, count: int, megabytes: float | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "median_s": round(series.median, 4),
        "msgs_per_s": round(count / series.median, 1),
        "runs": [round(s, 4) for s in series.seconds],
    }
    if megabytes is not None:
        out["mb_per_s"] = round(megabytes / series.median, 1)
    if series.rss_median is not None:
        out["peak_rss_mb"] = round(series.rss_median, 1)
    if series.cpu_median is not None:
        out["cpu_s"] = round(series.cpu_median, 2)
    if series.note:
        out["note"] = series.note
    return out


def remove_database(database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    for path in database.parent.glob(database.name + "*"):
        path.unlink()


def stored_messages(database: Path) -> dict[str, Any]:
    conn = sqlite3.connect(database)
    try:
        states = dict(
            conn.execute("select state, count(*) from messages group by state").fetchall()
        )
    finally:
        conn.close()
    return {"total": sum(states.values()), "states": states}


def find_getmail() -> str | None:
    beside = Path(sys.executable).with_name("getmail")
    return str(beside) if beside.exists() else shutil.which("getmail")


def machine() -> dict[str, Any]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
        check=False,
    ).stdout.strip()  # fmt: skip
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "inbox_worker", "cli.py"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "interpreter": sys.executable,
        # sqlite-utils imports numpy when it can, which slows every CLI start.
        "numpy_importable": importlib.util.find_spec("numpy") is not None,
        "dovecot": version_of([find_dovecot() or "dovecot", "--version"]),
        "mbsync": version_of(["mbsync", "--version"]),
        "getmail6": version_of([find_getmail() or "getmail", "--version"]),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "commit": commit,
        # Others change the engine while we measure: say whether it was committed code.
        "engine_uncommitted_changes": bool(dirty),
    }


# ----------------------------------------------------------------------------- report


def verdicts(results: dict[str, Any], sizes: list[int], rss_base: int) -> list[dict[str, Any]]:
    """The issue's targets, each as one row: what, measured, target, PASS/FAIL."""
    rows: list[dict[str, Any]] = []

    def add(name: str, value: float | None, target: str, ok: bool | None) -> None:
        verdict = "n/a" if ok is None else ("PASS" if ok else "FAIL")
        rows.append({"check": name, "value": value, "target": target, "verdict": verdict})

    folders = results["folders"]
    for n in sizes:
        f = folders.get(str(n))
        if f is None:
            add(f"first poll {n:,}", None, "measured", False)
            continue
        poll = f["first_poll"]
        add(f"first poll {n:,}: messages/s", poll["msgs_per_s"], f">= {TARGET_POLL_RATE:,}",
            poll["msgs_per_s"] >= TARGET_POLL_RATE)  # fmt: skip
        mb = f.get("mbsync", {})
        if "median_s" in mb:
            ratio = poll["median_s"] / mb["median_s"]
            add(f"first poll {n:,}: wall time / mbsync", round(ratio, 2), "<= 1.0", ratio <= 1.0)
        gm = f.get("getmail6", {})
        if "msgs_per_s" in gm:
            speedup = poll["msgs_per_s"] / gm["msgs_per_s"]
            add(f"first poll {n:,}: times faster than getmail6", round(speedup, 1),
                f">= {TARGET_VS_GETMAIL}", speedup >= TARGET_VS_GETMAIL)  # fmt: skip
    for key, f in folders.items():
        if "idle" in f:
            ratio = f["idle"]["ratio"]
            add(f"idle poll / bare process, {int(key):,} in folder", ratio,
                f"<= {TARGET_IDLE_RATIO}", ratio <= TARGET_IDLE_RATIO)  # fmt: skip
    if "idle_large_db" in results:
        idle = results["idle_large_db"]
        add(f"idle poll / bare process, {idle['leads']:,} leads in db", idle["ratio"],
            f"<= {TARGET_IDLE_RATIO}", idle["ratio"] <= TARGET_IDLE_RATIO)  # fmt: skip
    big = max(sizes)
    big_rss = folders.get(str(big), {}).get("first_poll", {}).get("peak_rss_mb")
    base_rss = folders.get(str(rss_base), {}).get("first_poll", {}).get("peak_rss_mb")
    if big_rss is not None:
        add(f"peak RSS at {big:,} (MB)", big_rss, f"< {TARGET_RSS_MB}", big_rss < TARGET_RSS_MB)
    if big_rss and base_rss and big != rss_base:
        growth = big_rss / base_rss
        add(f"peak RSS {big:,} / {rss_base:,}", round(growth, 2), f"<= {TARGET_RSS_GROWTH}",
            growth <= TARGET_RSS_GROWTH)  # fmt: skip
    for name, c in results.get("cli", {}).get("commands", {}).items():
        if "subprocess_s" in c:
            add(f"CLI {name} (subprocess, s)", c["subprocess_s"], f"< {TARGET_CLI_SECONDS}",
                c["subprocess_s"] < TARGET_CLI_SECONDS)  # fmt: skip
        else:
            add(f"CLI {name}", None, f"< {TARGET_CLI_SECONDS}", None)
    if "sending" in results:
        r = results["sending"]["msgs_per_s"]
        add("sending: replies/s", r, f">= {TARGET_SEND_RATE}", r >= TARGET_SEND_RATE)
    return rows


def table(results: dict[str, Any]) -> str:
    lines = []
    meta = results["machine"]
    lines.append(
        f"Machine: {meta['cores']} cores, {meta['cpu']}; Python {meta['python']}; "
        f"Dovecot {meta['dovecot'].split()[0]}; {meta['mbsync']}; {meta['getmail6']}; "
        f"commit {meta['commit']}"
        + (" + uncommitted engine changes" if meta["engine_uncommitted_changes"] else "")
    )
    lines.append("")
    lines.append(
        f"Interpreter: {meta['interpreter']} (numpy importable: {meta['numpy_importable']})"
    )
    lines.append(
        f"Load average (other work on the machine): {meta['load_average_at_start']} at start, "
        f"{meta.get('load_average_at_end')} at end"
    )
    lines.append("")
    lines.append(
        f"{'measurement (median)':<44} {'wall':>10} {'msgs/s':>10} {'MB/s':>7} {'CPU s':>7} "
        f"{'RSS MB':>7}"
    )
    for n, f in results["folders"].items():
        lines.append(f"-- folder of {int(n):,} messages ({f['megabytes']} MB)")
        for key, label in (("bare_imapclient", "bare imapclient fetch loop"),
                           ("mbsync", "mbsync (isync) to Maildir"),
                           ("getmail6", "getmail6 to Maildir"),
                           ("first_poll", "inbox-worker first poll --hold")):  # fmt: skip
            r = f.get(key)
            if r is None:
                continue
            if "skipped" in r:
                lines.append(f"  {label:<42} skipped: {r['skipped']}")
                continue
            lines.append(
                f"  {label:<42} {r['median_s']:>9.2f}s {r['msgs_per_s']:>10,.0f} "
                f"{r.get('mb_per_s', ''):>7} {r.get('cpu_s', ''):>7} {r.get('peak_rss_mb', ''):>7}"
                + (f"  ({r['note']})" if "note" in r else "")
            )
        if "idle" in f:
            i = f["idle"]
            lines.append(
                f"  {'idle: bare process / inbox-worker poll':<42} "
                f"{i['bare_process_s'] * 1000:>7.0f} ms / {i['inbox_worker_poll_s'] * 1000:.0f} ms"
            )
    if "idle_large_db" in results:
        i = results["idle_large_db"]
        lines.append(
            f"-- idle poll with {i['leads']:,} leads in the database: bare "
            f"{i['bare_process_s'] * 1000:.0f} ms / "
            f"inbox-worker {i['inbox_worker_poll_s'] * 1000:.0f} ms"
        )
    lines.append("-- in process")
    for key, r in results.get("parse", {}).items():
        lines.append(f"  {'parse: ' + key:<42} {r['median_s']:>9.2f}s {r['msgs_per_s']:>10,.0f}")
    if "sqlite_utils" in results:
        r = results["sqlite_utils"]
        label = "sqlite-utils insert_all (rows/s)"
        lines.append(f"  {label:<42} {r['median_s']:>9.2f}s {r['rows_per_s']:>10,.0f}")
    if "sending" in results:
        r = results["sending"]
        lines.append(
            f"  {'send via Worker.deliver to aiosmtpd':<42} {r['median_s']:>9.2f}s "
            f"{r['msgs_per_s']:>10,.0f}  ({r['connections']} connection(s))"
        )
    if "cli" in results:
        c = results["cli"]
        lines.append(
            f"-- CLI on {c['leads']:,} leads / {c['messages']:,} messages: in-process / subprocess"
        )
        for name, r in c["commands"].items():
            if "skipped" in r:
                lines.append(f"  {name:<42} skipped: {r['skipped']}")
            else:
                lines.append(
                    f"  {name:<42} {r['in_process_s']:>8.3f}s / {r['subprocess_s']:.3f}s "
                    f"({r['output_lines']:,} lines, {r['rss_mb']} MB)"
                )
    lines.append("")
    lines.append(f"{'target (issue 7)':<50} {'measured':>10} {'target':>10}  verdict")
    for v in results["verdicts"]:
        value = "-" if v["value"] is None else f"{v['value']:,}"
        lines.append(f"{v['check']:<50} {value:>10} {v['target']:>10}  {v['verdict']}")
    for note in results["notes"]:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--messages", type=int, nargs="+", default=[10000, 50000], metavar="N")
    ap.add_argument(
        "--quick", action="store_true", help="a 2,000-message smoke run, small CLI database"
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs per heavy measurement (median)")
    ap.add_argument("--idle-repeat", type=int, default=5, help="runs per sub-second measurement")
    ap.add_argument(
        "--budget", type=float, default=900, help="seconds one measurement may repeat for"
    )
    ap.add_argument("--getmail-limit", type=int, default=3000, help="messages per getmail6 run")
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--parse-sample", type=int, default=5000)
    ap.add_argument("--insert-rows", type=int, default=50000)
    ap.add_argument("--cli-leads", type=int, default=100_000)
    ap.add_argument("--cli-messages", type=int, default=500_000)
    ap.add_argument("--replies", type=int, default=1000)
    ap.add_argument("--skip", nargs="*", default=[], choices=["peers", "cli", "send", "parse"])
    ap.add_argument(
        "--profile", type=Path, metavar="PROF", help="also profile a first poll of the largest N"
    )
    ap.add_argument("--profile-messages", type=int, metavar="N", help="folder size to profile")
    ap.add_argument("--save", action="store_true", help="also write benchmarks/results/<date>.json")
    args = ap.parse_args()
    if args.quick:
        args.messages = [2000]
        args.getmail_limit = min(args.getmail_limit, 500)
        args.cli_leads, args.cli_messages = 10_000, 50_000
        args.insert_rows = 10_000
        args.parse_sample = 1000
    sizes = sorted(set(args.messages))
    # RSS growth is judged from 5,000 messages up (the figure); a quick run uses 1,000.
    rss_base = 5000 if max(sizes) > 5000 else 1000

    # SIGTERM (a killed background run) must still stop Dovecot and remove temp files.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = make_root("inbox-worker-bench-")
    # Dovecot's unprivileged processes must walk through it to their own folder.
    work.chmod(0o755)
    # Bytecode as an install leaves it, also where PYTHONDONTWRITEBYTECODE is set:
    # otherwise every start would compile cli.py and the engine again.
    compileall.compile_dir(ROOT / "inbox_worker", quiet=1)
    compileall.compile_file(ROOT / "cli.py", quiet=1)
    bench = Bench(args, work)
    results = bench.results
    results["machine"] = machine()
    results["arguments"] = {
        k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()
    }

    def attempt(key: str, measure: Callable[[], Any], into: dict[str, Any] = results) -> None:
        """One section; a failure is reported and the others still run.

        The engine changes under our feet while others work on it: a half-made
        edit must cost one figure, not the whole run.
        """
        try:
            into[key] = measure()
        except Exception as exc:  # reported in the table and the JSON, never hidden
            text = f"{key}: {type(exc).__name__}: {exc}"
            log(f"FAILED {text}")
            results["notes"].append(f"FAILED {text.splitlines()[0][:300]}")

    try:
        bench.start_dovecot()
        idle_sizes = {1000, max(sizes)}
        for n in sorted({rss_base, *sizes, 1000}):
            heavy = n in sizes
            attempt(
                str(n),
                partial(bench.folder, n, peers=heavy and "peers" not in args.skip,
                        idle=n in idle_sizes),
                results["folders"],
            )  # fmt: skip
        if "parse" not in args.skip:
            attempt("parse", bench.parse_rates)
            attempt("sqlite_utils", bench.sqlite_insert_rate)
        if "send" not in args.skip:
            attempt("sending", lambda: bench.sending(bench.mailbox(1000)))
        if "cli" not in args.skip:
            attempt("cli", lambda: bench.cli_latency(bench.mailbox(max(sizes))))
            if "cli" in results:
                attempt(
                    "idle_large_db",
                    lambda: bench.idle_large_database(bench.mailbox(max(sizes)), results["cli"]),
                )
        if args.profile:
            size = args.profile_messages or max(sizes)
            attempt("profile_top", lambda: bench.profile(size, args.profile))
    finally:
        if bench.server is not None:
            bench.server.stop()
        shutil.rmtree(work, ignore_errors=True)

    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["verdicts"] = verdicts(results, sizes, rss_base)
    print(table(results))
    if "profile_top" in results:
        print("\nfirst poll under cProfile, top cumulative:")
        print("\n".join(results["profile_top"]))
    RESULTS.mkdir(exist_ok=True)
    text = json.dumps(results, indent=1, ensure_ascii=False) + "\n"
    (RESULTS / "latest.json").write_text(text, encoding="utf-8")
    if args.save:
        label = "quick" if args.quick else "-".join(str(n) for n in sizes)
        dated = RESULTS / f"{datetime.now(UTC):%Y-%m-%d}-{label}.json"
        dated.write_text(text, encoding="utf-8")
        log(f"wrote {dated}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench_poll: {exc}", file=sys.stderr)
        sys.exit(1)
