"""Hostile input: whatever arrives is stored, bounded, and cannot steer a reply.

The parser's own fuzzing is in test_message.py (hypothesis over MIME and
header values) and the renderer's unit checks in test_render.py; here the
whole pass runs: the corpus through the worker, oversized mail through a
real `poll` process with its memory measured, and injection attempts through
Dovecot and aiosmtpd, asserting on the bytes the SMTP server received.
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from cli import cli
from inbox_worker.mail.source import MAX_MESSAGE_BYTES
from inbox_worker.reading.message import MAX_RAW_BYTES
from tests import mailfactory
from tests.configs import write_config
from tests.localdesk import LocalDesk
from tests.servers import ImapAccount, SmtpServer

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(
    os.environ.get("INBOX_WORKER_CORPUS") or Path(__file__).parents[2] / "shared" / "corpus"
)


# -- the corpus -----------------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
def test_every_corpus_message_goes_through_a_pass(tmp_path: Path) -> None:
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".eml", ".txt") and p.is_file())
    assert len(files) > 100
    desk = LocalDesk(tmp_path)
    for path in files:
        desk.deliver(path.read_bytes())
    report = desk.run()
    assert report.new == len(files)
    db = Database(desk.database)
    states = {r["state"] for r in db["messages"].rows}
    assert states <= {"processed", "quarantined"}
    quarantined = list(db.query("select id, error from messages where state = 'quarantined'"))
    assert all(r["error"] for r in quarantined)
    print(f"\ncorpus: {len(files)} files, {report.summary()}")
    # A second pass finds nothing left to do.
    assert desk.run().new == 0


# -- oversized mail, memory measured ---------------------------------------------------------


def _headers(subject: str, n: int) -> bytes:
    return (
        f"From: Groot {n} <groot{n}@gemeente-voorbeeld.nl>\r\n"
        f"To: {mailfactory.ORGANISER}\r\n"
        f"Subject: {subject}\r\n"
        f"Date: {format_datetime(mailfactory.DATE)}\r\n"
        f"Message-ID: <big-{n}@gemeente-voorbeeld.nl>\r\n"
        "MIME-Version: 1.0\r\n"
    ).encode()


def fifty_megabytes() -> bytes:
    line = b"Wij willen graag de workshop boeken voor ons hele team, is dat mogelijk?\r\n"
    body = line * (50 * 1024 * 1024 // len(line) + 1)
    return _headers("Vraag over de workshop", 1) + b"Content-Type: text/plain\r\n\r\n" + body


def ten_thousand_parts() -> bytes:
    parts = b"".join(
        b'--b\r\nContent-Type: text/plain; charset="utf-8"\r\n\r\nDeel %d\r\n' % i
        for i in range(10_000)
    )
    return (
        _headers("Vraag over de workshop", 2)
        + b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        + parts
        + b"--b--\r\n"
    )


def megabyte_header_line() -> bytes:
    return (
        _headers("Vraag over de workshop", 3)
        + b"X-Padding: "
        + b"x" * (1024 * 1024 + 10)
        + b"\r\nContent-Type: text/plain\r\n\r\nWanneer is de volgende workshop?\r\n"
    )


# A small parent between the test and `poll`: Linux counts a forked child's
# peak RSS from the fork on, so forked straight from this test process (which
# holds the 50 MB message) every child would look as large as the test.
_MEASURE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(done.stdout + done.stderr, end="")
"""


def peak_rss_of_poll(desk: LocalDesk) -> tuple[int, str]:
    """Run `inbox-worker poll` in a child; its peak RSS in kB (Linux ru_maxrss) and output."""
    command = [sys.executable, "-m", "cli", "--config", str(desk.config_path), "poll"]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    peak, _, output = done.stdout.partition("\n")
    return int(peak), output


def test_oversized_mail_is_quarantined_with_a_reason_in_bounded_memory(tmp_path: Path) -> None:
    assert MAX_MESSAGE_BYTES == MAX_RAW_BYTES  # the edges and the parser agree
    baseline_desk = LocalDesk(tmp_path / "baseline")
    baseline_desk.deliver(mailfactory.inquiry_nl(1))
    baseline, output = peak_rss_of_poll(baseline_desk)
    assert "1 new" in output

    desk = LocalDesk(tmp_path / "hostile")
    for raw in (fifty_megabytes(), ten_thousand_parts(), megabyte_header_line()):
        desk.deliver(raw)
    peak, output = peak_rss_of_poll(desk)
    print(f"\npeak RSS: {baseline} kB for one inquiry, {peak} kB with the hostile three")
    assert "3 new" in output
    # The 50 MB message is never read whole; nothing else costs more than a few MB.
    assert peak - baseline < 40 * 1024, output

    db = Database(desk.database)
    rows = {r["message_id"]: r for r in db["messages"].rows}
    big = rows["<big-1@gemeente-voorbeeld.nl>"]
    assert big["state"] == "quarantined"
    assert big["error"].startswith(f"too large: {len(fifty_megabytes())} bytes")
    assert big["size"] == len(fifty_megabytes())
    header = rows["<big-3@gemeente-voorbeeld.nl>"]
    assert header["state"] == "quarantined" and "header section too large" in header["error"]
    parts = rows["<big-2@gemeente-voorbeeld.nl>"]
    assert parts["state"] == "quarantined"
    assert parts["error"] == "ValueError: too many MIME boundary lines (> 2000)"

    # Retrying the header-only message cannot turn it into something to answer.
    db.execute("update messages set state = 'new' where id = ?", [big["id"]])
    db.conn.commit()
    assert desk.run().quarantined == 1
    assert db["messages"].get(big["id"])["state"] == "quarantined"
    assert not [r for r in db["replies"].rows if r["in_reply_to"] == big["id"]]


