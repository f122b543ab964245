"""How the worksheet's wording maps to the content format: column headings and vocabulary labels.

Columns carry the worksheet's table headings ("Organization name", "Type of
organization", "Target populations served", ...); cells carry the worksheet's
labels as people type them ("Nonprofit", "young people, residents with low
incomes"), in any case, several values separated by commas or semicolons.
Each label is matched to a vocabulary id (vocab.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from coalition_docs.content import schema, vocab
from coalition_docs.errors import did_you_mean

# (heading, field, kind, other headings people use for it)
COLUMNS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Organization name", "name", "text", ("Identified partner", "Potential coalition member", "Organization",
                                           "Name", "Partner")),
    ("Type of organization", "type", "type", ("Type", "Organization type")),
    ("Relationship", "relationship", "relationship", ("Partnership",)),
    ("Stage", "stage", "stage", ("Status",)),
    ("Target populations served", "populations", "populations", ("Populations", "Target populations")),
    ("Domains of work", "domains", "areas", ("Domain of work", "Domains", "Areas")),
    ("Assets", "assets", "assets", ()),
    ("Asset notes", "asset_notes", "text", ()),
    ("Aligned initiatives", "aligned_initiatives", "text", ()),
    ("Motivations for joining", "motivations", "text", ("Motivations",)),
    ("Roles", "roles", "text", ()),
    ("Barriers to partnership / how they're a good partner", "considerations", "text",
     ("Barriers to partnership", "Considerations")),
    ("Website", "website", "text", ()),
    ("Summary", "summary", "text", ()),
    ("Contact name", "contact.name", "text", ()),
    ("Contact title", "contact.title", "text", ()),
    ("Contact email", "contact.email", "text", ("Email",)),
    ("Contact phone", "contact.phone", "text", ("Phone",)),
    ("Contact address", "contact.address", "text", ("Address",)),
    ("ID", "id", "text", ("Partner ID", "File name")),
)
# Fields of partners/ID.yaml that no column holds (a spreadsheet is the worksheet's table, not the letter).
NOT_IN_SPREADSHEET = {
    "invitation": "the letter's texts and dates: written in the partner's file",
    "language": "the letter's language: written in the partner's file",
}
# Columns whose texts are translatable (content-format v1.1): "Summary (es)" holds the Spanish one.
# The schema says which fields are (schema.is_translatable).
TRANSLATABLE = tuple(name for _, name, _, _ in COLUMNS if name in schema.PartnerFile.model_fields
                     and schema.is_translatable(schema.PartnerFile.model_fields[name]))
_IN_LANGUAGE = re.compile(r"^(.*?)\s*\(\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\s*\)\s*$")


def language_column(heading: str) -> tuple[str, str] | None:
    """("summary", "es") for a heading such as "Summary (es)", else None."""
    found = _IN_LANGUAGE.match(heading)
    if not found:
        return None
    for title, name, _, other in COLUMNS:
        if name in TRANSLATABLE and norm(found.group(1)) in {norm(h) for h in (title, *other)}:
            return name, found.group(2)
    return None


def language_heading(name: str, code: str) -> str:
    title = next(title for title, field, *_ in COLUMNS if field == name)
    return f"{title} ({code})"


# The order of the fields a written partner file follows: the schema's.
FIELD_ORDER = tuple(schema.PartnerFile.model_fields)
CONTACT_ORDER = tuple(schema.ContactEntry.model_fields)
LIST_KINDS = ("populations", "areas", "assets")

# What people type for a label that is not the worksheet's own wording.
ALIASES: Mapping[str, Mapping[str, str]] = {
    "type": {"nonprofit": "nonprofit", "community based organization": "nonprofit", "cbo": "nonprofit",
             "government": "local-government", "city": "local-government", "advocacy": "advocacy-group",
             "foundation": "philanthropy", "funder": "philanthropy", "research": "research-organization",
             "anchor": "anchor-institution", "business": "private-sector", "private": "private-sector",
             "company": "private-sector"},
    "relationship": {"existing": "existing", "new": "new", "potential": "new", "potential new": "new",
                     "table 1": "existing", "table 2": "new"},
    "assets": {"research and analytic capacity": "research-and-analytical-capacity",
               "analytic capacity": "research-and-analytical-capacity",
               "data sharing": "data-sharing-and-transparency",
               "strong data sharing capabilities": "data-sharing-and-transparency",
               "data sharing capabilities": "data-sharing-and-transparency",
               "community engagement": "community-engagement-experience",
               "racial equity": "racial-equity-approach", "positionality": "understanding-of-positionality",
               "power sharing": "power-sharing-practice", "narrative change": "narrative-change-experience",
               "data informed decisionmaking": "data-informed-decisionmaking"},
}
SHEET_RELATIONSHIP = {"existing": "existing", "table 1": "existing", "new": "new", "potential": "new",
                      "table 2": "new"}


def norm(text: str) -> str:
    """Lowercase ASCII words: "Private-sector" and "private sector" read the same."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text.replace("(s)", "s")))


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _loose(text: str) -> str:
    """_norm, then every word singular and no leading article: "Nonprofits" reads as "nonprofit"."""
    words = [_singular(w) for w in norm(text).split()]
    while words and words[0] in ("a", "an", "the"):
        words = words[1:]
    return " ".join(words)


