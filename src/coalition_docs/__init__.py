"""coalition-docs: a static site generator for Mobility Coalition documents.

The public API is small:

    from coalition_docs import load_coalition, build
    coalition = load_coalition("content")      # raises ContentErrors with every problem
    result = build("content", "build")         # the site and the PDFs; result.summary()

Both are imported on first use, so `coalition-docs --help` stays fast.
"""

__version__ = "0.1.0"  # the package's version (pyproject.toml reads it from here)

__all__ = ["__version__", "build", "load_coalition"]


def __getattr__(name: str):
    if name == "load_coalition":
        from coalition_docs.content.validate import load_coalition

        return load_coalition
    if name == "build":
        from coalition_docs.phases import build

        return build
    raise AttributeError(f"module 'coalition_docs' has no attribute {name!r}")
