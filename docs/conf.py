"""Sphinx configuration: Markdown pages (MyST), the API from docstrings, the catalogue from code."""

import sys
from importlib.metadata import version as _version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "willkommen"
author = "The willkommen developers"
copyright = "2026, The willkommen developers"  # noqa: A001 - Sphinx reads this name
release = _version("willkommen")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "willkommen_docs",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "decisions/README.md"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = "willkommen"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}
# attrs classes document their fields through the class signature.
autodoc_class_signature = "separated"

# No network in CI: the links to the Python docs are resolved only where the
# inventory is at hand; without it they render as plain text.
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}
nitpicky = False
