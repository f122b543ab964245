"""Time whole builds of generated coalitions: full, no-op and one-partner edits.

    python benchmarks/bench_build.py [--partners 100 1000] [--big] [--jobs 1 2] [--seed 1]

For each size (5,000 partners only with --big: a full build takes minutes)
and each --jobs value, generates a coalition (benchmarks/generate.py), then
runs a build in a new process each time, as the command does (Python start-up
included), and reports wall-clock seconds for:

- full:        a build into an empty folder (site and documents);
- no-op:       the same build again, nothing changed;
- edit member: one member partner's summary changed (its page and the pages
               that list members are rendered again);
- edit letter: one invited partner's reason for the invitation changed (its
               letter and letters.pdf are rendered again);
- edit table:  one partner's motivations changed (worksheet table 3, and its
               letter if it gets one).

Then the CPU seconds of each stage of the full build (check: load, validate
and fill every document; site; documents), workers included, and the machine's
load average before and after (the machine may be shared). The plain
WeasyPrint loop and Hugo yardsticks are in bench_letters.py and bench_site.py.
"""

from __future__ import annotations

import argparse
import json
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


BUILD = """
import json, sys, time
from pathlib import Path
from coalition_docs.phases import build
result = build(Path(sys.argv[1]), Path(sys.argv[2]), jobs=int(sys.argv[3]))
print(json.dumps({"cpu": getattr(result, "cpu", {}), "unchanged": result.unchanged}), flush=True)  # older: no cpu
import os; os._exit(0)  # the command's own end (cli.run): no walk over every object on the way out
"""


def run_build(content: Path, out: Path, jobs: int) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", BUILD, str(content), str(out), str(jobs)], check=True,
                          capture_output=True, text=True)
    return time.perf_counter() - started, json.loads(done.stdout.strip().splitlines()[-1])


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


def bench(partners: int, seed: int, jobs: int, root: Path) -> dict:
    content = root / f"c{partners}-j{jobs}" / "content"
    generate(content, partners, seed=seed)
    out = root / f"c{partners}-j{jobs}" / "build"
    times, info = {}, {}
    times["full"], info["full"] = run_build(content, out, jobs)
    times["no-op"], info["no-op"] = run_build(content, out, jobs)
    member = first_partner(content, "stage: member")
    replace_in(member, r"^summary: (\S)", r"summary: Edited. \1")
    times["edit member"], _ = run_build(content, out, jobs)
    invited = first_partner(content, "stage: invited")
    replace_in(invited, r"^  rationale: (\S)", r"  rationale: Edited. \1")
    times["edit letter"], _ = run_build(content, out, jobs)
    replace_in(member, r"^motivations: (\S)", r"motivations: Edited. \1")
    times["edit table"], _ = run_build(content, out, jobs)
    letters = len(list((out / "documents" / "letters").glob("*.pdf")))
    return {"times": times, "cpu": info["full"]["cpu"], "letters": letters}


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--big", action="store_true", help="5,000 partners too")
    parser.add_argument("--jobs", type=int, nargs="+", default=[2], help="build --jobs values to compare")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sizes = args.partners + ([5000] if args.big and 5000 not in args.partners else [])
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"machine: {platform.machine()}, {cores} cores, {platform.python_implementation()} "
          f"{platform.python_version()}; {load()}")
    print(f"{'partners':>8} {'jobs':>4} {'letters':>7} {'full':>8} {'no-op':>7} {'edit member':>12} "
          f"{'edit letter':>12} {'edit table':>11}   CPU of the full build by stage")
    with tempfile.TemporaryDirectory() as tmp:
        for partners in sizes:
            for jobs in args.jobs:
                r = bench(partners, args.seed, jobs, Path(tmp))
                t = r["times"]
                cpu = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in r["cpu"].items())
                print(f"{partners:>8} {jobs:>4} {r['letters']:>7} {t['full']:>7.2f}s {t['no-op']:>6.2f}s "
                      f"{t['edit member']:>11.2f}s {t['edit letter']:>11.2f}s {t['edit table']:>10.2f}s   {cpu}",
                      flush=True)
    print(load())


if __name__ == "__main__":
    main()
