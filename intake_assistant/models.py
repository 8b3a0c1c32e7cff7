"""The draft application, format versions 1 and 2.

Version 1 is ``../shared/spec/draft-application-v1.md``; version 2 (``docs/draft-application-v2.md``)
adds the answers the 2022-2024 rounds need (``V2_FIELDS``). A draft is written as version 2
only when it holds a version-2 answer; a version-1 file with a version-2 answer is refused.

Strict where the format is strict: unknown keys are refused (a typo must not silently drop
data), ``format`` and ``format_version`` are fixed, KvK numbers have 8 digits, dates are ISO
``YYYY-MM-DD``, money and hours are never negative and money has whole cents at most.
Lax where a draft may be unfinished: every answer may be absent. A missing answer makes the
criteria that need it ``unknown``; it never makes the draft invalid.

Where the format gives absent and ``null`` different meanings (``facilitator``: absent = not
answered yet, ``null`` = no facilitator appointed; ``group``: absent = not answered, ``null``
= in no group), ``model_fields_set`` tells them apart. Export with
``model_dump(mode="json", exclude_unset=True)`` so that absent stays absent.

Every number and every list has an upper bound that no real application reaches (the
``MAX_*`` constants below, shown in ``intake-assistant schema``): a draft is hostile until
checked, and an absurd figure (``own_hours: 1e308``) must be refused by its path rather than
turn into eligible costs of infinity and a cost share of NaN. The bounds keep every sum the
rules compute finite and within what babel formats exactly.
"""

# No ``from __future__ import annotations`` here: pydantic would then evaluate each field's
# annotation from its text when the classes are made, a third of what importing this module
# costs every command (the classes below come in the order their annotations need).
import datetime as dt
import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

FORMAT = "sck-draft-application"
FORMAT_VERSION = 1
FORMAT_VERSIONS = (1, 2)

# Upper bounds of the format. Far beyond the scheme's scale (at most 20,000 euros of subsidy
# per SME, partnerships of 3 to 6 SMEs) and beyond the question flow's own limits, so that no
# real draft is refused; low enough that sums over every participant stay exact in a float.
#: Money in euros: turnover, balance sheet total, a cost line (1 trillion euros).
MAX_EUROS = 1_000_000_000_000
#: Hours of own staff of one participant (about 600 full-time years).
MAX_HOURS = 1_000_000
#: Annual work units (staff) of one participant.
MAX_STAFF_UNITS = 1_000_000
#: Tonnes of CO2 reduction per year (the Netherlands emits about 150 million tonnes a year).
MAX_TONNES_PER_YEAR = 1_000_000_000
#: Raw-material saving, in the draft's own unit (t/year, kg per product, ...).
MAX_QUANTITY = 1_000_000_000_000
#: Years of experience of the facilitator.
MAX_EXPERIENCE_YEARS = 100
#: Participants of one draft (a partnership has 3 to 6 SMEs; larger drafts are still checked).
MAX_PARTICIPANTS = 1_000
#: Cost lines of one participant.
MAX_COST_LINES = 1_000
#: Ties of the facilitator with participants.
MAX_TIES = 1_000
#: Characters of a ruleset name (the known ones are like ``sce-2020``).
MAX_RULESET_NAME = 64


class Subject(StrEnum):
    PRODUCT = "product"
    PROCESS = "process"
    SERVICE = "service"
    BUSINESS_MODEL = "business_model"


class ActivityType(StrEnum):
    """Experimentele ontwikkeling / procesinnovatie / organisatie-innovatie (art. 2.3 c)."""

    EXPERIMENTAL_DEVELOPMENT = "experimental_development"
    PROCESS_INNOVATION = "process_innovation"
    ORGANISATIONAL_INNOVATION = "organisational_innovation"


class RStrategy(StrEnum):
    """Rung of the R-ladder, R0 Refuse ... R9 Recover (energy)."""

    R0 = "R0"
    R1 = "R1"
    R2 = "R2"
    R3 = "R3"
    R4 = "R4"
    R5 = "R5"
    R6 = "R6"
    R7 = "R7"
    R8 = "R8"
    R9 = "R9"


