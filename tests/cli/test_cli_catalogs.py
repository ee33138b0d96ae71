"""The gettext catalogs: complete, current, compiled by the build, and used at run time."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from cfdoctor import i18n
from tests.cli.clitools import BIN

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "cfdoctor" / "locales"
CATALOGS = sorted(i18n.CATALOG_OF.values())
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
CJK = "\u4e00-\u9fff"
MISSING_SPACE = re.compile(rf"[{CJK}][A-Za-z0-9{{`]|[A-Za-z0-9}}`][{CJK}]")


def po(catalog: str) -> Catalog:
    with (LOCALES / catalog / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=catalog)


def strings(value: Any) -> tuple[str, ...]:
    """A message id or translation as a tuple, whether it has plural forms or not."""
    if value is None:
        return ("",)
    return (value,) if isinstance(value, str) else tuple(value)


def ids(catalog: Catalog) -> set[tuple[str, ...]]:
    return {strings(m.id) for m in catalog if m.id}


def translations(catalog: Catalog) -> dict[tuple[str, ...], tuple[str, ...]]:
    return {strings(m.id): strings(m.string) for m in catalog if m.id}


@pytest.mark.parametrize("catalog", CATALOGS)
def test_every_entry_is_translated_and_not_fuzzy(catalog: str) -> None:
    for message in po(catalog):
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        source = " ".join(strings(message.id))
        for text in strings(message.string):
            assert text.strip(), f"{catalog}: untranslated {message.id!r}"
            assert sorted(PLACEHOLDER.findall(text)) == sorted(set(PLACEHOLDER.findall(source))), (
                f"{catalog}: placeholders differ in {text!r}"
            )


def test_chinese_puts_a_space_between_cjk_and_latin_text() -> None:
    for message in po("zh_Hans"):
        for text in strings(message.string) if message.id else ():
            assert not MISSING_SPACE.search(text), text


def test_template_is_current(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(BIN / "pybabel"),
            "--quiet",
            "extract",
            "--mapping-file",
            str(LOCALES / "babel.cfg"),
            "--no-location",
            "--output-file",
            str(fresh),
            str(ROOT),
        ],
        check=True,
        timeout=60,
    )
    with fresh.open("rb") as f:
        extracted = read_po(f)
    with (LOCALES / "messages.pot").open("rb") as f:
        committed = read_po(f)
    assert ids(committed) == ids(extracted), "run the extraction in cfdoctor/locales/babel.cfg"
    for catalog in CATALOGS:
        assert ids(po(catalog)) == ids(committed), f"run pybabel update for {catalog}"


@pytest.mark.parametrize("catalog", CATALOGS)
def test_compiled_catalog_is_installed_and_current(catalog: str) -> None:
    mo_path = i18n.LOCALE_DIR / catalog / "LC_MESSAGES" / "messages.mo"
    assert mo_path.exists(), "the build (hatch_build.py) did not compile the catalog"
    with mo_path.open("rb") as f:
        compiled = translations(read_mo(f))
    assert compiled == translations(po(catalog)), (
        "the .mo is older than the .po: reinstall (pip install -e .)"
    )


@pytest.mark.parametrize(("lang", "catalog"), sorted(i18n.CATALOG_OF.items()))
def test_interface_strings_are_translated_at_run_time(lang: str, catalog: str) -> None:
    expected = next(m.string for m in po(catalog) if m.id == "Fixes")
    try:
        i18n.activate(lang)
        assert i18n.gettext("Fixes") == expected
    finally:
        i18n.activate("en")
    assert i18n.gettext("Fixes") == "Fixes"
