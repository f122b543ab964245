"""Import: the partners a spreadsheet gives, merged into content/partners as YAML files.

An existing file is never overwritten unless asked (`--force`), and then only
the fields the spreadsheet has are replaced, in place (content/edit.py): its
comments, order, quoting, blank lines and other fields stay as they were.
Nothing is written if any cell has a problem.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coalition_docs.content.edit import dump, edit_yaml
from coalition_docs.content.load import Document, LoadError, load_yaml_file, parse_yaml
from coalition_docs.errors import ContentErrors, Problem, UsageError
from coalition_docs.files import atomic_write
from coalition_docs.content.languages import languages_written
from coalition_docs.inventory.spreadsheets.columns import COLUMNS, CONTACT_ORDER, FIELD_ORDER, TRANSLATABLE
from coalition_docs.inventory.spreadsheets.rows import ImportedPartner, ImportResult, rows_to_partners
from coalition_docs.inventory.spreadsheets.tables import read_sheets

def ordered(data: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: data[k] for k in FIELD_ORDER if k in data}
    out.update({k: v for k, v in data.items() if k not in out})
    if isinstance(out.get("contact"), Mapping):
        contact = out["contact"]
        out["contact"] = {k: contact[k] for k in CONTACT_ORDER if k in contact} | {
            k: v for k, v in contact.items() if k not in CONTACT_ORDER}
    return out


def partner_yaml(data: Mapping[str, Any], source: str) -> str:
    """The partner file: block style, the content format's order of keys, UTF-8 as it is."""
    body = dump(ordered(data))
    return (f"# A partner organization: see \"coalition-docs docs content-format\" (section \"partners/ID.yaml\").\n"
            f"# Imported from {_place(source)}; edit freely.\n{body}")


def _place(where: str) -> str:
    """"rows.csv:3" -> "rows.csv, row 3"."""
    name, _, row = where.rpartition(":")
    return f"{name}, row {row}" if name and row.isdigit() else where


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text)


ORDERS = {(): FIELD_ORDER, ("contact",): CONTACT_ORDER}  # where a field the file did not have goes


@dataclass
class Plan:
    new: list[ImportedPartner] = field(default_factory=list)
    changed: list[tuple[ImportedPartner, dict, list[str]]] = field(default_factory=list)  # merged data, fields
    unchanged: list[ImportedPartner] = field(default_factory=list)
    files: dict[str, tuple[str, dict]] = field(default_factory=dict)  # a changed file's text and data, by id

    def updated(self, partner_id: str, merged: Mapping[str, Any]) -> str:
        """A changed file's text with the merged values in place, and nothing else touched."""
        text, existing = self.files[partner_id]
        edited = edit_yaml(text, existing, _final_newlines(existing, merged), ORDERS)
        name = f"partners/{partner_id}.yaml"
        try:
            again = parse_yaml(edited.removeprefix("\ufeff"), name).data
        except LoadError:
            again = None
        if not _same(again, dict(merged)):  # never write what would read back otherwise
            raise ContentErrors([Problem(name, 1, 1, "cannot update this file in place (expected its layout to "
                                         "allow it; a bug in coalition-docs, please report it with the file); "
                                         "update it by hand")])
        return edited


def _final_newlines(existing: Any, merged: Any) -> Any:
    """`merged` with a multi-line text ending in a line break where the file's did (a block scalar keeps
    its `|`, not `|-`): the sheet's cell has no final line break, and the two read the same (`_same`)."""
    if isinstance(existing, Mapping) and isinstance(merged, Mapping):
        return {key: _final_newlines(existing.get(key), value) for key, value in merged.items()}
    if isinstance(existing, str) and isinstance(merged, str) and existing.endswith("\n") \
            and "\n" in merged and not merged.endswith("\n"):
        return merged + "\n"
    return merged


def _loaded(path: Path, content: Path) -> Document | None:
    """A content file as the loader reads it (`check`'s own reading), or None if it cannot be read."""
    try:
        return load_yaml_file(path, content)
    except LoadError:
        return None


