"""Measuring tools for bench_poll.py: timed child processes, loaded mailboxes, the peers.

`run_process` times one child from spawn to exit and reads that child's own
peak RSS from wait4(): `getrusage(RUSAGE_CHILDREN)` would report the largest
child seen so far, so a 5,000-message run after a 50,000-message one would
inherit the bigger figure. `load_maildir` writes generated messages straight
into a Dovecot user's Maildir (50,000 files in seconds, where IMAP APPEND
takes minutes) and lets Dovecot index them. `Mbsync`, `Getmail` and
`bare_fetch` are the reference points the issue compares inbox-worker with.
Everything here talks to 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from imapclient import IMAPClient

LOOPBACK = "127.0.0.1"
WRITE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC


class BenchError(RuntimeError):
    """A measurement could not be taken; the message says which and why."""


@dataclass(frozen=True)
class Run:
    seconds: float
    rss_mb: float | None = None
    cpu_s: float | None = None


GNU_TIME = "/usr/bin/time"


def run_process(
    argv: Sequence[str],
    *,
    timeout: float,
    env: dict[str, str] | None = None,
    stdout: Path | None = None,
    label: str = "",
) -> Run:
    """Run argv to completion: wall time from spawn to exit, the child's peak RSS and CPU.

    Peak RSS comes from GNU time, not from our own wait4(): Linux starts a
    spawned child's high-water mark at its parent's RSS (the mm it was
    cloned from), so measured directly every child would look at least as
    big as this harness. GNU time is a small parent. CPU seconds (user +
    system) are reported too: on a shared machine they vary much less than
    wall time. Output goes to files, never to pipes, so a chatty child cannot
    block on a full pipe. A child still running after `timeout` is killed
    with its whole session, and BenchError says so.
    """
    tag = f"/tmp/inbox-worker-bench-{os.getpid()}-{threading.get_ident()}"
    errors, usage = Path(tag + ".stderr"), Path(tag + ".time")
    command = list(argv)
    if os.access(GNU_TIME, os.X_OK):
        command = [GNU_TIME, "-f", "%M %U %S", "-o", str(usage), *command]
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, str(stdout or os.devnull), WRITE, 0o600),
        (os.POSIX_SPAWN_OPEN, 2, str(errors), WRITE, 0o600),
    ]  # fmt: skip
    timed_out = threading.Event()
    start = time.perf_counter()
    pid = os.posix_spawnp(
        command[0], command, env if env is not None else os.environ, file_actions=actions,
        setsid=True,
    )  # fmt: skip

    def kill() -> None:
        timed_out.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _, status, _ = os.wait4(pid, 0)
    except BaseException:
        # Interrupted (SIGTERM, Ctrl-C): the child must not outlive the harness.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    finally:
        timer.cancel()
    seconds = time.perf_counter() - start
    tail = errors.read_text(errors="replace")[-2000:] if errors.exists() else ""
    figures = usage.read_text().split() if usage.exists() else []
    errors.unlink(missing_ok=True)
    usage.unlink(missing_ok=True)
    name = label or Path(argv[0]).name
    if timed_out.is_set():
        raise BenchError(f"{name} did not finish within {timeout:.0f}s")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise BenchError(f"{name} exited with {code}:\n{tail}")
    if len(figures) >= 3 and figures[-3].isdigit():
        # %M is in kilobytes.
        return Run(seconds, int(figures[-3]) / 1024, float(figures[-2]) + float(figures[-1]))
    return Run(seconds)


@dataclass
class Series:
    """Repeated runs of one measurement; the median is what we report."""

    seconds: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)
    note: str = ""

    def add(self, run: Run | float) -> None:
        if not isinstance(run, Run):
            run = Run(run)
        self.seconds.append(run.seconds)
        if run.rss_mb is not None:
            self.rss_mb.append(run.rss_mb)
        if run.cpu_s is not None:
            self.cpu_s.append(run.cpu_s)

    @property
    def spent(self) -> float:
        return sum(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def rss_median(self) -> float | None:
        return statistics.median(self.rss_mb) if self.rss_mb else None

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu_s) if self.cpu_s else None


@dataclass(frozen=True)
class Measure:
    name: str
    run: Callable[[], Run | float]
    before: Callable[[], None] | None = None


def interleave(measures: Sequence[Measure], times: int, *, budget: float) -> dict[str, Series]:
    """Run each measure `times` times, round by round, so load from elsewhere hits all alike.

    A measure whose runs have used up `budget` seconds sits out the later
    rounds: a slow one (getmail6, an unoptimised first poll) must not keep
    the harness from finishing; its note says how many runs its median is of.
    """
    series = {m.name: Series() for m in measures}
    for round_no in range(times):
        for m in measures:
            s = series[m.name]
            if s.spent > budget:
                s.note = s.note or f"{round_no} of {times} runs: over the {budget:.0f}s budget"
                continue
            if m.before is not None:
                m.before()
            s.add(m.run())
    return series


def repeat(measure: Callable[[], Run | float], times: int, *, budget: float = 1e9) -> Series:
    return interleave([Measure("one", measure)], times, budget=budget)["one"]


# ----------------------------------------------------------------------------- mailboxes


@dataclass(frozen=True)
class Mailbox:
    username: str
    password: str
    count: int
    megabytes: float
    uidvalidity: int
    last_uid: int


def mail_ids() -> tuple[int, int]:
    """uid and gid of the Maildirs, as tests/servers.py's DovecotServer sets them up."""
    if os.geteuid() != 0:
        return os.geteuid(), os.getegid()
    try:
        entry = pwd.getpwnam("mail")
    except KeyError:
        entry = pwd.getpwnam("nobody")
    return entry.pw_uid, entry.pw_gid


