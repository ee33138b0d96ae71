"""`cfdoctor mcp` driven by the official SDK's client: over stdio (a subprocess) and over
streamable HTTP (a server process on loopback)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp_types import TextContent, TextResourceContents

from tests.server.conftest import free_port

FIXTURES = Path(__file__).parents[1] / "evidence" / "fixtures"
CURL_502 = (FIXTURES / "curl-i-cf-could-not-connect.txt").read_text()
STDIO = StdioServerParameters(command=sys.executable, args=["-m", "cfdoctor", "mcp"])


def over(server: StdioServerParameters | str, test: Callable[[Client], Awaitable[None]]) -> None:
    async def main() -> None:
        async with Client(server, read_timeout_seconds=120) as client:
            await test(client)

    anyio.run(main)


def text(item: Any) -> str:
    """The text of a tool's content block or a resource's contents."""
    assert isinstance(item, TextContent | TextResourceContents), item
    return item.text


def structured(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    data: dict[str, Any] = result.structured_content
    return data


def test_tools_have_schemas_and_annotations() -> None:
    async def test(client: Client) -> None:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert set(tools) == {
            "start_diagnosis", "answer_question", "add_facts", "get_diagnosis",
            "parse_evidence", "inspect_distribution_config", "explain_cause", "list_facts",
            "probe_origin",
        }  # fmt: skip
        for tool in tools.values():
            assert tool.input_schema["type"] == "object"
            assert tool.output_schema is not None and tool.output_schema["type"] == "object"
            assert tool.description and len(tool.description) > 80
        annotations = {n: t.annotations for n, t in tools.items() if t.annotations is not None}
        assert set(annotations) == set(tools)
        read_only = {n for n, a in annotations.items() if a.read_only_hint}
        assert read_only == {
            "get_diagnosis", "parse_evidence", "inspect_distribution_config", "explain_cause",
            "list_facts", "probe_origin",
        }  # fmt: skip
        open_world = {n for n, a in annotations.items() if a.open_world_hint}
        assert open_world == {"probe_origin"}
        assert "facts" in tools["start_diagnosis"].input_schema["properties"]
        output = tools["start_diagnosis"].output_schema
        assert output is not None and "next_question" in output["properties"]

    over(STDIO, test)


def test_a_conversation_over_stdio_in_the_session_s_language() -> None:
    async def test(client: Client) -> None:
        started = structured(
            await client.call_tool(
                "start_diagnosis",
                {"facts": {"viewer.status": 502}, "evidence": [CURL_502], "lang": "ja"},
            )
        )
        assert started["lang"] == "ja" and started["evidence"][0]["kind"] == "http-transcript"
        question = started["next_question"]
        assert question is not None and question["question"]
        session = started["session"]
        answered = structured(
            await client.call_tool(
                "answer_question",
                {"session": session, "check": question["check"], "value": "unknown"},
            )
        )
        assert answered["lang"] == "ja"
        again = structured(await client.call_tool("get_diagnosis", {"session": session}))
        assert again["causes"] == answered["causes"]
        assert again["next_question"] == answered["next_question"]
        cause = again["causes"][0]["id"]
        explained = structured(
            await client.call_tool("explain_cause", {"cause_id": cause, "lang": "ja"})
        )
        assert explained["id"] == cause and explained["kind"] == "cause"
        wrong = await client.call_tool("get_diagnosis", {"session": "x" * 32})
        assert wrong.is_error

    over(STDIO, test)


def test_tools_without_a_session() -> None:
    config = (FIXTURES / "dist-alb-ports.json").read_text()

    async def test(client: Client) -> None:
        parsed = structured(await client.call_tool("parse_evidence", {"evidence": [CURL_502]}))
        assert parsed["evidence"][0]["facts"]["viewer.status"] == 502
        import json

        inspected = structured(
            await client.call_tool("inspect_distribution_config", {"config": json.loads(config)})
        )
        assert inspected["findings"] and "counts" in inspected
        facts = structured(await client.call_tool("list_facts", {"prefix": "viewer."}))
        names = {f["name"] for f in facts["facts"]}
        assert "viewer.status" in names and all(n.startswith("viewer.") for n in names)
        bad = await client.call_tool("start_diagnosis", {"facts": {"viewer.stauts": 502}})
        assert bad.is_error and "viewer.status" in text(bad.content[0])

    over(STDIO, test)


@pytest.mark.parametrize(
    "origin", ["127.0.0.1", "::1", "169.254.169.254", "2130706433", "0177.0.0.1", "2002:7f00:1::"]
)
def test_probe_origin_refuses_internal_addresses(origin: str) -> None:
    async def test(client: Client) -> None:
        result = await client.call_tool("probe_origin", {"origin": origin, "port": 9})
        assert result.is_error
        assert "refusing to contact" in text(result.content[0])

    over(STDIO, test)


def test_resources_and_prompt() -> None:
    async def test(client: Client) -> None:
        templates = {
            t.uri_template for t in (await client.list_resource_templates()).resource_templates
        }
        assert {
            "cfdoctor://{lang}/causes",
            "cfdoctor://{lang}/units/{uid}",
            "cfdoctor://{lang}/runbooks/{symptom}",
        } <= templates
        index = (await client.read_resource("cfdoctor://zh/causes")).contents[0]
        assert '"status"' in text(index)
        unit = (await client.read_resource("cfdoctor://en/units/viewer.status")).contents[0]
        assert '"kind": "fact"' in text(unit)
        runbook = (await client.read_resource("cfdoctor://en/runbooks/http-411")).contents[0]
        assert text(runbook).startswith("# ")
        prompts = (await client.list_prompts()).prompts
        assert [p.name for p in prompts] == ["diagnose_cloudfront_error"]
        prompt = await client.get_prompt("diagnose_cloudfront_error", {"status": "502"})
        said = text(prompt.messages[0].content)
        assert "start_diagnosis" in said and "answer_question" in said and "502" in said

    over(STDIO, test)


@pytest.fixture
def mcp_http(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    log = (tmp_path / "mcp.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "cfdoctor", "mcp", "--http", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/mcp"
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            assert process.poll() is None, (tmp_path / "mcp.log").read_text()
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)
        log.close()


def test_a_conversation_over_streamable_http(mcp_http: str) -> None:
    async def test(client: Client) -> None:
        started = structured(
            await client.call_tool(
                "start_diagnosis", {"facts": {"viewer.status": 504}, "lang": "zh"}
            )
        )
        assert started["lang"] == "zh" and started["causes"]
        question = started["next_question"]
        answered = structured(
            await client.call_tool(
                "answer_question",
                {"session": started["session"], "check": question["check"], "value": "unknown"},
            )
        )
        assert answered["session"] == started["session"]

    over(mcp_http, test)
