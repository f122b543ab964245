"""The public view holds what content-format.md calls public, and nothing else."""

from __future__ import annotations

import dataclasses
import datetime
import typing
from pathlib import Path

import pytest

from coalition_docs.content.fields import OneLine, PersonId, Public, TOneLine
from coalition_docs.content.model import Text
from coalition_docs.content.records import record
from coalition_docs.content.shape import fields_of
from coalition_docs.content.shapes import SHAPES
from coalition_docs.content.schema import PartnerFile
from coalition_docs.site import public
from coalition_docs.site.public import (
    GroupRef,
    PublicCoalition,
    PublicMeetings,
    PublicPage,
    PublicPartner,
    PublicPerson,
    PublicSite,
    PublicStatement,
    PublicTerm,
    PublicWorkingGroup,
    public_view,
)
from coalition_docs.site.public_meetings import PublicAgreement, PublicMeeting
from coalition_docs.content.validate import load_coalition

from .site_helpers import MARKER_PREFIX, write_site_content

PUBLIC_TYPES = (
    PublicSite,
    PublicCoalition,
    PublicMeetings,
    PublicPartner,
    PublicPerson,
    PublicWorkingGroup,
    PublicStatement,
    PublicPage,
    PublicTerm,
    GroupRef,
    PublicMeeting,
    PublicAgreement,
)


@pytest.fixture(scope="module")
def coalition(tmp_path_factory):
    root = tmp_path_factory.mktemp("public") / "content"
    write_site_content(root)
    return load_coalition(root)


@pytest.fixture(scope="module")
def view(coalition) -> PublicSite:
    return public_view(coalition)


