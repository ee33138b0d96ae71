"""`openssl s_client` output (OpenSSL 1.0 to 3.x, with or without -showcerts) as origin.tls.* and
origin.cert.* facts.

The verify code is only reported when a certificate was received: s_client prints
`Verify return code: 0 (ok)` even after a failed handshake. Certificates are read from the PEM
blocks with `cryptography`; where only the chain listing is shown (no -showcerts), its `s:`,
`i:` and `v:` lines stand in for the intermediates.
"""

from __future__ import annotations

import datetime as dt
import re

from cryptography import x509

from cfdoctor import cloudfront
from cfdoctor.engine.model import Value
from cfdoctor.evidence.certs import (
    CertInfo,
    covers,
    from_cert,
    judge_chain,
    validity,
)
from cfdoctor.evidence.model import Evidence, EvidenceError
from cfdoctor.evidence.redact import redact

_NEW = re.compile(r"^New, (\(NONE\)|[\w.]+), Cipher is (\S+)", re.MULTILINE)
_VERIFY = re.compile(r"Verify return code: (\d+) \(([^)\n]*)\)")
_CHAIN_S = re.compile(r"^\s*(\d+) s:(.*)$")
_CHAIN_I = re.compile(r"^\s+i:(.*)$")
_CHAIN_V = re.compile(r"^\s+v:NotBefore: (.+?); NotAfter: (.+?)\s*$")
_PEM = re.compile(r"-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]{1,20000}?-----END CERTIFICATE-----")
_ALERT_NUM = re.compile(r"SSL alert number (\d+)")
_ALERT_TEXT = re.compile(
    r"(?:alert|routines:[\w]*:)\s*([a-z0-9 ]*(?:alert|failure|version|"
    r"available|cipher|number|protocol)[a-z0-9 ]*)"
)
_SESSION_PROTOCOL = re.compile(r"^\s*Protocol\s*:\s*(\S+)", re.MULTILINE)

NO_CONNECTION = (
    "connect:errno=",
    "Connection refused",
    "Connection timed out",
    "No route to host",
    "Network is unreachable",
    "Name or service not known",
    "nodename nor servname",
    "BIO_lookup",
    "gethostbyname failure",
)
NOT_TLS = ("wrong version number", "packet length too long", "record layer failure", "http request")
ALERTS = (
    "alert",
    "handshake failure",
    "no protocols available",
    "no shared cipher",
    "unsupported protocol",
    "no peer certificate available",
)


