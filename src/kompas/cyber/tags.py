"""MISP/STIX tags and Kompas markings: what maps to what, and what is rejected.

MISP and OpenCTI users mark what they share with machine tags (:mod:`kompas.cyber.taxonomy`). Kompas reads the
tags of an event or attribute into three kinds of thing: the parts of its :class:`~kompas.core.markings.Marking`
(who may see it and how it may be shared on), incident fields (RSIT, NIS2), and labels that travel with the item.

**Marking tags** (the access rule and sharing rules of :mod:`kompas.core.markings`):

=====================================================  ==============================================================
tag                                                    Kompas marking
=====================================================  ==============================================================
``tlp:clear``                                          ``TLP.CLEAR``
``tlp:white`` (TLP 1.0)                                ``TLP.CLEAR`` (FIRST TLP 2.0 renamed it; written back as
                                                       ``tlp:clear``)
``tlp:green`` / ``tlp:amber`` / ``tlp:red``            ``TLP.GREEN`` / ``TLP.AMBER`` / ``TLP.RED``
``tlp:amber+strict``                                   ``TLP.AMBER_STRICT``
``tlp:ex:chr`` (Chatham House Rule extension)          caveat ``TLP:EX:CHR`` (do not disclose the source)
no ``tlp:`` tag on an event                            ``TLP.AMBER`` (the platform's default, as for STIX imports)
``euci:R-UE/EU-R``                                     ``Classification.RESTRICTED`` (RESTREINT UE/EU RESTRICTED)
``euci:C-UE/EU-C``                                     ``Classification.CONFIDENTIAL``
``euci:S-UE/EU-S``                                     ``Classification.SECRET``
``euci:TS-UE/EU-TS``                                   ``Classification.TOP_SECRET``
no ``euci:`` tag on an event                           ``Classification.UNCLASSIFIED``
``kompas-marking:releasable-to="BE"`` (one per code)   ``releasable_to`` holds BE (country or organisation code)
``kompas-marking:no-release``                          ``releasable_to`` empty (NO RELEASE)
``kompas-marking:unrestricted``                        ``releasable_to`` None (overrides an event's list)
no releasability tag on an event                       ``releasable_to`` None (no restriction)
``kompas-marking:need-to-know="a,b"`` (one per clause) a community clause {a, b}: the viewer needs a or b
``kompas-marking:no-need-to-know``                     no community clause (overrides an event's clauses)
``kompas-marking:originator="DE-BSI"``                 ``originators`` holds DE-BSI
``kompas-marking:caveat="TEXT"``                       ``caveats`` holds TEXT
``kompas-marking:no-originator``, ``no-caveat``        none (overrides an event's)
``kompas-marking:unclassified``                        ``Classification.UNCLASSIFIED`` (overrides an event's euci)
=====================================================  ==============================================================

MISP has no tags for releasability, need-to-know communities or originators, so Kompas writes its own
``kompas-marking`` namespace (any MISP instance keeps unknown tags as free tags). MISP's ``distribution`` and
sharing groups are that MISP instance's own sharing settings: Kompas does not read them as a marking.

An attribute's marking tags state only the parts they name: those parts replace the event's, the others are the
event's (an attribute tagged ``tlp:red`` in a ``tlp:green`` SECRET event is SECRET // TLP:RED; one tagged only
``tlp:clear`` stays SECRET and is then rejected, see below). :func:`marking_tags` with a ``base`` writes just the
parts that differ from it.

**Rejected** (one :class:`TagProblem` per tag, turned into a :class:`kompas.rejections.Rejection` naming source,
item, field and reason by :func:`rejections`): a ``tlp:`` value that is not a FIRST label (``tlp:unclear``,
``tlp:purple``); two different TLP labels on one item; two different ``euci`` classifications; an unknown ``euci``
or ``kompas-marking`` predicate; a malformed country, organisation or community code; ``no-release`` or
``unrestricted`` beside ``releasable-to`` (and the other resets beside what they reset); TLP:CLEAR (public) on
classified information (RESTRICTED or above). An item with a marking problem is not read at all: Kompas never
guesses a marking.

**Incident fields** (validated against their taxonomies; an unknown value is rejected): ``rsit:<class>="<type>"``
gives the RSIT class and type, one per incident; ``nis2:<predicate>="<value>"`` gives the NIS2 sectors, subsectors
and impact values (:class:`kompas.cyber.model.Nis2`), exclusive predicates at most once. On an attribute they are
kept as they came, not read.

**Labels, not access rules**: ``PAP:`` (Permissible Actions Protocol: what a recipient may do with it),
``admiralty-scale:`` (source reliability a-g, information credibility 1-6), ``estimative-language:`` (likelihood,
confidence), ``exercise:`` and ``state-responsibility:`` are checked against their taxonomies (unknown value or two
values of an exclusive predicate: rejected), spelled as the taxonomy spells them and carried on the item unchanged
through every round trip (MISP tags, STIX ``labels``). They describe how to use and weigh the information; the
access rule is the marking's alone. :func:`assessment` reads them with their meanings and numerical values.

**Everything else** (``misp-galaxy:`` clusters, ``osint:``, ``workflow:``, free-text tags) is kept verbatim.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from kompas.core.markings import (
    COMMUNITY,
    TLP,
    Classification,
    Marking,
    MarkingError,
    check_org_code,
    countries,
)
from kompas.cyber.taxonomy import MachineTag, Taxonomy, TaxonomyError, default_taxonomies
from kompas.rejections import Rejection

if TYPE_CHECKING:
    from kompas.cyber.model import Incident, Nis2

__all__ = ["CHR_CAVEAT", "EUCI", "FIELD_NAMESPACES", "KOMPAS", "LABEL_NAMESPACES", "TLP_TAGS", "Assessment",
           "Decoded", "MarkingParts", "TagProblem", "assessment", "check_marking", "decode_tags", "field_tags",
           "incident_fields", "marking_of", "marking_tags", "rejections"]

KOMPAS = "kompas-marking"  #: the namespace of Kompas's releasability, need-to-know, originator and caveat tags
CHR_CAVEAT = "TLP:EX:CHR"  #: the caveat ``tlp:ex:chr`` maps to
#: TLP labels (lower case, as the ``tlp`` taxonomy spells them) and their level; ``white`` is TLP 1.0 for CLEAR.
TLP_TAGS = {"clear": TLP.CLEAR, "white": TLP.CLEAR, "green": TLP.GREEN, "amber": TLP.AMBER,
            "amber+strict": TLP.AMBER_STRICT, "red": TLP.RED}
#: EU classification levels by ``euci`` predicate (the taxonomy's ``expanded`` names are the printed EU markings).
EUCI = {"R-UE/EU-R": Classification.RESTRICTED, "C-UE/EU-C": Classification.CONFIDENTIAL,
        "S-UE/EU-S": Classification.SECRET, "TS-UE/EU-TS": Classification.TOP_SECRET}
FIELD_NAMESPACES = ("rsit", "nis2")  #: tags read into incident fields
#: tags carried as labels (checked, not access rules)
LABEL_NAMESPACES = ("PAP", "admiralty-scale", "estimative-language", "exercise", "state-responsibility")
GALAXY = "misp-galaxy"
_RESETS = {"no-release", "unrestricted", "no-need-to-know", "no-originator", "no-caveat", "unclassified"}
_VALUED = {"releasable-to", "need-to-know", "originator", "caveat"}

Kind = Literal["marking", "field", "label", "galaxy", "other"]


@dataclass(frozen=True)
class TagProblem:
    """A tag that cannot be read: the tag as given and why."""

    tag: str
    reason: str


@dataclass(frozen=True)
class MarkingParts:
    """What an item's tags say about its marking; None (or an unset reset flag) where they say nothing."""

    classification: Classification | None = None
    tlp: TLP | None = None
    releasable_to: frozenset[str] | None = None  #: the codes stated (empty with ``no_release``)
    no_release: bool = False
    unrestricted: bool = False
    clauses: frozenset[frozenset[str]] = frozenset()
    no_clauses: bool = False
    originators: frozenset[str] = frozenset()
    no_originators: bool = False
    caveats: frozenset[str] = frozenset()
    no_caveats: bool = False

    @property
    def stated(self) -> bool:
        """Whether the tags state any part of a marking."""
        return self != MarkingParts()

    def over(self, base: Marking) -> Marking:
        """``base`` with the parts stated here replacing its own (see the module docstring)."""
        rel = base.releasable_to
        if self.unrestricted:
            rel = None
        elif self.no_release:
            rel = frozenset()
        elif self.releasable_to is not None:
            rel = self.releasable_to
        return Marking(self.classification if self.classification is not None else base.classification,
                       self.tlp if self.tlp is not None else base.tlp, rel,
                       frozenset() if self.no_clauses else self.clauses or base.clauses,
                       frozenset() if self.no_originators else self.originators or base.originators,
                       frozenset() if self.no_caveats else self.caveats or base.caveats)


