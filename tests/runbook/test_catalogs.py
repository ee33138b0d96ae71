"""The "runbook" gettext domain: template in step with the code, catalogs complete and used."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import cfdoctor.runbook
from cfdoctor.i18n import CATALOG_OF, LOCALE_DIR
from cfdoctor.runbook.strings import DOMAIN, strings

PACKAGE = Path(cfdoctor.runbook.__file__).parent
KEYWORDS = {"_": None, "N_": None, "n_": (1, 2)}
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
_CJK = r"[\u3040-\u30ff\u3400-\u9fff]"


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


def test_template_matches_the_code() -> None:
    found: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    template = _read(LOCALE_DIR / f"{DOMAIN}.pot")
    assert found == _ids(template), "re-extract: see cfdoctor/runbook/babel.cfg"


@pytest.mark.parametrize("lang", ["ja", "zh"])
def test_catalogs_are_complete_and_keep_placeholders(lang: str) -> None:
    template = _read(LOCALE_DIR / f"{DOMAIN}.pot")
    po = LOCALE_DIR / CATALOG_OF[lang] / "LC_MESSAGES" / f"{DOMAIN}.po"
    catalog = _read(po, CATALOG_OF[lang])
    assert _ids(catalog) == _ids(template)
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strs = [message.string] if isinstance(message.string, str) else list(message.string or ())
        assert all(strs), f"untranslated: {message.id}"
        wanted = set(_PLACEHOLDER.findall(ids[0]))
        for text in strs:
            assert set(_PLACEHOLDER.findall(text)) == wanted, (message.id, text)
            literal = _PLACEHOLDER.sub("", text)
            assert "(" not in literal and ")" not in literal, f"use full-width brackets: {text}"
            assert not re.search(r":(\s|$)", literal), f"use the full-width colon: {text}"
            if lang == "zh":
                # Chinese puts a space between CJK and Latin text
                assert not re.search(rf"{_CJK}[A-Za-z0-9]|[A-Za-z0-9]{_CJK}", literal), text


def test_installed_catalogs_are_used() -> None:
    for lang in ("ja", "zh"):
        mo = LOCALE_DIR / CATALOG_OF[lang] / "LC_MESSAGES" / f"{DOMAIN}.mo"
        assert mo.is_file(), f"{mo} missing: reinstall the package (hatch_build.py compiles it)"
    assert strings("ja")._("Where each answer leads") == "回答ごとの進み先"
    assert strings("zh")._("Where each answer leads") == "各回答的去向"
    assert strings("en")._("Where each answer leads") == "Where each answer leads"
    assert strings("ja").n_("{n} check", "{n} checks", 3).format(n=3) == "チェック 3 件"
    assert strings("en").n_("{n} check", "{n} checks", 1).format(n=1) == "1 check"
    assert strings("zh").label("来源") == "来源：" and strings("en").paren("x") == " (x)"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="choose one of: en, ja, zh"):
        strings("fr")
