"""The theme's languages: the gettext catalogs, merged per language (the filters that write dates
and numbers in a language are templating.py's, given a catalog here by `localize`).

The theme is written in English (the source language, `en`). Its catalogs live
in the package as `coalition_docs/locale/LANG/LC_MESSAGES/messages.po` and are
compiled in memory when first used (no build step, nothing to forget in a
wheel). A coalition adds a language, or overrides single entries of one, with
its own `templates/locale/LANG/LC_MESSAGES/messages.po` (or `.mo`): its entries
win over the package's, as its template files win over the theme's.

`make messages` extracts every word of the templates and the vocabulary labels
into `locale/messages.pot` and updates the catalogs (see babel.cfg).
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from typing import TYPE_CHECKING

import jinja2

from coalition_docs.templating import PACKAGE_DIR, SOURCE_LANGUAGE, Theme, babel_locale, filters, install_catalog

if TYPE_CHECKING:  # Babel is imported when a language is first used: English needs none of it
    from coalition_docs.content import model
    from babel.support import Translations

LOCALE_DIR = PACKAGE_DIR / "locale"
_CATALOG = Path("LC_MESSAGES")


def _catalog_roots(theme: Theme) -> list[Path]:
    """Where catalogs come from, weakest first: the package, the default theme, the coalition's."""
    return [LOCALE_DIR, *(d / "locale" for d in reversed(theme.search_path))]


def _catalog_file(root: Path, language: str) -> Path | None:
    """The catalog of `language` under `root`: the .po if there is one, else the .mo."""
    for name in ("messages.po", "messages.mo"):
        path = root / language / _CATALOG / name
        if path.is_file():
            return path
    return None


def available_languages(theme: Theme) -> list[str]:
    """Every language the theme speaks: the source language and each one with a catalog."""
    found = {SOURCE_LANGUAGE}
    for root in _catalog_roots(theme):
        if root.is_dir():
            found.update(d.name for d in root.iterdir() if d.is_dir() and _catalog_file(root, d.name))
    return sorted(found)


def check_languages(coalition: "model.Coalition", theme: Theme) -> None:
    """Raise ContentErrors, at its place in coalition.yaml, for each language the theme has no catalog for."""
    from coalition_docs.content.languages import language_name
    from coalition_docs.errors import ContentErrors, Problem

    available = available_languages(theme)
    problems = []
    for index, code in enumerate(coalition.languages):
        if code in available:
            continue
        field = "site.language" if index == 0 else f"site.languages[{index - 1}]"
        where = coalition.position("site.language" if index == 0 else f"site.languages.{index - 1}")
        problems.append(Problem(
            where.path, where.line, where.column,
            f"{field}: the theme has no catalog for {code} ({language_name(code)}), so its words cannot be "
            f"written in it (expected one of {', '.join(available)}, found {code})",
            f"add templates/locale/{code}/LC_MESSAGES/messages.po beside the content folder, translated from the "
            "package's locale/messages.pot (see \"coalition-docs docs languages\", section \"The theme's words\")"))
    if problems:
        raise ContentErrors(problems)


def catalog_files(theme: Theme, language: str) -> list[Path]:
    """The files `translations(theme, language)` is made from, weakest first (for cache keys)."""
    found = (_catalog_file(root, language) for root in _catalog_roots(theme))
    return [path for path in found if path is not None]


def translations(theme: Theme, language: str) -> gettext.NullTranslations:
    """The theme's words in `language`: the package's catalog with the coalition's entries on top.

    Cached per set of catalog files as they are on disk (path, size, modification
    time): one theme and language read once, and `serve` sees an edited catalog.
    """
    stamps = []
    for path in catalog_files(theme, language):
        st = path.stat()
        stamps.append((str(path), st.st_size, st.st_mtime_ns))
    return _translations(tuple(stamps), language)


@lru_cache(maxsize=64)
def _translations(stamps: tuple[tuple[str, int, int], ...], language: str) -> gettext.NullTranslations:
    merged: Translations | None = None
    for name, _, _ in stamps:
        layer = _read_catalog(Path(name), language)
        if merged is None:
            merged = layer
        else:
            merged.merge(layer)
    return merged if merged is not None else gettext.NullTranslations()


def _read_catalog(path: Path, language: str) -> Translations:
    """A .po compiled in memory (fuzzy entries left out, as msgfmt does), or a .mo as it is."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    data = path.read_bytes()
    if path.suffix == ".po":
        catalog = read_po(io.BytesIO(data), locale=babel_locale(language))
        compiled = io.BytesIO()
        write_mo(compiled, catalog, use_fuzzy=False)
        data = compiled.getvalue()
    return Translations(io.BytesIO(data), domain="messages")


def label(theme: Theme, language: str, text: str) -> str:
    """A vocabulary label (or any theme word) in `language`; the text itself when no catalog has it."""
    return labels(theme, language)(text)


def labels(theme: Theme, language: str) -> Callable[[str], str]:
    """`label` in one language, its catalog looked up once (not once a word: contacts.vcf asks for
    hundreds, and each look-up reads the catalogs' sizes and times on disk)."""
    catalog = translations(theme, language)
    return lambda text: catalog.gettext(text) if text else text


def localize(env: jinja2.Environment, theme: Theme, language: str) -> None:
    """Make `env` speak `language`: its gettext, `language`, and the date and number filters."""
    catalog = translations(theme, language)
    install_catalog(env, catalog)
    env.globals["language"] = language
    env.filters.update(filters(catalog, language))
