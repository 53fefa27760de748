"""Secrets and transport: passwords stay out of everything we write; TLS is verified.

Config-level refusals have unit tests elsewhere: a `password` key in the TOML
and `security = "none"` for a remote host in test_config.py
(test_errors_name_file_and_key), certificate checks of each edge in
test_imap.py and test_smtp.py (test_an_untrusted_certificate_is_refused).
Here the whole program runs (`poll -v`, `doctor`) and every byte it wrote is
searched.
"""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from tests import mailfactory
from tests.configs import write_config
from tests.localdesk import LocalDesk
from tests.servers import DovecotServer, ImapAccount, ServerCert, SmtpServer

REPO = Path(__file__).resolve().parents[1]


def invoke(config: Path, env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--config", str(config), *args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def everything_written(folder: Path) -> bytes:
    """Every file under `folder`: the database, its -wal and -shm, logs, outbox, lock."""
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def with_smtp_login(config: Path, username: str) -> None:
    text = config.read_text()
    text = text.replace(
        'security = "none"\nsent_folder',
        f'security = "none"\nusername = "{username}"\npassword_env = "TEST_SMTP_PASSWORD"\n'
        "sent_folder",
    )
    config.write_text(text)


def test_passwords_never_reach_logs_database_errors_or_doctor(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    smtp_password = "smtp-" + secrets.token_urlsafe(16)
    smtp_server.require_auth("workshops", smtp_password)
    config = write_config(tmp_path, imap_account, smtp_server)
    with_smtp_login(config, "workshops")
    imap_account.deliver(mailfactory.inquiry_nl(1))
    good = {"TEST_IMAP_PASSWORD": imap_account.password, "TEST_SMTP_PASSWORD": smtp_password}
    log_file = tmp_path / "poll.log"

    code, output = invoke(config, good, "-v", "--log-file", str(log_file), "poll")
    assert code == 0 and "1 reply sent" in output, output
    code, doctor = invoke(config, good, "-v", "doctor")
    assert code == 0, doctor

    # Wrong passwords: the errors name user and server, never what was tried.
    wrong = {"TEST_IMAP_PASSWORD": "imap-wrong-" + secrets.token_hex(8)}
    wrong["TEST_SMTP_PASSWORD"] = "smtp-wrong-" + secrets.token_hex(8)
    imap_account.deliver(mailfactory.inquiry_nl(2))
    code, failed_poll = invoke(config, wrong, "-v", "--log-file", str(log_file), "poll")
    assert code == 1 and "login failed" in failed_poll.lower()
    code, failed_doctor = invoke(config, wrong, "-v", "doctor")
    assert code == 1 and failed_doctor.count("\nFAIL ") == 2, failed_doctor
    # IMAP right, SMTP wrong: the refusal comes from the SMTP side of a pass.
    mixed = {**good, "TEST_SMTP_PASSWORD": wrong["TEST_SMTP_PASSWORD"]}
    code, failed_send = invoke(config, mixed, "-v", "--log-file", str(log_file), "poll")
    assert code == 1 and "SMTP login failed for workshops" in failed_send, failed_send

    written = (
        everything_written(tmp_path)
        + (output + doctor + failed_poll + failed_doctor + failed_send).encode()
    )
    assert (tmp_path / "leads.db").exists() and log_file.stat().st_size > 0
    for secret in (imap_account.password, smtp_password, *wrong.values()):
        assert secret.encode() not in written, secret


def test_a_password_command_that_fails_does_not_echo_its_output(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    secret = "cmd-" + secrets.token_hex(12)
    script = tmp_path / "pass.sh"
    script.write_text(f"#!/bin/sh\necho 'vault says: {secret}' >&2\necho {secret}\nexit 3\n")
    script.chmod(0o700)
    config = write_config(tmp_path, imap_account, smtp_server)
    config.write_text(
        config.read_text().replace(
            'password_env = "TEST_IMAP_PASSWORD"', f'password_command = "{script}"'
        )
    )
    code, output = invoke(config, {}, "-v", "poll")
    assert code == 1 and "password_command: exited 3" in output
    code, doctor = invoke(config, {}, "doctor")
    assert code == 1
    assert secret not in output + doctor


@pytest.mark.parametrize("side", ["imap", "smtp"])
def test_a_self_signed_certificate_is_refused_unless_its_ca_file_is_named(
    tmp_path: Path,
    side: str,
    dovecot_server: DovecotServer,
    imap_account: ImapAccount,
    test_cert: ServerCert,
) -> None:
    smtp = SmtpServer(cert=test_cert, tls="tls") if side == "smtp" else SmtpServer()
    smtp.start()
    try:
        config = write_config(tmp_path, imap_account, smtp)
        text = config.read_text()
        if side == "imap":
            assert dovecot_server.ca_file is not None
            text = text.replace(
                f'port = {imap_account.port}\nsecurity = "none"',
                f'port = {dovecot_server.tls_port}\nsecurity = "tls"',
            )
            ca_file = dovecot_server.ca_file
        else:
            text = text.replace(
                f'port = {smtp.port}\nsecurity = "none"', f'port = {smtp.port}\nsecurity = "tls"'
            )
            ca_file = str(test_cert.cert)
        config.write_text(text)
        imap_account.deliver(mailfactory.inquiry_nl(1))
        env = {"TEST_IMAP_PASSWORD": imap_account.password}

        code, output = invoke(config, env, "poll")
        assert code == 1
        assert "certificate verification failed" in output, output
        assert smtp.messages == []

        config.write_text(text.replace(f"[{side}]\n", f'[{side}]\nca_file = "{ca_file}"\n', 1))
        code, output = invoke(config, env, "poll")
        assert code == 0, output
        assert len(smtp.messages) == 1
    finally:
        smtp.stop()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_what_we_write_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    # A fresh process with the common umask 022: the modes are ours, not the umask's.
    desk = LocalDesk(tmp_path / "desk")
    for n in (1, 2):
        desk.deliver(mailfactory.inquiry_nl(n))
    code = (
        "import os, sys; os.umask(0o022); sys.argv = ['inbox-worker', '--config', "
        f"{str(desk.config_path)!r}, 'poll']; import cli; cli.main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert len(desk.sent()) == 2
    private = [
        desk.database,
        desk.database.with_name("leads.db-wal"),
        desk.database.with_name("leads.db.lock"),
        *desk.outbox.glob("*.eml"),
        desk.mail / "inbox-worker-uidlist",
    ]
    for path in private:
        if path.exists():
            assert _mode(path) == 0o600, (path, oct(_mode(path)))
    assert _mode(desk.outbox) == 0o700
    # Mail we file ourselves (a Sent copy in a Maildir), and the folders it lives in.
    from inbox_worker.mail.maildir import open_maildir

    with open_maildir(tmp_path / "new-maildir", create=True) as mailbox:
        mailbox.append("Sent", mailfactory.inquiry_nl(3))
    root = tmp_path / "new-maildir"
    for folder in (root, root / "cur", root / ".Sent", root / ".Sent" / "cur"):
        assert _mode(folder) == 0o700, folder
    [copy] = list((root / ".Sent" / "cur").iterdir())
    assert _mode(copy) == 0o600
    assert os.stat(desk.database).st_uid == os.geteuid()
