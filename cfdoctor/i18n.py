"""Interface language: which one to speak, and gettext for the CLI's own strings.

Knowledge text carries its three languages itself (``Text.get(lang)``); this module only serves
the strings the interface adds around it (headings, prompts, labels). English is the source
language; ``ja`` and ``zh`` (Simplified Chinese, catalog ``zh_Hans``) come from the gettext
catalogs under ``cfdoctor/locales``, compiled to ``.mo`` by the build (hatch_build.py). A missing
``.mo`` falls back to English rather than failing: the tests prove the build produces them.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping
from pathlib import Path

LANGS: tuple[str, ...] = ("en", "ja", "zh")
"""The interface languages, named as the knowledge base names them."""

DEFAULT_LANG = "en"
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).parent / "locales"
CATALOG_OF: dict[str, str] = {"ja": "ja", "zh": "zh_Hans"}
"""gettext catalog directory for each translated language (English is the source)."""
BABEL_LOCALE_OF: dict[str, str] = {"en": "en", "ja": "ja", "zh": "zh_Hans"}
"""Babel locale used to format numbers in each language."""
ENV_VARS: tuple[str, ...] = ("LC_ALL", "LC_MESSAGES", "LANG")
"""POSIX precedence: the first one set decides."""

_current = DEFAULT_LANG
_translation: _gettext.NullTranslations = _gettext.NullTranslations()


class LanguageError(ValueError):
    """A language the user asked for explicitly is not one cfdoctor speaks."""


def negotiate(identifier: str) -> str | None:
    """The supported language for a locale identifier (``ja_JP.UTF-8``, ``zh-Hans``), or None.

    Babel resolves scripts from territories (``zh_CN`` and ``zh_SG`` are Simplified, ``zh_TW``
    is not). English and Japanese identifiers skip Babel, which costs ~30 ms to load.
    """
    ident = identifier.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_")
    if ident in LANGS:
        return ident
    if not ident or ident in ("C", "POSIX"):
        return None
    if ident.split("_", 1)[0].lower() in ("en", "ja"):
        return ident.split("_", 1)[0].lower()
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(ident)
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    if locale.language == "zh":
        # Locale.parse adds the likely script; bare "zh" is Simplified by default.
        return "zh" if locale.script in (None, "Hans") else None
    return locale.language if locale.language in LANGS else None


def choose(option: str | None, environ: Mapping[str, str] | None = None) -> str:
    """`--lang`, else CFDOCTOR_LANG, else LC_ALL / LC_MESSAGES / LANG, else English.

    A language asked for by name (the option or CFDOCTOR_LANG) must be supported: a typo should
    not silently switch the tool to English. The POSIX locale is a preference, not a request.
    """
    env = os.environ if environ is None else environ
    for origin, value in (("--lang", option), ("CFDOCTOR_LANG", env.get("CFDOCTOR_LANG"))):
        if value:
            lang = negotiate(value)
            if lang is None:
                raise LanguageError(
                    f"{origin}: unsupported language '{value}'; choose one of: {', '.join(LANGS)}"
                )
            return lang
    for name in ENV_VARS:
        value = env.get(name)
        if value:
            return negotiate(value) or DEFAULT_LANG
    return DEFAULT_LANG


def activate(lang: str) -> None:
    """Make `lang` the language of every later `_()` call in this process."""
    global _current, _translation
    if lang not in LANGS:
        raise LanguageError(f"unsupported language '{lang}'; choose one of: {', '.join(LANGS)}")
    _current = lang
    catalog = CATALOG_OF.get(lang)
    if catalog is None:
        _translation = _gettext.NullTranslations()
    else:
        _translation = _gettext.translation(
            DOMAIN, localedir=str(LOCALE_DIR), languages=[catalog], fallback=True
        )


def route_framework_gettext(lang: str) -> None:
    """Let Typer's own labels ("Options", "Commands") follow `lang` as well.

    Typer translates them with the stdlib's global gettext, whose default domain is "messages",
    the name of our catalogs, and whose language comes from the environment. Only the CLI's
    entry point calls this (it sets LANGUAGE for this process), before any help is formatted;
    cli/framework.py lists those labels so that they are in our catalogs.
    """
    _gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    os.environ["LANGUAGE"] = CATALOG_OF.get(lang, "en")


def current() -> str:
    return _current


def babel_locale(lang: str | None = None) -> str:
    return BABEL_LOCALE_OF[lang or _current]


def gettext(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


_ = gettext


def format_percent(value: float, lang: str | None = None) -> str:
    """A ratio as a percentage in the locale's style (``90%``, ``90 %``), whole or one decimal."""
    from babel.numbers import format_percent as babel_format_percent

    pattern = "#,##0%" if round(value * 100, 1).is_integer() else "#,##0.0%"
    return babel_format_percent(value, pattern, locale=babel_locale(lang))


def format_decimal(value: float, lang: str | None = None) -> str:
    from babel.numbers import format_decimal as babel_format_decimal

    return babel_format_decimal(value, "#,##0.##", locale=babel_locale(lang))
