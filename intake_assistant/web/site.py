"""The web intake: server-rendered pages, one per screen of the flow, post-redirect-get.

Every page works without JavaScript. A visitor is an opaque cookie; the visitor's intake is
named by its resume code, which the pages show. Every change of an intake goes through the
intake service's ``OpenIntake`` (by ``WebRegistry.change``: the change, the round, the save).
What a visitor sends is bounded (the request size, every field) and every text is shown
through Jinja2's autoescape.

Routes::

    GET  /                      start: new intake, resume with a code, language
    POST /new, /resume, /language
    GET  /import                import a draft (JSON): paste it or upload its file
    POST /import                (multipart, at most the loader's file size and a margin)
    GET  /intake                to where the intake stands
    GET  /intake/q/{key}        a screen (a question or a form); ?change=1 from the review
    POST /intake/q/{key}        its answers; on to the next screen, or back with the errors
    GET  /intake/back/{key}     the screen before
    GET  /intake/review         check your answers
    GET  /intake/outcome        the pre-check's outcome, downloads, the resume code
    GET  /intake/download/{kind}   json | html | md | pdf (where the server can): reports.KINDS
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from aiohttp import web
from multidict import MultiDictProxy

from intake_assistant.flow.session import REVIEW, SUMMARY
from intake_assistant.i18n import LANGUAGES, Message, Translator, translator
from intake_assistant.loading import MAX_FILE_BYTES, TOP_LEVEL, DraftFileError, too_large
from intake_assistant.reports import REPORT_KINDS
from intake_assistant.reports.bars import bar_svg, subsidy_bars
from intake_assistant.service.open_intake import OpenIntake
from intake_assistant.service.outcomes import DraftSource, Saved

from . import guard
from .fields import MAX_FIELD_CHARS, page_fields, page_heading, progress
from .intakes import Limits, NotResumable, ServerFull, WebIntake, WebRegistry

HERE = Path(__file__).parent
_log = logging.getLogger(__name__)
#: The largest form a visitor may post: a long text of 20 000 characters, escaped, and more.
MAX_REQUEST_BYTES = 256 * 1024
#: The largest import a visitor may post: a draft of the loader's largest size, and the form.
MAX_IMPORT_BYTES = MAX_FILE_BYTES + 64 * 1024
IMPORT_PATH = "/import"
#: How long a form's answer waits for its save to a team store before the next page shows (a
#: save that fails later is said on the page after it).
SAVE_WAIT_SECONDS = 12.0
MAX_VISITORS = 10_000
VISITOR_IDLE_SECONDS = 12 * 3600
#: What a visitor may download (made by ``OpenIntake.export`` of ``reports.KINDS``): the draft
#: and the reports; not the provenance file, which names the advisors who answered.
DOWNLOAD_KINDS = ("json", *REPORT_KINDS)
#: Each language by its own name (the switch names the language it switches to).
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def see_other(location: str) -> web.Response:
    """The redirect after a POST (and to where the intake stands)."""
    return web.Response(status=303, headers={"Location": location})


@dataclass(eq=False)
class Visitor:
    """One browser (its cookie): its language, its intake's code, what to show once."""

    id: str
    language: str
    code: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    typed: dict[str, Any] = field(default_factory=dict)
    notice: list[str] = field(default_factory=list)
    last_seen: float = field(default_factory=time.monotonic)


VISITOR = web.RequestKey("visitor", Visitor)
FORM = web.RequestKey("form", MultiDictProxy)


@dataclass
class SiteSettings:
    language: str = "nl"
    data_dir: Path | None = None
    guard: guard.GuardSettings = field(default_factory=guard.GuardSettings)
    limits: Limits = field(default_factory=Limits)
    #: Where the served terminal is (None: not served beside the web intake).
    terminal_path: str | None = None
    #: The paths of the served terminal beside the pages (its page, websocket, downloads).
    terminal_paths: tuple[str, ...] = ()
    #: Which PDF maker the server has (pdf.available()); None: no PDF download.
    pdf: str | None = None
    #: A team store's ``postgresql://`` URL (``serve --store``): the intakes are the team's,
    #: reached as the host's advisor (``INTAKE_ASSISTANT_ADVISOR_TOKEN``); None: the data folder.
    store: str | None = None


