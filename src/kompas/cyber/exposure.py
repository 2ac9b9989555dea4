"""Exposure: members' declared product inventories (CPE names) matched against CISA's KEV catalogue.

**The inventory format** (a Kompas CSV, one row per declared product; :func:`parse_inventory`):

=============== ======== ===============================================================================
column          required meaning
=============== ======== ===============================================================================
``member``      yes      the declaring organisation's code (``NL-NCSC``; letters, digits, ``.``, ``_``, ``-``)
``cpe``         yes      the product, a CPE 2.3 formatted string or a CPE 2.2 URI, vendor and product named
                         (no ``*``/``-``, no wildcards); the version may be given or not
``declared``    yes      the day the product was declared in use, ``YYYY-MM-DD``
``assets``      no       how many installations (a whole number >= 0), empty when not said
``criticality`` no       ``low``, ``medium``, ``high`` or ``critical``, empty when not said
``note``        no       free text
=============== ======== ===============================================================================

Columns may come in any order; a line whose first character is ``#`` is a comment (the example files start with
one saying they are illustrative). A file without the three required columns, or with an unknown column (a
misspelt ``asets`` would otherwise be lost silently), is rejected as a whole (line 0). Each bad row is a
:class:`~kompas.rejections.Rejection` with its line, field and reason, as is a row repeating an earlier
(member, CPE); the other rows go through.

**Matching** (:class:`KevIndex`). KEV names no CPE and no version (:mod:`kompas.cyber.kev`). A declared product
matches a KEV entry when its CPE vendor's key (:func:`kompas.cyber.cpe.name_key`) equals one of the entry's vendor
keys and its product key equals one of the entry's product keys (:func:`kompas.cyber.kev.entry_keys`), a
``<model>_firmware`` product also as ``<model>``; or, for a *family* key (``microsoft:windows*``), when the
product's first words are the family's (``windows_server_2019``). The index maps (vendor, product) keys to
entries, so a product costs a few dictionary look-ups whatever the catalogue's size (``benchmarks/
cyber_exposure.py`` measures it against :func:`match_linear`, a scan of the whole catalogue per product).

**What a match means.** The catalogue gives no affected versions, so every match is labelled
:data:`POTENTIAL` ("potentially exposed - verify the version"): the member runs a product in which CISA knows a
vulnerability to be exploited, and must check its version against the vendor's advisory (in ``notes``).

**Since when** (the rule). A member is exposed to a CVE from the later of the day CISA added it to KEV
(``dateAdded``) and the day the member declared the product (``declared``): ``exposed_since = max(dateAdded,
declared)``; with several matching products, the earliest of these. Only what was known on ``as_of`` counts:
KEV entries added after it and products declared after it are left out. ``overdue`` says that ``as_of`` is past
CISA's ``dueDate`` (a deadline for US federal agencies under BOD 22-01, used here as the reference remediation
date); ``days_exposed`` is ``as_of - exposed_since`` in days.

**Aggregate.** Across members: exposures (member, CVE) and distinct CVEs, per CVE (members, declared
installations), per CPE vendor, the ransomware share (KEV's ``knownRansomwareCampaignUse`` ``Known``) of the
distinct CVEs and of the exposures. What a viewer may see is decided before this function: it is given the
inventories the viewer may read, and the platform marks the result with their combined marking.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from kompas.cyber.cpe import ANY, NA, CpeError, CpeName, has_wildcards, name_key, parse_cpe, product_tokens
from kompas.cyber.kev import ALIASES, Alias, Kev, KevEntry, ProductKey, entry_keys
from kompas.rejections import Rejection

__all__ = ["COLUMNS", "CRITICALITIES", "POTENTIAL", "REQUIRED", "Aggregate", "CveCount", "ExposedProduct",
           "Exposure", "ExposureReport", "InventoryItem", "KevIndex", "Match", "MemberExposure", "VendorCount",
           "exposure", "keyed_kev", "match_linear", "parse_inventory", "product_keys", "read_inventory"]

POTENTIAL = "potentially exposed - verify the version"  #: the status of every match (KEV names no versions)
REQUIRED = ("member", "cpe", "declared")  #: the inventory's required columns
COLUMNS = (*REQUIRED, "assets", "criticality", "note")  #: every column the inventory format knows
CRITICALITIES = ("low", "medium", "high", "critical")
MAX_CPE = 512  #: Longest CPE name an inventory row may hold (the platform's column).
_MEMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


# -- the inventory -------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class InventoryItem:
    """One declared product of a member's inventory."""

    member: str  #: the declaring organisation's code
    cpe: CpeName  #: the product (vendor and product named)
    declared: date  #: the day it was declared in use
    assets: int | None = None  #: installations, when said
    criticality: str | None = None  #: one of :data:`CRITICALITIES`, when said
    note: str = ""
    source: str = ""  #: the file (or upload) it came from
    line: int = 0  #: its line there


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """The CSV records of ``text`` with the line each starts on, comment lines (``#`` first) left out."""
    lines = text.splitlines()
    kept = [(n, line) for n, line in enumerate(lines, start=1) if not line.startswith("#")]
    starts: list[int] = []

    def feed() -> Iterator[str]:
        for n, line in kept:
            starts.append(n)
            yield line

    reader = csv.reader(feed(), strict=True)
    consumed = 0
    for row in reader:
        first = starts[consumed]
        consumed = len(starts)
        yield first, row