@dataclass(frozen=True)
class Decoded:
    """An item's tags read: the marking parts and, in the order given, every tag with its kind (``marking``,
    ``field`` for rsit/nis2, ``label``, ``galaxy``, ``other``); taxonomy tags as the taxonomy spells them, the
    others verbatim. ``problems``: the tags that cannot be read (an item with any is rejected)."""

    parts: MarkingParts = field(default_factory=MarkingParts)
    tags: tuple[tuple[Kind, str], ...] = ()
    problems: tuple[TagProblem, ...] = ()

    def of(self, *kinds: Kind) -> tuple[str, ...]:
        """The tags of these kinds, in order."""
        return tuple(text for kind, text in self.tags if kind in kinds)

    def machine(self, kind: Kind) -> tuple[MachineTag, ...]:
        """The tags of one kind parsed (free-text tags left out)."""
        return tuple(t for t in (MachineTag.parse(text) for text in self.of(kind)) if t is not None)

    @property
    def carried(self) -> tuple[str, ...]:
        """The tags an item carries besides its marking and fields: labels and others, in order."""
        return self.of("label", "other")


def _namespace(name: str, taxonomies: Mapping[str, Taxonomy]) -> str:
    """The namespace as Kompas spells it (taxonomies are matched case-insensitively: ``pap`` is ``PAP``)."""
    lowered = name.lower()
    for known in (*taxonomies, KOMPAS, GALAXY):
        if known.lower() == lowered:
            return known
    return name


