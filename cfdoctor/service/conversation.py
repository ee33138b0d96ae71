"""What every front-end offers, in one place: diagnosis conversations and the tools around them.

The CLI, the HTTP API and the MCP server adapt this to their own shapes and none of them reasons.
A conversation is a session plus the language its answers come in; it travels as a small
JSON-ready state (`Conversation.to_state`), so servers may keep it, sign it or share it.

Input from another process is untrusted: evidence is only ever text (never a path to open on
this host), every size is bounded by `Limits`, and probes run under the caller's address policy.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cfdoctor.engine.errors import CfdoctorError, SessionError
from cfdoctor.engine.model import LANGS

if TYPE_CHECKING:
    from cfdoctor.engine.reasoner import Reasoner
    from cfdoctor.engine.session import Session
    from cfdoctor.evidence import Evidence
    from cfdoctor.probes import AddressPolicy

Json = dict[str, Any]


class LimitError(CfdoctorError):
    """A request larger than the service accepts (evidence, facts, session size)."""

    exit_code = 2


class NotFoundError(CfdoctorError):
    """An id that names nothing in the knowledge base."""

    exit_code = 2


@dataclass(frozen=True)
class Limits:
    """Bounds on the work one request may cause; defaults suit a public server."""

    evidence_bytes: int = 1 << 20
    """All evidence texts of one request together."""
    evidence_items: int = 8
    facts_per_request: int = 200
    session_inputs: int = 400
    """Facts and answers one session may hold (a session is replayed on every step)."""
    value_chars: int = 4096
    """One fact value given as text."""
    probe_connect_timeout: float = 10.0
    probe_read_timeout: float = 30.0


@dataclass
class Conversation:
    session: Session
    lang: str

    def to_state(self) -> Json:
        """JSON-ready, restorable with `DiagnosisService.restore` (the session keeps its digest)."""
        return {"lang": self.lang, "session": self.session.to_dict()}


def check_lang(lang: str | None) -> str:
    """A supported language (en, ja, zh) from an identifier such as `ja-JP`; en when none."""
    if not lang:
        return "en"
    from cfdoctor.i18n import negotiate

    chosen = negotiate(lang)
    if chosen is None or chosen not in LANGS:
        raise LimitError(f"unsupported language '{lang}'; choose one of: {', '.join(LANGS)}")
    return chosen


def as_text(raw: str) -> str:
    """Evidence text that the loaders can only take as text: a one-line string might otherwise
    name a file on this host (or `-`, its stdin), and a stranger's text must never do that."""
    return raw if "\n" in raw else raw + "\n"


