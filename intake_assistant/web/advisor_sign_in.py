"""The advisor's side of ``serve --store``: an advisor signs in with their own team-store token.

On a team store the served intake's advisor link names a person: an advisor opens ``/advisor``
(behind the visitors' access token, the Host check and the CSRF check of every form here),
types the token ``store add-advisor`` printed for them, and the server checks it against the
store (an advisor of the serving team, not revoked). The browser then holds an opaque session
cookie, never the token; the token stays in this process's memory and goes only to that
advisor's own terminal tabs (through a pipe each reads once, never their environment), whose
answers, opens and exports then name them in the provenance and the access log. A wrong token,
or one of another team, is refused in the visitor's language. The token is checked again at
every request of the session (on the server's own store connection): an advisor revoked
meanwhile is signed out there and told why.
"""

from __future__ import annotations

import asyncio
import math
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from intake_assistant.i18n import Message, translator
from intake_assistant.stores.advisor_tokens import could_be_token

from . import guard
from .sign_in_limits import Refusal, SignInLimits
from .site import FORM, VISITOR, Visitor, WebSite, see_other

if TYPE_CHECKING:
    from intake_assistant.stores.postgres_store import PostgresStore

SIGN_IN_PATH = "/advisor"
SIGN_OUT_PATH = "/advisor/sign-out"
SESSION_COOKIE = "intake_advisor_session"
MAX_SIGNED_IN = 500
#: Set on a request whose sign-in ended because the advisor's token was revoked.
REVOKED_KEY = web.RequestKey("advisor_revoked", bool)
SIGNED_IN_SECONDS = 12 * 3600


@dataclass(frozen=True, slots=True)
class SignedIn:
    """An advisor signed in on this server: their token (in memory only) and name."""

    token: str
    name: str
    since: float


@dataclass(frozen=True, slots=True)
class TokenCheck:
    """What the store says of a typed token: the advisor's name, or why it is refused
    (``reachable`` False: the store could not be asked)."""

    name: str | None = None
    refused: Message | None = None
    reachable: bool = True


def check_token(host: PostgresStore, token: str) -> TokenCheck:
    """Ask the team store, on the server's own connection (``host``, the advisor the server
    works as), whose ``token`` this is: an advisor of the server's team, not revoked. A round
    trip: call it off the loop."""
    from intake_assistant.stores.store_protocol import StoreUnavailableError

    if not could_be_token(token):
        return TokenCheck(refused=_WRONG)
    try:
        advisor = host.advisor_of(token)
    except StoreUnavailableError:
        return TokenCheck(reachable=False, refused=Message(
            "The team store cannot be reached just now, so your token cannot be checked. Try "
            "again in a few minutes."))
    if advisor is None:
        return TokenCheck(refused=_WRONG)
    if advisor.team_id != host.advisor.team_id:
        return TokenCheck(refused=Message(
            "This token is of an advisor of another team. This server keeps the intakes of "
            "one team only; sign in with a token of that team."))
    return TokenCheck(name=advisor.name)


_WRONG = Message("This token is not valid here: it is wrong, or it was revoked. Use the token "
                 "'store add-advisor' printed for you.")
#: A signed-in advisor whose token was revoked meanwhile, at their session's next request.
REVOKED = Message("You are signed out: your advisor token was revoked. Ask the administrator "
                  "of your team's store for a new token, then sign in again at /advisor.")


