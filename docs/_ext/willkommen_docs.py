"""A Sphinx extension that writes the rule catalogue and the spreadsheet layout from the code.

The catalogue lives in ``willkommen.rules.catalogue()``; the examples of data that
trigger each rule live in ``willkommen._triggers``, the same table the tests
check; the register of sources lives in ``willkommen._sources``. These pages
are generated from them at build time, never written by hand.
"""

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

import willkommen
import willkommen.nrw
from willkommen._layout import layout
from willkommen._sources import SOURCES, cited_sources
from willkommen._triggers import NRW_TRIGGERS, TRIGGERS


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def catalogue_markdown() -> str:
    """The catalogue as MyST Markdown: one section per code."""
    lines = [
        "# Rule catalogue",
        "",
        "Every code a problem can carry, generated from `willkommen.rules.catalogue()`.",
        "Structural codes come first: the reader reports them; the rules follow.",
        "Run `willkommen rules` to list them on the command line.",
        "",
    ]
    examples = {trigger.code: trigger for trigger in (*TRIGGERS, *NRW_TRIGGERS)}
    for rule in willkommen.rules.catalogue():
        lines += [
            f"## `{rule.code}`",
            "",
            (
                f"**{rule.severity.value}** ({rule.severity.label_de}) · source: {_cell(rule.source)}"
                f" · see {_links(rule.source)}"
            ),
            "",
            f"- {rule.description}",
            f"- *{rule.description_de}*",
            "",
            f"Message: `{rule.message}` / `{rule.message_de}`",
            "",
        ]
        if rule.fix:
            lines += [f"How to fix: {_cell(rule.fix)} / *{_cell(rule.fix_de)}*", ""]
        if rule.replaces:
            lines += [f"Replaces `{rule.replaces}` for `{rule.applies_to.__name__ if rule.applies_to else ''}`.", ""]
        trigger = examples.get(rule.code)
        if trigger is not None:
            lines += [f"Triggered by: {trigger.describe()}", ""]
    return "\n".join(lines)


def layout_markdown() -> str:
    """The sheets and columns of a workbook, German and English, as the layout derives them from the model."""
    lines = [
        "| sheet (de) | sheet (en) | columns (de) | columns (en) |",
        "|---|---|---|---|",
    ]
    sheets = layout(willkommen.Alliance)
    for sheet in sheets.sheets:
        german = ", ".join(f"`{_cell(c.heading_de)}`" for c in sheet.columns)
        english = ", ".join(f"`{_cell(c.heading_en)}`" for c in sheet.columns)
        lines.append(f"| {sheet.title_de} | {sheet.title_en} | {german} | {english} |")
    lines.append(f"| {sheets.info_de} | {sheets.info_en} | `Angabe`, `Wert` | `Key`, `Value` |")
    return "\n".join(lines) + "\n"


def _links(citation: str) -> str:
    """Links to the cited sources' entries on the sources page, or to the page itself."""
    cited = cited_sources(citation)
    if not cited:
        return "{doc}`sources </sources>`"
    return ", ".join(f"{{ref}}`{source.id} <source-{source.id}>`" for source in cited)


def register_markdown() -> str:
    """The register of sources as MyST Markdown: one linkable entry per source."""
    lines: list[str] = []
    for source in SOURCES:
        lines += [f"(source-{source.id})=", f"**`{source.id}`**: {source.title}", ""]
    return "\n".join(lines)


def _write_page(app: Sphinx, name: str, text: str) -> None:
    target = Path(app.srcdir) / "_generated" / name
    target.parent.mkdir(exist_ok=True)
    # Unchanged text keeps the file's time, so Sphinx does not rebuild for nothing.
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def _write(app: Sphinx, *_: Any) -> None:
    _write_page(app, "rules.md", catalogue_markdown())
    _write_page(app, "sources.md", register_markdown())
    _write_page(app, "sheets.md", layout_markdown())


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the catalogue writer with Sphinx."""
    app.connect("builder-inited", _write)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
