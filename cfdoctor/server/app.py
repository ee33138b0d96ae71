"""`cfdoctor serve`: the HTTP JSON API, an ASGI app (Starlette) over cfdoctor.service.

Every route returns the same diagnosis JSON as `cfdoctor diagnose --json`; errors are RFC 9457
problem details. Each request body is size-capped and checked against its JSON Schema before
any work, the work runs in a worker thread under a time cap, and the logs name the route, never
the session id or token (they are secrets) nor the body.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio
import jsonschema
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from cfdoctor.engine.errors import CfdoctorError, SessionError
from cfdoctor.evidence import EvidenceError, redact
from cfdoctor.server import openapi
from cfdoctor.server.config import ServerConfig
from cfdoctor.server.metrics import Metrics
from cfdoctor.server.stores import (
    MemoryStore,
    RedisStore,
    SessionNotFoundError,
    SessionStore,
    SignedStore,
    StoreUnavailableError,
)
from cfdoctor.server.tokens import TokenError, TokenSigner, parse_keys
from cfdoctor.service import Conversation, DiagnosisService, LimitError, NotFoundError

log = logging.getLogger("cfdoctor.server")
Json = dict[str, Any]
Handler = Callable[[Request, "Api"], Awaitable[Response]]
T = TypeVar("T")
OPEN_PATHS = frozenset({"/healthz", "/openapi.json"})
ENGINE_THREADS = 4
"""Requests doing engine work at once; the rest wait cancellably (the engine holds the GIL)."""


class ProblemError(Exception):
    """An RFC 9457 problem to send back."""

    def __init__(self, status: int, slug: str, title: str, detail: str = "") -> None:
        super().__init__(detail or title)
        self.status, self.slug, self.title, self.detail = status, slug, title, detail


def problem_response(problem: ProblemError, instance: str | None = None) -> JSONResponse:
    body: Json = {
        "type": f"urn:cfdoctor:problem:{problem.slug}",
        "title": problem.title,
        "status": problem.status,
    }
    if instance:
        body["instance"] = instance
    if problem.detail:
        body["detail"] = problem.detail
    headers = {"WWW-Authenticate": "Bearer"} if problem.status == 401 else None
    return JSONResponse(
        body, problem.status, headers=headers, media_type="application/problem+json"
    )


def as_problem(exc: Exception) -> ProblemError:
    """What a service error means over HTTP."""
    if isinstance(exc, ProblemError):
        return exc
    if isinstance(exc, SessionNotFoundError | NotFoundError):
        return ProblemError(404, "not-found", "Not found", str(exc))
    if isinstance(exc, StoreUnavailableError):
        return ProblemError(503, "store-unavailable", "Session store unavailable", str(exc))
    if isinstance(exc, TokenError):
        return ProblemError(403, "session-refused", "Session token refused", str(exc))
    if isinstance(exc, SessionError):
        return ProblemError(409, "session-unusable", "Session cannot be continued", str(exc))
    if isinstance(exc, LimitError) and "larger" in str(exc):
        return ProblemError(413, "too-large", "Request too large", str(exc))
    from cfdoctor.probes import AddressRefusedError

    if isinstance(exc, AddressRefusedError):
        return ProblemError(403, "address-refused", "Address refused", str(exc))
    if isinstance(exc, CfdoctorError | EvidenceError):
        return ProblemError(422, "bad-input", "Unprocessable input", str(exc))
    return ProblemError(500, "internal", "Internal error", "see the server log")


def accept_language(header: str | None) -> str | None:
    """The best of en, ja, zh by Accept-Language quality, or None for no preference."""
    if not header:
        return None
    from cfdoctor.i18n import negotiate

    ranked: list[tuple[float, int, str]] = []
    for n, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, n, tag.strip()))
    for negative, _, tag in sorted(ranked):
        if negative >= 0 or tag == "*":
            break
        lang = negotiate(tag) if tag else None
        if lang is not None:
            return lang
    return None


@dataclass
class Api:
    """What the handlers share: the service, the session store and the limits."""

    config: ServerConfig
    service: DiagnosisService
    store: SessionStore
    metrics: Metrics
    limiter: anyio.CapacityLimiter

    async def body(self, request: Request, schema: Json) -> Json:
        """The request's JSON body, within the size cap and valid against `schema`."""
        cap = self.config.max_body_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise ProblemError(413, "too-large", "Request too large", f"capped at {cap} B")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > cap:
                raise ProblemError(413, "too-large", "Request too large", f"capped at {cap} B")
            chunks.append(chunk)
        raw = b"".join(chunks)
        if not raw.strip() and not schema.get("required"):
            return {}  # no body at all: nothing to add
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise ProblemError(400, "bad-json", "Body is not JSON", str(exc)[:200]) from None
        error = jsonschema.exceptions.best_match(
            jsonschema.Draft202012Validator(schema).iter_errors(data)
        )
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "(body)"
            detail = f"{where}: {error.message}"[:500]
            raise ProblemError(422, "bad-input", "Unprocessable input", detail)
        assert isinstance(data, dict)
        return data

    async def work(self, fn: Callable[[], T]) -> T:
        """Run engine work in a thread under the request time cap."""
        try:
            with anyio.fail_after(self.config.request_timeout):
                return await anyio.to_thread.run_sync(
                    fn, abandon_on_cancel=True, limiter=self.limiter
                )
        except TimeoutError:
            raise ProblemError(
                503,
                "timeout",
                "Request took too long",
                f"requests are capped at {self.config.request_timeout:g} s",
            ) from None

    async def conversation(self, handle: str) -> Conversation:
        state = await self.store.get(handle)
        return await self.work(lambda: self.service.restore(state))

    async def reply(
        self, handle: str | None, conversation: Conversation, extra: Json, status: int = 200
    ) -> Response:
        diagnosis = await self.work(lambda: self.service.diagnosis(conversation))
        state = conversation.to_state()
        new_handle = await self.store.put(handle, state)
        return JSONResponse({"session": new_handle, "diagnosis": {**diagnosis, **extra}}, status)


