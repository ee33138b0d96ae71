"""Write the runbooks to disk: Markdown files, or a static HTML site that works from a folder.

Layout (``<fmt>`` is ``md`` or ``html``)::

    out/index.<fmt>            every language's list of runbooks
    out/style.css              (html) the one stylesheet, no fonts or scripts fetched
    out/<lang>/index.<fmt>     one language's list
    out/<lang>/<symptom>.<fmt> one runbook

Links are relative, so the folder can be opened from disk, zipped, or served as it is. Each
symptom's flow is derived once and shared by every language and format.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Literal

from cfdoctor.engine.errors import CfdoctorError
from cfdoctor.engine.model import KnowledgeBase
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.runbook.build import FLOW_ANCHOR, build_index, build_runbook
from cfdoctor.runbook.diagram import flow_html
from cfdoctor.runbook.flow import Flow, start_facts
from cfdoctor.runbook.flowcache import cached_flow
from cfdoctor.runbook.render import Link, page, render_body, render_page, stylesheet
from cfdoctor.runbook.strings import LANGS, strings

Format = Literal["md", "html"]
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "ja": "日本語", "zh": "简体中文"}
"""Each language in its own script, as a language switcher shows it."""


class RunbookError(CfdoctorError):
    """A runbook request that cannot be served (unknown symptom, language or format)."""

    exit_code = 2


def symptom_codes(reasoner: Reasoner) -> dict[str, tuple[int, ...]]:
    """Status codes that select each symptom: the numbers among its starting facts."""
    return {
        sid: tuple(
            v
            for v in start_facts(reasoner, symptom).values()
            if isinstance(v, int) and not isinstance(v, bool)
        )
        for sid, symptom in sorted(reasoner.kb.symptoms.items())
    }


def resolve_targets(reasoner: Reasoner, targets: Sequence[str]) -> list[str]:
    """Symptom ids for the user's targets (ids or status codes); empty means every symptom."""
    codes = symptom_codes(reasoner)
    if not targets:
        return list(codes)
    chosen: list[str] = []
    for target in targets:
        wanted = target.strip()
        if wanted in codes:
            found = [wanted]
        elif wanted.isdigit():
            found = [sid for sid, nums in codes.items() if int(wanted) in nums]
        else:
            found = []
        if not found:
            known = ", ".join(
                f"{sid} ({'/'.join(map(str, nums))})" if nums else sid
                for sid, nums in codes.items()
            )
            raise RunbookError(f"unknown symptom or status '{target}'; known: {known or 'none'}")
        chosen.extend(f for f in found if f not in chosen)
    return chosen


def resolve_langs(langs: Sequence[str]) -> list[str]:
    """Languages to write: `all` or empty means every one; anything else must be supported."""
    if not langs or "all" in langs:
        return list(LANGS)
    out: list[str] = []
    for lang in langs:
        if lang not in LANGS:
            raise RunbookError(
                f"unsupported language '{lang}'; choose from: {', '.join(LANGS)}, all"
            )
        if lang not in out:
            out.append(lang)
    return out


def build_date() -> dt.date:
    """Today, or SOURCE_DATE_EPOCH's day for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def _write(
    path: Path, text: str, written: list[Path], progress: Callable[[str], None] | None
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    written.append(path)
    if progress is not None:
        progress(str(path))


def write_runbooks(
    reasoner: Reasoner,
    targets: Sequence[str],
    langs: Sequence[str],
    fmt: Format,
    out_dir: Path,
    progress: Callable[[str], None] | None = None,
    *,
    generated: dt.date | None = None,
    values: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write the runbooks of `targets` (symptom ids or status codes; empty: all) in `langs`
    (`en`, `ja`, `zh`, or `all`) as `fmt` under `out_dir`; returns the files written.

    Raises RunbookError (exit code 2) naming the known symptoms or languages.
    """
    if fmt not in ("md", "html"):
        raise RunbookError(f"unsupported format '{fmt}'; choose md or html")
    symptom_ids = resolve_targets(reasoner, targets)
    languages = resolve_langs(langs)
    kb = reasoner.kb
    day = generated or build_date()
    flows = [cached_flow(reasoner, sid) for sid in symptom_ids]
    written: list[Path] = []
    out = Path(out_dir)
    if fmt == "html":
        _write(out / "style.css", stylesheet(), written, progress)
    for lang in languages:
        for flow in flows:
            text = build_runbook(flow, kb, lang, generated=day, values=values)
            name = f"{flow.symptom.id}.{fmt}"
            if fmt == "html":
                text = _runbook_page(text, flow, kb, lang, languages)
            _write(out / lang / name, text, written, progress)
        index = build_index(flows, kb, lang, suffix=f".{fmt}", generated=day)
        if fmt == "html":
            index = _index_page(index, lang, languages)
        _write(out / lang / f"index.{fmt}", index, written, progress)
    landing = _landing(flows, kb, languages, fmt, day)
    _write(out / f"index.{fmt}", landing, written, progress)
    return written


def _switcher(languages: Sequence[str], lang: str, name: str) -> list[Link]:
    return [
        Link(LANGUAGE_NAMES[other], f"../{other}/{name}", other, current=other == lang)
        for other in languages
    ]


def _runbook_page(
    text: str, flow: Flow, kb: KnowledgeBase, lang: str, languages: Sequence[str]
) -> str:
    s = strings(lang)
    return render_page(
        text,
        lang,
        stylesheet_href="../style.css",
        home=Link(s._("All runbooks"), "index.html"),
        languages=_switcher(languages, lang, f"{flow.symptom.id}.html"),
        languages_label=s._("Language"),
        replace={FLOW_ANCHOR: flow_html(flow, kb, lang)},
    )


def _index_page(text: str, lang: str, languages: Sequence[str]) -> str:
    s = strings(lang)
    return render_page(
        text,
        lang,
        stylesheet_href="../style.css",
        home=Link("cfdoctor", "../index.html"),
        languages=_switcher(languages, lang, "index.html"),
        languages_label=s._("Language"),
    )


def _landing(
    flows: Sequence[Flow], kb: KnowledgeBase, languages: Sequence[str], fmt: Format, day: dt.date
) -> str:
    """Every language's list on one page, each section marked with its language."""
    sections = [
        (
            lang,
            build_index(
                flows, kb, lang, suffix=f".{fmt}", link_prefix=f"{lang}/", level=2, generated=day
            ),
        )
        for lang in languages
    ]
    title = "cfdoctor: " + " / ".join(
        strings(lang)._("CloudFront troubleshooting runbooks") for lang in languages
    )
    if fmt == "md":
        return f"# {title}\n\n" + "\n".join(text for _, text in sections)
    body = f"<h1>{escape(title)}</h1>\n" + "".join(
        f'<section lang="{escape(lang_tag(lang))}">\n{render_body(text)}</section>\n'
        for lang, text in sections
    )
    links = [Link(LANGUAGE_NAMES[lang], f"#lang-{lang}", lang) for lang in languages]
    return page(body, title, "en", stylesheet_href="style.css", languages=links)


def lang_tag(lang: str) -> str:
    from cfdoctor.runbook.render import HTML_LANG

    return HTML_LANG.get(lang, lang)
