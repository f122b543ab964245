"""The Jinja environments: theme lookup with file-by-file overrides, filters.

The default theme is the project's `templates/` folder (shipped inside the
package as `coalition_docs/theme` when installed from a wheel). A coalition
overrides any file of it by putting a file of the same relative name into a
`templates/` folder beside its content folder, as MkDocs's `custom_dir` does.
Every environment has Jinja's i18n extension, in English until
`i18n.localize()` installs another language's catalog (the language-aware
filters, `date`, `number`, `labels`, `translate`, live here; i18n.py reads the catalogs). Every environment uses StrictUndefined: a template that asks for something the
data does not have fails loudly instead of printing a blank.
"""

from __future__ import annotations

import datetime as dt
import gettext
import hashlib
import re
import os
import stat
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

import jinja2
import jinja2.bccache
import jinja2.loaders
from markupsafe import Markup

from coalition_docs.content.links import markdown
from coalition_docs.content.texts import AsWritten
from coalition_docs.files import MAX_CONTENT_BYTES, UnreadableFile, read_regular, user_cache
from coalition_docs.sandbox import Sandbox

if TYPE_CHECKING:  # Babel is imported when a language other than English is first used
    from babel import Locale

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_SUFFIXES = (".html", ".htm", ".xml", ".txt", ".jinja", ".css", ".eml")


def default_theme_dir() -> Path:
    """The default theme: the source checkout's templates/, or the packaged copy."""
    for candidate in (PACKAGE_DIR.parents[1] / "templates", PACKAGE_DIR / "theme"):
        if (candidate / "site").is_dir() or (candidate / "documents").is_dir():
            return candidate
    return PACKAGE_DIR.parents[1] / "templates"


