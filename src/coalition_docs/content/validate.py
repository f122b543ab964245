"""Content folder -> a validated, cross-referenced `model.Coalition`, or every error.

Three passes, all of whose problems are gathered before anything is raised:
1. load every file (load.py) and check it against its schema (schema.py);
2. check ids, vocabularies and cross-references, each at the line where the
   reference is written;
3. build the model, resolving every id into the object it names.
"""

from __future__ import annotations

from pathlib import Path

from coalition_docs.content import model
from coalition_docs.content import vocab
from coalition_docs.content.cache import FileCache
from coalition_docs.content.check import Checker, Loaded
from coalition_docs.content.languages import LanguageCheck
from coalition_docs.content.load import relative_name
from coalition_docs.content.markdown_links import check_links
from coalition_docs.content.meetings_check import MeetingCheck
from coalition_docs.content.references import References
from coalition_docs.content.resolve import Builder
from coalition_docs.content.static import content_links, static_files
from coalition_docs.content.store import ContentStore
from coalition_docs.errors import ContentErrors, Problem, UsageError


def load_coalition(content_dir: Path | str, jobs: int = 1, cache: FileCache | None = None, *,
                   remember: bool = True, tool: str | None = None) -> model.Coalition:
    """Load, validate and cross-reference a content folder; raise ContentErrors with all problems.

    `jobs` > 1 reads a large folder of partners in that many processes. `cache` (kept by
    `serve` from one build to the next) holds the files read before: only those that changed
    are read again; every check of several files runs again on the whole coalition.
    `remember`: keep what reading each file gave for the next run, in the user's cache
    (store.py; `tool`, the tool's fingerprint when the caller has it); with a `cache`, only
    its first load goes through that store.
    """
    root = Path(content_dir)
    if not root.is_dir():
        raise UsageError(f"content folder not found: {root} (expected a folder holding coalition.yaml, "
                         "or a project folder holding content/coalition.yaml)")
    store = None
    if remember and (cache is None or cache.fresh):  # serve: its own cache keeps the files after its first build
        from coalition_docs.engine.manifest import tool_fingerprint

        store = ContentStore.open(root, tool or tool_fingerprint())
    run = Checker(root, cache=cache, store=store)
    run.refused = content_links(root, run)

    files: dict[str, Loaded | None] = {}

    def coalition_and_roster() -> None:  # read by this process while workers read partners
        for name, kind in (("coalition.yaml", "CoalitionFile"), ("roster.yaml", "RosterFile")):
            path = root / name
            if path.is_file():
                files[name] = run.load(path, kind)
            else:
                files[name] = None
                run.missing(name, "file")

    paths = run.folder("partners", ".yaml", required=True)
    partners = {p.stem: loaded for p, loaded in zip(paths, run.load_all(paths, "PartnerFile", jobs,
                                                                        first=coalition_and_roster))}
    coalition, roster = files["coalition.yaml"], files["roster.yaml"]
    paths = run.folder("positionality", ".yaml", required=False)
    statements = {p.stem: loaded for p, loaded in zip(paths, run.load_all(paths, "StatementFile", jobs))}
    paths = run.folder("meetings", ".yaml", required=False)
    meetings = {p.stem: loaded for p, loaded in zip(paths, run.load_all(paths, "MeetingFile", jobs))}
    pages = {}
    for path in run.folder("pages", ".md", required=False):
        found = run.page(path)
        if found is None:
            continue
        if path.stem.partition(".")[0] in vocab.RESERVED_PAGE_NAMES and "." not in path.stem:
            run.problems.append(Problem(
                relative_name(path, root), 1, 1, f"the page name '{path.stem}' is used by the site itself "
                f"(expected another name, found {path.name}; reserved: {', '.join(sorted(vocab.RESERVED_PAGE_NAMES))})",
                "rename the file, e.g. to about.md"))
            continue
        page, loaded, problems = found
        run.problems.extend(problems)
        pages[path.stem] = (loaded, page)
    static = static_files(root, run)
    if store is not None:
        store.save()

    languages = LanguageCheck(run, coalition)
    languages.site_languages()
    languages.file("coalition", coalition)
    languages.file("roster", roster)
    for loaded in partners.values():
        languages.file("partner", loaded)
    for loaded in statements.values():
        languages.file("positionality", loaded)
    for loaded in meetings.values():
        languages.file("meeting", loaded)
    for name in [n for n in pages if "." in n]:
        stem, _, code = name.partition(".")
        problem = languages.page_language(f"pages/{name}.md", code, stem in pages)
        if problem is not None:
            run.problems.append(Problem(f"pages/{name}.md", 1, 1, problem))
            del pages[name]

    refs = References(run, coalition, roster, partners, statements)
    refs.check()
    MeetingCheck(refs, coalition, meetings).check()
    check_links(run, coalition, roster, partners, statements, pages, static)
    if run.problems:
        raise ContentErrors(run.problems)
    return Builder(root, coalition, roster, partners, statements, pages, static, meetings).build()
