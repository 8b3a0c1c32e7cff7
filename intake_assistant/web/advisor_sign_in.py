"""The advisor's side of ``serve --store``: an advisor signs in with their own team-store token.

On a team store the served intake's advisor link names a person: an advisor opens ``/advisor``
(behind the visitors' access token, the Host check and the CSRF check of every form here),
types the token ``store add-advisor`` printed for them, and the server checks it against the
store (an advisor of the serving team, not revoked). The browser then holds an opaque session
cookie, never the token; the token stays in this process's memory and goes only into the
environment of that advisor's own terminal tabs, whose answers, opens and exports then name
them in the provenance and the access log. A wrong token, or one of another team, is refused
in the visitor's language.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from intake_assistant.i18n import Message, translator
from intake_assistant.stores.advisor_tokens import could_be_token

from . import guard
from .site import FORM, VISITOR, Visitor, WebSite, see_other

SIGN_IN_PATH = "/advisor"
SIGN_OUT_PATH = "/advisor/sign-out"
SESSION_COOKIE = "intake_advisor_session"
MAX_SIGNED_IN = 500
SIGNED_IN_SECONDS = 12 * 3600


@dataclass(frozen=True, slots=True)
class SignedIn:
    """An advisor signed in on this server: their token (in memory only) and name."""

    token: str
    name: str
    since: float


@dataclass(frozen=True, slots=True)
class TokenCheck:
    """What the store says of a typed token: the advisor's name, or why it is refused."""

    name: str | None = None
    refused: Message | None = None


def check_token(store: str, team_id: int, token: str) -> TokenCheck:
    """Ask the team store whose ``token`` this is (a round trip: call it off the loop)."""
    from intake_assistant.stores.postgres_store import PostgresStore
    from intake_assistant.stores.store_protocol import StoreAccessError, StoreUnavailableError

    if not could_be_token(token):
        return TokenCheck(refused=_WRONG)
    try:
        opened = PostgresStore(store, token)
    except StoreAccessError:
        return TokenCheck(refused=_WRONG)
    except StoreUnavailableError:
        return TokenCheck(refused=Message(
            "The team store cannot be reached just now, so your token cannot be checked. Try "
            "again in a few minutes."))
    try:
        advisor = opened.advisor
    finally:
        opened.close()
    if advisor.team_id != team_id:
        return TokenCheck(refused=Message(
            "This token is of an advisor of another team. This server keeps the intakes of "
            "one team only; sign in with a token of that team."))
    return TokenCheck(name=advisor.name)


_WRONG = Message("This token is not valid here: it is wrong, or it was revoked. Use the token "
                 "'store add-advisor' printed for you.")


class AdvisorSignIn:
    """The sign-in pages and the advisors signed in (bounded; each for at most 12 hours)."""

    def __init__(self, site: WebSite, check: Callable[[str], TokenCheck], *,
                 after: str) -> None:
        self.site = site
        self._check = check
        self._after = after
        self._signed_in: OrderedDict[str, SignedIn] = OrderedDict()

    def routes(self) -> list[web.AbstractRouteDef]:
        return [web.get(SIGN_IN_PATH, self.form_page), web.post(SIGN_IN_PATH, self.sign_in),
                web.post(SIGN_OUT_PATH, self.sign_out)]

    def signed_in(self, request: web.Request) -> SignedIn | None:
        """The advisor this request's session cookie names (None: nobody signed in)."""
        key = request.cookies.get(SESSION_COOKIE, "")[:100]
        advisor = self._signed_in.get(key) if key else None
        if advisor is None:
            return None
        if time.monotonic() - advisor.since > SIGNED_IN_SECONDS:
            del self._signed_in[key]
            return None
        return advisor

    async def form_page(self, request: web.Request) -> web.StreamResponse:
        tr = translator(request[VISITOR].language)
        advisor = self.signed_in(request)
        return self.site.form_page(request, "advisor_sign_in.html", tr("Sign in as an advisor"),
                                   refused_status=403, terminal_link=self._after,
                                   advisor=advisor.name if advisor else None)

    async def sign_in(self, request: web.Request) -> web.StreamResponse:
        visitor: Visitor = request[VISITOR]
        token = str(request[FORM].get("token", "")).strip()[:300]
        checked = await asyncio.to_thread(self._check, token)
        if checked.name is None:
            assert checked.refused is not None
            visitor.errors = {"token": translator(visitor.language).render(checked.refused)}
            return see_other(SIGN_IN_PATH + "#error-summary")
        while len(self._signed_in) >= MAX_SIGNED_IN:  # the oldest first
            self._signed_in.popitem(last=False)
        key = secrets.token_urlsafe(32)
        self._signed_in[key] = SignedIn(token, checked.name, time.monotonic())
        response = see_other(self._after)
        response.set_cookie(SESSION_COOKIE, key, httponly=True, samesite="Strict", path="/",
                            secure=guard.is_secure(request, self.site.settings.guard))
        return response

    async def sign_out(self, request: web.Request) -> web.StreamResponse:
        self._signed_in.pop(request.cookies.get(SESSION_COOKIE, "")[:100], None)
        response = see_other("/")
        response.del_cookie(SESSION_COOKIE, path="/")
        return response
