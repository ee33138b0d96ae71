"""The only printer of the command line: every word cfdoctor shows a person goes through here.

It renders the JSON-ready dictionaries the engine (Diagnosis.to_dict, question_dict) and
cfdoctor.service.views produce, so the terminal shows exactly what `--json` gives a program, and no
rendering code ever reasons. Knowledge text is printed as plain rich Text, never as markup: a
bracket in a knowledge file cannot restyle or hide output. rich is imported on first use, so
`--json` runs and `--help` do not pay for it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from cfdoctor.cli.words import HOW, KNOW, QUIT, UNKNOWN, WHY, shown
from cfdoctor.engine.errors import CfdoctorError
from cfdoctor.i18n import N_, format_decimal, format_percent, ngettext
from cfdoctor.i18n import current as current_lang
from cfdoctor.i18n import gettext as _

if TYPE_CHECKING:
    from rich.console import Console as RichConsole

Json = Mapping[str, Any]

DETAILED_CAUSES = 3
"""Causes shown with their fixes and dead ends (only the one when the engine is confident)."""
LISTED_CAUSES = 10
"""Further causes listed by title before the rest is summarized as a count."""

EFFECT_LABELS: dict[str, str] = {
    "confirms": N_("confirms"),
    "strong": N_("strong support"),
    "moderate": N_("moderate support"),
    "weak": N_("weak support"),
    "against": N_("weighs against"),
    "strong_against": N_("strongly against"),
    "rules_out": N_("rules out"),
}
STATE_LABELS: dict[str, str] = {
    "confident": N_("One cause stands out."),
    "asking": N_("Not sure yet: answering more questions would narrow it down."),
    "uncertain": N_("No remaining question can change the ranking; these are the candidates."),
    "no-known-cause": N_("None of the known causes fits these facts."),
}
INTAKE_PROMPTS: dict[str, str] = {
    "request.url": N_("The failing URL"),
    "origin.domain": N_("The origin domain name"),
}

TYPE_HINTS: dict[str, str] = {
    "enum": N_("Type the number or the value of your answer."),
    "bool": N_("Answer yes or no."),
    "int": N_("Answer with a whole number."),
    "str": N_("Answer with the text you see."),
}


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""What a terminal obeys instead of showing: C0 (but tab and newline), DEL, C1 (U+009B is a CSI
on its own) and the bidirectional overrides that reorder what a reader sees."""


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control character shown as an escape (`\\x1b`), never sent raw.

    Everything cfdoctor prints can hold what others wrote (evidence, an origin's headers and
    certificates, knowledge, session files), and `ESC ] 0 ;` retitles a terminal, `ESC [ 2 J`
    clears it. Every printing path of this module passes through here."""
    return _CONTROL.sub(_escaped, text)


def _json_safe(text: str) -> str:
    """JSON output with the controls json.dumps leaves raw (DEL, C1, bidi) as \\u escapes."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class OutputClosedError(CfdoctorError):
    """Standard output was closed (`>&-`): what the command had to say would be lost."""

    exit_code = 1


def _stdout() -> TextIO:
    if sys.stdout is None:
        raise OutputClosedError(_("standard output is closed; nothing could be printed"))
    return sys.stdout


def effect_label(effect: str) -> str:
    return _(EFFECT_LABELS[effect]) if effect in EFFECT_LABELS else effect


