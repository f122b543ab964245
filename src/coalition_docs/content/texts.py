"""The texts of the model that every layer reads: a translatable Text, and a text shown as written.

Apart from model.py (which holds them too, `model.Text`) so that the theme's code
(templating.py) knows them without loading the schema.
"""

from __future__ import annotations

from collections.abc import Mapping


class Text(str):
    """A translatable text (content-format v1.1): the primary language's words, as a plain string.

    `translations` maps every language it is written in (the primary's too)
    to its text; `get(code)` is the text in one language, or None. Code that
    knows nothing of languages reads it as the string it is.
    """

    translations: Mapping[str, str]

    def __new__(cls, value: str, translations: Mapping[str, str] | None = None):
        text = super().__new__(cls, value)
        text.translations = dict(translations or {})
        return text

    def __reduce__(self):
        return (Text, (str(self), self.translations))

    def get(self, language: str) -> str | None:
        return self.translations.get(language)


def text_in(value: str | None, language: str, primary: str) -> str | None:
    """`value` in `language`: its translation, the text itself in the primary language, else None."""
    if value is None:
        return None
    if isinstance(value, Text):
        return value.get(language)
    return str(value) if language == primary else None


class AsWritten(str):
    """A text the coalition wrote, in `language`: shown as written, never looked up in the theme's
    catalog (the catalog is for the theme's own words; a custom label "Get involved" stays as it is)."""

    language: str

    def __new__(cls, value: str, language: str):
        text = super().__new__(cls, value)
        text.language = language
        return text

    def __reduce__(self):
        return (type(self), (str(self), self.language))
