"""The HTML site in a real headless Chromium: loads cleanly from disk, on a phone, no network.

Chromium is required: these tests fail (they do not skip) when it is missing, unless
CFDOCTOR_SKIP_BROWSER=1. Install it with `apt-get install -y chromium`, or point
CFDOCTOR_CHROMIUM at a binary. Screenshots land in test-artifacts/runbook/.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.session import Session
from cfdoctor.runbook.report import diagnosis_html
from cfdoctor.runbook.site import write_runbooks
from tests.runbook.cdp import Chromium
from tests.runbook.test_hostile import hostile_units
from tests.toykb import write_kb

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "runbook"
"""Screenshots the tests leave for a human to look at (gitignored)."""
BROKEN = "deliberately-broken.html"
PROBE = """(() => ({
  maxWidth: getComputedStyle(document.querySelector('main')).maxWidth,
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  missing: [...document.querySelectorAll('a[href^="#"]')]
    .map(a => decodeURIComponent(a.getAttribute('href').slice(1)))
    .filter(id => !document.getElementById(id)),
  ids: [...document.querySelectorAll('[id]')].map(e => e.id),
  links: [...document.querySelectorAll('a[href]')].map(a => a.href),
  scripts: document.scripts.length,
  lang: document.documentElement.lang,
  title: document.title,
}))()"""


def chromium_path() -> str:
    if os.environ.get("CFDOCTOR_SKIP_BROWSER") == "1":
        pytest.skip("CFDOCTOR_SKIP_BROWSER=1: browser tests skipped")
    for candidate in (os.environ.get("CFDOCTOR_CHROMIUM"), shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    pytest.fail(
        "Chromium is needed for the browser tests and was not found: install it with "
        "`apt-get install -y chromium` (or set CFDOCTOR_CHROMIUM=/path/to/chromium), "
        "or set CFDOCTOR_SKIP_BROWSER=1 to skip them",
        pytrace=False,
    )


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    executable = chromium_path()
    root = tmp_path_factory.mktemp("chromium")
    log = root / "chromium.log"
    chromium = Chromium(executable, root / "profile", log)
    yield chromium
    chromium.close()
    # second net: Chromium writes console messages to its log as well
    lines = log.read_text(errors="replace").splitlines()
    console = [line for line in lines if ":CONSOLE" in line and BROKEN not in line]
    assert console == [], console


@pytest.fixture(scope="module")
def site(mini: Reasoner, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    write_runbooks(mini, [], ["all"], "html", out, generated=dt.date(2025, 11, 21))
    return out


def test_every_page_loads_cleanly_on_a_phone(site: Path, browser: Chromium) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 10
    ids: dict[str, set[str]] = {}
    links: dict[str, list[str]] = {}
    for page in pages:
        url = page.as_uri()
        visit = browser.visit(url, probe=PROBE)
        browser.close_page()
        assert visit.errors == [], (page, visit.errors)
        assert visit.dialogs == [] and visit.probe["scripts"] == 0, page
        assert visit.probe["maxWidth"] == "800px", f"{page}: stylesheet not applied"
        assert visit.probe["overflow"] <= 0, f"{page}: wider than a phone screen"
        assert visit.probe["missing"] == [], page
        assert visit.probe["title"] and visit.probe["lang"] in ("en", "ja", "zh-Hans")
        ids[url] = set(visit.probe["ids"])
        links[url] = visit.probe["links"]
    for source, hrefs in links.items():
        for href in hrefs:
            parts = urlsplit(href)
            if parts.scheme != "file":
                assert parts.scheme == "https", (source, href)  # citations only
                continue
            target = Path(unquote(parts.path)).as_uri()
            assert target in ids, f"{source}: {href} -> no such page"
            assert not parts.fragment or unquote(parts.fragment) in ids[target], (source, href)


def test_screenshots_of_each_language(site: Path, browser: Chromium) -> None:
    for lang in ("en", "ja", "zh"):
        for name, width, height in (("index", 390, 844), ("s-502", 1280, 900)):
            visit = browser.visit(
                (site / lang / f"{name}.html").as_uri(), width=width, height=height
            )
            assert visit.errors == []
            shot = ARTIFACTS / f"{name}-{lang}-{width}.png"
            browser.screenshot(shot)
            browser.close_page()
            data = shot.read_bytes()
            assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5_000, shot


def test_a_diagnosis_report_is_one_readable_file(
    mini: Reasoner, browser: Chromium, tmp_path: Path
) -> None:
    session = Session(mini)
    session.observe("m.status", 502)
    session.answer("c-page", "dns")
    report = tmp_path / "report.html"
    report.write_text(diagnosis_html(session.diagnosis(), "zh"), encoding="utf-8")
    visit = browser.visit(report.as_uri(), probe=PROBE)
    browser.screenshot(ARTIFACTS / "report-zh-390.png")
    browser.close_page()
    assert visit.errors == [] and visit.probe["scripts"] == 0
    assert visit.probe["maxWidth"] == "800px" and visit.probe["overflow"] <= 0
    assert visit.probe["missing"] == [] and visit.probe["lang"] == "zh-Hans"


def test_hostile_knowledge_runs_nothing_in_the_browser(browser: Chromium, tmp_path: Path) -> None:
    reasoner = Reasoner(
        load_knowledge([write_kb(tmp_path / "kb", hostile_units())], include_bundled=False)
    )
    out = tmp_path / "site"
    write_runbooks(reasoner, [], ["en", "ja"], "html", out)
    for page in (out / "en" / "h-500.html", out / "ja" / "h-500.html"):
        visit = browser.visit(page.as_uri(), probe=PROBE)
        browser.close_page()
        assert visit.dialogs == [] and visit.probe["scripts"] == 0
        assert visit.errors == [], visit.errors
        assert not any(link.lower().startswith("javascript:") for link in visit.probe["links"])


def test_the_browser_check_sees_problems(browser: Chromium, tmp_path: Path) -> None:
    """A broken page must fail the checks above: the detectors themselves work."""
    page = tmp_path / BROKEN
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head>'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        '<link rel="stylesheet" href="missing.css"></head>'
        '<body><main><a href="#nowhere">x</a><script>alert(1)</script></main></body></html>',
        encoding="utf-8",
    )
    visit = browser.visit(page.as_uri(), probe=PROBE)
    browser.close_page()
    assert any("Content Security Policy" in e for e in visit.errors), visit.errors
    assert visit.probe["missing"] == ["nowhere"] and visit.probe["maxWidth"] == "none"
