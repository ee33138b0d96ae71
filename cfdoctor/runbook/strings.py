"""The runbook's own interface strings (gettext domain "runbook") and locale formatting.

Runbooks are built for several languages in one process, so nothing here depends on the
process-wide language of `cfdoctor.i18n`: every function takes the language explicitly. The
catalogs live beside the CLI's (``cfdoctor/locales/<catalog>/LC_MESSAGES/runbook.mo``), compiled
from the ``.po`` files at install; a missing ``.mo`` falls back to English, and the tests prove
the installed package has them. ``babel.cfg`` beside this module says how to extract them.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
from dataclasses import dataclass
from functools import cache
from typing import Literal

from cfdoctor.i18n import BABEL_LOCALE_OF, CATALOG_OF, LANGS, LOCALE_DIR

DOMAIN = "runbook"

__all__ = ["DOMAIN", "LANGS", "N_", "Strings", "strings"]


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a string for extraction; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Strings:
    """Translation and formatting for one language, passed to every builder."""

    lang: str
    translation: _gettext.NullTranslations

    def _(self, message: str) -> str:
        return self.translation.gettext(message)

    def n_(self, singular: str, plural: str, n: int) -> str:
        return self.translation.ngettext(singular, plural, n)

    @property
    def locale(self) -> str:
        return BABEL_LOCALE_OF[self.lang]

    def percent(self, value: float) -> str:
        """A ratio as a percentage in the language's style: whole, or one decimal if needed."""
        from babel.numbers import format_percent

        pattern = "#,##0%" if round(value * 100, 1).is_integer() else "#,##0.0%"
        return format_percent(value, pattern, locale=self.locale)

    def label(self, text: str) -> str:
        """`text` followed by the language's colon ("Fixes:", "修正方法："); a space follows it."""
        # TRANSLATORS: label before its value ("Evidence grade: D"); ja/zh use a full-width colon
        return self._("{label}:").format(label=text)

    def paren(self, text: str) -> str:
        """A parenthetical after a word: " (x)" in English, "（x）" in Japanese and Chinese."""
        # TRANSLATORS: an aside after a word, note the leading space; ja/zh use full-width
        # parentheses without the space
        return self._(" ({text})").format(text=text)

    def pair(self, first: str, second: str) -> str:
        """Two clauses of one aside ("fails 95% of the time; estimate")."""
        return self._("{first}; {second}").format(first=first, second=second)

    def number(self, value: float) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, "#,##0.#", locale=self.locale)

    def date(self, day: dt.date) -> str:
        from babel.dates import format_date

        return format_date(day, format="long", locale=self.locale)

    def join(self, items: list[str], style: Literal["standard", "or"] = "standard") -> str:
        """A list in running text ("a, b, and c"; "a、b、c"), as the language writes it;
        style "or" for alternatives ("a, b, or c")."""
        from babel.lists import format_list

        return format_list(items, style=style, locale=self.locale) if items else ""


@cache
def strings(lang: str) -> Strings:
    """The Strings of a supported language (`en`, `ja`, `zh`); ValueError names the choices."""
    if lang not in LANGS:
        raise ValueError(f"unsupported language '{lang}'; choose one of: {', '.join(LANGS)}")
    catalog = CATALOG_OF.get(lang)
    if catalog is None:
        return Strings(lang, _gettext.NullTranslations())
    translation = _gettext.translation(
        DOMAIN, localedir=str(LOCALE_DIR), languages=[catalog], fallback=True
    )
    return Strings(lang, translation)
