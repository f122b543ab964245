"""Time the invitation letters of a generated coalition against a plain WeasyPrint loop.

    python benchmarks/bench_letters.py [--partners 1000] [--seed 1]

Generates a coalition with benchmarks/generate.py (about one partner in five is
at an invitation stage), then times three ways of making its letters:

- ours: coalition_docs.documents.stage on the letters' part of the plan, as `build`
  runs it: the Jinja templates, one WeasyPrint setup per process (one
  FontConfiguration, the stylesheets parsed once), every letters/ID.pdf in
  `--jobs` processes (default: every core; `--jobs 1` for one process), and
  letters.pdf joined from the letters' files (pdfjoin.py);
- batched (one process): every letter in one HTML document, laid out once,
  written once as letters.pdf and once per letter from its own pages
  (Document.copy). The alternative worth comparing; its footers would
  also count the pages of the whole batch, not of each letter;
- plain: for the same letter HTML (rendered before the clock starts, with the
  same fonts and print stylesheet inlined), a loop that calls
  `weasyprint.HTML(string=...).write_pdf()` once per letter with the same PDF
  options. It writes no letters.pdf.

Prints both wall-clock figures and the ratio.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate

from coalition_docs.documents import fill, fonts, pdf, plan as plans, stage
from coalition_docs.engine.manifest import OutputRecords
from coalition_docs.engine.outputs import make
from coalition_docs.templating import Theme
from coalition_docs.content.validate import load_coalition


def letters_plan(coalition) -> plans.DocumentPlan:
    plan = stage.plan_documents(coalition)
    letters = tuple(d for d in plan.documents if d.template == plans.LETTER_TEMPLATE)
    return plans.DocumentPlan(letters, plan.bundles)


def ours(coalition, theme: Theme, out: Path, jobs: int | None = None) -> tuple[float, int]:
    started = time.perf_counter()
    planned = [o for o in stage.plan_outputs(coalition, theme) if o.path.startswith("documents/letters")]
    written = make(planned, OutputRecords(), out, jobs=jobs)
    return time.perf_counter() - started, len(written)


def batched(coalition, theme: Theme, out: Path) -> tuple[float, int]:
    import re

    plan = letters_plan(coalition)
    html = fill.check_documents(fill.document_environment(theme), plan)
    paths = [d.path for d in plan.documents]
    head = html[paths[0]].split("<body", 1)[0]
    body_class = re.search(r"<body([^>]*)>", html[paths[0]]).group(1)
    bodies = [re.search(r"<body[^>]*>(.*)</body>", html[p], re.S).group(1) for p in paths]
    batch = (head + f"<body{body_class}>" + "".join(
        f'<div id="batched-{i}" style="break-before: page">{b}</div>' for i, b in enumerate(bodies))
        + "</body></html>")
    started = time.perf_counter()
    writer = pdf.PdfWriter(theme, coalition.content_dir)
    document = writer.render(batch, "batch")
    starts = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("batched-"):
                starts.setdefault(int(anchor.removeprefix("batched-")), number)
    (out / "letters").mkdir(parents=True, exist_ok=True)
    bounds = [starts[i] for i in range(len(paths))] + [len(document.pages)]
    for i, path in enumerate(paths):
        part = document.copy(document.pages[bounds[i]:bounds[i + 1]])
        writer.write(part, out / path, pdf.pdf_identifier(coalition.name, path), path)
    writer.write(document, out / "letters.pdf", pdf.pdf_identifier(coalition.name, "letters.pdf"), "all")
    return time.perf_counter() - started, len(paths) + 1


def plain(coalition, theme: Theme, out: Path) -> tuple[float, int]:
    import weasyprint

    plan = letters_plan(coalition)
    env = fill.document_environment(theme)
    html = fill.check_documents(env, plan)
    style = fonts.font_faces_css(theme) + theme.find(pdf.STYLESHEET).read_text(encoding="utf-8")
    pages = {path: text.replace("</head>", f"<style>{style}</style></head>", 1) for path, text in html.items()}
    base_url = theme.find(pdf.STYLESHEET).parent.resolve().as_uri() + "/"
    (out / "letters").mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for path, text in pages.items():
        weasyprint.HTML(string=text, base_url=base_url).write_pdf(
            out / path, pdf_identifier=pdf.pdf_identifier(coalition.name, path), **pdf.PDF_OPTIONS)
    return time.perf_counter() - started, len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, help="processes for ours (default: every core)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        generate(content, args.partners, seed=args.seed)
        coalition = load_coalition(content)
        theme = Theme(content)
        letters = len(coalition.letter_partners)
        plain_s, plain_n = plain(coalition, theme, Path(tmp) / "plain")
        ours_s, ours_n = ours(coalition, theme, Path(tmp) / "ours", args.jobs)
        batch_s, batch_n = batched(coalition, theme, Path(tmp) / "batched")
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    print(f"{len(coalition.partners)} partners, {letters} letters")
    print(f"plain WeasyPrint loop: {plain_s:.2f} s ({plain_n} PDFs, {plain_s / max(plain_n, 1) * 1000:.0f} ms a letter)")
    print(f"coalition-docs:        {ours_s:.2f} s ({ours_n} PDFs including letters.pdf, "
          f"{ours_s / max(letters, 1) * 1000:.0f} ms a letter)")
    print(f"batched, one process:  {batch_s:.2f} s ({batch_n} PDFs including letters.pdf)")
    print(f"ratio plain / ours: {plain_s / ours_s:.2f}x")


if __name__ == "__main__":
    main()
