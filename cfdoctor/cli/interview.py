"""The interactive conversation: ask the engine's next question until it has no more.

The engine chooses the questions and parses the answers; this loop only relays them and lets
the person ask WHY (the causes a question separates) and HOW (the reasoning behind the ranking)
at any prompt.
"""

from __future__ import annotations

from collections.abc import Callable

from cfdoctor.cli.console import Console
from cfdoctor.cli.words import HOW, QUIT, UNKNOWN, WHY, spoken
from cfdoctor.engine.diagnosis import Diagnosis
from cfdoctor.engine.errors import FactError
from cfdoctor.engine.session import Session
from cfdoctor.i18n import gettext as _


def interview(
    session: Session,
    console: Console,
    lang: str,
    on_answer: Callable[[Session], None] | None = None,
) -> Diagnosis:
    """Ask until the engine stops or the person quits; returns the diagnosis reached.

    `on_answer` runs after every accepted answer (step mode saves the session there, so an
    interrupted interview keeps what was answered). EOF at the prompt counts as quit;
    KeyboardInterrupt reaches the caller.
    """
    unknown, why, how, quit_ = spoken(UNKNOWN), spoken(WHY), spoken(HOW), spoken(QUIT)
    asked = 0
    while True:
        diagnosis = session.diagnosis()
        if diagnosis.question is None:
            return diagnosis
        current = diagnosis.to_dict(lang)
        question = current["next_question"]
        asked += 1
        console.question(question, asked, current)
        while True:
            try:
                text = console.ask().strip()
            except EOFError:
                return diagnosis
            word = text.lower()
            if not word:
                console.empty_answer()
            elif word in why:
                console.why(question, current)
            elif word in how:
                console.how(current)
            elif word in quit_:
                return diagnosis
            else:
                try:
                    session.answer(question["check"], "unknown" if word in unknown else text)
                except FactError as exc:
                    console.invalid_answer(exc.text(_))
                    continue
                if on_answer is not None:
                    on_answer(session)
                break
