"""Time whole builds of generated coalitions: full, no-op and one-partner edits.

    python benchmarks/bench_build.py [--partners 100 1000 5000] [--jobs N] [--seed 1]

For each size, generates a coalition (benchmarks/generate.py), then runs the
`coalition-docs build` command as a user would (a new process each time, with
--quiet) and reports wall-clock seconds for:

- full:        a build into an empty folder (site and documents);
- no-op:       the same build again, nothing changed;
- edit member: one member partner's summary changed (its page and the pages
               that list members are rendered again);
- edit letter: one invited partner's reason for the invitation changed (its
               letter and letters.pdf are rendered again);
- edit table:  one partner's motivations changed (worksheet table 3, and its
               letter if it gets one).

Also prints the letters per second of the full build's PDFs. The plain
WeasyPrint loop and Hugo yardsticks are in bench_letters.py and bench_site.py.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate

BIN = Path(sys.executable).parent / "coalition-docs"


def run_build(content: Path, out: Path, *extra: str) -> float:
    command = [str(BIN) if BIN.exists() else sys.executable, *([] if BIN.exists() else ["-m", "coalition_docs.cli"]),
               "build", str(content), "--out", str(out), "--quiet", *extra]
    started = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - started


def replace_in(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
    if not count:
        raise SystemExit(f"{path}: nothing matches {pattern!r}")
    path.write_text(new, encoding="utf-8")


def first_partner(content: Path, needle: str) -> Path:
    for path in sorted((content / "partners").glob("*.yaml")):
        if needle in path.read_text(encoding="utf-8"):
            return path
    raise SystemExit(f"no partner with {needle!r}")


def bench(partners: int, seed: int, jobs: list[str], root: Path) -> dict[str, float]:
    content = root / f"c{partners}" / "content"
    generate(content, partners, seed=seed)
    out = root / f"c{partners}" / "build"
    times = {"full": run_build(content, out, *jobs)}
    times["no-op"] = run_build(content, out, *jobs)
    member = first_partner(content, "stage: member")
    replace_in(member, r"^summary: (\S)", r"summary: Edited. \1")
    times["edit member"] = run_build(content, out, *jobs)
    invited = first_partner(content, "stage: invited")
    replace_in(invited, r"^  rationale: (\S)", r"  rationale: Edited. \1")
    times["edit letter"] = run_build(content, out, *jobs)
    replace_in(member, r"^motivations: (\S)", r"motivations: Edited. \1")
    times["edit table"] = run_build(content, out, *jobs)
    letters = len(list((out / "documents" / "letters").glob("*.pdf")))
    times["letters"] = letters
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--jobs", type=int, help="passed to build --jobs (default: every core)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"machine: {platform.machine()}, {cores} cores, {platform.python_implementation()} "
          f"{platform.python_version()}")
    print(f"{'partners':>8} {'letters':>7} {'full':>8} {'no-op':>7} {'edit member':>12} {'edit letter':>12} "
          f"{'edit table':>11} {'letters/s':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for partners in args.partners:
            t = bench(partners, args.seed, jobs, Path(tmp))
            print(f"{partners:>8} {int(t['letters']):>7} {t['full']:>7.1f}s {t['no-op']:>6.2f}s "
                  f"{t['edit member']:>11.2f}s {t['edit letter']:>11.2f}s {t['edit table']:>10.2f}s "
                  f"{t['letters'] / t['full']:>9.1f}", flush=True)


if __name__ == "__main__":
    main()
