"""The intake session: the interview as a synchronous state machine, with no user interface.

This module holds the machine, the answers and their persistence; what the session shows
(question views, sections, the review) is in ``views``, the repeated groups (participants,
cost lines, ties) in ``groups``; both are mixed into ``IntakeSession``.

API (what the TUI uses; all texts come back in the session's current language)::

    s = IntakeSession.new(language="nl", ruleset="sce-2020")   # keep_meta_of=draft: replay
    s = IntakeSession.from_draft(draft, language="en")   # import: answers from a draft
    d = s.to_state_dict(); s = IntakeSession.from_state_dict(d)   # autosave / resume (JSON)

    s.language; s.set_language("en")          # switch at any moment, nothing is lost
    s.state                                   # question key, "review" or "summary"
    s.current -> QuestionView | None          # None in review and summary
    s.page_keys() -> list[str]                # the questions of the current screen (a form)
    s.validate(text_or_list, key=None) -> str | None    # live validation, stores nothing
    s.answer(value, key=None) -> AnswerResult(accepted, message)
        # key: another question of the current screen (a form), each answered on its own
    s.answer_page({key: value}) -> {key: AnswerResult}   # several fields of the screen
        # value: str for text/number/date/kvk kinds; a code str (or its label) for choice;
        # list[str] of codes for multiple choice; "yes"/"no" (or ja/nee, True/False) for
        # yes/no. An empty answer clears an optional question and is refused for a
        # required one.
    s.next() -> bool; s.back() -> bool; s.go_to(key) -> bool; s.can_go_back
        # next(by_screen=True), back(by_screen=True), can_go_back_screen: a screen at a
        # time (past the rest of a form; back to the first question of the screen before)
        # next() never refuses an unanswered question (the review lists what is missing);
        # after go_to() from the review, next() returns to the review unless the change
        # opened new questions.
    s.open_screen(key, from_review=False) -> bool   # a page's address: a question (from the
        # review: by way of it), the review, the summary (by way of the review)
    s.readings(typed, key) -> list[str]; s.take_reading(answers, key, reading) -> bool
        # a figure that reads two ways: the one chosen is taken only as a reading of the text
    s.progress() -> list[SectionProgress(section, label, answered, total)]
    s.section_steps() -> list[SectionStep(section, label, done, total, per_participant,
        current, current_part)]   # the progress list: the sections asked per participant
        # are one step counted in participants done; every other one in screens done
    s.sections() -> list[tuple[section id, label, list[question keys]]]
    s.answered_keys -> list[str]; s.set_aside() -> list[str]
    s.review_items() -> list[ReviewItem(section_label, label, answer, key, set_aside)]
    s.draft -> DraftApplication; s.report -> Report (re-evaluated after each accepted answer)
    s.participants() -> list[ParticipantView(index, name, kvk, role_label, sme_class, is_lead)]
    s.view(key) -> QuestionView | None; s.value(key) -> stored answer; s.missing_required()
    s.add_participant() -> key; s.remove_participant(index); s.edit_participant(index) -> key
    s.add_cost_line(p) -> key; s.remove_cost_line(p, i); s.cost_lines(p) -> list[str]
    s.add_tie() -> key; s.remove_tie(i)
        # an add is pending (s.adding) until the new instance's first question is answered:
        # the draft, the pre-check and a save do not hold it yet; back() on that question,
        # next() without an answer, a jump elsewhere or s.cancel_add() undo it.

Keys: a question's id, with zero-based instance numbers inside repeated groups:
``project_title``, ``participant_name[2]``, ``cost_line_amount[0][1]``, ``tie_nature[0]``.
Answers are stored language-neutral (English codes, ISO dates, numbers, booleans). An
answer whose question no longer applies (a changed earlier answer, a removed participant)
is kept and *set aside*: left out of the draft, back in when the question applies again.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from transitions import Machine, Transition

from intake_assistant.i18n import N_, Message, translator

from . import answer_provenance as prov
from . import values
from .groups import RepeatedGroups, _PendingAdd
from .plan import Plan, Slot, make_key, parse_key
from .round_texts import flow_rulesets
from .schema import Question, cached_flow
from .states import REVIEW, SUMMARY
from .views import (
    NO_PARTICIPANT_KVK,
    ParticipantView,
    QuestionView,
    ReviewItem,
    SectionProgress,
    SectionStep,
    SessionViews,
)

if TYPE_CHECKING:
    from intake_assistant.models import DraftApplication
    from intake_assistant.rules import Report

#: 2: answers carry their provenance (who, when, a note) and the intake its mode; 1 still loads.
STATE_FORMAT = 2
_TRIGGERS = ("advance", "retreat", "jump")
_ROUTED = "<routed>"  # the destination is given when the trigger fires


class NewerStateError(ValueError):
    """A saved session written by a newer version: not damaged, only not readable here."""


@dataclass(frozen=True, slots=True)
class AnswerResult:
    accepted: bool
    message: str | None = None



def _not_skip_binding(record: logging.LogRecord) -> bool:
    """With ``model_override`` transitions logs every convenience method it does not bind
    (``is_<state>``, ``may_<trigger>``): expected here, and one per question and session."""
    return not str(record.msg).endswith("Skip binding of '%s' to model due to model override "
                                        "policy.") and "Skip binding" not in str(record.msg)


logging.getLogger("transitions.core").addFilter(_not_skip_binding)


class _RoutedTransition(Transition):
    """A transition whose destination the flow decides when it fires (``dest=`` keyword).

    The routing (which question comes next) depends on the answers, so it is computed by
    the plan; the machine owns the state, the guard and the enter/exit callbacks.
    """

    def _change_state(self, event_data: Any) -> None:
        machine = event_data.machine
        dest = event_data.kwargs["dest"]
        machine.get_state(self.source).exit(event_data)
        machine.set_state(dest, event_data.model)
        event_data.update(getattr(event_data.model, machine.model_attribute))
        machine.get_state(dest).enter(event_data)


class _FlowMachine(Machine):
    transition_cls = _RoutedTransition


class IntakeSession(SessionViews, RepeatedGroups):
    """The interview of one application; the model of a synchronous transitions machine."""

    state: str

    def trigger(self, trigger_name: str, *args: Any, **kwargs: Any) -> bool:
        """Bound by the state machine (model_override): fire a trigger."""
        raise RuntimeError("the state machine binds this method")

    def __init__(self, language: str, ruleset: str, answers: dict[str, Any] | None = None,
                 meta: dict[str, Any] | None = None, follow_language: bool = True,
                 state: str | None = None, follow_round: bool = True) -> None:
        """``follow_language``: the draft's ``language`` field follows the session's language;
        ``follow_round``: the intake moves to the round of its application date once that is
        answered (``session_for_round``). A new intake does both; a draft that names its
        ruleset and language (imported, replayed) neither."""
        translator(language)  # refuses an unknown language
        self.language = language
        self.ruleset = ruleset
        self.plan = _plan(ruleset)
        self._answers: dict[str, Any] = dict(answers or {})
        self._meta: dict[str, Any] = dict(meta) if meta is not None else {
            "ruleset": ruleset, "language": language}
        self._follow_language = follow_language
        self._follow_round = follow_round
        self._return_to_review = False
        #: The question the review was opened from: back from the review returns there.
        self._review_from: str | None = None
        #: Answers of a resumed save that its questions refuse (key, why); not kept.
        self.left_out: list[tuple[str, Message]] = []
        self._adding: _PendingAdd | None = None
        #: Who gave each answer and when (answer key -> record); see ``provenance``.
        self._provenance: dict[str, prov.Provenance] = {}
        #: Who is at the keyboard: every answer given now is recorded as theirs.
        self.mode = prov.ENTREPRENEUR
        #: The advisor whose terminal this is, where a team store knows it (their token):
        #: every answer given now names them, the advisor's own and the entrepreneur's given
        #: with them. Not saved: it is whoever opens the intake.
        self.person: str | None = None
        self._slots: list[Slot] = []
        self._draft: DraftApplication | None = None
        self._report: Report | None = None
        self._refresh()
        start = state if state is not None else self._first_open_key()
        if start not in (REVIEW, SUMMARY) and start not in self._asked_keys():
            start = self._first_open_key()
        states = [*self._all_keys(), REVIEW, SUMMARY]
        self._machine = _FlowMachine(
            model=self, states=states, initial=start, auto_transitions=False, queued=True,
            model_override=True, send_event=True,
        )
        for name in _TRIGGERS:
            self._machine.add_transition(name, "*", _ROUTED, conditions="_may_enter",
                                         after="_entered")

    # -- construction ------------------------------------------------------------------
    @classmethod
    def new(cls, language: str = "nl", ruleset: str = "sce-2020",
            keep_meta_of: DraftApplication | None = None) -> IntakeSession:
        """An empty interview. With ``keep_meta_of``, the draft it builds keeps that draft's
        ``ruleset`` and ``language`` fields as they were (``replay``); otherwise the draft's
        language follows the session's."""
        if keep_meta_of is None:
            return cls(language, ruleset)
        return cls(language, ruleset, meta=_meta_of(keep_meta_of), follow_language=False,
                   follow_round=False)

    @classmethod
    def imported(cls, draft: DraftApplication, language: str = "nl"
                 ) -> tuple[IntakeSession, list[tuple[str, Message]]]:
        """An import: ``draft`` held to the bounds of typed answers.

        Lists longer than the flow allows raise ``bounds.OutOfBounds`` before anything is
        built; single answers outside the bounds are left out, and returned as
        (JSON path, why) for the user to see.
        """
        from .bounds import OutOfBounds, oversized_groups, oversized_top_groups

        plan = _plan(draft.ruleset or "sce-2020")
        too_large = oversized_top_groups(plan, draft) or oversized_groups(
            plan, draft.to_json_dict())
        if too_large:
            raise OutOfBounds(too_large)
        session = cls.from_draft(draft, language)
        return session, session._drop_invalid(as_json_paths=True)

    def take_provenance(self, side_file: Any) -> int:
        """Apply an exported side file (``<name>.provenance.json``) to the imported answers;
        returns how many records it gave. ``ValueError`` when it is not such a file."""
        records = prov.parse_side_file(side_file, set(self._answers))
        self._provenance.update(records)
        return len(records)

    def _drop_invalid(self, *, as_json_paths: bool = False) -> list[tuple[str, Message]]:
        """Leave out every stored answer its question would refuse if typed; say which."""
        from .bounds import answer_problem, field_json_path

        problems: list[tuple[str, Message]] = []
        for key, value in list(self._answers.items()):
            try:
                qid, indices = parse_key(key)
            except KeyError:
                qid, indices = "", ()
            question = self.plan.by_id.get(qid)
            if question is None or len(indices) != self.plan.depth(qid):
                problem: Message | None = Message("not a question of this intake")
            else:
                problem = answer_problem(question, value, self._choices(question))
            if problem is not None:
                del self._answers[key]
                where = field_json_path(self.plan, question, indices) if (
                    as_json_paths and question is not None) else key
                problems.append((where, problem))
        if problems:
            self._refresh()
        return problems

    @classmethod
    def from_draft(cls, draft: DraftApplication, language: str = "nl") -> IntakeSession:
        """A session holding the answers of ``draft`` (its ruleset and language are kept)."""
        ruleset = draft.ruleset or "sce-2020"
        plan = _plan(ruleset)
        answers = plan.answers_from_draft(draft.to_json_dict())
        session = cls(language, ruleset, answers, _meta_of(draft), follow_language=False,
                      follow_round=False)
        imported = prov.record(prov.IMPORTED)  # a draft says nobody and no time
        session._provenance = dict.fromkeys(session._answers, imported)
        return session

    def to_state_dict(self) -> dict[str, Any]:
        pending = self._adding  # a pending add is not saved: it is no answer yet
        return {
            "format": "intake-session",
            "format_version": STATE_FORMAT,
            "ruleset": self.ruleset,
            "language": self.language,
            "state": pending.came_from if pending is not None else self.state,
            "answers": copy.deepcopy(self._answers_without_adding()),
            "draft_meta": dict(self._meta),
            "follow_language": self._follow_language,
            "follow_round": self._follow_round,
            "return_to_review": self._return_to_review,
            "review_from": self._review_from,
            "mode": self.mode,
            "provenance": {key: entry.to_json() for key, entry in self._provenance.items()
                           if key in self._answers},
        }

    @classmethod
    def from_state_dict(cls, data: dict[str, Any]) -> IntakeSession:
        """A saved session, held to the bounds of typed answers.

        Counts out of bounds (a hand-edited ``participant_count: 1000000``) raise
        ``bounds.OutOfBounds`` before anything is allocated; a state of a newer format raises
        ``NewerStateError``; other answers a question would refuse are left out and listed in
        ``left_out`` (key, why).
        """
        from .bounds import OutOfBounds, count_problems

        version = data.get("format_version")
        if data.get("format") != "intake-session" or type(version) is not int or version < 1:
            raise ValueError(N_("not a saved intake session of a known version"))
        if version > STATE_FORMAT:
            raise NewerStateError(N_("made by a newer version of intake-assistant"))
        answers, meta = data.get("answers"), data.get("draft_meta")
        if not isinstance(answers, dict) or not isinstance(meta, dict) or not all(
                isinstance(k, str) for k in answers):
            raise ValueError(N_("not a saved intake session of a known version"))
        language, ruleset, state = data.get("language"), data.get("ruleset"), data.get("state")
        if not isinstance(language, str) or not isinstance(ruleset, str):
            raise ValueError(N_("not a saved intake session of a known version"))
        plan = _plan(ruleset)
        too_large = count_problems(plan, answers)
        if too_large:
            raise OutOfBounds(too_large)
        follow_language = bool(data.get("follow_language", True))
        # A save made before the two were told apart followed the round as it followed the
        # language (one flag then).
        session = cls(language, ruleset, dict(answers), dict(meta), follow_language,
                      state=state if isinstance(state, str) else None,
                      follow_round=bool(data.get("follow_round", follow_language)))
        session.left_out = session._drop_invalid()
        # format 1 knew no provenance: those answers say nobody and no time
        session._provenance = prov.parse_records(data.get("provenance"),
                                                       set(session._answers))
        if data.get("mode") in prov.MODES:
            session.mode = data["mode"]
        session._return_to_review = bool(data.get("return_to_review", False))
        review_from = data.get("review_from")
        if isinstance(review_from, str) and review_from in session._by_key:
            session._review_from = review_from
        return session

    # -- language ----------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        translator(language)
        self.language = language
        if self._follow_language and self._meta.get("language") != language:
            self._meta["language"] = language
            self._refresh()

    # -- provenance ----------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        """Who answers from now on: ``entrepreneur`` or ``advisor``."""
        if mode not in prov.MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode

    def provenance(self, key: str) -> prov.Provenance | None:
        """Who gave the answer of ``key``, when, and the note on it (None: not known)."""
        return self._provenance.get(key) if key in self._answers else None

    def provenance_text(self, key: str) -> str | None:
        """``adviseur, 24-11-2026 14:02`` in the session's language; None when not known."""
        entry = self.provenance(key)
        return prov.describe(entry, self.language) if entry is not None else None

    def set_note(self, key: str, text: str) -> None:
        """The advisor's note on an answer (an empty text removes it).

        Refused (``ValueError`` worded for the user) outside the advisor mode, on a question
        without an answer and for a note too long or not one line."""
        if self.mode != prov.ADVISOR:
            raise ValueError(self._tr(Message("Only an advisor adds notes; switch to the "
                                              "advisor mode first.")))
        if key not in self._answers:
            raise ValueError(self._tr(Message("Only an answer can have a note; answer the "
                                              "question first.")))
        try:
            note = prov.check_note(text)
        except prov.NoteError as exc:
            raise ValueError(self._tr(exc.message)) from exc
        entry = self._provenance.get(key) or prov.record(prov.UNKNOWN)
        self._provenance[key] = entry.with_note(note)

    def provenance_document(self) -> dict[str, Any]:
        """The export's side file: who gave each answer of the draft, and when."""
        asked = self.answered_keys
        labels = {}
        for key in asked:
            view = self.view(key)
            if view is not None:
                labels[key] = f"{view.label} ({view.instance_label})" if (
                    view.instance_label) else view.label
        records = {k: self._provenance[k] for k in asked if k in self._provenance}
        return prov.side_file_document(records, self.ruleset, labels)

    def _record(self, key: str) -> None:
        entry = self._provenance.get(key)
        note = entry.note if entry is not None else None  # an advisor's note stays
        self._provenance[key] = prov.record(self.mode, name=self.person).with_note(note)

    def _tr(self, message: Message) -> str:
        return translator(self.language).render(message)

    # -- derived data --------------------------------------------------------------------
    def _refresh(self, evaluate: bool = True) -> None:
        self._slots = self.plan.walk(self._answers)
        self._by_key = {s.key: s for s in self._slots}
        if self._adding is None:
            self._draft = self._build_draft()
        else:  # the instance being added is not in the draft until its first answer
            answers = self._answers_without_adding()
            self._draft = self._build_draft(answers, self.plan.walk(answers))
        self._report = None
        if evaluate:
            self._evaluate()

    def _build_draft(self, answers: dict[str, Any] | None = None,
                     slots: list[Slot] | None = None) -> DraftApplication:
        from intake_assistant.models import FORMAT, FORMAT_VERSION, DraftApplication

        data = self.plan.build_draft(self._answers if answers is None else answers,
                                     self._slots if slots is None else slots)
        return DraftApplication.model_validate(
            {"format": FORMAT, "format_version": FORMAT_VERSION, **self._meta, **data})

    def _evaluate(self) -> None:
        from intake_assistant.rules import evaluate

        assert self._draft is not None
        self._report = evaluate(self._draft, self.ruleset)

    @property
    def draft(self) -> DraftApplication:
        assert self._draft is not None
        return self._draft

    @property
    def report(self) -> Report:
        if self._report is None:
            self._evaluate()
        assert self._report is not None
        return self._report

    def _all_keys(self) -> list[str]:
        return [s.key for s in self._slots]

    def _asked_keys(self) -> list[str]:
        return [s.key for s in self._slots if s.asked]

    @property
    def answered_keys(self) -> list[str]:
        return [s.key for s in self._slots if s.asked and s.key in self._answers]

    def set_aside(self) -> list[str]:
        """Keys of answers kept in the session but left out of the draft."""
        asked = set(self._asked_keys())
        order = {k: i for i, k in enumerate(self._all_keys())}
        aside = [k for k in self._answers if k not in asked]
        return sorted(aside, key=lambda k: (order.get(k, len(order)), k))

    def value(self, key: str) -> Any:
        """The stored (language-neutral) answer of ``key``, or None."""
        return copy.deepcopy(self._answers.get(key))

    def _first_open_key(self) -> str:
        for slot in self._slots:
            if slot.asked and slot.key not in self._answers and slot.question.required:
                return slot.key
        return REVIEW if self._answers else self._asked_keys()[0]

    # -- the state machine ---------------------------------------------------------------
    def _may_enter(self, event: Any) -> bool:
        dest = event.kwargs["dest"]
        if dest in (REVIEW, SUMMARY):
            return True
        slot = self._by_key.get(dest)
        return slot is not None and bool(slot.asked)

    def _entered(self, event: Any) -> None:
        source = event.transition.source
        if (self.state in (REVIEW, SUMMARY) and source not in (REVIEW, SUMMARY)
                and not self._return_to_review):
            self._review_from = source  # not a question opened from the review itself
        if event.event.name == "jump" and source == REVIEW:
            self._return_to_review = self.state not in (REVIEW, SUMMARY)
        elif self.state in (REVIEW, SUMMARY):
            self._return_to_review = False

    def _move(self, trigger: str, dest: str) -> bool:
        if dest not in self._machine.states:
            self._machine.add_state(dest)
            for name in _TRIGGERS:
                self._machine.add_transition(name, dest, _ROUTED, conditions="_may_enter",
                                             after="_entered")
        return bool(self.trigger(trigger, dest=dest))

    def _position(self) -> int:
        """Index in the walk of the current question (or where it stood)."""
        keys = self._all_keys()
        if self.state in self._by_key:
            return keys.index(self.state)
        if self.state == REVIEW or self.state == SUMMARY:
            return len(keys)
        # The current question's instance disappeared (a participant was removed).
        qid, indices = parse_key(self.state)
        order = self.plan.order.get(qid, 0)
        for i, slot in enumerate(self._slots):
            if (self.plan.order[slot.question.id], slot.indices) >= (order, indices):
                return i
        return len(keys)

    def next(self, *, by_screen: bool = False) -> bool:
        """Go to the next question that applies; after the last one, the review.

        ``by_screen``: to the next screen, past the rest of the current one's form."""
        if self._adding is not None and self.state == self._adding.key:
            return self.cancel_add()  # on without the first answer: nothing was added
        if self.state == SUMMARY:
            return False
        if self.state == REVIEW:
            return self._move("advance", SUMMARY)
        start = self._position() + (1 if self.state in self._by_key else 0)
        following = [s for s in self._slots[start:] if s.asked]
        current = self._by_key.get(self.state)
        if by_screen and current is not None:  # on past the rest of the current form
            following = [s for s in following if not self.plan.same_page(current, s)]
        if self._return_to_review and (not following or following[0].key in self._answers):
            return self._move("advance", REVIEW)
        return self._move("advance", following[0].key if following else REVIEW)

    def back(self, *, by_screen: bool = False) -> bool:
        """Go to the question before (``by_screen``: to the first question of the screen
        before); from the summary to the review; from the review to the question it was
        opened from; from a question opened from the review back to it; a pending add is
        undone."""
        if self._adding is not None:
            return self.cancel_add()
        if self.state == SUMMARY:
            return self._move("retreat", REVIEW)
        came_from = self._by_key.get(self._review_from or "")
        if self.state == REVIEW and came_from is not None and came_from.asked:
            return self._move("retreat", came_from.key)  # where the review was opened from
        if self._return_to_review and self.state not in (REVIEW, SUMMARY):
            return self._move("retreat", REVIEW)  # a question opened from the review
        earlier = [s for s in self._slots[: self._position()] if s.asked]
        current = self._by_key.get(self.state)
        if not by_screen or current is None:
            return bool(earlier) and self._move("retreat", earlier[-1].key)
        earlier = [s for s in earlier if not self.plan.same_page(current, s)]
        if not earlier:
            return False
        last = earlier[-1]  # to the first question of that screen
        first = next(s for s in earlier if s is last or self.plan.same_page(last, s))
        return self._move("retreat", first.key)

    @property
    def can_go_back(self) -> bool:
        if self.state in (REVIEW, SUMMARY):
            return True
        return any(s.asked for s in self._slots[: self._position()])

    @property
    def returns_to_review(self) -> bool:
        """Whether going on returns to the review (a question chosen there is changed)."""
        return self._return_to_review

    @property
    def can_go_back_screen(self) -> bool:
        """Whether ``back(by_screen=True)`` has a screen to go back to."""
        if self.state in (REVIEW, SUMMARY) or self._return_to_review:
            return True
        current = self._by_key.get(self.state)
        return any(s.asked and not (current is not None and self.plan.same_page(current, s))
                   for s in self._slots[: self._position()])

    def go_to(self, key: str) -> bool:
        """Go to a question that applies (answered or not), the review or the summary."""
        if self._adding is not None and key != self._adding.key:
            self.cancel_add()
        if key not in (REVIEW, SUMMARY) and not (key in self._by_key and self._by_key[key].asked):
            return False
        return self._move("jump", key)

    def open_screen(self, key: str, *, from_review: bool = False) -> bool:
        """Go to the screen of ``key`` as a page's address names it: a question that applies,
        the review, or the summary (by way of the review, as going on from it does).
        ``from_review``: a question chosen in the review (its page may be older than where
        the intake stands): by way of the review, so that going on returns there, and a
        question that no longer applies leaves the review open. Whether anything moved:
        False when already there, or when ``key`` is no key at all (nothing moved)."""
        if key == self.state:
            return False
        if key == SUMMARY:
            to_review = self.state != REVIEW and self.go_to(REVIEW)
            return self.go_to(SUMMARY) or to_review
        try:
            qid, indices = parse_key(key)
        except (KeyError, ValueError):
            return False
        if key != REVIEW and (qid not in self.plan.by_id
                              or len(indices) != self.plan.depth(qid)):
            return False  # no question of this intake's: not even the review opens
        to_review = (from_review and key != REVIEW and self.state != REVIEW
                     and self.go_to(REVIEW))
        return self.go_to(key) or to_review

    # -- the current question ------------------------------------------------------------
    def _slot(self, key: str | None = None) -> Slot | None:
        """The current question, or ``key`` when it is on the current screen."""
        if key is None or key == self.state:
            return self._by_key.get(self.state)
        return self._by_key.get(key) if key in self.page_keys() else None

    def page_keys(self) -> list[str]:
        """The questions of the current screen, in order: a form's questions that apply to
        this instance, or the current question alone (nothing in review and summary)."""
        current = self._by_key.get(self.state)
        if current is None:
            return []
        if self.plan.form_of.get(current.question.id) is None:
            return [current.key]
        return [s.key for s in self._slots if s.asked and (
            s.key == current.key or self.plan.same_page(current, s))]

    def _choices(self, question: Question) -> list[tuple[str, str]]:
        if question.choices_from == "participants":
            out = []
            for p in self._participant_indices():
                kvk = self._live(make_key("participant_kvk", (p,)))
                if kvk:
                    name = self._participant_name(p)
                    out.append((kvk, f"{name} ({kvk})"))
            return out
        return [(c.code, c.label) for c in question.choices]

    def _live(self, key: str) -> Any:
        slot = self._by_key.get(key)
        return self._answers.get(key) if slot is not None and slot.asked else None

    def _participant_indices(self) -> list[int]:
        count = self._live("participant_count")
        return list(range(count)) if isinstance(count, int) else []

    def _participant_name(self, index: int) -> str:
        name = self._answers.get(make_key("participant_name", (index,)))
        return name or self._tr(Message("participant {number}", number=index + 1))

    # -- answering -------------------------------------------------------------------------
    def _parse(self, slot: Slot, raw: Any) -> Any:
        """The stored value for ``raw``, or ``values.AnswerError``."""
        q = slot.question
        choices = self._choices(q)
        if q.choices_from == "participants" and not choices and raw not in (None, ""):
            raise values.AnswerError(Message(NO_PARTICIPANT_KVK))
        value = values.parse(q, raw, self.language, choices, label=self._text(q.label, slot))
        if value is None:
            if q.required:
                raise values.AnswerError(Message("An answer is needed."))
            return None
        self._check_cross(slot, value)
        return value

    def _check_cross(self, slot: Slot, value: Any) -> None:
        q = slot.question
        rules = q.validation
        if rules.after:
            other_key = make_key(rules.after, slot.indices[: self.plan.depth(rules.after)])
            other = self._live(other_key)
            if other is not None and value <= other:
                raise values.AnswerError(Message(
                    rules.message or "This date must be after {other}.",
                    other=values.format_date(dt.date.fromisoformat(other), self.language)))
        for later in self.plan.questions:  # this date must stay before the ones that follow it
            if later.validation.after == q.id:
                later_key = make_key(later.id, slot.indices[: self.plan.depth(later.id)])
                other = self._live(later_key)
                if other is not None and value >= other:
                    raise values.AnswerError(Message(
                        "This date must be before {other}, the answer to: {question}",
                        other=values.format_date(dt.date.fromisoformat(other), self.language),
                        question=self._text(later.label, self._by_key[later_key])))
        if rules.unique or rules.single_yes:
            for other_slot in self._siblings(slot):
                other = self._live(other_slot.key)
                if rules.unique and other is not None and other == value:
                    raise values.AnswerError(Message(
                        rules.message or "Another instance already has this answer.",
                        other=self._sibling_name(other_slot)))
                if rules.single_yes and value is True and other is True:
                    raise values.AnswerError(Message(
                        rules.message or "Only one can answer yes.",
                        other=self._sibling_name(other_slot)))

    def _siblings(self, slot: Slot) -> list[Slot]:
        return [s for s in self._slots if s.question.id == slot.question.id
                and s.indices[:-1] == slot.indices[:-1] and s.key != slot.key]

    def _sibling_name(self, slot: Slot) -> str:
        if self.plan.chain(slot.question)[:1] == ("participant",):
            return self._participant_name(slot.indices[0])
        return str(slot.indices[-1] + 1)

    def validate(self, value: Any, key: str | None = None) -> str | None:
        """Live validation of the current question's answer (or of ``key``, a question of
        the current screen), without storing it."""
        slot = self._slot(key)
        if slot is None:
            return self._tr(Message("There is no question to answer here."))
        try:
            self._parse(slot, value)
        except values.AnswerError as exc:
            return self._tr(exc.message)
        return None

    def readings(self, value: Any, key: str | None = None) -> list[str]:
        """The answers ``value`` can mean where the figure typed reads two ways (Dutch
        ``4,000``), each written to read one way only: for the user to choose one, never
        for the intake to guess. Empty where there is nothing to choose."""
        slot = self._slot(key)
        if slot is None:
            return []
        return values.readings(slot.question, value, self.language)

    def take_reading(self, answers: dict[str, Any], key: str, reading: str) -> bool:
        """The user's choice of what a figure that reads two ways means: ``reading`` goes into
        ``answers`` for the field ``key`` only when it is one of the readings of what that
        field holds now (``answers[key]``, as typed). False, ``answers`` as they were, for
        any other (a reading of an earlier text, of another field, or forged)."""
        typed = answers.get(key)
        if not reading or not isinstance(typed, str) or reading not in self.readings(typed,
                                                                                   key):
            return False
        answers[key] = reading
        return True

    def answer(self, value: Any, key: str | None = None) -> AnswerResult:
        """Validate and store the answer to the current question (or to ``key``, a question
        of the current screen); re-run the pre-check."""
        slot = self._slot(key)
        if slot is None:
            return AnswerResult(False, self._tr(Message("There is no question to answer here.")))
        try:
            stored = self._parse(slot, value)
        except values.AnswerError as exc:
            return AnswerResult(False, self._tr(exc.message))
        return self._store(slot.key, stored)

    def answer_page(self, answers: dict[str, Any]) -> dict[str, AnswerResult]:
        """Answer several questions of the current screen (a form), each on its own: a
        refused one leaves the others as they are accepted. Results by key, in page order."""
        page = self.page_keys()
        results: dict[str, AnswerResult] = {}
        for key in [k for k in page if k in answers] + [k for k in answers if k not in page]:
            results[key] = self.answer(answers[key], key)
        return results

    def _store(self, key: str, stored: Any) -> AnswerResult:
        from pydantic import ValidationError

        previous = dict(self._answers)
        unchanged = key in previous and previous[key] == stored  # given before: when it was
        pending = self._adding
        if pending is not None and stored is not None and (
                key == pending.key or self.plan.same_page(self._by_key[key],
                                                          self._by_key[pending.key])):
            self._adding = None  # the first answer makes the added instance real
            self._record(pending.count_key)
        if stored is None:
            self._answers.pop(key, None)
        else:
            self._answers[key] = stored
        try:
            self._refresh()
        except ValidationError as exc:
            from intake_assistant.loading import describe_validation_error

            self._adding = pending
            self._answers = previous
            self._refresh()
            problems = describe_validation_error(exc)
            text = "; ".join(f"{self._label_at(path, key)}: {self._tr(what)}"
                             for path, what in problems)
            return AnswerResult(False, text)
        if stored is None:
            self._provenance.pop(key, None)
        elif not unchanged or key not in self._provenance:
            self._record(key)
        return AnswerResult(True, None)


    def _label_at(self, path: str, key: str) -> str:
        """The question a draft path (``participants[1].balance_sheet_total_eur``) is the
        answer to, as the user reads it: the draft's own names are not the user's words."""
        from .bounds import field_json_path

        slot = next((s for s in self._slots if s.question.field and field_json_path(
            self.plan, s.question, s.indices) == path), self._by_key[key])
        return self._text(slot.question.label, slot)