def test_imap_downloads_only_the_header_of_an_oversized_message(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    huge = _headers("Vraag over de workshop", 4) + b"Content-Type: text/plain\r\n\r\n"
    huge += b"Wanneer is de volgende workshop?\r\n" * (MAX_MESSAGE_BYTES // 34 + 100)
    imap_account.deliver(huge)
    imap_account.deliver(mailfactory.inquiry_nl(1))
    config = write_config(tmp_path, imap_account, smtp_server)
    result = CliRunner().invoke(
        cli, ["--config", str(config), "poll"], env={"TEST_IMAP_PASSWORD": imap_account.password}
    )
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output and "1 quarantined" in result.output
    db = Database(tmp_path / "leads.db")
    row = next(r for r in db["messages"].rows if r["message_id"] == "<big-4@gemeente-voorbeeld.nl>")
    stored = db.execute("select length(raw) from messages where id = ?", [row["id"]]).fetchone()[0]
    assert stored < 4096  # the compressed header, not 25 MB
    assert row["state"] == "quarantined" and row["error"].startswith("too large: ")
    assert len(smtp_server.messages) == 1


# -- injection into replies ------------------------------------------------------------------


def encoded_word(text: str) -> str:
    """One RFC 2047 word, whatever it holds (CR/LF included): what an attacker sends."""
    return f"=?utf-8?b?{base64.b64encode(text.encode()).decode()}?="


def hostile_inquiry(n: int, name: str, subject: str, body: str, html: str) -> bytes:
    """Raw bytes: the stdlib would refuse to build these headers, an attacker need not."""
    return (
        f"From: {encoded_word(name)} <aanvrager{n}@gemeente-voorbeeld.nl>\r\n"
        f"To: {mailfactory.ORGANISER}\r\n"
        f"Subject: {encoded_word(subject)}\r\n"
        f"Date: {format_datetime(mailfactory.DATE)}\r\n"
        f"Message-ID: <hostile-{n}@gemeente-voorbeeld.nl>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/alternative; boundary="alt"\r\n\r\n'
        "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{_b64(body)}\r\n"
        "--alt\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{_b64(html)}\r\n"
        "--alt--\r\n"
    ).encode()


def _b64(text: str) -> str:
    return base64.encodebytes(text.encode()).decode().replace("\n", "\r\n")


INQUIRY = (
    "Goedemiddag,\n\nIk ben erg geïnteresseerd in jullie workshop. Wanneer zijn de "
    "volgende data en wat zijn de kosten?\n\nMet vriendelijke groet,\n\n{name}\n"
)
HOSTILE = [
    # Encoded words that decode to CR/LF followed by headers of the attacker's own.
    ("Sanne\r\nBcc: victim1@evil.example", "Vraag\r\nBcc: victim2@evil.example", "Sanne"),
    ("Sanne\nX-Injected: yes", "Workshop\r\n\r\n<b>body</b>", "Sanne"),
    # Template syntax in every field a stranger controls.
    (
        "{{ 7*7 }} {{ config }}",
        "{% for x in range(99999999) %}x{% endfor %} {{ 6*7 }}",
        "{{ 7*7 }}",
    ),
    ("{{ ''.__class__.__mro__ }}", "{{ organiser.email }} {# c #}", "{{ workshop }}"),
    # HTML meant for the HTML part of the reply.
    ("<script>alert(1)</script>", '<img src=x onerror="alert(2)">', "<b>Sanne</b>"),
]


def test_names_subjects_and_bodies_cannot_inject_headers_or_template_code(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    for n, (name, subject, signed) in enumerate(HOSTILE):
        html = f"<p>{INQUIRY.format(name=signed)}</p><script>alert(3)</script>"
        imap_account.deliver(
            hostile_inquiry(n, name, subject, INQUIRY.format(name=signed), html=html)
        )
    config = write_config(tmp_path, imap_account, smtp_server)
    result = CliRunner().invoke(
        cli, ["--config", str(config), "poll"], env={"TEST_IMAP_PASSWORD": imap_account.password}
    )
    assert result.exit_code == 0, result.output
    received = smtp_server.messages
    assert len(received) == len(HOSTILE)
    for m in received:
        assert len(m.rcpt_tos) == 1 and m.rcpt_tos[0].endswith("@gemeente-voorbeeld.nl")
        head = m.raw.partition(b"\r\n\r\n")[0]
        names = [
            line.split(b":", 1)[0].lower()
            for line in head.split(b"\r\n")
            if line[:1] not in (b" ", b"\t")
        ]
        assert b"bcc" not in names and b"x-injected" not in names, head
        assert names.count(b"to") == 1 and names.count(b"subject") == 1
        # What the attacker wrote stays inside the one To and the one Subject line.
        own_lines = [line for line in head.split(b"\r\n") if b"evil.example" in line]
        assert all(line.startswith((b"To: ", b"Subject: ")) for line in own_lines), head
        parsed = message_from_bytes(m.raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        text = parsed.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        html_part = parsed.get_body(("html",))
        assert html_part is not None  # the inquiry reply has an HTML part to attack
        html = html_part.get_content()
        for rendered in (text, html, str(parsed["Subject"])):
            # Template code from a stranger is never run: no 49, 42 or leaked config.
            assert not re.search(r"\b(49|42)\b", rendered), rendered
            assert "__mro__" not in rendered or "{{" in rendered
            assert "workshops@example.org {#" not in rendered
        assert "<script" not in html and "onerror=" not in html.replace("onerror=&#34;", "")
        assert "<b>Sanne</b>" not in html and "<b>body</b>" not in html
        assert "\n" not in str(parsed["Subject"]) and "\r" not in str(parsed["To"])
