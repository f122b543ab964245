"""Time `serve` from a saved edit to the page that shows it, against the full rebuild, in the same run.

    python benchmarks/bench_serve.py [--partners 1000] [--repeat 7] [--baseline REV]

1. Generates a coalition of N partners (benchmarks/generate.py).
2. Starts `coalition-docs serve` in a process of its own on a free port, twice,
   each on its own copy of the coalition:
   with this checkout, and with a copy of the code at --baseline (default
   86d81bd, whose serve builds as `build --only site` does after every change;
   made with `git archive`, run with PYTHONPATH). Each waits for its first build.
3. For each edit, alternating the two servers: renames a member in its partner
   file (a new name each time, written as an editor saves: to a temporary file
   renamed over it), and measures the time from that write until the member's
   page, fetched over HTTP when the live-reload stream says a build is ready,
   shows the new name. That is what a person sees: the browser reloads on
   that event. One edit is timed at a time; the name is put back, and the
   next edit waits until that build is done too.

Prints every time, the median and the range of each (and of the build alone,
as serve reports it: the rest is noticing the change and serving the page),
their ratio, the CPU
seconds each server used, and the machine's load average before and after
(the machine may be shared: figures taken under load are slower).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `coalition-docs serve` process, its port and its live-reload stream."""

    def __init__(self, label: str, pythonpath: Path, content: Path, scratch: Path):
        self.label, self.port, self.content = label, free_port(), content
        self.out = scratch / f"out-{label}"
        env = {**os.environ, "PYTHONPATH": str(pythonpath), "PYTHONDONTWRITEBYTECODE": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coalition_docs", "serve", str(content), "--port", str(self.port),
             "--out", str(self.out)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self.events: list[tuple[float, str]] = []
        self.event = threading.Condition()
        threading.Thread(target=self._read_output, daemon=True).start()
        self._wait_for(lambda: any(line.startswith("Serving ") for line in self.lines), 600, "to start")
        threading.Thread(target=self._listen, daemon=True).start()
        self._wait_for(lambda: self.events, 30, "for the live-reload stream")

    def _read_output(self) -> None:
        for line in self.process.stdout:
            with self.event:
                self.lines.append(line.rstrip("\n"))
                self.event.notify_all()

    def _listen(self) -> None:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__coalition_docs/events", timeout=3600) as stream:
            for raw in stream:
                line = raw.decode().strip()
                if line.startswith("data: "):
                    with self.event:
                        self.events.append((time.perf_counter(), line[6:]))
                        self.event.notify_all()

    def _wait_for(self, condition, timeout: float, what: str) -> None:
        with self.event:
            if not self.event.wait_for(condition, timeout):
                raise SystemExit(f"{self.label}: serve did not answer {what}:\n" + "\n".join(self.lines[-20:]))

    def page(self, path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=60) as response:
            return response.read().decode("utf-8")

    def build_seconds(self) -> float:
        """The seconds the last build took, as serve printed them ("... in 0.12 s.")."""
        with self.event:
            found = [m for line in self.lines if (m := re.search(r" in ([0-9.]+) s\.$", line))]
        return float(found[-1].group(1)) if found else float("nan")

    def time_edit(self, file: Path, old: str, new: str, page: str) -> float:
        """Seconds from writing `file` (with `new` for `old`) until `page` shows `new`."""
        text = file.read_text(encoding="utf-8").replace(f"name: {old}\n", f"name: {new}\n", 1)
        seen = len(self.events)
        temporary = file.with_name(f".{file.name}.saving")
        temporary.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        os.replace(temporary, file)
        deadline = started + 120
        while time.perf_counter() < deadline:
            self._wait_for(lambda: len(self.events) > seen, 120, "with a build after the edit")
            seen = len(self.events)
            if new in self.page(page):
                return time.perf_counter() - started
        raise SystemExit(f"{self.label}: {page} never showed {new!r}")

    def undo(self, file: Path, new: str, old: str) -> None:
        """Put the name back, and wait until serve has built it."""
        seen = len(self.events)
        file.write_text(file.read_text(encoding="utf-8").replace(f"name: {new}\n", f"name: {old}\n"),
                        encoding="utf-8")
        self._wait_for(lambda: len(self.events) > seen, 120, "with a build after the undoing")

    def cpu(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def baseline_code(revision: str, scratch: Path) -> Path:
    """The package at `revision`, as files: src/ (for PYTHONPATH) and templates/ beside it."""
    folder = scratch / "baseline"
    folder.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "src", "templates"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def member(content: Path, number: int) -> tuple[Path, str]:
    """The partner file of the `number`th member (by file name), and its name."""
    members = [p for p in sorted((content / "partners").glob("*.yaml"))
               if "\nstage: member\n" in p.read_text(encoding="utf-8")]
    path = members[number % len(members)]
    return path, re.search(r"^name: (.*)$", path.read_text(encoding="utf-8"), re.M).group(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7, help="edits timed on each server (at least 5)")
    parser.add_argument("--baseline", default="86d81bd", help="the revision whose serve rebuilds everything")
    parser.add_argument("--pause", type=float, default=0.5, help="seconds of rest after each build")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    servers: list[Server] = []
    try:
        content = scratch / "content-incremental"
        generate(content, args.partners, 1)
        shutil.copytree(content, scratch / "content-baseline")
        load_before = os.getloadavg()
        servers = [Server("incremental", REPO / "src", content, scratch),
                   Server("baseline", baseline_code(args.baseline, scratch), scratch / "content-baseline", scratch)]
        cpu_before = {s.label: s.cpu() for s in servers}
        times: dict[str, list[float]] = {s.label: [] for s in servers}
        builds: dict[str, list[float]] = {s.label: [] for s in servers}
        for round_ in range(max(5, args.repeat)):
            for server in servers if round_ % 2 == 0 else reversed(servers):
                path, name = member(server.content, round_)
                new = f"{name} R{round_}{server.label[0]}"
                seconds = server.time_edit(path, name, new, f"members/{path.stem}/")
                times[server.label].append(seconds)
                builds[server.label].append(server.build_seconds())
                time.sleep(args.pause)
                server.undo(path, new, name)  # and wait for its build: the next edit starts on an idle server
                time.sleep(args.pause)
                print(f"{server.label:12} edit {round_ + 1}: {seconds:.3f} s (its build: {builds[server.label][-1]:.2f} s)",
                      flush=True)
        cpu = {s.label: s.cpu() - cpu_before[s.label] for s in servers}
        load_after = os.getloadavg()
        print(f"\n{args.partners} partners, {os.cpu_count()} cores; load average before "
              f"{load_before[0]:.2f}, after {load_after[0]:.2f}")
        for label, seconds in times.items():
            print(f"{label:12} median {statistics.median(seconds):.3f} s (range {min(seconds):.3f}-"
                  f"{max(seconds):.3f}, {len(seconds)} edits), of which the build {statistics.median(builds[label]):.3f} s;"
                  f" CPU {cpu[label]:.1f} s for all edits and their undoing")
        ratio = statistics.median(times["incremental"]) / statistics.median(times["baseline"])
        print(f"incremental / baseline: {ratio:.2f}")
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
