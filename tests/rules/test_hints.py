"""Hints (issue 14): a hint that does not work is a defect.

For every criterion that fails or warns on a number or a date, a property test draws drafts
that miss it (in every round), applies each option of the criterion's hint to the draft and
checks that the criterion then passes (or only warns for a reason that is no number, with no
hint left) and that no other criterion's status got worse. The drafts are complete (every
answer given), built on the eligible example; only the figures of the criterion vary.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from intake_assistant.i18n import translator
from intake_assistant.models import DraftApplication
from intake_assistant.rules import Report, Status, evaluate, load_ruleset
from intake_assistant.rules.hints import apply_option
from intake_assistant.rules.rounds import rounds

from .helpers import example_data

RULESETS = [r.ruleset_id for r in rounds()]
V2 = {"sce-2022", "sce-2023", "sce-2024"}
FIRST_DAY = {r.ruleset_id: r.first for r in rounds()}
ROLES = ["collector", "designer", "producer", "retailer", "repairer", "recycler"]

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

#: Lower is better; pass and info are equally good (no condition to meet).
RANK = {Status.PASS: 0, Status.INFO: 0, Status.WARN: 1, Status.UNKNOWN: 2, Status.FAIL: 3}


def base(ruleset_id: str, participants: int = 4) -> dict[str, Any]:
    """The eligible example in round ``ruleset_id``: its dates moved into the round, every
    answer of the round given, ``participants`` participants (copies of the example's)."""
    data = example_data()
    data["ruleset"] = ruleset_id
    applied = FIRST_DAY[ruleset_id] + dt.timedelta(days=10)
    project = data["project"]
    project["application_date"] = applied.isoformat()
    project["start_date"] = (applied + dt.timedelta(days=60)).isoformat()
    project["end_date"] = (applied + dt.timedelta(days=60 + 700)).isoformat()
    template = data["participants"]
    out = []
    for i in range(participants):
        p = copy.deepcopy(template[i % len(template)])
        p["kvk_number"] = f"{10000000 + i * 1111:08d}"
        p["name"] = f"Partner {i + 1}"
        p["is_lead_applicant"] = i == 0
        p["chain_role"] = ROLES[i % len(ROLES)]
        out.append(p)
    data["participants"] = out
    if ruleset_id in V2:
        data["format_version"] = 2
        project.update(barriers_addressed=["circular"], barriers_description="Terugname.",
                       textile_project=False, comparable_project_granted_before=False)
        for p in out:
            p["de_minimis_received_eur"] = 0
            p["large_enterprise"] = False
    return data


def statuses(report: Report) -> dict[str, Status]:
    """The worst status of every criterion (over its participants)."""
    out: dict[str, Status] = {}
    for f in report.findings:
        if f.criterion not in out or RANK[f.status] > RANK[out[f.criterion]]:
            out[f.criterion] = f.status
    return out


def assert_hint_works(data: dict[str, Any], criterion: str) -> int:
    """Apply every option of every hint of ``criterion``; return how many were applied."""
    draft = DraftApplication.model_validate(data)
    report = evaluate(draft)
    before = statuses(report)
    params = load_ruleset(draft.ruleset).params_on(draft.project.application_date)
    applied = 0
    for finding in report.findings:
        if finding.criterion != criterion or finding.hint is None:
            continue
        for language in ("en", "nl"):  # the words render in both languages
            text = finding.hint_text(translator(language))
            assert text and "{" not in text, text
        for option in finding.hint.options:
            after_draft = apply_option(draft, option, params.hourly_rate_eur)
            after = evaluate(after_draft)
            same = [f for f in after.findings if f.criterion == criterion
                    and f.participant_index == finding.participant_index]
            assert same, (criterion, option)
            for f in same:
                assert f.status in {Status.PASS, Status.INFO} or (
                    f.status is Status.WARN and f.hint is None), (
                    option, f.status, f.text(translator("en")), f.hint)
            for other, status in statuses(after).items():
                if other == criterion:
                    continue
                assert RANK[status] <= RANK[before[other]], (
                    option, other, before[other], status,
                    [f.text(translator("en")) for f in after.findings if f.criterion == other])
            applied += 1
    return applied


def hinted(data: dict[str, Any], criterion: str) -> bool:
    report = evaluate(DraftApplication.model_validate(data))
    return any(f.criterion == criterion and f.hint is not None and f.hint.options
               for f in report.findings)


rulesets = st.sampled_from(RULESETS)


@SETTINGS
@given(rulesets, st.integers(3, 6), st.data())
def test_cost_share_hint_works(ruleset_id: str, n: int, data: st.DataObject) -> None:
    draft = base(ruleset_id, n)
    for p in draft["participants"]:
        p["own_hours"] = data.draw(st.integers(0, 3000))
        p["cost_lines"] = [{"description": "x", "category": "materials",
                            "amount_eur": data.draw(st.integers(0, 20000))}]
    big = data.draw(st.integers(0, n - 1))
    draft["participants"][big]["own_hours"] = data.draw(st.integers(3000, 20000))
    if ruleset_id in V2:
        for p in draft["participants"]:
            p["de_minimis_received_eur"] = data.draw(st.sampled_from([0, 150000, 190000, 199000]))
    assume(hinted(draft, "COST-SHARE-70"))
    assert assert_hint_works(draft, "COST-SHARE-70")


@SETTINGS
@given(rulesets, st.integers(1, 9), st.data())
def test_partnership_size_hint_works(ruleset_id: str, n: int, data: st.DataObject) -> None:
    draft = base(ruleset_id, n)
    for p in draft["participants"]:
        p["own_hours"] = 100
        p["cost_lines"] = []
        p["continues_after_project"] = data.draw(st.booleans())
    if ruleset_id in V2 and n > 1:
        for i in data.draw(st.lists(st.integers(1, n - 1), max_size=2, unique=True)):
            draft["participants"][i]["large_enterprise"] = True
    assume(hinted(draft, "PARTNERSHIP-SIZE"))
    assert assert_hint_works(draft, "PARTNERSHIP-SIZE")


@SETTINGS
@given(rulesets, st.integers(3, 6), st.data())
def test_chain_roles_hint_works(ruleset_id: str, n: int, data: st.DataObject) -> None:
    draft = base(ruleset_id, n)
    for p in draft["participants"]:
        p["chain_role"] = data.draw(st.sampled_from(ROLES[:2]))
        p["continues_after_project"] = data.draw(st.booleans())
    assume(hinted(draft, "CHAIN-ROLES"))
    assert assert_hint_works(draft, "CHAIN-ROLES")


@SETTINGS
@given(rulesets, st.integers(-400, 2000))
def test_duration_hint_works(ruleset_id: str, days: int) -> None:
    draft = base(ruleset_id)
    start = dt.date.fromisoformat(draft["project"]["start_date"])
    draft["project"]["end_date"] = (start + dt.timedelta(days=days)).isoformat()
    assume(hinted(draft, "DURATION"))
    assert assert_hint_works(draft, "DURATION")


@SETTINGS
@given(rulesets, st.integers(0, 800), st.integers(0, 1000))
def test_start_window_hint_works(ruleset_id: str, after: int, length: int) -> None:
    draft = base(ruleset_id)
    applied = dt.date.fromisoformat(draft["project"]["application_date"])
    start = applied + dt.timedelta(days=after)
    draft["project"]["start_date"] = start.isoformat()
    draft["project"]["end_date"] = (start + dt.timedelta(days=length)).isoformat()
    assume(hinted(draft, "START-WINDOW"))
    assert assert_hint_works(draft, "START-WINDOW")


@SETTINGS
@given(rulesets, st.integers(1, 500), st.integers(0, 1000))
def test_incentive_date_hint_works(ruleset_id: str, before: int, length: int) -> None:
    draft = base(ruleset_id)
    applied = dt.date.fromisoformat(draft["project"]["application_date"])
    start = applied - dt.timedelta(days=before)
    draft["project"]["start_date"] = start.isoformat()
    draft["project"]["end_date"] = (start + dt.timedelta(days=length)).isoformat()
    assume(hinted(draft, "GBER-INCENTIVE"))
    assert assert_hint_works(draft, "GBER-INCENTIVE")


@SETTINGS
@given(rulesets, st.integers(0, 3), st.data())
def test_sme_status_hint_works(ruleset_id: str, who: int, data: st.DataObject) -> None:
    draft = base(ruleset_id)
    p = draft["participants"][who]
    p["staff_units"] = data.draw(st.integers(0, 600))
    p["annual_turnover_eur"] = data.draw(st.integers(0, 10**8))
    p["balance_sheet_total_eur"] = data.draw(st.integers(0, 10**8))
    p["figures_include_linked_and_partner"] = data.draw(st.booleans())
    if ruleset_id in V2 and data.draw(st.booleans()):  # a second non-SME: too many large
        other = draft["participants"][(who + 1) % 4]
        if not other["is_lead_applicant"]:
            other["large_enterprise"] = True
    assume(hinted(draft, "SME-STATUS"))
    assert assert_hint_works(draft, "SME-STATUS")


@SETTINGS
@given(st.sampled_from(sorted(V2)), st.data())
def test_de_minimis_hint_works(ruleset_id: str, data: st.DataObject) -> None:
    draft = base(ruleset_id)
    ceiling = int(load_ruleset(ruleset_id).params_on(None).de_minimis_ceiling_eur)
    for p in draft["participants"]:
        # Around the ceiling: over it by the subsidy, by more, or within it.
        p["de_minimis_received_eur"] = ceiling - data.draw(st.integers(-5000, 40000))
        p["own_hours"] = data.draw(st.integers(0, 1000))
    assume(hinted(draft, "DE-MINIMIS"))
    assert assert_hint_works(draft, "DE-MINIMIS")


@SETTINGS
@given(rulesets, st.integers(0, 300))
def test_facilitator_experience_hint_works(ruleset_id: str, hundredths: int) -> None:
    draft = base(ruleset_id)
    draft["facilitator"]["experience_years"] = hundredths / 100
    assume(hinted(draft, "FACILITATOR-EXPERIENCE"))
    assert assert_hint_works(draft, "FACILITATOR-EXPERIENCE")


@SETTINGS
@given(rulesets, st.integers(3, 6), st.data())
def test_partnership_continues_hint_works(ruleset_id: str, n: int, data: st.DataObject) -> None:
    draft = base(ruleset_id, n)
    for p in draft["participants"]:
        p["continues_after_project"] = data.draw(st.booleans())
    assume(hinted(draft, "PARTNERSHIP-CONTINUES"))
    assert assert_hint_works(draft, "PARTNERSHIP-CONTINUES")


# -------------------------------------------------------------------------------------------
# The words: computed from the round's parameters.


@pytest.mark.parametrize("ruleset_id", RULESETS)
def test_partnership_size_says_when_a_large_enterprise_may_join(ruleset_id: str) -> None:
    draft = base(ruleset_id, 2)
    report = evaluate(DraftApplication.model_validate(draft))
    found = next(f for f in report.findings if f.criterion == "PARTNERSHIP-SIZE")
    assert found.hint is not None
    text = found.hint_text(translator("en"))
    assert text.startswith("One more SME is needed.")
    params = load_ruleset(ruleset_id).params_on(None)
    if "one-large-enterprise-allowed" in load_ruleset(ruleset_id).rule_changes:
        assert "a large enterprise may join" in text
        assert f"{int(params.min_smes_with_large)} to {int(params.max_smes_with_large)} SMEs" in text
    else:
        assert "large enterprise" not in text


def test_cap_hint_says_what_is_lost() -> None:
    draft = base("sce-2020")
    draft["participants"][0]["own_hours"] = 1000  # 60,000 + 4,000 eligible: 32,000 raw subsidy
    report = evaluate(DraftApplication.model_validate(draft))
    found = next(f for f in report.findings if f.criterion == "SUBSIDY-AMOUNT")
    params = load_ruleset("sce-2020").params_on(None)
    raw = (1000 * params.hourly_rate_eur + 4000) * params.subsidy_rate
    lost = raw - params.max_subsidy_per_participant_eur
    assert found.hint is not None and found.hint.options == ()
    assert translator("en").money(lost) in found.hint_text(translator("en"))
    assert translator("nl").money(lost) in found.hint_text(translator("nl"))


def test_duration_hint_days_and_date() -> None:
    draft = base("sce-2020")
    start = dt.date.fromisoformat(draft["project"]["start_date"])
    years = int(load_ruleset("sce-2020").params_on(None).max_duration_years)
    latest = start.replace(year=start.year + years)
    draft["project"]["end_date"] = (latest + dt.timedelta(days=41)).isoformat()
    report = evaluate(DraftApplication.model_validate(draft))
    found = next(f for f in report.findings if f.criterion == "DURATION")
    en, nl = translator("en"), translator("nl")
    assert found.hint_text(en) == f"End by {en.date(latest)} (41 days earlier)."
    assert found.hint_text(nl) == f"Eindig uiterlijk op {nl.date(latest)} (41 dagen eerder)."


HINTED = ["COST-SHARE-70", "PARTNERSHIP-SIZE", "CHAIN-ROLES", "DURATION", "START-WINDOW",
          "GBER-INCENTIVE", "SME-STATUS", "DE-MINIMIS", "FACILITATOR-EXPERIENCE",
          "PARTNERSHIP-CONTINUES", "APPLICATION-WINDOW"]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(rulesets, st.integers(1, 8), st.data())
def test_every_hint_works_on_drafts_that_miss_many(ruleset_id: str, n: int,
                                                    data: st.DataObject) -> None:
    """Many figures off at once: every hint still works and harms no other criterion."""
    draft = base(ruleset_id, n)
    project = draft["project"]
    applied = dt.date.fromisoformat(project["application_date"])
    start = applied + dt.timedelta(days=data.draw(st.integers(-100, 400)))
    project["start_date"] = start.isoformat()
    project["end_date"] = (start + dt.timedelta(days=data.draw(st.integers(-30, 1200)))).isoformat()
    draft["facilitator"]["experience_years"] = data.draw(st.integers(0, 300)) / 100
    ceiling = getattr(load_ruleset(ruleset_id).params_on(None), "de_minimis_ceiling_eur", 0)
    for i, p in enumerate(draft["participants"]):
        p["chain_role"] = data.draw(st.sampled_from(ROLES[:4]))
        p["continues_after_project"] = data.draw(st.booleans())
        p["own_hours"] = data.draw(st.integers(0, 6000))
        p["cost_lines"] = [{"description": "x", "category": "materials",
                            "amount_eur": data.draw(st.integers(0, 30000))}]
        p["staff_units"] = data.draw(st.sampled_from([3, 249, 250, 260]))
        p["annual_turnover_eur"] = data.draw(st.sampled_from([10**6, 6 * 10**7]))
        p["balance_sheet_total_eur"] = data.draw(st.sampled_from([10**6, 5 * 10**7]))
        if ruleset_id in V2:
            p["de_minimis_received_eur"] = max(0, int(ceiling) - data.draw(st.integers(-1000, 60000)))
            p["large_enterprise"] = i > 0 and data.draw(st.integers(0, 5)) == 0
    report = evaluate(DraftApplication.model_validate(draft))
    for criterion in dict.fromkeys(f.criterion for f in report.findings if f.hint is not None):
        if criterion in HINTED:
            event(f"{criterion}: {assert_hint_works(draft, criterion)} options applied")


# -------------------------------------------------------------------------------------------
# The shared examples: their hints, in both languages, in the rules and in `check`.

EXPECTED_HINTS = {
    "cost-share-over-70": {
        ("COST-SHARE-70", None): {
            "en": "Moving €700.00 of the eligible costs of Kringloop Kunststof B.V. to the other "
                  "partners, or adding €1,000.00 of eligible costs at the other partners, brings "
                  "its share to 70%.",
            "nl": "Door € 700,00 van de subsidiabele kosten van Kringloop Kunststof B.V. naar de "
                  "andere partners te verplaatsen, of € 1.000,00 aan subsidiabele kosten bij de "
                  "andere partners toe te voegen, komt het aandeel op 70%.",
        },
        ("SUBSIDY-AMOUNT", None): {
            "en": "€57,000.00 of the subsidy of Kringloop Kunststof B.V. is lost to the maximum "
                  "of €20,000.00 per SME.",
            "nl": "€ 57.000,00 van de subsidie van Kringloop Kunststof B.V. gaat verloren door "
                  "het maximum van € 20.000,00 per mkb-onderneming.",
        },
    },
    "eligible-office-chair": {},
    "incomplete-no-facilitator-no-co2": {},
}


def _plain(text: str) -> str:
    return text.replace("\xa0", " ")


@pytest.mark.parametrize("name", sorted(EXPECTED_HINTS))
@pytest.mark.parametrize("language", ["en", "nl"])
def test_examples_get_their_hints(name: str, language: str) -> None:
    report = evaluate(DraftApplication.model_validate(example_data(name)))
    tr = translator(language)
    got = {(f.criterion, f.participant): _plain(f.hint_text(tr) or "")
           for f in report.findings if f.hint is not None}
    assert got == {key: texts[language] for key, texts in EXPECTED_HINTS[name].items()}


def test_cost_share_example_hint_options_work() -> None:
    data = example_data("cost-share-over-70")
    assert assert_hint_works(data, "COST-SHARE-70") == 2


@SETTINGS
@given(rulesets, st.integers(-500, 500), st.integers(0, 250))
def test_application_window_hint_works(ruleset_id: str, shift: int, lead: int) -> None:
    draft = base(ruleset_id)
    applied = FIRST_DAY[ruleset_id] + dt.timedelta(days=shift)
    draft["project"]["application_date"] = applied.isoformat()
    start = applied + dt.timedelta(days=lead)
    draft["project"]["start_date"] = start.isoformat()
    draft["project"]["end_date"] = (start + dt.timedelta(days=700)).isoformat()
    assume(hinted(draft, "APPLICATION-WINDOW"))
    assert assert_hint_works(draft, "APPLICATION-WINDOW")


@pytest.mark.parametrize("ruleset_id", ["sce-2022", "sce-2024"])
@pytest.mark.parametrize("staying", [{1}, {1, 2, 3}])
def test_partnership_continues_hint_keeps_the_lead_on_from_2022(ruleset_id: str,
                                                                 staying: set[int]) -> None:
    # The lead (participant 0) leaves: too few stay (fail), or only the lead's leaving (warn).
    draft = base(ruleset_id, 4)
    for i, p in enumerate(draft["participants"]):
        p["continues_after_project"] = i in staying
    report = evaluate(DraftApplication.model_validate(draft))
    finding = next(f for f in report.findings if f.criterion == "PARTNERSHIP-CONTINUES")
    assert finding.status is (Status.WARN if len(staying) == 3 else Status.FAIL)
    assert finding.hint is not None
    assert "participants[0].continues_after_project" in {
        change.path for option in finding.hint.options for change in option}
    assert assert_hint_works(draft, "PARTNERSHIP-CONTINUES")
