"""validate.py: every rule of the content format, as the exact line a user sees."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition_docs.content.ids import ID_RE
from coalition_docs.errors import UsageError
from coalition_docs.content.validate import load_coalition

from .conftest import FIXTURES, city_hall, edit, examples, problems, run_cli


def test_minimal_fixture_is_valid_and_cross_referenced(content):
    c = load_coalition(content)
    assert c.convener.name == "Test Backbone"
    assert c.project_manager.name == "Pat Manager"
    assert c.project_manager.organization is c.convener
    assert c.working_groups[0].lead is c.project_manager
    assert c.working_groups[0].members == [c.project_manager]
    assert c.partner("city-hall").invitation.sender is c.project_manager
    assert [t.label for t in c.needs_populations] == ["Young people", "Older adults"]
    assert c.needs_populations[1].custom is True
    assert c.partner("test-backbone").stage == "member"
    assert c.partner("city-hall").stage == "invite"
    assert c.person("nguyen-thi-huong").name == "Nguyễn Thị Hương"
    assert c.pages[0].title == "About"
    assert str(c.invitation.respond_by) == "2027-01-15"


def test_unknown_field_gets_did_you_mean(content):
    edit(content / "partners/test-backbone.yaml", "website:", "websit:")
    assert problems(content) == [
        "partners/test-backbone.yaml:5:1: unknown field 'websit' (expected one of name, type, relationship, "
        "stage, website, summary, populations, domains, assets, asset_notes, aligned_initiatives, motivations, "
        "roles, considerations, contact, invitation, language)\n    did you mean 'website'?"
    ]


def test_unknown_nested_field(content):
    edit(content / "partners/city-hall.yaml", "  title: Mayor", "  titel: Mayor")
    [line] = problems(content)
    assert line.startswith("partners/city-hall.yaml:7:3: unknown field 'titel' in contact (expected one of name, ")
    assert line.endswith("did you mean 'title'?")


def test_vocabulary_typo(content):
    edit(content / "partners/test-backbone.yaml", "type: nonprofit", "type: non-profit")
    assert problems(content) == [
        "partners/test-backbone.yaml:2:7: type: unknown value (expected one of local-government, nonprofit, "
        "advocacy-group, philanthropy, research-organization, anchor-institution, private-sector, "
        "found 'non-profit')\n    did you mean 'nonprofit'?"
    ]


def test_stage_and_relationship_values(content):
    edit(content / "partners/test-backbone.yaml", "stage: member", "stage: members")
    edit(content / "partners/test-backbone.yaml", "relationship: existing", "relationship: old")
    assert problems(content) == [
        "partners/test-backbone.yaml:3:15: relationship: unknown value (expected one of existing, new, "
        "found 'old')",
        "partners/test-backbone.yaml:4:8: stage: unknown value (expected one of inventory, invite, invited, "
        "member, declined, keep-informed, found 'members')\n    did you mean 'member'?",
    ]


def test_area_typo_and_label_instead_of_id(content):
    edit(content / "partners/test-backbone.yaml", "domains: [housing-stability]",
         "domains: [housing-stabilty, transportation]")
    assert problems(content) == [
        "partners/test-backbone.yaml:7:11: domains[0]: unknown area (expected one of the areas of "
        "\"coalition-docs docs content-format\" (section \"Vocabularies\") or of extra_vocabulary, found 'housing-stabilty')\n    did you mean 'housing-stability'?",
        "partners/test-backbone.yaml:7:29: domains[1]: unknown area (expected one of the areas of "
        "\"coalition-docs docs content-format\" (section \"Vocabularies\") or of extra_vocabulary, found 'transportation')\n    did you mean 'transportation-access'?",
    ]


def test_extra_vocabulary_extends_the_lists(content):
    edit(content / "partners/test-backbone.yaml", "populations: [young-people]",
         "populations: [young-people, older-adults]")
    assert load_coalition(content).partner("test-backbone").populations[1].label == "Older adults"


def test_extra_vocabulary_may_not_redefine(content):
    edit(content / "coalition.yaml", "    older-adults: Older adults", "    young-people: Youth")
    edit(content / "coalition.yaml", "[young-people, older-adults]", "[young-people]")
    assert problems(content) == [
        "coalition.yaml:34:5: extra_vocabulary.populations.young-people: already a standard id "
        "(expected a new id, found one of the fixed populations)"
    ]


def test_missing_required_fields(content):
    edit(content / "partners/test-backbone.yaml", "name: Test Backbone\n", "")
    assert problems(content) == [
        "partners/test-backbone.yaml:1:1: name: required field is missing (expected text, found nothing)"
    ]


def test_wrong_kinds_of_value(content):
    edit(content / "roster.yaml", "    public: true", "    public: maybe")
    edit(content / "roster.yaml", "    roles: [project-manager]", "    roles: project-manager")
    assert problems(content) == [
        "roster.yaml:6:12: people[0].roles: wrong kind of value (expected a list, found 'project-manager')",
        "roster.yaml:8:13: people[0].public: wrong kind of value (expected true or false, found 'maybe')",
    ]


def test_ids_follow_the_rule(content):
    edit(content / "roster.yaml", "  - id: pat-manager", "  - id: Pat_Manager")
    lines = problems(content)
    assert lines[0] == (
        "coalition.yaml:4:18: project_manager: no such person (expected an id from roster.yaml, "
        "found 'pat-manager')\n    did you mean 'Pat_Manager'?"
    )
    assert "roster.yaml:2:9: people[0].id: not a valid id (expected an id of lowercase letters, digits and " \
           "single hyphens, found 'Pat_Manager')\n    did you mean 'pat-manager'?" in lines


def test_partner_file_name_is_its_id(content):
    (content / "partners/test-backbone.yaml").rename(content / "partners/City Hall Two.yaml")
    lines = problems(content)
    assert ("partners/City Hall Two.yaml:1:1: file name is not a valid id (expected an id of lowercase "
            "letters, digits and single hyphens, found 'City Hall Two')\n    rename it to city-hall-two.yaml") in lines


def test_yml_extension_is_pointed_out(content):
    (content / "partners/city-hall.yaml").rename(content / "partners/city-hall.yml")
    assert ("partners/city-hall.yml:1:1: file is ignored: wrong extension (expected city-hall.yaml, "
            "found city-hall.yml)") in problems(content)


def test_urls_must_be_http(content):
    edit(content / "partners/test-backbone.yaml", "https://example.org/", "javascript:alert(1)")
    assert problems(content) == [
        "partners/test-backbone.yaml:5:10: website: not a valid web address (expected an http:// or https:// "
        "address, found 'javascript:alert(1)')"
    ]


def test_email_shape(content):
    edit(content / "partners/city-hall.yaml", "alex@example.org", "alex at example")
    assert problems(content) == [
        "partners/city-hall.yaml:8:10: contact.email: not a valid email (expected an email address such as "
        "name@example.org, found 'alex at example')"
    ]


def test_dates_are_real(content):
    edit(content / "coalition.yaml", "respond_by: 2027-01-15", "respond_by: next week")
    edit(content / "partners/city-hall.yaml", "  rationale: You run the city.",
         "  rationale: You run the city.\n  sent: 2026-13-01")
    assert problems(content) == [
        "coalition.yaml:21:15: invitation.respond_by: wrong kind of value (expected a date such as 2027-01-15, "
        "found 'next week')",
        "partners/city-hall.yaml:15:9: invitation.sent: not a real date (expected a date such as 2027-01-15, "
        "found '2026-13-01')",
    ]


def test_broken_references_each_at_their_line(content):
    edit(content / "coalition.yaml", "convener: test-backbone", "convener: test-backbon")
    edit(content / "coalition.yaml", "    lead: pat-manager", "    lead: pat")
    edit(content / "roster.yaml", "    organization: test-backbone", "    organization: backbone")
    edit(content / "roster.yaml", "    working_groups: [homes]", "    working_groups: [home]")
    edit(content / "partners/city-hall.yaml", "  sender: pat-manager", "  sender: pat-manger")
    (content / "positionality/me.yaml").write_text("kind: individual\nauthor: nobody\nstatement: Hi.\n")
    (content / "positionality/us.yaml").write_text("kind: institutional\nauthor: city-hal\nstatement: Hi.\n")
    assert problems(content) == [
        "coalition.yaml:3:11: convener: no such partner (expected the id of a file in partners/, "
        "found 'test-backbon')\n    did you mean 'test-backbone'?",
        "coalition.yaml:27:11: working_groups[0].lead: no such person (expected an id from roster.yaml, "
        "found 'pat')",
        "partners/city-hall.yaml:13:11: invitation.sender: no such person (expected an id from roster.yaml, "
        "found 'pat-manger')\n    did you mean 'pat-manager'?",
        "positionality/me.yaml:2:9: author: no such person (expected an id from roster.yaml, found 'nobody')",
        "positionality/us.yaml:2:9: author: no such partner (expected the id of a file in partners/, "
        "found 'city-hal')\n    did you mean 'city-hall'?",
        "roster.yaml:4:19: people[0].organization: no such partner (expected the id of a file in partners/, "
        "found 'backbone')\n    did you mean 'test-backbone'?",
        "roster.yaml:7:22: people[0].working_groups[0]: no such working group (expected one of homes, "
        "found 'home')\n    did you mean 'homes'?",
    ]


def test_team_statement_author_is_free_text(content):
    c = load_coalition(content)
    assert c.statements[0].author_name == "The management team"


def test_duplicate_ids(content):
    edit(content / "roster.yaml", "  - id: nguyen-thi-huong", "  - id: pat-manager")
    edit(content / "coalition.yaml", "meetings:", "  - id: homes\n    name: Homes again\nmeetings:")
    assert problems(content) == [
        "coalition.yaml:30:9: working_groups[1].id: duplicate working group id (expected each id once, "
        "found 'homes' again; first used at line 24)",
        "roster.yaml:9:9: people[1].id: duplicate person id (expected each id once, found 'pat-manager' "
        "again; first used at line 2)",
    ]


def test_errors_in_many_files_are_all_reported_sorted(content):
    edit(content / "roster.yaml", "name: Pat Manager", "nmae: Pat Manager")
    edit(content / "coalition.yaml", "decision_model: consensus", "decision_model: consensos")
    (content / "pages/broken.md").write_text("---\ntitle: [\n---\n")
    lines = problems(content)
    assert [line.split(":")[0] for line in lines] == [
        "coalition.yaml", "pages/broken.md", "roster.yaml", "roster.yaml"]
    assert lines[0].endswith("found 'consensos')\n    did you mean 'consensus'?")


def test_required_files_and_folders(tmp_path):
    (tmp_path / "content").mkdir()
    assert problems(tmp_path / "content") == [
        "coalition.yaml:1:1: required file is missing (expected coalition.yaml in the content folder)",
        "partners/:1:1: required folder is missing (expected a folder partners/ in the content folder; "
        "it may be empty)",
        "roster.yaml:1:1: required file is missing (expected roster.yaml in the content folder)",
    ]


def test_missing_content_folder_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError):
        load_coalition(tmp_path / "nowhere")


def test_empty_roster_and_partners_are_allowed_in_principle(content):
    (content / "roster.yaml").write_text("people: []\n")
    lines = problems(content)  # the coalition still needs its project manager
    assert all("no such person" in line for line in lines)


def test_page_front_matter_is_checked(content):
    (content / "pages/faq.md").write_text("---\norder: first\n---\nText\n")
    assert problems(content) == [
        "pages/faq.md:2:1: title: required field is missing (expected text, found nothing)",
        "pages/faq.md:2:8: order: wrong kind of value (expected a whole number, found 'first')",
    ]


def test_top_level_must_be_a_map(content):
    (content / "partners/test-backbone.yaml").write_text("- just\n- a list\n")
    assert "partners/test-backbone.yaml:1:1: expected a map of fields at the top of the file, found a list" \
        in problems(content)


def test_static_link_outside_is_refused(content, tmp_path):
    (content / "static").mkdir()
    (tmp_path / "outside.png").write_bytes(b"x")
    (content / "static/logo.png").symlink_to(tmp_path / "outside.png")
    assert problems(content) == [
        f"static/logo.png:1:1: link to a file outside the content folder ({tmp_path / 'outside.png'}); "
        "only files inside static/ are published (expected a file in static/, found a link leaving it)\n"
        "    copy the file into static/ if it is meant to be public"
    ]




_SEVERAL_PROCESSES = """
import json, multiprocessing, sys
from pathlib import Path
from coalition_docs.content import check
from coalition_docs.content.validate import load_coalition
from coalition_docs.engine import policy, runner
from coalition_docs.errors import ContentErrors

