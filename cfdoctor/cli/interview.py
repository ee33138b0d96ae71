"""The interactive conversation: ask the engine's next question until it has no more.

The engine chooses the questions and parses the answers; this loop only relays them and lets
the person ask WHY (the causes a question separates) and HOW (the reasoning behind the ranking)
at any prompt, and volunteer anything else they know (+NAME=VALUE; KNOW lists what they can give).
"""

from __future__ import annotations

from collections.abc import Callable

from cfdoctor.cli.console import Console
from cfdoctor.cli.words import HOW, KNOW, QUIT, UNKNOWN, WHY, spoken
from cfdoctor.engine.diagnosis import Diagnosis, Json
from cfdoctor.engine.errors import FactError
from cfdoctor.engine.session import Session
from cfdoctor.i18n import gettext as _
from cfdoctor.runbook.values import command_values

VOLUNTEER_COST = 1.0
"""Minutes: facts this easy to know are offered when the person types KNOW."""

INTAKE = ("request.url", "origin.domain")
"""Asked once, first, and optional: every command afterwards comes filled in with them."""


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
    know = spoken(KNOW)
    try:
        _intake(session, console, on_answer)
    except EOFError:
        return session.diagnosis()
    asked = 0
    while True:
        diagnosis = session.diagnosis()
        if diagnosis.question is None:
            return diagnosis
        current = diagnosis.to_dict(lang)
        question = current["next_question"]
        asked += 1
        console.question(question, asked, current, command_values(session.facts))
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
            elif word in know:
                console.volunteerable(volunteerable(session, lang))
            elif text.startswith("+"):
                name, _equals, value = text[1:].partition("=")
                try:
                    session.observe(name.strip(), value.strip(), source="volunteered")
                except FactError as exc:
                    console.invalid_answer(exc.text(_))
                    continue
                if on_answer is not None:
                    on_answer(session)
                break  # the next question may have changed
            else:
                try:
                    session.answer(question["check"], _chosen(question, text, word, unknown))
                except FactError as exc:
                    console.invalid_answer(exc.text(_))
                    continue
                if on_answer is not None:
                    on_answer(session)
                break


def _chosen(question: Json, text: str, word: str, unknown: frozenset[str]) -> str:
    """The answer typed, with a number standing for the answer listed at that position."""
    if word in unknown:
        return "unknown"
    answers = question["answers"]
    if question["type"] == "enum" and word.isdigit() and 1 <= int(word) <= len(answers):
        return str(answers[int(word) - 1]["value"])
    return text


def volunteerable(session: Session, lang: str) -> list[Json]:
    """Facts a person can still give that are known at a glance or in the console (the checks of
    a minute or less), easiest first; `cfdoctor facts` lists every fact."""
    kb = session.reasoner.kb
    settled = session.settled | set(session.facts)
    checks = sorted(
        (c for c in kb.checks.values() if c.cost <= VOLUNTEER_COST), key=lambda c: (c.cost, c.fact)
    )
    out: list[Json] = []
    for check in checks:
        fact = kb.facts[check.fact]
        if fact.name in settled or any(o["fact"] == fact.name for o in out):
            continue
        out.append(
            {
                "fact": fact.name,
                "label": fact.label.get(lang),
                "values": list(fact.value_ids) if fact.type == "enum" else [fact.type],
            }
        )
    return out


def _intake(
    session: Session, console: Console, on_answer: Callable[[Session], None] | None
) -> None:
    """The failing URL and the origin's domain, unless already known; Enter skips."""
    for name in INTAKE:
        if name in session.settled:
            continue
        text = console.ask_intake(name).strip()
        if not text:
            continue
        session.observe(name, text, source="intake")
        if on_answer is not None:
            on_answer(session)