def _item(cells: dict[str, str], source: str, line: int) -> InventoryItem | Rejection:
    def reject(column: str, reason: str) -> Rejection:
        return Rejection(source, line, column, reason, cells.get(column, ""))

    member = cells["member"].strip()
    if not _MEMBER.match(member):
        return reject("member", "an organisation code of letters, digits, '.', '_', '-' is required")
    text = cells["cpe"].strip()
    if len(text) > MAX_CPE:
        return reject("cpe", f"longer than {MAX_CPE} characters")
    try:
        cpe = parse_cpe(text)
    except CpeError as error:
        where = f"{error.field}: " if error.field else ""
        return reject("cpe", f"{where}{error.reason}")
    for attribute in ("vendor", "product"):
        value = cpe.get(attribute)
        if value is ANY or value is NA or has_wildcards(value):
            return reject("cpe", f"the {attribute} must be named (not *, - or a wildcard): an inventory declares "
                          "products")
    declared_text = cells["declared"].strip()
    if not _DATE.match(declared_text):
        return reject("declared", "a date YYYY-MM-DD is required")
    try:
        declared = date.fromisoformat(declared_text)
    except ValueError:
        return reject("declared", "not a real date")
    assets_text = cells.get("assets", "").strip()
    assets: int | None = None
    if assets_text:
        if not re.fullmatch(r"[0-9]{1,9}", assets_text):
            return reject("assets", "a whole number from 0 to 999999999, or empty")
        assets = int(assets_text)
    criticality = cells.get("criticality", "").strip().lower() or None
    if criticality is not None and criticality not in CRITICALITIES:
        return reject("criticality", f"one of {', '.join(CRITICALITIES)}, or empty")
    return InventoryItem(member, cpe, declared, assets, criticality, cells.get("note", "").strip(), source, line)


