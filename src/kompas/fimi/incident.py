"""The FIMI incident model and its validation.

An incident is one documented case of foreign information manipulation and interference: what was said (title,
summary, narratives), when (first and last seen, UTC dates), by whom (actors, each with the attribution category
of the EEAS threat reports), through which channels (outlets, platforms, accounts), in which languages, against
which targets (countries, organisations, events such as elections), with which DISARM techniques, and on which
evidence (URLs, archive links, dates). The contributor's marking is attached by the platform, not here.

:func:`from_dict` reads the JSON form (as the API and STIX custom properties carry it) and raises
:class:`IncidentError` naming the field at fault, so that a batch reports each bad record and keeps the rest.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from kompas.rejections import Rejection
from kompas.times import is_date

#: Attribution categories of the EEAS reports on FIMI threats, strongest state link first.
ATTRIBUTIONS = ("official-state-channel", "state-controlled-outlet", "state-linked", "state-aligned",
                "unattributed")
CHANNEL_KINDS = ("outlet", "platform", "account")
TARGET_KINDS = ("country", "organisation", "event")
CONFIDENCES = ("low", "medium", "high")
SOURCES = ("euvsdisinfo", "disarm", "stix", "api")
TECHNIQUE_ID = re.compile(r"^T\d{4}(\.\d{3})?$")  #: DISARM red-framework technique id (T0049, T0049.001)
MAX_TEXT = 5000


class IncidentError(ValueError):
    """A record that is not a valid incident: ``field`` says where, the message says why."""

    def __init__(self, field: str, reason: str, value: str = "") -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason, self.value = field, reason, value[:80]


@dataclass(frozen=True)
class Actor:
    """Who is behind an incident: a name, its attribution category and the state (ISO 3166 alpha-3, or "")."""

    name: str
    category: str = "unattributed"
    state: str = ""


@dataclass(frozen=True)
class Channel:
    """Where the content appeared: an outlet, platform or account, with its attribution category."""

    name: str
    kind: str = "outlet"
    category: str = "unattributed"
    url: str = ""


@dataclass(frozen=True)
class Target:
    """Whom or what the incident targets: a country, an organisation or an event (such as an election)."""

    name: str
    kind: str = "country"


@dataclass(frozen=True)
class Evidence:
    """A piece of evidence: the URL of the item, its archived copy, and the date seen (YYYY-MM-DD or "")."""

    url: str
    archive_url: str = ""
    date: str = ""


@dataclass
class Incident:
    """One FIMI incident. ``ref`` identifies it in its source (EUvsDisinfo case URL, DISARM id, STIX id)."""

    ref: str
    source: str
    title: str
    first_seen: str  #: UTC date, YYYY-MM-DD
    last_seen: str = ""  #: UTC date, YYYY-MM-DD ("" = same as first_seen)
    summary: str = ""
    actors: list[Actor] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    narratives: list[str] = field(default_factory=list)
    techniques: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    confidence: str = "medium"

    @property
    def attribution(self) -> str:
        """The strongest attribution category among the actors and channels ("unattributed" when none)."""
        found = {a.category for a in self.actors} | {c.category for c in self.channels}
        return next((c for c in ATTRIBUTIONS if c in found), "unattributed")

    @property
    def urls(self) -> list[str]:
        """Every URL that identifies the incident: its own reference when it is a URL, then its evidence."""
        own = [self.ref] if self.ref.startswith(("http://", "https://")) else []
        return own + [e.url for e in self.evidence if e.url]

    def as_dict(self) -> dict:
        """The JSON form (inverse of :func:`from_dict`)."""
        out = dataclasses.asdict(self)
        out["last_seen"] = self.last_seen or self.first_seen
        return out


def from_dict(data: Any, source: str = "api") -> Incident:
    """Validate the JSON form of an incident; raises :class:`IncidentError` at the first bad field."""
    if not isinstance(data, dict):
        raise IncidentError("incident", "must be a JSON object")
    title = _text(data, "title", required=True)
    first = _date(data, "first_seen", required=True)
    last = _date(data, "last_seen") or first
    if last < first:
        raise IncidentError("last_seen", "is before first_seen", last)
    ref = _text(data, "ref") or ""
    techniques = _strings(data, "techniques")
    for t in techniques:
        if not TECHNIQUE_ID.match(t):
            raise IncidentError("techniques", "is not a DISARM technique id (T0000 or T0000.000)", t)
    confidence = _text(data, "confidence") or "medium"
    if confidence not in CONFIDENCES:
        raise IncidentError("confidence", f"must be one of {', '.join(CONFIDENCES)}", confidence)
    return Incident(
        ref=ref, source=source, title=title, first_seen=first, last_seen=last, summary=_text(data, "summary"),
        actors=[Actor(_text(a, "name", True, "actors"), _choice(a, "category", ATTRIBUTIONS, "actors"),
                      _text(a, "state", prefix="actors")) for a in _objects(data, "actors")],
        channels=[Channel(_text(c, "name", True, "channels"), _choice(c, "kind", CHANNEL_KINDS, "channels"),
                          _choice(c, "category", ATTRIBUTIONS, "channels"), _url(c, "url", "channels"))
                  for c in _objects(data, "channels")],
        languages=_strings(data, "languages"),
        targets=[Target(_text(t, "name", True, "targets"), _choice(t, "kind", TARGET_KINDS, "targets"))
                 for t in _objects(data, "targets")],
        narratives=_strings(data, "narratives"), techniques=techniques,
        evidence=[Evidence(_url(e, "url", "evidence", required=True), _url(e, "archive_url", "evidence"),
                           _date(e, "date", prefix="evidence")) for e in _objects(data, "evidence")],
        confidence=confidence)


def from_items(items: list, source: str) -> tuple[list[Incident], list[Rejection]]:
    """Validate a list of incidents in JSON form: the good ones, and a
    :class:`~kompas.rejections.Rejection` per bad one (its number in the list as ``line``, and its field)."""
    good: list[Incident] = []
    bad: list[Rejection] = []
    for number, item in enumerate(items, start=1):
        try:
            good.append(from_dict(item, "api"))
        except IncidentError as error:
            bad.append(Rejection(source, number, error.field, error.reason, error.value))
    return good, bad


def valid_date(text: str) -> bool:
    """True for a calendar date written YYYY-MM-DD (:func:`kompas.times.is_date`)."""
    return is_date(text)


def _name(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _text(data: dict, key: str, required: bool = False, prefix: str = "") -> str:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise IncidentError(_name(prefix, key), "is required")
        return ""
    if not isinstance(value, str):
        raise IncidentError(_name(prefix, key), "must be text", repr(value))
    if "\x00" in value:
        raise IncidentError(_name(prefix, key), "contains a NUL character")
    value = value.strip()
    if required and not value:
        raise IncidentError(_name(prefix, key), "is required")
    if len(value) > MAX_TEXT:
        raise IncidentError(_name(prefix, key), f"is longer than {MAX_TEXT} characters")
    return value


def _date(data: dict, key: str, required: bool = False, prefix: str = "") -> str:
    value = _text(data, key, required, prefix)
    value = value[:10] if len(value) > 10 and value[10] == "T" else value  # a date-time gives its UTC date
    if value and not valid_date(value):
        raise IncidentError(_name(prefix, key), "is not a date YYYY-MM-DD", value)
    return value


def _choice(data: dict, key: str, allowed: tuple[str, ...], prefix: str) -> str:
    value = _text(data, key, prefix=prefix) or allowed[-1 if key == "category" else 0]
    if value not in allowed:
        raise IncidentError(_name(prefix, key), f"must be one of {', '.join(allowed)}", value)
    return value


def _url(data: dict, key: str, prefix: str, required: bool = False) -> str:
    value = _text(data, key, required, prefix)
    if value and not value.startswith(("http://", "https://")):
        raise IncidentError(_name(prefix, key), "must be an http:// or https:// URL", value)
    return value


def _strings(data: dict, key: str) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise IncidentError(key, "must be a list of strings")
    if any("\x00" in v or len(v) > 300 for v in value):
        raise IncidentError(key, "items must be at most 300 characters, without NUL")
    return list(dict.fromkeys(v.strip() for v in value if v.strip()))


def _objects(data: dict, key: str) -> list[dict]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise IncidentError(key, "must be a list of objects")
    return value