class AdvisorSignIn:
    """The sign-in pages and the advisors signed in (bounded; each for at most 12 hours)."""

    def __init__(self, site: WebSite, check: Callable[[str], TokenCheck], *,
                 after: str) -> None:
        self.site = site
        self._check = check
        self._after = after
        self._signed_in: OrderedDict[str, SignedIn] = OrderedDict()
        #: Session keys whose advisor was found revoked while away (told at the next request).
        self._revoked: OrderedDict[str, None] = OrderedDict()
        #: Failed sign-ins per client address and in all (``sign_in_limits``).
        self.limits = SignInLimits()

    def routes(self) -> list[web.AbstractRouteDef]:
        return [web.get(SIGN_IN_PATH, self.form_page), web.post(SIGN_IN_PATH, self.sign_in),
                web.post(SIGN_OUT_PATH, self.sign_out)]

    def _session(self, request: web.Request) -> tuple[str, SignedIn | None]:
        """The session cookie's key and the sign-in it names (None: none, or expired)."""
        key = request.cookies.get(SESSION_COOKIE, "")[:100]
        advisor = self._signed_in.get(key) if key else None
        if advisor is not None and time.monotonic() - advisor.since > SIGNED_IN_SECONDS:
            del self._signed_in[key]
            return key, None
        return key, advisor

    async def signed_in(self, request: web.Request) -> SignedIn | None:
        """The advisor this request's session cookie names (None: nobody signed in). Their
        token is checked against the store again at each request: one revoked meanwhile is
        signed out here (``request[REVOKED_KEY]`` then says so). A store that cannot be asked
        just now leaves the sign-in as it is (the advisor's tab cannot reach it either)."""
        key, advisor = self._session(request)
        if key in self._revoked:  # found revoked meanwhile (``sign_out_revoked``)
            del self._revoked[key]
            request[REVOKED_KEY] = True
            return None
        if advisor is None:
            return None
        checked = await asyncio.to_thread(self._check, advisor.token)
        if checked.name is None and checked.reachable:
            self._signed_in.pop(key, None)
            request[REVOKED_KEY] = True
            return None
        return advisor

    async def sign_out_revoked(self, tokens: set[str]) -> set[str]:
        """Those of ``tokens`` (of advisors with open tabs) the store now refuses; their
        sign-ins end, and each session's next request says why."""
        revoked = set()
        for token in tokens:
            checked = await asyncio.to_thread(self._check, token)
            if checked.name is None and checked.reachable:
                revoked.add(token)
        for key, advisor in list(self._signed_in.items()):
            if advisor.token in revoked:
                del self._signed_in[key]
                self._revoked[key] = None
                while len(self._revoked) > MAX_SIGNED_IN:
                    self._revoked.popitem(last=False)
        return revoked

    async def form_page(self, request: web.Request) -> web.StreamResponse:
        visitor: Visitor = request[VISITOR]
        tr = translator(visitor.language)
        advisor = await self.signed_in(request)
        if request.get(REVOKED_KEY):
            visitor.errors = {"token": tr.render(REVOKED)}
        response = self.site.form_page(request, "advisor_sign_in.html",
                                       tr("Sign in as an advisor"), refused_status=403,
                                       terminal_link=self._after,
                                       advisor=advisor.name if advisor else None)
        if request.get(REVOKED_KEY):
            response.del_cookie(SESSION_COOKIE, path="/")
        return response

    async def sign_in(self, request: web.Request) -> web.StreamResponse:
        visitor: Visitor = request[VISITOR]
        address = guard.client_address(request, self.site.settings.guard)
        waiting = self.limits.refusal(address)
        if waiting is not None:  # refused without asking the store
            return self._too_many(request, waiting)
        token = str(request[FORM].get("token", "")).strip()[:300]
        checked = await asyncio.to_thread(self._check, token)
        if checked.name is None:
            assert checked.refused is not None
            if checked.reachable:
                self.limits.failed(address)
            visitor.errors = {"token": translator(visitor.language).render(checked.refused)}
            return see_other(SIGN_IN_PATH + "#error-summary")
        self.limits.succeeded(address)
        while len(self._signed_in) >= MAX_SIGNED_IN:  # the oldest first
            self._signed_in.popitem(last=False)
        key = secrets.token_urlsafe(32)
        self._signed_in[key] = SignedIn(token, checked.name, time.monotonic())
        response = see_other(self._after)
        response.set_cookie(SESSION_COOKIE, key, httponly=True, samesite="Strict", path="/",
                            secure=guard.is_secure(request, self.site.settings.guard))
        return response

    def _too_many(self, request: web.Request, waiting: Refusal) -> web.Response:
        """The sign-in page with why it must wait and for how long (429, Retry-After)."""
        visitor: Visitor = request[VISITOR]
        tr = translator(visitor.language)
        why = (tr("Too many failed sign-ins on this server just now.") if waiting.whole_server
               else tr("Too many failed sign-ins from your address."))
        minutes = waiting.wait_minutes
        wait = tr.ngettext("Try again in a minute.", "Try again in {minutes} minutes.", minutes,
                           minutes=str(minutes))
        visitor.errors = {"token": why + " " + wait}
        response = self.site.form_page(request, "advisor_sign_in.html",
                                       tr("Sign in as an advisor"), refused_status=429,
                                       terminal_link=self._after, advisor=None)
        response.headers["Retry-After"] = str(max(1, math.ceil(waiting.wait_seconds)))
        return response

    async def sign_out(self, request: web.Request) -> web.StreamResponse:
        self._signed_in.pop(request.cookies.get(SESSION_COOKIE, "")[:100], None)
        response = see_other("/")
        response.del_cookie(SESSION_COOKIE, path="/")
        return response