def _date(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(" ".join(text.split()), "%b %d %H:%M:%S %Y GMT").replace(
            tzinfo=dt.UTC
        )
    except ValueError:
        return None


def _load(pem: str) -> x509.Certificate | None:
    try:
        return x509.load_pem_x509_certificate(pem.encode())
    except (ValueError, TypeError, x509.InvalidVersion):  # a mangled PEM can say any version
        return None


def chain(text: str) -> list[CertInfo]:
    """Certificates of the "Certificate chain" section, PEM-backed where -showcerts gave one."""
    entries: dict[int, dict[str, str]] = {}
    pems: dict[int, x509.Certificate] = {}
    lines = text.splitlines()
    idx: int | None = None
    in_chain = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("Certificate chain"):
            in_chain = True
        elif in_chain and line.startswith("---") and not line.startswith("-----"):
            in_chain = False
        elif in_chain and (m := _CHAIN_S.match(line)):
            idx = int(m.group(1))
            entries[idx] = {"s": m.group(2).strip()}
        elif in_chain and idx is not None and (mi := _CHAIN_I.match(line)):
            entries[idx]["i"] = mi.group(1).strip()
        elif in_chain and idx is not None and (mv := _CHAIN_V.match(line)):
            entries[idx]["nb"], entries[idx]["na"] = mv.group(1), mv.group(2)
        elif in_chain and idx is not None and line.startswith("-----BEGIN CERTIFICATE-----"):
            j = i
            while j < len(lines) and not lines[j].startswith("-----END CERTIFICATE-----"):
                j += 1
            cert = _load("\n".join(lines[i : j + 1]))
            if cert is not None:
                pems[idx] = cert
            i = j
        i += 1
    out: list[CertInfo] = []
    for n in sorted(entries):
        e = entries[n]
        if n in pems:
            out.append(from_cert(pems[n]))
        else:
            nb, na = _date(e.get("nb", "")), _date(e.get("na", ""))
            out.append(CertInfo(e["s"], e.get("i", ""), nb, na))
    leaf_pem = _server_certificate(text)
    if leaf_pem is not None:
        if out and out[0].cert is None:
            out[0] = from_cert(leaf_pem)
        elif not out:
            out.append(from_cert(leaf_pem))
    return out


def _server_certificate(text: str) -> x509.Certificate | None:
    at = text.find("Server certificate")
    if at < 0:
        return None
    m = _PEM.search(text, at)
    return _load(m.group(0)) if m else None


def handshake(text: str) -> tuple[str, str | None, str | None]:
    """(origin.tls.handshake value, protocol, cipher)."""
    m = _NEW.search(text)
    if m and m.group(1) != "(NONE)" and m.group(2) != "(NONE)":
        return "completed", m.group(1), m.group(2)
    if "CONNECTED(" not in text and any(s in text for s in NO_CONNECTION):
        return "no-connection", None, None
    low = text.lower()
    if any(s in low for s in NOT_TLS):
        return "not-tls", None, None
    if any(s in low for s in ALERTS) or m:
        return "alert", None, None
    raise EvidenceError("no handshake result")


def parse(
    text: str, label: str, *, origin_domain: str | None = None, now: dt.datetime | None = None
) -> Evidence:
    try:
        outcome, protocol, cipher = handshake(text)
    except EvidenceError:
        raise EvidenceError(
            f"{label}: openssl output without a handshake result (no `New, ... Cipher is` line "
            "and no error); run `openssl s_client -connect HOST:443 -servername HOST </dev/null`"
        ) from None
    facts: dict[str, Value] = {"origin.tls.handshake": outcome}
    details: dict[str, object] = {"handshake": outcome}
    if outcome == "alert":
        num = _ALERT_NUM.search(text)
        desc = _ALERT_TEXT.search(text.lower())
        details["alert"] = {
            "number": int(num.group(1)) if num else None,
            "text": desc.group(1).strip() if desc else None,
        }
        offered = _SESSION_PROTOCOL.search(text)
        if num and num.group(1) == "70" and offered and offered.group(1) == "TLSv1.2":
            # The server refused a TLS 1.2 ClientHello with protocol_version: it wants newer.
            facts["origin.tls.tls13_only"] = True
            facts["origin.tls.shared_protocol"] = False
    if outcome != "completed":
        return Evidence("openssl", label, facts, details=details)

    details.update(protocol=protocol, cipher=cipher)
    if protocol in cloudfront.DEFAULT_ORIGIN_SSL_PROTOCOLS:  # SSLv3 is never negotiated today
        facts["origin.tls.shared_protocol"] = True
        facts["origin.tls.tls13_only"] = False
        facts["origin.tls.shared_cipher"] = cipher in cloudfront.ORIGIN_CIPHERS
    certs = chain(text)
    codes = _VERIFY.findall(text)
    if certs and codes:
        facts["origin.tls.verify_code"] = int(codes[-1][0])
        details["verify"] = {"code": int(codes[-1][0]), "text": codes[-1][1]}
    if certs:
        leaf = certs[0]
        facts["origin.cert.self_signed"] = leaf.self_issued
        verdict = judge_chain(certs)
        facts["origin.cert.chain_in_order"] = verdict.in_order
        code = facts.get("origin.tls.verify_code")
        complete = verdict.complete
        if code in (2, 21) and complete is None:
            complete = False
        if complete is not None:
            facts["origin.cert.chain_complete"] = complete
        if verdict.trusted is not None:
            facts["origin.cert.issuer_trusted"] = verdict.trusted
        expired, future = validity(certs, now or dt.datetime.now(dt.UTC))
        if expired is None and code == 10:
            expired = True
        if future is None and code == 9:
            future = True
        if expired is None and future is None and code == 0:
            expired = future = False
        if expired is not None:
            facts["origin.cert.expired"] = expired
        if future is not None:
            facts["origin.cert.not_yet_valid"] = future
        if origin_domain and leaf.cert is not None:
            facts["origin.cert.covers_origin_domain"] = covers(leaf.names(), origin_domain)
        details["certificates"] = [c.to_dict() for c in certs]
    return Evidence("openssl", label, facts, details=_redacted(details))


def _redacted(details: dict[str, object]) -> dict[str, object]:
    return {k: (redact(v) if isinstance(v, str) else v) for k, v in details.items()}