def existing_partners(content: Path) -> dict[str, str]:
    """The ids of the partner files in content/partners, with their names ("" for a file without one)."""
    names = {}
    for path in sorted((Path(content) / "partners").glob("*.yaml")):
        document = _loaded(path, content)
        data = document.data if document is not None else None
        name = data.get("name") if isinstance(data, dict) else None
        names[path.stem] = name if isinstance(name, str) else ""
    return names


def _same(a: Any, b: Any) -> bool:
    """Equal as a person reads them: a block scalar's final newline does not count."""
    if isinstance(a, str) and isinstance(b, str):
        return a.rstrip("\n") == b.rstrip("\n")
    if isinstance(a, dict) and isinstance(b, dict):  # a text with its translations
        return a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    return a == b


def _texts(existing: Any, incoming: Any, languages: set[str], primary: str) -> Any:
    """A translatable field after an import: the sheet's languages replace the file's (an empty cell
    removes one), the languages the sheet has no column for stay; one language alone is a plain string."""
    texts = dict(existing) if isinstance(existing, dict) else ({primary: existing} if existing is not None else {})
    given = incoming if isinstance(incoming, dict) else ({primary: incoming} if incoming is not None else {})
    for code in languages:
        if code in given:
            texts[code] = given[code]
        else:
            texts.pop(code, None)
    if not texts or primary not in texts and not given:
        return None
    return texts[primary] if set(texts) == {primary} else {code: texts[code] for code in texts}


def merge(existing: Mapping[str, Any], partner: ImportedPartner, primary: str = "en") -> tuple[dict, list[str]]:
    """The file's data with the spreadsheet's columns in place: a value replaces the file's, an empty cell
    removes it; fields the spreadsheet has no column for (the invitation...) stay. And what changed.
    A translatable text keeps the translations the spreadsheet has no column for."""
    merged = dict(existing)
    changed = []
    for name in TRANSLATABLE:
        languages = {primary} if name in partner.fields else set()
        languages |= {f.partition("@")[2] for f in partner.fields if f.startswith(name + "@")}
        if languages:
            value = _texts(existing.get(name), partner.data.get(name), languages, primary)
            if value is None and name in merged:
                del merged[name]
                changed.append(name)
            elif value is not None and not _same(existing.get(name), value):
                merged[name] = value
                changed.append(name)

    def put(target: dict, key: str, value: Any, label: str) -> None:
        if value is None:
            if key in target:
                del target[key]
                changed.append(label)
        elif key not in target or not _same(target[key], value):
            target[key] = value
            changed.append(label)

    contact = dict(existing["contact"]) if isinstance(existing.get("contact"), dict) else {}
    for name in sorted(partner.fields, key=lambda f: [c[1] for c in COLUMNS].index(f)
                       if f in [c[1] for c in COLUMNS] else 99):
        if name.partition("@")[0] in TRANSLATABLE:
            continue  # above
        head, _, sub = name.partition(".")
        if sub:
            value = partner.data.get(head, {}).get(sub)
            put(contact, sub, value, name)
        else:
            put(merged, name, partner.data.get(name), name)
    if any(name.startswith("contact.") for name in partner.fields):
        if contact:
            merged["contact"] = contact
        else:
            merged.pop("contact", None)
    return merged, changed


def plan_import(result: ImportResult, content: Path) -> Plan:
    """What becomes of each partner; raises ContentErrors if a file to update cannot be read faithfully."""
    plan = Plan()
    problems = []
    primary = primary_language(content)  # read coalition.yaml once, not once a partner
    for partner in result.partners:
        path = content / "partners" / f"{partner.id}.yaml"
        if not path.exists():
            plan.new.append(partner)
            continue
        try:
            document = load_yaml_file(path, content)
            text = path.read_bytes().decode("utf-8")  # as it is: line endings and byte order mark too
        except LoadError as exc:
            problems.append(exc.problem)
            continue
        if document.problems:  # a value the loader refused would be lost in the merge
            problems.extend(document.problems)
            continue
        existing = document.data if isinstance(document.data, dict) else {}
        merged, changed = merge(existing, partner, primary)
        if changed:
            plan.changed.append((partner, merged, changed))
            plan.files[partner.id] = (text, existing)
        else:
            plan.unchanged.append(partner)
    if problems:
        raise ContentErrors(problems)
    return plan


