"""Who the preview answers: this computer's own user, never a web page under a name of its own.

A page the person visits can make their browser reach 127.0.0.1 under a name
the page controls (DNS rebinding), and then read the preview, and with
`serve --documents` the letters with names and home addresses. The browser
always sends that name as the request's Host, so the preview answers only
when Host names this computer: localhost, a name under .localhost, an IP
address, or a name the person allowed with --allow-host (as Vite does since
2025). A present Origin must name one of those too; a same-origin
EventSource, which live reload uses, sends none.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

ALLOWED = "localhost, a name under .localhost, an IP address, or a name given with --allow-host"


def host_name(value: str) -> str:
    """The name in a Host header, without its port: 'example.org:8000' -> 'example.org', '[::1]:80' -> '::1'."""
    value = value.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        return name if bracket and (rest == "" or (rest[:1] == ":" and rest[1:].isdigit())) else ""
    name, colon, port = value.rpartition(":")
    return name if colon and port.isdigit() else value


def is_allowed(name: str, allowed: frozenset[str]) -> bool:
    """Whether `name` (a host without its port) is this computer or a name the user allowed."""
    if not name:
        return False
    if name == "localhost" or name.endswith(".localhost") or name in allowed:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _origin_name(origin: str) -> str:
    parts = urlsplit(origin)
    return (parts.hostname or "") if parts.scheme in ("http", "https") else ""


def exposure_warning(host: str, documents: bool) -> str | None:
    """One line when `host` is not this computer only (e.g. 0.0.0.0): who else can read what."""
    if host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass
    what, them = ("the preview and the internal documents (letters with names and home addresses) are", "them") \
        if documents else ("the preview is", "it")
    return (f"warning: listening on {host}: {what} open to every computer that can reach this one "
            f"(the default, --host 127.0.0.1, keeps {them} to this computer)")


def refusal(method: str, target: str, hosts: list[str], origin: str | None,
            allowed: frozenset[str]) -> tuple[int, str] | None:
    """The status and reason to refuse a request with, or None to answer it.

    `hosts` are the request's Host headers (HTTP/1.1 allows exactly one); a target in absolute form
    (GET http://name/path) names its host too, and that name is the one a server must use.
    """
    if len(hosts) > 1:
        return 400, f"{len(hosts)} Host headers (expected one)"
    host = hosts[0] if hosts else None
    if not is_allowed(host_name(host or ""), allowed):
        return 403, f"Host {host!r} is not this computer" if host else "no Host header"
    if not target.startswith("/") and not is_allowed(_origin_name(target), allowed):
        return 403, f"the address {target!r} is not on this computer"
    if origin is not None and not is_allowed(_origin_name(origin), allowed):
        return 403, f"Origin {origin!r} is not this computer"
    if method not in ("GET", "HEAD"):
        return 405, f"method {method} is not served (expected GET or HEAD)"
    return None
