"""``intake-assistant serve``: the intake in a web browser, through textual-serve.

textual-serve (the Textual project's own server) runs one intake process per browser tab and
relays its screen over a websocket; this module adds what a server for strangers needs:

* **Safe by default.** It listens on 127.0.0.1. Any other address needs a token (``--token``
  or ``INTAKE_ASSISTANT_TOKEN``); the page, its websocket and the downloads refuse a
  connection without it (403). A token in the URL is remembered in a same-site, HTTP-only
  cookie. A websocket also needs a single-use ticket that only the page hands out, and an
  ``Origin`` of this server, so that another web site cannot drive an intake.
* **One visitor never sees another's intake.** A visitor's process is started as a *client*:
  its start screen lists no saved intakes; they resume with the personal resume code (or
  link) their intake gives them. Whoever holds the advisor token (printed at the start) gets
  an *advisor* process that lists every served intake.
* **Bounded.** At most ``--max-sessions`` processes at once (the next visitor is told the
  server is full); a session without a key or a click for ``--idle-minutes`` is ended, its
  answers saved first. Ctrl+C ends every session the same way, then the server.

The intake processes save in the server's data folder (files 0600, folders 0700), without
remembered settings: the language a visitor chooses stays theirs.

With ``--store postgresql://…`` (or ``INTAKE_ASSISTANT_STORE``) the intakes are a team's: the
server works in the store as an advisor of its own (its token in
``INTAKE_ASSISTANT_ADVISOR_TOKEN``, e.g. an advisor named for the web intake), and so do the
clients' tabs. The advisor's side is no link secret then: an advisor signs in at ``/advisor``
with their own token (``web/advisor_sign_in.py``) and their tabs work as that person.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hmac
import ipaddress
import json
import os
import secrets
import shlex
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from intake_assistant.i18n import LANGUAGES, Message, translator
from intake_assistant.safe_text import visible
from intake_assistant.stores.advisor_tokens import TOKEN_VARIABLE as TEAM_TOKEN_VARIABLE
from intake_assistant.tui.served.environment import (
    ENV_DATA_DIR,
    ENV_LANG,
    ENV_PDF,
    ENV_RESUME,
    ENV_ROLE,
    ENV_STORE,
    ENV_TOKEN_FD,
    ENV_URL,
    MAX_TOKEN_BYTES,
)

TOKEN_ENV = "INTAKE_ASSISTANT_TOKEN"
# Not INTAKE_ASSISTANT_ADVISOR_TOKEN: that holds an advisor's team-store token, which must never
# become a link secret printed on the screen.
ADVISOR_TOKEN_ENV = "INTAKE_ASSISTANT_ADVISOR_LINK_TOKEN"
ACCESS_COOKIE = "intake_access"
ADVISOR_COOKIE = "intake_advisor"
TICKET_SECONDS = 120
MAX_TICKETS = 1000  # pages opened and not yet connected; a flood of page loads stays bounded
# A pasted draft arrives as one websocket message: room for the loader's largest draft
# (loading.MAX_FILE_BYTES), escaped as JSON.
MAX_MESSAGE_BYTES = 8 * 1024 * 1024
WATCH_SECONDS = 5.0
STOP_SECONDS = 10.0
TEMPLATES = Path(__file__).parent / "web"
#: Who a request of a page or a terminal is for: "advisor" or "client" (``role_of``).
ROLE_KEY = web.RequestKey("role", str)


CLIENT, ADVISOR = "client", "advisor"
#: The terminal's page; the web intake has ``/``. Its websocket, downloads and script keep
#: textual-serve's own paths (its script builds ``/download/...`` from the origin).
TERMINAL_PATH = "/terminal"
TERMINAL_PATHS = (TERMINAL_PATH, "/ws/", "/download/", "/static/")


class ServeError(Exception):
    """A setting with which the server will not start; the message says why."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.msgid)
        self.message = message


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class ServeSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path | None = None
    language: str = "nl"
    token: str | None = None  # needed by every visitor; None only on this machine
    advisor_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    max_sessions: int = 8
    idle_seconds: float = 30 * 60
    #: Further names of this server its Host header may carry (a DNS name, a proxy's).
    allowed_hosts: tuple[str, ...] = ()
    #: Addresses of a reverse proxy whose X-Forwarded-Proto is believed.
    trusted_proxies: tuple[str, ...] = ()
    #: A team store's ``postgresql://`` URL: the intakes are the team's (None: the folder).
    store: str | None = None

    def check(self) -> None:
        if not is_loopback(self.host) and not self.token:
            raise ServeError(Message(
                "Serving on {host} lets other machines connect: give a token with --token "
                "SECRET (or set {env}), so that only those who have the link can open the "
                "intake.", host=self.host, env=TOKEN_ENV))
        if self.host in ("0.0.0.0", "::") and not self.allowed_hosts:
            raise ServeError(Message(
                "Serving on every address ({host}) needs the names visitors use: give "
                "--allowed-host NAME (a request with another Host header is refused, so that "
                "no other web site can reach the intake through its own name).",
                host=self.host))
        for secret in (self.token, self.advisor_token):
            if secret is not None and len(secret) < 16:
                raise ServeError(Message("A token must be at least 16 characters long."))
        if self.token and hmac.compare_digest(self.token, self.advisor_token):
            raise ServeError(Message("The advisor token must differ from the visitors' token."))
        if not 1 <= self.max_sessions <= 1000:
            raise ServeError(Message("--max-sessions must be between 1 and 1000."))
        if self.idle_seconds < 10:
            raise ServeError(Message("--idle-minutes is too short."))
        if not 0 < self.port < 65536:
            raise ServeError(Message("--port must be between 1 and 65535."))


