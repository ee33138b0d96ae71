"""Probing for every front-end: a ProbeTarget from options or from a distribution config, the
probe run under an address policy, its short diagnosis, and the lab as JSON-ready data.

The caller chooses the policy: the person at a terminal names what to probe, so the CLI passes
AddressPolicy.allow_all() (their own test server on 127.0.0.1 included); the HTTP and MCP servers
pass AddressPolicy.public_only(), checked on the address actually connected to.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cfdoctor.i18n import gettext as _
from cfdoctor.service.documents import read_document

if TYPE_CHECKING:
    from cfdoctor.engine.reasoner import Reasoner
    from cfdoctor.lab import Lab
    from cfdoctor.probes import AddressPolicy, ProbeResult, ProbeTarget

Progress = Callable[[dict[str, Any]], None]
"""Told each probe step as it starts and ends (a ProgressEvent as a dict)."""

SHORT_CAUSES = 3
"""Causes a probe's own short diagnosis lists."""


@dataclass(frozen=True)
class ProbeOptions:
    """The probe options of `probe` and `diagnose --probe`, as typed; None means not given."""

    port: int | None = None
    protocol: str | None = None
    sni: str | None = None
    host_header: str | None = None
    path: str | None = None
    timeout: float | None = None
    read_timeout: float | None = None
    ca_bundle: Path | None = None
    dns_server: str | None = None

    def given(self) -> list[str]:
        """The options given, as `--name`, for messages (path is not only a probe option)."""
        return [
            "--" + f.name.replace("_", "-")
            for f in dataclasses.fields(self)
            if f.name != "path" and getattr(self, f.name) is not None
        ]


def target_from_cli(origin: str, options: ProbeOptions) -> ProbeTarget:
    """The target of `cfdoctor probe ORIGIN --port ...`; ProbeInputError (exit 2) if unusable."""
    from cfdoctor.probes import target_from_options

    return target_from_options(
        origin,
        port=options.port,
        protocol=options.protocol or "https",
        sni=options.sni,
        host_header=options.host_header,
        path=options.path or "/",
        timeout=options.timeout,
        read_timeout=options.read_timeout,
        ca_bundle=options.ca_bundle,
    )


def target_for_diagnose(
    origin: str, options: ProbeOptions, evidence: Sequence[str]
) -> ProbeTarget:
    """`diagnose --probe ORIGIN`: with a distribution config among the evidence that has ORIGIN
    (by Id or domain), probe it as CloudFront would, with the config's ports, protocol policy,
    origin SSL protocols, timeouts and Host; otherwise as the options say."""
    from cfdoctor.evidence import EvidenceError, load
    from cfdoctor.probes import ProbeInputError

    for source in evidence:
        if source == "-" or not Path(source).is_file():
            continue
        try:
            if load(Path(source)).kind != "distribution-config":
                continue
            return target_from_config(source, origin, options)
        except (EvidenceError, ProbeInputError, OSError):
            continue  # not this config's origin: the next config, or the options alone
    return target_from_cli(origin, options)


def target_from_config(source: str, origin_id: str | None, options: ProbeOptions) -> ProbeTarget:
    """The target "as CloudFront would" contact an origin of a get-distribution-config JSON.

    Ports, protocol policy, origin SSL protocols and timeouts come from the origin; the Host
    (and SNI) is the viewer's when the cache behavior serving the path forwards it; the path
    CloudFront requests starts with the origin path. With several origins and no `origin_id`,
    the one serving --path is probed. --port, --sni and the timeouts override the config;
    --protocol and --host-header stand for the viewer's request.
    """
    data, _text, label = read_document(source)
    return target_from_config_data(data, label, origin_id, options)


def target_from_config_data(
    data: Any, label: str, origin_id: str | None, options: ProbeOptions
) -> ProbeTarget:
    """`target_from_config` for a config already read (from a file or the CloudFront API)."""
    from cfdoctor.evidence import EvidenceError
    from cfdoctor.evidence import distribution as dist
    from cfdoctor.probes import target_from_origin_config

    try:
        config, base = dist.unwrap(data)
    except EvidenceError:
        raise EvidenceError(
            _("{file}: not a distribution config (aws cloudfront get-distribution-config)").format(
                file=label
            )
        ) from None
    if origin_id is None and options.path is not None:
        origin_id = _origin_serving(config, base, options.path)
    origin = pick_origin(config, origin_id, label)
    behavior = _behavior_for(config, base, origin, options.path)
    forwards = bool(behavior and dist.forwards_host(behavior[0], behavior[1], {})[0])
    viewer_host = options.host_header
    if forwards and viewer_host is None:
        aliases = [a for a in dist.items(config.get("Aliases")) if isinstance(a, str)]
        viewer_host = aliases[0] if aliases else None
    target = target_from_origin_config(
        origin,
        viewer_protocol=options.protocol or "https",
        host_header=viewer_host if forwards else None,
        ca_bundle=None if options.ca_bundle is None else str(options.ca_bundle),
    )
    origin_path = str(origin.get("OriginPath") or "").rstrip("/")
    changes: dict[str, Any] = {"path": origin_path + (options.path or "/")}
    if options.port is not None:
        changes["https_port" if target.protocol == "https" else "http_port"] = options.port
    if options.sni is not None:
        changes["sni"] = options.sni
    if options.timeout is not None:
        changes.update(connect_timeout=options.timeout, read_timeout=max(options.timeout, 1.0))
    if options.read_timeout is not None:
        changes["read_timeout"] = options.read_timeout
    return dataclasses.replace(target, **changes)  # validated again: ProbeInputError if bad


