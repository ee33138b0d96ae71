"""`dig` (full or +short) and `nslookup` (BIND and Windows) output as origin.dns.* facts.

Only answers to address queries (A, AAAA, ANY) say whether the origin resolves; a `dig NS`
output is read but settles nothing. The resolver's own address in nslookup's header is never
taken for an answer. A name whose answers are all private, loopback, link-local or shared
(CGNAT) addresses is one CloudFront cannot reach over the internet.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from cfdoctor.engine.model import Value
from cfdoctor.evidence.model import Evidence, EvidenceError
from cfdoctor.evidence.redact import redact

_STATUS = re.compile(r";; ->>HEADER<<- opcode: \w+, status: (\w+)")
_QUESTION = re.compile(r"^;([^\s;]\S*)\s+(?:\d+\s+)?IN\s+([A-Z0-9]+)\s*$", re.MULTILINE)
_RR = re.compile(r"^(\S+)\s+(\d+)\s+IN\s+([A-Z0-9]+)\s+(\S.*?)\s*$")
_SHORT_LINE = re.compile(r"^(?:[0-9.]+|[0-9a-fA-F:]+|[A-Za-z0-9_-][A-Za-z0-9_.-]*\.)$")
_NS_CANT_FIND = re.compile(
    r"\*\* (?:server can't find|\S+ can't find) (\S+?):? ?(NXDOMAIN|SERVFAIL|"
    r"REFUSED|Non-existent domain|Server failed|No answer)",
    re.IGNORECASE,
)
_NS_NO_ANSWER = re.compile(r"\*\*\* Can't find (\S+?): No answer")
_NS_CNAME = re.compile(r"^(\S+)\s+canonical name = (\S+?)\.?\s*$", re.MULTILINE)
_NS_ADDR = re.compile(r"^\s*(?:Address(?:es)?:)?\s*([0-9a-fA-F:.]+)\s*$")
_SHARED = ipaddress.ip_network("100.64.0.0/10")
ADDRESS_TYPES = ("A", "AAAA", "ANY")
STATUS = {"NOERROR": "resolves", "NXDOMAIN": "nxdomain", "SERVFAIL": "servfail"}


@dataclass
class Lookup:
    """One name's resolution as the output shows it."""

    name: str | None = None
    qtype: str = "A"
    rcode: str | None = None
    cnames: list[tuple[str, str]] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)

    def chain(self) -> list[str]:
        """The CNAME chain from the queried name, each name once."""
        if self.name is None:
            return [target for _, target in self.cnames]
        out: list[str] = []
        current, hops = self.name, dict(self.cnames)
        while current in hops and len(out) < 16:
            current = hops[current]
            out.append(current)
        return out


def _host(name: str) -> str:
    return name.strip().rstrip(".").lower()


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def unreachable(address: str) -> bool:
    """An address CloudFront cannot reach over the internet (RFC 1918, ULA, loopback, ...)."""
    ip = _ip(address)
    if ip is None:
        return False
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return True
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_unspecified


def parse_dig(text: str) -> list[Lookup]:
    """Each `;; ->>HEADER<<-` block of (possibly several concatenated) dig outputs."""
    blocks = re.split(r"(?=^; <<>> DiG)", text, flags=re.MULTILINE)
    out: list[Lookup] = []
    for block in blocks:
        status = _STATUS.search(block)
        q = _QUESTION.search(block)
        look = Lookup(_host(q.group(1)) if q else None, q.group(2) if q else "A")
        if status:
            look.rcode = status.group(1)
        elif "no servers could be reached" in block or "connection timed out" in block:
            look.rcode = "SERVFAIL"
        else:
            continue
        answer = block.split(";; ANSWER SECTION:", 1)
        if len(answer) == 2:
            for line in answer[1].split("\n\n", 1)[0].splitlines():
                m = _RR.match(line.strip())
                if not m:
                    continue
                owner, rtype, data = _host(m.group(1)), m.group(3), m.group(4)
                if rtype == "CNAME":
                    look.cnames.append((owner, _host(data)))
                elif rtype in ("A", "AAAA") and _ip(data):
                    look.addresses.append(data.strip())
        out.append(look)
    return out


