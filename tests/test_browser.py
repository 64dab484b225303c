"""The HTML reports in a real browser: headless Chromium renders them without a console message and shows the summary.

CI installs Chromium from the distribution's packages (``.ci/run``); where no
browser can be found, these tests are skipped and say why.
"""

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .test_cli import run

ROOT = Path(__file__).parent.parent
SHIPPED = [str(ROOT / "examples"), str(ROOT / "docs" / "data" / "broken.json")]
BROWSER = next((found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None)

pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no Chromium here: install the 'chromium' package (.ci/run does) to render the reports"
)

# No network, no updates, no profile of the user's: the page alone.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
]


def chromium(page: Path, profile: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium on a local page; it must exit 0."""
    assert BROWSER is not None
    result = subprocess.run(  # noqa: S603 - a browser found on PATH, on our own page
        [BROWSER, *FLAGS, f"--user-data-dir={profile}", *arguments, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


def console_messages(result: subprocess.CompletedProcess[str]) -> list[str]:
    """What the page said on the browser's console: a script error, a blocked load, a CSP violation."""
    return [line for line in result.stderr.splitlines() if ":CONSOLE" in line]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inside: list[str] = []
        self.summary: dict[str, str] = {}
        self.term = ""
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002 - the parser's signature
        self.inside.append(tag)

    def handle_endtag(self, tag: str) -> None:
        # Up to the element that ends here: void elements (meta, br) never get an end tag.
        while self.inside and self.inside.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.inside and self.inside[-1] == "dt":
            self.term = data
        elif self.inside and self.inside[-1] == "dd":
            self.summary[self.term] = data


def test_the_detector_sees_a_broken_page(tmp_path: Path) -> None:
    """A page that loads from the network and runs a failing script is caught: the check below can fail."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        '<img src="http://example.invalid/x.png"><script>missing()</script>',
        encoding="utf-8",
    )
    assert console_messages(chromium(page, tmp_path / "profile", "--dump-dom"))


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_validation_report_renders_with_its_summary(
    lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The page Chromium built holds the summary's counts, every code section; nothing went wrong on the way."""
    _, out, _ = run(capsys, "validate", "--format", "json", *SHIPPED)
    code, page, _ = run(capsys, "validate", "--format", "html", "--lang", lang, *SHIPPED)
    assert code == 1
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    result = chromium(path, tmp_path / "profile", "--dump-dom")
    assert console_messages(result) == []
    dom = _Text()
    dom.feed(result.stdout)
    summary = json.loads(out)["summary"]
    labels = {"en": ("Files", "Records", "Invalid"), "de": ("Dateien", "Datensätze", "Ungültig")}[lang]
    assert (dom.summary[labels[0]], dom.summary[labels[1]], dom.summary[labels[2]]) == (
        str(summary["files"]),
        str(summary["records"]),
        str(summary["invalid"]),
    )
    assert "collection.duplicate_id" in "".join(dom.text)


def test_the_report_prints_and_fits_a_phone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Printed to PDF, and drawn on a phone-sized screen, without a console message."""
    _, page, _ = run(capsys, "validate", "--format", "html", *SHIPPED)
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    result = chromium(path, tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert console_messages(result) == []
    assert pdf.read_bytes().startswith(b"%PDF")
    shot = tmp_path / "phone.png"
    result = chromium(path, tmp_path / "profile2", "--window-size=390,844", f"--screenshot={shot}")
    assert console_messages(result) == []
    assert shot.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("kind", ["offices", "alliances"])
def test_a_summary_report_renders(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``willkommen report KIND --format html`` renders too, its footer counts shown."""
    code, page, _ = run(capsys, "report", kind, "--format", "html", str(ROOT / "examples"))
    assert code == 0
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    result = chromium(path, tmp_path / "profile", "--dump-dom")
    assert console_messages(result) == []
    dom = _Text()
    dom.feed(result.stdout)
    assert dom.summary["Records read"] == "3"