def parse_inventory(text: str, source: str = "inventory") -> tuple[list[InventoryItem], list[Rejection]]:
    """The declared products of a Kompas inventory CSV (module docstring), and one rejection per bad row or for
    the file as a whole (line 0). Pure: no I/O."""
    items: list[InventoryItem] = []
    rejections: list[Rejection] = []
    try:
        records = list(_rows(text))
    except csv.Error as error:
        return [], [Rejection(source, 0, "", f"not CSV: {error}")]
    if not records:
        return [], [Rejection(source, 0, "", "empty: a header line member,cpe,declared[,assets,criticality,note] "
                              "is required")]
    _, header = records[0]
    columns = [c.strip().lower() for c in header]
    missing = [c for c in REQUIRED if c not in columns]
    unknown = [c for c in columns if c not in COLUMNS]
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if missing or unknown or repeated:
        said = "; ".join(filter(None, [f"missing column(s) {', '.join(missing)}" if missing else "",
                                       f"unknown column(s) {', '.join(unknown)}" if unknown else "",
                                       f"repeated column(s) {', '.join(repeated)}" if repeated else ""]))
        return [], [Rejection(source, 0, "", f"{said} (the columns are {', '.join(COLUMNS)})")]
    seen: dict[tuple[str, str], int] = {}
    for line, row in records[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            rejections.append(Rejection(source, line, "", f"{len(row)} cells, the header has {len(columns)}"))
            continue
        result = _item(dict(zip(columns, row, strict=True)), source, line)
        if isinstance(result, Rejection):
            rejections.append(result)
            continue
        key = (result.member, result.cpe.fs())
        if key in seen:
            rejections.append(Rejection(source, line, "cpe", f"repeats line {seen[key]} (same member and CPE)",
                                        row[columns.index("cpe")]))
            continue
        seen[key] = line
        items.append(result)
    return items, rejections


def read_inventory(path: str | Path) -> tuple[list[InventoryItem], list[Rejection]]:
    """:func:`parse_inventory` on the file at ``path`` (a thin reader over :mod:`kompas.files`)."""
    from kompas.files import read_text

    return parse_inventory(read_text(path), str(path))


# -- matching ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Match:
    """A KEV entry a product matches, through which key, exactly or as a member of a family."""

    entry: KevEntry
    key: ProductKey
    kind: Literal["exact", "family"]


def product_keys(cpe: CpeName) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """A declared product's vendor key, its product keys (the product; a ``<model>_firmware`` also as
    ``<model>``), and the keys of its leading words (``windows_server_2019``: ``windows``, ``windowsserver``,
    ``windowsserver2019``) for family keys."""
    tokens = product_tokens(cpe.product_text)
    variants = [tokens]
    if len(tokens) > 1 and tokens[-1] == "firmware":
        variants.append(tokens[:-1])
    exact = tuple(dict.fromkeys("".join(t) for t in variants))
    prefixes = tuple(dict.fromkeys("".join(t[:k]) for t in variants for k in range(1, len(t) + 1)))
    return name_key(cpe.vendor_text), exact, prefixes


def keyed_kev(kev: Kev, aliases: Iterable[Alias] = ALIASES) -> list[tuple[KevEntry, tuple[ProductKey, ...]]]:
    """Each entry of ``kev`` with its keys (:func:`kompas.cyber.kev.entry_keys`), computed once."""
    table = tuple(aliases)
    return [(entry, entry_keys(entry, table)) for entry in kev.entries]


def _better(a: Match, b: Match) -> Match:
    """Of two matches of one entry, the one to report: exact before family, the rule before an alias."""
    rank = {("exact", "rule"): 0, ("exact", "alias"): 1, ("family", "rule"): 2, ("family", "alias"): 3}
    return a if rank[(a.kind, a.key.basis)] <= rank[(b.kind, b.key.basis)] else b


def match_linear(cpe: CpeName, keyed: Sequence[tuple[KevEntry, tuple[ProductKey, ...]]]) -> tuple[Match, ...]:
    """The entries ``cpe`` matches, by scanning every entry's keys: the naive baseline of :class:`KevIndex` (same
    result; kept for the tests and ``benchmarks/cyber_exposure.py``)."""
    vendor, exact, prefixes = product_keys(cpe)
    found: list[Match] = []
    for entry, keys in keyed:
        for key in keys:
            if key.vendor != vendor:
                continue
            if key.product in exact:
                found.append(Match(entry, key, "exact"))
            if key.family and key.product in prefixes:
                found.append(Match(entry, key, "family"))
    return _ordered(found)


def _ordered(matches: Iterable[Match]) -> tuple[Match, ...]:
    """One match per CVE (:func:`_better`), oldest entry first."""
    found: dict[str, Match] = {}
    for match in matches:
        cve = match.entry.cve_id
        found[cve] = _better(found[cve], match) if cve in found else match
    return tuple(sorted(found.values(), key=lambda m: (m.entry.date_added, m.entry.cve_id)))


class KevIndex:
    """The KEV catalogue indexed by (vendor key, product key): :meth:`match` costs a few dictionary look-ups, and
    the matches of each key are built once, when the index is."""

    def __init__(self, kev: Kev, aliases: Iterable[Alias] = ALIASES) -> None:
        self.kev = kev
        exact: dict[tuple[str, str], list[Match]] = defaultdict(list)
        family: dict[tuple[str, str], list[Match]] = defaultdict(list)
        for entry, keys in keyed_kev(kev, aliases):
            for key in keys:
                exact[(key.vendor, key.product)].append(Match(entry, key, "exact"))
                if key.family:
                    family[(key.vendor, key.product)].append(Match(entry, key, "family"))
        self._exact = {k: _ordered(v) for k, v in exact.items()}
        self._family = {k: _ordered(v) for k, v in family.items()}

    def match(self, cpe: CpeName) -> tuple[Match, ...]:
        """The KEV entries the declared product ``cpe`` matches (module docstring), oldest first."""
        vendor, exact, prefixes = product_keys(cpe)
        groups = [found for p in exact if (found := self._exact.get((vendor, p)))]
        groups += [found for p in prefixes if (found := self._family.get((vendor, p)))]
        if len(groups) == 1:
            return groups[0]
        return _ordered(m for group in groups for m in group)


# -- exposure ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExposedProduct:
    """A declared product through which a member is exposed to a CVE."""

    cpe: str  #: the CPE 2.3 formatted string
    declared: date
    exposed_since: date  #: max(KEV dateAdded, declared)
    basis: str  #: ``rule`` or ``alias`` (:mod:`kompas.cyber.kev`)
    kind: str  #: ``exact`` or ``family``
    assets: int | None = None
    criticality: str | None = None
    source: str = ""
    line: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"cpe": self.cpe, "declared": self.declared.isoformat(),
                "exposed_since": self.exposed_since.isoformat(), "basis": self.basis, "kind": self.kind,
                "assets": self.assets, "criticality": self.criticality, "source": self.source, "line": self.line}


