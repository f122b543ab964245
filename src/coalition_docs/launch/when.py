"""Dates and times of meetings as each language writes them (Babel, CLDR data).

A meeting's times are aware datetimes in the coalition's time zone. Every
function takes the language (a BCP 47 tag, "zh-Hant") and writes the day, the
clock time, a span of two times on one day and the zone's name the way that
language does: "Tuesday, February 9, 2027", "6:00 – 8:00 PM Eastern Standard
Time"; "martes, 9 de febrero de 2027", "18:00–20:00 hora estándar oriental".
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache


@lru_cache(maxsize=32)
def _locale(language: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def day(moment: dt.datetime | dt.date, language: str) -> str:
    """The date in full: "Tuesday, February 9, 2027"."""
    from babel.dates import format_date

    return format_date(moment, "full", locale=_locale(language))


def short_day(moment: dt.datetime | dt.date, language: str) -> str:
    """The date, short and with its weekday: "Tue, Feb 9, 2027"."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMEd", moment, locale=_locale(language))


def clock(moment: dt.datetime, language: str) -> str:
    """The time of day as the language writes it: "6:00 PM", "18:00"."""
    from babel.dates import format_time

    return format_time(moment, "short", locale=_locale(language))


def span(start: dt.datetime, end: dt.datetime | None, language: str) -> str:
    """The times of one day, "6:00 – 8:00 PM", with the zone's name; the start alone without an end."""
    from babel.dates import format_interval, get_timezone_name

    locale = _locale(language)
    zone = get_timezone_name(start, "long", locale=locale)
    if end is None:
        return f"{clock(start, language)} {zone}"
    skeleton = "hm" if "h" in str(locale.time_formats["short"].pattern) else "Hm"
    try:
        times = format_interval(start, end, skeleton, locale=locale)
    except (NotImplementedError, KeyError, ValueError):  # a pattern Babel cannot split: both times in full
        times = f"{clock(start, language)} – {clock(end, language)}"
    return f"{times} {zone}"


def zone_name(moment: dt.datetime, language: str) -> str:
    """The zone's name at that moment: "Eastern Standard Time"."""
    from babel.dates import get_timezone_name

    return get_timezone_name(moment, "long", locale=_locale(language))
