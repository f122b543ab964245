"""Time loading and validating a generated coalition (the budget: 2 seconds for 1,000 partners).

    python benchmarks/bench_load.py [--partners 1000] [--repeat 5]

Generates a coalition with benchmarks/generate.py into a temporary folder,
then times `load_coalition` (load + validate + model) several times and prints
the best and median wall-clock seconds.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from coalition_docs.content.validate import load_coalition  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        generate(content, args.partners, seed=1)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            coalition = load_coalition(content)
            times.append(time.perf_counter() - started)
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    print(f"load + validate {len(coalition.partners)} partners, {len(coalition.people)} people: "
          f"best {min(times):.3f} s, median {statistics.median(times):.3f} s over {args.repeat} runs")


if __name__ == "__main__":
    main()