class Theme:
    """Where templates and assets come from: overrides first, then the default."""

    def __init__(self, content_dir: Path, default_dir: Path | None = None):
        self.default_dir = (default_dir or default_theme_dir()).resolve()
        override = (Path(content_dir).resolve().parent / "templates").resolve()
        # The project's own example lives beside its default theme: no override.
        self.override_dir = override if override != self.default_dir and override.is_dir() else None

    @property
    def search_path(self) -> list[Path]:
        return [d for d in (self.override_dir, self.default_dir) if d is not None]

    def find(self, relative: str) -> Path:
        """The file that wins for `relative` (e.g. "site/style.css")."""
        for base in self.search_path:
            candidate = base / relative
            if candidate.is_file():
                return candidate
        raise FileNotFoundError(relative)

    def files(self, folder: str) -> list[str]:
        """Every file under `folder` in the merged theme, as sorted relative paths."""
        found: set[str] = set()
        for base in self.search_path:
            root = base / folder
            if root.is_dir():
                found.update(
                    p.relative_to(base).as_posix() for p in root.rglob("*") if p.is_file()
                )
        return sorted(found)

    def environment(self, *, autoescape: bool) -> jinja2.Environment:
        # The sandbox: a theme override may be copied from anyone, so a template may read
        # the variables it is given and nothing else (no attributes starting with "_",
        # no calls to methods that change data, no reach into Python).
        env = Sandbox(
            loader=_RegularFileLoader([str(d) for d in self.search_path]),
            bytecode_cache=_compiled_templates(),
            undefined=jinja2.StrictUndefined,
            autoescape=autoescape,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters.update(
            markdown=markdown_filter,
            markdown_inline=markdown_inline_filter,
            paragraphs=paragraphs,
        )
        install_source_language(env)  # English until i18n.localize() says otherwise
        return env


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between builds, as Python keeps its own in __pycache__.

    Each worker of a build compiles every template it uses (about 0.1 s for the
    site's); with this cache it reads them instead. An entry is found by the
    template's file and checked against its source, and its name carries what
    Jinja compiles differently by (its version, the environment's settings, which
    filters take the context), so an edit or another environment never reads a
    stale one. The cache is only ever an optimisation: a folder that cannot be
    made or written, or an entry that cannot be read, means compiling as before.
    """

    def _get_cache_filename(self, bucket: jinja2.bccache.Bucket) -> str:
        env = bucket.environment
        settings = repr((
            jinja2.__version__, type(env).__name__, env.autoescape, env.trim_blocks, env.lstrip_blocks,
            env.keep_trailing_newline, getattr(env, "newstyle_gettext", None), sorted(env.extensions),
            sorted((name, str(getattr(f, "jinja_pass_arg", None))) for name, f in env.filters.items()),
            sorted((name, str(getattr(f, "jinja_pass_arg", None))) for name, f in env.tests.items()),
        ))
        digest = hashlib.sha256(settings.encode("utf-8")).hexdigest()[:16]
        return os.path.join(self.directory, f"{digest}-{bucket.key}.cache")

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            if not stat.S_ISREG(os.stat(self._get_cache_filename(bucket)).st_mode):
                return  # only a regular file is read: a FIFO in its place must not hang the build
            super().load_bytecode(bucket)
        except FileNotFoundError:
            return
        except Exception:  # a damaged entry: compile again (and write it anew)
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a full disk or a read-only cache: nothing is lost but time
            pass


@lru_cache(maxsize=None)
def _compiled_templates() -> _CompiledTemplates | None:
    """The cache of compiled templates (files.user_cache: the user's cache folder); None if unusable."""
    folder = user_cache("templates")
    return _CompiledTemplates(str(folder)) if folder is not None else None


class _RegularFileLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, reading only regular files of sane size (a FIFO never hangs the build)."""

    def get_source(self, environment, template):
        for searchpath in self.searchpath:
            pieces = jinja2.loaders.split_template_path(template)
            candidate = os.path.join(searchpath, *pieces)
            if not os.path.lexists(candidate):
                continue
            try:
                contents = read_regular(Path(candidate), MAX_CONTENT_BYTES).decode(self.encoding)
            except UnreadableFile as exc:
                raise jinja2.TemplateError(f"{candidate}: {exc}") from None
            except UnicodeDecodeError:
                raise jinja2.TemplateError(f"{candidate}: not UTF-8 text (expected a template saved as UTF-8)") from None
            filename = os.path.normpath(candidate)
            mtime = os.path.getmtime(filename)

            def uptodate(filename=filename, mtime=mtime) -> bool:
                try:
                    return os.path.getmtime(filename) == mtime
                except OSError:
                    return False

            return contents, filename, uptodate
        raise jinja2.TemplateNotFound(template)


def render_markdown(text: str | None, root: str | None = None, site_root: str | None = None) -> str:
    """Markdown as HTML; with `root`, links written from the site root are rebased onto it.

    `site_root` (default `root`) is where static/ is: a page of a translation's
    pages (`es/`) links to its own language's pages and to the one static/.
    """
    text = text or ""
    if _PLAIN.fullmatch(text):  # one paragraph of plain words: what markdown-it gives, without parsing
        html = text.rstrip("\n").replace('"', "&quot;")
        return "<p>" + (_STRONG.sub(r"<strong>\1</strong>", html) if "*" in html else html) + "</p>\n"
    if root is None:
        return markdown().render(text)
    return markdown().render(text, {"root": root, "site_root": site_root if site_root is not None else root})


# Text that CommonMark reads as one paragraph of itself alone: it starts with a letter, is one line
# (a final line end aside), does not end in a space, and holds letters, digits, spaces and punctuation
# that mean nothing in Markdown without the characters left out (no \ ` * _ [ ] < > & # | ~ or tab),
# and words in **bold**: after a space, from a letter or digit to a letter or digit, before a space,
# the end or one of , . ; : ! ? ) (CommonMark's strong emphasis, with nothing to decide).
# Most summaries and biographies are such text; tests/test_templating.py compares it with markdown-it.
_PUNCTUATION = r"[ ,.;:'\"?!%$@/()+=\-\u2018\u2019\u201c\u201d\u2013\u2014\u2026]"
_PLAIN = re.compile(rf"[^\W\d_](?:[^\W_]|{_PUNCTUATION}|(?<= )\*\*[^\W_](?:(?:[^\W_]|{_PUNCTUATION})*[^\W_])?\*\*"
                    r"(?=[ ,.;:!?)\n]|\Z))*(?<! )\n?")
_STRONG = re.compile(r"\*\*([^*]+)\*\*")


def markdown_filter(text: str | None) -> Markup:
    return Markup(render_markdown(text))


def markdown_inline_filter(text: str | None) -> Markup:
    return Markup(markdown().renderInline(text or ""))


def template_location(error: BaseException, default: str = "template") -> str:
    """"file:line" of the template where rendering failed: the innermost template frame wins."""
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    tb = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code.co_filename
        if code.endswith(TEMPLATE_SUFFIXES):
            filename, line = code, tb.tb_lineno
        tb = tb.tb_next
    if filename is None:
        return default
    return f"{filename}:{line or 1}"


def format_date(value: dt.date | None, style: str = "long") -> str:
    if value is None:
        return ""
    if style == "iso":
        return value.isoformat()
    return f"{value:%B} {value.day}, {value.year}"


_BLANK_LINES = re.compile(r"\n\s*\n")


def paragraphs(text: str | None) -> list[str]:
    """Plain text split into paragraphs at blank lines (for letters)."""
    return [p.strip() for p in _BLANK_LINES.split(text or "") if p.strip()]


# ---------------------------------------------------------------- the theme's words and dates

SOURCE_LANGUAGE = "en"  # the language the theme is written in


def babel_locale(language: str) -> Locale | None:
    """Babel's locale for a BCP 47 tag ("zh-Hant" is zh_Hant), or None if Babel has no data for it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        return None


def install_catalog(env: jinja2.Environment, catalog: gettext.NullTranslations) -> None:
    env.install_gettext_translations(catalog, newstyle=True)
    gettext = _newstyle_gettext(catalog.gettext)
    if isinstance(env, Sandbox):
        env.own(gettext=gettext, _=gettext, ngettext=env.globals["ngettext"], pgettext=env.globals["pgettext"],
                npgettext=env.globals["npgettext"])
    else:
        env.globals["gettext"] = env.globals["_"] = gettext


def _newstyle_gettext(lookup: Callable[[str], str]) -> Callable[..., str]:
    """Jinja's newstyle `gettext` and `_`, one call deep instead of three (a page calls them a dozen times).

    The same rules as jinja2.ext's: the translation is markup when autoescaping
    is on, and is always formatted with `%` and the keyword arguments, which
    are escaped.
    """

    marked: dict[str, Markup] = {}  # a word -> its translation as markup

    @jinja2.pass_eval_context
    def gettext(eval_ctx: Any, string: str, **variables: Any) -> str:
        if eval_ctx.autoescape:
            text = marked.get(string) if type(string) is str else None
            if text is None:
                text = Markup(lookup(string))
                if type(string) is str:
                    marked[string] = text
        else:
            text = lookup(string)
        return text % variables if "%" in text else text  # without a %, formatting changes nothing

    return gettext


def filters(catalog: gettext.NullTranslations, language: str) -> dict:
    """The language-aware filters: `date`/`format_date`, `number`, `labels` (vocabulary terms
    joined) and `translate` (a theme word held in data: a page title, a label)."""
    # English as the theme always wrote it ("December 15, 2026"), without loading Babel.
    locale = None if language == SOURCE_LANGUAGE else babel_locale(language)

    def date_filter(value: dt.date | None, style: str = "long") -> str:
        if locale is None or style == "iso" or not isinstance(value, dt.date):
            return format_date(value, style)  # English, ISO, None, or a missing value failing as it should
        from babel.dates import format_date as babel_format_date

        return babel_format_date(value, format=style, locale=locale)

    def number_filter(value: float | int | None) -> str:
        if value is None:
            return ""
        from babel.numbers import format_decimal

        return format_decimal(value, locale=locale or SOURCE_LANGUAGE)

    def translate(text: str | None) -> str:
        # Plain gettext: the result is escaped like any other value (unlike _(), which
        # trusts its msgid as markup and formats it with %). A text the coalition wrote is
        # never looked up: the catalog holds the theme's words, not the coalition's.
        if isinstance(text, AsWritten):
            return text
        return catalog.gettext(text) if text else (text or "")

    def labels(terms: Iterable[object], sep: str = ", ") -> str:
        return sep.join(translate(str(term)) for term in terms)

    return {"date": date_filter, "format_date": date_filter, "number": number_filter,
            "translate": translate, "labels": labels}


def install_source_language(env: jinja2.Environment) -> None:
    """The default every theme environment starts with: English, words as written."""
    env.add_extension("jinja2.ext.i18n")
    catalog = gettext.NullTranslations()
    install_catalog(env, catalog)
    env.filters.update(filters(catalog, SOURCE_LANGUAGE))