def load_maildir(home: Path, maildir: Path, raws: Iterable[tuple[bytes, float]]) -> tuple[int, int]:
    """Write messages into a Maildir's cur/ as unread mail; returns (count, bytes).

    File names carry S= (size on disk) and W= (size with CRLF line ends), so
    Dovecot answers RFC822.SIZE without reading the file. The mtime is the
    message's date, which Dovecot reports as INTERNALDATE.
    """
    uid, gid = mail_ids()
    for folder in (home, maildir, maildir / "cur", maildir / "new", maildir / "tmp"):
        folder.mkdir(parents=True, exist_ok=True)
        os.chown(folder, uid, gid)
        folder.chmod(0o700)
    count = total = 0
    pid = os.getpid()
    for raw, mtime in raws:
        vsize = len(raw) + raw.count(b"\n") - raw.count(b"\r\n")
        name = f"{int(mtime)}.M{count}P{pid}.bench,S={len(raw)},W={vsize}:2,"
        path = maildir / "cur" / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, raw)
            os.fchown(fd, uid, gid)
        finally:
            os.close(fd)
        os.utime(path, (mtime, mtime))
        count += 1
        total += len(raw)
    return count, total


def index_and_warm(username: str, password: str, port: int, expected: int) -> tuple[int, int]:
    """Let Dovecot index the new files and fill the page cache; (uidvalidity, last uid).

    Untimed: every peer then starts from the same warm server and cache.
    """
    client = IMAPClient(LOOPBACK, port=port, ssl=False, timeout=600)
    try:
        client.login(username, password)
        info = client.select_folder("INBOX", readonly=True)
        uids = sorted(client.search("ALL"))
        if len(uids) != expected:
            raise BenchError(f"Dovecot sees {len(uids)} messages for {username}, not {expected}")
        for start in range(0, len(uids), 1000):
            client.fetch(uids[start : start + 1000], [b"BODY.PEEK[]"])
        return int(info[b"UIDVALIDITY"]), uids[-1]
    finally:
        client.logout()


