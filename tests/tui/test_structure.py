"""The UI's structure: screens speak through actions and messages, never call the App.

A screen mounts in a bare Textual App (a stub): it needs the data it is given, nothing
from ``IntakeApp``. Its requests arrive as messages; the App answers with ``refuse``.
"""

from __future__ import annotations

import ast
from pathlib import Path

from textual import on
from textual.app import App
from textual.widgets import Footer, Input

from intake_assistant.tui import app as app_module
from intake_assistant.tui import service_outcomes
from intake_assistant.tui.screens.base import IntakeScreen
from intake_assistant.tui.screens.question import QuestionScreen
from intake_assistant.tui.screens.review import ReviewScreen

from .conftest import SIZE, make_test_app, reference_session

SCREENS = Path(app_module.__file__).parent / "screens"


class StubApp(App[None]):
    """Only Textual's own App: records what the screen asks for."""

    def __init__(self, screen) -> None:
        super().__init__()
        self.first = screen
        self.received: list[object] = []
        self.actions: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(self.first)

    @on(QuestionScreen.AnswerSubmitted)
    @on(IntakeScreen.QuestionChosen)
    def _record(self, event) -> None:
        self.received.append(event)

    def action_review(self) -> None:
        self.actions.append("review")

    def action_back(self) -> None:
        self.actions.append("back")


async def test_the_question_screen_mounts_in_a_stub_app_and_sends_its_answer() -> None:
    session = reference_session("en")
    assert session.go_to("project_title")
    screen = QuestionScreen(session)
    app = StubApp(screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = screen.fields()[0].query_one("#answer", Input)
        assert app.focused is field
        await pilot.press("ctrl+a", "ctrl+k", *"Chair", "enter")
        await pilot.pause()
        [event] = app.received
        assert isinstance(event, QuestionScreen.AnswerSubmitted)
        assert event.control is screen and event.value == "Chair"
        assert session.value("project_title") != "Chair"  # the screen stores nothing itself
        screen.refuse("Not this one.")
        await pilot.pause()
        assert str(screen.query_one("#error-0").render()) == "Not this one."
        assert field.value == "Chair"  # what was typed is kept
        await pilot.click("#review")  # a button with an action: no handler in the screen
        await pilot.pause()
        assert app.actions == ["review"]


async def test_the_review_screen_sends_the_chosen_question() -> None:
    session = reference_session("en")
    assert session.go_to("review")
    screen = ReviewScreen(session)
    app = StubApp(screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the first answer: the project's title
        await pilot.pause()
        [event] = app.received
        assert isinstance(event, IntakeScreen.QuestionChosen) and event.key == "project_title"
        await pilot.press("escape")
        await pilot.pause()
        assert app.actions == ["back"]


def _project_methods_of_the_app() -> set[str]:
    names: set[str] = set()
    for module, class_name in ((app_module, "IntakeApp"),
                               (service_outcomes, "ShowsServiceOutcomes")):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        [cls] = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name]
        names |= {n.name for n in cls.body
                  if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
        names |= {t.attr for n in ast.walk(cls) if isinstance(n, ast.Assign)
                  for t in n.targets if isinstance(t, ast.Attribute)}  # self.intake, self.look
    # Textual's own (push_screen, notify, ...) stay the screens' to call, overridden or not
    return names - {"__init__"} - set(dir(App))


def test_no_screen_calls_or_reads_what_the_project_wrote_on_its_app() -> None:
    own = _project_methods_of_the_app()
    assert {"change_session", "autosave", "jump_to", "session", "storage"} <= own
    found = []
    for path in sorted(SCREENS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                    and node.value.attr == "app" and node.attr in own):
                found.append(f"{path.name}:{node.lineno}: app.{node.attr}")
    assert found == []


def test_a_channel_is_a_configuration_not_an_override_of_the_app() -> None:
    """The served tab adds its own actions to ``IntakeApp``; what differs otherwise is its
    channel (the service's) and its look (the App's), never a method of the App redone."""
    from intake_assistant.tui.app import IntakeApp
    from intake_assistant.tui.served.tab import ServedIntakeApp

    subclasses = IntakeApp.__subclasses__()
    assert ServedIntakeApp in subclasses
    for subclass in subclasses:
        redone = {name for name, value in vars(subclass).items()
                  if callable(value) and name != "__init__" and any(
                      name in vars(base) for base in IntakeApp.__mro__)}
        assert redone == set(), (subclass.__name__, redone)


async def test_the_footer_shows_the_bindings_in_the_language_of_the_moment(tmp_path) -> None:
    """Textual's footer reads ``Screen.active_bindings``; if an upgrade reads the bindings
    elsewhere, the footer stays English after the switch and this fails."""

    def footer_texts(app) -> set[str]:
        footer = app.screen.query_one(Footer)
        return {str(getattr(key, "description", "")) for key in footer.children}

    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert {"New intake", "Quit", "Help", "palette"} <= footer_texts(app)
        await pilot.press("f2")
        await pilot.pause()
        assert {"Nieuwe intake", "Stoppen", "Hulp", "opdrachten"} <= footer_texts(app)
        assert "New intake" not in footer_texts(app)