def _origin_serving(config: dict[str, Any], base: str, path: str) -> str | None:
    """The Id of the origin the cache behavior serving `path` sends to (an origin group's
    primary), or None when that behavior names no origin; only asked with several origins."""
    from cfdoctor.evidence import distribution as dist

    if len(dist.items(config.get("Origins"))) < 2:
        return None
    behavior, _where = dist.select_behavior(config, base, path)
    found = dist.find_origin(config, base, str(behavior.get("TargetOriginId", "")))
    return str(found[0].get("Id")) if found else None


def pick_origin(config: dict[str, Any], wanted: str | None, label: str) -> dict[str, Any]:
    """The origin named by Id or domain, or the only one; a clear error listing them otherwise."""
    from cfdoctor.evidence import distribution as dist
    from cfdoctor.probes import ProbeInputError

    origins = [o for o in dist.items(config.get("Origins")) if isinstance(o, dict)]
    if not origins:
        raise ProbeInputError(_("{file}: the config has no origins").format(file=label))
    if wanted is not None:
        key = wanted.lower().rstrip(".")
        for origin in origins:
            domain = str(origin.get("DomainName", "")).lower().rstrip(".")
            if wanted == origin.get("Id") or key == domain:
                return origin
    elif len(origins) == 1:
        return origins[0]
    listed = ", ".join(f"{o.get('Id')} ({o.get('DomainName')})" for o in origins)
    if wanted is None:
        message = _("{file} has {n} origins; choose one with --origin ID: {origins}")
    else:
        message = _("{file} has no origin '{wanted}'; its origins: {origins}")
    raise ProbeInputError(message.format(file=label, n=len(origins), wanted=wanted, origins=listed))


def _behavior_for(
    config: dict[str, Any], base: str, origin: dict[str, Any], path: str | None
) -> tuple[dict[str, Any], str] | None:
    """The cache behavior that sends requests to `origin`: the one serving `path` when it
    does, else the default behavior, else the first behavior targeting it."""
    from cfdoctor.evidence import distribution as dist

    def targets(b: dict[str, Any]) -> bool:
        found = dist.find_origin(config, base, str(b.get("TargetOriginId", "")))
        return found is not None and found[0] is origin

    candidates: list[tuple[dict[str, Any], str]] = []
    if path is not None:
        candidates.append(dist.select_behavior(config, base, path))
    default = config.get("DefaultCacheBehavior")
    if isinstance(default, dict):
        candidates.append((default, f"{base}.DefaultCacheBehavior"))
    for i, b in enumerate(dist.items(config.get("CacheBehaviors"))):
        if isinstance(b, dict):
            candidates.append((b, f"{base}.CacheBehaviors.Items[{i}]"))
    return next((c for c in candidates if targets(c[0])), None)


def run_probe(
    target: ProbeTarget,
    dns_server: str | None,
    *,
    policy: AddressPolicy,
    progress: Progress | None = None,
) -> ProbeResult:
    """Probe `target` under `policy`; AddressRefusedError (exit 5) when the policy refused."""
    from cfdoctor.probes import ProgressEvent, make_resolver, probe

    resolver = make_resolver(dns_server) if dns_server else None

    def show(event: ProgressEvent) -> None:
        assert progress is not None
        progress(dataclasses.asdict(event))

    result = probe(target, policy=policy, resolver=resolver, progress=show if progress else None)
    result.raise_if_refused()
    return result


def short_diagnosis(reasoner: Reasoner, result: ProbeResult, lang: str) -> dict[str, Any]:
    """What the probe's facts alone suggest: the state and the leading causes."""
    from cfdoctor.engine.session import Session

    session = Session(reasoner)
    result.observe_into(session)
    full = session.diagnosis().to_dict(lang)  # with its question: "asking" is the honest state
    return {
        "state": full["state"],
        "confident_cause": full["confident_cause"],
        "causes": [
            {"id": c["id"], "title": c["title"], "confidence": c["confidence"]}
            for c in full["causes"][:SHORT_CAUSES]
        ],
    }


def diagnose_command(target: ProbeTarget, dns_server: str | None, extra: Sequence[str]) -> str:
    """The `diagnose --probe` command line that probes the same target, for the text hint."""
    import shlex

    from cfdoctor.cloudfront import CONNECTION_TIMEOUT, READ_TIMEOUT

    t = target
    words = ["cfdoctor", "diagnose", "--probe", t.domain]
    if t.protocol != "https":
        words += ["--protocol", t.protocol]
    if t.port != (443 if t.protocol == "https" else 80):
        words += ["--port", str(t.port)]
    for option, value, default in (
        ("--sni", t.sni, None),
        ("--host-header", t.host_header, t.sni),
        ("--path", t.path, "/"),
        ("--ca-bundle", t.ca_bundle, None),
        ("--dns-server", dns_server, None),
    ):
        if value is not None and value != default:
            words += [option, value]
    read = READ_TIMEOUT  # what the options below give without --read-timeout
    if t.connect_timeout != CONNECTION_TIMEOUT:
        words += ["--timeout", f"{t.connect_timeout:g}"]
        read = max(t.connect_timeout, 1.0)
    if t.read_timeout != read:
        words += ["--read-timeout", f"{t.read_timeout:g}"]
    return shlex.join([*words, *extra])


def lab_dict(lab: Lab) -> dict[str, Any]:
    """The lab's origins for `cfdoctor lab --json`: what each fault is and how to probe it."""
    return {
        "ca_bundle": str(lab.ca_bundle),
        "dns_server": lab.dns_server.address,
        "origins": [
            {
                "fault": o.fault,
                "title": _(o.title),
                "viewer_status": o.viewer_status,
                "expected_cause": o.expected_cause,
                "domain": o.target.domain,
                "protocol": o.target.protocol,
                "port": o.target.port,
                "nameserver": o.nameserver,
                "command": o.command(),
            }
            for o in lab.origins
        ],
    }
