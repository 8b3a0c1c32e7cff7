"""What the session shows: a question in the current language, sections, the review.

Mixed into ``IntakeSession``: these methods only read the answers and the walk; nothing
here changes the session.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from intake_assistant.i18n import N_, Message, one_full_stop, translator

from . import values
from .plan import Plan, Slot, make_key, parse_key
from .round_texts import ruleset_texts

if TYPE_CHECKING:
    from intake_assistant.models import DraftApplication

    from .schema import Question


NO_PARTICIPANT_KVK = N_(
    "No participant has a KvK number yet. Give the participants' KvK numbers first "
    "(section Participants), then choose one here.")


@dataclass(frozen=True, slots=True)
class QuestionView:
    key: str
    question_id: str
    section: str
    section_label: str
    kind: str
    label: str
    help: str
    why: str
    article: str
    required: bool
    choices: list[tuple[str, str]]
    current_text: str
    current_value: Any
    group: str | None
    indices: tuple[int, ...]
    participant_index: int | None
    participant_name: str | None
    instance_label: str | None  # e.g. "Participant 2: Acme B.V. · Cost line 1"
    #: A long text past this many characters is kept, with a warning (the question's data).
    advised_length: int | None = None
    #: The most characters a text answer takes (None: not a text question).
    max_length: int | None = None
    #: An answer as the user would type it, for a placeholder ("" where none helps).
    example: str = ""


@dataclass(frozen=True, slots=True)
class SectionProgress:
    section: str
    label: str
    answered: int
    total: int


@dataclass(frozen=True, slots=True)
class SectionStep:
    """One line of the progress list: what of a section is done.

    The sections asked per participant are one step (``per_participant``) whose ``done``
    and ``total`` count participants ("Participants 2 of 4"); elsewhere they count screens.
    A part is done when every required question on it that applies has an answer (an
    optional one may stay empty)."""

    section: str
    label: str
    done: int
    total: int
    per_participant: bool
    current: bool
    #: In the participants' step: the section of the current question (SME status ...).
    current_part: str | None = None
    #: The section's short name, for a narrow list ("Circularity").
    short_label: str = ""


@dataclass(frozen=True, slots=True)
class ReviewItem:
    section_label: str
    label: str
    answer: str
    key: str
    set_aside: bool


@dataclass(frozen=True, slots=True)
class ParticipantView:
    index: int
    name: str
    kvk: str | None
    role_label: str | None
    sme_class: str | None  # micro | small | medium, per the pre-check; None if not known
    is_lead: bool


class SessionViews:
    """The read side of the session: views of questions, sections, review and partners."""

    if TYPE_CHECKING:  # provided by IntakeSession
        language: str
        ruleset: str
        state: str
        plan: Plan
        _answers: dict[str, Any]
        _slots: list[Slot]
        _by_key: dict[str, Slot]

        @property
        def draft(self) -> DraftApplication: ...
        def set_aside(self) -> list[str]: ...
        def _tr(self, message: Message) -> str: ...
        def _choices(self, question: Question) -> list[tuple[str, str]]: ...
        def _live(self, key: str) -> Any: ...
        def _participant_indices(self) -> list[int]: ...
        def _participant_name(self, index: int) -> str: ...

    def _params(self, slot: Slot) -> dict[str, Any]:
        # The round's numbers first (dialog texts name parameters, never literals).
        params: dict[str, Any] = dict(ruleset_texts(self.ruleset, self.language))
        question = slot.question
        chain = self.plan.chain(question)
        for group, index in zip(chain, slot.indices, strict=False):
            if group == "participant":
                params["number"] = index + 1
                params["participant"] = self._participant_name(index)
            elif group == "cost_line":
                params["line_number"] = index + 1
            elif group == "tie":
                params["tie_number"] = index + 1
        return params

    def _text(self, msgid: str | None, slot: Slot) -> str:
        if not msgid:
            return ""
        params = self._params(slot)
        text = one_full_stop(translator(self.language).gettext(msgid), params)
        try:
            return text.format_map(_Default(params))
        except (ValueError, IndexError):
            return text

    def _help(self, question: Question, slot: Slot, choices: list[tuple[str, str]]) -> str:
        text = self._text(question.help, slot)
        if question.choices_from == "participants" and not choices:
            # Without a KvK number no partner can be chosen: say where to go, not a bare list.
            note = translator(self.language).gettext(NO_PARTICIPANT_KVK)
            text = f"{text}\n{note}" if text else note
        return text

    def _instance_label(self, slot: Slot) -> str | None:
        parts = []
        for group, index in zip(self.plan.chain(slot.question), slot.indices, strict=False):
            title = self._tr(Message(self.plan.flow.groups[group].title, number=index + 1))
            if group == "participant":
                name = self._answers.get(make_key("participant_name", (index,)))
                title = f"{title}: {name}" if name else title
            parts.append(title)
        return " · ".join(parts) or None

    def view(self, key: str) -> QuestionView | None:
        slot = self._by_key.get(key)
        if slot is None:
            return None
        q = slot.question
        choices = self._choices(q)
        tr = translator(self.language)
        stored = self._answers.get(key)
        pindex = slot.indices[0] if self.plan.chain(q)[:1] == ("participant",) else None
        return QuestionView(
            key=key,
            question_id=q.id,
            section=q.section,
            section_label=tr.gettext(self.plan.section_titles[q.section]),
            kind=q.kind,
            label=self._text(q.label, slot),
            help=self._help(q, slot, choices),
            why=self._text(q.why, slot),
            article=q.article,
            required=q.required,
            choices=[(code, tr.gettext(label)) for code, label in choices],
            current_text=values.format_answer(q, stored, self.language, choices),
            current_value=copy.deepcopy(stored),
            group=q.group,
            indices=slot.indices,
            participant_index=pindex,
            participant_name=None if pindex is None else self._participant_name(pindex),
            instance_label=self._instance_label(slot),
            advised_length=q.validation.advised_length,
            max_length=values.text_limit(q),
            example=values.example(q.kind, self.language, q),
        )

    @property
    def current(self) -> QuestionView | None:
        return self.view(self.state) if self.state in self._by_key else None

    # -- overview --------------------------------------------------------------------------
    def sections(self) -> list[tuple[str, str, list[str]]]:
        tr = translator(self.language)
        out = []
        for sid in self.plan.section_ids:
            keys = [s.key for s in self._slots if s.asked and s.question.section == sid]
            out.append((sid, tr.gettext(self.plan.section_titles[sid]), keys))
        return out

    def section_paths(self, section: str) -> list[str]:
        """Draft paths of the answers asked in ``section`` (``participants[0].staff_units``).

        A finding's ``needs`` names such paths: the pre-check tells what this section still
        needs by comparing the two."""
        from .bounds import field_json_path

        return [field_json_path(self.plan, s.question, s.indices) for s in self._slots
                if s.asked and s.question.section == section]

    def progress(self) -> list[SectionProgress]:
        out = []
        for sid, label, keys in self.sections():
            answered = sum(1 for k in keys if k in self._answers)
            out.append(SectionProgress(sid, label, answered, len(keys)))
        return out

    def section_steps(self) -> list[SectionStep]:
        """The progress list, in interview order, with which step the current question is in.

        The sections asked per participant follow one another and are asked participant by
        participant (name, SME figures, role, state aid, costs of the first, then of the
        second ...), so they are one step, counted in participants done and named after its
        first section ("Participants 2 of 4"), with the section the current question is in
        as ``current_part``. Every other section is a step counted in screens."""
        tr = translator(self.language)
        current_slot = self._by_key.get(self.state)
        current = current_slot.question.section if current_slot is not None else None
        participants = self._participant_indices()
        by_section: dict[str, list[Slot]] = {}
        pages: dict[str, list[list[Slot]]] = {}
        for page in self.plan.pages(self._slots):
            sid = page[0].question.section
            pages.setdefault(sid, []).append(page)
            by_section.setdefault(sid, []).extend(page)
        per_participant = {q.section for q in self.plan.questions
                           if self.plan.chain(q)[:1] == ("participant",)}

        def done(slots: list[Slot]) -> bool:  # nothing required left open (optional: may stay)
            return all(s.key in self._answers for s in slots if s.question.required)

        out: list[SectionStep] = []
        ids = self.plan.section_ids
        i = 0
        while i < len(ids):
            sid = ids[i]
            label = tr.gettext(self.plan.section_titles[sid])
            short = tr.gettext(self.plan.section_short_labels.get(sid) or
                               self.plan.section_titles[sid])
            if sid not in per_participant:
                steps = pages.get(sid, [])
                out.append(SectionStep(sid, label, sum(1 for p in steps if done(p)),
                                       len(steps), False, sid == current, None, short))
                i += 1
                continue
            block = []
            while i < len(ids) and ids[i] in per_participant:
                block.append(ids[i])
                i += 1
            slots = [s for b in block for s in by_section.get(b, [])]
            shared_done = done([s for s in slots if not s.indices])  # the count, first
            finished = sum(1 for p in participants if shared_done and done(
                [s for s in slots if s.indices[:1] == (p,)]))
            part = tr.gettext(self.plan.section_titles[current]) if (
                current in block and current != sid) else None
            out.append(SectionStep(sid, label, finished, len(participants), True,
                                   current in block, part, short))
        return out

    def review_items(self) -> list[ReviewItem]:
        items = []
        aside = self.set_aside()
        for _sid, label, keys in self.sections():
            for key in keys:
                view = self.view(key)
                assert view is not None
                items.append(ReviewItem(label, view.label, view.current_text, key, False))
        for key in aside:
            items.append(self._aside_item(key))
        return items

    def _aside_item(self, key: str) -> ReviewItem:
        qid, indices = parse_key(key)
        q = self.plan.by_id[qid]
        slot = Slot(key, q, indices, False)
        tr = translator(self.language)
        text = values.format_answer(q, self._answers[key], self.language, self._choices(q))
        return ReviewItem(tr.gettext(self.plan.section_titles[q.section]),
                          self._text(q.label, slot), text, key, True)

    def missing_required(self) -> list[str]:
        """Keys of required questions that apply and have no answer yet."""
        return [s.key for s in self._slots
                if s.asked and s.question.required and s.key not in self._answers]

    def participants(self) -> list[ParticipantView]:
        labels = {c.code: c.label for c in self.plan.by_id["participant_chain_role"].choices}
        tr = translator(self.language)
        out = []
        sme = self._sme_classes()
        for i in self._participant_indices():
            role = self._live(make_key("participant_chain_role", (i,)))
            out.append(ParticipantView(
                index=i,
                name=self._participant_name(i),
                kvk=self._live(make_key("participant_kvk", (i,))),
                role_label=tr.gettext(labels[role]) if role in labels else None,
                sme_class=sme[i] if i < len(sme) else None,
                is_lead=self._live(make_key("participant_is_lead", (i,))) is True,
            ))
        return out

    def _sme_classes(self) -> list[str | None]:
        from intake_assistant.rules import load_ruleset
        from intake_assistant.rules.sme import sme_test

        draft = self.draft
        if not draft.participants:
            return []
        params = load_ruleset(self.ruleset).params_on(
            draft.project.application_date if draft.project else None)
        return [sme_test(i, p, params).size_class for i, p in enumerate(draft.participants)]


class _Default(dict[str, Any]):
    """Leaves unknown placeholders as they are when filling in a question's text."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"

