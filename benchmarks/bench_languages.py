"""How the site build grows with the number of languages (and nothing else).

    python benchmarks/bench_languages.py [--partners 1000] [--repeat 3]

Generates a coalition (benchmarks/generate.py, every partner a member so that
the site has a page per partner), then times `coalition-docs build --only site
--clean` in a new process (Python start-up included) with the site in one,
two and three languages (site.languages: [] / [es] / [es, vi]; the texts have
no translations, so every page of a translation shows the primary language's
text, marked: the same work as a translated page). Prints the pages built and
the best and median seconds of each, and each one's ratio to one language.
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
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

LANGUAGES = ([], ["es"], ["es", "vi"])


def with_languages(source: Path, target: Path, languages: list[str]) -> None:
    shutil.copytree(source, target)
    coalition = target / "coalition.yaml"
    text = coalition.read_text(encoding="utf-8")
    if languages:
        text = re.sub(r"(?m)^(  language: en)$", rf"\1\n  languages: [{', '.join(languages)}]", text, count=1)
    coalition.write_text(text, encoding="utf-8")
    for path in (target / "partners").glob("*.yaml"):
        partner = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^stage: .*$", "stage: member", partner), encoding="utf-8")


def run(content: Path, out: Path) -> float:
    command = [sys.executable, "-m", "coalition_docs", "build", str(content), "--only", "site", "--clean",
               "--out", str(out), "--quiet"]
    started = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.python_implementation()} "
          f"{platform.python_version()}; load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root / "generated", args.partners, seed=1)
        times: dict[int, list[float]] = {}
        pages: dict[int, int] = {}
        for languages in LANGUAGES:
            count = 1 + len(languages)
            content = root / f"content-{count}"
            with_languages(root / "generated", content, languages)
            times[count] = []
            for attempt in range(args.repeat + 1):  # the first run warms the disk cache and is not counted
                out = root / f"out-{count}-{attempt}"
                seconds = run(content, out)
                if attempt:
                    times[count].append(seconds)
                pages[count] = sum(1 for _ in (out / "site").rglob("*.html"))
                shutil.rmtree(out)
        one = statistics.median(times[1])
        for count, seconds in times.items():
            median = statistics.median(seconds)
            print(f"{count} language{'s' if count > 1 else ''}: {pages[count]} pages, best {min(seconds):.2f} s, "
                  f"median {median:.2f} s, {median / one:.2f}x one language")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