def decode_tags(tags: Iterable[str], taxonomies: Mapping[str, Taxonomy] | None = None) -> Decoded:
    """Read an item's tags (strings as MISP holds them, or STIX labels): see the module docstring for what each
    becomes and what is a problem. Pure; ``taxonomies`` defaults to the shipped ones."""
    taxonomies = taxonomies if taxonomies is not None else default_taxonomies()
    out: list[tuple[Kind, str]] = []
    problems: list[TagProblem] = []
    tlps: dict[TLP, str] = {}
    levels: dict[Classification, str] = {}
    kompas: dict[str, list[tuple[str, str | None]]] = {}
    chr_tag = False
    seen: set[str] = set()
    for raw in tags:
        text = raw.strip() if isinstance(raw, str) else ""
        if not text:
            problems.append(TagProblem(repr(raw), "a tag is a non-empty string"))
            continue
        if text in seen:
            continue
        seen.add(text)
        tag = MachineTag.parse(text)
        if tag is None:
            out.append(("other", text))
            continue
        ns = _namespace(tag.namespace, taxonomies)
        if ns == "tlp":
            value = tag.predicate.lower()
            if value == "ex:chr" and tag.value is None:
                chr_tag = True
                out.append(("marking", "tlp:ex:chr"))
            elif value in TLP_TAGS and tag.value is None:
                tlps.setdefault(TLP_TAGS[value], text)
                out.append(("marking", text))
            else:
                problems.append(TagProblem(text, "not a FIRST TLP label (expected tlp:clear, tlp:green, tlp:amber, "
                                                 "tlp:amber+strict, tlp:red; tlp:white for TLP 1.0)"))
        elif ns == "euci":
            level = next((lv for name, lv in EUCI.items() if name.lower() == tag.predicate.lower()), None)
            if level is None or tag.value is not None:
                problems.append(TagProblem(text, "not an EU classification (expected euci:R-UE/EU-R, "
                                                 "euci:C-UE/EU-C, euci:S-UE/EU-S or euci:TS-UE/EU-TS)"))
            else:
                levels.setdefault(level, text)
                out.append(("marking", text))
        elif ns == KOMPAS:
            if tag.predicate in _VALUED and tag.value is not None or tag.predicate in _RESETS and tag.value is None:
                kompas.setdefault(tag.predicate, []).append((text, tag.value))
                out.append(("marking", text))
            else:
                problems.append(TagProblem(text, f"not a {KOMPAS} tag (expected releasable-to=\"CODE\", "
                                                 "need-to-know=\"a,b\", originator=\"CODE\", caveat=\"TEXT\", "
                                                 "no-release, unrestricted, no-need-to-know, no-originator, "
                                                 "no-caveat or unclassified)"))
        elif ns == GALAXY:
            if tag.value is None or not tag.value.strip():
                problems.append(TagProblem(text, "a misp-galaxy tag names a cluster: misp-galaxy:TYPE=\"VALUE\""))
            else:
                out.append(("galaxy", str(MachineTag(GALAXY, tag.predicate, tag.value))))
        elif ns in taxonomies:
            try:
                canonical = taxonomies[ns].canonical(MachineTag(ns, tag.predicate, tag.value))
            except TaxonomyError as error:
                problems.append(TagProblem(text, str(error).split(": ", 1)[-1]))
                continue
            entry: tuple[Kind, str] = ("field" if ns in FIELD_NAMESPACES else "label", str(canonical))
            if entry not in out:  # the same tag spelled twice (pap:red, PAP:RED) is one tag
                out.append(entry)
        else:
            out.append(("other", text))
    if len(tlps) > 1:
        problems.append(TagProblem(", ".join(sorted(tlps.values())), "two different TLP labels on one item"))
    if len(levels) > 1:
        problems.append(TagProblem(", ".join(sorted(levels.values())), "two different EU classifications on one item"))
    parts, kompas_problems = _kompas_parts(kompas)
    problems += kompas_problems
    problems += _exclusive(out, taxonomies)
    if kompas.get("unclassified") and levels:
        problems.append(TagProblem(f"{KOMPAS}:unclassified", "contradicts the euci classification on the same item"))
    level = next(iter(levels)) if len(levels) == 1 else \
        Classification.UNCLASSIFIED if kompas.get("unclassified") else None
    parts = MarkingParts(level, next(iter(tlps)) if len(tlps) == 1 else None,
                         parts.releasable_to, parts.no_release, parts.unrestricted, parts.clauses, parts.no_clauses,
                         parts.originators, parts.no_originators,
                         parts.caveats | ({CHR_CAVEAT} if chr_tag else set()), parts.no_caveats)
    return Decoded(parts, tuple(out), tuple(problems))


