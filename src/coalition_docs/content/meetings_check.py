"""Pass 2 for v1.2: meetings, the coalition's time zone and its meeting groups, checked where each is written.

Like references.py, this reads the loaded data, not only the schema-checked
values, so that a meeting with one schema error still has its people and
times checked; a position the schema already reported is not reported twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from coalition_docs.content import times, vocab
from coalition_docs.content.check import Loaded
from coalition_docs.content.load import Document
from coalition_docs.content.references import References, _get, _items
from coalition_docs.errors import Problem, did_you_mean


def _parsed(data: Any, key: str, parse: Callable[[Any], Any]) -> Any:
    """The value at `key` read by `parse`, or None when absent or already reported as unreadable."""
    value = _get(data, key)
    if value is None:
        return None
    try:
        return parse(value)
    except ValueError:
        return None


class MeetingCheck:
    """The checks of content-format v1.2 that need more than one file."""

    def __init__(self, refs: References, coalition: Loaded | None, meetings: dict[str, Loaded | None]):
        self.refs = refs
        self.coalition: Document | None = coalition.document if coalition else None
        self.meetings = {mid: loaded.document for mid, loaded in meetings.items() if loaded is not None}
        self.zone = None

    def check(self) -> None:
        self.time_zone()
        self.group_ids()
        for document in self.meetings.values():
            if isinstance(document.data, dict):
                self.meeting(document)

    def time_zone(self) -> None:
        doc = self.coalition
        name = _get(doc.data, "timezone") if doc is not None else None
        if isinstance(name, str):
            try:
                self.zone = times.zone(name)
            except ValueError as exc:
                self.refs.report(doc, ("timezone",), f"timezone: {exc}", did_you_mean(name, times.zone_names()))
            return
        if doc is None or name is not None:
            return  # no coalition.yaml, or a timezone the schema refused
        built = [mid for mid, d in self.meetings.items() if isinstance(d.data, dict) and d.data.get("draft") is not True]
        if built:
            more = f" and {len(built) - 1} more" if len(built) > 1 else ""
            self.refs.run.problems.append(Problem(
                doc.path, 1, 1, f"timezone: required once a meeting is not a draft (expected an IANA time-zone name "
                f"such as America/Detroit, found nothing; meetings/{built[0]}.yaml{more} is not a draft)",
                "add a line such as `timezone: America/Detroit` to coalition.yaml"))

    def group_ids(self) -> None:
        if self.coalition is None:
            return
        for index, group in _items(self.coalition.data, "working_groups"):
            group_id = _get(group, "id")
            if group_id in vocab.MEETING_GROUPS:
                self.refs.report(self.coalition, ("working_groups", index, "id"),
                                 f"working_groups[{index}].id: '{group_id}' names a meeting group of its own "
                                 f"(expected an id other than {_listed(vocab.MEETING_GROUPS)}, found '{group_id}')",
                                 f"rename it, e.g. {group_id}-working-group")

    def meeting(self, doc: Document) -> None:
        data, refs = doc.data, self.refs
        group = _get(data, "group")
        groups = [*vocab.MEETING_GROUPS, *sorted(refs.group_ids - set(vocab.MEETING_GROUPS))]
        if isinstance(group, str) and group not in groups:
            refs.report(doc, ("group",), f"group: no such group (expected {_listed(groups)}, found '{group}')",
                        did_you_mean(group, groups))
        for key in ("facilitator", "note_taker"):
            refs.person_ref(doc, (key,))
        for index, _ in _items(data, "attendees"):
            refs.person_ref(doc, ("attendees", index))
        for index, _ in _items(data, "agenda"):
            refs.person_ref(doc, ("agenda", index, "lead"))
        draft = data.get("draft") is True
        if "starts" not in data and not draft:
            refs.report(doc, (), "starts: required field is missing (expected a date and time such as "
                        f"{times.EXAMPLE_STARTS}, found nothing; only a draft may leave it out)",
                        "add `draft: true` while the date is not set")
        starts = _parsed(data, "starts", times.parse_starts)
        if starts is None or self.zone is None:
            return
        where = self.zone.key
        moved = times.skipped(starts, self.zone)
        if moved is not None:
            refs.report(doc, ("starts",), f"starts: {starts:%Y-%m-%d %H:%M} does not exist in {where}: the clocks "
                        f"skip it that night (expected a time the clocks show, such as {moved:%Y-%m-%d %H:%M})")
            return
        ends = _parsed(data, "ends", times.parse_clock)
        if ends is None:
            return
        end = dt.datetime.combine(starts.date(), ends)
        moved = times.skipped(end, self.zone)
        if moved is not None:
            refs.report(doc, ("ends",), f"ends: {ends:%H:%M} does not exist in {where} on {starts:%Y-%m-%d}: the "
                        f"clocks skip it that night (expected a time the clocks show, such as {moved:%H:%M})")
        elif times.local(end, self.zone) <= times.local(starts, self.zone):
            refs.report(doc, ("ends",), f"ends: not after the start (expected a time after {starts:%H:%M} on "
                        f"{starts:%Y-%m-%d}, found {ends:%H:%M})",
                        "a meeting that runs past midnight leaves `ends` out")


def _listed(ids) -> str:
    ids = list(ids)
    return ", ".join(ids[:-1]) + " or " + ids[-1] if len(ids) > 1 else "".join(ids)
