"""Options shared by several commands, built per app so their help follows the language.

Each function is called from a postponed annotation (`Annotated[int | None, port_option()]`),
which Typer evaluates when it builds the Click command, after `main()` chose the language.
"""

from __future__ import annotations

from typing import Any

import typer

from cfdoctor.i18n import gettext as _


def json_option() -> Any:
    return typer.Option("--json", help=_("Print JSON for programs instead of text."))


def path_option() -> Any:
    return typer.Option(
        "--path",
        metavar="/URL/PATH",
        help=_(
            "The failing URL path: it selects the cache behavior of a distribution config, "
            "the HAR entry and the access log lines, and is the path a probe requests."
        ),
    )


def port_option(config: bool = False) -> Any:
    """`--port`; `config` when the command also takes --config (its help says more)."""
    return typer.Option(
        "--port",
        metavar="N",
        help=_("Port to probe (default: the config's, else 443 for https and 80 for http).")
        if config
        else _("Port to probe (default: 443 for https, 80 for http)."),
    )


def protocol_option(config: bool = False) -> Any:
    return typer.Option(
        "--protocol",
        metavar="http|https",
        help=_(
            "Protocol CloudFront speaks to the origin (default https); with --config, the "
            "viewer's protocol, which decides for a match-viewer origin."
        )
        if config
        else _("Protocol CloudFront speaks to the origin (default https)."),
    )


def sni_option() -> Any:
    return typer.Option(
        "--sni",
        metavar="NAME",
        help=_("Name sent as SNI and checked against the certificate (default: the origin)."),
    )


def host_header_option(config: bool = False) -> Any:
    return typer.Option(
        "--host-header",
        metavar="NAME",
        help=_(
            "Host header sent to the origin (default: the origin's name); with --config, the "
            "viewer's Host, used when the cache behavior forwards it."
        )
        if config
        else _("Host header sent to the origin (default: the origin's name)."),
    )


def timeout_option() -> Any:
    return typer.Option(
        "--timeout",
        metavar="S",
        help=_("Connection and response timeout in seconds (CloudFront's: 10 and 30)."),
    )


def read_timeout_option() -> Any:
    return typer.Option(
        "--read-timeout",
        metavar="S",
        help=_("Response timeout alone (the origin's OriginReadTimeout), in seconds."),
    )


def ca_bundle_option() -> Any:
    return typer.Option(
        "--ca-bundle",
        metavar="FILE",
        help=_("Trust these CA certificates (PEM) instead of the public CAs CloudFront trusts."),
    )


def dns_server_option() -> Any:
    return typer.Option(
        "--dns-server",
        metavar="ADDR[:PORT]",
        help=_("Resolve the origin with this DNS server instead of the system's resolver."),
    )