def _kompas_parts(found: dict[str, list[tuple[str, str | None]]]) -> tuple[MarkingParts, list[TagProblem]]:
    problems: list[TagProblem] = []
    rel: set[str] = set()
    for text, value in found.get("releasable-to", []):
        try:
            code = str(value).strip().upper()
            rel.add(code if code in countries() else check_org_code(code))
        except MarkingError as error:
            problems.append(TagProblem(text, str(error)))
    clauses = set()
    for text, value in found.get("need-to-know", []):
        names = frozenset(n.strip().lower() for n in str(value).split(","))
        bad = sorted(n for n in names if not COMMUNITY.match(n))
        if bad:
            problems.append(TagProblem(text, f"{bad[0]!r} is not a community name (a-z, 0-9, _.-, 1-64)"))
        else:
            clauses.add(names)
    originators = set()
    for text, value in found.get("originator", []):
        try:
            originators.add(check_org_code(str(value)))
        except MarkingError as error:
            problems.append(TagProblem(text, str(error)))
    caveats = {str(v).strip().upper() for _, v in found.get("caveat", []) if str(v).strip()}
    for reset, stated in (("no-release", "releasable-to"), ("unrestricted", "releasable-to"),
                          ("unrestricted", "no-release"), ("no-need-to-know", "need-to-know"),
                          ("no-originator", "originator"), ("no-caveat", "caveat")):
        if found.get(reset) and found.get(stated):
            problems.append(TagProblem(f"{KOMPAS}:{reset}", f"contradicts {KOMPAS}:{stated} on the same item"))
    parts = MarkingParts(releasable_to=frozenset(rel) if rel else None, no_release=bool(found.get("no-release")),
                         unrestricted=bool(found.get("unrestricted")), clauses=frozenset(clauses),
                         no_clauses=bool(found.get("no-need-to-know")), originators=frozenset(originators),
                         no_originators=bool(found.get("no-originator")), caveats=frozenset(caveats),
                         no_caveats=bool(found.get("no-caveat")))
    return parts, problems


