"""One clock: session times are read in the organiser's zone, every time is shown in it.

A rule per test: summer and winter sessions with and without offsets, the
spring-forward gap, the hour that happens twice, a wrong offset; then the same
session through config, CLI, mail text and invite, which must all say 09:30.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from inbox_worker import clock
from inbox_worker import config as config_mod
from inbox_worker.errors import ConfigError
from tests import mailfactory
from tests.localdesk import LocalDesk

AMS = clock.AMSTERDAM
WINTER = timezone(timedelta(hours=1))
SUMMER = timezone(timedelta(hours=2))

BASE = """
[source]
path = "mail"

[transport]
path = "outbox"

[organiser]
name = "Org"
email = "workshops@example.org"
{organiser}

[workshop]
title = "Co-creëren"

[[workshop.sessions]]
id = "{session_id}"
starts = {starts}
ends = {ends}
location = "Utrecht"
capacity = 16
"""


def load(tmp_path: Path, starts: str, ends: str = "", *, organiser: str = "") -> config_mod.Config:
    path = tmp_path / "config.toml"
    ends = ends or re.sub(r"T\d\d:\d\d", "T16:30", starts)
    path.write_text(
        BASE.format(organiser=organiser, session_id="s1", starts=starts, ends=ends),
        encoding="utf-8",
    )
    return config_mod.load(path)


def error(tmp_path: Path, starts: str, ends: str = "", *, organiser: str = "") -> str:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, starts, ends, organiser=organiser)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'config.toml'}: [workshop.sessions #1] ")
    assert "session 's1'" in message
    return message


# -- reading session times ---------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2027-01-12T09:30:00", datetime(2027, 1, 12, 9, 30, tzinfo=WINTER)),  # winter, wall time
        ("2027-04-13T09:30:00", datetime(2027, 4, 13, 9, 30, tzinfo=SUMMER)),  # summer, wall time
        ("2027-01-12T09:30:00+01:00", datetime(2027, 1, 12, 9, 30, tzinfo=WINTER)),
        ("2027-04-13T09:30:00+02:00", datetime(2027, 4, 13, 9, 30, tzinfo=SUMMER)),
    ],
)
def test_sessions_are_read_in_the_organisers_zone(
    tmp_path: Path, written: str, expected: datetime
) -> None:
    [session] = load(tmp_path, written, "2027-12-31T16:30:00").workshop.sessions
    assert session.starts == expected
    assert session.starts.utcoffset() == expected.utcoffset()  # shown as written: 09:30
    assert session.starts.tzinfo is AMS
    assert clock.show(session.starts) == f"{expected:%Y-%m-%d} 09:30"


def test_a_winter_offset_on_a_summer_date_names_the_session_and_the_right_offset(
    tmp_path: Path,
) -> None:
    message = error(tmp_path, "2027-04-13T09:30:00+01:00", "2027-04-13T16:30:00")
    assert "starts: session 's1': 2027-04-13T09:30:00+01:00 is 10:30 in Europe/Amsterdam" in message
    assert "offset on 2027-04-13 is +02:00" in message
    assert "write 2027-04-13T09:30:00+02:00 (or 2027-04-13T09:30:00 without an offset)" in message


def test_a_summer_offset_on_a_winter_date_is_refused_too(tmp_path: Path) -> None:
    message = error(tmp_path, "2027-01-12T09:30:00", "2027-01-12T16:30:00+02:00")
    assert "ends: session 's1': 2027-01-12T16:30:00+02:00 is 15:30" in message
    assert "write 2027-01-12T16:30:00+01:00" in message


@pytest.mark.parametrize("written", ["2027-03-28T02:30:00", "2027-03-28T02:30:00+01:00"])
def test_a_time_in_the_spring_forward_gap_does_not_exist(tmp_path: Path, written: str) -> None:
    message = error(tmp_path, written, "2027-03-28T16:30:00")
    assert "2027-03-28 02:30 does not exist in Europe/Amsterdam" in message
    assert "(+01:00 to +02:00)" in message
    # The moment a reader of the old config got in mail: 03:30 summer time.
    assert "write 2027-03-28T03:30:00+02:00" in message


def test_the_hour_that_happens_twice_needs_its_offset(tmp_path: Path) -> None:
    message = error(tmp_path, "2027-10-31T02:30:00", "2027-10-31T16:30:00")
    assert "2027-10-31 02:30 happens twice in Europe/Amsterdam" in message
    assert "+02:00 or +01:00" in message
    for offset, utc_hour in (("+02:00", 0), ("+01:00", 1)):
        [s] = load(
            tmp_path, f"2027-10-31T02:30:00{offset}", "2027-10-31T16:30:00"
        ).workshop.sessions
        assert s.starts.astimezone(UTC).hour == utc_hour
        assert clock.show(s.starts) == "2027-10-31 02:30"


def test_a_value_that_is_no_datetime_gets_an_example_without_a_season(tmp_path: Path) -> None:
    message = error(tmp_path, "'2027-07-01 09:30'")
    assert "expected a TOML datetime like 2027-04-13T09:30:00 (wall time in Europe/Amsterdam)" in (
        message
    )
    assert "+01:00" not in message


def test_another_zone_reads_wall_time_there(tmp_path: Path) -> None:
    cfg = load(tmp_path, "2027-04-13T09:30:00", organiser='timezone = "Europe/London"')
    [s] = cfg.workshop.sessions
    assert s.starts.utcoffset() == timedelta(hours=1)  # BST
    assert clock.show(s.starts, cfg.organiser.zone) == "2027-04-13 09:30"
    message = error(tmp_path, "2027-04-13T09:30:00+02:00", organiser='timezone = "Europe/London"')
    assert "is 08:30 in Europe/London" in message and "write 2027-04-13T09:30:00+01:00" in message


def test_an_unknown_zone_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(
        ConfigError, match=r"\[organiser\] timezone: unknown time zone 'Mars/Olympus'"
    ):
        load(tmp_path, "2027-04-13T09:30:00", organiser='timezone = "Mars/Olympus"')


def test_the_default_zone_is_amsterdam(tmp_path: Path) -> None:
    assert load(tmp_path, "2027-04-13T09:30:00").organiser.timezone == "Europe/Amsterdam"


def test_a_wrong_offset_stops_every_command_with_one_line(tmp_path: Path) -> None:
    load(tmp_path, "2027-04-13T09:30:00")  # writes a valid file first
    path = tmp_path / "config.toml"
    path.write_text(path.read_text().replace("09:30:00", "09:30:00+01:00"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(path), "sessions", "list"])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert "session 's1'" in line and "+02:00" in line


# -- showing times -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("ts", "shown"),
    [
        ("2027-04-13T07:30:00+00:00", "2027-04-13 09:30"),  # stored UTC, summer
        ("2027-01-12T08:30:00+00:00", "2027-01-12 09:30"),  # stored UTC, winter
        (datetime(2027, 4, 13, 9, 30, tzinfo=SUMMER), "2027-04-13 09:30"),
        (datetime(2027, 4, 13, 9, 30), "2027-04-13 09:30"),  # naive: wall time already
        ("2026-11-30T23:30:00+00:00", "2026-12-01 00:30"),  # the date moves too
        (None, ""),
        ("", ""),
        ("not a time", "not a time"),
    ],
)
def test_show_is_full_and_in_the_zone(ts: datetime | str | None, shown: str) -> None:
    assert clock.show(ts) == shown


# -- one wall-clock time everywhere --------------------------------------------------

SESSIONS = """
[[workshop.sessions]]
id = "summer"
starts = 2099-06-16T09:30:00
ends = 2099-06-16T16:30:00
location = "Utrecht"
capacity = 16