def settings_from_args(args: argparse.Namespace) -> ServeSettings:
    from intake_assistant.storage import default_data_dir
    from intake_assistant.stores import is_store_url, store_location

    language = args.serve_lang or args.lang or "nl"
    data_dir = args.serve_data_dir or args.data_dir
    advisor = args.advisor_token or os.environ.get(ADVISOR_TOKEN_ENV) or None
    settings = ServeSettings(
        host=args.host,
        port=args.port,
        data_dir=Path(data_dir).expanduser() if data_dir else default_data_dir(),
        language=language if language in LANGUAGES else "nl",
        token=_token(args),
        max_sessions=args.max_sessions,
        idle_seconds=args.idle_minutes * 60,
        allowed_hosts=tuple(h.strip().lower() for h in getattr(args, "allowed_host", []) or []
                            if h.strip()),
        trusted_proxies=tuple(getattr(args, "trusted_proxy", []) or []),
        store=store_location(getattr(args, "serve_store_url", None)
                             or getattr(args, "intake_store_url", None)),
    )
    if settings.store is not None and not is_store_url(settings.store):
        raise ServeError(Message("{store} is not a team store: give postgresql://...",
                                 store=visible(settings.store, limit=200)))
    if advisor:
        settings.advisor_token = advisor
    return settings


def _token(args: argparse.Namespace) -> str | None:
    """The visitors' token: from --token-file or the environment; --token still works, with a
    warning (a command line shows in ``ps`` to every user of the machine)."""
    path = getattr(args, "token_file", None)
    if path:
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read(4096).strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ServeError(Message("cannot read the token file {path}: {error}", path=path,
                                     error=getattr(exc, "strerror", None) or str(exc))) from None
        return text or None
    if args.token:
        tr = translator(args.serve_lang or args.lang or "nl")
        sys.stderr.write(tr("--token is deprecated: the secret shows in the process list. Set "
                            "{env} or use --token-file.", env=TOKEN_ENV) + "\n")
        return str(args.token)
    return os.environ.get(TOKEN_ENV) or None


