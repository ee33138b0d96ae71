"""The API's contract: JSON Schemas of every request body (checked on arrival) and response, and
the OpenAPI 3.1 document built from them (served at /openapi.json, tested by schemathesis)."""

from __future__ import annotations

from typing import Any

from cfdoctor import __version__

Json = dict[str, Any]

VALUE: Json = {"type": ["string", "integer", "number", "boolean", "null"]}
FACTS: Json = {
    "type": "object",
    "description": 'Fact name to value, e.g. {"viewer.status": 502}; GET-able via MCP list_facts.',
    "additionalProperties": VALUE,
    "maxProperties": 200,
}
EVIDENCE: Json = {
    "type": "array",
    "description": "Pasted text: curl -i/-v, a HAR, openssl s_client, dig, a distribution "
    "config, access log lines. Text only: never a file name.",
    "items": {"type": "string", "maxLength": 1 << 20},
    "maxItems": 8,
}
LANG: Json = {"type": ["string", "null"], "enum": ["en", "ja", "zh", None]}
PATH: Json = {"type": ["string", "null"], "maxLength": 2048, "description": "The failing path."}

START: Json = {
    "type": "object",
    "properties": {"facts": FACTS, "evidence": EVIDENCE, "lang": LANG, "path": PATH},
    "additionalProperties": False,
}
ADD_FACTS: Json = {
    "type": "object",
    "properties": {"facts": FACTS, "evidence": EVIDENCE, "path": PATH},
    "additionalProperties": False,
}
ANSWER: Json = {
    "type": "object",
    "required": ["check", "value"],
    "properties": {
        "check": {"type": "string", "maxLength": 200, "description": "next_question.check"},
        "value": {**VALUE, "description": 'yes / no / one of the answers / "unknown"'},
    },
    "additionalProperties": False,
}
PARSE: Json = {
    "type": "object",
    "required": ["evidence"],
    "properties": {"evidence": EVIDENCE, "path": PATH},
    "additionalProperties": False,
}
INSPECT: Json = {
    "type": "object",
    "required": ["config"],
    "properties": {
        "config": {
            "type": "object",
            "description": "aws cloudfront get-distribution-config output (parsed JSON).",
        },
        "path": PATH,
        "policies": {
            "type": "array",
            "items": {"type": "object"},
            "maxItems": 20,
            "description": "Cache / origin request policies the config uses.",
        },
    },
    "additionalProperties": False,
}

QUESTION: Json = {
    "type": ["object", "null"],
    "properties": {
        "check": {"type": "string"},
        "fact": {"type": "string"},
        "question": {"type": ["string", "null"]},
        "answers": {"type": "array"},
    },
}
DIAGNOSIS: Json = {
    "type": "object",
    "required": ["state", "lang", "causes", "next_question"],
    "properties": {
        "state": {"type": "string"},
        "lang": {"type": "string"},
        "confident_cause": {"type": ["string", "null"]},
        "causes": {"type": "array", "items": {"type": "object", "required": ["id", "title"]}},
        "next_question": QUESTION,
    },
}
SESSION: Json = {
    "type": "object",
    "required": ["session", "diagnosis"],
    "properties": {
        "session": {
            "type": "string",
            "description": "The id (server-held) or signed token (stateless) to continue with; "
            "a token changes on every step.",
        },
        "diagnosis": DIAGNOSIS,
    },
}
PROBLEM: Json = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
}


def _json(schema: Json) -> Json:
    return {"content": {"application/json": {"schema": schema}}}


def _problem(description: str) -> Json:
    content = {"application/problem+json": {"schema": PROBLEM}}
    return {"description": description, "content": content}


ERRORS: Json = {"default": _problem("A problem (RFC 9457)")}
SESSION_ID: Json = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "maxLength": 16384, "pattern": "^[A-Za-z0-9._-]+$"},
    "description": "The session id or signed token.",
}


def _op(summary: str, response: Json, body: Json | None = None, **extra: Any) -> Json:
    op: Json = {
        "summary": summary,
        "responses": {"200": {"description": "OK", **_json(response)}, **ERRORS},
        **extra,
    }
    if body is not None:
        # a body without required members may be left out entirely (an empty session)
        op["requestBody"] = {"required": bool(body.get("required")), **_json(body)}
    return op


def document() -> Json:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "cfdoctor",
            "version": __version__,
            "description": "Explains Amazon CloudFront errors: ranked causes, the next question "
            "to ask, fixes. Errors are RFC 9457 problem details; Accept-Language picks en, ja "
            "or zh.",
        },
        "paths": {
            "/v1/sessions": {
                "post": {
                    **_op("Start a diagnosis", SESSION, START),
                    "responses": {"201": {"description": "Created", **_json(SESSION)}, **ERRORS},
                }
            },
            "/v1/sessions/{id}": {
                "get": _op("The diagnosis so far", SESSION, parameters=[SESSION_ID])
            },
            "/v1/sessions/{id}/answers": {
                "post": _op("Answer the next question", SESSION, ANSWER, parameters=[SESSION_ID])
            },
            "/v1/sessions/{id}/facts": {
                "post": _op("Add facts or evidence", SESSION, ADD_FACTS, parameters=[SESSION_ID])
            },
            "/v1/evidence/parse": {
                "post": _op(
                    "What pasted evidence says, without a session",
                    {"type": "object", "required": ["evidence"]},
                    PARSE,
                )
            },
            "/v1/inspect": {
                "post": _op(
                    "Lint a distribution config",
                    {"type": "object", "required": ["findings", "counts"]},
                    INSPECT,
                )
            },
            "/v1/causes/{id}": {
                "get": _op(
                    "A cause as the knowledge base describes it",
                    {"type": "object", "required": ["id", "title"]},
                    parameters=[
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "maxLength": 200},
                        }
                    ],
                )
            },
            "/healthz": {"get": _op("Liveness", {"type": "object", "required": ["status"]})},
        },
    }