[[workshop.sessions]]
id = "winter"
starts = 2099-01-13T09:30:00+01:00
ends = 2099-01-13T16:30:00+01:00
location = "Zwolle"
capacity = 16
"""


def _text(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert isinstance(part, EmailMessage)
    return part.get_content()


def _ics(msg: EmailMessage) -> str:
    parts = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    assert parts
    payload = parts[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def test_config_cli_mail_and_invite_show_the_same_wall_clock_time(tmp_path: Path) -> None:
    desk = LocalDesk(tmp_path)
    text = desk.config_path.read_text(encoding="utf-8")
    desk.config_path.write_text(text[: text.index("[[workshop.sessions]]")] + SESSIONS)
    sender = "m.brink@zwolle.nl"
    desk.deliver(mailfactory.inquiry_nl(1, sender=sender))
    desk.run()
    [offer] = desk.new_replies()
    offered = _text(offer)
    assert "dinsdag 16 juni 2099" in offered and "dinsdag 13 januari 2099" in offered
    assert "9:30" in offered and "10:30" not in offered and "8:30" not in offered

    summer = 1 if offered.index("juni") < offered.index("januari") else 2
    desk.deliver(
        mailfactory.reply_to(offer.as_bytes(), sender, "M. Brink", f"Graag optie {summer}.", 2)
    )
    desk.run()
    [confirmation] = desk.new_replies()
    confirmed = _text(confirmation)
    assert "16 juni 2099" in confirmed and "9:30" in confirmed and "10:30" not in confirmed
    ics = _ics(confirmation)
    assert "DTSTART;TZID=Europe/Amsterdam:20990616T093000" in ics
    assert "DTEND;TZID=Europe/Amsterdam:20990616T163000" in ics

    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--config", str(desk.config_path), *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    sessions = run("sessions", "list")
    assert re.search(r"^winter\s+2099-01-13 09:30\s", sessions, re.M)
    assert re.search(r"^summer\s+2099-06-16 09:30\s", sessions, re.M)
    # The desk's clock: 2098-12-01 09:00 UTC is 10:00 in Amsterdam.
    shown = run("leads", "show", sender)
    assert re.search(r"created:\s+2098-12-01 10:00$", shown, re.M)
    assert re.search(r"summer\s+2099-06-16 09:30\s+Utrecht", shown)
    assert re.search(r"^  2098-12-01 10:00  in ", shown, re.M)
    assert re.search(r"^  2098-12-01 10:00  out ", shown, re.M)
    replies = run("replies", "list")
    assert len(re.findall(r"2098-12-01 10:00 ", replies)) == 2  # the time, no longer cut off
    messages = run("messages", "list")
    assert messages.splitlines()[0].split()[:2] == ["id", "received"]
    assert len(re.findall(r" 2098-12-01 10:00 ", messages)) == 2
    assert all(len(line) < 100 for line in messages.splitlines())


def test_the_invite_is_written_in_the_organisers_zone() -> None:
    """Config, CLI, mail text and invite show one wall-clock time, in any zone."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from inbox_worker.writing.invite import Invite, to_ics

    london = ZoneInfo("Europe/London")
    starts = datetime(2099, 6, 16, 9, 30, tzinfo=london)
    invite = Invite(
        "REQUEST", "uid-1@example.org", 0, starts, starts.replace(hour=16),
        "Workshop", "London", "", "Organiser", "o@example.org", "Anna", "a@example.org",
        starts, zone=london,
    )  # fmt: skip
    assert "DTSTART;TZID=Europe/London:20990616T093000" in to_ics(invite).decode()
