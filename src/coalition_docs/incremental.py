"""The builds of `serve`: the same checks and plan as `build`, with what a warm process already knows.

`serve` keeps a `Session` for as long as it runs. Its first build is the
ordinary one (phases.build), and so is every build of `serve --documents`.
After that, a build of the site:

- reads again only the content files that changed (content/cache.py), and runs
  every check of several files (ids, cross-references, languages, links) on
  the whole coalition, as `check` does: it reports exactly what `check` would;
- plans the whole site with its stage, as `build` does: a page whose key
  equals the last build's is kept as it is, the others are rendered in this
  process into a scratch folder beside the output;
- checks the links of the whole site, with the links and ids of each page kept
  from the build that wrote it (only new pages are read);
- and only then moves the new pages into place one by one, removes the pages
  that no longer have a source, and writes the manifest.

Nothing of the output is touched before everything passed, so a failed build
leaves the previous output whole. While the new pages move into place, a
request may see some of them before others; the manifest is first written
without them, so that a build interrupted there renders them again.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from coalition_docs import __version__, phases
from coalition_docs.content.cache import FileCache
from coalition_docs.engine import policy, runner
from coalition_docs.engine.manifest import Manifest, OutputRecords, tool_fingerprint
from coalition_docs.engine.outputs import make
from coalition_docs.errors import BuildError
from coalition_docs.files import os_problem
from coalition_docs.site.links import Scan, _scan, check_links
from coalition_docs.site.plan import SITE_FOLDER
from coalition_docs.site.render import SitePlan
from coalition_docs.templating import Theme

SITE = SITE_FOLDER + "/"
MANY_PAGES = 50  # pages to render that are worth the processes of every core


class _InPlace:
    """Stands for the staging folder (engine/staging.py) of a build written in place: an unchanged output
    stays where it is, in the output folder."""

    def __init__(self, out: Path):
        self.out = out

    def reuse(self, relative: str) -> bool:
        return (self.out / relative).is_file()


class Session:
    """The builds of one `serve`: `build()` after every change."""

    def __init__(self, content: Path, out: Path, *, documents: bool = False, incremental: bool = True):
        self.content, self.out = Path(content), Path(out)
        self.only = None if documents else "site"
        self.incremental = incremental and not documents  # False: every build is the ordinary one
        self.files = FileCache()
        self.tool = tool_fingerprint()  # this process's code: it does not change while it runs
        self.manifest: Manifest | None = None  # the last build's, when the session knows it whole
        self.scans: dict[str, tuple[str, Scan]] = {}  # a page or stylesheet of the site -> (its key, links and ids)
        self._unwritten = False  # the manifest of the last build is still to be written (settle)

    def build(self) -> phases.BuildResult:
        """Build the site (and the documents with --documents); raises what phases.build raises."""
        self.settle()
        with policy.batch_work():
            if self.incremental and self.manifest is not None and self.manifest.tool == self.tool:
                try:
                    return self._in_place()
                except OSError as exc:  # the machine failed (disk full, permission): the next build is whole
                    self.manifest = None
                    raise BuildError(os_problem(exc, self.out, "write the build into")) from None
        self.manifest = None
        result = phases.build(self.content, self.out, only=self.only, files=self.files if self.incremental else None)
        if self.incremental:
            self.manifest = Manifest.read(self.out)
            self._scan_site()
        return result

    def settle(self) -> None:
        """Write the manifest of the last build written in place (serve calls it once the browser was told)."""
        if self._unwritten and self.manifest is not None:
            self.manifest.write(self.out)
        self._unwritten = False

    def _scan_site(self) -> None:
        """The links and ids of every page of the output, read once after an ordinary build."""
        self.scans.clear()
        for path, record in (self.manifest.outputs if self.manifest is not None else {}).items():
            if path.startswith(SITE) and path.endswith((".html", ".css")):
                try:
                    self.scans[path.removeprefix(SITE)] = (record.key, _scan(_read(self.out / path),
                                                                             path.endswith(".css")))
                except OSError:
                    pass  # read again by the next build, which renders it anew

    def _in_place(self) -> phases.BuildResult:
        started = time.perf_counter()
        content, out, previous = self.content, self.out, self.manifest
        assert previous is not None
        theme = Theme(content)
        stages = phases.selected(self.only)
        jobs = runner.default_jobs()  # used only when many files or pages changed (a branch switched, a template)
        coalition = phases.load_content(content, theme, jobs=jobs, files=self.files)
        records = OutputRecords(previous, _InPlace(out), self.tool)
        plans = phases.plan_stages(stages, coalition, theme, records)
        warnings = {"content": phases.content_warnings(coalition), **phases.stage_warnings(plans, previous)}
        result = phases.BuildResult(out, warnings=[w for said in warnings.values() for w in said])
        for path, record in previous.outputs.items():  # the documents, as `--only site` keeps them
            if not path.startswith(SITE):
                records.records[path] = record
        out.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}.serving-", dir=out.parent))
        try:
            planned = [output for stage in stages for output in plans[stage.name].outputs]
            changed = sum(1 for output in planned if not records.unchanged(output.path, output.key))
            # A few pages render here at once; starting workers costs more than it saves below a directory's worth.
            made = make(planned, records, scratch, label="pages", jobs=jobs if changed > MANY_PAGES else 1)
            site = _site_plan(plans["site"])
            scans = self._scans(site, records, scratch)
            check_links(scratch / SITE_FOLDER, [p.removeprefix(SITE) for p in made if p.startswith(SITE)],
                        site.base, scans)
            removed = sorted(set(previous.outputs) - set(records.records))
            self._publish(records, scratch, removed, previous)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        # No fingerprint of the inputs: the person may have saved again since this build read them, so the
        # next `build` checks the content instead of stopping at once (and reuses every output by its key).
        self.manifest = Manifest(self.tool, "", previous.files, records.records, warnings, __version__)
        self._unwritten = True
        result.written = {SITE_FOLDER: [p.removeprefix(SITE) for p in made if p.startswith(SITE) and "/." not in p]}
        result.rendered, result.reused, result.removed = sorted(records.rendered), sorted(records.reused), removed
        result.seconds = time.perf_counter() - started
        return result

    def _scans(self, site: SitePlan, records: OutputRecords, scratch: Path) -> dict[str, Scan]:
        """The links and ids of every page and stylesheet of the site: from this build's rendering, kept
        from an earlier one while the key is the same, or read from the file."""
        rendered = set(records.rendered)
        scans: dict[str, Scan] = {}
        for path, record in records.records.items():
            if not path.startswith(SITE) or not path.endswith((".html", ".css")):
                continue
            page = path.removeprefix(SITE)
            known = self.scans.get(page)
            if path in rendered:
                scan = site.scans.get(page) or _scan(_read(scratch / path), path.endswith(".css"))
            elif known is not None and known[0] == record.key:
                scan = known[1]
            else:
                scan = _scan(_read(self.out / path), path.endswith(".css"))
            scans[page] = scan
            self.scans[page] = (record.key, scan)
        for page in set(self.scans) - set(scans):
            del self.scans[page]
        return scans

    def _publish(self, records: OutputRecords, scratch: Path, removed: list[str], previous: Manifest) -> None:
        """The rendered files moved into the output, the removed ones deleted; until settle() writes the
        manifest, it lists no output."""
        changing = set(records.rendered) | set(removed)
        if not changing:
            return
        Manifest(previous.tool, version=previous.version).write(self.out)  # interrupted here, all is made again
        for path in records.rendered:
            target = self.out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(scratch / path, target)
        for path in removed:
            target = self.out / path
            target.unlink(missing_ok=True)
            _remove_empty_folders(target.parent, self.out / SITE_FOLDER)


def _site_plan(plan) -> SitePlan:
    """The site stage's own plan (its link check is the bound method of it)."""
    return next(check.__self__ for check in plan.checks if isinstance(getattr(check, "__self__", None), SitePlan))


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def _remove_empty_folders(folder: Path, top: Path) -> None:
    while folder != top and folder.is_relative_to(top):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent

