"""Markings: classification, TLP, releasability, need-to-know communities, originators and caveats.

A :class:`Marking` says who may see an item. The access rule (:func:`may_see`) has three parts, all required:

1. the user's clearance is at least the item's classification;
2. the item is releasable to the user's organisation or country (``releasable_to is None`` means no
   releasability restriction, i.e. releasable to every organisation on the platform);
3. the user satisfies each of the item's community clauses: a clause is a set of need-to-know communities and
   the user must belong to at least one of them. A contributed item has at most one clause (the communities its
   originator named); a derived item carries the clauses of all its inputs, so that whoever sees it could also
   have seen every input.

:func:`combine` gives the most restrictive combination of its inputs' markings: the highest classification and
TLP, the intersection of the releasability lists, the union of community clauses, originators and caveats. A
derived item gets a less restrictive marking only through :func:`sanitise`, which requires every originator's
approval.

**Exercises.** An item made for or during an exercise carries the caveat ``EXERCISE <CODE>`` (:func:`exercise_caveat`;
at most one exercise per marking, so items of two exercises never combine). The access rule then has a fourth part:
such an item reaches a viewer only in that exercise's context (:attr:`Viewer.exercise`, set only for participants
by the storage layer), never in the real context, so no real statistic, alert or report can use it. Its banner
begins ``EXERCISE EXERCISE EXERCISE``. :func:`combine` unions caveats, so whatever is derived from an exercise item
is an exercise item; :func:`sanitise` cannot remove the caveat.

TLP (FIRST TLP 2.0) governs onward sharing outside the platform; it is carried, combined and exported
(STIX 2.1 marking definitions) but does not enter the access rule, which the issue defines by clearance,
releasability and communities. This module is pure; the storage layer (:mod:`kompas.core.store`) applies the
same rule in SQL and the property tests check the two agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cache

from kompas.core.shapes import MarkingView

CODE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{0,31}$")
COMMUNITY = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


class MarkingError(ValueError):
    """A marking that is malformed or an operation on markings that the rules forbid."""


#: The caveat of exercise items is this word, a space and the exercise's code (e.g. ``EXERCISE STRA-27``).
EXERCISE = "EXERCISE"
#: What every banner of an exercise item begins with, as exercise traffic is marked.
EXERCISE_BANNER = "EXERCISE EXERCISE EXERCISE"


def check_exercise_code(code: str) -> str:
    """``code`` (any case, spaces stripped) as an exercise code (A-Z, 0-9, _.-, 1-32 characters); MarkingError
    otherwise."""
    text = code.strip().upper()
    if not CODE.match(text):
        raise MarkingError(f"exercise code {code!r} is malformed (A-Z, 0-9, _.-, 1-32 characters, starting with a "
                           "letter or digit, e.g. STRA-27)")
    return text


def exercise_caveat(code: str) -> str:
    """The caveat marking an item of exercise ``code``: ``EXERCISE <CODE>``."""
    return f"{EXERCISE} {check_exercise_code(code)}"


def _exercise_of(caveats: frozenset[str]) -> str | None:
    """The exercise code named by ``caveats`` (None for a real item); MarkingError for two exercises or a malformed
    exercise caveat."""
    codes = sorted({c.split(" ", 1)[1] if " " in c else "" for c in caveats
                    if c == EXERCISE or c.startswith(EXERCISE + " ")})
    if not codes:
        return None
    if len(codes) > 1:
        raise MarkingError(f"a marking names one exercise at most; got {', '.join(codes)} (items of two exercises "
                           "cannot be combined)")
    return check_exercise_code(codes[0]) if codes[0] else check_exercise_code("")


class Classification(IntEnum):
    """EU classification levels (Council Decision 2013/488/EU), ordered; users hold one as their clearance."""

    UNCLASSIFIED = 0
    RESTRICTED = 1
    CONFIDENTIAL = 2
    SECRET = 3
    TOP_SECRET = 4

    @property
    def eu_name(self) -> str:
        """The marking as printed on EU classified information, e.g. ``RESTREINT UE/EU RESTRICTED``."""
        return EU_NAMES[self]

    @classmethod
    def parse(cls, text: str) -> Classification:
        """Accept the enum name (``SECRET``, ``top_secret``, ``TOP SECRET``) or the EU printed name."""
        key = text.strip().upper().replace(" ", "_").replace("-", "_")
        if key in cls.__members__:
            return cls[key]
        for level, name in EU_NAMES.items():
            if text.strip().upper() == name:
                return level
        raise MarkingError(f"unknown classification {text!r}; expected one of {', '.join(cls.__members__)}")


EU_NAMES = {
    Classification.UNCLASSIFIED: "UNCLASSIFIED",
    Classification.RESTRICTED: "RESTREINT UE/EU RESTRICTED",
    Classification.CONFIDENTIAL: "CONFIDENTIEL UE/EU CONFIDENTIAL",
    Classification.SECRET: "SECRET UE/EU SECRET",
    Classification.TOP_SECRET: "TRES SECRET UE/EU TOP SECRET",
}


class TLP(IntEnum):
    """FIRST Traffic Light Protocol 2.0, ordered from least to most restrictive."""

    CLEAR = 0
    GREEN = 1
    AMBER = 2
    AMBER_STRICT = 3
    RED = 4

    @property
    def label(self) -> str:
        """The label as FIRST prints it: ``TLP:AMBER+STRICT``."""
        return "TLP:" + self.name.replace("_", "+")

    @classmethod
    def parse(cls, text: str) -> TLP:
        """Accept ``AMBER+STRICT``, ``TLP:AMBER+STRICT``, ``amber_strict``; ``WHITE`` is TLP 1.0 for CLEAR."""
        key = text.strip().upper().removeprefix("TLP:").replace("+", "_").replace(" ", "_")
        key = "CLEAR" if key == "WHITE" else key
        if key in cls.__members__:
            return cls[key]
        raise MarkingError(f"unknown TLP {text!r}; expected CLEAR, GREEN, AMBER, AMBER+STRICT or RED")


#: Country codes the platform accepts besides the officially assigned ISO 3166-1 ones: ``EU``, exceptionally
#: reserved by the ISO 3166 Maintenance Agency for the European Union and used in EU releasability markings.
EXTRA_COUNTRIES = frozenset({"EU"})
#: Exceptionally reserved ISO 3166-1 alpha-2 codes that organisation codes may not take either (``UK`` for the
#: United Kingdom, ``UN`` for the United Nations, ``EZ`` for the eurozone): a reader would take them for countries.
RESERVED_COUNTRY_CODES = frozenset({"EU", "UK", "UN", "EZ"})


@cache
def countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes of every officially assigned country (the maintained list of the ``pycountry``
    package, from the ISO 3166 Maintenance Agency via Debian's iso-codes) and :data:`EXTRA_COUNTRIES`: the codes a
    releasability list (REL TO) means as countries and an organisation's country may take."""
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries) | EXTRA_COUNTRIES


@cache
def country_namespace() -> frozenset[str]:
    """Every code that reads as a country: ISO 3166-1 alpha-2 and alpha-3 codes, :data:`EXTRA_COUNTRIES` and
    :data:`RESERVED_COUNTRY_CODES`. Organisation codes are a separate namespace and may not be one of these."""
    import pycountry

    return countries() | RESERVED_COUNTRY_CODES | frozenset(c.alpha_3 for c in pycountry.countries)


def check_country(code: str) -> str:
    """``code`` (any case, spaces stripped) as an ISO 3166-1 alpha-2 country code; :class:`MarkingError` for
    anything else (alpha-3 codes and names included: organisations record their country in alpha-2)."""
    country = code.strip().upper()
    if country not in countries():
        raise MarkingError(f"country {code!r} is not an ISO 3166-1 alpha-2 country code (e.g. DE, FR, NL, or EU)")
    return country


def check_org_code(code: str) -> str:
    """``code`` (any case, spaces stripped) as an organisation code; :class:`MarkingError` when it is malformed or
    is a country code (:func:`country_namespace`): REL TO DE must mean Germany, never an organisation called DE."""
    org = code.strip().upper()
    if not CODE.match(org):
        raise MarkingError(f"organisation code {code!r} is malformed (A-Z, 0-9, _.-, 1-32 characters, starting "
                           "with a letter or digit)")
    if org in country_namespace():
        raise MarkingError(f"organisation code {org!r} is an ISO 3166 country code: organisation codes and "
                           "country codes are separate namespaces (a marking REL TO "
                           f"{org} means the country); choose a code such as {org}-<AGENCY>, e.g. {org}-NSO")
    return org


def _codes(values: Iterable[str], what: str) -> frozenset[str]:
    codes = frozenset(v.strip().upper() for v in values)
    bad = sorted(c for c in codes if not CODE.match(c))
    if bad:
        raise MarkingError(f"{what}: {bad[0]!r} is not an organisation or country code (A-Z, 0-9, _.-, 1-32)")
    return codes


def _communities(values: Iterable[str]) -> frozenset[str]:
    names = frozenset(v.strip().lower() for v in values)
    bad = sorted(n for n in names if not COMMUNITY.match(n))
    if bad:
        raise MarkingError(f"communities: {bad[0]!r} is not a community name (a-z, 0-9, _.-, 1-64)")
    return names


@dataclass(frozen=True)
class Marking:
    """Who may see an item and how it may be shared on (see the module docstring for the rule).

    ``releasable_to``: organisation codes and ISO 3166-1 alpha-2 country codes (separate namespaces:
    :func:`check_org_code`), or None for no restriction.
    ``clauses``: need-to-know; each clause is a set of communities, the user needs one from every clause.
    ``originators``: organisation codes of whoever contributed the item or its inputs.
    ``caveats``: handling caveats printed with the marking (e.g. ``NOFORN``-like national caveats).
    """

    classification: Classification = Classification.UNCLASSIFIED
    tlp: TLP = TLP.AMBER
    releasable_to: frozenset[str] | None = None
    clauses: frozenset[frozenset[str]] = field(default_factory=frozenset)
    originators: frozenset[str] = field(default_factory=frozenset)
    caveats: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.releasable_to is not None:
            object.__setattr__(self, "releasable_to", _codes(self.releasable_to, "releasable_to"))
        object.__setattr__(self, "clauses", frozenset(_communities(c) for c in self.clauses if c))
        object.__setattr__(self, "originators", _codes(self.originators, "originators"))
        caveats = frozenset(" ".join(c.split()).upper() for c in self.caveats if c.strip())
        bad = sorted(c for c in caveats if "," in c or "|" in c or len(c) > 64)
        if bad:
            raise MarkingError(f"caveat {bad[0]!r} is malformed (no ',' or '|', at most 64 characters)")
        object.__setattr__(self, "caveats", caveats)
        _exercise_of(caveats)  # at most one exercise, with a well-formed code

    @classmethod
    def build(cls, classification: str | Classification = Classification.UNCLASSIFIED,
              tlp: str | TLP = TLP.AMBER, releasable_to: Iterable[str] | None = None,
              communities: Iterable[str] = (), originator: str | None = None,
              caveats: Iterable[str] = ()) -> Marking:
        """A contribution's marking from its parts as a user gives them (one community clause, one originator).

        The originator's own organisation is always added to a releasability list, so that a contributor never
        loses sight of what it shared.
        """
        level = classification if isinstance(classification, Classification) else Classification.parse(
            classification)
        light = tlp if isinstance(tlp, TLP) else TLP.parse(tlp)
        origin = frozenset([originator]) if originator else frozenset()
        rel = None if releasable_to is None else frozenset(releasable_to) | origin
        names = frozenset(communities)
        return cls(level, light, rel, frozenset([names]) if names else frozenset(), origin, frozenset(caveats))

    @property
    def exercise(self) -> str | None:
        """The code of the exercise this item belongs to, or None for a real item."""
        return _exercise_of(self.caveats)

    def for_exercise(self, code: str | None) -> Marking:
        """This marking as an item of exercise ``code`` carries it (unchanged for None or the same exercise);
        MarkingError when it already belongs to another exercise."""
        if code is None or self.exercise == check_exercise_code(code):
            return self
        return Marking(self.classification, self.tlp, self.releasable_to, self.clauses, self.originators,
                       self.caveats | {exercise_caveat(code)})

    @property
    def communities(self) -> frozenset[str]:
        """Every community named in any clause."""
        return frozenset().union(*self.clauses) if self.clauses else frozenset()

    def key(self) -> str:
        """A canonical text for this marking: equal markings give equal keys (used to share one storage row)."""
        rel = "*" if self.releasable_to is None else ",".join(sorted(self.releasable_to))
        clauses = ";".join(sorted(",".join(sorted(c)) for c in self.clauses))
        return "|".join([self.classification.name, self.tlp.name, rel, clauses, ",".join(sorted(self.originators)),
                         ",".join(sorted(self.caveats))])

    def banner(self) -> str:
        """One line as printed at the top of a document: ``SECRET UE/EU SECRET // REL TO BE, FR // TLP:AMBER``."""
        parts = [EXERCISE_BANNER] if self.exercise else []
        parts.append(self.classification.eu_name)
        if self.releasable_to is not None:
            parts.append("REL TO " + ", ".join(sorted(self.releasable_to)) if self.releasable_to else "NO RELEASE")
        if self.clauses:
            parts.append("NTK " + " AND ".join("(" + " OR ".join(sorted(c)) + ")" for c in sorted(
                self.clauses, key=sorted)))
        parts.extend(sorted(self.caveats))
        parts.append(self.tlp.label)
        return " // ".join(parts)

    @classmethod
    def from_dict(cls, data: dict) -> Marking:
        """A marking from its :meth:`as_dict` form (``banner`` ignored); raises :class:`MarkingError`."""
        try:
            return cls(Classification.parse(str(data["classification"])), TLP.parse(str(data.get("tlp", "AMBER"))),
                       None if data.get("releasable_to") is None else frozenset(data["releasable_to"]),
                       frozenset(frozenset(c) for c in data.get("communities") or []),
                       frozenset(data.get("originators") or []), frozenset(data.get("caveats") or []))
        except (KeyError, TypeError, ValueError) as error:
            raise MarkingError(f"not a marking: {error}") from None

    def as_dict(self) -> MarkingView:
        """JSON form used by the API (lists sorted; ``releasable_to`` null when unrestricted)."""
        return {"classification": self.classification.name, "tlp": self.tlp.name.replace("_", "+"),
                "releasable_to": None if self.releasable_to is None else sorted(self.releasable_to),
                "communities": [sorted(c) for c in sorted(self.clauses, key=sorted)],
                "originators": sorted(self.originators), "caveats": sorted(self.caveats),
                "banner": self.banner()}


@dataclass(frozen=True)
class Viewer:
    """What the access rule needs to know about a user: clearance, organisation, country, communities, and the
    exercise whose context the user works in (None: the real world). The storage layer sets ``exercise`` only for
    a participant of that exercise (:meth:`kompas.core.store.Store.in_exercise`)."""

    clearance: Classification
    org: str
    country: str
    communities: frozenset[str] = field(default_factory=frozenset)
    exercise: str | None = None


def may_see(viewer: Viewer, marking: Marking) -> bool:
    """The access rule (module docstring): clearance, releasability and every community clause. A releasability
    code reaches a viewer as its organisation code or as its organisation's country; the two namespaces are
    disjoint (:func:`check_org_code`), so a country code reaches only viewers whose organisation is in that
    country. An exercise item reaches only a viewer in that exercise's context."""
    if marking.exercise is not None and marking.exercise != viewer.exercise:
        return False
    if viewer.clearance < marking.classification:
        return False
    if marking.releasable_to is not None and not ({viewer.org, viewer.country} & marking.releasable_to):
        return False
    return all(clause & viewer.communities for clause in marking.clauses)


def combine(markings: Iterable[Marking]) -> Marking:
    """The most restrictive combination of the inputs' markings: what an item derived from them carries."""
    items = list(markings)
    if not items:
        raise MarkingError("combine needs at least one marking")
    rels = [m.releasable_to for m in items if m.releasable_to is not None]
    rel = frozenset.intersection(*rels) if rels else None
    return Marking(classification=max(m.classification for m in items), tlp=max(m.tlp for m in items),
                   releasable_to=rel, clauses=frozenset().union(*(m.clauses for m in items)),
                   originators=frozenset().union(*(m.originators for m in items)),
                   caveats=frozenset().union(*(m.caveats for m in items)))


def restrictiveness(marking: Marking) -> tuple[int, int, int, int, int, int]:
    """A sort key putting the marking that the most people may see first, among copies of the same information:
    classification, then a releasability restriction (none first; a longer list before a shorter one), then the
    number of need-to-know clauses, then TLP, then caveats. Markings are only partially ordered (REL TO DE and REL TO
    FR are incomparable); this key is the platform's documented tie-break, so the choice is deterministic."""
    rel = marking.releasable_to
    return (int(marking.classification), 0 if rel is None else 1, 0 if rel is None else -len(rel),
            len(marking.clauses), int(marking.tlp), len(marking.caveats))


def least_restrictive(markings: Iterable[Marking]) -> Marking:
    """The marking of :func:`restrictiveness` rank first (ties broken by :meth:`Marking.key`)."""
    return min(markings, key=lambda m: (restrictiveness(m), m.key()))


def sanitise(derived: Marking, released: Marking, approved_by: Iterable[str]) -> Marking:
    """A sanitised release of a derived item under ``released``; every originator of ``derived`` must approve.

    Raises :class:`MarkingError` naming the originators whose approval is missing. The released marking keeps
    the derived item's originators (it is still their information).
    """
    missing = derived.originators - _codes(approved_by, "approved_by")
    if missing:
        raise MarkingError(f"sanitised release needs the approval of every originator; missing {sorted(missing)}")
    return Marking(released.classification, released.tlp, released.releasable_to, released.clauses,
                   derived.originators | released.originators, released.caveats).for_exercise(derived.exercise)


def covers(outer: Marking, inner: Marking) -> bool:
    """Whether whoever may see ``outer`` may see ``inner`` too (so combining them restricts nothing more than
    ``outer``): classification and TLP no higher, releasability no narrower, every need-to-know clause of ``inner``
    implied by one of ``outer``'s, caveats among ``outer``'s."""
    if inner.classification > outer.classification or inner.tlp > outer.tlp:
        return False
    if inner.releasable_to is not None and (outer.releasable_to is None
                                            or not outer.releasable_to <= inner.releasable_to):
        return False
    if not all(any(o <= clause for o in outer.clauses) for clause in inner.clauses):
        return False
    return inner.caveats <= outer.caveats