@dataclass
class Vocabulary:
    """Labels and ids of one vocabulary, with the ways people write them."""

    kind: str
    labels: Mapping[str, str]  # id -> label

    def __post_init__(self) -> None:
        self.lookup: dict[str, str] = {}
        for term_id, label in self.labels.items():
            self.lookup[norm(label)] = term_id
            self.lookup[norm(term_id)] = term_id
        for typed, term_id in ALIASES.get(self.kind, {}).items():
            self.lookup.setdefault(norm(typed), term_id)
        # The same keys, loosened; a key two terms share is no key at all.
        loose: dict[str, set[str]] = {}
        for key, term_id in self.lookup.items():
            loose.setdefault(_loose(key), set()).add(term_id)
        self.loose = {key: ids.pop() for key, ids in loose.items() if len(ids) == 1}

    def match(self, typed: str) -> str | None:
        key = norm(typed)
        if not key:
            return None
        if key in self.lookup:
            return self.lookup[key]
        key = _loose(typed)
        if key in self.loose:
            return self.loose[key]
        # "Nonprofit" for "Nonprofit or community-based organization": the first words of one label only;
        # "homelessness" for "People experiencing housing instability or homelessness": words inside one label.
        for found in (lambda label: label.startswith(key + " "),
                      lambda label: len(key) >= 5 and f" {key} " in f" {label} "):
            ids = {term_id for label, term_id in self.loose.items() if found(label)}
            if len(ids) == 1:
                return ids.pop()
            if ids:
                return None
        return None

    def exact(self, typed: str, term_id: str) -> bool:
        """Whether `typed` is the label or the id itself (else the match is reported to the person)."""
        return norm(typed) in (norm(self.labels[term_id]), norm(term_id))

    def suggest(self, typed: str) -> str | None:
        return did_you_mean(typed, list(self.labels.values()))


def vocabularies(extra: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, Vocabulary]:
    extra = extra or {}
    return {
        "type": Vocabulary("type", vocab.ORGANIZATION_TYPES),
        "relationship": Vocabulary("relationship", vocab.RELATIONSHIPS),
        "stage": Vocabulary("stage", vocab.STAGES),
        "populations": Vocabulary("populations", {**vocab.POPULATIONS, **extra.get("populations", {})}),
        "areas": Vocabulary("areas", {**vocab.AREAS, **extra.get("areas", {})}),
        "assets": Vocabulary("assets", {**vocab.ASSETS, **extra.get("assets", {})}),
    }



def known_headings() -> set[str]:
    return {norm(h) for heading, _, _, other in COLUMNS for h in (heading, *other)}


def _split(value: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s*[;,\n]\s*", value) if p.strip()]


def pieces(value: str, vocabulary: Vocabulary) -> list[str]:
    """The labels of a cell; a label with a comma in it ("Outreach in Spanish, Vietnamese") stays whole."""
    parts = _split(value)
    pieces, i = [], 0
    while i < len(parts):
        for j in range(len(parts), i, -1):  # the longest run of parts that is one label
            joined = ", ".join(parts[i:j])
            if j == i + 1 or vocabulary.match(joined) is not None:
                break
        pieces.append(joined)
        i = j
    return pieces


def relationship_of(title: str) -> str | None:
    """"Table 1 Existing partnerships" -> existing; a title that names both (table 3) -> None."""
    words = f" {norm(title)} "
    found = {rel for key, rel in SHEET_RELATIONSHIP.items() if f" {key} " in words}
    return found.pop() if len(found) == 1 else None
