"""The command line: check, build, new, schema (in the style of MkDocs and Hugo)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

from coalition_docs import __version__
from coalition_docs.errors import EXIT_CONTENT, EXIT_OK, CoalitionDocsError, ContentErrors, UsageError
from coalition_docs.files import WriteRefused, atomic_write, check_target, os_problem
from coalition_docs.templating import PACKAGE_DIR

EPILOG = """\
examples:
  coalition-docs new my-coalition            start a coalition folder from the example
  coalition-docs check content               validate content/, list every problem
  coalition-docs build content --out build   write build/site and build/documents
  coalition-docs build --only site           rebuild only the public website
  coalition-docs build --clean -j 4          render everything again, PDFs in 4 processes
  coalition-docs serve content               preview on http://127.0.0.1:8000/, live reload
  coalition-docs import partners.xlsx        add the rows of a spreadsheet as partners
  coalition-docs export -o partners.csv      the partner inventory as a spreadsheet
  coalition-docs report                      needs, types and roles nobody covers yet
  coalition-docs schema --out .schemas       JSON Schemas for your editor

Exit status: 0 success, 1 problems in the content (or a failed build), 2 usage error.
"""


# The kinds of file `schema` knows (schema.FILE_GLOBS; kept here so that
# --help and --version need not import pydantic). tests/test_cli.py checks.
SCHEMA_KINDS = ("coalition", "partner", "roster", "positionality")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own exit code is 2 as well
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, found {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, found {value}")
    return value


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date such as 2027-01-15, found {text!r}") from None


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, found {text!r}") from None
    if not 0 < value < 65536:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, found {value}")
    return value


def example_dir() -> Path:
    for candidate in (PACKAGE_DIR.parents[1] / "content", PACKAGE_DIR / "example"):
        if (candidate / "coalition.yaml").is_file():
            return candidate
    raise CoalitionDocsError("the example coalition is missing from this installation")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="coalition-docs",
        description="Build a Mobility Coalition's public website and printable documents "
        "from the YAML records in its content folder.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"coalition-docs {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", help="validate the content and report every problem",
                                description="Validate a content folder; print every problem as "
                                "path:line:column: message, then a count.")
    check.add_argument("content", nargs="?", type=Path,
                       help="the content folder, or the project folder holding content/ (default: content)")

    build = commands.add_parser("build", help="validate, then build the site and documents",
                                description="Validate the content, then write OUT/site (the public "
                                "website) and OUT/documents (internal PDFs).")
    build.add_argument("content", nargs="?", type=Path,
                       help="the content folder, or the project folder holding content/ (default: content)")
    build.add_argument("--out", "-o", type=Path,
                       help="the output folder (default: build, or PROJECT/build when given a project folder)")
    build.add_argument("--only", choices=("site", "documents"),
                       help="build one part; the other keeps its previous output")
    build.add_argument("--clean", action="store_true",
                       help="render everything again instead of only what changed")
    build.add_argument("--jobs", "-j", type=_positive_int, metavar="N",
                       help="processes that render PDFs (default: one per core)")
    noise = build.add_mutually_exclusive_group()
    noise.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    noise.add_argument("--verbose", "-v", action="store_true", help="list every file rendered, reused or removed")

    serve = commands.add_parser("serve", help="build the site, serve it and rebuild on every change",
                                description="Build the site into a temporary folder, serve it on "
                                "http://127.0.0.1:PORT/ and rebuild whenever a content or theme file "
                                "changes; open pages reload by themselves. A failed build shows its "
                                "errors in the browser until you fix them.")
    serve.add_argument("content", nargs="?", type=Path,
                       help="the content folder, or the project folder holding content/ (default: content)")
    serve.add_argument("--port", "-p", type=_port, default=8000, help="the port (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default: 127.0.0.1, this computer only)")
    serve.add_argument("--out", type=Path, help="build into this folder instead of a temporary one")
    serve.add_argument("--documents", action="store_true", help="render the PDFs too (slower)")

    imp = commands.add_parser("import", help="bring partners in from a CSV or Excel spreadsheet",
                              description="Read a spreadsheet whose columns are the worksheet's table "
                              "headings and write one partners/ID.yaml per row. Existing files are "
                              "never overwritten unless --force; every bad cell is reported as "
                              "FILE:ROW:COLUMN and then nothing is written.")
    imp.add_argument("file", type=Path, help="a .csv or .xlsx file")
    imp.add_argument("--content", type=Path,
                     help="the content folder, or the project folder holding content/ (default: content)")
    imp.add_argument("--force", action="store_true", help="update partner files that differ from the spreadsheet")
    imp.add_argument("--dry-run", "-n", action="store_true", help="show what would be written, write nothing")

    exp = commands.add_parser("export", help="write the partner inventory to CSV or Excel",
                              description="Write every partner under the worksheet's headings, with the "
                              "worksheet's labels, so that `import` reads it back unchanged.")
    exp.add_argument("--content", type=Path,
                     help="the content folder, or the project folder holding content/ (default: content)")
    exp.add_argument("--format", choices=("csv", "xlsx"), help="default: from the --output file's extension")
    exp.add_argument("--output", "-o", required=True, type=Path, help="the file to write")
    exp.add_argument("--force", action="store_true",
                     help="replace a file coalition-docs did not write, or write inside the content folder")

    report = commands.add_parser("report", help="who is missing: needs, types and roles nobody covers",
                                 description="Show, for each need in coalition.yaml, which partners meet it "
                                 "(members and not yet members), and every gap: needs no one meets, "
                                 "organization types with no partner, management roles nobody holds, "
                                 "working groups without a lead or a community member.")
    report.add_argument("content", nargs="?", type=Path,
                        help="the content folder, or the project folder holding content/ (default: content)")
    report.add_argument("--format", choices=("text", "json"), default="text", help="default: text")
    report.add_argument("--invitations", action="store_true",
                        help="follow up invitations: sent, response, days since sent, overdue")
    report.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                        help="the day to count from (default: today's date)")

    new = commands.add_parser("new", help="start a new coalition folder, blank or from the example",
                              description="Create DIR with content/ and templates/ (for overriding the default "
                              "theme). With --blank, a minimal coalition of your own: asks for its name, "
                              "community, convening organization and project manager (or takes them from "
                              "the options), and adds a GitHub Pages workflow. Without --blank, a copy of the "
                              "example coalition. DIR must be new or empty.")
    new.add_argument("dir", type=Path, help="the folder to create")
    new.add_argument("--blank", action="store_true", help="start a coalition of your own instead of the example")
    new.add_argument("--name", help="the coalition's name (with --blank)")
    new.add_argument("--community", help="the community it serves (with --blank)")
    new.add_argument("--convener", help="the convening organization's name (with --blank)")
    new.add_argument("--project-manager", dest="project_manager", help="the project manager's name (with --blank)")

    schema = commands.add_parser("schema", help="print JSON Schema for the content files",
                                 description="Print the JSON Schema of one kind of file, or of all of "
                                 "them keyed by file pattern; with --out, write one file per kind and "
                                 "print the editor settings that use them.")
    schema.add_argument("kind", nargs="?", choices=SCHEMA_KINDS, help="one kind of file")
    schema.add_argument("--out", type=Path, help="write KIND.schema.json files into this folder")
    schema.add_argument("--force", action="store_true",
                        help="replace schema files coalition-docs did not write, or write inside the content folder")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        if hasattr(args, "content") and args.command != "new":
            _locate_content(args)
        return COMMANDS[args.command](args)
    except ContentErrors as exc:
        print(exc.report(), file=sys.stderr)
        return exc.exit_code
    except CoalitionDocsError as exc:
        print(f"coalition-docs: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("coalition-docs: interrupted; the previous output is unchanged", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped early (`coalition-docs report | head`): not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except WriteRefused as exc:
        print(f"coalition-docs: error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    except OSError as exc:  # the machine, not the content: disk full, read-only, permission denied
        where = exc.filename or "a file"
        print(f"coalition-docs: error: {os_problem(exc, where, 'use')}", file=sys.stderr)
        return EXIT_CONTENT
    except MemoryError:
        print("coalition-docs: error: out of memory (close other programs, or build a smaller part "
              "with --only site or --only documents)", file=sys.stderr)
        return EXIT_CONTENT
    except Exception as exc:  # noqa: BLE001 - the last resort: one line, never a traceback
        if os.environ.get("COALITION_DOCS_DEBUG"):
            raise
        print(f"coalition-docs: internal error: {type(exc).__name__}: {exc} (this is a bug in "
              "coalition-docs, not in your content; run again with COALITION_DOCS_DEBUG=1 to see "
              "the details, and please report it)", file=sys.stderr)
        return EXIT_CONTENT


def _locate_content(args) -> None:
    """Accept the project folder as well as the content folder, and say which was used."""
    from coalition_docs.project import locate

    found = locate(args.content)
    args.content = found.content
    if found.project is not None:
        if args.command == "build" and getattr(args, "out", None) is None:
            args.out = found.project / "build"
        if not getattr(args, "quiet", False):
            print(f"Using the content folder {found.content}", file=sys.stderr)
    if args.command == "build" and args.out is None:
        args.out = Path("build")


def cmd_check(args) -> int:
    from coalition_docs.documents.stage import check_letters
    from coalition_docs.templating import Theme
    from coalition_docs.content.validate import load_coalition

    coalition = load_coalition(args.content)
    check_letters(coalition, Theme(args.content))
    for partner in coalition.partners:  # warnings: the content builds, but a person may want to know
        invitation = partner.invitation
        if partner.gets_letter and not (invitation and invitation.sent) and not coalition.invitation.date:
            where = partner.position("invitation.sent")
            print(f"{where}: warning: the letter to {partner.id} has no date (expected invitation.sent in "
                  "this file or invitation.date in coalition.yaml); it prints without a date line",
                  file=sys.stderr)
    print(
        f"{args.content}: no problems found ({len(coalition.partners)} partners, "
        f"{len(coalition.people)} people, {len(coalition.statements)} statements, "
        f"{len(coalition.pages)} pages)."
    )
    return EXIT_OK


def cmd_build(args) -> int:
    from coalition_docs.engine.build import build
    from coalition_docs.console import progress_for

    progress = progress_for(sys.stderr, args.quiet)
    try:
        result = build(args.content, args.out, only=args.only, clean=args.clean, jobs=args.jobs,
                       progress=progress)
    finally:
        progress.close()
    if args.verbose:
        for label, paths in (("rendered", result.rendered), ("reused", result.reused),
                             ("removed", result.removed)):
            for path in paths:
                print(f"  {label:8} {path}")
    if not args.quiet:
        print(result.summary())
    return EXIT_OK


def cmd_serve(args) -> int:
    from coalition_docs.serve import serve

    if args.out is not None:
        from coalition_docs.engine.staging import check_output_folder

        check_output_folder(args.out, args.content)
    return serve(args.content, host=args.host, port=args.port, out=args.out, documents=args.documents)


def cmd_import(args) -> int:
    from coalition_docs.inventory.spreadsheets.importer import import_spreadsheet

    if not args.content.is_dir():
        raise UsageError(f"{args.content}: no such folder (expected a content folder; "
                         "start one with `coalition-docs new DIR`)")
    import_spreadsheet(args.file, args.content, force=args.force, dry_run=args.dry_run)
    return EXIT_OK


def cmd_export(args) -> int:
    from coalition_docs.inventory.spreadsheets.export import export_spreadsheet
    from coalition_docs.content.validate import load_coalition

    fmt = args.format or args.output.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        raise UsageError(f"{args.output}: expected --format csv or xlsx, or an output file ending in "
                         f".csv or .xlsx (found {args.output.suffix or 'no extension'})")
    from coalition_docs.inventory.spreadsheets.export import written_by_us

    check_target(args.output, force=args.force, ours=written_by_us, what="spreadsheet")
    count = export_spreadsheet(load_coalition(args.content), args.output, fmt)
    print(f"Wrote {count} partner{'s' if count != 1 else ''} to {args.output}.")
    return EXIT_OK


def cmd_report(args) -> int:
    from coalition_docs.inventory.analysis import coverage
    from coalition_docs.inventory.report import render_json, render_text
    from coalition_docs.content.validate import load_coalition

    if args.today is not None and not args.invitations:
        # the coverage report does not depend on the day: a --today there is a mistake, not a no-op
        raise UsageError("--today counts days for --invitations (expected report --invitations --today DATE)")
    coalition = load_coalition(args.content)
    if args.invitations:
        import datetime as dt

        from coalition_docs.inventory import invitations

        today = args.today or dt.date.today()
        statuses = invitations.invitations(coalition, today)
        if args.format == "json":
            invitations.render_json(statuses, sys.stdout)
        else:
            invitations.render_text(statuses, coalition, today, sys.stdout)
        return EXIT_OK
    result = coverage(coalition)
    if args.format == "json":
        render_json(result, sys.stdout)
    else:
        render_text(result, coalition.name, sys.stdout)
    return EXIT_OK


def cmd_new(args) -> int:
    target: Path = args.dir
    from coalition_docs.files import inside_content_folder

    holder = inside_content_folder(target / "x")
    if holder is not None:
        raise UsageError(f"refusing to create {target} inside the content folder {holder} "
                         "(expected a folder outside any coalition's content)")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"refusing to write into {target}: it is not empty (expected a new or empty folder)")
    if args.blank:
        from coalition_docs.starter import answers, write_blank

        values = answers({"name": args.name, "community": args.community, "convener": args.convener,
                          "project_manager": args.project_manager})
        target.mkdir(parents=True, exist_ok=True)
        write_blank(target, values)
        print(f"Created {target}: a blank coalition with {values['convener']} as its convener.\n"
              f"Next: add partners to {target / 'content' / 'partners'}, then run\n"
              f"  coalition-docs check {target}\n"
              f"  coalition-docs serve {target}\n"
              f"  coalition-docs build {target}")
        return EXIT_OK
    source = example_dir()
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, target / "content", ignore=shutil.ignore_patterns(".*", "__pycache__"))
    (target / "templates").mkdir()
    (target / "templates" / "README.md").write_text(
        "# Theme overrides\n\nPut a file here with the same path as one in coalition-docs' default\n"
        "theme (for example `site/assets/style.css` or `documents/letter.html`) and it is used\n"
        "instead of the default. Everything you do not override comes from the default theme.\n",
        encoding="utf-8",
    )
    (target / ".gitignore").write_text("build/\n", encoding="utf-8")
    print(f"Created {target} from the example coalition.\n"
          f"Next: edit {target / 'content'}, then run\n"
          f"  coalition-docs check {target}\n"
          f"  coalition-docs build {target}\n"
          f"To start with a blank coalition of your own instead: coalition-docs new DIR --blank")
    return EXIT_OK


def cmd_schema(args) -> int:
    from coalition_docs.content.schema import FILE_GLOBS, json_schema, json_schema_text

    if args.out:
        if args.out.exists() and not args.out.is_dir():
            raise UsageError(f"{args.out} is a file (expected a folder for the schema files)")
        paths = {kind: args.out / f"{kind}.schema.json" for kind in FILE_GLOBS}
        for path in paths.values():
            check_target(path, force=args.force, ours=_schema_written_by_us, what="JSON Schema")
        args.out.mkdir(parents=True, exist_ok=True)
        settings = {}
        for kind, pattern in FILE_GLOBS.items():
            path = paths[kind]
            atomic_write(path, json_schema_text(kind, signed=True))
            settings[str(path)] = [f"content/{pattern}"]
        print("Wrote the schemas. For VS Code's YAML extension, add to .vscode/settings.json:")
        print(json.dumps({"yaml.schemas": settings}, indent=2))
        return EXIT_OK
    if args.kind:
        sys.stdout.write(json_schema_text(args.kind))
        return EXIT_OK
    combined = {pattern: json_schema(kind) for kind, pattern in FILE_GLOBS.items()}
    sys.stdout.write(json.dumps(combined, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def _schema_written_by_us(path: Path) -> bool:
    from coalition_docs.files import SIGNATURE

    head = path.open("rb").read(4096).decode("utf-8", "replace")
    return f"Written by {SIGNATURE}" in head


COMMANDS = {"check": cmd_check, "build": cmd_build, "serve": cmd_serve, "import": cmd_import,
            "export": cmd_export, "report": cmd_report, "new": cmd_new, "schema": cmd_schema}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
