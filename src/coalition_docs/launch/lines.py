"""Content lines, as iCalendar (RFC 5545) and vCard (RFC 6350) write them.

Both formats are lines of `NAME;PARAM=VALUE:VALUE`, ended by CRLF, folded
after 75 octets (a CRLF and a space, never inside a UTF-8 character), with
`\\`, `;`, `,` and line breaks escaped in text values. Parameter values use
RFC 6868's `^` escapes and are quoted when they hold `:`, `;` or `,`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

CRLF = "\r\n"
LIMIT = 75  # octets of a line, CRLF aside
# Control characters are not allowed in text values (a tab is).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BREAKS = re.compile(r"\r\n|\r|\n")


def text(value: str) -> str:
    """A TEXT value: backslashes, semicolons, commas and line breaks escaped."""
    value = _BREAKS.sub("\n", str(value))
    value = _CONTROLS.sub("", value.replace("\u2028", "\n").replace("\u2029", "\n"))
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n"))


def structured(parts: Sequence[str | None]) -> str:
    """A structured value (vCard N, ADR, ORG): each component escaped, joined by `;`."""
    return ";".join(text(part or "") for part in parts)


def parameter(value: str) -> str:
    """A parameter value: RFC 6868 escapes (^^, ^n, ^'), quoted when it holds `:`, `;` or `,`."""
    value = _CONTROLS.sub("", _BREAKS.sub("\n", str(value)))
    value = value.replace("^", "^^").replace("\n", "^n").replace('"', "^'")
    return f'"{value}"' if any(c in value for c in ':;,') else value


def line(name: str, value: str, params: Iterable[tuple[str, str]] = ()) -> str:
    """One content line, folded, with its CRLF; `value` is written as it is (escape it first)."""
    head = name + "".join(f";{key}={parameter(val)}" for key, val in params)
    return fold(f"{head}:{value}")


def fold(unfolded: str) -> str:
    """`unfolded` cut into lines of at most 75 octets (the first) and a space plus 74 (the others), with CRLFs."""
    data = unfolded.encode("utf-8")
    if len(data) <= LIMIT:
        return unfolded + CRLF
    out: list[str] = []
    start, room = 0, LIMIT
    while start < len(data):
        end = min(start + room, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # never inside a character
            end -= 1
        out.append(data[start:end].decode("utf-8"))
        start, room = end, LIMIT - 1
    return (CRLF + " ").join(out) + CRLF
