"""Sizes of the joined PDFs, against a baseline checkout built from the same content in the same run.

    python benchmarks/bench_sizes.py [--partners 1000] [--baseline main] [--seed 1] [--compare]

Generates a coalition (benchmarks/generate.py), gives three partners names in
Hangul, Devanagari and Vietnamese (faces from the system's Noto packages),
then builds the documents with the baseline (a `git archive` of --baseline,
run from a temporary folder) and with this checkout, and reports for each:
the worksheet's size per page, and letters.pdf's size over the sum of the
letters it joins. With --compare, also every page's text (pypdf), the text
as a whole (when one is cut into more pages) and the tag tree (`pdfinfo
-struct-text`) of both joined files.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tarfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generated

REPO = Path(__file__).resolve().parent.parent
NAMES = ("한빛 가족 재단", "आशफ़ोर्ड आवास प्राधिकरण", "Mạng lưới Quyền Người khuyết tật")


def rename_some(content: Path) -> None:
    """Three partners that get letters, renamed in other scripts."""
    invited = [p for p in sorted((content / "partners").glob("*.yaml")) if "\nstage: invited" in p.read_text()]
    for path, name in zip(invited, NAMES):
        lines = path.read_text(encoding="utf-8").split("\n")
        lines[0] = f"name: {name}"
        path.write_text("\n".join(lines), encoding="utf-8")


def checkout(ref: str, into: Path) -> Path:
    data = subprocess.run(["git", "-C", str(REPO), "archive", ref], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(into, filter="data")
    return into / "src"


def build(src: Path | None, content: Path, out: Path) -> float:
    env_path = [] if src is None else [f"PYTHONPATH={src}"]
    started = time.perf_counter()
    subprocess.run(["env", *env_path, sys.executable, "-m", "coalition_docs", "build", str(content), "--out",
                    str(out), "--only", "documents", "--clean", "-q"], check=True)
    return time.perf_counter() - started


def sizes(out: Path) -> dict:
    from pypdf import PdfReader

    documents = out / "documents"
    worksheet = documents / "worksheet.pdf"
    pages = len(PdfReader(worksheet).pages)
    letters = sum(p.stat().st_size for p in (documents / "letters").glob("*.pdf"))
    return {"worksheet bytes": worksheet.stat().st_size, "worksheet pages": pages,
            "KB a page": round(worksheet.stat().st_size / pages / 1024, 2),
            "letters.pdf": (documents / "letters.pdf").stat().st_size, "letters": letters,
            "letters.pdf / letters": round((documents / "letters.pdf").stat().st_size / letters, 3)}


def same_text_and_tags(one: Path, two: Path) -> dict:
    """Whether two PDFs say the same: page for page, and as a whole when one is cut into more pages
    (its text in reading order, each page's running footer left out), and their tag trees' text."""
    import re

    from pypdf import PdfReader

    def texts(path: Path) -> list[str]:
        return [page.extract_text() for page in PdfReader(path).pages]

    def whole(pages: list[str]) -> list[str]:
        footer = re.compile(r"(page|página|trang) \d+ (of|de|/|trên) \d+", re.IGNORECASE)
        return [line for page in pages for line in page.splitlines() if line.strip() and not footer.search(line)]

    def tags(path: Path) -> list[str]:
        listing = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True).stdout
        return [line.strip() for line in listing.splitlines() if line.strip()]

    a, b = texts(one), texts(two)
    return {"pages": (len(a), len(b)), "same text page for page": a == b,
            "same text as a whole": whole(a) == whole(b), "same tags": tags(one) == tags(two)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--baseline", default="main")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args()
    with generated(args.partners, seed=args.seed) as content:
        root = content.parent
        rename_some(content)
        baseline = checkout(args.baseline, root / "baseline")
        results = {}
        for name, src in ((args.baseline, baseline), ("this checkout", None)):
            seconds = build(src, content, root / name.replace(" ", "-"))
            results[name] = {**sizes(root / name.replace(" ", "-")), "seconds": round(seconds, 1)}
            print(name, results[name], flush=True)
        if args.compare:
            for document in ("worksheet.pdf", "letters.pdf"):
                same = same_text_and_tags(root / args.baseline / "documents" / document,
                                          root / "this-checkout" / "documents" / document)
                print(f"{document}: {same}")


if __name__ == "__main__":
    main()
