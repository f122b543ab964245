"""The command line: check, build, new, schema (in the style of MkDocs and Hugo)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from coalition_docs.errors import EXIT_CONTENT, EXIT_OK, CoalitionDocsError, ContentErrors, UsageError
from coalition_docs.files import WriteRefused, atomic_write, check_target, os_problem
from coalition_docs.arguments import make_parser
from coalition_docs.templating import PACKAGE_DIR

def example_dir() -> Path:
    for candidate in (PACKAGE_DIR.parents[1] / "content", PACKAGE_DIR / "example"):
        if (candidate / "coalition.yaml").is_file():
            return candidate
    raise CoalitionDocsError("the example coalition is missing from this installation")


def run() -> None:
    """The `coalition-docs` command (and `python -m coalition_docs`): main(), then a quick exit
    (engine/policy.py: the objects a build holds are not freed one by one)."""
    from coalition_docs.engine.policy import exit_now

    exit_now(main())


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        if hasattr(args, "content") and args.command != "new":
            _locate_content(args)
        from coalition_docs.engine.policy import batch_work

        with batch_work():  # every command is batch work on the whole content (engine/policy.py)
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
    from coalition_docs.phases import STAGES, content_warnings, plan_stages
    from coalition_docs.content.validate import load_coalition
    from coalition_docs.engine.manifest import OutputRecords
    from coalition_docs.i18n import check_languages
    from coalition_docs.templating import Theme

    coalition = load_coalition(args.content)
    theme = Theme(args.content)
    try:
        check_languages(coalition, theme)
        plan_stages(STAGES, coalition, theme, OutputRecords())  # all that build refuses, nothing rendered
    except ContentErrors as exc:  # a stage refuses (a letter lacks a value): say so, then how far each language is
        print(exc.report(), file=sys.stderr)
        _print_languages(coalition, sys.stderr)
        return exc.exit_code
    for partner in coalition.partners:  # warnings: the content builds, but a person may want to know
        invitation = partner.invitation
        if partner.gets_letter and not (invitation and invitation.sent) and not coalition.invitation.date:
            where = partner.position("invitation.sent")
            print(f"{where}: warning: the letter to {partner.id} has no date (expected invitation.sent in "
                  "this file or invitation.date in coalition.yaml); it prints without a date line",
                  file=sys.stderr)
    for warning in content_warnings(coalition):
        print(warning, file=sys.stderr)
    counted = [(coalition.partners, "partner"), (coalition.people, "person"), (coalition.statements, "statement"),
               (coalition.pages, "page")] + ([(coalition.meeting_list, "meeting")] if coalition.meeting_list else [])
    counts = ", ".join(_count(len(items), word) for items, word in counted)
    print(f"{args.content}: no problems found ({counts}).")
    _print_languages(coalition, sys.stdout)
    return EXIT_OK


def _count(number: int, word: str) -> str:
    plural = {"person": "people"}.get(word, word + "s")
    return f"{number} {word if number == 1 else plural}"


def _print_languages(coalition, stream) -> None:
    """How much of each translation is written, for the coalition's translators."""
    from coalition_docs.content.languages import completeness

    for report in completeness(coalition):
        print(report.line(), file=stream)


def cmd_build(args) -> int:
    from coalition_docs.phases import build
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
        for warning in result.warnings:
            print(warning, file=sys.stderr)
        print(result.summary())
    return EXIT_OK


def cmd_serve(args) -> int:
    from coalition_docs.serve import serve

    if args.out is not None:
        from coalition_docs.engine.staging import check_output_folder

        check_output_folder(args.out, args.content)
    if args.documents:  # the PDFs need WeasyPrint's libraries: say so now, not in every rebuild
        from coalition_docs.documents.pdf import load_weasyprint

        load_weasyprint()
    return serve(args.content, host=args.host, port=args.port, out=args.out, documents=args.documents,
                 allow_hosts=tuple(args.allow_hosts))


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

    if args.invitations and args.launch:
        raise UsageError("one report at a time (expected report --invitations or report --launch, found both)")
    if args.today is not None and not (args.invitations or args.launch):
        # the coverage report does not depend on the day: a --today there is a mistake, not a no-op
        raise UsageError("--today counts days for --invitations or --launch (expected report --invitations "
                         "--today DATE or report --launch --today DATE)")
    coalition = load_coalition(args.content)
    if args.launch:
        import datetime as dt

        from coalition_docs.inventory import launch

        today = args.today or dt.date.today()
        activities = launch.launch(coalition, today)
        if args.format == "json":
            launch.render_json(activities, today, sys.stdout)
        else:
            launch.render_text(activities, coalition, today, sys.stdout)
        return EXIT_OK
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
    from coalition_docs.content.languages import completeness

    result, languages = coverage(coalition), completeness(coalition)
    if args.format == "json":
        render_json(result, sys.stdout, languages)
    else:
        render_text(result, coalition.name, sys.stdout, languages=languages)
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
    from coalition_docs.starter import THEME_README

    (target / "templates").mkdir()
    (target / "templates" / "README.md").write_text(THEME_README, encoding="utf-8")
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


def cmd_docs(args) -> int:
    from coalition_docs.manual import show

    show(args.topic)
    return EXIT_OK


COMMANDS = {"check": cmd_check, "build": cmd_build, "serve": cmd_serve, "import": cmd_import,
            "export": cmd_export, "report": cmd_report, "new": cmd_new, "schema": cmd_schema,
            "docs": cmd_docs}


if __name__ == "__main__":  # pragma: no cover
    run()