def _exclusive(tags: list[tuple[Kind, str]], taxonomies: Mapping[str, Taxonomy]) -> list[TagProblem]:
    """Two values where the taxonomy allows one (an exclusive namespace or predicate); RSIT: one classification."""
    problems = []
    by_ns: dict[str, list[MachineTag]] = {}
    for kind, text in tags:
        tag = MachineTag.parse(text) if kind in ("field", "label") else None
        if tag is not None:
            by_ns.setdefault(tag.namespace, []).append(tag)
    for ns, found in by_ns.items():
        taxonomy = taxonomies[ns]
        if (taxonomy.exclusive or ns == "rsit") and len(found) > 1:
            reason = "one RSIT classification per incident" if ns == "rsit" else f"the {ns} taxonomy is exclusive"
            problems.append(TagProblem(", ".join(str(t) for t in found), f"{reason}: two values on one item"))
            continue
        by_predicate: dict[str, list[MachineTag]] = {}
        for tag in found:
            by_predicate.setdefault(tag.predicate, []).append(tag)
        for predicate, same in by_predicate.items():
            known = taxonomy.predicate(predicate)
            if known is not None and known.exclusive and len(same) > 1:
                problems.append(TagProblem(", ".join(str(t) for t in same),
                                           f"{ns}:{predicate} is exclusive: two values on one item"))
    return problems


def check_marking(marking: Marking) -> str | None:
    """Why a marking cannot travel as tags, or None: TLP:CLEAR (public) on classified information."""
    if marking.tlp == TLP.CLEAR and marking.classification >= Classification.RESTRICTED:
        return (f"TLP:CLEAR (no limit on disclosure) contradicts the classification "
                f"{marking.classification.eu_name}")
    return None


def marking_of(decoded: Decoded, base: Marking | None = None) -> tuple[Marking | None, list[TagProblem]]:
    """The marking an item's tags give (its parts over ``base``, default: an event's defaults UNCLASSIFIED //
    TLP:AMBER, unrestricted), or None and the problems when it cannot be read (module docstring)."""
    problems = list(decoded.problems)
    if problems:
        return None, problems
    try:
        marking = decoded.parts.over(base if base is not None else Marking())
    except MarkingError as error:
        return None, [TagProblem(", ".join(decoded.of("marking")), str(error))]
    reason = check_marking(marking)
    if reason:
        return None, [TagProblem(", ".join(decoded.of("marking")) or "(no marking tag)", reason)]
    return marking, []


def _quoted(value: str, what: str) -> str:
    if '"' in value or "\n" in value:
        raise MarkingError(f"{what} {value!r} cannot be written as a tag (it holds '\"' or a new line)")
    return value


def marking_tags(marking: Marking, base: Marking | None = None) -> list[str]:
    """The tags stating ``marking`` (module docstring): all its parts, or with ``base`` only the parts that differ
    from it (an attribute within an event: [] when the marking is the event's). Raises :class:`MarkingError` for a
    marking no tags can state (:func:`check_marking`, a caveat holding ``"``)."""
    reason = check_marking(marking)
    if reason:
        raise MarkingError(reason)
    out: list[str] = []
    if base is None or marking.tlp != base.tlp:
        out.append("tlp:" + marking.tlp.name.lower().replace("_", "+"))
    if (base is None or marking.classification != base.classification) and \
            marking.classification != Classification.UNCLASSIFIED:
        out.append("euci:" + next(name for name, level in EUCI.items() if level == marking.classification))
    elif base is not None and marking.classification != base.classification:
        out.append(f"{KOMPAS}:unclassified")
    if base is None or marking.releasable_to != base.releasable_to:
        if marking.releasable_to is None:
            if base is not None:
                out.append(f"{KOMPAS}:unrestricted")
        elif not marking.releasable_to:
            out.append(f"{KOMPAS}:no-release")
        else:
            out += [f'{KOMPAS}:releasable-to="{code}"' for code in sorted(marking.releasable_to)]
    if base is None or marking.clauses != base.clauses:
        if not marking.clauses and base is not None:
            out.append(f"{KOMPAS}:no-need-to-know")
        out += [f'{KOMPAS}:need-to-know="{",".join(sorted(c))}"' for c in sorted(marking.clauses, key=sorted)]
    if base is None or marking.originators != base.originators:
        if not marking.originators and base is not None:
            out.append(f"{KOMPAS}:no-originator")
        out += [f'{KOMPAS}:originator="{code}"' for code in sorted(marking.originators)]
    if base is None or marking.caveats != base.caveats:
        if not marking.caveats and base is not None:
            out.append(f"{KOMPAS}:no-caveat")
        out += ["tlp:ex:chr" if c == CHR_CAVEAT else f'{KOMPAS}:caveat="{_quoted(c, "caveat")}"'
                for c in sorted(marking.caveats)]
    return out