@dataclass(frozen=True)
class Exposure:
    """One member exposed to one KEV CVE, through one or more declared products."""

    member: str
    cve_id: str
    vendor_project: str  #: KEV's text
    product: str  #: KEV's text
    vulnerability_name: str
    date_added: date
    due_date: date
    ransomware: str  #: ``Known`` or ``Unknown``
    exposed_since: date  #: the earliest of its products' ``exposed_since``
    days_exposed: int  #: ``as_of - exposed_since``, days
    overdue: bool  #: ``as_of`` is past CISA's ``dueDate``
    products: tuple[ExposedProduct, ...]
    status: str = POTENTIAL

    @property
    def assets(self) -> int | None:
        """Installations declared for the matching products (None when no row says)."""
        known = [p.assets for p in self.products if p.assets is not None]
        return sum(known) if known else None

    def as_dict(self) -> dict[str, Any]:
        return {"member": self.member, "cve_id": self.cve_id, "vendor_project": self.vendor_project,
                "product": self.product, "vulnerability_name": self.vulnerability_name,
                "date_added": self.date_added.isoformat(), "due_date": self.due_date.isoformat(),
                "ransomware": self.ransomware, "exposed_since": self.exposed_since.isoformat(),
                "days_exposed": self.days_exposed, "overdue": self.overdue, "assets": self.assets,
                "status": self.status, "products": [p.as_dict() for p in self.products]}


