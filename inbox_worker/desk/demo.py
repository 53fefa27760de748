"""The embedded default: a demo mailbox run through the production pipeline.

`inbox-worker demo` makes a folder with a config, a Maildir holding the
packaged demo emails and a file outbox, then runs the same `Worker.run_once()`
as `poll`. The sessions are dated from today so the demo always has upcoming
dates to offer, whenever it is run.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from .. import shipped
from ..errors import InboxWorkerError

MARKER = ".inbox-worker-demo"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SESSION_PLACES = (("utrecht", "Utrecht", 16), ("zwolle", "Zwolle", 16), ("online", "online", 20))


def example_config_text() -> str:
    """config.example.toml, from the package when installed, else the checkout."""
    return shipped("config.example.toml").read_text(encoding="utf-8")


def demo_emails() -> list[tuple[str, bytes]]:
    folder = resources.files("inbox_worker") / "demo_mail"
    return sorted(
        (entry.name, entry.read_bytes())
        for entry in folder.iterdir()
        if entry.name.endswith(".eml")
    )


def demo_sessions_toml(today: datetime) -> str:
    """Three sessions on Tuesdays, a month apart, starting about three weeks out."""
    first = (today + timedelta(days=21)).date()
    first += timedelta(days=(1 - first.weekday()) % 7)  # the next Tuesday
    blocks = []
    for i, (slug, place, capacity) in enumerate(SESSION_PLACES):
        day = first + timedelta(weeks=4 * i)
        starts = datetime(day.year, day.month, day.day, 9, 30, tzinfo=AMSTERDAM)
        ends = starts.replace(hour=16)
        blocks.append(
            "[[workshop.sessions]]\n"
            f'id = "{day:%Y-%m}-{slug}"\n'
            # Wall time, read in [organiser] timezone, as an organiser would write it.
            f"starts = {starts.replace(tzinfo=None).isoformat()}\n"
            f"ends = {ends.replace(tzinfo=None).isoformat()}\n"
            f'location = "{place}"\n'
            f"capacity = {capacity}\n"
        )
    return "\n".join(blocks)


def prepare(folder: Path, now: datetime) -> Path:
    """(Re)create the demo folder; returns the path of its config file."""
    if folder.exists():
        if not (folder / MARKER).exists() and any(folder.iterdir()):
            raise InboxWorkerError(
                f"{folder} exists and is not a demo folder; choose another with --dir"
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / MARKER).write_text("made by 'inbox-worker demo'; safe to delete\n")

    text = example_config_text()
    text = text[: text.index("[[workshop.sessions]]")] + demo_sessions_toml(now)
    # The demo mail was received by mx1.example.org, which checked DMARC.
    text = text.replace('# authserv_id = "mx1.example.org"', 'authserv_id = "mx1.example.org"')
    config_path = folder / "config.toml"
    config_path.write_text(text, encoding="utf-8")

    from ..mail.maildir import deliver, open_maildir

    mail = folder / "mail"
    open_maildir(mail, create=True).close()
    for _name, raw in demo_emails():
        deliver(mail, raw)
    return config_path
