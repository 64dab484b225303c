"""The examples in the documentation run: python blocks execute, console blocks print what they show."""

import re
import shlex
from pathlib import Path

import pytest

from willkommen._cli import main

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
PYTHON = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
CONSOLE = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _pages_with(block: re.Pattern[str]) -> list[Path]:
    return [page for page in PAGES if block.search(page.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("page", _pages_with(PYTHON), ids=lambda p: p.name)
def test_the_python_examples_of_a_page_run(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page's snippets share one namespace and run from the repository root, as a reader would."""
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for number, match in enumerate(PYTHON.finditer(page.read_text(encoding="utf-8")), start=1):
        code = compile(match.group(1), f"{page.name} (block {number})", "exec")
        exec(code, namespace)  # noqa: S102 - running the documentation is the point


def _sessions(page: Path) -> list[tuple[str, str]]:
    """Each ``$ willkommen ...`` line of the page's console blocks, with the output shown below it."""
    sessions = []
    for match in CONSOLE.finditer(page.read_text(encoding="utf-8")):
        for chunk in ("\n" + match.group(1)).split("\n$ ")[1:]:
            command, _, output = chunk.partition("\n")
            sessions.append((command, output))
    return sessions


@pytest.mark.parametrize(
    ("command", "output"),
    [session for page in _pages_with(CONSOLE) for session in _sessions(page)],
    ids=lambda value: value.split("\n")[0][:60],
)
def test_the_console_examples_print_what_they_show(
    command: str, output: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command line, run from the repository root, prints exactly what the page shows."""
    monkeypatch.chdir(ROOT)
    program, *arguments = shlex.split(command)
    assert program == "willkommen"
    main(arguments)
    assert output == capsys.readouterr().out
