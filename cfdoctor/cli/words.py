"""The words a person types during an interview besides answers: English always works, and so
does their translation in the interface language (``なぜ``, ``为什么``)."""

from __future__ import annotations

from cfdoctor.i18n import N_
from cfdoctor.i18n import gettext as _

# TRANSLATORS: words typed at the interview prompt; each must be a single word.
UNKNOWN = N_("unknown")
WHY = N_("why")
HOW = N_("how")
QUIT = N_("quit")
KNOW = N_("know")
"""Lists the facts a person can volunteer at any prompt (as +NAME=VALUE)."""


def spoken(word: str) -> frozenset[str]:
    """What the user may type for `word`, lower-cased."""
    return frozenset({word, _(word).lower()})


def shown(word: str) -> str:
    """`word` as the prompt shows it: ``why`` or ``why/なぜ``."""
    translated = _(word)
    return word if translated == word else f"{word}/{translated}"
