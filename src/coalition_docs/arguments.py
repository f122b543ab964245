"""The command line's arguments: every command, its options and their help (cli.py runs them)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coalition_docs import __version__

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
  coalition-docs docs content-format         the reference of every file and field

Exit status: 0 success, 1 problems in the content (or a failed build), 2 usage error.
"""


# The kinds of file `schema` knows (schema.FILE_GLOBS; kept here so that
# --help and --version need not import pydantic). tests/test_cli.py checks.
SCHEMA_KINDS = ("coalition", "partner", "roster", "positionality", "meeting")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own exit code is 2 as well
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _whole_number(text: str, expected: str, low: int, high: int | None = None) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {expected}, found {text!r}") from None
    if value < low or (high is not None and value > high):
        raise argparse.ArgumentTypeError(f"expected {expected}, found {value}")
    return value


def _positive_int(text: str) -> int:
    return _whole_number(text, "a whole number of at least 1", 1)


def _port(text: str) -> int:
    return _whole_number(text, "a port number from 1 to 65535", 1, 65535)


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date such as 2027-01-15, found {text!r}") from None


CONTENT_HELP = "the content folder, or the project folder holding content/ (default: content)"


def _command(commands, name: str, help: str, description: str, content: str | None = "content"):
    """A command's parser; `content` is how it takes the content folder ("content", "--content" or None)."""
    command = commands.add_parser(name, help=help, description=description)
    if content == "content":
        command.add_argument("content", nargs="?", type=Path, help=CONTENT_HELP)
    elif content == "--content":
        command.add_argument("--content", type=Path, help=CONTENT_HELP)
    return command


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

    _command(commands, "check", "validate the content and report every problem",
             "Validate a content folder; print every problem as "
             "path:line:column: message, then a count.")

    build = _command(commands, "build", "validate, then build the site and documents",
                     "Validate the content, then write OUT/site (the public "
                     "website) and OUT/documents (internal PDFs).")
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

    serve = _command(commands, "serve", "build the site, serve it and rebuild on every change",
                     "Build the site into a temporary folder, serve it on "
                     "http://127.0.0.1:PORT/ and rebuild whenever a content or theme file "
                     "changes; open pages reload by themselves. A failed build shows its "
                     "errors in the browser until you fix them.")
    serve.add_argument("--port", "-p", type=_port, default=8000, help="the port (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default: 127.0.0.1, this computer only)")
    serve.add_argument("--allow-host", action="append", default=[], metavar="NAME", dest="allow_hosts",
                       help="also answer requests for this host name (repeatable); localhost, names "
                       "under .localhost and IP addresses are always answered, any other name refused")
    serve.add_argument("--out", type=Path, help="build into this folder instead of a temporary one")
    serve.add_argument("--documents", action="store_true", help="render the PDFs too (slower)")

    imp = _command(commands, "import", "bring partners in from a CSV or Excel spreadsheet",
                   "Read a spreadsheet whose columns are the worksheet's table "
                   "headings and write one partners/ID.yaml per row. Existing files are "
                   "never overwritten unless --force; every bad cell is reported as "
                   "FILE:ROW:COLUMN and then nothing is written.", content="--content")
    imp.add_argument("file", type=Path, help="a .csv or .xlsx file (or .tsv, or .txt as Excel saves Unicode Text)")
    imp.add_argument("--force", action="store_true", help="update partner files that differ from the spreadsheet")
    imp.add_argument("--dry-run", "-n", action="store_true", help="show what would be written, write nothing")

    exp = _command(commands, "export", "write the partner inventory to CSV or Excel",
                   "Write every partner under the worksheet's headings, with the "
                   "worksheet's labels, so that `import` reads it back unchanged.", content="--content")
    exp.add_argument("--format", choices=("csv", "xlsx"), help="default: from the --output file's extension")
    exp.add_argument("--output", "-o", required=True, type=Path, help="the file to write")
    exp.add_argument("--force", action="store_true",
                     help="replace a file coalition-docs did not write, or write inside the content folder")

    report = _command(commands, "report", "who is missing: needs, types and roles nobody covers",
                      "Show, for each need in coalition.yaml, which partners meet it "
                      "(members and not yet members), and every gap: needs no one meets, "
                      "organization types with no partner, management roles nobody holds, "
                      "working groups without a lead or a community member.")
    report.add_argument("--format", choices=("text", "json"), default="text", help="default: text")
    report.add_argument("--invitations", action="store_true",
                        help="follow up invitations: sent, response, days since sent, overdue")
    report.add_argument("--launch", action="store_true",
                        help="the five launch activities: the meetings that cover each, which were held, the gaps")
    report.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                        help="the day to count from (default: today's date)")

    new = _command(commands, "new", "start a new coalition folder, blank or from the example",
                   "Create DIR with content/ and templates/ (for overriding the default "
                   "theme). With --blank, a minimal coalition of your own: asks for its name, "
                   "community, convening organization and project manager (or takes them from "
                   "the options), and adds a GitHub Pages workflow. Without --blank, a copy of the "
                   "example coalition. DIR must be new or empty.", content=None)
    new.add_argument("dir", type=Path, help="the folder to create")
    new.add_argument("--blank", action="store_true", help="start a coalition of your own instead of the example")
    new.add_argument("--name", help="the coalition's name (with --blank)")
    new.add_argument("--community", help="the community it serves (with --blank)")
    new.add_argument("--convener", help="the convening organization's name (with --blank)")
    new.add_argument("--project-manager", dest="project_manager", help="the project manager's name (with --blank)")

    schema = _command(commands, "schema", "print JSON Schema for the content files",
                      "Print the JSON Schema of one kind of file, or of all of "
                      "them keyed by file pattern; with --out, write one file per kind and "
                      "print the editor settings that use them.", content=None)
    schema.add_argument("kind", nargs="?", choices=SCHEMA_KINDS, help="one kind of file")
    schema.add_argument("--out", type=Path, help="write KIND.schema.json files into this folder")
    schema.add_argument("--force", action="store_true",
                        help="replace schema files coalition-docs did not write, or write inside the content folder")

    docs = _command(commands, "docs", "print the documentation that came with coalition-docs",
                    "Without a topic, list the topics of the documentation installed with "
                    "coalition-docs; with one, print that page as Markdown.", content=None)
    docs.add_argument("topic", nargs="?", help="a topic, such as content-format or install")
    return parser
