"""Ids: the rule every id follows, and the id a person probably meant."""

from __future__ import annotations

import re
import unicodedata

from coalition_docs.content import vocab


ID_RE = re.compile(vocab.ID_PATTERN)
ID_RULE = "an id of lowercase letters, digits and single hyphens"


def slugify(text: str) -> str:
    """The id a person probably meant: 'Harbor_Tenants Union' -> 'harbor-tenants-union'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