def page_language(accept_language: str | None, default: str) -> str:
    """The first of our languages the browser asks for, else ``default``."""
    for part in (accept_language or "")[:500].split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return default


class WebSite:
    """The web intake's aiohttp application and the intakes it holds open."""

    def __init__(self, settings: SiteSettings) -> None:
        self.settings = settings
        self.intakes = WebRegistry(settings.data_dir, settings.limits, store=settings.store)
        # a team store's saves come back from their lines' threads: taken in on the loop's
        self.intakes.hand_back = self._hand_back
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.visitors: OrderedDict[str, Visitor] = OrderedDict()
        #: The intakes a request reads from the store now, by id (set when it is done).
        self._reading: dict[str, asyncio.Event] = {}
        self.jinja = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(HERE / "templates")),
            autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
            lstrip_blocks=True)

    # -- the application ---------------------------------------------------------------------
    def make_app(self, extra_routes: list[web.AbstractRouteDef] | None = None,
                 extra_middlewares: list[Any] | None = None) -> web.Application:
        """The application; ``serve`` adds the terminal's routes and guard beside the pages
        (its paths are ``SiteSettings.terminal_paths``: checked for Host, given the headers)."""
        app = web.Application(middlewares=[self.guard, *(extra_middlewares or [])],
                              client_max_size=MAX_REQUEST_BYTES)
        app.add_routes([*self.routes(), *(extra_routes or [])])
        app.on_startup.append(self._on_startup)
        app.on_shutdown.append(self._on_shutdown)
        return app

    def routes(self) -> list[web.AbstractRouteDef]:
        return [
            web.get("/", self.start_page),
            web.post("/new", self.new_intake),
            web.post("/resume", self.resume_intake),
            web.post("/language", self.switch_language),
            web.get(IMPORT_PATH, self.import_page),
            web.post(IMPORT_PATH, self.import_intake),
            web.get("/intake", self.where_it_stands),
            web.get("/intake/q/{key}", self.screen_page),
            web.post("/intake/q/{key}", self.answer_screen),
            web.post("/intake/check/{key}", self.check_field),
            web.get("/intake/back/{key}", self.screen_before),
            web.get("/intake/review", self.review_page),
            web.get("/intake/outcome", self.outcome_page),
            web.get("/intake/download/{kind}", self.download),
            web.static("/assets", HERE / "static", show_index=False, append_version=True),
        ]

    async def _on_startup(self, app: web.Application) -> None:
        self._loop = asyncio.get_running_loop()

    async def _on_shutdown(self, app: web.Application) -> None:
        if not self.intakes.across_network:
            self.intakes.close_all()
            return
        for intake in self.intakes.open_intakes():  # what waits in its save line: off the loop
            async with intake.turn:  # not while the outcome of a save is taken in
                await asyncio.to_thread(self.intakes.close, intake)

    # -- a team store: saves off the loop ------------------------------------------------------
    def _hand_back(self, service: OpenIntake, taken_in: Callable[[], Saved]) -> None:
        """On a save line's thread: what came of a save, to be taken in on the loop."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._take_in, service, taken_in)

    def _take_in(self, service: OpenIntake, taken_in: Callable[[], Saved]) -> None:
        task = asyncio.ensure_future(self._take_in_turn(service, taken_in))
        self._tasks.add(task)  # held until done (the loop keeps only a weak reference)
        task.add_done_callback(self._tasks.discard)

    async def _take_in_turn(self, service: OpenIntake, taken_in: Callable[[], Saved]) -> None:
        """The outcome taken in on a worker thread (a merge reads and writes the store) while
        no request changes the intake; then said on the loop."""
        intake = self.intakes.holding(service)
        if intake is None:  # let go meanwhile: the service still learns how its save went
            await asyncio.to_thread(taken_in)
            return
        async with intake.turn:
            try:
                saved = await asyncio.to_thread(self.intakes.take_in, intake, taken_in)
                self.intakes.said(intake, saved)
            except Exception:  # a defect: logged for the operator; the visitor goes on
                _log.exception("taking in a save of the web intake failed")
            finally:
                intake.settled.set()

    async def _settled(self, intake: WebIntake) -> None:
        """Wait (without holding other visitors) until the intake's saves are written, at most
        ``SAVE_WAIT_SECONDS``: the next page then says whether they were."""
        deadline = time.monotonic() + SAVE_WAIT_SECONDS
        while intake.service.saving and (left := deadline - time.monotonic()) > 0:
            intake.settled.clear()
            try:
                await asyncio.wait_for(intake.settled.wait(), left)
            except TimeoutError:
                return

    async def _resume(self, text: str, language: str, client: str, *, again: bool = False
                      ) -> WebIntake:
        """The intake of a resume code: the open one, else its save opened again (``again``:
        the visitor's own, let go while idle: not a new open). On a team store reading it is
        a round trip: run off the loop (the data folder's, at once)."""
        async def read(reading: Callable[..., Any], *args: Any) -> Any:
            if self.intakes.across_network:
                return await asyncio.to_thread(reading, *args)
            return reading(*args)

        intake_id = await read(self.intakes.find, text, language)
        # one request reads an intake at a time (two tabs of a visitor whose intake was let
        # go): the others then find it held, or try themselves where it could not be opened
        while (reading := self._reading.get(intake_id)) is not None:
            await reading.wait()
        open_one = self.intakes.open_by_id(intake_id)
        if open_one is not None:
            return open_one
        self.intakes.make_room(client)
        self._reading[intake_id] = done = asyncio.Event()
        try:
            opened = await read(partial(self.intakes.open_saved, again=again), intake_id,
                                language)
            return self.intakes.hold(opened, client, language)
        finally:
            del self._reading[intake_id]
            done.set()

    async def _reopen(self, request: web.Request, visitor: Visitor) -> None:
        """The visitor's intake, let go while idle (it is saved), opened again for a page that
        shows it: for the visitor's computer (counted in its limit, as any open intake) and
        the same open continued (a team store logs no new open). When it cannot be, the
        visitor is told why on the page, with the code that continues it."""
        assert visitor.code is not None
        tr = translator(visitor.language)
        try:
            await self._resume(visitor.code, visitor.language, self._client(request),
                               again=True)
            return
        except ServerFull:
            text = tr(
                "Your intake was closed while it was not in use (its answers are kept), and "
                "the server has no room to open it again just now. Write down its resume code, "
                "{code}, and try again in a few minutes.", code=visitor.code)
        except NotResumable as exc:  # deleted meanwhile, or the store cannot be reached
            text = exc.text
            if exc.gone:  # said once: the code opens nothing any more
                visitor.code = None
        if text not in visitor.notice:  # once, also where a page sends on to the start
            visitor.notice.append(text)

    @web.middleware
    async def guard(self, request: web.Request, handler: guard.Handler) -> web.StreamResponse:
        """Host check, access token, the visitor's cookie, CSRF; safety headers on all."""
        settings = self.settings.guard
        try:
            response = await self._guarded(request, handler, settings)
        except web.HTTPException as exc:  # raised by a handler or the router
            if exc.status >= 400:  # a page in the visitor's language, not aiohttp's text
                response = self._refusal(request, exc.status, Message(
                    "There is no such page here. Start at the intake's own page."))
            else:
                response = web.Response(status=exc.status, headers={
                    k: v for k, v in exc.headers.items() if k == "Location"})
        except Exception:  # a defect: logged for the operator, never a traceback to a visitor
            if self._is_terminal(request.path):
                raise  # textual-serve's own (a download may fail after its headers went out)
            _log.exception("the web intake failed on %s %s", request.method, request.path)
            response = self._refusal(request, 500, Message(
                "Something went wrong on the server. Your answers given before are kept; go "
                "back to the intake's page and try again."))
        if response.prepared:  # the terminal's websocket: its headers are sent already
            return response
        guard.set_safety_headers(response, download="Content-Disposition" in response.headers,
                                 terminal=self._is_terminal(request.path))
        if request.path.startswith("/assets/") and response.status == 200:
            response.headers["Cache-Control"] = "public, max-age=86400"
        return response

    async def _guarded(self, request: web.Request, handler: guard.Handler,
                       settings: guard.GuardSettings) -> web.StreamResponse:
        if guard.host_name(request.headers.get("Host", "")) not in settings.host_names():
            return self._refusal(request, 421, Message(
                "This server does not answer to the address {host}. Open the link you were "
                "given.", host=request.headers.get("Host", "")[:100]))
        if request.path.startswith("/assets/") or self._is_terminal(request.path):
            return await handler(request)  # the terminal's own guard decides who may
        secure = guard.is_secure(request, settings)
        token = settings.token
        access_cookie = settings.keyed("access", token) if token else ""
        offered = request.query.get("token", "")
        if token is not None:
            if offered and hmac.compare_digest(offered.encode(), token.encode()):
                # exchanged for a cookie: the token leaves the address bar and the history
                response = see_other(request.rel_url.with_query(
                    {k: v for k, v in request.query.items() if k != "token"}).human_repr())
                response.set_cookie(guard.ACCESS_COOKIE, access_cookie, httponly=True,
                                    samesite="Lax", secure=secure, path="/")
                return response
            given = request.cookies.get(guard.ACCESS_COOKIE, "")
            if not (given and hmac.compare_digest(given, access_cookie)):
                return self._refusal(request, 403, Message(
                    "This intake needs the link with its token. Ask the person who runs the "
                    "server for it."))
        visitor, new_cookie = self._visitor(request)
        request[VISITOR] = visitor
        if request.method == "POST":
            if new_cookie or not guard.same_origin(request):
                return self._refusal(request, 403, Message(
                    "This form was not sent from this intake's own page (or your browser "
                    "does not keep cookies for it). Open the intake's page and try again."))
            if request.path == IMPORT_PATH:  # a draft may be larger than any other form
                request = request.clone(client_max_size=MAX_IMPORT_BYTES)
                request[VISITOR] = visitor
                try:
                    form = await request.post()
                except web.HTTPRequestEntityTooLarge:
                    # the loader's own words for a draft too large: the same as the terminal's
                    tr = translator(visitor.language)
                    visitor.errors = {"draft": DraftFileError(
                        tr("the uploaded draft"), [(TOP_LEVEL, too_large())]).render(tr),
                        "title": tr("This draft cannot be imported")}
                    return see_other(IMPORT_PATH + "#error-summary")
            else:
                form = await request.post()
            request[FORM] = form
            if not guard.csrf_ok(settings, visitor.id, str(form.get(guard.CSRF_FIELD, ""))):
                return self._refusal(request, 403, Message(
                    "This form has expired. Go back to the intake's page and send it again."))
        erased = (self.intakes.erased_notice(visitor.code) if visitor.code is not None
                  else None)
        if erased is not None:  # the store erased it while it was open: said, not reopened
            visitor.notice.append(erased)
            visitor.code = None
        elif (visitor.code is not None and _shows_the_intake(request.path)
              and self.intakes.get(visitor.code) is None):
            await self._reopen(request, visitor)
        held = self.intakes.get(visitor.code) if visitor.code is not None else None
        if held is not None and self.intakes.across_network:
            async with held.turn:  # not while the outcome of a save is taken in
                response = await handler(request)
        else:
            response = await handler(request)
        intake = self.intakes.get(visitor.code) if visitor.code is not None else None
        if request.method == "POST" and intake is not None and intake.service.saving:
            await self._settled(intake)  # NOT SAVED on the next page, where it is so
            self._after_change(visitor, intake)
        if new_cookie:
            response.set_cookie(guard.VISITOR_COOKIE, visitor.id, httponly=True,
                                samesite="Lax", secure=secure, path="/")
        return response

    def _is_terminal(self, path: str) -> bool:
        return any(path == p or path.startswith(p.rstrip("/") + "/")
                   for p in self.settings.terminal_paths)

    def _visitor(self, request: web.Request) -> tuple[Visitor, bool]:
        """The visitor of this request's cookie; a new one (and cookie) when it has none."""
        now = time.monotonic()
        vid = request.cookies.get(guard.VISITOR_COOKIE, "")[:64]
        visitor = self.visitors.get(vid)
        if visitor is not None:
            visitor.last_seen = now
            self.visitors.move_to_end(vid)
            return visitor, False
        while self.visitors:  # the oldest first: forget the ones long gone, and past the bound
            oldest = next(iter(self.visitors.values()))
            if len(self.visitors) < MAX_VISITORS and now - oldest.last_seen < VISITOR_IDLE_SECONDS:
                break
            self.visitors.popitem(last=False)
        language = page_language(request.headers.get("Accept-Language"), self.settings.language)
        visitor = Visitor(secrets.token_urlsafe(32), language, last_seen=now)
        self.visitors[visitor.id] = visitor
        return visitor, True

    def _refusal(self, request: web.Request, status: int, message: Message) -> web.Response:
        language = page_language(request.headers.get("Accept-Language"), self.settings.language)
        tr = translator(language)
        return self._render("refused.html", tr, None, status=status,
                            title=tr("The page cannot be shown"), text=tr.render(message))

    # -- rendering -----------------------------------------------------------------------------
    def _render(self, template: str, tr: Translator, visitor: Visitor | None, *,
                status: int = 200, **context: Any) -> web.Response:
        page = self.jinja.get_template(template).render(
            _=tr, lang=tr.language, csrf=guard.csrf_token(self.settings.guard, visitor.id)
            if visitor is not None else "", csrf_field=guard.CSRF_FIELD,
            terminal=self.settings.terminal_path, other_languages=[
                (code, LANGUAGE_NAMES[code]) for code in LANGUAGES if code != tr.language],
            **context)
        return web.Response(text=page, status=status, content_type="text/html",
                            charset="utf-8")

    def _page(self, request: web.Request, template: str, status: int = 200,
              **context: Any) -> web.Response:
        visitor: Visitor = request[VISITOR]
        tr = translator(visitor.language)
        notices, visitor.notice = visitor.notice, []
        return self._render(template, tr, visitor, status=status, notices=notices,
                            here=request.path_qs[:500], **context)

    # -- start ---------------------------------------------------------------------------------
    async def start_page(self, request: web.Request) -> web.StreamResponse:
        visitor: Visitor = request[VISITOR]
        intake = self._intake_of(visitor)
        errors, visitor.errors = visitor.errors, {}
        typed, visitor.typed = visitor.typed, {}
        tr = translator(visitor.language)
        return self._page(request, "start.html", title=tr("Check your circular chain project"),
                          errors=errors, typed=typed, intake=intake,
                          status=400 if errors else 200)

    async def new_intake(self, request: web.Request) -> web.StreamResponse:
        visitor: Visitor = request[VISITOR]
        try:
            intake = self.intakes.new(visitor.language, self._client(request))
        except ServerFull as exc:
            return self._server_full(request, exc)
        self._after_change(visitor, intake)
        return see_other("/intake")

    async def resume_intake(self, request: web.Request) -> web.StreamResponse:
        visitor: Visitor = request[VISITOR]
        text = str(request[FORM].get("code", ""))[:200]
        try:
            intake = await self._resume(text, visitor.language, self._client(request))
        except NotResumable as exc:
            visitor.errors = {"code": exc.text}
            visitor.typed = {"code": text}
            return see_other("/#resume")
        except ServerFull as exc:
            return self._server_full(request, exc)
        self._after_change(visitor, intake)
        return see_other("/intake")

    async def import_page(self, request: web.Request) -> web.StreamResponse:
        tr = translator(request[VISITOR].language)
        return self.form_page(request, "import.html", tr("Import a draft application"),
                              max_mb=str(MAX_FILE_BYTES // 1_000_000))

    def form_page(self, request: web.Request, template: str, title: str, *,
                  refused_status: int = 400, **context: Any) -> web.Response:
        """A page with one form, and the errors of its last sending shown once (then the
        title starts with "Error:" and the status is ``refused_status``)."""
        visitor: Visitor = request[VISITOR]
        errors, visitor.errors = visitor.errors, {}
        if errors:
            title = translator(visitor.language)("Error: {title}", title=title)
        return self._page(request, template, status=refused_status if errors else 200,
                          title=title, errors=errors, **context)

    async def import_intake(self, request: web.Request) -> web.StreamResponse:
        """A pasted or uploaded draft, through the service's one checked import path."""
        visitor: Visitor = request[VISITOR]
        form = request[FORM]
        tr = translator(visitor.language)
        upload = form.get("draft_file")
        source: DraftSource | None = None
        if isinstance(upload, web.FileField):
            data = upload.file.read(MAX_FILE_BYTES + 1)
            if data:  # the loader bounds its size, depth and numbers, and names it
                source = DraftSource.uploaded(_file_name(upload.filename), data)
        if source is None:
            text = str(form.get("draft_text", ""))
            if text.strip():
                source = DraftSource.pasted(text)
        if source is None:
            visitor.errors = {"draft": tr("Paste the text of a draft, or choose its file.")}
            return see_other(IMPORT_PATH + "#error-summary")
        try:
            intake = self.intakes.import_draft(source, visitor.language, self._client(request))
        except NotResumable as exc:
            visitor.errors = {"draft": exc.text, "title": exc.title}
            return see_other(IMPORT_PATH + "#error-summary")
        except ServerFull as exc:
            return self._server_full(request, exc)
        self._after_change(visitor, intake)
        return see_other("/intake")

    def _server_full(self, request: web.Request, exc: ServerFull) -> web.Response:
        tr = translator(request[VISITOR].language)
        return self._page(request, "refused.html", status=503, title=tr("The server is busy"),
                          text=tr.render(exc.message))

    async def switch_language(self, request: web.Request) -> web.StreamResponse:
        visitor: Visitor = request[VISITOR]
        form = request[FORM]
        language = str(form.get("language", ""))
        if language in LANGUAGES:
            visitor.language = language
            intake = self.intakes.get(visitor.code) if visitor.code is not None else None
            if intake is not None:
                if intake.session.language != language:  # chosen (a POST): saved, as the
                    # terminal's switch is; a page opened in another language writes nothing
                    self.intakes.change(intake, language, lambda s: s.set_language(language))
                self._after_change(visitor, intake)
        return see_other(_local_path(str(form.get("next", "/"))))

    # -- the intake ----------------------------------------------------------------------------
    def _client(self, request: web.Request) -> str:
        """Who the limit per computer counts: behind the trusted proxy the address it names
        (``guard.client_address``, as the advisor sign-in's limits), else the peer's own."""
        return guard.client_address(request, self.settings.guard) or "?"

    def _intake_of(self, visitor: Visitor) -> WebIntake | None:
        if visitor.code is None:
            return None
        intake = self.intakes.get(visitor.code)
        if intake is None:  # the guard opened it again if it could
            return None
        # the pages in the visitor's language; a page opened (a GET) writes nothing
        intake.service.read_in(visitor.language)
        return intake

    def _require_intake(self, request: web.Request) -> WebIntake:
        intake = self._intake_of(request[VISITOR])
        if intake is None:
            raise web.HTTPSeeOther("/")
        return intake

    def _after_change(self, visitor: Visitor, intake: WebIntake) -> None:
        """What a change said once (a new code, the round followed) goes on the next page."""
        visitor.code = intake.code
        visitor.notice.extend(intake.notices)
        intake.notices.clear()

    def _open_screen(self, visitor: Visitor, intake: WebIntake, key: str,
                     from_review: bool = False) -> bool:
        """Open the screen of ``key`` (a question, the review, the summary) through the
        service, where the walk is decided and saved (``from_review``: going on returns to
        the review); whether that screen is open now."""
        if intake.session.state != key:
            self.intakes.change(intake, visitor.language,
                                lambda s: s.open_screen(key, from_review=from_review))
            self._after_change(visitor, intake)
        return _on_screen(intake.session, key)

    async def where_it_stands(self, request: web.Request) -> web.StreamResponse:
        intake = self._require_intake(request)
        return see_other(_location(intake.session))

    async def screen_page(self, request: web.Request) -> web.StreamResponse:
        visitor: Visitor = request[VISITOR]
        intake = self._require_intake(request)
        key = request.match_info["key"][:200]
        if not _on_screen(intake.session, key):
            if not self._open_screen(visitor, intake, key, request.query.get("change") == "1"):
                return see_other(_location(intake.session))
        session = intake.session
        errors, visitor.errors = visitor.errors, {}
        typed, visitor.typed = visitor.typed, {}
        tr = translator(visitor.language)
        fields = page_fields(session, tr, errors, typed)
        heading = page_heading(session, fields)
        step = progress(session)
        title = heading if step is None else tr(
            "{question} – step {number} of {total}", question=heading,
            number=str(step.number), total=str(step.total))
        if errors:
            title = tr("Error: {title}", title=title)
        return self._page(
            request, "screen.html", status=400 if errors else 200, title=title,
            heading=heading, fields=fields, step=step, key=session.state,
            errors=[(f, f.error) for f in fields if f.error],
            change=session.returns_to_review, intake=intake,
            can_go_back=session.can_go_back_screen)

    async def answer_screen(self, request: web.Request) -> web.StreamResponse:
        visitor: Visitor = request[VISITOR]
        intake = self._require_intake(request)
        key = request.match_info["key"][:200]
        change = request[FORM].get("change") == "1"
        if not _on_screen(intake.session, key) and not self._open_screen(visitor, intake, key,
                                                                         change):
            return see_other(_location(intake.session))  # that screen no longer applies
        session = intake.session
        form = request[FORM]
        answers: dict[str, Any] = {}
        for field_key in session.page_keys():
            view = session.view(field_key)
            assert view is not None
            if view.kind == "multi_choice":
                chosen = [str(v)[:200] for v in form.getall(field_key, [])][:100]
                if chosen or view.current_value:
                    answers[field_key] = chosen
                continue
            raw = str(form.get(field_key, ""))[:MAX_FIELD_CHARS + 1]
            if raw.strip() or view.current_value is not None:
                answers[field_key] = raw  # an empty field clears an answer given before
        # a reading chosen of a figure typed that reads two ways ("<key> <reading>"): the
        # session takes it only when it is one of the readings of what the field holds now
        chosen_key, _sep, reading = str(form.get("reading", ""))[:400].partition(" ")
        session.take_reading(answers, chosen_key, reading)
        outcome = self.intakes.change(intake, visitor.language, lambda s: s.answer_form(
            answers, go_on=True, then=None))
        self._after_change(visitor, intake)
        if outcome.refused:
            visitor.errors = dict(outcome.refused)
            visitor.typed = {k: answers[k] for k in outcome.refused if k in answers}
            self._open_screen(visitor, intake, key)
            return see_other(_screen_url(key, change) + "#error-summary")
        return see_other(_location(intake.session))

    async def check_field(self, request: web.Request) -> web.StreamResponse:
        """Live validation (the page's script, as a field is left): what the answer's parser
        says of the typed text, stored nowhere. ``{key}`` is the screen, ``field`` the field."""
        visitor: Visitor = request[VISITOR]
        intake = self._require_intake(request)
        key = request.match_info["key"][:200]
        form = request[FORM]
        field_key = str(form.get("field", ""))[:200]
        value = str(form.get("value", ""))[:MAX_FIELD_CHARS + 1]
        if not _on_screen(intake.session, key) and not self._open_screen(visitor, intake,
                                                                         key):
            return web.json_response({"message": None})
        session = intake.session
        if field_key not in session.page_keys() or not value.strip():
            return web.json_response({"message": None})
        return web.json_response({"message": session.validate(value, field_key)})

    async def screen_before(self, request: web.Request) -> web.StreamResponse:
        visitor: Visitor = request[VISITOR]
        intake = self._require_intake(request)
        key = request.match_info["key"][:200]
        if _on_screen(intake.session, key) or self._open_screen(visitor, intake, key):
            self.intakes.change(intake, visitor.language, lambda s: s.back())
            self._after_change(visitor, intake)
        return see_other(_location(intake.session))

    async def review_page(self, request: web.Request) -> web.StreamResponse:
        intake = self._require_intake(request)
        self._open_screen(request[VISITOR], intake, REVIEW)
        session = intake.session
        tr = translator(request[VISITOR].language)
        items = session.review_items()
        sections: list[tuple[str, list[Any]]] = []
        for item in (i for i in items if not i.set_aside):
            if not sections or sections[-1][0] != item.section_label:
                sections.append((item.section_label, []))
            sections[-1][1].append(item)
        missing = [v for v in (session.view(k) for k in session.missing_required()) if v]
        return self._page(request, "review.html", title=tr("Check your answers"),
                          sections=sections, aside=[i for i in items if i.set_aside],
                          missing=missing, intake=intake, screen_url=_screen_url)

    async def outcome_page(self, request: web.Request) -> web.StreamResponse:
        from intake_assistant.reports.wording import summarize

        intake = self._require_intake(request)
        visitor: Visitor = request[VISITOR]
        if intake.session.state != SUMMARY:  # the walk there is the service's
            self.intakes.change(intake, visitor.language, OpenIntake.show_outcome)
            self._after_change(visitor, intake)
        session = intake.session
        tr = translator(visitor.language)
        summary = summarize(session.report, session.draft, tr.language)
        return self._page(request, "outcome.html", title=tr("Outcome of the pre-check"),
                          summary=summary, bars=subsidy_bars(session.report, session.draft, tr),
                          bar_svg=bar_svg,
                          intake=intake, pdf=self.settings.pdf is not None)

    async def download(self, request: web.Request) -> web.StreamResponse:
        from intake_assistant.reports.pdf import PdfUnavailable

        intake = self._require_intake(request)
        kind = request.match_info["kind"]
        if kind not in DOWNLOAD_KINDS or (kind == "pdf" and self.settings.pdf is None):
            raise web.HTTPNotFound()
        language = request[VISITOR].language
        try:
            output = await asyncio.get_running_loop().run_in_executor(
                None, intake.service.export, kind, language)
        except (PdfUnavailable, OSError):  # the PDF maker failed: say so, never a traceback
            tr = translator(language)
            return self._page(request, "refused.html", status=503,
                              title=tr("The download could not be made"),
                              text=tr("The PDF could not be made on this server. Download the "
                                      "HTML report instead and print it from your browser."))
        name = output.name
        return web.Response(body=output.data, content_type=output.media_type, headers={
            "Content-Disposition": f"attachment; filename=\"{name}\"; "
                                   f"filename*=UTF-8''{quote(name)}"})


def _shows_the_intake(path: str) -> bool:
    """Whether the page of ``path`` shows or changes the visitor's intake (the start page names
    it, the language switch saves it): only these open one let go while idle again."""
    return path in ("/", "/language", "/intake") or path.startswith("/intake/")


def _file_name(name: str | None) -> str:
    """An uploaded file's own name, as the messages name it (no folders, bounded)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[:100] or "draft.json"


def _on_screen(session: Any, key: str) -> bool:
    return key == session.state or key in session.page_keys()


def _screen_url(key: str, change: bool = False) -> str:
    return f"/intake/q/{quote(key, safe='')}" + ("?change=1" if change else "")


def _location(session: Any) -> str:
    if session.state == REVIEW:
        return "/intake/review"
    if session.state == SUMMARY:
        return "/intake/outcome"
    return _screen_url(session.state, session.returns_to_review)


def _local_path(text: str) -> str:
    """A path of this site to go back to; anything else (another site) goes to the start."""
    if not text.startswith("/") or text.startswith("//") or "\\" in text or len(text) > 500:
        return "/"
    return text
