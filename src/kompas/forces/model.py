"""The records of the forces and people register (issue 28), shared by every engine of :mod:`kompas.forces`.

Four kinds of record, each contributed by a member state (``nation``, ISO 3166-1 alpha-2) under that state's marking
(the platform attaches the marking: a record here only carries ``doc`` and ``marking_key`` once placed):

- :class:`ForceElement`: a military unit or module offered for crisis response (the Rapid Deployment Capacity and
  the Headline Goal force catalogue): type, component, strength (troops), readiness (days from the decision until
  it can move), the window it is available in, the capabilities it brings with quantities, its national caveats,
  its deployability limits and its transport needs;
- :class:`Expert`: a civilian expert on a national roster (civilian CSDP), by profile, languages, security
  clearance and availability, with the state of pre-deployment and hostile-environment training and medical
  clearance; pseudonymous: a register never holds names;
- :class:`RotationPool`: military units of one capability that can take turns in a standing mission (the rotation
  register), with their tour length and dwell rule;
- :class:`StockItem`: equipment held for missions (the civilian CSDP Strategic Warehouse and national stocks).

A :class:`Register` is one edition's records as one viewer may see them. Units: troops and people as counts, times in
days (``readiness_days``, ``notice_days``, ``lead_days``) or months (``tour_months``), distances km.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

COMPONENTS = ("land", "air", "maritime", "joint", "special", "enabler")  #: the components of a force element
#: Operating environments a scenario states and a caveat may exclude (permissive: consent and no organised
#: opposition; uncertain; non-permissive: opposition expected; the EU's Military Rapid Response wording).
ENVIRONMENTS = ("permissive", "uncertain", "non-permissive")
#: EU classified information levels a post may need and an expert may hold, lowest first
#: (Council Decision 2013/488/EU, art. 2); "none" when the post needs no EUCI.
CLEARANCES = ("none", "RESTREINT UE", "CONFIDENTIEL UE", "SECRET UE")
MAX_TROOPS_RDC = 5000  #: the Rapid Deployment Capacity's ceiling (Strategic Compass, "Act": "up to 5,000 troops")


@dataclass(frozen=True)
class Caveats:
    """A nation's conditions on the use of a force element; every one is enforced by force generation.

    ``environments``: the environments it may be used in (empty: any); ``max_distance_km``: from Brussels;
    ``max_duration_days``; ``excluded_tasks``: task names it may not be given; ``not_with``: nations it does not
    serve alongside; ``requires``: capabilities that must be present in the force from another element (e.g. its
    own force protection or a role 2 medical facility); ``notes``: the caveat as the nation wrote it."""

    environments: tuple[str, ...] = ()
    max_distance_km: float | None = None
    max_duration_days: int | None = None
    excluded_tasks: tuple[str, ...] = ()
    not_with: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    notes: str = ""

    def __bool__(self) -> bool:
        return bool(self.environments or self.max_distance_km is not None or self.max_duration_days is not None
                    or self.excluded_tasks or self.not_with or self.requires or self.notes)


@dataclass(frozen=True)
class ForceElement:
    """A unit or module a member state offers (strength in troops, readiness in days)."""

    id: str  #: unique within the nation's submission
    nation: str  #: ISO 3166-1 alpha-2 (EU member states and third-country partners)
    name: str
    type: str  #: e.g. "mechanised infantry battalion", "role 2 medical facility"
    component: str  #: one of :data:`COMPONENTS`
    strength: int  #: troops
    readiness_days: int  #: days from the decision until the element can move
    capabilities: dict[str, int]  #: capability code -> quantity offered (``kompas/data/forces/capabilities.yaml``)
    available_from: date | None = None  #: first day it may be used (None: now)
    available_to: date | None = None  #: last day (None: open-ended)
    caveats: Caveats = field(default_factory=Caveats)
    transport: dict[str, int] = field(default_factory=dict)  #: needs: "pax", "vehicles", "containers", "outsize" ...
    illustrative: bool = False
    source_url: str = ""
    notes: str = ""  #: what is public fact and what is invented or assumed in this row
    doc: str = ""  #: the platform document it came from
    marking_key: str = ""  #: that document's marking (``Marking.key``)

    @property
    def key(self) -> str:
        """``NATION/ID``: unique in a register."""
        return f"{self.nation}/{self.id}"

    def available(self, start: date, end: date) -> bool:
        """Whether the element is available for the whole of ``start``..``end`` (inclusive)."""
        return ((self.available_from is None or self.available_from <= start)
                and (self.available_to is None or end <= self.available_to))


@dataclass(frozen=True)
class Expert:
    """A civilian expert on a national roster (pseudonymous id; dates inclusive)."""

    id: str
    nation: str
    profile: str  #: e.g. "monitor", "police-adviser" (codes: ``kompas/data/forces/profiles.yaml``)
    languages: tuple[str, ...] = ()  #: ISO 639-1
    clearance: str = "none"  #: one of :data:`CLEARANCES`, held and valid
    available_from: date | None = None
    available_to: date | None = None
    notice_days: int = 0  #: days the expert needs after selection before leaving (employer release)
    pdt_done: bool = False  #: pre-deployment training (ESDC or a national course) done and valid
    heat_done: bool = False  #: hostile environment awareness training done and valid
    medical_done: bool = False  #: medical clearance for deployment valid
    unit: str = ""  #: a formed unit it deploys with ("" for an individual secondment)
    illustrative: bool = False
    source_url: str = ""
    notes: str = ""  #: what is public fact and what is invented or assumed in this row
    doc: str = ""
    marking_key: str = ""

    @property
    def key(self) -> str:
        return f"{self.nation}/{self.id}"

    def clearance_rank(self) -> int:
        """0 for "none" up to 3 for SECRET UE (:data:`CLEARANCES`)."""
        return CLEARANCES.index(self.clearance)


@dataclass(frozen=True)
class RotationPool:
    """Units of one capability a nation can rotate into a standing mission: ``units`` units of ``unit_strength``
    troops each, a tour of ``tour_months`` and at least ``dwell_months`` home between two tours of the same unit."""

    id: str
    nation: str
    capability: str
    units: int
    unit_strength: int  #: troops per unit
    tour_months: int = 6
    dwell_months: int = 12  #: 1:2 deploy-to-dwell with 6-month tours
    readiness_days: int = 30
    available_from: date | None = None
    available_to: date | None = None
    illustrative: bool = False
    source_url: str = ""
    notes: str = ""  #: what is public fact and what is invented or assumed in this row
    doc: str = ""
    marking_key: str = ""

    @property
    def key(self) -> str:
        return f"{self.nation}/{self.id}"


@dataclass(frozen=True)
class StockItem:
    """Equipment held for missions: ``quantity`` of ``item`` (category in ``category``) at ``holder``, ready to ship
    ``lead_days`` after a request."""

    id: str
    nation: str  #: the holder's state ("EU" for the Strategic Warehouse run for the Union)
    holder: str  #: e.g. "CSDP Strategic Warehouse (Kristinehamn)"
    item: str  #: e.g. "soft-skin vehicle", "laptop"
    category: str  #: vehicles, it-communications, protective, medical, other
    quantity: int
    lead_days: int = 0
    per_expert: float = 0.0  #: how many one deployed expert needs (0: not issued per person)
    illustrative: bool = False
    source_url: str = ""
    notes: str = ""  #: what is public fact and what is invented or assumed in this row
    doc: str = ""
    marking_key: str = ""

    @property
    def key(self) -> str:
        return f"{self.nation}/{self.id}"


Record = ForceElement | Expert | RotationPool | StockItem
SECTIONS = ("elements", "experts", "pools", "stocks")  #: the register's sections, in the JSON format's key names


@dataclass
class Register:
    """One edition of the register: the records one viewer may see."""

    edition: str = ""
    elements: list[ForceElement] = field(default_factory=list)
    experts: list[Expert] = field(default_factory=list)
    pools: list[RotationPool] = field(default_factory=list)
    stocks: list[StockItem] = field(default_factory=list)

    def records(self) -> Iterator[Record]:
        yield from self.elements
        yield from self.experts
        yield from self.pools
        yield from self.stocks

    def nations(self) -> list[str]:
        """The contributing nations, sorted."""
        return sorted({r.nation for r in self.records()})

    def marking_keys(self) -> set[str]:
        """The markings of every record (what an answer built from the whole register combines)."""
        return {r.marking_key for r in self.records() if r.marking_key}

    @property
    def illustrative(self) -> bool:
        """Whether any record is illustrative (answers then say so)."""
        return any(r.illustrative for r in self.records())

    def extend(self, other: Register) -> None:
        self.elements += other.elements
        self.experts += other.experts
        self.pools += other.pools
        self.stocks += other.stocks

    @classmethod
    def of(cls, records: Iterable[Record], edition: str = "") -> Register:
        out = cls(edition)
        for r in records:
            {ForceElement: out.elements, Expert: out.experts, RotationPool: out.pools,
             StockItem: out.stocks}[type(r)].append(r)  # type: ignore[attr-defined]
        return out


@dataclass(frozen=True)
class Requirement:
    """What a scenario needs of one capability: ``quantity`` units of ``capability`` (a code of
    ``capabilities.yaml``), ready to move within the scenario's response time unless ``readiness_days`` says less."""

    capability: str
    quantity: int
    task: str = ""  #: the task it serves ("" for the whole force)
    readiness_days: int | None = None  #: a tighter readiness than the scenario's response time


@dataclass(frozen=True)
class Scenario:
    """A crisis or planning scenario as data (Headline Goal style): tasks, requirements, response time days from the
    decision, duration days, distance km from Brussels, environment (:data:`ENVIRONMENTS`), how many such operations
    run at once (``concurrency``), the troop ceiling and the day the operation starts (for availability windows)."""

    name: str
    requirements: tuple[Requirement, ...]
    response_days: int
    duration_days: int
    distance_km: float = 0.0
    environment: str = "permissive"
    tasks: tuple[str, ...] = ()
    concurrency: int = 1
    max_troops: int = MAX_TROOPS_RDC
    start: date | None = None  #: the decision day (None: availability windows are not checked)
    title: str = ""
    illustrative: bool = False
    source_url: str = ""
    notes: str = ""
    sources: tuple[str, ...] = ()  #: every source URL (``source_url`` holds the main one)
    assumed: tuple[str, ...] = ()  #: one line per figure that is assumed, unsourced