def rejections(problems: Iterable[TagProblem], source: str, item: int, where: str) -> list[Rejection]:
    """One :class:`Rejection` per tag problem: ``source``, ``item`` (1-based record number), field
    ``<where>.Tag`` (``where`` names the event or attribute, e.g. ``Event.Attribute[3]``), the reason, the tag."""
    return [Rejection(source, item, f"{where}.Tag", f"tag {p.tag!r}: {p.reason}", p.tag, unit="item")
            for p in problems]


@dataclass(frozen=True)
class Assessment:
    """The labels that say how to use and weigh an item (not access rules), each with its taxonomy meaning:
    ``(value, expanded, numerical_value)`` or None when the item carries no such label."""

    pap: tuple[str, str, float | None] | None = None  #: Permissible Actions Protocol (RED, AMBER, GREEN, CLEAR)
    source_reliability: tuple[str, str, float | None] | None = None  #: admiralty scale a-g
    information_credibility: tuple[str, str, float | None] | None = None  #: admiralty scale 1-6
    likelihood: tuple[str, str, float | None] | None = None  #: estimative language (ICD 203)
    confidence: tuple[str, str, float | None] | None = None  #: confidence in the analytic judgment


def assessment(tags: Iterable[str], taxonomies: Mapping[str, Taxonomy] | None = None) -> Assessment:
    """The PAP, admiralty-scale and estimative-language labels among ``tags``, with their meanings (tags that do
    not read are left out here: :func:`decode_tags` reports them)."""
    taxonomies = taxonomies if taxonomies is not None else default_taxonomies()
    found: dict[str, tuple[str, str, float | None]] = {}
    slots = {("PAP", None): "pap", ("admiralty-scale", "source-reliability"): "source_reliability",
             ("admiralty-scale", "information-credibility"): "information_credibility",
             ("estimative-language", "likelihood-probability"): "likelihood",
             ("estimative-language", "confidence-in-analytic-judgment"): "confidence"}
    for kind, text in decode_tags(tags, taxonomies).tags:
        tag = MachineTag.parse(text)
        if kind != "label" or tag is None:
            continue
        slot = slots.get((tag.namespace, None)) or slots.get((tag.namespace, tag.predicate))
        if slot is None:
            continue
        predicate, entry = taxonomies[tag.namespace].resolve(tag)
        meaning = entry if entry is not None else predicate
        found.setdefault(slot, (entry.value if entry else predicate.value, meaning.expanded, meaning.numerical_value))
    return Assessment(**found)


def incident_fields(decoded: Decoded) -> tuple[str | None, str | None, Nis2]:
    """The RSIT class and type and the :class:`~kompas.cyber.model.Nis2` values an incident's ``rsit`` and ``nis2``
    tags give (checked by :func:`decode_tags`; ``nis2:test`` sets ``test``)."""
    from kompas.cyber.model import NIS2_PREDICATES, Nis2

    rsit = [t for t in decoded.machine("field") if t.namespace == "rsit"]
    by_predicate = {predicate: name for name, predicate in NIS2_PREDICATES.items()}
    values: dict[str, Any] = {}
    test = False
    for tag in decoded.machine("field"):
        if tag.namespace != "nis2":
            continue
        if tag.predicate == "test":
            test = True
        elif isinstance(Nis2.__dataclass_fields__[by_predicate[tag.predicate]].default, tuple):
            values[by_predicate[tag.predicate]] = (*values.get(by_predicate[tag.predicate], ()), tag.value)
        else:
            values[by_predicate[tag.predicate]] = tag.value
    return (rsit[0].predicate if rsit else None, rsit[0].value if rsit else None, Nis2(test=test, **values))


def field_tags(incident: Incident) -> list[str]:
    """The ``rsit`` and ``nis2`` tags stating an incident's RSIT class and type and NIS2 values (inverse of
    :func:`incident_fields`)."""
    from kompas.cyber.model import NIS2_PREDICATES

    out = []
    if incident.rsit_class:
        out.append(str(MachineTag("rsit", incident.rsit_class, incident.rsit_type)))
    for name, predicate in NIS2_PREDICATES.items():
        value = getattr(incident.nis2, name)
        for v in value if isinstance(value, tuple) else (value,) if value is not None else ():
            out.append(str(MachineTag("nis2", predicate, v)))
    if incident.nis2.test:
        out.append('nis2:test="test"')
    return out