def _diff(before: str, after: str) -> str:
    """The lines an update changes, as `git diff` shows them (one line of context)."""
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), n=1, lineterm="")
    return "\n".join(line for line in lines if not line.startswith(("---", "+++")))


def _indented(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


def import_spreadsheet(source: Path, content: Path, *, force: bool = False, dry_run: bool = False,
                       print_=print) -> Plan:
    """Import `source` into content/partners; nothing is written if any cell has a problem."""
    source, content = Path(source), Path(content)
    if not source.exists():
        raise UsageError(f"{source}: no such file (expected a .csv or .xlsx file)")
    partners_dir = content / "partners"
    extra = extra_vocabulary(content)
    notes: list[str] = []
    sheets = read_sheets(source, notes)
    for note in notes:
        print_(note)
    result = rows_to_partners(sheets, extra, existing_partners(content), primary_language(content))
    plan = plan_import(result, content)
    texts = {p.id: partner_yaml(p.data, p.where) for p in plan.new}
    texts.update({p.id: plan.updated(p.id, merged) for p, merged, _ in plan.changed})
    _check_written(texts, content)
    for note in result.notes:
        print_(note)
    for partner in plan.new:
        print_(f"{'would write' if dry_run else 'wrote'} partners/{partner.id}.yaml ({partner.where})"
               + (":\n" + _indented(texts[partner.id]) if dry_run else ""))
    for partner, _, changed in plan.changed:
        what = ", ".join(changed)
        if force:
            print_(f"{'would update' if dry_run else 'updated'} partners/{partner.id}.yaml ({partner.where}): "
                   f"{what}" + (":\n" + _indented(_diff(plan.files[partner.id][0], texts[partner.id])) if dry_run
                                else ""))
        else:
            print_(f"partners/{partner.id}.yaml differs from {partner.where} in {what}: left as it is "
                   "(use --force to update it)")
    if not dry_run:
        for partner in plan.new:
            _write_atomic(partners_dir / f"{partner.id}.yaml", texts[partner.id])
        if force:
            for partner, _, _ in plan.changed:
                _write_atomic(partners_dir / f"{partner.id}.yaml", texts[partner.id])
    print_(f"{len(plan.new)} new, {len(plan.changed)} changed"
           f"{'' if force or not plan.changed else ' (not written)'}, {len(plan.unchanged)} unchanged"
           f"{' (dry run: nothing written)' if dry_run else ''}.")
    if not (content / "coalition.yaml").is_file():
        print_(f"note: {content} has no coalition.yaml, which `coalition-docs check` and `build` need; "
               "start a coalition with `coalition-docs new DIR` and import into DIR/content.")
    return plan


def _check_written(texts: Mapping[str, str], content: Path) -> None:
    """What is about to be written passes the checks of a hand-written partner file (`check`'s own)."""
    from coalition_docs.content.check import Checker  # with pydantic: imported when there is something to check

    run = Checker(content)
    for partner_id, text in texts.items():
        try:
            run.check(parse_yaml(text, f"partners/{partner_id}.yaml"), "PartnerFile")
        except LoadError as exc:
            run.problems.append(exc.problem)
    if run.problems:
        raise ContentErrors(run.problems)


def _coalition_data(content: Path) -> dict:
    path = content / "coalition.yaml"
    document = _loaded(path, content) if path.is_file() else None
    data = document.data if document is not None else None
    return data if isinstance(data, dict) else {}


def primary_language(content: Path) -> str:
    """coalition.yaml's primary language, as far as the file can be read (import works without it)."""
    return languages_written(_coalition_data(content))[0]


def extra_vocabulary(content: Path) -> dict[str, dict[str, str]]:
    """coalition.yaml's extra_vocabulary, as far as the file can be read (import works without it)."""
    extra = _coalition_data(content).get("extra_vocabulary")
    if not isinstance(extra, dict):
        return {}
    return {kind: {str(k): str(v) for k, v in terms.items()} for kind, terms in extra.items()
            if isinstance(terms, dict)}
