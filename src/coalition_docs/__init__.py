"""coalition-docs: a static site generator for Mobility Coalition documents."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("coalition-docs")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"

