"""The code in the documentation runs: every ```python block, top to bottom, per page."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize(
    "page", [p for p in PAGES if BLOCK.search(p.read_text(encoding="utf-8"))], ids=lambda p: p.name
)
def test_the_examples_of_a_page_run(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page's snippets share one namespace and run from the repository root, as a reader would."""
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for number, match in enumerate(BLOCK.finditer(page.read_text(encoding="utf-8")), start=1):
        code = compile(match.group(1), f"{page.name} (block {number})", "exec")
        exec(code, namespace)  # noqa: S102 - running the documentation is the point
