"""Content: load the YAML with positions, check it against the schema and the vocabularies, build the model."""