class IntakeAppService(AppService):
    """One intake process: its own environment (role, resume code) and its own session.

    The process gets a session of its own (``start_new_session``) so that the Ctrl+C typed in
    the server's terminal reaches the server only, which then ends each intake in order.
    """

    def __init__(self, command: str, *, environment: dict[str, str],
                 store_token: str | None = None, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.extra_environment = environment
        self._store_token = store_token

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        # a visitor's process holds no secret (nor an advisor's team-store token)
        for name in (TOKEN_ENV, ADVISOR_TOKEN_ENV, TEAM_TOKEN_VARIABLE):
            environment.pop(name, None)
        environment.update(self.extra_environment)
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24):  # type: ignore[no-untyped-def]
        """The tab's process. A team-store token goes through a pipe it inherits and reads
        once (``ENV_TOKEN_FD`` names it), never its environment: written and closed here
        before the start (a token is far below a pipe's buffer), so no copy is left behind
        in either process's environment or in an open pipe."""
        environment = self._build_environment(width=width, height=height)
        token_pipe: int | None = None
        if self._store_token is not None:
            token_pipe, writer = os.pipe()  # not inherited by any other child (PEP 446)
            try:
                os.write(writer, self._store_token.encode("utf-8")[:MAX_TOKEN_BYTES])
            finally:
                os.close(writer)
            environment[ENV_TOKEN_FD] = str(token_pipe)
        try:
            self._process = process = await asyncio.create_subprocess_exec(
                *shlex.split(self.command),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=environment,
                start_new_session=True,
                pass_fds=(token_pipe,) if token_pipe is not None else (),
            )
        finally:
            if token_pipe is not None:
                os.close(token_pipe)
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def kill(self) -> None:
        process = self._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()


def page_language(accept_language: str | None, default: str) -> str:
    """The visitor's language for the page's own texts: the first of ``LANGUAGES`` in their
    browser's ``Accept-Language`` (by its weights), else the server's ``--lang``."""
    offered: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "")[:1000].split(",")[:50]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        language = tag.strip().lower().split("-")[0]
        if language in LANGUAGES and weight > 0:
            offered.append((-weight, index, language))
    return min(offered)[2] if offered else default


@dataclass
class Ticket:
    role: str
    resume: str | None
    base_url: str
    created: float
    language: str = "nl"  # of the page's own texts (the busy message)
    #: On a team store: the token the tab works with (the signed-in advisor's, else the
    #: host's). Kept in this process only; never in a page or a link.
    store_token: str | None = None


@dataclass
class Session:
    service: IntakeAppService
    websocket: web.WebSocketResponse
    role: str
    last_input: float
    ended_idle: bool = False
    #: A signed-in advisor's tab on a team store: the token it works with (None: a client's).
    advisor_token: str | None = None


if TYPE_CHECKING:
    from intake_assistant.web.advisor_sign_in import AdvisorSignIn


