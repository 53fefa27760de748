"""Config files for tests that run the pipeline against the test servers."""

from __future__ import annotations

from collections.abc import Sequence
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
    organiser: str = mailfactory.ORGANISER,
    aliases: Sequence[str] = (),
    forwarders: Sequence[str] = (),
    authserv_id: str = "",
    year: int = 2099,
    max_per_hour: int = 60,
) -> Path:
    """The config of a desk on the test servers.

    `organiser`, `aliases`, `forwarders` and `authserv_id` are the [organiser]
    settings that say who is on the organiser's side and whose
    Authentication-Results count; `year` moves the three upcoming sessions
    (2094 gives them the weekdays of 2027: Tuesday, Thursday, Wednesday);
    `max_per_hour` is the ceiling on all automatic mail (tests that answer
    hundreds of people in one pass raise it).
    """
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
email = "{organiser}"
phone = "030 123 45 67"
aliases = {_toml_list(aliases)}
forwarders = {_toml_list(forwarders)}
authserv_id = "{authserv_id}"

[replies]
mode = "{mode}"
max_per_hour = {max_per_hour}

[workshop]
title = "Co-creëren met de samenleving"
summary = "Een dag over participatie."
price = "€ 495"
duration = "één dag"

[[workshop.sessions]]
id = "utrecht"
starts = {year}-01-12T09:30:00+01:00
ends = {year}-01-12T16:30:00+01:00
location = "Utrecht"
capacity = {utrecht_capacity}

[[workshop.sessions]]
id = "zwolle"
starts = {year}-02-04T09:30:00+01:00
ends = {year}-02-04T16:30:00+01:00
location = "Zwolle"
capacity = 16

[[workshop.sessions]]
id = "online"
starts = {year}-03-10T09:30:00+01:00
ends = {year}-03-10T16:30:00+01:00
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


def _toml_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"
