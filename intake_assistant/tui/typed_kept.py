"""Leaving a question screen: what is typed in its fields and not answered yet is kept
(issue 22: values typed and left with Tab were lost on Esc, F4, F6 or ctrl+q). Mixed into the
App, which hands each value to the intake service; the screen says what was kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from intake_assistant.tui.screens.question import QuestionScreen


class KeepsTypedAnswers:
    """Mixed into the App: ``leave_question`` before any way out of a question screen."""

    def leave_question(self, go: Callable[[], object]) -> None:
        """Do ``go`` (anything that leaves the question screen or the intake) once what its
        fields hold, typed and not answered yet, is kept: every answer the service accepts
        is recorded (and said); for the others the user chooses to go on without them or
        to stay. Nothing typed is dropped without a word."""
        screen = self.open_question_screen()
        if screen is None or self.session is None:
            go()
            return
        problems = self.keep_typed(screen)
        if problems:
            screen.confirm_leaving(problems, go)
        else:
            go()

    def open_question_screen(self) -> QuestionScreen | None:
        """The question screen on the stack (under a dialog too), if one is."""
        from intake_assistant.tui.screens.question import QuestionScreen

        return next((s for s in self.screen_stack if isinstance(s, QuestionScreen)), None)

    def keep_typed(self, screen: QuestionScreen) -> dict[str, str]:
        """Record what ``screen``'s fields hold, typed and not answered yet, where the
        service accepts it (the screen says so); the others' reasons, by question key."""
        answers, problems = screen.typed_answers()
        kept: list[str] = []
        if answers:
            outcome = self.intake.answer_form(answers, go_on=False, then=None)
            self.show_change(outcome, show_state=False)
            problems.update(outcome.refused)
            kept = [key for key in answers if key not in outcome.refused]
        screen.typed_kept(kept)
        return problems