class ChainRole(StrEnum):
    """Rol in de keten (schakel) of a participant."""

    RAW_MATERIAL_SUPPLIER = "raw_material_supplier"
    DESIGNER = "designer"
    PRODUCER = "producer"
    PROCESSOR = "processor"
    DISTRIBUTOR = "distributor"
    RETAILER = "retailer"
    USER = "user"
    COLLECTOR = "collector"
    REPAIRER = "repairer"
    RECYCLER = "recycler"
    OTHER = "other"


class BarrierAspect(StrEnum):
    """The aspect of the barriers (drempels of belemmeringen) the 2022+ activities address."""

    CIRCULAR = "circular"
    NOVELTY = "novelty"
    COOPERATION = "cooperation"


class Sector(StrEnum):
    FISHERY_AQUACULTURE = "fishery_aquaculture"
    PRIMARY_AGRICULTURE = "primary_agriculture"
    OTHER = "other"


class CostCategory(StrEnum):
    FACILITATOR = "facilitator"
    MATERIALS = "materials"
    EQUIPMENT = "equipment"
    CONSULTANCY = "consultancy"
    CONTRACT_RESEARCH = "contract_research"
    OTHER = "other"
    MARKETING = "marketing"
    SALES = "sales"
    TRAINING = "training"
    EXHIBITION = "exhibition"
    SYMPOSIUM = "symposium"
    #: Format version 2: sharing knowledge of the project's results (a session, a symposium
    #: contribution); reported eligible from 2024, otherwise excluded as a symposium.
    KNOWLEDGE_SHARING = "knowledge_sharing"


#: Cost kinds that art. 2.4 excludes (marketing and sales, training, exhibitions, symposia).
NOT_ELIGIBLE_CATEGORIES = frozenset(
    {
        CostCategory.MARKETING,
        CostCategory.SALES,
        CostCategory.TRAINING,
        CostCategory.EXHIBITION,
        CostCategory.SYMPOSIUM,
    }
)


class TieNature(StrEnum):
    BOARD_MEMBER = "board_member"
    SHAREHOLDER = "shareholder"
    EMPLOYEE = "employee"
    FAMILY = "family"
    OTHER = "other"


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_KVK = re.compile(r"^\d{8}$")


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("not a valid calendar date") from None
    raise ValueError("must be a date written as YYYY-MM-DD")


def _kvk(value: Any) -> Any:
    if isinstance(value, str) and _KVK.match(value):
        return value
    raise ValueError("a KvK number has exactly 8 digits")


def _whole_cents(value: float) -> float:
    # Decided on the number as written (the float's shortest repr), not on value * 100,
    # which is inexact for large amounts.
    text = repr(float(value))
    if "e" not in text:  # "6000.0", "12.34": the decimals are what follows the point
        if len(text) - text.index(".") > 3:
            raise ValueError("money has whole cents at most")
    elif Decimal(text).as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError("money has whole cents at most")
    return value


def _no_duplicates(values: list[Any]) -> list[Any]:
    if len(set(values)) != len(values):
        raise ValueError("a choice is listed twice")
    return values


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
KvkNumber = Annotated[str, BeforeValidator(_kvk)]
Euros = Annotated[float, Field(ge=0, le=MAX_EUROS, allow_inf_nan=False,
                               description=f"Euros, whole cents at most; at most {MAX_EUROS:,}."),
                  AfterValidator(_whole_cents)]
Hours = Annotated[float, Field(ge=0, le=MAX_HOURS, allow_inf_nan=False,
                               description=f"Hours of own staff; at most {MAX_HOURS:,}.")]
StaffUnits = Annotated[float, Field(ge=0, le=MAX_STAFF_UNITS, allow_inf_nan=False,
                                    description=f"Annual work units; at most {MAX_STAFF_UNITS:,}.")]