# -- handlers -------------------------------------------------------------------------------
def _evidence_extra(read: list[Any], lang: str) -> Json:
    return {"evidence": [ev.to_dict(lang) for ev in read]} if read else {}


async def create_session(request: Request, api: Api) -> Response:
    body = await api.body(request, openapi.START)
    lang = body.get("lang") or accept_language(request.headers.get("accept-language"))

    def start() -> tuple[Conversation, list[Any]]:
        return api.service.start(
            body.get("facts") or {}, body.get("evidence") or [], lang, path=body.get("path")
        )

    conversation, read = await api.work(start)
    return await api.reply(None, conversation, _evidence_extra(read, conversation.lang), 201)


async def get_session(request: Request, api: Api) -> Response:
    handle = request.path_params["id"]
    conversation = await api.conversation(handle)
    return await api.reply(handle, conversation, {})


async def answer(request: Request, api: Api) -> Response:
    handle = request.path_params["id"]
    body = await api.body(request, openapi.ANSWER)
    conversation = await api.conversation(handle)
    await api.work(lambda: api.service.answer(conversation, body["check"], body["value"]))
    return await api.reply(handle, conversation, {})


async def add_facts(request: Request, api: Api) -> Response:
    handle = request.path_params["id"]
    body = await api.body(request, openapi.ADD_FACTS)
    conversation = await api.conversation(handle)

    def add() -> list[Any]:
        read = api.service.add_evidence(
            conversation, body.get("evidence") or [], path=body.get("path")
        )
        api.service.add_facts(conversation, body.get("facts") or {})
        return read

    read = await api.work(add)
    return await api.reply(handle, conversation, _evidence_extra(read, conversation.lang))


def _lang(request: Request) -> str | None:
    return accept_language(request.headers.get("accept-language"))


async def parse_evidence(request: Request, api: Api) -> Response:
    body = await api.body(request, openapi.PARSE)
    parsed = await api.work(
        lambda: api.service.parse_evidence(body["evidence"], _lang(request), path=body.get("path"))
    )
    return JSONResponse({"evidence": parsed})


async def inspect(request: Request, api: Api) -> Response:
    body = await api.body(request, openapi.INSPECT)
    report = await api.work(
        lambda: api.service.inspect(
            body["config"], _lang(request), path=body.get("path"), policies=body.get("policies", [])
        )
    )
    return JSONResponse(report)


