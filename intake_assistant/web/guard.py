"""What every request and response of the web intake passes: safe by default.

* **Host check** (DNS rebinding): a request whose ``Host`` is not one of this server's names
  is refused before anything else, so a page of another site that resolves its own name to
  127.0.0.1 cannot open intakes on a loopback server.
* **Headers on every response**, downloads and refusals included: a Content-Security-Policy
  without inline script (``frame-ancestors 'none'``), ``X-Content-Type-Options: nosniff``,
  ``X-Frame-Options``, ``Referrer-Policy: same-origin``, ``Cache-Control: no-store``.
* **Access**: on a server for other machines, the link's token is checked once and exchanged
  for a cookie holding a keyed hash of it (never the token itself); the token leaves the URL.
* **The visitor's cookie** is an opaque random id (HttpOnly, SameSite=Lax, Secure behind
  TLS); ``X-Forwarded-Proto`` counts only from a configured proxy address.
* **CSRF**: every POST carries a token bound to the visitor's cookie (HMAC with a secret of
  this server process), and a foreign ``Origin`` is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

VISITOR_COOKIE = "intake_visitor"
ACCESS_COOKIE = "intake_web_access"
CSRF_FIELD = "csrf"

#: No inline script or style anywhere; pictures are inline SVG (part of the document).
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            "connect-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
#: The served terminal's page (textual-serve's xterm.js) still has inline script and style of
#: its own; framing and other origins are refused as everywhere.
TERMINAL_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; "
                "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
                "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
#: A download may be opened by the browser (the HTML report carries its own style sheet).
DOWNLOAD_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                "frame-ancestors 'none'; sandbox")


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class GuardSettings:
    """Who may ask: this server's names, its access token, a trusted proxy."""

    host: str = "127.0.0.1"
    #: Further names of this server (a DNS name, the proxy's public name), without port.
    allowed_hosts: tuple[str, ...] = ()
    token: str | None = None
    #: Addresses of a reverse proxy whose X-Forwarded-Proto and X-Forwarded-For are
    #: believed (``is_secure``, ``client_address``).
    trusted_proxies: tuple[str, ...] = ()
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    def host_names(self) -> set[str]:
        names = {self.host.lower().strip("[]"), *(h.lower() for h in self.allowed_hosts)}
        if is_loopback(self.host):
            names |= {"localhost", "127.0.0.1", "::1"}
        names.discard("0.0.0.0")
        names.discard("::")
        return names

    def keyed(self, purpose: str, value: str) -> str:
        return hmac.new(self.secret, f"{purpose}\0{value}".encode(), hashlib.sha256).hexdigest()


def host_name(header: str) -> str:
    """The name of a Host header without its port (``[::1]:8000`` -> ``::1``)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def is_secure(request: web.Request, settings: GuardSettings) -> bool:
    """Whether the visitor reached us over TLS (directly, or through the trusted proxy)."""
    if request.secure:
        return True
    peer = request.remote or ""
    if peer in settings.trusted_proxies:
        return request.headers.get("X-Forwarded-Proto", "").strip().lower() == "https"
    return False


def client_address(request: web.Request, settings: GuardSettings) -> str:
    """The visitor's address: the peer's own, or behind a trusted proxy the nearest address of
    its ``X-Forwarded-For`` that is no trusted proxy (the ones further left the client could
    have written itself)."""
    peer = request.remote or ""
    if peer not in settings.trusted_proxies:
        return peer
    # the end of a long header: the proxy appends there (the start is the client's to write)
    forwarded = [part.strip() for part in
                 request.headers.get("X-Forwarded-For", "")[-2000:].split(",")[-20:]]
    for address in reversed(forwarded):
        if address and address not in settings.trusted_proxies:
            return address[:100]
    return peer


def set_safety_headers(response: web.StreamResponse, *, download: bool = False,
                       terminal: bool = False) -> None:
    headers = response.headers
    headers["Content-Security-Policy"] = (DOWNLOAD_CSP if download else
                                          TERMINAL_CSP if terminal else PAGE_CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    # same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on our own
    # forms, and the Origin check would refuse them; other sites still get no referrer.
    headers["Referrer-Policy"] = "same-origin"
    headers.setdefault("Cache-Control", "no-store")
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"


def csrf_token(settings: GuardSettings, visitor: str) -> str:
    return settings.keyed("csrf", visitor)


def csrf_ok(settings: GuardSettings, visitor: str, offered: str) -> bool:
    return bool(offered) and hmac.compare_digest(csrf_token(settings, visitor), offered[:200])


def same_origin(request: web.Request) -> bool:
    """A POST's ``Origin`` (when the browser sends one) names this server."""
    origin = request.headers.get("Origin")
    if origin is None:  # not sent (an older browser): the CSRF token alone decides
        return True
    if "://" not in origin:  # "null": a sandboxed or privacy-sensitive context
        return False
    return origin.split("://", 1)[1].rstrip("/").lower() == (request.host or "").lower()