check.PARALLEL_FILES = 4  # 15 partners: three shares
workers, started = runner.Workers, []
runner.Workers = lambda jobs, *a, **k: started.append(jobs) or workers(jobs, *a, **k)
content, jobs = Path(sys.argv[1]), int(sys.argv[2])
try:
    coalition = load_coalition(content, jobs=jobs)
except ContentErrors as exc:
    result = {"problems": [p.format() for p in exc.problems]}
else:
    result = {"partners": [repr(p) for p in coalition.partners],
              "positions": [sorted((k, str(v)) for k, v in p.positions.items()) for p in coalition.partners],
              "sources": [str(p.source) for p in coalition.partners],
              "phone": coalition.partner("marlow-falls-community-college").contact.phone}
result.update(started=started, can_fork=policy.can_fork(), children=len(multiprocessing.active_children()))
print(json.dumps(result))
"""


@pytest.mark.slow  # a large folder read in processes
@pytest.mark.parametrize("cache", ["off", "empty"])  # without the store, and with one that learns every file
def test_a_large_folder_is_read_in_several_processes_with_the_same_result(tmp_path, cache):
    # Checker.load_all gives forked workers a share of the partner files when there are many
    # (PARALLEL_FILES each); what they read crosses back by pickle: positions, numbers typed
    # with a leading zero, values already reported (INVALID) and problems all survive the trip.
    # In a fresh process: this one may have loaded WeasyPrint, after which nothing forks.
    import json
    import shutil
    import subprocess
    import sys

    from .conftest import EXAMPLE

    content = tmp_path / "content"
    shutil.copytree(EXAMPLE, content)

    runs = iter(range(100))

    def load(jobs: int) -> dict:
        folder = "off" if cache == "off" else str(tmp_path / f"cache-{next(runs)}")  # a new one: nothing known
        run = subprocess.run([sys.executable, "-c", _SEVERAL_PROCESSES, str(content), str(jobs)],
                             capture_output=True, text=True, timeout=120,
                             env=dict(os.environ, COALITION_DOCS_CACHE=folder))
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout)

    partners = content / "partners"
    edit(partners / "marlow-falls-community-college.yaml", "phone: 555-0130", "phone: 05550130")  # a worker's
    broken = [  # the first, middle and last shares
        (partners / "city-of-marlow-falls.yaml", "stage:", "stage: 2027-02-30\nstage:"),
        (partners / "marlow-falls-public-schools.yaml", "stage:", "stage: ["),
        (partners / "vietnamese-community-association.yaml", "stage: invite", "stage: invite\nfax: 0755"),
    ]
    for path, old, new in broken:
        edit(path, old, new)
    one, three = load(1), load(3)
    assert one["started"] == [] and three["started"] == [2]  # two workers; this process reads the first share
    assert three["problems"] == one["problems"] == problems(content) and len(one["problems"]) >= 3
    for path, old, new in broken:
        edit(path, new, old)
    one, three = load(1), load(3)
    assert three["started"] == [2] and three["children"] == 0 and three["can_fork"]
    for key in ("partners", "positions", "sources"):
        assert three[key] == one[key] and one[key]
    assert three["phone"] == one["phone"] == "05550130"


# ---------------------------------------------------------------- every error names its own file

BAD_NAME = st.text(alphabet=st.sampled_from(list("AbZ9 _ñé-")), min_size=1, max_size=8).filter(
    lambda name: not ID_RE.match(name) and name.strip() == name and name)
SAMPLES = {"partners": ("city-hall.yaml", ".yaml"), "positionality": ("team.yaml", ".yaml"),
           "pages": ("about.md", ".md")}


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.fixed_dictionaries({folder: st.lists(BAD_NAME, min_size=2, max_size=4, unique_by=str.lower)
                                    for folder in SAMPLES}))
def test_every_problem_names_the_file_it_is_in(names):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        shutil.copytree(FIXTURES / "minimal", root)
        for folder, (sample, suffix) in SAMPLES.items():
            for name in names[folder]:
                shutil.copy(root / folder / sample, root / folder / f"{name}{suffix}")
        found = problems(root)
        for line in found:
            path = line.split(":", 1)[0]
            assert (root / path).exists(), line
        for folder, (_, suffix) in SAMPLES.items():
            for name in names[folder]:
                assert any(line.startswith(f"{folder}/{name}{suffix}:1:1: file name is not a valid id")
                           for line in found), (folder, name, found)


# ---------------------------------------------------------------- one-line fields are one line

ONE_LINE = "this field prints on one line (expected one line of text, found "


@pytest.mark.parametrize("file, old, new, expected", [
    ("partners/test-backbone.yaml", "name: Test Backbone", 'name: "Test\\r\\nBcc: all@example.org"',
     "partners/test-backbone.yaml:1:7: name: " + ONE_LINE + "a line break)"),
    ("partners/city-hall.yaml", "  name: Alex Mayor", '  name: "Alex\\nMayor"',
     "partners/city-hall.yaml:6:9: contact.name: " + ONE_LINE + "a line break)"),
    ("partners/city-hall.yaml", "  title: Mayor", '  title: "Mayor\\u2028of Testville"',
     "partners/city-hall.yaml:7:10: contact.title: " + ONE_LINE + "a line break)"),
    ("partners/city-hall.yaml", "  email: alex@example.org", '  email: "alex@example.org\\rBcc: x@y.org"',
     "partners/city-hall.yaml:8:10: contact.email: " + ONE_LINE + "a line break)"),
    ("partners/city-hall.yaml", "  title: Mayor", '  title: Mayor\n  phone: "555\\x85 0100"',
     "partners/city-hall.yaml:8:10: contact.phone: " + ONE_LINE + "a line break)"),
    ("partners/city-hall.yaml", "  title: Mayor", '  title: "Mayor\\tof Testville"',
     "partners/city-hall.yaml:7:10: contact.title: " + ONE_LINE + "a tab)"),
    ("roster.yaml", "    name: Pat Manager", '    name: "Pat\\u2029Manager"',
     "roster.yaml:3:11: people[0].name: " + ONE_LINE + "a line break)"),
    ("roster.yaml", "    title: Director", "    title: |\n      Director\n      of things",
     "roster.yaml:5:12: people[0].title: " + ONE_LINE + "a line break)"),
    ("roster.yaml", "    title: Director", '    title:\n      en: "Director\\n"',
     "roster.yaml:6:11: people[0].title.en: " + ONE_LINE + "a line break)"),
    ("roster.yaml", "    title: Director", '    title: Director\n    pronouns: "she\\u2029her"',
     "roster.yaml:6:15: people[0].pronouns: " + ONE_LINE + "a line break)"),
    ("roster.yaml", "    title: Director", '    title: Director\n    phone: "555\\t0100"',
     "roster.yaml:6:12: people[0].phone: " + ONE_LINE + "a tab)"),
    ("coalition.yaml", "name: Test Mobility Coalition", "name: >\n  Test Mobility\n\n  Coalition",
     "coalition.yaml:1:7: name: " + ONE_LINE + "a line break)"),
    ("coalition.yaml", "community: Testville", 'community: "Test\\u0085ville"',
     "coalition.yaml:2:12: community: " + ONE_LINE + "a line break)"),
    ("coalition.yaml", "    name: Homes", '    name: "Homes\\nand more"',
     "coalition.yaml:25:11: working_groups[0].name: " + ONE_LINE + "a line break)"),
    ("coalition.yaml", "    meets: monthly", '    meets: "monthly\\r"',
     "coalition.yaml:29:12: working_groups[0].meets: " + ONE_LINE + "a line break)"),
    ("coalition.yaml", "    source: Testville Housing Survey, 2025", '    source: "Survey\\n2025"',
     "coalition.yaml:16:13: data_points[0].source: " + ONE_LINE + "a line break)"),
    ("coalition.yaml", "    older-adults: Older adults", '    older-adults: "Older\\nadults"',
     "coalition.yaml:34:19: extra_vocabulary.populations.older-adults: " + ONE_LINE + "a line break)"),
    ("positionality/team.yaml", "author: The management team", 'author: "The team\\nBcc: x"',
     "positionality/team.yaml:2:9: author: " + ONE_LINE + "a line break)"),
    ("positionality/team.yaml", "public: true", 'public: true\ntitle:\n  en: "Us\\n"',
     "positionality/team.yaml:6:7: title.en: " + ONE_LINE + "a line break)"),
    ("positionality/team.yaml", "public: true", 'public: true\nidentities:\n  place: "North\\nSide"',
     "positionality/team.yaml:6:10: identities.place: " + ONE_LINE + "a line break)"),
    ("positionality/team.yaml", "public: true",
     'public: true\nreflections:\n  - prompt: "Who?\\nWhy?"\n    answer: Us.',
     "positionality/team.yaml:6:13: reflections[0].prompt: " + ONE_LINE + "a line break)"),
    ("pages/about.md", "title: About", 'title: "About\\nus"', "pages/about.md:2:8: title: " + ONE_LINE
     + "a line break)"),
    ("pages/about.md", "title: About", 'title: About\ndescription: "All\\u2028about us"',
     "pages/about.md:3:14: description: " + ONE_LINE + "a line break)"),
])
def test_a_one_line_field_refuses_line_breaks_and_tabs(content, file, old, new, expected):
    edit(content / file, old, new)
    assert problems(content) == [expected]


def test_multi_line_fields_keep_their_line_breaks(content):
    edit(content / "partners/city-hall.yaml", "    Testville", "    Testville\n    \tNorth side")
    edit(content / "coalition.yaml", "mission: We test things together.", "mission: |\n  We test.\n\n  Together.")
    edit(content / "positionality/team.yaml", "statement: We are a team.", 'statement: "We are\\na team."')
    coalition = load_coalition(content)
    assert coalition.partner("city-hall").contact.address == "1 Main St\nTestville\n\tNorth side\n"
    assert str(coalition.mission) == "We test.\n\nTogether.\n"


def test_a_control_character_in_a_one_line_field_is_named(content):
    edit(content / "partners/test-backbone.yaml", "name: Test Backbone", 'name: "Test\\x1bBackbone"')
    assert problems(content) == ["partners/test-backbone.yaml:1:7: name: control character U+001B in the text "
                                 "(expected printable text; remove the escape)"]


@pytest.mark.parametrize("file, old, new, expected", [
    ("partners/city-hall.yaml", "  address: |\n    1 Main St\n    Testville", '  address: "1 Main St\\r\\nTestville"',
     "partners/city-hall.yaml:9:12: contact.address: control character U+000D in the text (expected text, line "
     "breaks and tabs; write a line break as a new line)"),
    ("coalition.yaml", "mission: We test things together.", 'mission: "We test.\\x85Together."',
     "coalition.yaml:6:10: mission: control character U+0085 in the text (expected text, line breaks and tabs; "
     "write a line break as a new line)"),
    ("partners/test-backbone.yaml", "stage: member", 'stage: member\nsummary:\n  en: "Housing\\rwork"',
     "partners/test-backbone.yaml:6:7: summary.en: control character U+000D in the text (expected text, line "
     "breaks and tabs; write a line break as a new line)"),
])
def test_a_multi_line_field_refuses_a_carriage_return_escape(content, file, old, new, expected):
    edit(content / file, old, new)
    assert problems(content) == [expected]


# ---------------------------------------------------------------- values are what was typed; check refuses what build would; links found by check


@pytest.mark.parametrize("written", ["02071234567", "0x1F", "1_000", "1:30", ".inf", "0o17", "+44", "1e3", "007"])
def test_numbers_where_text_is_expected_keep_what_was_typed(content, written):
    edit(city_hall(content), "  title: Mayor", f"  title: Mayor\n  phone: {written}")
    edit(city_hall(content), "name: City Hall", f"name: {written}")
    coalition = load_coalition(content)
    city = next(p for p in coalition.partners if p.id == "city-hall")
    assert city.name == written
    assert city.contact.phone == written


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "Yes"])
def test_consent_accepts_only_true_or_false(content, word):
    edit(content / "roster.yaml", "    public: true", f"    public: {word}")
    assert problems(content) == [
        f"roster.yaml:8:13: people[0].public: wrong kind of value (expected true or false, found '{word}')\n"
        "    write true or false (YAML's yes/no/on/off are read as text here)"
    ]


def test_yes_and_no_where_text_is_expected_stay_text(content):
    edit(city_hall(content), "  title: Mayor", "  title: yes")
    city = next(p for p in load_coalition(content).partners if p.id == "city-hall")
    assert city.contact.title == "yes"


def test_a_boolean_where_text_is_expected_says_to_quote_it(content):
    edit(city_hall(content), "name: City Hall", "name: true")
    assert problems(content) == [
        "partners/city-hall.yaml:1:7: name: wrong kind of value (expected text, found true)\n"
        '    put the value in quotes to keep it as text, e.g. "yes"'
    ]


def test_impossible_date_is_located(content):
    edit(city_hall(content), "  rationale: You run the city.", "  rationale: You run the city.\n  sent: 2026-02-30")
    assert problems(content) == [
        "partners/city-hall.yaml:15:9: invitation.sent: not a real date (expected a date such as 2027-01-15, "
        "found '2026-02-30')"
    ]


def test_page_named_like_a_site_page_is_a_check_error(content, capsys):
    (content / "pages" / "index.md").write_text("---\ntitle: Home\n---\nHi\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "check", content)
    assert code == 1
    assert err.startswith("pages/index.md:1:1: the page name 'index' is used by the site itself")


@pytest.mark.parametrize("url", ["https://[::1", "https://example.org:99999/", "https://", "https://exa mple.org",
                                 "ftp://example.org", "javascript:alert(1)"])
def test_web_addresses_later_code_cannot_parse_are_check_errors(content, url):
    edit(content / "partners" / "test-backbone.yaml", "website: https://example.org/", f'website: "{url}"')
    found = problems(content)
    assert len(found) == 1
    assert found[0].startswith("partners/test-backbone.yaml:5:10: website: not a valid web address")


@pytest.mark.parametrize(("link", "message"), [
    ("../../etc/passwd", "link '../../etc/passwd' leaves the site (expected a link from the site root such as "
                         "'members/' or 'static/map.png', found one that climbs out with '..')"),
    ("static/missing.png", "link 'static/missing.png' points at static/missing.png, which is not in static/ "
                           "(expected a file there)"),
    ("/nowhere/", "link '/nowhere/' points at a page the site does not have (expected one of about, coverage, "
                  "meetings, members, people, sitemap, statements, static, structure, working-groups, found 'nowhere')"),
])
def test_markdown_links_the_site_cannot_follow_are_check_errors(content, link, message):
    page = content / "pages" / "about.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    page.write_text("\n".join(lines) + f"\n\nSee [this]({link}).\n", encoding="utf-8")
    assert problems(content) == [f"pages/about.md:{len(lines) + 2}:1: {message}"]


def test_markdown_link_in_a_partner_summary_is_located_at_the_field(content):
    edit(content / "partners" / "test-backbone.yaml", "name: Test Backbone",
         "name: Test Backbone\nsummary: Read [our plan](../plan.pdf).")
    assert problems(content) == [
        "partners/test-backbone.yaml:2:10: summary: link '../plan.pdf' leaves the site (expected a link from the "
        "site root such as 'members/' or 'static/map.png', found one that climbs out with '..')"
    ]


def test_links_the_site_can_follow_pass(content, capsys):
    page = content / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8")
                    + "\n[m](members/) [a](/about/) [w](https://example.org/) [e](mailto:a@example.org) [h](#top)"
                    " [up](../people/)\n",
                    encoding="utf-8")
    assert run_cli(capsys, "check", content) == (
        0, f"{content}: no problems found (2 partners, 2 people, 1 statement, 1 page).\n", "")