Years = Annotated[float, Field(ge=0, le=MAX_EXPERIENCE_YEARS, allow_inf_nan=False,
                               description=f"Years; at most {MAX_EXPERIENCE_YEARS}.")]
Text = Annotated[str, Field(max_length=20_000)]


class _Strict(BaseModel):
    # Built when first used (a validation, a dump, a schema): a command builds the schemas it
    # needs, the draft's once for all the models it holds, not one validator per model class.
    model_config = ConfigDict(extra="forbid", use_enum_values=False, validate_assignment=True,
                              defer_build=True)


class RawMaterialSavings(_Strict):
    """Grondstofbesparing: estimated saving against the non-circular alternative."""

    quantity: float | None = Field(default=None, ge=-MAX_QUANTITY, le=MAX_QUANTITY,
                                   allow_inf_nan=False)
    unit: Text | None = None
    basis: Text | None = None


class Co2Reduction(_Strict):
    """CO2-reductie in tonnes per year, with the basis of the estimate."""

    tonnes_per_year: float | None = Field(default=None, ge=-MAX_TONNES_PER_YEAR,
                                          le=MAX_TONNES_PER_YEAR, allow_inf_nan=False)
    basis: Text | None = None


class Project(_Strict):
    title: Text | None = None
    public_summary: Text | None = None
    description: Text | None = None
    subject: Annotated[list[Subject], Field(min_length=1), AfterValidator(_no_duplicates)] | None = None
    activity_types: Annotated[list[ActivityType], AfterValidator(_no_duplicates)] | None = None
    r_strategy: RStrategy | None = None
    mainly_downcycling: bool | None = None
    application_date: IsoDate | None = None
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    work_started_before_application: bool | None = None
    raw_material_savings: RawMaterialSavings | None = None
    co2_reduction: Co2Reduction | None = None
    application_plan: Text | None = None
    results_applied_after_project: bool | None = None
    effective_collaboration: bool | None = None
    cooperation_agreement: bool | None = None
    lead_designation_statement: bool | None = None
    project_plan_attached: bool | None = None
    circo_track: bool | None = None
    # Format version 2 (rounds 2022-2024)
    barriers_addressed: Annotated[list[BarrierAspect], AfterValidator(_no_duplicates)] | None = None
    barriers_description: Text | None = None
    textile_project: bool | None = None
    fibre_to_fibre_recycling: bool | None = None
    comparable_project_granted_before: bool | None = None
    repeat_exception: bool | None = None


class CostLine(_Strict):
    description: Text | None = None
    category: CostCategory | None = None
    amount_eur: Euros | None = None


class Participant(_Strict):
    """A participant (deelnemer) of the chain partnership."""

    name: Text | None = None
    kvk_number: KvkNumber | None = None
    is_lead_applicant: bool | None = None
    chain_role: ChainRole | None = None
    chain_role_other: Text | None = None
    staff_units: StaffUnits | None = None
    annual_turnover_eur: Euros | None = None
    balance_sheet_total_eur: Euros | None = None
    figures_include_linked_and_partner: bool | None = None
    public_bodies_control_25pct: bool | None = None
    in_difficulty: bool | None = None
    recovery_order_outstanding: bool | None = None
    sector: Sector | None = None
    other_aid_same_costs: bool | None = None
    received_this_subsidy_this_year: bool | None = None
    group: Text | None = None
    continues_after_project: bool | None = None
    own_hours: Hours | None = None
    cost_lines: Annotated[list[CostLine], Field(max_length=MAX_COST_LINES)] | None = None
    # Format version 2 (rounds 2022-2024)
    large_enterprise: bool | None = None
    caribbean_netherlands: bool | None = None
    de_minimis_received_eur: Euros | None = None
    #: A fishery/aquaculture or primary-agriculture participant keeps the project's activities
    #: and costs apart from that primary production (Reg. (EU) 1407/2013 art. 1 (2)).
    primary_production_kept_apart: bool | None = None

    @property
    def group_answered(self) -> bool:
        return "group" in self.model_fields_set


