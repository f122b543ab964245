"""Plain YAML scalars as YAML 1.2's core schema reads them, and numbers that remember how they were written.

Without PyYAML: a value of a file the store kept (store.py) loads without it; yaml_doc.py parses.

YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution), not YAML 1.1's:
no octal "0123", no "0b1", no "1_000", no sexagesimal "1:30", no yes/no/on/off.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

# C0 controls other than tab, line feed and carriage return; DEL; C1 controls other than NEL.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f]")


def char_name(char: str) -> str:
    code = ord(char)
    return {0: "NUL (U+0000)", 9: "tab"}.get(code, f"U+{code:04X}")


_NULL_RE = re.compile(r"^(?:~|null|Null|NULL)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT_RE = re.compile(r"^[-+]?[0-9]+$")
_OCT_RE = re.compile(r"^0o[0-7]+$")
_HEX_RE = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT_RE = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF_RE = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN_RE = re.compile(r"^\.(?:nan|NaN|NAN)$")
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class Written:
    """A number as YAML 1.2 reads it, which remembers how it was written.

    Where the schema expects text, the text is what the person typed
    ("02071234567", "0x1F"), never the number's value. Mixed into int and
    float below; repr stays the number's own.
    """

    written: str

    def __new__(cls, value: Any, written: str):
        number = super().__new__(cls, value)
        number.written = written
        return number

    def __str__(self) -> str:
        return self.written


class WrittenInt(Written, int):
    def __getnewargs__(self) -> tuple[int, str]:  # pickled with how it was written (content loaded in a worker)
        return int(self), self.written


class WrittenFloat(Written, float):
    def __getnewargs__(self) -> tuple[float, str]:
        return float(self), self.written


def resolve_plain(value: str, fail) -> Any:
    if value == "" or _NULL_RE.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT_RE.match(value):
        return WrittenInt(int(value, 10), value)
    if _OCT_RE.match(value):
        return WrittenInt(int(value[2:], 8), value)
    if _HEX_RE.match(value):
        return WrittenInt(int(value[2:], 16), value)
    if _FLOAT_RE.match(value) or _INF_RE.match(value) or _NAN_RE.match(value):
        number = float(value.replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf")
                       .replace(".nan", "nan").replace(".NaN", "nan").replace(".NAN", "nan"))
        return WrittenFloat(number, value)
    if _DATE_RE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise fail(f"not a real date (expected a date such as 2027-01-15, found '{value}')") from None
    if CONTROL.search(value):
        raise fail(f"control character {char_name(CONTROL.search(value).group())} in the text "
                   "(expected printable text)")
    return value