class IntakeServer(Server):
    """textual-serve's Server, with tokens, roles, tickets and bounded sessions."""

    def __init__(self, settings: ServeSettings) -> None:
        settings.check()
        self.settings = settings
        command = f"{shlex.quote(sys.executable)} -m intake_assistant.tui.served.tab"
        super().__init__(command, host=settings.host, port=settings.port,
                         title="intake-assistant", templates_path=TEMPLATES)
        self.tr = translator(settings.language)
        self.sessions: dict[str, Session] = {}
        self.tickets: dict[str, Ticket] = {}
        self.refused = 0
        self._watch_task: asyncio.Task[None] | None = None
        self._pdf = _pdf_maker()
        from intake_assistant.web.guard import GuardSettings
        from intake_assistant.web.site import SiteSettings, WebSite

        self.web_guard = GuardSettings(host=settings.host, allowed_hosts=settings.allowed_hosts,
                                       token=settings.token,
                                       trusted_proxies=settings.trusted_proxies)
        # the web intake: every visitor a request, not a process; in the same data folder, or
        # the team store (StoreAccessError, StoreUnavailableError: the server does not start)
        self.site = WebSite(SiteSettings(
            language=settings.language, data_dir=settings.data_dir, guard=self.web_guard,
            terminal_path=TERMINAL_PATH, terminal_paths=TERMINAL_PATHS, pdf=self._pdf,
            store=settings.store))
        #: On a team store: who the server is in it, and the advisors signed in.
        self.host = getattr(self.site.intakes.storage, "advisor", None)
        self.host_token: str | None = None
        self.sign_in: AdvisorSignIn | None = None
        if settings.store is not None and self.host is not None:
            from intake_assistant.stores.advisor_tokens import token_from_environment
            from intake_assistant.web.advisor_sign_in import AdvisorSignIn, check_token

            self.host_token = token_from_environment()
            host_store = self.site.intakes.storage  # tokens are checked on its connection
            self.sign_in = AdvisorSignIn(
                self.site, lambda token: check_token(host_store, token),  # type: ignore[arg-type]
                after=TERMINAL_PATH)

    # -- who is asking -------------------------------------------------------------------
    def role_of(self, request: web.Request) -> str | None:
        """``advisor``, ``client`` or None (refused) for this request."""

        def holds(query_name: str, cookie: str, secret: str) -> bool:
            """The secret in the link, or its keyed hash in the cookie (never the secret)."""
            offered = request.query.get(query_name, "")
            if offered and hmac.compare_digest(offered.encode(), secret.encode()):
                return True
            kept = request.cookies.get(cookie, "")
            return bool(kept) and hmac.compare_digest(kept, self.web_guard.keyed(cookie, secret))

        if self.sign_in is not None:  # a team store: the advisor as a person, signed in
            signed_in = request.get("signed_in")
            if signed_in is not None:
                request["store_token"] = signed_in.token
                return ADVISOR
        elif holds("advisor", ADVISOR_COOKIE, self.settings.advisor_token):
            return ADVISOR
        token = self.settings.token
        if token is None:
            return CLIENT
        if holds("token", ACCESS_COOKIE, token) or self._web_access(request, token):
            return CLIENT
        return None

    def _web_access(self, request: web.Request, token: str) -> bool:
        """The web intake's access cookie (the same token, given on its pages) counts too."""
        from intake_assistant.web.guard import ACCESS_COOKIE as WEB_ACCESS

        kept = request.cookies.get(WEB_ACCESS, "")
        return bool(kept) and hmac.compare_digest(kept, self.web_guard.keyed("access", token))

    def page_translator(self, request: web.Request):  # type: ignore[no-untyped-def]
        """The translator for the page's own texts, in the visitor's language."""
        return translator(page_language(request.headers.get("Accept-Language"),
                                        self.settings.language))

    def _refuse(self, request: web.Request, status: int, message: Message) -> web.Response:
        text = self.page_translator(request).render(message)
        return web.Response(status=status, text=text + "\n", content_type="text/plain",
                            headers={"Cache-Control": "no-store"})

    @web.middleware
    async def guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if not request.path.startswith(TERMINAL_PATHS) or request.path.startswith("/static/"):
            return await handler(request)  # the web intake's pages; the terminal's script
        if self.sign_in is not None:
            from intake_assistant.web.advisor_sign_in import REVOKED, REVOKED_KEY, SESSION_COOKIE

            request["signed_in"] = await self.sign_in.signed_in(request)
            if request.get(REVOKED_KEY):  # signed out at once, told why
                refused = self._refuse(request, 403, REVOKED)
                refused.del_cookie(SESSION_COOKIE, path="/")
                return refused
        role = self.role_of(request)
        if role is None:
            return self._refuse(request, 403, Message(
                "This intake needs the link with its token. Ask the person who runs the "
                "server for it."))
        request[ROLE_KEY] = role
        response = await handler(request)
        if not response.prepared:  # a websocket is prepared already; cookies ride on pages
            for name, cookie in (("token", ACCESS_COOKIE), ("advisor", ADVISOR_COOKIE)):
                value = request.query.get(name)
                if value and (cookie == ADVISOR_COOKIE) == (role == ADVISOR):
                    # a keyed hash of the token, never the token itself
                    response.set_cookie(cookie, self.web_guard.keyed(cookie, value),
                                        httponly=True, samesite="Strict", path="/")
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    # -- the aiohttp application -----------------------------------------------------------
    async def _make_app(self) -> web.Application:
        """The web intake at ``/`` (the link a client gets) and the terminal at ``/terminal``:
        one application, the web intake's guard (Host check, safety headers) before the
        terminal's (tokens, roles, tickets)."""
        sign_in = self.sign_in.routes() if self.sign_in is not None else []
        app = self.site.make_app(extra_middlewares=[self.guard], extra_routes=[*sign_in,
            web.get(TERMINAL_PATH, self.handle_index, name="index"),
            web.get("/ws/{ticket}", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
        ])
        aiohttp_jinja2.setup(app, loader=_jinja_loader(self.templates_path), autoescape=True)
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    def base_url(self, request: web.Request) -> str:
        return f"{request.scheme}://{request.host}"

    def visitor_url(self, base: str, role: str, *, page: str = TERMINAL_PATH,
                    **extra: str) -> str:
        """The terminal's link for ``role`` (``page="/"``: the web intake's)."""
        query: dict[str, str] = {}
        if role == ADVISOR and self.sign_in is not None:
            # a team store: the sign-in page, behind the visitors' token like every page
            from intake_assistant.web.advisor_sign_in import SIGN_IN_PATH

            page = SIGN_IN_PATH
            if self.settings.token:
                query["token"] = self.settings.token
        elif role == ADVISOR:
            query["advisor"] = self.settings.advisor_token
        elif self.settings.token:
            query["token"] = self.settings.token
        query.update(extra)
        return f"{base}{page}" + (f"?{urlencode(query)}" if query else "")

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        self._forget_old_tickets()
        ticket = secrets.token_urlsafe(24)
        base = self.base_url(request)
        resume = request.query.get("resume")
        tr = self.page_translator(request)
        self.tickets[ticket] = Ticket(request[ROLE_KEY], resume[:64] if resume else None, base,
                                      time.monotonic(), tr.language,
                                      request.get("store_token") or self.host_token)
        scheme = "wss" if request.scheme == "https" else "ws"
        context = {
            "font_size": _to_int(request.query.get("fontsize", "16"), 16, 8, 40),
            "app_websocket_url": f"{scheme}://{request.host}/ws/{ticket}",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": tr("intake-assistant: pre-check for circular chain projects")},
            "language": tr.language,
            "texts": {
                "starting": tr("Starting your intake…"),
                # a visitor turned away (the server is full) is told why, not "saved"
                "ended": tr.ngettext(
                    "The server is busy: {count} intake is open, the most it holds. Nothing "
                    "was started; try again in a few minutes, or use the web pages of the "
                    "intake at {address}.",
                    "The server is busy: {count} intakes are open, the most it holds. "
                    "Nothing was started; try again in a few minutes, or use the web "
                    "pages of the intake at {address}.", self.settings.max_sessions,
                    count=str(self.settings.max_sessions), address=base + "/")
                if len(self.sessions) >= self.settings.max_sessions else
                tr("This intake session has ended. Your answers were saved."),
                "restart": tr("Open a new session"),
                "start": tr("Start"),
            },
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    def _forget_old_tickets(self) -> None:
        now = time.monotonic()
        for key in [k for k, t in self.tickets.items() if now - t.created > TICKET_SECONDS]:
            del self.tickets[key]
        while len(self.tickets) >= MAX_TICKETS:  # the oldest first (dicts keep their order)
            del self.tickets[next(iter(self.tickets))]

    def _same_origin(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:  # not a browser (a test client); the ticket still holds
            return True
        return urlsplit(origin).netloc == request.host

    # -- one intake per websocket ----------------------------------------------------------
    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        self._forget_old_tickets()
        ticket = self.tickets.pop(request.match_info["ticket"], None)
        if ticket is None or not self._same_origin(request):
            return self._refuse(request, 403, Message(
                "This intake needs the link with its token. Ask the person who runs the "
                "server for it."))
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE_BYTES)
        await websocket.prepare(request)
        if len(self.sessions) >= self.settings.max_sessions:
            self.refused += 1
            tr = translator(ticket.language)
            text = tr.ngettext("The server is busy: {count} intake is open, the most it holds. "
                               "Try again in a few minutes.",
                               "The server is busy: {count} intakes are open, the most it holds. "
                               "Try again in a few minutes.", self.settings.max_sessions,
                               count=str(self.settings.max_sessions))
            await websocket.send_bytes(("\r\n  " + text + "\r\n").encode("utf-8"))
            await websocket.close()
            return websocket
        environment = {
            ENV_ROLE: ticket.role,
            ENV_LANG: self.settings.language,
            ENV_URL: self.visitor_url(ticket.base_url, CLIENT),
            ENV_PDF: "1" if self._pdf else "",
        }
        if self.settings.data_dir is not None:
            environment[ENV_DATA_DIR] = str(self.settings.data_dir)
        if ticket.resume:
            environment[ENV_RESUME] = ticket.resume
        store_token = None
        if self.settings.store is not None and ticket.store_token:
            # the tab works in the team store as its advisor (the host's token for a client),
            # the token handed over through a pipe
            environment[ENV_STORE] = self.settings.store
            store_token = ticket.store_token
        service = IntakeAppService(
            self.command,
            environment=environment,
            store_token=store_token,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        width = _to_int(request.query.get("width", "80"), 80, 20, 500)
        height = _to_int(request.query.get("height", "24"), 24, 5, 300)
        session = Session(service, websocket, ticket.role, time.monotonic(),
                          advisor_token=store_token if ticket.role == ADVISOR else None)
        self.sessions[service.app_service_id] = session
        try:
            await service.start(width, height)
            await self._relay(websocket, session)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one broken session must not take the server down
            self.console.print(f"intake-assistant: session error: {visible(repr(error))}",
                               markup=False, highlight=False)
        finally:
            await self._end(session)
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, session: Session) -> None:
        """The browser's messages to the process; a key or a click counts as activity."""
        from aiohttp import WSMsgType

        service = session.service
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                kind, data = envelope[0], envelope[1]
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            if kind == "stdin" and isinstance(data, str):
                session.last_input = time.monotonic()
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await service.set_terminal_size(_to_int(data.get("width"), 80, 20, 500),
                                                _to_int(data.get("height"), 24, 5, 300))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def _end(self, session: Session) -> None:
        """Ask the intake to save and quit; kill it if it does not within a few seconds."""
        self.sessions.pop(session.service.app_service_id, None)
        try:
            await asyncio.wait_for(session.service.stop(), STOP_SECONDS)
        except (TimeoutError, Exception):
            session.service.kill()
        if not session.websocket.closed:
            await session.websocket.close()

    async def _watch_idle(self) -> None:
        while True:
            await asyncio.sleep(min(WATCH_SECONDS, self.settings.idle_seconds / 4))
            now = time.monotonic()
            for session in list(self.sessions.values()):
                if not session.ended_idle and now - session.last_input > self.settings.idle_seconds:
                    session.ended_idle = True
                    await self._end(session)
            if self.sign_in is not None:
                await self._end_revoked()

    async def _end_revoked(self) -> None:
        """End the open tabs of advisors revoked since they signed in (each token asked once,
        off the loop): what their screens show goes with them. Their sign-in is ended too; its
        next page says why."""
        assert self.sign_in is not None
        tokens = {s.advisor_token for s in self.sessions.values() if s.advisor_token}
        if not tokens:
            return
        revoked = await self.sign_in.sign_out_revoked(tokens)
        for session in [s for s in self.sessions.values() if s.advisor_token in revoked]:
            session.service.kill()  # its saves are refused already: nothing to wait for
            await self._end(session)

    # -- start and stop -------------------------------------------------------------------
    async def on_startup(self, app: web.Application) -> None:
        self._watch_task = asyncio.create_task(self._watch_idle())
        tr = self.tr
        shown_host = self.settings.host
        if ":" in shown_host:
            shown_host = f"[{shown_host}]"
        base = f"http://{shown_host}:{self.settings.port}"
        lines = [
            tr("intake-assistant serves the intake on {base}", base=base),
            "",
            tr("The intake as web pages (accessible; the link to give entrepreneurs):"),
            "  " + self.visitor_url(base, CLIENT, page="/"),
            "",
            tr("The intake in a terminal in the browser (each tab gets its own intake):"),
            "  " + self.visitor_url(base, CLIENT),
            "",
            *self._advisor_lines(base),
            self._limits_line(),
            tr("Press Ctrl+C to stop."),
        ]
        if not self._pdf:
            from intake_assistant.reports.pdf import HOW_TO_GET_ONE

            lines.append(tr.render(HOW_TO_GET_ONE))
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()

    def _limits_line(self) -> str:
        """How many sessions the server holds and when an idle one ends: each count with its
        own plural form (a server of one session, an idle limit of one minute)."""
        tr = self.tr
        most = self.settings.max_sessions
        minutes = round(self.settings.idle_seconds / 60, 1)
        return tr.ngettext(
            "At most {count} session at once; an idle one ends after {idle}.",
            "At most {count} sessions at once; an idle one ends after {idle}.", most,
            count=str(most),
            idle=tr.ngettext("{minutes} minute", "{minutes} minutes", minutes,
                             minutes=tr.number(minutes)))

    def _advisor_lines(self, base: str) -> list[str]:
        tr = self.tr
        if self.host is None:
            return [tr("Advisor (sees every served intake; keep this link to yourself):"),
                    "  " + self.visitor_url(base, ADVISOR), "",
                    tr("Intakes are saved in {folder}", folder=str(self.settings.data_dir))]
        return [tr("Advisors of the team sign in with their own advisor token (each answer "
                   "then names them):"),
                "  " + self.visitor_url(base, ADVISOR), "",
                tr("Intakes are kept in the team store of {team}, as the advisor {name}",
                   team=visible(self.host.team_name, limit=200),
                   name=visible(self.host.name, limit=200))]

    async def on_shutdown(self, app: web.Application) -> None:
        if self._watch_task is not None:
            self._watch_task.cancel()
        await asyncio.gather(*(self._end(s) for s in list(self.sessions.values())),
                             return_exceptions=True)

    def serve(self, debug: bool = False) -> None:
        """Run until Ctrl+C (or SIGTERM); then end every session, its answers saved."""
        self.debug = debug
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, self.request_exit)
        # No access log: the URLs carry the tokens and resume codes.
        web.run_app(self._make_app(), host=self.settings.host, port=self.settings.port,
                    handle_signals=False, loop=loop, print=None, access_log=None,
                    shutdown_timeout=STOP_SECONDS)


def _pdf_maker() -> str | None:
    from intake_assistant.reports.pdf import available

    return available()


def _jinja_loader(path: Path):  # type: ignore[no-untyped-def]
    import jinja2

    return jinja2.FileSystemLoader(str(path))


def _to_int(value: object, default: int, low: int, high: int) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))


def run_serve(args: argparse.Namespace) -> int:
    """``intake-assistant serve``: the exit code for the shell."""
    try:
        settings = settings_from_args(args)
    except ServeError as exc:
        tr = translator(args.serve_lang or args.lang or "nl")
        sys.stderr.write("intake-assistant serve: " + tr.render(exc.message) + "\n")
        return 2
    tr = translator(settings.language)
    from intake_assistant.stores.store_protocol import StoreAccessError, StoreUnavailableError

    try:
        server = IntakeServer(settings)
    except ServeError as exc:
        sys.stderr.write("intake-assistant serve: " + tr.render(exc.message) + "\n")
        return 2
    except (StoreAccessError, StoreUnavailableError) as exc:  # the host's token, the store
        sys.stderr.write("intake-assistant serve: " + tr.render(exc.problem)[:2000] + "\n")
        return 2
    try:
        server.serve()
    except OSError as exc:  # the port is taken, the address is not this machine's
        sys.stderr.write("intake-assistant serve: " + tr(
            "cannot listen on {host}:{port}: {error}", host=settings.host,
            port=str(settings.port), error=exc.strerror or str(exc)) + "\n")
        return 2
    sys.stdout.write(tr("The server has stopped; every intake was saved.") + "\n")
    return 0
