"""Markdown for pieces of knowledge that runbooks and diagnosis reports both show.

A cause reads the same wherever it appears (explanation, evidence grade, fixes with success
rates, dead ends, sources), and a command is always rendered shell-safe by the same code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from cfdoctor.engine.model import Cause, Check, Command, KnowledgeBase, Value
from cfdoctor.runbook.labels import Answer, value_answer
from cfdoctor.runbook.mdtext import code_span, fence, heading, indent, inline, web_link
from cfdoctor.runbook.shell import (
    placeholders,
    render_command,
    shell_of,
    variable,
    variable_lines,
)
from cfdoctor.runbook.strings import N_, Strings

GRADES: dict[str, str] = {
    "D": N_("stated in AWS documentation"),
    "C": N_("observed by the community: re:Post, forums, blog posts"),
    "I": N_("inferred from documented behaviour"),
}
PLATFORMS: dict[str, str] = {"linux": "Linux", "macos": "macOS", "windows": "Windows (PowerShell)"}
FENCE_INFO = {"sh": "sh", "powershell": "powershell"}


def cause_anchor(cause_id: str) -> str:
    return f"cause-{cause_id}"


def check_anchor(check_id: str) -> str:
    return f"check-{check_id}"


def answer_md(answer: Answer, s: Strings) -> str:
    if not answer.label:
        return code_span(answer.code or "")
    return inline(answer.label) + (s.paren(code_span(answer.code)) if answer.code else "")


def value_md(kb: KnowledgeBase, fact_name: str, value: Value | None, s: Strings) -> str:
    """A fact's value as a reader knows it: yes/no, the value's label, or the literal value."""
    return answer_md(value_answer(kb, fact_name, value, s), s)


def fact_md(kb: KnowledgeBase, fact_name: str, s: Strings) -> str:
    fact = kb.facts.get(fact_name)
    return inline(fact.label.get(s.lang)) if fact is not None else code_span(fact_name)


def commands_md(
    commands: Iterable[Command], s: Strings, values: Mapping[str, str] | None
) -> list[str]:
    """One fenced block per command, labelled with its platform when it is not for any."""
    blocks: list[str] = []
    for command in commands:
        shell = shell_of(command.platform)
        label = PLATFORMS.get(command.platform.lower())
        if label is None and command.platform.lower() != "any":
            label = command.platform
        if label:
            blocks.append(s._("On {platform}:").format(platform=inline(label)))
        text = render_command(command.run, command.platform, values)
        blocks.append(fence(text, FENCE_INFO[shell]))
    return blocks


def variables_md(
    commands: Iterable[Command], s: Strings, values: Mapping[str, str] | None
) -> list[str]:
    """The "set these variables" blocks for every placeholder the commands use without a value."""
    given = values or {}
    by_shell: dict[str, list[str]] = {}
    for command in commands:
        names = by_shell.setdefault(shell_of(command.platform), [])
        names.extend(n for n in placeholders(command.run) if n not in given and n not in names)
    blocks: list[str] = []
    if by_shell.get("sh"):
        blocks.append(s._("Set these shell variables first; the commands read them:"))
        blocks.append(fence(variable_lines(sorted(by_shell["sh"], key=variable), "sh"), "sh"))
    if by_shell.get("powershell"):
        blocks.append(s._("In PowerShell, set them like this:"))
        names = sorted(by_shell["powershell"], key=variable)
        blocks.append(fence(variable_lines(names, "powershell"), "powershell"))
    return blocks


def grade_md(grade: str, s: Strings) -> str:
    meaning = s._(GRADES[grade]) if grade in GRADES else ""
    label = s._("Evidence grade")
    return f"**{s.label(label)}** {grade}" + (f" — {meaning}" if meaning else "")


def grades_legend(s: Strings) -> list[str]:
    return ["\n".join(f"- **{s.label(g)}** {s._(text)}" for g, text in GRADES.items())]


def language_name(code: str, s: Strings) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(s.locale).languages.get(code, code))
    except (ValueError, UnknownLocaleError):
        return code


def fixes_md(cause: Cause, s: Strings, values: Mapping[str, str] | None) -> list[str]:
    """Fixes as an ordered list, each with its success rate, its steps and its commands."""
    items: list[str] = []
    for n, fix in enumerate(cause.fixes, 1):
        marker = f"{n}. "
        rate = s._("success rate {rate}").format(rate=s.percent(fix.success_rate))
        origin = inline(fix.rate_origin.get(s.lang))
        head = f"**{s.label(inline(fix.title.get(s.lang)))}** {rate}"
        head += s.paren(origin) if origin else ""
        body: list[str] = []
        if fix.steps:
            body.append(
                "\n".join(f"{i}. {inline(step.get(s.lang))}" for i, step in enumerate(fix.steps, 1))
            )
        body.extend(commands_md((Command(c) for c in fix.commands), s, values))
        text = marker + head
        if body:
            text += "\n\n" + indent("\n\n".join(body), len(marker))
        items.append(text)
    return ["\n\n".join(items)] if items else []


def dead_ends_md(cause: Cause, s: Strings) -> list[str]:
    lines: list[str] = []
    for dead in cause.dead_ends:
        line = f"- **{s.label(inline(dead.title.get(s.lang)))}** {inline(dead.why.get(s.lang))}"
        if dead.fail_rate is not None:
            rate = s._("fails {rate} of the time").format(rate=s.percent(dead.fail_rate))
            origin = inline(dead.rate_origin.get(s.lang)) if dead.rate_origin else ""
            line += s.paren(s.pair(rate, origin) if origin else rate)
        lines.append(line)
    return ["\n".join(lines)] if lines else []


def sources_md(cause: Cause, s: Strings) -> list[str]:
    lines = [
        f"- {web_link(src.title, src.url)}{s.paren(inline(language_name(src.lang, s)))}"
        for src in cause.sources
    ]
    return ["\n".join(lines)] if lines else []


def cause_md(
    cause: Cause,
    s: Strings,
    level: int,
    values: Mapping[str, str] | None,
    *,
    title_prefix: str = "",
    extra: Sequence[str] = (),
) -> list[str]:
    """A cause's full section: heading with its anchor, explanation, grade, then the lists."""
    blocks = [
        heading(level, title_prefix + inline(cause.title.get(s.lang)), cause_anchor(cause.id)),
        inline(cause.summary.get(s.lang)),
        *extra,
        grade_md(cause.grade, s),
    ]
    for title, body in (
        (s._("Fixes"), fixes_md(cause, s, values)),
        (s._("Dead ends"), dead_ends_md(cause, s)),
        (s._("Sources"), sources_md(cause, s)),
    ):
        if body:
            blocks.append(heading(level + 1, title))
            blocks.extend(body)
    return blocks


def check_md(
    check: Check,
    s: Strings,
    level: int,
    values: Mapping[str, str] | None,
    *,
    number: int | None = None,
    extra: Sequence[str] = (),
) -> list[str]:
    """A check: its question as heading (with anchor), effort, commands and how to read them."""
    title = inline(check.question.get(s.lang))
    blocks = [heading(level, f"{number}. {title}" if number else title, check_anchor(check.id))]
    minutes = s.n_("about {n} minute", "about {n} minutes", max(1, round(check.cost)))
    blocks.append(
        s._("Check {id}").format(id=code_span(check.id))
        + " · "
        + minutes.format(n=s.number(check.cost))
    )
    blocks += extra
    blocks += commands_md(check.commands, s, values)
    how = s._("How to read the output")
    blocks.append(f"**{s.label(how)}** {inline(check.how_to_read.get(s.lang))}")
    return blocks
