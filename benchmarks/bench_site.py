"""Time the public site build against Hugo on the same machine, in the same run.

    python benchmarks/bench_site.py [--partners 1000] [--repeat 5] [--no-hugo] [--baseline DIR] [--cold]

1. Generates a coalition of N partners with benchmarks/generate.py, loads it
   once, and times `build_site` (render every page, copy assets, write the
   sitemap, check every link and anchor). It does this twice: for the
   coalition as generated (only partners at stage `member` get a page), and
   with every partner made a member, so that the site has N member pages.
2. Writes the same N partners as N Hugo Markdown pages (front matter with the
   type, populations, areas and assets; the summary as the body), with
   templates that print the same lists, and times Debian's `hugo` building
   them (process start included, as a user would run it).

3. Times `coalition-docs build --only site --clean` of the same N member
   pages as a person runs it (a new process: start-up included), alternating
   with Hugo; with --baseline DIR (a checkout of another version, e.g.
   `git archive main | tar -x -C DIR`), that version's command too, in turn,
   run from DIR/src by this Python. The first round of runs is not counted:
   it warms the disk cache, and it fills the tool's cache folder (the content
   files as parsed), as a person's first build of a folder does; later builds
   parse only files whose text changed. Each version has a cache folder of its
   own, in the benchmark's temporary folder (the user's is never touched, and
   two versions never replace each other's store). With --cold, the command is
   timed a second time in each round with an empty cache folder of its own.

Prints the best and median of each, CPU seconds of the command (its workers
included), and the ratio of the command to Hugo against the goal (at most 2.5).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generated
from versions import baseline_source, coalition_docs, load_average

from coalition_docs.site.render import build_site
from coalition_docs.templating import Theme
from coalition_docs.content.validate import load_coalition

HUGO_CONFIG = """baseURL = "https://example.org/coalition/"
languageCode = "en"
title = "Generated coalition"
relativeURLs = true
disableKinds = ["taxonomy", "term"]
[markup.goldmark.renderer]
unsafe = false
"""

HUGO_BASEOF = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body>
<a href="#main">Skip to main content</a>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav aria-label="Main"><ul>
<li><a href="{{ "members/" | relURL }}">Members</a></li><li><a href="{{ "people/" | relURL }}">People</a></li>
<li><a href="{{ "structure/" | relURL }}">Structure</a></li><li><a href="{{ "coverage/" | relURL }}">Coverage</a></li>
</ul></nav></header>
<main id="main">{{ block "main" . }}{{ end }}</main>
<footer><p>{{ .Site.Title }}</p></footer>
</body></html>
"""

HUGO_SINGLE = """{{ define "main" }}
<nav aria-label="Breadcrumb"><a href="{{ "/" | relURL }}">Home</a> / <a href="{{ "members/" | relURL }}">Members</a></nav>
<p>{{ .Params.kind }}</p><h1>{{ .Title }}</h1>
{{ with .Params.website }}<p><a href="{{ . }}">{{ . }}</a></p>{{ end }}
{{ .Content }}
<h2>Who they serve</h2><ul>{{ range .Params.populations }}<li>{{ . }}</li>{{ end }}</ul>
<h2>What they work on</h2><ul>{{ range .Params.domains }}<li>{{ . }}</li>{{ end }}</ul>
<h2>What they bring</h2><ul>{{ range .Params.assets }}<li>{{ . }}</li>{{ end }}</ul>
{{ end }}
"""

HUGO_LIST = """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li data-type="{{ .Params.kind }}"><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Params.kind }}</p>{{ .Content }}<ul>{{ range .Params.domains }}<li>{{ . }}</li>{{ end }}</ul></li>{{ end }}</ul>
{{ end }}
"""


def _yaml_list(items) -> str:
    return "[" + ", ".join('"' + str(i).replace('"', "'") + '"' for i in items) + "]"


