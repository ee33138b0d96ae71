"""The written site: layout, targets, languages, and links that all resolve from disk."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cfdoctor.engine.errors import CfdoctorError
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.runbook.site import RunbookError, build_date, resolve_targets, write_runbooks
from tests.runbook.sitecheck import broken_links, parse_html


@pytest.fixture(scope="module")
def site(mini: Reasoner, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    write_runbooks(mini, [], ["all"], "html", out, generated=dt.date(2025, 11, 21))
    write_runbooks(mini, [], ["all"], "md", out, generated=dt.date(2025, 11, 21))
    return out


def test_layout(site: Path) -> None:
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    expected = {"index.html", "index.md", "style.css"}
    for lang in ("en", "ja", "zh"):
        for name in ("index", "s-502", "s-504"):
            expected |= {f"{lang}/{name}.html", f"{lang}/{name}.md"}
    assert files == expected


def test_every_internal_link_resolves(site: Path) -> None:
    assert broken_links(site) == []


def test_pages_are_for_phones_and_need_no_network(site: Path) -> None:
    for path in site.rglob("*.html"):
        page = parse_html(path)
        assert page.meta["viewport"] == "width=device-width, initial-scale=1", path
        assert page.lang in ("en", "ja", "zh-Hans"), path
        loads = [url for tag, url in page.refs if tag != "a"]
        assert all("://" not in url for url in loads), (path, loads)
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text and "@import" not in text and "url(" not in text


def test_language_switcher_and_anchors(site: Path) -> None:
    html = (site / "ja" / "s-502.html").read_text(encoding="utf-8")
    assert '<a href="../en/s-502.html" hreflang="en" lang="en">English</a>' in html
    assert '<a href="../zh/s-502.html" hreflang="zh-Hans" lang="zh-Hans">简体中文</a>' in html
    assert '<span aria-current="page" lang="ja">日本語</span>' in html
    ids = parse_html(site / "ja" / "s-502.html").ids
    assert {"cause-dns-failure", "cause-port-blocked", "cause-cert-name"} <= ids
    assert '<figure class="flow"' in html and 'href="#check-c-page"' in html
    landing = (site / "index.html").read_text(encoding="utf-8")
    for lang, tag in (("en", "en"), ("ja", "ja"), ("zh", "zh-Hans")):
        assert f'<section lang="{tag}">' in landing and f'href="{lang}/s-502.html"' in landing


def test_targets_by_id_or_status_code(mini: Reasoner, tmp_path: Path) -> None:
    assert resolve_targets(mini, []) == ["s-502", "s-504"]
    assert resolve_targets(mini, ["504", "s-502", "502"]) == ["s-504", "s-502"]
    seen: list[str] = []
    written = write_runbooks(mini, ["502"], ["ja"], "md", tmp_path, seen.append)
    assert [Path(p) for p in seen] == written
    assert {p.relative_to(tmp_path).as_posix() for p in written} == {
        "ja/s-502.md",
        "ja/index.md",
        "index.md",
    }


@pytest.mark.parametrize(
    ("targets", "langs", "fmt", "message"),
    [
        (
            ["999"],
            ["en"],
            "md",
            r"unknown symptom or status '999'; known: s-502 \(502\), s-504 \(504\)",
        ),
        (["http-502"], ["en"], "md", r"unknown symptom or status 'http-502'; known: s-502"),
        ([], ["fr"], "md", r"unsupported language 'fr'; choose from: en, ja, zh, all"),
        ([], ["en"], "pdf", r"unsupported format 'pdf'; choose md or html"),
    ],
)
def test_bad_requests_are_clear_errors(
    mini: Reasoner, tmp_path: Path, targets: list[str], langs: list[str], fmt: str, message: str
) -> None:
    with pytest.raises(RunbookError, match=message) as info:
        write_runbooks(mini, targets, langs, fmt, tmp_path)  # type: ignore[arg-type]
    assert isinstance(info.value, CfdoctorError) and info.value.exit_code == 2
    assert not any(tmp_path.iterdir())


def test_build_date_honours_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_date() == dt.date(2023, 11, 14)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_date() == dt.date.today()