def bare_fetch(username: str, password: str, port: int, batch: int = 500) -> tuple[int, int]:
    """The floor for any IMAP client: connect, login, SELECT, UID SEARCH, UID FETCH in batches."""
    client = IMAPClient(LOOPBACK, port=port, ssl=False, timeout=600)
    count = size = 0
    try:
        client.login(username, password)
        client.select_folder("INBOX", readonly=True)
        uids = sorted(client.search(["UID", "1:*"]))
        for start in range(0, len(uids), batch):
            data = client.fetch(uids[start : start + batch], [b"BODY.PEEK[]"])
            for item in data.values():
                size += len(item[b"BODY[]"])
            count += len(data)
    finally:
        client.logout()
    return count, size


def count_maildir(path: Path) -> int:
    return sum(1 for sub in ("cur", "new") if (path / sub).is_dir() for _ in (path / sub).iterdir())


def fresh_dir(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


# ----------------------------------------------------------------------------- peers


class Mbsync:
    """isync's mbsync pulling INBOX into a fresh Maildir (fsync on: its default)."""

    def __init__(self, work: Path, port: int, username: str, password: str) -> None:
        self.work = work
        self.rc = work / "mbsyncrc"
        self.store = work / "store"
        # Far = the IMAP server, Near = the local Maildir (isync 1.4 names).
        self.rc.write_text(
            f"IMAPAccount bench\nHost {LOOPBACK}\nPort {port}\nUser {username}\n"
            f'Pass "{password}"\nSSLType None\nAuthMechs LOGIN\n\n'
            "IMAPStore bench-far\nAccount bench\n\n"
            f"MaildirStore bench-near\nPath {self.store}/\nInbox {self.store}/INBOX\n\n"
            "Channel bench\nFar :bench-far:\nNear :bench-near:\nPatterns INBOX\n"
            "Create Near\nSync Pull\nSyncState *\n"
        )
        self.rc.chmod(0o600)

    def reset(self) -> None:
        fresh_dir(self.store)

    def run(self, timeout: float) -> Run:
        return run_process(["mbsync", "-c", str(self.rc), "-q", "bench"], timeout=timeout)

    def delivered(self) -> int:
        return count_maildir(self.store / "INBOX")


class Getmail:
    """getmail6 reading every message (read_all) into a fresh Maildir, deleting nothing.

    `limit` (max_messages_per_session) caps one run: at ~130 messages/s a
    50,000-message folder would take six minutes per run, and the rate is
    what the comparison needs.
    """

    def __init__(self, work: Path, port: int, username: str, password: str, limit: int) -> None:
        self.work = work
        self.state = work / "getmaildir"
        self.maildir = work / "Maildir"
        self.rc = work / "getmailrc"
        # getmail refuses to deliver as root; it delivers as `user` instead.
        run_as = f"user = {pwd.getpwuid(mail_ids()[0]).pw_name}\n" if os.geteuid() == 0 else ""
        self.rc.write_text(
            "[retriever]\ntype = SimpleIMAPRetriever\n"
            f"server = {LOOPBACK}\nport = {port}\nusername = {username}\n"
            f'password = {password}\nmailboxes = ("INBOX",)\n\n'
            f"[destination]\ntype = Maildir\npath = {self.maildir}/\n{run_as}\n"
            "[options]\nread_all = true\ndelete = false\nverbose = 0\n"
            f"max_messages_per_session = {limit}\nmessage_log_syslog = false\n"
        )
        self.rc.chmod(0o600)

    def reset(self) -> None:
        # Its "oldmail" state would make a second run skip everything.
        fresh_dir(self.state)
        fresh_dir(self.maildir)
        uid, gid = mail_ids()
        os.chown(self.maildir, uid, gid)
        for sub in ("cur", "new", "tmp"):
            (self.maildir / sub).mkdir()
            os.chown(self.maildir / sub, uid, gid)

    def run(self, binary: str, timeout: float) -> Run:
        argv = [binary, f"--getmaildir={self.state}", f"--rcfile={self.rc}", "-q"]
        return run_process(argv, timeout=timeout)

    def delivered(self) -> int:
        return count_maildir(self.maildir)


def version_of(argv: Sequence[str]) -> str:
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return "missing"
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else "?"