def write_hugo_site(root: Path, coalition) -> int:
    """The coalition's partners as Hugo Markdown pages; returns the page count."""
    (root / "layouts" / "_default").mkdir(parents=True)
    (root / "content" / "members").mkdir(parents=True)
    (root / "static").mkdir()
    (root / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (root / "layouts" / "_default" / "baseof.html").write_text(HUGO_BASEOF, encoding="utf-8")
    (root / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (root / "layouts" / "_default" / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    (root / "layouts" / "index.html").write_text(HUGO_LIST, encoding="utf-8")
    (root / "static" / "style.css").write_text("body { font-family: sans-serif; }\n", encoding="utf-8")
    (root / "content" / "members" / "_index.md").write_text("---\ntitle: Members\n---\n", encoding="utf-8")
    for partner in coalition.partners:
        front = [
            "---",
            f'title: "{partner.name}"',
            f'kind: "{partner.type.label}"',
            f'website: "{partner.website or ""}"',
            f"populations: {_yaml_list(partner.populations)}",
            f"domains: {_yaml_list(partner.domains)}",
            f"assets: {_yaml_list(partner.assets)}",
            "---",
        ]
        body = (partner.summary or "") + "\n"
        (root / "content" / "members" / f"{partner.id}.md").write_text("\n".join(front) + "\n" + body, encoding="utf-8")
    return len(coalition.partners)


def run_hugo(root: Path, run: int) -> float:
    hugo = shutil.which("hugo")
    if hugo is None:
        raise SystemExit("hugo is not installed (apt-get install -y hugo), or pass --no-hugo")
    out = root / f"public-{run}"
    started = time.perf_counter()
    subprocess.run(
        [hugo, "--quiet", "--source", str(root), "--destination", str(out), "--cacheDir", str(root / "cache")],
        check=True,
    )
    return time.perf_counter() - started


def run_site(coalition, theme: Theme, dest: Path) -> tuple[float, int]:
    started = time.perf_counter()
    written = build_site(coalition, theme, dest)
    return time.perf_counter() - started, sum(1 for p in written if p.endswith(".html"))


GOAL = 2.5  # build --only site, start-up included, against Hugo


def run_cli(content: Path, out: Path, source: Path | None = None, cache: Path | None = None) -> tuple[float, float]:
    """`coalition-docs build --only site --clean` as a person runs it: Python start-up included.
    Wall and CPU seconds; `source`: the src folder of another version to run instead; `cache`: a cache
    folder of its own (a new one: every content file is parsed, as on the first build of a folder)."""
    seconds, cpu, _ = coalition_docs("build", str(content), "--only", "site", "--clean", "--out", str(out),
                                     "--quiet", source=source, cache=cache)
    return seconds, cpu


def all_members(source: Path, target: Path) -> None:
    """A copy of a generated content folder in which every partner is a member."""
    shutil.copytree(source, target)
    for path in (target / "partners").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^stage: .*$", "stage: member", text), encoding="utf-8")


def _fmt(times: list[float]) -> str:
    return f"best {min(times):.3f} s, median {statistics.median(times):.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--baseline", type=Path, help="a checkout of another version to time in turn")
    parser.add_argument("--cold", action="store_true",
                        help="also time the command with an empty cache folder (every content file parsed)")
    args = parser.parse_args()
    baseline = baseline_source(args.baseline)
    print(load_average(), flush=True)

    with generated(args.partners) as content:
        tmp_path = content.parent
        coalition = load_coalition(content)
        theme = Theme(content)
        members = sum(1 for p in coalition.partners if p.is_member)

        # The coalition as generated: pages for its members only.
        as_generated = []
        for run in range(args.repeat + 1):  # run 0 warms the disk cache and is not counted
            seconds, pages = run_site(coalition, theme, tmp_path / f"a{run}")
            if run:
                as_generated.append(seconds)

        # The worst case, a page for every partner, alternating with Hugo so
        # that both see the same machine.
        hugo_root = tmp_path / "hugo"
        count = write_hugo_site(hugo_root, coalition)
        for partner in coalition.partners:
            partner.stage = "member"
        everyone: list[float] = []
        hugo_times: list[float] = []
        cli_times: list[float] = []
        cli_cpu: list[float] = []
        cold_times: list[float] = []
        base_times: list[float] = []
        base_cpu: list[float] = []
        all_content = tmp_path / "all-members"
        all_members(content, all_content)
        for run in range(args.repeat + 1):
            seconds, all_pages = run_site(coalition, theme, tmp_path / f"b{run}")
            if run:
                everyone.append(seconds)
            seconds, cpu = run_cli(all_content, tmp_path / f"c{run}", cache=tmp_path / "cache-this")
            if run:
                cli_times.append(seconds)
                cli_cpu.append(cpu)
            if args.cold:
                seconds, _ = run_cli(all_content, tmp_path / f"e{run}", cache=tmp_path / f"cache-{run}")
                if run:
                    cold_times.append(seconds)
            if baseline is not None:
                seconds, cpu = run_cli(all_content, tmp_path / f"d{run}", baseline, cache=tmp_path / "cache-baseline")
                if run:
                    base_times.append(seconds)
                    base_cpu.append(cpu)
            if not args.no_hugo:
                seconds = run_hugo(hugo_root, run)
                if run:
                    hugo_times.append(seconds)

        print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, "
              f"{platform.python_implementation()} {platform.python_version()}")
        print(f"site, {args.partners} partners as generated ({members} members, {pages} pages): {_fmt(as_generated)}")
        print(f"site, all {args.partners} partners members ({all_pages} pages): {_fmt(everyone)}")
        print(f"coalition-docs build --only site, the same pages, start-up included: {_fmt(cli_times)}; "
              f"CPU median {statistics.median(cli_cpu):.3f} s")
        if args.cold:
            print(f"the same command, cache folder empty (every file parsed): {_fmt(cold_times)}")
        if baseline is not None:
            print(f"the baseline ({args.baseline}), the same command: {_fmt(base_times)}; "
                  f"CPU median {statistics.median(base_cpu):.3f} s; this version / baseline, medians: "
                  f"{statistics.median(cli_times) / statistics.median(base_times):.3f} "
                  f"(CPU {statistics.median(cli_cpu) / statistics.median(base_cpu):.3f})")
        print(load_average())
        if args.no_hugo:
            return
        version = subprocess.run(["hugo", "version"], capture_output=True, text=True, check=True).stdout.split()[1]
        print(f"hugo {version}, {count} Markdown pages: {_fmt(hugo_times)}")
        ratio = statistics.median(everyone) / statistics.median(hugo_times)
        print(f"ratio (site with {all_pages} pages / hugo, medians): {ratio:.2f}")
        ratio = statistics.median(cli_times) / statistics.median(hugo_times)
        print(f"ratio (build --only site, start-up included / hugo, medians): {ratio:.2f} (goal at most {GOAL:.1f})")
        if args.cold:
            ratio = statistics.median(cold_times) / statistics.median(hugo_times)
            print(f"with an empty cache folder: {ratio:.2f}")
        if baseline is not None:
            ratio = statistics.median(base_times) / statistics.median(hugo_times)
            print(f"the baseline's ratio, the same run: {ratio:.2f}")


if __name__ == "__main__":
    main()
