"""`cfdoctor mcp`: the MCP server (official `mcp` SDK) over cfdoctor.service.

Tools carry JSON Schemas for their input and structured output, and annotations: the tools that
only read are read-only, the one that touches the network (probe_origin) is open-world, and it
obeys AddressPolicy.public_only(). Conversations are held in this process by random id, with a
TTL and a bound; every answer comes in the session's language. The knowledge units and the
runbooks are resources; a prompt walks an assistant through a diagnosis.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import BaseModel, ConfigDict, Field

from cfdoctor import __version__
from cfdoctor.engine.errors import CfdoctorError
from cfdoctor.server.stores import MemoryStore
from cfdoctor.service import Conversation, DiagnosisService

Lang = Literal["en", "ja", "zh"]
Value = str | int | float | bool | None
Facts = Annotated[
    dict[str, Value],
    Field(
        description='Fact name to value, e.g. {"viewer.status": 502, "viewer.server": '
        '"CloudFront"}. Names come from list_facts; text values are parsed to the fact\'s '
        'type; "unknown" settles a fact as not knowable.',
        max_length=200,
    ),
]
Evidence = Annotated[
    list[Annotated[str, Field(max_length=1 << 20)]],
    Field(
        description="Raw text the user pasted, one artifact per item: `curl -i`/`curl -v` "
        "output, a HAR file, `openssl s_client` output, `dig`/`nslookup` output, `aws "
        "cloudfront get-distribution-config` JSON, CloudFront access log lines.",
        max_length=8,
    ),
]
SessionId = Annotated[str, Field(description="The session id start_diagnosis returned.")]

INSTRUCTIONS = """cfdoctor explains why Amazon CloudFront answered with an error (4xx/5xx):
ranked likely causes with confidence, fixes, and dead ends to avoid. Start with
start_diagnosis (the HTTP status and any pasted curl/HAR/dig/openssl/config output), then ask
the user the returned next_question and pass the reply to answer_question, until state is
"confident" or there is no next question. Never guess facts: pass what the user gave."""


class DiagnosisResult(BaseModel):
    """The same diagnosis JSON as `cfdoctor diagnose --json`, plus the session id."""

    model_config = ConfigDict(extra="allow")
    session: str = Field(description="Pass to answer_question, add_facts and get_diagnosis.")
    state: str = Field(description='"asking" (a question helps), "confident" or "stuck".')
    lang: str
    confident_cause: str | None = Field(description="The cause id when state is confident.")
    causes: list[dict[str, Any]] = Field(
        description="Ranked causes: id, title, confidence, summary, fixes, dead ends, why."
    )
    next_question: dict[str, Any] | None = Field(
        description="What to ask the user next: check id, question, allowed answers, "
        "how to find out (commands). None when asking more would not help."
    )


class EvidenceResult(BaseModel):
    evidence: list[dict[str, Any]] = Field(
        description="Per artifact: kind, the facts read from it, findings and details."
    )


class InspectResult(BaseModel):
    model_config = ConfigDict(extra="allow")
    findings: list[dict[str, Any]] = Field(
        description="Problems in the config: id, severity, message, JSON path, related fact."
    )
    counts: dict[str, int] = Field(description="Findings per severity.")


class UnitResult(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    kind: str = Field(description="cause, check, symptom, rule or fact")


class FactsResult(BaseModel):
    facts: list[dict[str, Any]] = Field(
        description="Each fact: name, type, label, allowed values, the checks that ask it."
    )


class ProbeResult(BaseModel):
    model_config = ConfigDict(extra="allow")
    facts: dict[str, Any] = Field(description="What the probe established, fact by fact.")
    refusal: str | None = Field(default=None, description="Why the address was not contacted.")
    session: str | None = Field(default=None, description="The session the facts joined.")
    diagnosis: dict[str, Any] | None = Field(
        default=None, description="The session's diagnosis after the probe, if a session."
    )


READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)
CONVERSATION = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False
)
NETWORK = ToolAnnotations(read_only_hint=True, open_world_hint=True)


def build_server(service: DiagnosisService, ttl: float = 3600.0, bound: int = 10_000) -> MCPServer:
    from cfdoctor.probes import AddressPolicy

    sessions = MemoryStore(ttl, bound)
    policy = AddressPolicy.public_only()
    mcp = MCPServer("cfdoctor", title="cfdoctor", version=__version__, instructions=INSTRUCTIONS)

    def fail(exc: Exception) -> ToolError:
        return ToolError(str(exc))

    async def load(session: str) -> Conversation:
        try:
            return service.restore(await sessions.get(session))
        except CfdoctorError as exc:
            raise fail(exc) from None

    async def reply(
        handle: str | None, conversation: Conversation, extra: dict[str, Any]
    ) -> DiagnosisResult:
        diagnosis = service.diagnosis(conversation)
        handle = await sessions.put(handle, conversation.to_state())
        return DiagnosisResult(session=handle, **diagnosis, **extra)

    @mcp.tool(
        title="Start a CloudFront error diagnosis",
        annotations=CONVERSATION,
        description="Start diagnosing a CloudFront error. Call this first, as soon as the user "
        "reports a CloudFront 4xx/5xx (a 502, 503, 504, 403, 'The request could not be "
        "satisfied', an X-Cache: Error from cloudfront header). Pass the facts the user stated "
        "(at least viewer.status, the HTTP status) and any output they pasted as evidence; "
        "cfdoctor reads curl, HAR, dig, openssl and distribution configs itself. Returns the "
        "ranked causes and the next_question to ask the user, in `lang`.",
    )
    async def start_diagnosis(
        facts: Facts | None = None,
        evidence: Evidence | None = None,
        lang: Annotated[
            Lang, Field(description="Language of every answer in this session.")
        ] = "en",
        path: Annotated[str | None, Field(description="The failing URL path, if known.")] = None,
    ) -> DiagnosisResult:
        try:
            conversation, read = service.start(facts or {}, evidence or [], lang, path=path)
        except CfdoctorError as exc:
            raise fail(exc) from None
        extra = {"evidence": [ev.to_dict(conversation.lang) for ev in read]} if read else {}
        return await reply(None, conversation, extra)

    @mcp.tool(
        title="Answer the diagnosis question",
        annotations=CONVERSATION,
        description="Record the user's answer to the next_question of a session, then return "
        "the updated diagnosis and the following question. `check` is next_question.check; "
        "`value` is one of next_question.answers (their value), yes/no, a number, or "
        '"unknown" when the user cannot find out. Ask the user; never answer for them.',
    )
    async def answer_question(
        session: SessionId,
        check: Annotated[str, Field(description="next_question.check", max_length=200)],
        value: Annotated[Value, Field(description="The user's answer.")],
    ) -> DiagnosisResult:
        conversation = await load(session)
        try:
            service.answer(conversation, check, value)
        except CfdoctorError as exc:
            raise fail(exc) from None
        return await reply(session, conversation, {})

    @mcp.tool(
        title="Add facts or evidence to a diagnosis",
        annotations=CONVERSATION,
        description="Add facts the user volunteered, or newly pasted output (curl, HAR, dig, "
        "openssl, a distribution config, access logs), to a running session; returns the "
        "updated diagnosis. Use answer_question instead when replying to next_question.",
    )
    async def add_facts(
        session: SessionId, facts: Facts | None = None, evidence: Evidence | None = None
    ) -> DiagnosisResult:
        conversation = await load(session)
        try:
            read = service.add_evidence(conversation, evidence or [])
            service.add_facts(conversation, facts or {})
        except CfdoctorError as exc:
            raise fail(exc) from None
        extra = {"evidence": [ev.to_dict(conversation.lang) for ev in read]} if read else {}
        return await reply(session, conversation, extra)

    @mcp.tool(
        title="Get the current diagnosis",
        annotations=READ_ONLY,
        description="The ranked causes, fixes and next question of a session so far, without "
        "changing it. Use it to summarise for the user or to recover the next question.",
    )
    async def get_diagnosis(session: SessionId) -> DiagnosisResult:
        conversation = await load(session)
        return await reply(session, conversation, {})

    @mcp.tool(
        title="Read pasted evidence",
        annotations=READ_ONLY,
        description="What pasted output says, without starting a session: the kind of artifact "
        "(curl transcript, HAR, openssl, dig, distribution config, access log) and the facts "
        "cfdoctor reads from it. Useful to show the user what was understood.",
    )
    async def parse_evidence(
        evidence: Evidence,
        lang: Lang = "en",
        path: Annotated[str | None, Field(description="The failing URL path, if known.")] = None,
    ) -> EvidenceResult:
        try:
            return EvidenceResult(evidence=service.parse_evidence(evidence, lang, path=path))
        except CfdoctorError as exc:
            raise fail(exc) from None

    @mcp.tool(
        title="Lint a CloudFront distribution config",
        annotations=READ_ONLY,
        description="Check a distribution config (the JSON of `aws cloudfront "
        "get-distribution-config`) for known misconfigurations: each finding with severity, "
        "message and JSON path. Call it when the user pastes or describes their config.",
    )
    async def inspect_distribution_config(
        config: Annotated[dict[str, Any], Field(description="The parsed config JSON.")],
        lang: Lang = "en",
        path: Annotated[str | None, Field(description="The failing URL path, if known.")] = None,
    ) -> InspectResult:
        try:
            return InspectResult(**service.inspect(config, lang, path=path))
        except CfdoctorError as exc:
            raise fail(exc) from None

    @mcp.tool(
        title="Explain a cause",
        annotations=READ_ONLY,
        description="Everything the knowledge base says about one cause id (from a diagnosis's "
        "causes[].id): summary, fixes with commands, dead ends, sources, evidence grade. Also "
        "takes a check, symptom, rule id or fact name.",
    )
    async def explain_cause(
        cause_id: Annotated[str, Field(description="e.g. origin-dns-nxdomain", max_length=200)],
        lang: Lang = "en",
    ) -> UnitResult:
        try:
            found = service.explain(cause_id, lang)
        except CfdoctorError as exc:
            raise fail(exc) from None
        return UnitResult(**found[0])

    @mcp.tool(
        title="List the facts cfdoctor understands",
        annotations=READ_ONLY,
        description="The fact vocabulary for start_diagnosis and add_facts: names, types and "
        "allowed values. Filter by a name prefix (viewer., origin., distribution.) to keep "
        "the answer short.",
    )
    async def list_facts(
        prefix: Annotated[str, Field(description="Only names starting with this.")] = "",
        lang: Lang = "en",
    ) -> FactsResult:
        facts = [f for f in service.list_facts(lang) if str(f["name"]).startswith(prefix)]
        return FactsResult(facts=facts)

    @mcp.tool(
        title="Probe an origin as CloudFront would",
        annotations=NETWORK,
        description="Contact the origin server over the internet as CloudFront would: DNS, "
        "TCP, TLS (certificate, protocols) and one HTTP request. Only public addresses are "
        "contacted: private, loopback, link-local, metadata and other internal addresses are "
        "refused. Give `session` to add what it finds to that diagnosis. Takes up to ~30 s.",
    )
    async def probe_origin(
        origin: Annotated[str, Field(description="The origin's domain name.", max_length=253)],
        port: Annotated[int | None, Field(ge=1, le=65535)] = None,
        protocol: Literal["https", "http"] = "https",
        path: str = "/",
        host_header: str | None = None,
        session: SessionId | None = None,
    ) -> ProbeResult:
        conversation = await load(session) if session else None
        options = {"port": port, "protocol": protocol, "path": path, "host_header": host_header}
        import anyio

        try:
            result = await anyio.to_thread.run_sync(
                lambda: service.probe(
                    origin, policy=policy, options=options, conversation=conversation
                )
            )
        except CfdoctorError as exc:
            raise fail(exc) from None
        out = ProbeResult(**result)
        if conversation is not None and session is not None:
            await sessions.put(session, conversation.to_state())
            out.session = session
            out.diagnosis = service.diagnosis(conversation)
        return out

    kb = service.reasoner.kb

    @mcp.resource(
        "cfdoctor://{lang}/causes",
        name="causes",
        description="Every cause in the knowledge base: id, title, HTTP statuses.",
        mime_type="application/json",
    )
    def causes_index(lang: str) -> str:
        chosen = lang if lang in ("en", "ja", "zh") else "en"
        return json.dumps(
            [
                {"id": c.id, "title": c.title.get(chosen), "status": list(c.status)}
                for c in kb.causes.values()
            ],
            ensure_ascii=False,
        )

    @mcp.resource(
        "cfdoctor://{lang}/units/{uid}",
        name="knowledge-unit",
        description="One knowledge unit (cause, check, symptom, rule or fact) as JSON.",
        mime_type="application/json",
    )
    def unit(lang: str, uid: str) -> str:
        try:
            return json.dumps(service.explain(uid, lang), ensure_ascii=False)
        except CfdoctorError as exc:
            raise ValueError(str(exc)) from None

    @mcp.resource(
        "cfdoctor://{lang}/runbooks/{symptom}",
        name="runbook",
        description="The troubleshooting runbook of one symptom (e.g. http-502), Markdown.",
        mime_type="text/markdown",
    )
    def runbook(lang: str, symptom: str) -> str:
        try:
            return service.runbook(symptom, lang)
        except CfdoctorError as exc:
            raise ValueError(str(exc)) from None

    @mcp.prompt(
        title="Diagnose a CloudFront error",
        description="Walk the user through finding why CloudFront returned an error.",
    )
    def diagnose_cloudfront_error(status: str = "", lang: str = "en", pasted: str = "") -> str:
        return (
            "You are helping a user find why Amazon CloudFront returned an error"
            + (f" (HTTP {status})" if status else "")
            + ". Use the cfdoctor tools:\n"
            "1. Call start_diagnosis with the facts the user stated (viewer.status is the HTTP "
            f'status) and any pasted output as evidence, lang="{lang}".\n'
            "2. If next_question is not null, ask the user that question in your own words, "
            "showing its commands and how_to_read; pass the reply to answer_question (use "
            '"unknown" when they cannot tell). Never answer a question yourself.\n'
            '3. Repeat until state is "confident" or next_question is null.\n'
            "4. Present the leading causes with their confidence, the fixes with their "
            "commands, and the dead ends to avoid; explain_cause has the full text.\n"
            "5. If the user can share the origin's name, probe_origin can test it from here."
            + (f"\n\nThe user pasted:\n{pasted}" if pasted else "")
        )

    return mcp