def value_text(value: Any) -> str:
    """A fact value as a person types it (yes/no, not true/false; JSON-like elsewhere)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


class Console:
    """Prints reports, questions, tables and errors for one run, in the active language."""

    def __init__(self) -> None:
        self._out: RichConsole | None = None

    # -- plumbing -------------------------------------------------------------------------
    @property
    def out(self) -> RichConsole:
        if self._out is None:
            from rich.console import Console as RichConsole

            self._out = RichConsole(highlight=False, file=_stdout())
        return self._out

    def _print(self, text: str, style: str = "", indent: int = 0) -> None:
        """One paragraph of plain text (never markup), wrapped under its indentation."""
        self._wrap(" " * indent, text, style)

    def _line(self, text: str, style: str = "") -> None:
        """One line left to the terminal to fold: for text that tools read line by line."""
        from rich.text import Text

        self.out.print(Text(printable(text), style=style), soft_wrap=True)

    def _item(self, marker: str, text: str, style: str = "", indent: int = 2) -> None:
        """A list item whose wrapped lines hang under its text, not under its marker."""
        self._wrap(" " * indent + marker + " ", text, style)

    def _wrap(self, head: str, text: str, style: str) -> None:
        """Wrap `text` to the terminal, first line after `head`, the others hanging under it."""
        from rich.cells import cell_len
        from rich.text import Text

        hang = cell_len(head)
        for n, line in enumerate(wrap(printable(text), max(self.out.width - hang, 20))):
            self.out.print(
                Text((head if n == 0 else " " * hang) + line, style=style), soft_wrap=True
            )

    def _heading(self, text: str, indent: int = 0) -> None:
        self._print(text, "bold", indent)

    def _bullets(self, items: Iterable[str], indent: int = 2, style: str = "") -> None:
        for item in items:
            self._item("•", item, style, indent)

    def _command(self, run: str, indent: int, note: str = "") -> None:
        """A command on one line, never wrapped, so it can be copied as it is."""
        from rich.text import Text

        line = Text(" " * indent + "$ " + printable(run), style="cyan")
        if note:
            line.append(f"   ({note})", style="dim")
        self.out.print(line, soft_wrap=True)

    # -- machine output and errors --------------------------------------------------------
    def json(self, data: Any) -> None:
        """JSON on stdout for programs: no colour, no wrapping, UTF-8 text kept readable."""
        out = _stdout()
        out.write(_json_safe(json.dumps(data, ensure_ascii=False, indent=2)))
        out.write("\n")
        out.flush()

    def error(self, message: str) -> None:
        """One line on stderr: what went wrong and, where the engine says, what to do."""
        line = printable(" ".join(message.split()))
        label = _("error")
        sys.stderr.write(f"cfdoctor: {label}: {line}\n")
        sys.stderr.flush()

    def interrupted(self) -> None:
        label = _("interrupted")
        sys.stderr.write(f"\ncfdoctor: {label}\n")
        sys.stderr.flush()

    # -- diagnosis ------------------------------------------------------------------------
    def report(self, diagnosis: Json, *, next_hint: bool = False) -> None:
        """The final word: ranked causes with reasoning, fixes, dead ends, sources."""
        self.out.rule(_("Diagnosis"))
        self._context(diagnosis)
        state = diagnosis["state"]
        self._print(_(STATE_LABELS[state]), "bold")
        causes: Sequence[Json] = diagnosis["causes"]
        detailed = 1 if state == "confident" else DETAILED_CAUSES
        for rank, cause in enumerate(causes[:detailed], start=1):
            self.out.print()
            self._cause(cause, rank)
        rest = causes[detailed:]
        if rest:
            self.out.print()
            self._heading(_("Other possible causes"))
            for rank, cause in enumerate(rest[:LISTED_CAUSES], start=detailed + 1):
                self._ranked(rank, cause, 2)
            if len(rest) > LISTED_CAUSES:
                more = _("… and {n} more (see --json)").format(n=len(rest) - LISTED_CAUSES)
                self._print(more, "dim", 2)
        if diagnosis["ruled_out"]:
            self.out.print()
            self._heading(_("Ruled out"))
            for ruled in diagnosis["ruled_out"]:
                because = "; ".join(r["because"] for r in ruled["how"])
                self._item("•", f"{ruled['title']}  [{ruled['id']}]")
                if because:
                    self._print(because, "dim", 4)
        if causes:
            self.out.print()
            self._print(
                _("Not explained by any known cause: {percent}").format(
                    percent=format_percent(diagnosis["unexplained"])
                ),
                "dim",
            )
        question = diagnosis.get("next_question")
        if next_hint and question:
            self.out.print()
            self._print(
                _("Next question to narrow it down ({check}): {question}").format(
                    check=question["check"], question=question["question"]
                ),
                "dim",
            )

    def _context(self, diagnosis: Json) -> None:
        if diagnosis["symptoms"]:
            titles = ", ".join(s["title"] for s in diagnosis["symptoms"])
            self._print(_("Symptoms: {titles}").format(titles=titles))
        by_source: dict[str, list[str]] = {}
        for f in diagnosis["facts"]:
            shown = value_text(f["value"]) if f["value"] is not None else _(UNKNOWN)
            by_source.setdefault(f["source"], []).append(f"{f['fact']} = {shown}")
        if set(by_source) <= {"cli"}:
            for facts in by_source.values():
                self._print(_("Facts: {facts}").format(facts=", ".join(facts)), "dim")
        else:
            self._print(_("Facts, by where each came from:"), "dim")
            for source, facts in by_source.items():
                self._item("•", f"{source_label(source)}: " + ", ".join(facts), "dim")
        for evidence in diagnosis.get("evidence", ()):
            self._evidence(evidence)
        if diagnosis.get("probe"):
            self._probe_steps(diagnosis["probe"], indent=0)

    def _evidence(self, evidence: Json) -> None:
        """One artifact read: what it was taken for, and its findings worth a look."""
        n = len(evidence["facts"])
        facts = ngettext("{n} fact", "{n} facts", n).format(n=n)
        self._print(
            _("Read {file} as {kind}: {facts}").format(
                file=evidence["label"], kind=evidence["kind"], facts=facts
            ),
            "dim",
        )
        for finding in evidence["findings"]:
            if finding["severity"] in ("error", "warning"):
                label = severity_label(finding)
                self._item("•", f"{label}: {finding['message']}", "yellow", 2)

    def _cause(self, cause: Json, rank: int) -> None:
        self._item(f"{rank}.", cause["title"], "bold green" if rank == 1 else "bold", 0)
        confidence = _("Confidence {percent}").format(percent=format_percent(cause["confidence"]))
        self._print(f"{confidence}  ·  {cause['id']}", "bold", 3)
        self._print(cause["summary"], indent=3)
        self._reasoning(cause["how"], indent=3)
        self.cause_details(cause, indent=3)

    def _reasoning(self, how: Sequence[Json], indent: int) -> None:
        self._heading(_("Reasoning"), indent)
        if not how:
            self._print(_("No evidence yet: this is the cause's prior."), "dim", indent + 2)
        for reason in how:
            effect = effect_label(reason["effect"])
            ratio = format_decimal(reason["ratio"])
            # TRANSLATORS: how strongly a rule moved a cause, e.g. "strong support, ×10".
            note = _("{effect}, ×{ratio}").format(effect=effect, ratio=ratio)
            self._item("•", reason["because"] + aside(note), indent=indent + 2)
            uses = ", ".join(fact_use(u) for u in reason["facts"])
            rule = _("rule {rule}").format(rule=reason["rule"])
            self._print(rule + (f": {uses}" if uses else ""), "dim", indent + 4)

    def cause_details(self, cause: Json, indent: int = 0) -> None:
        """Fixes, dead ends and sources, as a diagnosis and `kb show` both present a cause."""
        if cause["fixes"]:
            self._heading(_("Fixes"), indent)
            for n, fix in enumerate(cause["fixes"], start=1):
                rate = _("success rate {percent}").format(
                    percent=format_percent(fix["success_rate"])
                )
                self._item(f"{n}.", fix["title"] + aside(rate), indent=indent + 2)
                for step in fix["steps"]:
                    self._item("-", step, indent=indent + 5)
                for run in fix["commands"]:
                    self._command(run, indent + 5)
                self._print(fix["rate_origin"], "dim", indent + 5)
        if cause["dead_ends"]:
            self._heading(_("Dead ends (do not spend time on these)"), indent)
            for dead in cause["dead_ends"]:
                rate = ""
                if dead["fail_rate"] is not None:
                    percent = format_percent(dead["fail_rate"])
                    rate = aside(_("fails {percent} of the time").format(percent=percent))
                self._item("•", f"{dead['title']}{rate}", indent=indent + 2)
                self._print(dead["why"], "dim", indent + 4)
        readable = {"en", current_lang()}
        if any(s["lang"] in readable for s in cause["sources"]):
            self._heading(_("Sources"), indent)
            self._bullets(
                (
                    (f"{s['title']} " if s["title"] else "") + s["url"]
                    for s in cause["sources"]
                    if s["lang"] in readable
                ),
                indent=indent + 2,
            )

    # -- the conversation -----------------------------------------------------------------
    def ask_intake(self, fact: str) -> str:
        """One optional intake answer; EOFError and KeyboardInterrupt reach the caller."""
        from rich.text import Text

        prompt = INTAKE_PROMPTS[fact]
        return self.out.input(Text(_(prompt) + " " + _("(Enter to skip)") + "> ", style="bold"))

    def question(
        self, question: Json, number: int, diagnosis: Json, values: Mapping[str, str] | None = None
    ) -> None:
        """A question with everything needed to answer it: how to find out, and what to type."""
        self.out.print()
        cost = format_decimal(question["cost_minutes"])
        self.out.rule(
            _("Question {number}").format(number=number)
            + f" · {question['check']} · "
            + _("about {minutes} min").format(minutes=cost)
        )
        causes = diagnosis["causes"]
        if causes and diagnosis["symptoms"]:  # before the symptom is known, priors of every
            lead = causes[0]  # family compete and the "leader" would mean nothing
            self._print(
                _("Leading so far: {title} ({percent})").format(
                    title=lead["title"], percent=format_percent(lead["confidence"])
                ),
                "dim",
            )
        self._print(question["question"], "bold")
        self._print(_("How to read: {text}").format(text=question["how_to_read"]), indent=2)
        if question["commands"]:
            self._heading(_("Commands"), 2)
            for command in question["commands"]:
                platform = command["platform"]
                run = command["run"]
                if values:
                    from cfdoctor.runbook.shell import render_command

                    run = render_command(run, platform, values)
                self._command(run, 4, "" if platform == "any" else platform)
        self._answers(question)

    def _answers(self, question: Json) -> None:
        if question["type"] == "enum":
            self._heading(_("Answers"), 2)
            for n, answer in enumerate(question["answers"], start=1):
                self._item(f"{n:>2}.", f"{answer['value']}  {answer['label']}", indent=4)
        kind = question["type"]
        words = ", ".join(shown(w) for w in (UNKNOWN, WHY, HOW, KNOW, QUIT))
        self._print(_(TYPE_HINTS[kind]), "dim", 2)
        if question.get("coarse_answers"):
            self._print(
                _("If you only know roughly, one of: {values}.").format(
                    values=", ".join(question["coarse_answers"])
                ),
                "dim",
                2,
            )
        self._print(_("Also: {words}").format(words=words), "dim", 2)
        self._print(_("Know something else? Type +NAME=VALUE at any prompt."), "dim", 2)

    def ask(self) -> str:
        """Read one answer; EOFError and KeyboardInterrupt reach the caller."""
        from rich.text import Text

        return self.out.input(Text(_("Your answer") + "> ", style="bold"))

    def volunteerable(self, facts: Sequence[Json]) -> None:
        """What a person can tell without being asked, as +NAME=VALUE."""
        self._heading(_("Facts you can give at any prompt, as +NAME=VALUE:"), 2)
        for fact in facts:
            values = " | ".join(str(v) for v in fact["values"])
            self._item("+", f"{fact['fact']}={values}  {fact['label']}", indent=4)
        self._print(_("`cfdoctor facts` lists every fact."), "dim", 2)

    def invalid_answer(self, message: str) -> None:
        self._print(
            _("That answer does not fit: {reason}. Please answer again.").format(
                reason=message.rstrip(".")
            ),
            "yellow",
            2,
        )

    def empty_answer(self) -> None:
        self._print(_("Please type an answer, or unknown if you cannot find out."), "yellow", 2)

    def why(self, question: Json, diagnosis: Json) -> None:
        """WHY: the causes this question separates, and where the ranking stands."""
        self._heading(_("Why this question?"), 2)
        if question["why"]:
            self._print(_("The answer separates these causes:"), indent=4)
            self._bullets((f"{c['title']}  [{c['id']}]" for c in question["why"]), indent=6)
        bits = format_decimal(question["expected_gain_bits"])
        self._print(
            _("Expected information gain: {bits} bits for about {minutes} min of work.").format(
                bits=bits, minutes=format_decimal(question["cost_minutes"])
            ),
            "dim",
            4,
        )
        self.ranking(diagnosis, indent=4)

    def _ranked(self, rank: int, cause: Json, indent: int) -> None:
        percent = format_percent(cause["confidence"])
        self._item(f"{rank}.", f"{cause['title']}  {percent}  [{cause['id']}]", indent=indent)

    def ranking(self, diagnosis: Json, indent: int = 2) -> None:
        self._heading(_("Current ranking"), indent)
        for rank, cause in enumerate(diagnosis["causes"][:LISTED_CAUSES], start=1):
            self._ranked(rank, cause, indent + 2)

    def how(self, diagnosis: Json) -> None:
        """HOW: the ranking with the rules and facts behind each cause."""
        self._heading(_("How the ranking was reached"), 2)
        causes = diagnosis["causes"][:LISTED_CAUSES]
        for rank, cause in enumerate(causes, start=1):
            if cause["how"]:
                self._ranked(rank, cause, 4)
                self._reasoning(cause["how"], indent=7)
        prior_only = [(rank, c) for rank, c in enumerate(causes, start=1) if not c["how"]]
        if prior_only:
            self._print(_("No evidence yet for these; their confidence is their prior:"), "dim", 4)
            for rank, cause in prior_only:
                self._ranked(rank, cause, 6)

    def step(self, path: str, diagnosis: Json) -> None:
        """Step mode: where the saved conversation stands and how to continue it."""
        question = diagnosis.get("next_question")
        if question is None:
            self.report(diagnosis)
        else:
            self._context(diagnosis)
            self.ranking(diagnosis, indent=0)
            answered = sum(f["source"].startswith("answer:") for f in diagnosis["facts"])
            self.question(question, answered + 1, diagnosis)
            self.out.print()
            self._print(_("Answer with:"), "dim")
            self._command(
                f"cfdoctor diagnose --session {path} --answer {question['check']}=VALUE", 2
            )
        self._print(_("Session saved to {path}").format(path=path), "dim")

    # -- probes and the lab ---------------------------------------------------------------
    def probe_progress(self, event: Json) -> None:
        """One line on stderr per probe step as it starts and ends (no live display)."""
        if event["phase"] == "start":
            line = _("probing {step}…").format(step=event["step"])
        else:
            line = f"{event['step']}: {step_line(event)}"
        self.progress(line)

    def progress(self, text: str) -> None:
        """A plain progress line on stderr (safe while worker processes fork: no threads)."""
        sys.stderr.write(f"cfdoctor: {printable(text)}\n")
        sys.stderr.flush()

    def _probe_steps(self, result: Json, indent: int) -> None:
        t = result["target"]
        self._heading(
            _("Probe of {domain} port {port} ({protocol}), SNI {sni}, Host {host}").format(
                domain=t["domain"],
                port=t["port"],
                protocol=t["protocol"],
                sni=t["sni"],
                host=t["host_header"],
            ),
            indent,
        )
        for step in result["steps"]:
            style = STEP_STYLES.get(step["status"], "")
            self._item("•", f"{step['step']}: {step_line(step)}", style, indent + 2)

    def probe(self, result: Json, short: Json | None, hint: str) -> None:
        """`cfdoctor probe`: each step, each fact with its evidence, then what they suggest
        (`short`, None when the knowledge base could not be loaded) and how to go further."""
        self.out.rule(_("Probe"))
        self._probe_steps(result, 0)
        self.out.print()
        self._heading(_("Facts found"))
        if not result["facts"]:
            self._print(_("None: the probe could not establish any fact."), "dim", 2)
        for f in result["facts"]:
            self._item("•", f"{f['fact']} = {value_text(f['value'])}", "bold", 2)
            self._print(f"{f['evidence']}  ({f['source']})", "dim", 4)
        if result["errors"]:
            self._heading(_("Not established"))
            self._bullets(result["errors"], style="yellow")
        self.out.print()
        self._heading(_("What these facts suggest"))
        if short is not None:
            state = short["state"]
            self._print(_(STATE_LABELS[state]), indent=2)
            for rank, cause in enumerate(short["causes"], start=1):
                self._ranked(rank, cause, 2)
        self._print(_("The full reasoning, with what CloudFront answered the viewer:"), "dim", 2)
        self._command(hint, 4)

    def lab(self, lab: Json) -> None:
        """`cfdoctor lab`: every broken origin and the command that probes it."""
        self.out.rule(_("Broken-origins lab on 127.0.0.1"))
        self._print(
            _("CA bundle (stands in for the public CAs): {path}").format(path=lab["ca_bundle"])
        )
        for origin in lab["origins"]:
            self.out.print()
            self._item("•", f"{origin['fault']}: {origin['title']}", "bold", 0)
            cause = origin["expected_cause"] or _("none: the origin works")
            self._print(
                _("CloudFront would answer {status}; expected cause: {cause}").format(
                    status=origin["viewer_status"], cause=cause
                ),
                "dim",
                2,
            )
            self._command(origin["command"], 2)
        self.out.print()
        self._print(_("The lab runs until you press Ctrl-C."), "bold")

    def lab_stopped(self) -> None:
        self._print(_("Lab stopped."), "dim")

    # -- documents ------------------------------------------------------------------------
    def findings(self, report: Json) -> None:
        """`cfdoctor inspect`: each finding with its severity and JSON path, then the counts."""
        for finding in report["findings"]:
            label = severity_label(finding)
            self._item(
                "•",
                f"{label} [{finding['id']}] {finding['message']}",
                SEVERITY_STYLES[finding["severity"]],
                0,
            )
            self._line("    " + finding["json_path"], "dim")
        counts = report["counts"]
        self._print(
            _("{file}: errors {errors} · warnings {warnings} · notes {notes}").format(
                file=report["config"],
                errors=counts["error"],
                warnings=counts["warning"],
                notes=counts["note"],
            ),
            "bold",
        )

    def document(self, text: str) -> None:
        """A generated document (Markdown, HTML) on stdout exactly as written to a file."""
        out = _stdout()
        text = printable(text)
        out.write(text if text.endswith("\n") else text + "\n")
        out.flush()

    def written(self, paths: Sequence[str]) -> None:
        """The files a command wrote, one per line, so a script can read them."""
        for path in paths:
            self._line(path)

    # -- knowledge base -------------------------------------------------------------------
    def validation(self, result: Json) -> None:
        """`kb validate`: every problem as file:line: field: message (hint), or a summary line.

        Lines are never wrapped: editors and CI annotate them by their `file:line:` prefix.
        """
        for p in result["problems"]:
            where = f"{p['path']}:{p['line']}: " + (f"{p['field']}: " if p["field"] else "")
            self._line(where + p["message"] + (f" ({p['hint']})" if p["hint"] else ""))
        if result["problems"]:
            n = len(result["problems"])
            self._line(ngettext("{n} problem found.", "{n} problems found.", n).format(n=n), "red")
            return
        summary = _(
            "Knowledge base {version} is valid: {facts} facts, {checks} checks, "
            "{symptoms} symptoms, {causes} causes, {rules} rules."
        )
        self._line(summary.format(version=result["kb_version"], **result["counts"]), "green")

    def unit(self, view: Json) -> None:
        """`kb show`: one unit of the knowledge base in the chosen language."""
        kind = view["kind"]
        label = _(KIND_LABELS[kind])
        self.out.rule(f"{label}: {view['id']}")
        getattr(self, f"_unit_{kind}")(view)
        self._print(_("Defined in {origin}").format(origin=view["origin"]), "dim")

    def _conditions(self, when: Json, indent: int) -> None:
        for part, label in (
            ("all", N_("All of")),
            ("any", N_("Any of")),
            ("not", N_("None of")),
        ):
            if when[part]:
                self._print(_(label), indent=indent)
                self._bullets((condition_text(c) for c in when[part]), indent=indent + 2)

    def _unit_cause(self, view: Json) -> None:
        self._print(view["title"], "bold")
        self._print(
            _("Status {status} · evidence grade {grade} · prior {prior}").format(
                status=", ".join(map(str, view["status"])),
                grade=view["grade"],
                prior=format_percent(view["prior"]),
            ),
            "dim",
        )
        self._print(view["summary"])
        self.cause_details(view)
        if view["rules"]:
            self._heading(_("Rules that move it"))
            self._bullets(
                f"{r['id']} ({effect_label(r['effect'])}): {r['because']}" for r in view["rules"]
            )
        self._heading(_("Cases"))
        for polarity, label in (
            ("positive", N_("ranked first")),
            ("negative", N_("not ranked first")),
        ):
            for case in view["cases"][polarity]:
                facts = ", ".join(f"{k} = {value_text(v)}" for k, v in case["facts"].items())
                self._item("•", f"{case['name']} (" + _(label) + f"): {facts}")

    def _unit_check(self, view: Json) -> None:
        self._print(view["question"], "bold")
        self._print(
            _("Settles fact {fact}: {label}").format(fact=view["fact"], label=view["fact_label"])
        )
        self._print(_("How to read: {text}").format(text=view["how_to_read"]), indent=2)
        if view["commands"]:
            self._heading(_("Commands"), 2)
            for command in view["commands"]:
                platform = command["platform"]
                self._command(command["run"], 4, "" if platform == "any" else platform)
        self._values(view["answers"], 2)
        minutes = format_decimal(view["cost_minutes"])
        self._print(_("Cost: about {minutes} min").format(minutes=minutes), "dim")

    def _unit_symptom(self, view: Json) -> None:
        self._print(view["title"], "bold")
        self._print(view["description"])
        self._heading(_("When"))
        self._conditions(view["when"], 2)
        self._heading(_("Causes"))
        self._bullets(f"{c['title']}  [{c['id']}]" for c in view["causes"])

    def _unit_rule(self, view: Json) -> None:
        self._print(view["because"], "bold")
        self._heading(_("When"))
        self._conditions(view["when"], 2)
        self._heading(_("Then"))
        self._bullets(f"{a['fact']} = {value_text(a['value'])}" for a in view["asserts"])
        self._bullets(f"{e['cause']}: {effect_label(e['effect'])}" for e in view["effects"])

    def _unit_fact(self, view: Json) -> None:
        self._print(view["label"], "bold")
        kind = _("derived by rules") if view["derived"] else _("observed")
        self._print(_("Type: {type} · {kind}").format(type=view["type"], kind=kind))
        self._values(view["values"], 0)
        settled = [*view["checks"], *view["providers"]]
        if settled:
            self._print(_("Settled by: {list}").format(list=", ".join(settled)))
        if view["rules"]:
            self._print(_("Used by rules: {list}").format(list=", ".join(view["rules"])), "dim")

    def _values(self, values: Sequence[Json], indent: int) -> None:
        if values:
            self._heading(_("Values"), indent)
            for n, v in enumerate(values, start=1):
                self._item(f"{n:>2}.", f"{value_text(v['value'])}  {v['label']}", indent=indent + 2)

    def stats(self, stats: Json) -> None:
        """`kb stats`: coverage of the knowledge base at a glance."""
        from rich.table import Table

        counts = stats["counts"]
        self._print(
            _(
                "Knowledge base {version}: {causes} causes, {rules} rules, "
                "{checks} checks, {facts} facts."
            ).format(version=stats["kb_version"], **counts),
            "bold",
        )
        table = Table()
        table.add_column(_("Status"))
        table.add_column(_("Causes"), justify="right")
        for status, n in stats["causes_by_status"].items():
            table.add_row(printable(status), str(n))
        self._heading(_("Causes per status code"))
        self.out.print(table)
        table = Table()
        table.add_column(_("Language"))
        for column in (_("Text fields"), _("Translated"), _("Same as English")):
            table.add_column(column, justify="right")
        for lang, t in stats["translations"].items():
            same = str(len(t["same_as_en"]))
            table.add_row(lang, str(t["fields"]), format_percent(t["complete"]), same)
        self._heading(_("Translations"))
        self.out.print(table)
        for lang, t in stats["translations"].items():
            if t["same_as_en"]:
                review = _("{lang}: identical to English, please review:").format(lang=lang)
                self._print(review, "yellow")
                self._bullets(
                    (f"{s['unit']} {s['field']}: {s['text']}" for s in t["same_as_en"]), style="dim"
                )
        table = Table()
        table.add_column(_("Cause"), no_wrap=True)
        for column in (_("Status"), _("Grade"), "+", "−"):
            table.add_column(column)
        for c in stats["causes"]:
            status = ", ".join(map(str, c["status"]))
            table.add_row(
                *map(
                    printable, (c["id"], status, c["grade"], str(c["positive"]), str(c["negative"]))
                )
            )
        self._heading(_("Causes: evidence grade, positive (+) and negative (−) test cases"))
        self.out.print(table)
        grades = ", ".join(f"{g}: {n}" for g, n in stats["grades"].items())
        legend = _("Evidence grades (D stated by AWS, C community, I inferred): {grades}")
        self._print(legend.format(grades=grades), "dim")

    def facts(self, facts: Sequence[Json]) -> None:
        """`cfdoctor facts`: the vocabulary, and what settles each fact."""
        for f in facts:
            kind = f"{f['type']}, " + _("derived") if f["derived"] else f["type"]
            head = f"{f['name']}  ({kind})"
            self._print(head, "bold")
            self._print(f["label"], indent=2)
            if f["values"]:
                values = ", ".join(value_text(v["value"]) for v in f["values"])
                self._print(_("Values: {list}").format(list=values), "dim", 2)
            settled = ", ".join([*f["checks"], *f["providers"]])
            if f["derived"]:
                settled = _("rules: {list}").format(list=", ".join(f["rules"]))
            if settled:
                self._print(_("Settled by: {list}").format(list=settled), "dim", 2)


SEVERITY_LABELS: dict[str, str] = {
    "error": N_("error"),
    "warning": N_("warning"),
    "note": N_("note"),
}
SEVERITY_STYLES: dict[str, str] = {"error": "bold red", "warning": "yellow", "note": ""}
STEP_STYLES: dict[str, str] = {"ok": "green", "failed": "red", "refused": "red", "skipped": "dim"}
STEP_STATUS: dict[str, str] = {
    "ok": N_("ok"),
    "failed": N_("failed"),
    "skipped": N_("skipped"),
    "refused": N_("refused"),
}


def severity_label(finding: Json) -> str:
    severity = finding["severity"]
    return _(SEVERITY_LABELS[severity])


def step_line(step: Json) -> str:
    """`ok, 12 ms: resolves: 127.0.0.1` for a probe step or its progress event."""
    raw = str(step["status"])
    status = _(STEP_STATUS[raw]) if raw in STEP_STATUS else raw
    if step["status"] == "skipped":
        return f"{status}: {step['detail']}"
    ms = format_decimal(round(step["seconds"] * 1000))
    return _("{status}, {ms} ms: {detail}").format(status=status, ms=ms, detail=step["detail"])


def source_label(source: str) -> str:
    """Where a fact came from, as a person reads it (the JSON keeps the raw source)."""
    kind, _sep, rest = source.partition(":")
    if source == "cli":
        return _("command line")
    if kind == "answer":
        return _("answer to {check}").format(check=rest)
    if kind == "evidence":
        return _("file {file}").format(file=rest)
    if kind == "probe":
        return _("probe ({step})").format(step=rest)
    return source


KIND_LABELS: dict[str, str] = {
    "cause": N_("Cause"),
    "check": N_("Check"),
    "symptom": N_("Symptom"),
    "rule": N_("Rule"),
    "fact": N_("Fact"),
}

_OPS: dict[str, str] = {
    "eq": "=",
    "ne": "≠",
    "in": "∈",
    "not_in": "∉",
    "gt": ">",
    "gte": "≥",
    "lt": "<",
    "lte": "≤",
}


_NO_LINE_START = frozenset(
    "、。，．）」』】〕〉》・：；！？ー々ぁぃぅぇぉっゃゅょァィゥェォッャュョ%）]"
)
_NO_LINE_END = frozenset("（「『【〔〈《")


def _wide(char: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(char) in ("W", "F")


def _tokens(text: str) -> list[str]:
    """Breakable pieces: a Latin word with its trailing spaces, or one CJK character.

    Closing punctuation sticks to what precedes it and opening punctuation to what follows,
    so no line starts with "。" or ends with "（" (the basic kinsoku rule).
    """
    tokens: list[str] = []
    glue = False
    for char in text:
        if not tokens:
            tokens.append(char)
        elif glue or char in _NO_LINE_START or char.isspace():
            tokens[-1] += char
        elif _wide(char) or _wide(tokens[-1][-1]) or tokens[-1][-1].isspace():
            tokens.append(char)
        else:
            tokens[-1] += char
        glue = char in _NO_LINE_END
    return tokens


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` terminal cells, breaking between words and CJK characters."""
    from rich.cells import cell_len

    lines: list[str] = []
    line = ""
    for token in _tokens(text.strip()):
        if line and cell_len((line + token).rstrip()) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
        while cell_len(line.rstrip()) > width:  # one word longer than a line (a URL)
            cut = width
            while cell_len(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def aside(text: str) -> str:
    """A parenthetical after a title, in the language's own brackets: `  (…)`, `（…）`."""
    # TRANSLATORS: a remark after a title; use your language's brackets (and spacing).
    return _("  ({text})").format(text=text)


def fact_use(use: Json) -> str:
    """`fact = value`, saying which rule derived it when a rule did."""
    text = f"{use['fact']} = {value_text(use['value'])}"
    if "derived_by" in use:
        text += aside(_("derived by {rule}").format(rule=use["derived_by"]))
    return text


def condition_text(condition: Json) -> str:
    value = condition["value"]
    if isinstance(value, list):
        shown = "{" + ", ".join(map(value_text, value)) + "}"
    else:
        shown = value_text(value)
    return f"{condition['fact']} {_OPS[condition['op']]} {shown}"
