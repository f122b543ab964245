"""A VTIMEZONE (RFC 5545 section 3.6.5) for the years a calendar's events fall in.

Written from the time-zone data (zoneinfo, with the tzdata package where the
system has none): every change of UTC offset from the year before the first
event to the year after the last, each its own STANDARD or DAYLIGHT
observance with the local time it starts at, the offsets around it and its
abbreviation. A zone without changes in those years gets one observance.
Same data, same lines: nothing depends on today's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from coalition_docs.launch import lines

UTC = dt.timezone.utc
_DAY = dt.timedelta(days=1)
_MINUTE = dt.timedelta(minutes=1)


def transitions(tz: ZoneInfo, first_year: int, last_year: int) -> Iterator[dt.datetime]:
    """The UTC instants in [first_year, last_year] at which `tz` changes its offset or abbreviation."""
    moment = dt.datetime(first_year, 1, 1, tzinfo=UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=UTC)
    before = _state(tz, moment)
    while moment < end:
        following = min(moment + _DAY, end)
        after = _state(tz, following)
        if after != before:
            low, high = moment, following  # the state changes after low, at or before high
            while high - low > _MINUTE:
                middle = low + (high - low) / 2
                middle = middle.replace(second=0, microsecond=0)
                if middle <= low:
                    middle = low + _MINUTE
                if _state(tz, middle) == before:
                    low = middle
                else:
                    high = middle
            yield high
            before = _state(tz, high)
            following = high  # look on from the change (two changes in a day are seen)
        moment = following


def _state(tz: ZoneInfo, moment: dt.datetime) -> tuple[dt.timedelta, dt.timedelta, str]:
    local = moment.astimezone(tz)
    return local.utcoffset() or dt.timedelta(0), local.dst() or dt.timedelta(0), local.tzname() or ""


def _offset(delta: dt.timedelta) -> str:
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def vtimezone(name: str, tz: ZoneInfo, first_year: int, last_year: int) -> str:
    """The VTIMEZONE of `tz` (TZID `name`) for events from `first_year` to `last_year`, as content lines."""
    out = [lines.line("BEGIN", "VTIMEZONE"), lines.line("TZID", lines.text(name))]
    changes = list(transitions(tz, first_year - 1, last_year + 1))
    if not changes or changes[0].year >= first_year:  # what holds before the first change the years show
        offset, dst, abbreviation = _state(tz, dt.datetime(first_year - 1, 1, 1, tzinfo=UTC))
        out += _observance("DAYLIGHT" if dst else "STANDARD", dt.datetime(1970, 1, 1), offset, offset, abbreviation)
    for change in changes:
        old_offset = _state(tz, change - _MINUTE)[0]
        offset, dst, abbreviation = _state(tz, change)
        onset = (change + old_offset).replace(tzinfo=None)  # the local time it starts, on the clocks before it
        out += _observance("DAYLIGHT" if dst else "STANDARD", onset, old_offset, offset, abbreviation)
    out.append(lines.line("END", "VTIMEZONE"))
    return "".join(out)


def _observance(kind: str, onset: dt.datetime, before: dt.timedelta, after: dt.timedelta,
                abbreviation: str) -> list[str]:
    found = [lines.line("BEGIN", kind), lines.line("DTSTART", f"{onset:%Y%m%dT%H%M%S}"),
             lines.line("TZOFFSETFROM", _offset(before)), lines.line("TZOFFSETTO", _offset(after))]
    if abbreviation:
        found.append(lines.line("TZNAME", lines.text(abbreviation)))
    return [*found, lines.line("END", kind)]
