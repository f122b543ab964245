"""Content: load the YAML with positions, check it against the schema and the vocabularies, build the model.

What the other stages use (inventory's import and export read content only through these):
- `validate.load_coalition(folder)`: the checked, cross-referenced `model.Coalition`, or ContentErrors;
- `load.load_yaml_file(path, folder)`, `load.parse_yaml(text, name)`: one file as `check` reads it, a
  `Document` whose values keep their line and column (numbers keep how they were written, `scalars.Written`;
  yaml_doc.py parses);
- `check.Checker`: files checked against their schema as `check` checks them, every problem gathered;
- `schema_errors.translate`: one pydantic error as a located message; `ids.slugify`: the id a name gives;
- `model.by_name`: the order of partners by name (letters, the coverage report, export).
"""