@dataclass(frozen=True)
class MemberExposure:
    """One member's exposure on ``as_of``."""

    member: str
    declared: int  #: products declared by ``as_of``
    matched: int  #: of which matching at least one KEV entry
    exposures: tuple[Exposure, ...]  #: one per CVE, earliest exposure first

    @property
    def cves(self) -> int:
        return len(self.exposures)

    @property
    def ransomware_known(self) -> int:
        """CVEs with known ransomware use."""
        return sum(e.ransomware == "Known" for e in self.exposures)

    @property
    def overdue(self) -> int:
        """CVEs past CISA's due date."""
        return sum(e.overdue for e in self.exposures)

    def as_dict(self) -> dict[str, Any]:
        return {"member": self.member, "declared": self.declared, "matched": self.matched, "cves": self.cves,
                "ransomware_known": self.ransomware_known, "overdue": self.overdue,
                "exposures": [e.as_dict() for e in self.exposures]}


@dataclass(frozen=True)
class CveCount:
    """One CVE across members."""

    cve_id: str
    vendor_project: str
    product: str
    ransomware: str
    date_added: date
    members: int  #: members exposed
    assets: int | None  #: installations declared (None when no row says)

    def as_dict(self) -> dict[str, Any]:
        return {"cve_id": self.cve_id, "vendor_project": self.vendor_project, "product": self.product,
                "ransomware": self.ransomware, "date_added": self.date_added.isoformat(), "members": self.members,
                "assets": self.assets}


@dataclass(frozen=True)
class VendorCount:
    """One CPE vendor (as the inventories name it) across members."""

    vendor: str
    cves: int  #: distinct CVEs
    members: int  #: members exposed through this vendor's products
    exposures: int  #: (member, CVE) pairs

    def as_dict(self) -> dict[str, Any]:
        return {"vendor": self.vendor, "cves": self.cves, "members": self.members, "exposures": self.exposures}


@dataclass(frozen=True)
class Aggregate:
    """The exposure across members."""

    members: int  #: members with a product declared by ``as_of``
    members_exposed: int
    exposures: int  #: (member, CVE) pairs
    cves: int  #: distinct CVEs
    ransomware_cves: int  #: distinct CVEs with known ransomware use
    ransomware_exposures: int  #: exposures to those
    overdue: int  #: exposures past CISA's due date
    per_cve: tuple[CveCount, ...]  #: most members first, then newest
    per_vendor: tuple[VendorCount, ...]  #: most exposures first

    @property
    def ransomware_share_cves(self) -> float:
        """Share of the distinct CVEs with known ransomware use (0 when none)."""
        return self.ransomware_cves / self.cves if self.cves else 0.0

    @property
    def ransomware_share_exposures(self) -> float:
        """Share of the exposures whose CVE has known ransomware use (0 when none)."""
        return self.ransomware_exposures / self.exposures if self.exposures else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"members": self.members, "members_exposed": self.members_exposed, "exposures": self.exposures,
                "cves": self.cves, "ransomware_cves": self.ransomware_cves,
                "ransomware_exposures": self.ransomware_exposures, "overdue": self.overdue,
                "ransomware_share_cves": self.ransomware_share_cves,
                "ransomware_share_exposures": self.ransomware_share_exposures,
                "per_cve": [c.as_dict() for c in self.per_cve], "per_vendor": [v.as_dict() for v in self.per_vendor]}


