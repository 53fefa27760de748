"""One clock: the organiser's time zone, for reading session times and showing any time (pure).

Workshop days happen where the organiser is ([organiser] timezone, Europe/Amsterdam
by default). A session time in the config is read in that zone: written as wall
time it is taken as such; written with an offset, the offset must be the one the
zone has on that date, so the config, the CLI, the mail text and the invite all
show the same wall-clock time. Every time a command prints goes through `show`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Europe/Amsterdam"


class ClockError(ValueError):
    """A session time the organiser's zone cannot take as written."""


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name` ("Europe/Amsterdam"); ValueError when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r} (an IANA name like {DEFAULT_TIMEZONE!r})"
        ) from None


AMSTERDAM = zone(DEFAULT_TIMEZONE)


def local(dt: datetime, tz: tzinfo = AMSTERDAM) -> datetime:
    """`dt` in the zone; a naive datetime is taken to be wall time there already."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=tz)
    return dt.astimezone(tz)


def show(ts: datetime | str | None, tz: tzinfo = AMSTERDAM) -> str:
    """Any time as the CLI prints it: "2027-04-13 10:30" in the zone ("" for none).

    Takes a datetime or a stored ISO timestamp; text that is no timestamp is
    returned as it is rather than hidden.
    """
    if ts is None or ts == "":
        return ""
    if isinstance(ts, str):
        try:
            when = datetime.fromisoformat(ts)
        except ValueError:
            return ts
    else:
        when = ts
    return local(when, tz).strftime("%Y-%m-%d %H:%M")


def offset(delta: timedelta | None) -> str:
    """A UTC offset as ISO 8601 writes it: "+02:00"."""
    minutes = int((delta or timedelta()).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _offsets(wall: datetime, tz: tzinfo) -> set[timedelta]:
    """The offsets the zone has at this wall time: one, or two when it happens twice."""
    return {
        d for fold in (0, 1) if (d := wall.replace(tzinfo=tz, fold=fold).utcoffset()) is not None
    }


def _exists(wall: datetime, tz: tzinfo) -> bool:
    # A wall time in the spring-forward gap does not survive a trip through UTC.
    aware = wall.replace(tzinfo=tz)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall


def session_time(value: datetime, tz: ZoneInfo) -> datetime:
    """A session time from the config as an aware datetime in `tz`, or ClockError.

    Wall time (no offset) is read in the zone; it must exist there (not in the
    spring-forward gap) and happen once (not in the hour the clocks go back,
    where only an offset says which is meant). A time with an offset must have
    the offset the zone has on that date: 09:30+01:00 on a summer date is 10:30
    in Amsterdam, which is rarely what the organiser meant.
    """
    wall = value.replace(tzinfo=None)
    written = wall.isoformat(timespec="minutes").replace("T", " ")
    if not _exists(wall, tz):
        before = (wall - timedelta(hours=3)).replace(tzinfo=tz)
        after = (wall + timedelta(hours=3)).replace(tzinfo=tz)
        moment = (value if value.tzinfo else wall.replace(tzinfo=tz)).astimezone(UTC).astimezone(tz)
        raise ClockError(
            f"{written} does not exist in {tz}: the clocks go forward that night"
            f" ({offset(before.utcoffset())} to {offset(after.utcoffset())});"
            f" write {moment.isoformat()} for the moment it would be, or another time"
        )
    offsets = _offsets(wall, tz)
    if value.tzinfo is None:
        if len(offsets) > 1:
            choices = " or ".join(offset(d) for d in sorted(offsets, reverse=True))
            raise ClockError(
                f"{written} happens twice in {tz} (the clocks go back that night):"
                f" add the offset, {choices}"
            )
        return wall.replace(tzinfo=tz)
    if value.utcoffset() not in offsets:
        right = sorted(offsets, reverse=True)
        there = value.astimezone(tz).strftime("%H:%M")
        fix = " or ".join(f"{wall.isoformat()}{offset(d)}" for d in right)
        if len(right) == 1:
            fix += f" (or {wall.isoformat()} without an offset)"
        raise ClockError(
            f"{value.isoformat()} is {there} in {tz}, whose offset on {wall.date()} is"
            f" {' or '.join(offset(d) for d in right)}: write {fix} for {wall.strftime('%H:%M')}"
        )
    return value.astimezone(tz)