async def cause(request: Request, api: Api) -> Response:
    uid = request.path_params["id"]
    found = await api.work(lambda: api.service.explain(uid, _lang(request)))
    causes = [unit for unit in found if unit["kind"] == "cause"]
    if not causes:
        raise ProblemError(404, "not-found", "Not found", f"'{uid}' is not a cause id")
    return JSONResponse(causes[0])


async def healthz(request: Request, api: Api) -> Response:
    return JSONResponse({"status": "ok", "store": api.store.kind})


async def metrics(request: Request, api: Api) -> Response:
    text = api.metrics.render(await api.store.count())
    return PlainTextResponse(text, media_type="text/plain; version=0.0.4")


async def openapi_json(request: Request, api: Api) -> Response:
    return JSONResponse(openapi.document())


# -- the app --------------------------------------------------------------------------------
def make_store(config: ServerConfig) -> SessionStore:
    if config.store == "memory":
        return MemoryStore(config.session_ttl, config.max_sessions)
    if config.store == "stateless":
        if not config.keys:
            raise ValueError("stateless sessions need signing keys (CFDOCTOR_SERVER_KEYS)")
        return SignedStore(TokenSigner(parse_keys(config.keys), config.session_ttl))
    if config.store.startswith(("redis://", "rediss://", "unix://")):
        return RedisStore(config.store, config.session_ttl)
    raise ValueError(f"unknown store '{config.store}': memory, stateless or redis://HOST:PORT/DB")


def _guarded(template: str, handler: Handler, api: Api) -> Callable[[Request], Awaitable[Response]]:
    """The handler with the bearer check, problem details, metrics and a redacted log line."""

    async def endpoint(request: Request) -> Response:
        started = time.perf_counter()
        try:
            if api.config.bearer_token and template not in OPEN_PATHS:
                given = request.headers.get("authorization", "")
                expected = f"Bearer {api.config.bearer_token}"
                if not hmac.compare_digest(given.encode(), expected.encode()):
                    raise ProblemError(401, "unauthorized", "Unauthorized", "send a bearer token")
            response = await handler(request, api)
        except Exception as exc:
            problem = as_problem(exc)
            if problem.status == 500:
                log.error("%s %s: %s", request.method, template, redact(repr(exc)), exc_info=False)
            response = problem_response(problem, template)
        seconds = time.perf_counter() - started
        api.metrics.observe(template, response.status_code, seconds)
        log.info("%s %s %d %.1f ms", request.method, template, response.status_code, seconds * 1e3)
        return response

    return endpoint


ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("/v1/sessions", "POST", create_session),
    ("/v1/sessions/{id}", "GET", get_session),
    ("/v1/sessions/{id}/answers", "POST", answer),
    ("/v1/sessions/{id}/facts", "POST", add_facts),
    ("/v1/evidence/parse", "POST", parse_evidence),
    ("/v1/inspect", "POST", inspect),
    ("/v1/causes/{id}", "GET", cause),
    ("/healthz", "GET", healthz),
    ("/metrics", "GET", metrics),
    ("/openapi.json", "GET", openapi_json),
)


def create_app(config: ServerConfig) -> Starlette:
    from cfdoctor.api import open_reasoner

    reasoner = open_reasoner(config.kb_dirs)
    store = make_store(config)
    api = Api(
        config,
        DiagnosisService(reasoner),
        store,
        Metrics(),
        anyio.CapacityLimiter(ENGINE_THREADS),
    )
    routes = [
        Route(path, _guarded(path, handler, api), methods=[method])
        for path, method, handler in ROUTES
    ]
    middleware = []
    if config.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(config.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type", "Accept-Language"],
            )
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await store.close()

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        if status == 405:
            problem = ProblemError(405, "method-not-allowed", "Method not allowed")
        else:
            problem = ProblemError(404, "not-found", "Not found")
        response = problem_response(problem)
        response.headers.update(getattr(exc, "headers", None) or {})  # 405 lists Allow
        return response

    return Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={404: not_found, 405: not_found},
    )


def app_from_env() -> Starlette:
    """The uvicorn factory each worker process calls (`cfdoctor serve` sets the environment)."""
    if not log.handlers:  # one line per request on stderr: method, route template, status, time
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return create_app(ServerConfig.from_env())