class DiagnosisService:
    """The operations of issue 11 over one shared Reasoner; safe to share between threads."""

    def __init__(
        self, reasoner: Reasoner, limits: Limits | None = None, cache_size: int = 256
    ) -> None:
        self.reasoner = reasoner
        self.limits = limits or Limits()
        self._diagnoses: OrderedDict[Hashable, Json] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    # -- conversations --------------------------------------------------------------------
    def start(
        self,
        facts: Mapping[str, Any] | None = None,
        evidence: Sequence[str] = (),
        lang: str | None = None,
        *,
        path: str | None = None,
    ) -> tuple[Conversation, list[Evidence]]:
        """A new conversation from known facts and pasted evidence text (all or nothing)."""
        from cfdoctor.engine.session import Session

        conversation = Conversation(Session(self.reasoner), check_lang(lang))
        read = self.add_evidence(conversation, evidence, path=path)
        self.add_facts(conversation, facts or {})
        return conversation, read

    def restore(self, state: Any) -> Conversation:
        """A conversation back from `Conversation.to_state` (SessionError if it is not one)."""
        from cfdoctor.engine.session import Session

        if not isinstance(state, dict) or not isinstance(state.get("lang"), str):
            raise SessionError("not a cfdoctor conversation state")
        data = state.get("session")
        inputs = data.get("inputs") if isinstance(data, dict) else None
        if isinstance(inputs, list) and len(inputs) > self.limits.session_inputs:
            raise LimitError(f"the session holds more than {self.limits.session_inputs} inputs")
        return Conversation(Session.from_dict(self.reasoner, data), check_lang(state["lang"]))

    def add_facts(self, conversation: Conversation, facts: Mapping[str, Any]) -> None:
        """Facts the user knows, all or nothing; text is parsed to each fact's type."""
        if len(facts) > self.limits.facts_per_request:
            raise LimitError(f"more than {self.limits.facts_per_request} facts in one request")
        for name, value in facts.items():
            self._check_value(name, value)
        self._room_for(conversation, facts)
        conversation.session.observe_many(facts.items(), source="api")

    def answer(self, conversation: Conversation, check: str, value: Any) -> None:
        """Answer a check (yes / no / a value / "unknown" or None)."""
        self._check_value(check, value)
        known = self.reasoner.kb.checks.get(check)
        self._room_for(conversation, {known.fact if known else check: value})
        conversation.session.answer(check, value)

    def add_evidence(
        self, conversation: Conversation, texts: Sequence[str], *, path: str | None = None
    ) -> list[Evidence]:
        """Pasted evidence text into the session, all or nothing."""
        if not texts:
            return []
        from cfdoctor.service.documents import ingest_sources

        self._check_evidence(texts)
        before = len(conversation.session.inputs)
        evidence = ingest_sources(conversation.session, [as_text(t) for t in texts], path)
        if len(conversation.session.inputs) > self.limits.session_inputs:
            raise LimitError(
                f"the evidence would take the session past {self.limits.session_inputs} inputs"
                f" (it held {before})"
            )
        return evidence

    def next_question(self, conversation: Conversation) -> Json | None:
        from cfdoctor.engine.diagnosis import question_dict

        question = conversation.session.next_question()
        if question is None:
            return None
        return question_dict(self.reasoner.kb, question, conversation.lang)

    def diagnosis(self, conversation: Conversation, *, with_question: bool = True) -> Json:
        """The same JSON as `cfdoctor diagnose --json`: ranked causes and the next question.

        A diagnosis depends only on the session's inputs and language, and conversations
        follow common paths (the first steps above all), so the last few are kept, shared
        between sessions: callers must not modify the dictionary they get.
        """
        inputs = tuple((i.fact, i.value, i.source) for i in conversation.session.inputs)
        key = (inputs, conversation.lang, with_question)
        with self._lock:
            cached = self._diagnoses.get(key)
            if cached is not None:
                self._diagnoses.move_to_end(key)
                return cached
        diagnosis = conversation.session.diagnosis(with_question=with_question)
        result = diagnosis.to_dict(conversation.lang)
        with self._lock:
            self._diagnoses[key] = result
            while len(self._diagnoses) > self._cache_size:
                self._diagnoses.popitem(last=False)
        return result

    def report(self, conversation: Conversation, fmt: str = "md") -> str:
        """The single-diagnosis report for a ticket, Markdown or self-contained HTML."""
        from cfdoctor.service.documents import REPORT_FORMATS, report_text

        if fmt not in REPORT_FORMATS:
            raise LimitError(f"unsupported report format '{fmt}'; choose md or html")
        diagnosis = conversation.session.diagnosis(with_question=False)
        return report_text(diagnosis, conversation.lang, fmt)

    # -- tools ----------------------------------------------------------------------------
    def parse_evidence(
        self, texts: Sequence[str], lang: str | None = None, *, path: str | None = None
    ) -> list[Json]:
        """What the evidence says (kind, facts, findings), without a session."""
        from cfdoctor.evidence import parse_all

        self._check_evidence(texts)
        chosen = check_lang(lang)
        return [ev.to_dict(chosen) for ev in parse_all([as_text(t) for t in texts], path=path)]

    def inspect(
        self,
        config: Any,
        lang: str | None = None,
        *,
        path: str | None = None,
        policies: Sequence[Any] = (),
    ) -> Json:
        """Lint a distribution config (parsed JSON): findings with severity and JSON path."""
        from cfdoctor.evidence import findings_json, inspect
        from cfdoctor.evidence.model import Context

        chosen = check_lang(lang)
        context = Context(path=path, policies=tuple(policies))
        return {"path": path, **findings_json(inspect(config, context=context), chosen)}

    def explain(self, uid: str, lang: str | None = None) -> list[Json]:
        """A cause (or check, symptom, rule, fact) as the knowledge base describes it."""
        from cfdoctor.service import views

        found = views.find_units(self.reasoner.kb, uid, check_lang(lang))
        if not found:
            close = views.close_ids(self.reasoner.kb, uid)
            hint = f"; similar: {', '.join(close)}" if close else ""
            raise NotFoundError(f"unknown id '{uid}'{hint}")
        return found

    def runbook(self, symptom: str, lang: str | None = None) -> str:
        """The troubleshooting runbook of one symptom, Markdown (derived once, then cached)."""
        from cfdoctor.runbook.build import build_runbook
        from cfdoctor.runbook.flowcache import cached_flow

        if symptom not in self.reasoner.kb.symptoms:
            raise NotFoundError(f"unknown symptom '{symptom}'")
        flow = cached_flow(self.reasoner, symptom)
        return build_runbook(flow, self.reasoner.kb, check_lang(lang))

    def list_facts(self, lang: str | None = None) -> list[Json]:
        """The fact vocabulary: names, types, allowed values and what settles each."""
        from cfdoctor.service import views

        return views.facts_list(self.reasoner.kb, check_lang(lang))

    def probe(
        self,
        origin: str,
        *,
        policy: AddressPolicy,
        options: Mapping[str, Any] | None = None,
        conversation: Conversation | None = None,
    ) -> Json:
        """Probe an origin as CloudFront would, under `policy`; its facts join `conversation`.

        A server never lets its caller choose a CA bundle or a DNS server (files and hosts of
        the server's own), and its timeouts are capped by `Limits`.
        """
        from cfdoctor.service.probing import ProbeOptions, run_probe, target_from_cli

        given = dict(options or {})
        unknown = set(given) - {"port", "protocol", "sni", "host_header", "path", "timeout"}
        if unknown:
            raise LimitError(f"unknown probe options: {', '.join(sorted(unknown))}")
        timeout = float(given.get("timeout") or self.limits.probe_connect_timeout)
        target = target_from_cli(
            origin,
            ProbeOptions(
                port=given.get("port"),
                protocol=given.get("protocol"),
                sni=given.get("sni"),
                host_header=given.get("host_header"),
                path=given.get("path"),
                timeout=min(timeout, self.limits.probe_connect_timeout),
                read_timeout=self.limits.probe_read_timeout,
            ),
        )
        result = run_probe(target, None, policy=policy)
        if conversation is not None:
            self._room_for(conversation, dict(result.facts))
            result.observe_into(conversation.session)
        return result.to_dict()

    # -- bounds ---------------------------------------------------------------------------
    def _check_value(self, name: str, value: Any) -> None:
        if isinstance(value, str) and len(value) > self.limits.value_chars:
            raise LimitError(f"{name}: the value is longer than {self.limits.value_chars} chars")
        if not isinstance(value, str | int | float | bool | None):
            raise LimitError(f"{name}: a value must be text, a number, true/false or null")

    def _room_for(self, conversation: Conversation, new: Mapping[str, Any]) -> None:
        settled = conversation.session.settled
        after = len(settled) + sum(1 for name in new if name not in settled)
        if after > self.limits.session_inputs:
            raise LimitError(f"a session holds at most {self.limits.session_inputs} inputs")

    def _check_evidence(self, texts: Sequence[str]) -> None:
        if len(texts) > self.limits.evidence_items:
            raise LimitError(f"more than {self.limits.evidence_items} evidence items")
        if any(not isinstance(t, str) for t in texts):
            raise LimitError("evidence items must be text")
        size = sum(len(t.encode("utf-8", "surrogatepass")) for t in texts)
        if size > self.limits.evidence_bytes:
            raise LimitError(f"evidence larger than {self.limits.evidence_bytes // 1024} KiB")