@dataclass(frozen=True)
class ExposureReport:
    """What :func:`exposure` returns: per member and across members, on ``as_of``."""

    as_of: date
    catalogue_version: str
    members: tuple[MemberExposure, ...]  #: by member code
    aggregate: Aggregate
    status: str = POTENTIAL
    rule: str = field(default="exposed_since = max(KEV dateAdded, declared); only KEV entries added and products "
                      "declared by as_of count; overdue = as_of > KEV dueDate")

    def member(self, code: str) -> MemberExposure | None:
        """The exposure of the member ``code`` (None when it declared nothing by ``as_of``)."""
        return next((m for m in self.members if m.member == code), None)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (dates ISO 8601)."""
        return {"as_of": self.as_of.isoformat(), "catalogue_version": self.catalogue_version,
                "status": self.status, "rule": self.rule, "members": [m.as_dict() for m in self.members],
                "aggregate": self.aggregate.as_dict()}


def exposure(inventories: Iterable[InventoryItem], kev: Kev | KevIndex, as_of: date) -> ExposureReport:
    """Each member's exposure to the KEV catalogue on ``as_of``, and the aggregate (module docstring for the
    rules). ``kev`` may be a ready :class:`KevIndex` (build it once when matching often). Pure: no I/O."""
    index = kev if isinstance(kev, KevIndex) else KevIndex(kev)
    declared: dict[str, int] = defaultdict(int)
    matched: dict[str, int] = defaultdict(int)
    by_pair: dict[tuple[str, str], list[tuple[KevEntry, ExposedProduct, str]]] = defaultdict(list)
    for item in inventories:
        if item.declared > as_of:
            continue
        declared[item.member] += 1
        hits = [m for m in index.match(item.cpe) if m.entry.date_added <= as_of]
        if not hits:
            continue
        matched[item.member] += 1
        bound, vendor = item.cpe.fs(), item.cpe.vendor_text.lower()
        for hit in hits:
            product = ExposedProduct(bound, item.declared, max(hit.entry.date_added, item.declared),
                                     hit.key.basis, hit.kind, item.assets, item.criticality, item.source, item.line)
            by_pair[(item.member, hit.entry.cve_id)].append((hit.entry, product, vendor))
    per_member: dict[str, list[Exposure]] = defaultdict(list)
    vendors_of: dict[tuple[str, str], set[str]] = {}
    for (member, cve), found in by_pair.items():
        entry = found[0][0]
        products = tuple(sorted((p for _, p, _ in found), key=lambda p: (p.exposed_since, p.cpe)))
        since = products[0].exposed_since
        per_member[member].append(Exposure(
            member, cve, entry.vendor_project, entry.product, entry.vulnerability_name, entry.date_added,
            entry.due_date, entry.ransomware, since, (as_of - since).days, as_of > entry.due_date, products))
        vendors_of[(member, cve)] = {v for _, _, v in found}
    members = tuple(MemberExposure(m, declared[m], matched[m],
                                   tuple(sorted(per_member.get(m, []), key=lambda e: (e.exposed_since, e.cve_id))))
                    for m in sorted(declared))
    return ExposureReport(as_of, index.kev.version, members, _aggregate(members, vendors_of))


def _aggregate(members: tuple[MemberExposure, ...], vendors_of: dict[tuple[str, str], set[str]]) -> Aggregate:
    exposures = [e for m in members for e in m.exposures]
    by_cve: dict[str, list[Exposure]] = defaultdict(list)
    for e in exposures:
        by_cve[e.cve_id].append(e)
    per_cve = []
    for cve, group in by_cve.items():
        first = group[0]
        known = [e.assets for e in group if e.assets is not None]
        per_cve.append(CveCount(cve, first.vendor_project, first.product, first.ransomware, first.date_added,
                                len({e.member for e in group}), sum(known) if known else None))
    per_cve.sort(key=lambda c: (-c.members, -c.date_added.toordinal(), c.cve_id))
    vendor_pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for pair, vendors in vendors_of.items():
        for vendor in vendors:
            vendor_pairs[vendor].add(pair)
    per_vendor = sorted((VendorCount(v, len({c for _, c in pairs}), len({m for m, _ in pairs}), len(pairs))
                         for v, pairs in vendor_pairs.items()), key=lambda v: (-v.exposures, v.vendor))
    ransomware = {c.cve_id for c in per_cve if c.ransomware == "Known"}
    return Aggregate(
        members=len(members), members_exposed=sum(1 for m in members if m.exposures), exposures=len(exposures),
        cves=len(per_cve), ransomware_cves=len(ransomware),
        ransomware_exposures=sum(e.cve_id in ransomware for e in exposures),
        overdue=sum(e.overdue for e in exposures), per_cve=tuple(per_cve), per_vendor=tuple(per_vendor))