class FacilitatorTie(_Strict):
    participant_kvk: KvkNumber | None = None
    nature: TieNature | None = None


class Facilitator(_Strict):
    """The process facilitator (procesbegeleider)."""

    name: Text | None = None
    organisation: Text | None = None
    kvk_number: KvkNumber | None = None
    experience_years: Years | None = None
    ties: Annotated[list[FacilitatorTie], Field(max_length=MAX_TIES)] | None = None
    conflict_measures: Text | None = None
    market_conform_fee: bool | None = None


class DraftApplication(_Strict):
    """A draft application (concept-aanvraag), format version 1 or 2."""

    format: Literal["sck-draft-application"] = FORMAT
    format_version: Literal[1, 2] = FORMAT_VERSION
    ruleset: Annotated[str, Field(max_length=MAX_RULESET_NAME)] | None = None
    language: Literal["nl", "en"] | None = None
    project: Project | None = None
    participants: Annotated[list[Participant], Field(max_length=MAX_PARTICIPANTS)] | None = None
    facilitator: Facilitator | None = None

    @property
    def facilitator_answered(self) -> bool:
        """Absent = not answered yet; ``null`` = explicitly no facilitator appointed."""
        return "facilitator" in self.model_fields_set

    def v2_answers(self) -> list[str]:
        """JSON paths of the version-2 answers this draft holds (empty: a version-1 draft)."""
        found = []
        project_fields = self.project.model_fields_set if self.project else set()
        found += [f"project.{name}" for name in V2_FIELDS["project"] if name in project_fields]
        for i, participant in enumerate(self.participants or ()):
            found += [f"participants[{i}].{name}" for name in V2_FIELDS["participant"]
                      if name in participant.model_fields_set]
            found += [f"participants[{i}].cost_lines[{j}].category"
                      for j, line in enumerate(participant.cost_lines or ())
                      if line.category in V2_CATEGORIES]
        return found

    def to_json_dict(self) -> dict[str, Any]:
        """The draft as JSON data; absent answers stay absent.

        Version 2 only when a version-2 answer is present, so a version-1 reader still reads
        every draft that needs nothing newer."""
        data = self.model_dump(mode="json", exclude_unset=True)
        version = 2 if self.v2_answers() else FORMAT_VERSION
        # format and format_version are always written, even on a draft built in code.
        out: dict[str, Any] = {"format": FORMAT, "format_version": version}
        out.update((k, v) for k, v in data.items() if k not in out)
        return out


#: The answers format version 2 adds, per object.
V2_FIELDS: dict[str, tuple[str, ...]] = {
    "project": ("barriers_addressed", "barriers_description", "textile_project",
                "fibre_to_fibre_recycling", "comparable_project_granted_before",
                "repeat_exception"),
    "participant": ("large_enterprise", "caribbean_netherlands", "de_minimis_received_eur",
                    "primary_production_kept_apart"),
}


#: The cost categories format version 2 adds.
V2_CATEGORIES = frozenset({CostCategory.KNOWLEDGE_SHARING})


def json_schema(version: int = FORMAT_VERSION) -> dict[str, Any]:
    """The JSON Schema of draft format ``version`` (1: without the version-2 answers)."""
    schema = DraftApplication.model_json_schema()
    defs = schema.get("$defs", {})
    props = schema["properties"]
    props["format_version"] = {"const": version, "default": version, "title": "Format Version",
                               "type": "integer"}
    if version == 1:
        for name, fields in (("Project", V2_FIELDS["project"]),
                             ("Participant", V2_FIELDS["participant"])):
            for field_name in fields:
                defs[name]["properties"].pop(field_name, None)
        defs.pop("BarrierAspect", None)
        categories = defs["CostCategory"]
        categories["enum"] = [c for c in categories["enum"] if c not in V2_CATEGORIES]
    schema["title"] = f"DraftApplication (format version {version})"
    return schema
