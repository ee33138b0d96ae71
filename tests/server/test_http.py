"""`cfdoctor serve` for real: a server process on loopback, driven through httpx."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.server.conftest import KEY_A, KEY_B, Redis, Server, StartServer

FIXTURES = Path(__file__).parents[1] / "evidence" / "fixtures"
CURL_502 = (FIXTURES / "curl-i-cf-could-not-connect.txt").read_text()
PROBLEM = "application/problem+json"


def cli_json(*args: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-m", "cfdoctor", *args, "--json"],
        capture_output=True,
        text=True,
        check=False,  # inspect exits 1 on error findings
        timeout=120,
    )
    assert out.returncode in (0, 1), out.stderr
    data: dict[str, object] = json.loads(out.stdout)
    return data


def same(diagnosis: dict[str, object]) -> dict[str, object]:
    """A diagnosis without the label of where each fact came from (api here, cli there)."""
    facts = diagnosis["facts"]
    assert isinstance(facts, list)
    return {**diagnosis, "facts": [{**f, "source": None} for f in facts]}


def test_a_whole_conversation_gives_the_cli_s_diagnosis(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        started = client.post(
            "/v1/sessions",
            json={"facts": {"viewer.status": 502}},
            headers={"Accept-Language": "ja"},
        )
        assert started.status_code == 201, started.text
        body = started.json()
        sid, diagnosis = body["session"], body["diagnosis"]
        assert diagnosis["lang"] == "ja" and diagnosis["causes"]
        cli = cli_json("--lang", "ja", "diagnose", "--fact", "viewer.status=502")
        assert same(diagnosis) == same(cli)

        question = diagnosis["next_question"]
        answered = client.post(
            f"/v1/sessions/{sid}/answers", json={"check": question["check"], "value": "unknown"}
        )
        assert answered.status_code == 200, answered.text
        assert answered.json()["session"] == sid
        after = answered.json()["diagnosis"]
        assert (
            after["next_question"] is None or after["next_question"]["check"] != question["check"]
        )
        cli = cli_json(
            "--lang", "ja", "diagnose", "--fact", "viewer.status=502",
            "--answer", f"{question['check']}=unknown",
        )  # fmt: skip
        assert same(after) == same(cli)

        more = client.post(f"/v1/sessions/{sid}/facts", json={"evidence": [CURL_502]})
        assert more.status_code == 200, more.text
        assert more.json()["diagnosis"]["evidence"][0]["kind"] == "http-transcript"
        got = client.get(f"/v1/sessions/{sid}")
        assert got.status_code == 200
        assert got.json()["diagnosis"]["causes"] == more.json()["diagnosis"]["causes"]


def test_accept_language_and_body_lang(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for header, lang in (("zh-CN,zh;q=0.9", "zh"), ("fr, ja;q=0.5", "ja"), ("fr", "en")):
            r = client.post(
                "/v1/sessions",
                json={"facts": {"viewer.status": 403}},
                headers={"Accept-Language": header},
            )
            assert r.json()["diagnosis"]["lang"] == lang, header
        r = client.post(
            "/v1/sessions",
            json={"facts": {"viewer.status": 403}, "lang": "zh"},
            headers={"Accept-Language": "ja"},
        )
        assert r.json()["diagnosis"]["lang"] == "zh"
        cause = r.json()["diagnosis"]["causes"][0]["id"]
        ja = client.get(f"/v1/causes/{cause}", headers={"Accept-Language": "ja"}).json()
        en = client.get(f"/v1/causes/{cause}").json()
        assert ja["id"] == en["id"] == cause and ja["title"] != en["title"]


def test_errors_are_problem_details(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        cases = [
            (client.post("/v1/sessions", json={"facts": {"viewer.stauts": 502}}), 422),
            (client.post("/v1/sessions", content=b"{not json"), 400),
            (client.post("/v1/sessions", json={"facts": [1, 2]}), 422),
            (client.post("/v1/sessions", json={"evidence": ["not evidence\n"]}), 422),
            (client.post("/v1/sessions", json={"evidence": ["/etc/passwd"]}), 422),
            (client.get("/v1/sessions/" + "x" * 32), 404),
            (client.get("/v1/causes/no-such-cause"), 404),
            (client.get("/v1/nothing-here"), 404),
            (client.delete("/v1/sessions"), 405),
            (client.post("/v1/sessions", content=b"{" + b" " * (3 << 20) + b"}"), 413),
        ]
        for response, status in cases:
            assert response.status_code == status, response.text
            assert response.headers["content-type"] == PROBLEM
            problem = response.json()
            assert problem["status"] == status
            assert problem["type"].startswith("urn:cfdoctor:problem:")
            assert problem["title"]
        detail = cases[0][0].json()["detail"]
        assert "viewer.stauts" in detail and "viewer.status" in detail


def test_parse_and_inspect(server: Server) -> None:
    config = json.loads((FIXTURES / "dist-alb-ports.json").read_text())
    with httpx.Client(base_url=server.url, timeout=30) as client:
        parsed = client.post("/v1/evidence/parse", json={"evidence": [CURL_502]})
        assert parsed.status_code == 200
        assert parsed.json()["evidence"][0]["facts"]["viewer.status"] == 502
        inspected = client.post("/v1/inspect", json={"config": config})
        assert inspected.status_code == 200, inspected.text
        cli = cli_json("inspect", str(FIXTURES / "dist-alb-ports.json"))
        assert inspected.json()["findings"] == cli["findings"]


def test_metrics_count_requests(server: Server) -> None:
    httpx.get(server.url + "/healthz")
    text = httpx.get(server.url + "/metrics").text
    assert 'cfdoctor_http_requests_total{route="/healthz",status="200"}' in text
    assert "cfdoctor_sessions_live" in text


def test_logs_name_routes_never_ids_tokens_or_bodies(server: Server) -> None:
    secret = "Authorization: Bearer sk-live-abcdef0123456789"
    with httpx.Client(base_url=server.url, timeout=30) as client:
        sid = client.post("/v1/sessions", json={"facts": {"viewer.status": 502}}).json()["session"]
        client.post(f"/v1/sessions/{sid}/facts", json={"evidence": [CURL_502 + secret + "\n"]})
        client.get(f"/v1/sessions/{sid}")
    time.sleep(0.2)
    log = server.log()
    assert "POST /v1/sessions/{id}/facts" in log
    assert sid not in log and "sk-live" not in log


def test_cors_is_off_unless_an_origin_is_allowed(start_server: StartServer) -> None:
    origin = {"Origin": "https://portal.example"}
    plain = start_server()
    assert (
        "access-control-allow-origin"
        not in httpx.get(plain.url + "/healthz", headers=origin).headers
    )
    opened = start_server("--cors-origin", "https://portal.example")
    r = httpx.get(opened.url + "/healthz", headers=origin)
    assert r.headers["access-control-allow-origin"] == "https://portal.example"


def test_bearer_token_guards_the_api(start_server: StartServer, tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("s3cret-token-value\n")
    guarded = start_server("--token-file", str(token))
    body = {"facts": {"viewer.status": 502}}
    refused = httpx.post(guarded.url + "/v1/sessions", json=body)
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    wrong = httpx.post(
        guarded.url + "/v1/sessions", json=body, headers={"Authorization": "Bearer x"}
    )
    assert wrong.status_code == 401
    ok = httpx.post(
        guarded.url + "/v1/sessions",
        json=body,
        headers={"Authorization": "Bearer s3cret-token-value"},
    )
    assert ok.status_code == 201
    assert httpx.get(guarded.url + "/healthz").status_code == 200


def test_time_cap_answers_503(start_server: StartServer) -> None:
    hasty = start_server("--timeout", "0.000001")
    r = httpx.post(hasty.url + "/v1/sessions", json={"facts": {"viewer.status": 502}}, timeout=30)
    assert r.status_code == 503 and r.json()["type"] == "urn:cfdoctor:problem:timeout"


def test_memory_sessions_expire_and_are_bounded(start_server: StartServer) -> None:
    small = start_server("--max-sessions", "2", "--session-ttl", "2")
    body = {"facts": {"viewer.status": 502}}
    with httpx.Client(base_url=small.url, timeout=30) as client:
        ids = [client.post("/v1/sessions", json=body).json()["session"] for _ in range(3)]
        assert [client.get(f"/v1/sessions/{i}").status_code for i in ids] == [404, 200, 200]
        time.sleep(2.5)
        assert client.get(f"/v1/sessions/{ids[2]}").status_code == 404


def _conversation(client: httpx.Client) -> tuple[str, dict[str, object]]:
    r = client.post("/v1/sessions", json={"facts": {"viewer.status": 502}})
    assert r.status_code == 201, r.text
    body = r.json()
    return body["session"], body["diagnosis"]


def test_stateless_tokens_continue_on_any_worker_and_refuse_forgeries(
    start_server: StartServer,
) -> None:
    signer_a = start_server("--store", "stateless", env={"CFDOCTOR_SERVER_KEYS": KEY_A})
    rotated = start_server("--store", "stateless", env={"CFDOCTOR_SERVER_KEYS": f"{KEY_B},{KEY_A}"})
    only_b = start_server("--store", "stateless", env={"CFDOCTOR_SERVER_KEYS": KEY_B})
    with httpx.Client(timeout=30) as client:
        token, diagnosis = _conversation(client.__class__(base_url=signer_a.url, timeout=30))
        check = diagnosis["next_question"]["check"]  # type: ignore[index]
        # another worker holding the key continues it, and signs with its own first key
        moved = client.post(
            f"{rotated.url}/v1/sessions/{token}/answers", json={"check": check, "value": "unknown"}
        )
        assert moved.status_code == 200, moved.text
        new_token = moved.json()["session"]
        assert new_token.split(".")[1] == "b"
        assert client.get(f"{only_b.url}/v1/sessions/{new_token}").status_code == 200
        # foreign: signed with a key this server does not hold
        foreign = client.get(f"{only_b.url}/v1/sessions/{token}")
        assert foreign.status_code == 403 and "does not hold" in foreign.json()["detail"]
        # forged: the payload changed, the signature kept
        version, kid, payload, mac = new_token.split(".")
        forged = ".".join(
            [version, kid, payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB"), mac]
        )
        refused = client.get(f"{only_b.url}/v1/sessions/{forged}")
        assert refused.status_code == 403 and "altered" in refused.json()["detail"]
        assert client.get(f"{only_b.url}/v1/sessions/not-a-token").status_code == 403
    short = start_server(
        "--store", "stateless", "--session-ttl", "1", env={"CFDOCTOR_SERVER_KEYS": KEY_A}
    )
    with httpx.Client(base_url=short.url, timeout=30) as client:
        token, _ = _conversation(client)
        time.sleep(2.1)
        expired = client.get(f"/v1/sessions/{token}")
        assert expired.status_code == 403 and "expired" in expired.json()["detail"]


def test_redis_sessions_survive_a_killed_worker(start_server: StartServer, redis: Redis) -> None:
    first = start_server("--store", redis.url)
    second = start_server("--store", redis.url)
    with httpx.Client(timeout=30) as client:
        sid, diagnosis = _conversation(client.__class__(base_url=first.url, timeout=30))
        first.kill()  # mid-conversation, without a chance to save anything
        check = diagnosis["next_question"]["check"]  # type: ignore[index]
        answered = client.post(
            f"{second.url}/v1/sessions/{sid}/answers", json={"check": check, "value": "unknown"}
        )
        assert answered.status_code == 200, answered.text
        first.start()  # a restart loses nothing either
        again = client.get(f"{first.url}/v1/sessions/{sid}")
        assert again.status_code == 200
        assert again.json()["diagnosis"] == answered.json()["diagnosis"]


@pytest.mark.parametrize("store", ["memory", "redis"])
def test_two_clients_never_see_each_other_s_sessions(
    start_server: StartServer, redis: Redis, store: str
) -> None:
    running = start_server("--store", redis.url if store == "redis" else "memory")
    alice = httpx.Client(base_url=running.url, timeout=30)
    bob = httpx.Client(base_url=running.url, timeout=30)
    a = alice.post("/v1/sessions", json={"facts": {"viewer.status": 502}}).json()["session"]
    b = bob.post("/v1/sessions", json={"facts": {"viewer.status": 403}}).json()["session"]
    assert a != b and len(a) >= 32
    a_view = alice.get(f"/v1/sessions/{a}").json()["diagnosis"]
    b_view = bob.get(f"/v1/sessions/{b}").json()["diagnosis"]
    assert a_view["symptoms"] != b_view["symptoms"]
    bob.post(f"/v1/sessions/{b}/facts", json={"facts": {"viewer.server": "AmazonS3"}})
    assert alice.get(f"/v1/sessions/{a}").json()["diagnosis"] == a_view
    for guess in (a[:-1] + ("A" if a[-1] != "A" else "B"), "0" * len(a)):
        assert bob.get(f"/v1/sessions/{guess}").status_code == 404


def test_an_unreachable_redis_is_a_503_problem(start_server: StartServer) -> None:
    from tests.server.conftest import free_port

    nowhere = start_server("--store", f"redis://127.0.0.1:{free_port()}/0")
    r = httpx.post(nowhere.url + "/v1/sessions", json={"facts": {"viewer.status": 502}}, timeout=30)
    assert r.status_code == 503, r.text
    assert r.json()["type"] == "urn:cfdoctor:problem:store-unavailable"