def parse_short(text: str) -> list[Lookup]:
    look = Lookup(None)
    prev: str | None = None
    for line in text.split():
        if _ip(line):
            look.addresses.append(line)
        else:
            look.cnames.append((prev or "", _host(line)))
            prev = _host(line)
    look.rcode = "NOERROR" if look.addresses else None
    return [look] if look.rcode else []


def parse_nslookup(text: str) -> list[Lookup]:
    # The first block names the resolver (Server:/Address:); answers follow a blank line.
    parts = re.split(r"\n\s*\n", text.strip(), maxsplit=1)
    head, body = (parts[0], parts[1]) if len(parts) == 2 and "Server:" in parts[0] else ("", text)
    del head
    look = Lookup(None)
    m = _NS_CANT_FIND.search(body)
    if m:
        look.name = _host(m.group(1))
        word = m.group(2).upper()
        look.rcode = {"NON-EXISTENT DOMAIN": "NXDOMAIN", "SERVER FAILED": "SERVFAIL"}.get(
            word, "NOERROR" if word == "NO ANSWER" else word
        )
        return [look]
    m2 = _NS_NO_ANSWER.search(body)
    if m2:
        return [Lookup(_host(m2.group(1)), rcode="NOERROR")]
    if "timed out" in body and "no servers could be reached" in body:
        return [Lookup(None, rcode="SERVFAIL")]
    for owner, target in _NS_CNAME.findall(body):
        look.cnames.append((_host(owner), _host(target)))
    in_answer = False
    for line in body.splitlines():
        s = line.strip()
        if s.startswith("Name:"):
            in_answer = True
            look.name = look.name or _host(s.split(":", 1)[1])
            continue
        if s.startswith("Aliases:"):
            break
        mm = _NS_ADDR.match(line)
        if in_answer and mm and _ip(mm.group(1)):
            look.addresses.append(mm.group(1))
    if look.cnames:
        look.name = look.cnames[0][0]
    look.rcode = "NOERROR"
    return [look]


def lookups(text: str) -> list[Lookup]:
    if "<<>> DiG" in text or ";; ->>HEADER<<-" in text:
        return parse_dig(text)
    if "Server:" in text and ("Address" in text or "can't find" in text):
        return parse_nslookup(text)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if lines and all(_SHORT_LINE.match(ln) for ln in lines):
        return parse_short(text)
    return []


def parse(text: str, label: str, *, origin_domain: str | None = None) -> Evidence:
    found = lookups(text)
    if not found:
        raise EvidenceError(
            f"{label}: no DNS answer found; paste the output of `dig ORIGIN_DOMAIN` or "
            "`nslookup ORIGIN_DOMAIN`"
        )
    wanted = _host(origin_domain) if origin_domain else None
    relevant = [lk for lk in found if lk.qtype in ADDRESS_TYPES]
    if wanted:
        relevant = [lk for lk in relevant if lk.name in (None, wanted)] or relevant
    facts: dict[str, Value] = {}
    addresses = [a for lk in relevant for a in lk.addresses]
    codes = {lk.rcode for lk in relevant}
    if addresses:
        facts["origin.dns.status"] = "resolves"
        facts["origin.dns.private_address"] = any(unreachable(a) for a in addresses)
    elif "NXDOMAIN" in codes:
        facts["origin.dns.status"] = "nxdomain"
    elif "SERVFAIL" in codes:
        facts["origin.dns.status"] = "servfail"
    elif "NOERROR" in codes:
        facts["origin.dns.status"] = "no-address"
    chain = [c for lk in relevant for c in lk.chain()]
    if relevant and any(lk.cnames for lk in relevant):
        facts["origin.dns.cname_to_cloudfront"] = any(c.endswith(".cloudfront.net") for c in chain)
    hints: dict[str, str] = {}
    name = next((lk.name for lk in relevant if lk.name), None)
    if name:
        hints["dns_name"] = redact(name)
        hints["cname_chain"] = redact(" ".join(chain))
    details = {
        "lookups": [
            {
                "name": lk.name,
                "type": lk.qtype,
                "status": lk.rcode,
                "cname_chain": lk.chain(),
                "addresses": lk.addresses,
            }
            for lk in found
        ]
    }
    return Evidence("dig", label, facts, hints=hints, details=details)