def walk(value, seen=None):
    """Every value reachable from `value` through public objects and tuples."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    seen.add(id(value))
    yield value
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from walk(getattr(value, f.name), seen)
    elif isinstance(value, tuple):
        for item in value:
            yield from walk(item, seen)


def test_fields_are_exactly_the_allow_list():
    # A new field on a public class must be a deliberate change of this list.
    expected = {
        PublicCoalition: {
            "name", "community", "mission", "decision_model", "decision_model_label",
            "decision_model_description", "meetings", "convener_name", "convener_id",
            "site_url", "language", "primary_language", "languages", "timezone", "agreement",
        },
        PublicPartner: {"id", "name", "type", "website", "summary", "populations", "domains", "assets", "people"},
        PublicPerson: {
            "id", "name", "title", "pronouns", "bio", "organization_id", "organization_name",
            "roles", "working_groups", "champion",
        },
        PublicWorkingGroup: {"id", "name", "description", "areas", "meets", "lead", "members"},
        PublicStatement: {"anchor", "kind", "kind_label", "title", "statement", "author_name"},
        PublicPage: {"name", "title", "body", "order", "description"},
        PublicMeetings: {"management_team", "working_groups", "champions"},
        PublicTerm: {"id", "label", "pillar"},
        GroupRef: {"id", "name"},
        PublicMeeting: {"id", "title", "group_name", "launch_activity", "starts", "ends", "place_name",
                        "place_address", "accessibility"},
        PublicAgreement: {"norms", "decisions"},
    }
    for cls, names in expected.items():
        assert {f.name for f in dataclasses.fields(cls)} == names, cls.__name__


def test_public_objects_are_frozen_and_hold_no_model_objects(view):
    allowed = PUBLIC_TYPES + (str, int, bool, float, type(None), tuple, datetime.datetime)
    for value in walk(view):
        assert isinstance(value, allowed), f"{type(value).__name__} reached the public view"
        if dataclasses.is_dataclass(value):
            assert type(value).__dataclass_params__.frozen


def test_no_private_marker_reaches_the_view(view):
    for value in walk(view):
        if isinstance(value, str):
            assert MARKER_PREFIX not in value.lower(), value


def test_only_members(coalition, view):
    expected = {p.id for p in coalition.partners if p.stage == "member"}
    assert {m.id for m in view.members} == expected
    assert len(coalition.partners) > len(expected)  # the fixture has non-members
    names = [m.name for m in view.members]
    assert names == sorted(names, key=str.casefold)


def test_only_consenting_people(coalition, view):
    assert [p.id for p in view.people] == [p.id for p in coalition.people if p.public]
    amara = next(p for p in view.people if p.id == "amara-okafor")
    assert amara.organization_name == "Riverbend Housing Alliance"
    assert amara.pronouns == "she/her"
    assert [r.id for r in amara.roles] == ["community-engagement-lead"]
    assert amara.working_groups == (GroupRef("homes", "Stable Homes"),)


def test_person_of_a_non_member_is_shown_without_the_organization(view):
    jo = next(p for p in view.people if p.id == "jo-park")
    assert jo.organization_id is None and jo.organization_name is None


def test_member_lists_its_public_people(view):
    alliance = view.member("riverbend-housing-alliance")
    assert [p.id for p in alliance.people] == ["amara-okafor"]
    assert alliance.website == "https://www.riverbend-housing-alliance.example.org/"
    assert alliance.website_label == "riverbend-housing-alliance.example.org"


def test_working_group_lead_only_if_public(view):
    groups = {g.id: g for g in view.working_groups}
    assert groups["homes"].lead.name == "Amara Okafor"
    assert groups["health"].lead is None
    assert [p.id for p in groups["health"].members] == ["jo-park", "grace-liu"]


def test_statements_public_only_and_author_rules(coalition, view):
    assert len(view.statements) == sum(1 for s in coalition.statements if s.public)
    by_anchor = {s.anchor: s for s in view.statements}
    assert by_anchor["management-team"].author_name == "The management team"
    assert by_anchor["amara-okafor"].author_name == "Amara Okafor"
    assert by_anchor["city-of-riverbend"].author_name == "City of Riverbend"
    unnamed = [s for s in view.statements if s.author_name is None]
    # the private person's statement and the non-member's statement
    assert len(unnamed) == 2
    assert all(s.anchor.startswith("statement-") for s in unnamed)


def test_drafts_are_not_pages(view):
    assert [p.name for p in view.pages] == ["about", "get-involved"]


def test_convener_and_coalition_fields(view):
    c = view.coalition
    assert c.convener_name == "Riverbend Housing Alliance"
    assert c.convener_id == "riverbend-housing-alliance"
    assert c.decision_model_label == "Consensus"
    assert c.site_url == "https://example.org/coalition/"
    assert c.meetings.champions == "twice a year"


def test_custom_areas_only_when_a_member_uses_them(view):
    custom = [t for t in view.areas if t.pillar is None]
    assert [t.id for t in custom] == ["riverfront-access"]
    assert len([t for t in view.areas if t.pillar]) == 24


def test_non_http_website_is_dropped(coalition):
    partner = next(p for p in coalition.partners if p.is_member)
    old = partner.website
    try:
        partner.website = "javascript:alert(1)"
        view = public_view(coalition)
        assert view.member(partner.id).website is None
    finally:
        partner.website = old


def test_minimal_fixture():
    fixture = Path(__file__).parent / "fixtures" / "minimal"
    view = public.public_view(load_coalition(fixture))
    assert [m.id for m in view.members] == ["test-backbone"]
    assert [p.id for p in view.people] == ["pat-manager"]
    assert view.coalition.language == "en"


def test_only_public_meetings_that_are_not_drafts_with_public_fields(view):
    assert [m.id for m in view.meetings] == ["first-gathering"]
    meeting = view.meetings[0]
    assert (meeting.title, meeting.group_name, meeting.launch_activity.label) == (
        "Getting to know one another", "The whole coalition", "Getting acquainted")
    assert meeting.starts.isoformat() == "2026-05-06T18:00:00-05:00" and meeting.ends.strftime("%H:%M") == "20:00"
    assert (meeting.place_name, meeting.place_address) == ("Riverbend Library", "200 Main Street\nRiverbend")
    assert meeting.accessibility == ("Step-free entrance", "Child care")


def test_the_agreements_norms_and_decisions_and_the_time_zone_are_public(view):
    assert view.coalition.timezone == "America/Chicago"
    assert view.coalition.agreement.norms == ("Start and end on time.", "Speak from your own experience.")
    assert view.coalition.agreement.decisions.startswith("The management team proposes")


# ---------------------------------------------------------------- the schema marks what is public


def test_the_schema_marks_public_exactly_what_the_content_format_names():
    """content-format.md "What is public", field by field: a change here is a change of the contract."""
    from coalition_docs.content import fields, meetings_schema as ms, schema

    expected = {
        schema.CoalitionFile: {"name", "community", "convener", "decision_model", "mission", "working_groups",
                               "meetings", "timezone", "agreement"},
        schema.WorkingGroupEntry: {"name", "description", "lead", "areas", "meets"},
        schema.MeetingsEntry: {"management_team", "working_groups", "champions"},
        ms.AgreementEntry: {"norms", "decisions"},
        schema.PartnerFile: {"name", "type", "website", "summary", "populations", "domains", "assets"},
        schema.PersonEntry: {"name", "organization", "title", "pronouns", "bio", "roles", "working_groups",
                             "champion"},
        schema.StatementFile: {"kind", "author", "title", "statement"},
        schema.PageFrontMatter: {"title", "order", "description"},
        ms.MeetingFile: {"title", "group", "launch_activity", "starts", "ends", "place", "accessibility"},
        ms.PlaceEntry: {"name", "address"},
    }
    maps = set()
    todo = list(schema.FILE_SCHEMAS.values())
    while todo:
        kind = todo.pop()
        maps.add(kind)
        for info in kind.model_fields.values():
            inner = [info.annotation]
            while inner:
                arg = inner.pop()
                inner += typing.get_args(arg)
                if isinstance(arg, type) and issubclass(arg, fields.Strict) and arg not in maps:
                    todo.append(arg)
    assert set(expected) <= maps and schema.ContactEntry in maps
    for kind in maps:
        marked = {name for name, info in kind.model_fields.items() if fields.is_public(info)}
        assert marked == expected.get(kind, set()), kind.__name__


class _ExtendedPartner(PartnerFile):
    motto: Public[TOneLine] | None = None  # marked: reaches the site
    budget: OneLine | None = None  # not marked: internal
    patron: Public[PersonId] | None = None  # a reference: the view must say what of it is shown


# What `python -m coalition_docs.content.shape` writes into shapes.py for a record added to the schema.
SHAPES["_ExtendedPartner"] = fields_of(_ExtendedPartner)[0]


@record("_ExtendedPartner", eq=False)
class _Model:
    id: str


@record("_ExtendedPartner", public=True, frozen=True)
class _Public:
    id: str
    website: str | None


def test_a_field_the_schema_marks_public_reaches_the_view_and_no_other(coalition):
    partner = _Model(id="x", name="Riverside Arts", type=coalition.vocabulary.organization_types["nonprofit"],
                     relationship="new", motto=Text("Art for all", {"en": "Art for all", "es": "Arte para todos"}),
                     budget="12,000", patron=coalition.people[0])
    t = public._Texts(coalition, "es", None)
    with pytest.raises(TypeError, match="_Public.patron names another record"):
        t.copy(_Public, partner, id="x", website=None)
    shown = t.copy(_Public, partner, id="x", website=None, patron=None)
    assert {f.name for f in dataclasses.fields(_Public)} == {
        "id", "name", "type", "website", "summary", "populations", "domains", "assets", "motto", "patron"}
    assert (shown.motto, shown.name, shown.type.id, shown.patron) == ("Arte para todos", "Riverside Arts",
                                                                     "nonprofit", None)
    assert not hasattr(shown, "budget")
