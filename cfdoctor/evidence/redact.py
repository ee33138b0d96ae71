"""Remove credentials from pasted evidence before anything is stored or printed.

People paste what they have: `curl -v` with an Authorization header, HAR files full of cookies,
signed URLs. None of it may reach a fact, a finding, an error message or a saved session.
"""

from __future__ import annotations

import re

MASK = "[REDACTED]"

SECRET_HEADERS = (
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "x-amz-security-token",
)
SECRET_PARAMS = (
    "signature",
    "policy",
    "key-pair-id",
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
)

_HEADER_ALT = "|".join(re.escape(h) for h in SECRET_HEADERS)
_PARAM_ALT = "|".join(re.escape(p) for p in SECRET_PARAMS)
_NAMES_ALT = "|".join(re.escape(n) for n in (*SECRET_HEADERS, *SECRET_PARAMS))

# "Authorization: Bearer x" in a header line, a curl -H argument or a sentence. The value is a
# quoted string when it starts with a quote; otherwise it runs to the end of the line or a quote
# that closes a shell argument, taking along `name="quoted"` parts (Digest, cookies) whole.
_HEADER = re.compile(
    rf"(?i)(?<![\w-])({_HEADER_ALT})(\s*:[ \t]*)"
    r"(\"(?:[^\"\\\r\n]|\\.)*\"?|'[^'\r\n]*'?|[^\r\n'\"]*(?:(?<==)\"[^\"\r\n]*\"?[^\r\n'\"]*)*)"
)
# ?Signature=...&Key-Pair-Id=... in a URL (also HTML-escaped &amp;, and percent-encoded once or
# twice, as in a signed URL carried inside another URL or a header value).
_SEP = r"(?:[?&;]|&amp;|%(?:25)?3[fF]|%(?:25)?26)"
_EQ = r"(?:=|%(?:25)?3[dD])"
_PARAM = re.compile(rf"(?i)({_SEP}(?:{_PARAM_ALT}){_EQ})((?:(?!%(?:25)?26)[^&\s#\"'<>])*)")
# scheme://user:password@host: the password goes, the user and host stay.
_USERINFO = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@'\"<>]*:)([^@\s/'\"<>]+)(@)")
# HAR / JSON name-value pairs, in either order.
_JSON_NV = re.compile(
    rf'(?i)("name"\s*:\s*"(?:{_NAMES_ALT})"\s*,\s*"value"\s*:\s*")((?:[^"\\]|\\.)*)(")'
)
_JSON_VN = re.compile(
    rf'(?i)("value"\s*:\s*")((?:[^"\\]|\\.)*)("\s*,\s*"name"\s*:\s*"(?:{_NAMES_ALT})")'
)
# {"Authorization": "..."} style objects.
_JSON_KEY = re.compile(rf'(?i)("(?:{_NAMES_ALT})"\s*:\s*")((?:[^"\\]|\\.)*)(")')


def redact(text: str) -> str:
    """The text with every credential value replaced by [REDACTED]; everything else unchanged."""
    if not text:
        return text
    text = _JSON_NV.sub(lambda m: m.group(1) + MASK + m.group(3), text)
    text = _JSON_VN.sub(lambda m: m.group(1) + MASK + m.group(3), text)
    text = _JSON_KEY.sub(lambda m: m.group(1) + MASK + m.group(3), text)
    text = _HEADER.sub(
        lambda m: m.group(1) + m.group(2) + (MASK if m.group(3).strip() else m.group(3)), text
    )
    text = _USERINFO.sub(lambda m: m.group(1) + MASK + m.group(3), text)
    return _PARAM.sub(lambda m: m.group(1) + MASK, text)


def is_secret_header(name: str) -> bool:
    return name.strip().lower() in SECRET_HEADERS
