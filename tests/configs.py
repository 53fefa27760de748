"""Config files for tests that run the pipeline against the test servers."""

from __future__ import annotations

from pathlib import Path

from tests import mailfactory
from tests.servers import ImapAccount, SmtpServer


def write_config(
    tmp_path: Path,
    imap: ImapAccount,
    smtp: SmtpServer,
    *,
    mode: str = "send",
    sent_folder: str = "auto",
    utrecht_capacity: int = 16,
) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f"""
[source]
kind = "imap"

[transport]
kind = "smtp"

[imap]
host = "{imap.host}"
port = {imap.port}
security = "none"
username = "{imap.username}"
password_env = "TEST_IMAP_PASSWORD"

[smtp]
host = "{smtp.host}"
port = {smtp.port}
security = "none"
sent_folder = "{sent_folder}"

[organiser]
name = "Gertjan Verstoep"
email = "{mailfactory.ORGANISER}"
phone = "030 123 45 67"

[replies]
mode = "{mode}"

[workshop]
title = "Co-creëren met de samenleving"
summary = "Een dag over participatie."
price = "€ 495"
duration = "één dag"

[[workshop.sessions]]
id = "utrecht"
starts = 2099-01-12T09:30:00+01:00
ends = 2099-01-12T16:30:00+01:00
location = "Utrecht"
capacity = {utrecht_capacity}

[[workshop.sessions]]
id = "zwolle"
starts = 2099-02-04T09:30:00+01:00
ends = 2099-02-04T16:30:00+01:00
location = "Zwolle"
capacity = 16

[[workshop.sessions]]
id = "online"
starts = 2099-03-10T09:30:00+01:00
ends = 2099-03-10T16:30:00+01:00
location = "online"
capacity = 20

[[workshop.sessions]]
id = "verleden"
starts = 2020-02-04T09:30:00+01:00
ends = 2020-02-04T16:30:00+01:00
location = "Amersfoort"
capacity = 16
""",
        encoding="utf-8",
    )
    return path
