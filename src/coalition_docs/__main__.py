"""`python -m coalition_docs`: the same command as `coalition-docs`."""

from coalition_docs.cli import run

run()