def _meta_of(draft: DraftApplication) -> dict[str, Any]:
    return {k: getattr(draft, k) for k in ("ruleset", "language") if k in draft.model_fields_set}


def _plan(ruleset: str) -> Plan:
    return _plans.get(ruleset) or _plans.setdefault(ruleset, Plan(cached_flow(ruleset)))


_plans: dict[str, Plan] = {}

__all__ = [
    "REVIEW", "SUMMARY", "AnswerResult", "IntakeSession", "NewerStateError", "ParticipantView",
    "QuestionView",
    "ReviewItem", "SectionProgress", "SectionStep", "session_for_round",
]


def session_for_round(session: IntakeSession) -> IntakeSession:
    """The same intake under the round of its application date, once that date is answered.

    A new intake starts under the first round and follows the date: answers are kept (the
    questions keep their ids across rounds; a later round's new questions are then open). An
    imported or replayed draft keeps the ruleset it names (its round is checked and a date in
    another round warns). Returns ``session`` itself when nothing changes.
    """
    from intake_assistant.rules.rounds import round_for_date

    project = session.draft.project
    day = project.application_date if project else None
    if day is None:
        return session
    target = round_for_date(day).ruleset_id
    # Checked before the state is copied: this runs after every change of the intake. A
    # draft that names its ruleset (imported, replayed) is made with follow_round False.
    if (target == session.ruleset or not session._follow_round
            or target not in flow_rulesets()):
        return session
    data = session.to_state_dict()
    data["ruleset"] = target
    data["draft_meta"] = {**data["draft_meta"], "ruleset": target}
    return type(session).from_state_dict(data)
