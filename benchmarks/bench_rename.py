"""Time a rebuild after a member is renamed, against the full build, in the same run.

    python benchmarks/bench_rename.py [--partners 1000] [--renames 3] [--jobs 2] [--verify] [--seed 1]
                                      [--baseline DIR]

Generates a coalition (benchmarks/generate.py), builds it in full with
`coalition-docs build` (a new process, start-up included, as a person runs
it), then renames member partners one after the other, each far across the
sorted tables (the first member by name becomes "Zzz ...", the last "Aaa
...", alternating), and times the rebuild after each rename the same way.
Prints each rebuild's time and what it rendered again, the median ratio
rebuild / full build, and the goal (at most 0.10). That full build is the
content folder's first, which parses every file; a second full build
(`--clean`) is timed at the end too, which finds the files parsed in the
tool's cache folder, and the ratio against it.

With --verify, the output after the last rename is compared, byte for byte
and file by file, with a `--clean` build of the same content.

With --baseline DIR (a checkout of another version, e.g. `git archive main |
tar -x -C DIR`), the same full build and renames are timed with that
version's code (run from DIR/src by this Python) on a copy of the coalition,
each of its builds just after this version's, so that both see the same
machine.
"""

from __future__ import annotations

import argparse
import filecmp
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate
from versions import baseline_source, coalition_docs, load_average

GOAL = 0.10


def run_build(content: Path, out: Path, jobs: int, *extra: str, source: Path | None = None
              ) -> tuple[float, float, str]:
    """Wall and CPU seconds of `coalition-docs build --verbose` (workers included), and its listing."""
    return coalition_docs("build", str(content), "--out", str(out), "--jobs", str(jobs), "--verbose", *extra,
                          source=source)


def members(content: Path) -> list[tuple[str, Path]]:
    found = []
    for path in sorted((content / "partners").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"(?m)^stage: member$", text):
            found.append((re.search(r"(?m)^name: (.*)$", text).group(1), path))
    return sorted(found)


def rename(path: Path, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^name: .*$", lambda _: f"name: {new}", text, count=1), encoding="utf-8")


def rendered(listing: str) -> list[str]:
    """The outputs a --verbose build says it rendered."""
    return [line.split()[-1] for line in listing.splitlines() if line.lstrip().lower().startswith("rendered")]


def compare(left: Path, right: Path) -> list[str]:
    """Files that differ or exist on one side only (hidden files of the engine included)."""
    def files(root: Path) -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}

    names_left, names_right = files(left), files(right)
    ignored = {".coalition-docs.json"}  # the manifest records what was reused, not an output
    differ = sorted((names_left ^ names_right) - ignored)
    for name in sorted(names_left & names_right):
        if Path(name).name not in ignored and "/.pieces/" not in "/" + name \
                and not filecmp.cmp(left / name, right / name, shallow=False):
            differ.append(name)
    return differ


class Side:
    """One version's coalition, output and figures."""

    def __init__(self, name: str, root: Path, source: Path | None):
        self.name, self.source = name, source
        self.content, self.out = root / "content", root / "build"
        self.full = self.full_cpu = 0.0
        self.ratios: list[float] = []
        self.cpu_ratios: list[float] = []

    def build(self, jobs: int, *extra: str, out: Path | None = None) -> tuple[float, float, str]:
        return run_build(self.content, out or self.out, jobs, *extra, source=self.source)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--renames", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--verify", action="store_true", help="compare with a --clean build at the end")
    parser.add_argument("--baseline", type=Path, help="a checkout of another version to time in the same run")
    args = parser.parse_args()
    baseline = baseline_source(args.baseline)
    print(load_average(), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        sides = [Side("this version", Path(tmp) / "this", None)]
        if baseline is not None:
            sides.append(Side(f"baseline {args.baseline}", Path(tmp) / "baseline", baseline))
        generate(sides[0].content, args.partners, seed=args.seed)
        for side in sides[1:]:
            shutil.copytree(sides[0].content, side.content)
        for side in sides:
            side.full, side.full_cpu, _ = side.build(args.jobs)
            print(f"{side.name}: full build, {args.partners} partners: {side.full:.2f} s ({side.full_cpu:.1f} s CPU)",
                  flush=True)
        for turn in range(args.renames):
            for side in sides:
                listed = members(side.content)
                name, path = listed[0] if turn % 2 == 0 else listed[-1]
                new = ("Zzz " if turn % 2 == 0 else "Aaa ") + name.split(" ", 1)[-1] + f" {turn}"
                rename(path, new)
                seconds, cpu, listing = side.build(args.jobs)
                side.ratios.append(seconds / side.full)
                side.cpu_ratios.append(cpu / side.full_cpu)
                again = rendered(listing)
                print(f"{side.name}: rename {name!r} -> {new!r}: {seconds:.2f} s ({cpu:.1f} s CPU), "
                      f"{seconds / side.full:.3f} of the full build; rendered {len(again)}: "
                      f"{', '.join(again[:8])}{' ...' if len(again) > 8 else ''}", flush=True)
        for side in sides:
            print(f"{side.name}: median ratio rename / full build: {statistics.median(side.ratios):.3f} "
                  f"(CPU {statistics.median(side.cpu_ratios):.3f}); goal at most {GOAL:.2f}")
        # The full build above was the folder's first: every content file parsed. A later full build
        # (--clean, into another folder) finds them parsed in the tool's cache folder: the rename against it.
        for side in sides:
            seconds, cpu, _ = side.build(args.jobs, "--clean", out=Path(tmp) / f"again-{side.name.split()[0]}")
            ratios = [r * side.full / seconds for r in side.ratios]
            print(f"{side.name}: a second full build (--clean): {seconds:.2f} s ({cpu:.1f} s CPU); "
                  f"median ratio rename / that build: {statistics.median(ratios):.3f}", flush=True)
        if args.verify:
            side = sides[0]
            clean = Path(tmp) / "clean"
            side.build(args.jobs, "--clean", out=clean)
            differ = compare(side.out, clean)
            print("byte-identical to a --clean build" if not differ else f"DIFFERENT from a --clean build: {differ}")
            if differ:
                raise SystemExit(1)
    print(load_average())


if __name__ == "__main__":
    main()
