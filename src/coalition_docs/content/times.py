"""Local dates and times of meetings (content-format v1.2): reading them, and the coalition's time zone.

A meeting's `starts` is a local date and time, `YYYY-MM-DD HH:MM`, and its `ends` a
time of day, `HH:MM`, both in the coalition's `timezone` (an IANA name). The time-zone
data is the system's, else the `tzdata` package's (Windows has none of its own).
Every function here raises ValueError with the words a person reads after the field's
name: what is wrong, then (expected X, found Y).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from coalition_docs.errors import describe

EXAMPLE_STARTS = "2027-02-10 18:00"
_STARTS_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T]+(\d{1,2}):(\d{2})(:\d{2})?$")
_CLOCK_RE = re.compile(r"^(\d{1,2}):(\d{2})(:\d{2})?$")


def _shown(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else describe(value)


def parse_starts(value: object) -> dt.datetime:
    """`starts` as written ("2027-02-10 18:00") as a naive local datetime."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        raise ValueError(f"a date without a time (expected a date and time such as {EXAMPLE_STARTS}, "
                         f"found {value.isoformat()})")
    text = value.strip() if isinstance(value, str) else None
    match = _STARTS_RE.match(text) if text is not None else None
    if match is None:
        if text is not None and re.match(r"^\d{4}-\d{1,2}-\d{1,2}$", text):
            raise ValueError(f"a date without a time (expected a date and time such as {EXAMPLE_STARTS}, "
                             f"found {_shown(value)})")
        raise ValueError(f"not a date and time (expected YYYY-MM-DD HH:MM, 24-hour, such as {EXAMPLE_STARTS}, "
                         f"found {_shown(value)})")
    year, month, day, hour, minute, seconds = match.groups()
    if seconds or "T" in text or len(month) < 2 or len(day) < 2 or len(hour) < 2 or "  " in text:
        raise ValueError(f"not written as YYYY-MM-DD HH:MM (expected a date and time such as {EXAMPLE_STARTS}, "
                         f"found {_shown(value)})")
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"no such date (expected a real date and time such as {EXAMPLE_STARTS}, "
                         f"found {_shown(value)})") from None
    return dt.datetime.combine(date, _clock(int(hour), int(minute), value))


def parse_clock(value: object) -> dt.time:
    """`ends` as written ("20:30") as a time of day."""
    text = value.strip() if isinstance(value, str) else None
    match = _CLOCK_RE.match(text) if text is not None else None
    if match is None or match.group(3) or len(match.group(1)) < 2:
        raise ValueError(f"not a time of day (expected HH:MM, 24-hour, on the day the meeting starts, such as "
                         f"20:00, found {_shown(value)})")
    return _clock(int(match.group(1)), int(match.group(2)), value)


def _clock(hour: int, minute: int, value: object) -> dt.time:
    if hour > 23 or minute > 59:
        raise ValueError(f"no such time of day (expected a time from 00:00 to 23:59, found {_shown(value)})")
    return dt.time(hour, minute)


@lru_cache(maxsize=1)
def zone_names() -> frozenset[str]:
    """Every IANA time-zone name this machine knows (the tzdata package's at least)."""
    return frozenset(available_timezones())


@lru_cache(maxsize=16)
def zone(name: str) -> ZoneInfo:
    """The time zone `name`, or ValueError with a message."""
    if not isinstance(name, str) or name not in zone_names():
        raise ValueError(f"not a time zone (expected an IANA time-zone name such as America/Detroit or "
                         f"Europe/Madrid, found {_shown(name)})")
    return ZoneInfo(name)


def local(naive: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """A local time in `tz`, as an aware datetime: the first of two that a clock change repeats."""
    return naive.replace(tzinfo=tz, fold=0)


def skipped(naive: dt.datetime, tz: ZoneInfo) -> dt.datetime | None:
    """If the clocks skip `naive` in `tz` (a daylight-saving change), the local time it would mean; else None."""
    aware = local(naive, tz)
    moved = aware.astimezone(dt.timezone.utc).astimezone(tz)
    return None if moved.replace(tzinfo=None) == naive else moved.replace(tzinfo=None)


def later(start: dt.datetime, minutes: int) -> dt.datetime:
    """`minutes` after the aware `start`, on the clocks of its time zone (a clock change counts)."""
    tz = start.tzinfo
    return (start.astimezone(dt.timezone.utc) + dt.timedelta(minutes=minutes)).astimezone(tz)
