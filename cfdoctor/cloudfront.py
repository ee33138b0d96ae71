"""What CloudFront itself does when it talks to a custom origin, as AWS documents it.

The probes imitate these settings, so a probe's answer is the answer CloudFront would get, and
the evidence parsers judge pasted output against the same lists.
Sources: the Developer Guide pages "Supported protocols and ciphers between CloudFront and the
origin" (secure-connections-supported-ciphers-cloudfront-to-origin.html), "Origin settings"
(DownloadDistValuesOrigin.html) and the API reference of CustomOriginConfig / OriginSslProtocols.
"""

from __future__ import annotations

ORIGIN_SSL_PROTOCOLS: tuple[str, ...] = ("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2")
"""Every value `OriginSslProtocols.Items` may hold; there is no TLSv1.3 value for origins."""

DEFAULT_ORIGIN_SSL_PROTOCOLS: tuple[str, ...] = ("TLSv1", "TLSv1.1", "TLSv1.2")
"""Assumed when the distribution's setting is not known: every version CloudFront can still
speak except SSLv3, so the probe never blames a protocol the distribution may well allow."""

ORIGIN_CIPHERS: tuple[str, ...] = (
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-AES256-SHA384",
    "ECDHE-ECDSA-AES256-SHA",
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES128-SHA256",
    "ECDHE-ECDSA-AES128-SHA",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-SHA384",
    "ECDHE-RSA-AES256-SHA",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-SHA256",
    "ECDHE-RSA-AES128-SHA",
    "AES256-SHA",
    "AES128-SHA",
    "DES-CBC3-SHA",
    "RC4-MD5",
)
"""CloudFront's origin-facing cipher suites, in OpenSSL names (TLS 1.2 and older only)."""

ORIGIN_CURVES: tuple[str, ...] = ("prime256v1", "secp384r1", "X25519")
"""ECDHE groups CloudFront offers to origins."""

CONNECTION_TIMEOUT = 10.0
"""Seconds CloudFront waits for a TCP connection (ConnectionTimeout, 1-10, default 10)."""

CONNECTION_ATTEMPTS = 3
"""Connection attempts before CloudFront gives up (ConnectionAttempts, 1-3, default 3)."""

READ_TIMEOUT = 30.0
"""Seconds CloudFront waits for the origin's response (OriginReadTimeout, default 30)."""

KEEPALIVE_TIMEOUT = 5.0
"""Seconds CloudFront keeps an idle origin connection (OriginKeepaliveTimeout, default 5)."""

MAX_READ_TIMEOUT = 180.0
"""The largest read timeout AWS grants on request; a probe never waits longer."""

USER_AGENT = "Amazon CloudFront"
"""CloudFront replaces the viewer's User-Agent with this unless the header is forwarded."""
