"""Cyber incidents, their observables and sightings, and the NIS2 reporting clocks.

**Incident** (:class:`Incident`): what a member state, a CSIRT or the Joint Cyber Unit shares about one cyber
incident, in the words of the standards the field uses:

- classified by ENISA's Reference Security Incident Taxonomy (RSIT, the MISP ``rsit`` taxonomy v1003: 11 classes,
  39 types), class and type validated against it;
- the NIS2 fields (:class:`Nis2`): sectors and subsectors and the impact values of the MISP ``nis2`` taxonomy
  (impact severity and outlook, root cause, threat severity), the entity type (essential or important,
  Directive (EU) 2022/2555 art. 3), whether the impact is significant (art. 23(3)) and when each report was
  submitted (art. 23(4));
- times (UTC): when it started, when the reporting entity became aware of it (``detected_utc``, which starts the
  NIS2 clocks) and when it was reported; the affected member states (ISO 3166-1 alpha-2);
- observables (:class:`Observable`), ATT&CK techniques, malware, tools and the threat actors the source names (a
  claim of the source, never an attribution by Kompas), and its marking (:class:`kompas.core.markings.Marking`).

The MISP-specific details an event carries besides (attributes Kompas does not read as observables, MISP objects,
galaxy clusters, threat level, analysis state, the creating organisation) are kept in :class:`Annotation`,
:class:`Group` and :class:`GalaxyRef` fields, so that an event read from MISP is written back with everything it
held (:mod:`kompas.cyber.misp`).

**Observable** (:class:`Observable`): a typed value, normalised and validated per type (:data:`OBSERVABLE_TYPES`,
aligned with STIX 2.1 cyber-observables and MISP attribute types). ``to_ids`` says whether it is an indicator to
detect on (STIX ``indicator``) or context (STIX ``observed-data``). Its :attr:`Observable.key` (type, value) is what
sightings are counted on.

**Sighting** (:class:`Sighting`): "we saw it too": an indicator key, how many times, first and last seen, and who
saw it (``observer``; the platform hides it from those who may not know it).

**NIS2 clocks** (:func:`nis2_deadlines`, :func:`incident_deadlines`): Directive (EU) 2022/2555 art. 23(4):

- (a) an early warning "without undue delay and in any event within 24 hours of becoming aware of the significant
  incident";
- (b) an incident notification "without undue delay and in any event within 72 hours of becoming aware of the
  significant incident" (for trust service providers, second subparagraph: within 24 hours);
- (d) a final report "not later than one month after the submission of the incident notification".

The wording was checked against the article as reproduced by nis2-info.eu and docs.modulos.ai (quoting OJ L 333,
27.12.2022) through the search tool; EUR-Lex itself was not reachable here. "One month" is computed as the same day
and time of the next calendar month (the last day of that month when it has no such day): conservative beside
Regulation (EEC, Euratom) No 1182/71 art. 3, which would run to the end of that day and past a weekend or public
holiday. An incident still ongoing at the final report's due time owes a progress report instead (art. 23(4)(e));
that case is not modelled. Intermediate reports on request (art. 23(4)(c)) have no fixed deadline.

Everything here is pure; taxonomy values are checked against the shipped MISP taxonomies
(:func:`kompas.cyber.taxonomy.default_taxonomies`, read once per process).
"""

from __future__ import annotations

import calendar
import ipaddress
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from kompas.core.markings import Marking, MarkingError, countries
from kompas.rejections import Rejection

__all__ = ["ANALYSIS", "ENTITY_TYPES", "MISP_DEFAULTS", "NAMESPACE", "OBSERVABLE_TYPES", "SIGHTING_KINDS",
           "THREAT_LEVELS", "Annotation", "Deadline", "GalaxyRef", "Group", "Imported", "Incident", "IncidentError",
           "Nis2", "Observable", "ObservableError", "Sighting", "add_months", "galaxy_meaning", "incident_deadlines",
           "incident_from_dict", "ip_type", "nis2_deadlines", "normalise_value", "observable_from_dict",
           "observables_by_key", "sighting_from_dict", "utc_ms"]

NAMESPACE = uuid.UUID("3f6b0c2e-9a51-4d7e-8c1f-2b6a4e9d7c15")  #: namespace of Kompas's derived cyber ids (UUID 5)


class IncidentError(ValueError):
    """A record that is not a valid incident, observable or sighting: ``field`` says where, the message why."""

    def __init__(self, field: str, reason: str, value: str = "") -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason, self.value = field, reason, value[:200]


class ObservableError(IncidentError):
    """A value that is not valid for its observable type."""


# ----------------------------------------------------------------------------------------------------------------
# Observable types and values
# ----------------------------------------------------------------------------------------------------------------

#: The observable types Kompas reads, with what each is in STIX 2.1 (cyber-observable and property) and the MISP
#: attribute types read as it. Values are normalised by :func:`normalise_value`.
OBSERVABLE_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "ipv4-addr": ("ipv4-addr:value", ("ip-src", "ip-dst")),
    "ipv6-addr": ("ipv6-addr:value", ("ip-src", "ip-dst")),
    "domain-name": ("domain-name:value", ("domain", "hostname")),
    "url": ("url:value", ("url",)),
    "email-addr": ("email-addr:value", ("email", "email-src", "email-dst")),
    "md5": ("file:hashes.MD5", ("md5",)),
    "sha1": ("file:hashes.'SHA-1'", ("sha1",)),
    "sha256": ("file:hashes.'SHA-256'", ("sha256",)),
    "sha512": ("file:hashes.'SHA-512'", ("sha512",)),
    "file-name": ("file:name", ("filename",)),
    "mac-addr": ("mac-addr:value", ("mac-address",)),
    "autonomous-system": ("autonomous-system:number", ("AS",)),
    "mutex": ("mutex:name", ("mutex",)),
    "windows-registry-key": ("windows-registry-key:key", ("regkey",)),
    "vulnerability": ("vulnerability (SDO) external_id", ("vulnerability",)),
}
#: The MISP attribute type and category an observable is exported as when it did not come from MISP.
MISP_DEFAULTS: dict[str, tuple[str, str]] = {
    "ipv4-addr": ("ip-dst", "Network activity"), "ipv6-addr": ("ip-dst", "Network activity"),
    "domain-name": ("domain", "Network activity"), "url": ("url", "Network activity"),
    "email-addr": ("email-src", "Payload delivery"), "md5": ("md5", "Payload delivery"),
    "sha1": ("sha1", "Payload delivery"), "sha256": ("sha256", "Payload delivery"),
    "sha512": ("sha512", "Payload delivery"), "file-name": ("filename", "Payload delivery"),
    "mac-addr": ("mac-address", "Network activity"), "autonomous-system": ("AS", "Network activity"),
    "mutex": ("mutex", "Artifacts dropped"), "windows-registry-key": ("regkey", "Persistence mechanism"),
    "vulnerability": ("vulnerability", "External analysis")}
HASH_LENGTHS = {"md5": 32, "sha1": 40, "sha256": 64, "sha512": 128}  #: hexadecimal digits per hash type
URL_SCHEMES = frozenset({"http", "https", "ftp", "ftps", "sftp", "ws", "wss"})  #: schemes a url observable may have
_DEFANG = (("[.]", "."), ("(.)", "."), ("{.}", "."), ("[dot]", "."), ("[:]", ":"), ("[@]", "@"), ("[at]", "@"))
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_CVE = re.compile(r"^CVE-\d{4}-\d{4,}$")
_HEX = re.compile(r"^[0-9a-f]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _refang(text: str) -> str:
    """Undo the usual defanging of indicators in reports: ``hxxp``, ``[.]``, ``(.)``, ``[:]``, ``[@]``."""
    out = text.strip()
    for fanged, plain in _DEFANG:
        out = out.replace(fanged, plain)
    return re.sub(r"^hxxp", "http", out, flags=re.IGNORECASE)


def _domain(text: str) -> str:
    name = _refang(text).rstrip(".").lower()
    if not name or len(name) > 253:
        raise ObservableError("value", "a domain name has 1 to 253 characters", text)
    try:
        ascii_name = name.encode("idna").decode("ascii") if not name.isascii() else name
    except UnicodeError:
        raise ObservableError("value", "not an internationalised domain name IDNA can encode", text) from None
    labels = ascii_name.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise ObservableError("value", "not a domain name (two or more labels of a-z, 0-9, '-', '_', 1-63 "
                                       "characters each)", text)
    if labels[-1].isdigit():
        raise ObservableError("value", "not a domain name (its last label is a number: an IP address?)", text)
    return ascii_name


def _ip(text: str, version: int) -> str:
    raw = _refang(text)
    try:
        network = ipaddress.ip_network(raw, strict=True) if "/" in raw else None
        address = None if network else ipaddress.ip_address(raw)
    except ValueError:
        raise ObservableError("value", f"not an IPv{version} address or CIDR network", text) from None
    found = network if network is not None else address
    assert found is not None
    if found.version != version:
        raise ObservableError("value", f"an IPv{found.version} value given as ipv{version}-addr", text)
    if network is not None:
        return str(network.network_address) if network.prefixlen == network.max_prefixlen else str(network)
    return str(address)


def _url(text: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    raw = _refang(text)
    if not raw or any(c.isspace() for c in raw) or _CONTROL.search(raw):
        raise ObservableError("value", "a URL has no spaces or control characters", text)
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise ObservableError("value", "not a URL", text) from None
    scheme = parts.scheme.lower()
    if scheme not in URL_SCHEMES:
        raise ObservableError("value", f"not a URL with a scheme of {', '.join(sorted(URL_SCHEMES))}", text)
    host = parts.hostname or ""
    if not host:
        raise ObservableError("value", "a URL needs a host", text)
    try:
        host_text = f"[{ipaddress.IPv6Address(host)}]" if ":" in host else str(ipaddress.IPv4Address(host))
    except ValueError:
        host_text = _domain(host)
    user = parts.netloc.rpartition("@")[0]
    netloc = (user + "@" if user else "") + host_text + (f":{port}" if port is not None else "")
    return urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment))


def _email(text: str) -> str:
    raw = _refang(text)
    local, at, domain = raw.rpartition("@")
    if not at or not local or len(local) > 64 or any(c.isspace() or c in '<>()[],;:"' for c in local):
        raise ObservableError("value", "not an e-mail address (local-part@domain)", text)
    return f"{local}@{_domain(domain)}"


def _mac(text: str) -> str:
    digits = re.sub(r"[:\-.]", "", text.strip().lower())
    if len(digits) != 12 or not _HEX.match(digits):
        raise ObservableError("value", "not a MAC address (6 bytes in hexadecimal)", text)
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2))


def _asn(text: str) -> str:
    digits = text.strip().upper().removeprefix("AS")
    if not digits.isdigit() or int(digits) > 4_294_967_295:
        raise ObservableError("value", "not an autonomous system number (AS1234 or 1234, up to 2^32 - 1)", text)
    return str(int(digits))


#: Registry hive abbreviations and the full names STIX 2.1 requires (windows-registry-key ``key``).
HIVES = {"HKLM": "HKEY_LOCAL_MACHINE", "HKCU": "HKEY_CURRENT_USER", "HKCR": "HKEY_CLASSES_ROOT",
         "HKU": "HKEY_USERS", "HKCC": "HKEY_CURRENT_CONFIG"}


def _registry_key(text: str) -> str:
    key = _plain(text, "windows-registry-key").strip()
    hive, sep, rest = key.partition("\\")
    full = HIVES.get(hive.upper(), hive.upper() if hive.upper() in HIVES.values() else hive)
    return full + sep + rest


def _plain(text: str, what: str) -> str:
    if not text.strip() or "\x00" in text or len(text) > 4096:
        raise ObservableError("value", f"a {what} is 1 to 4096 characters without NUL", text)
    return text


def normalise_value(kind: str, value: str) -> str:
    """``value`` in the normal form of observable type ``kind``; raises :class:`ObservableError` saying why it is
    not one. Normal forms: IP addresses as Python's :mod:`ipaddress` prints them (a CIDR network kept as such, a
    /32 or /128 as the address); domain names lower-case ASCII (IDNA), without the trailing dot; URLs with the
    scheme and host lower-cased (the host validated as a domain or address), path and query kept; e-mail addresses
    with the domain normalised; hashes lower-case hexadecimal of their exact length; MAC addresses ``aa:bb:..``;
    AS numbers as decimal digits; CVE ids upper-case; registry keys with the hive written out (``HKLM\\Run`` ->
    ``HKEY_LOCAL_MACHINE\\Run``, as STIX 2.1 requires). Defanged indicators (``hxxp://evil[.]example``) are refanged.
    """
    if not isinstance(value, str):
        raise ObservableError("value", "must be a string", repr(value))
    if kind in HASH_LENGTHS:
        digest = value.strip().lower()
        if len(digest) != HASH_LENGTHS[kind] or not _HEX.match(digest):
            raise ObservableError("value", f"not a {kind} hash ({HASH_LENGTHS[kind]} hexadecimal digits)", value)
        return digest
    if kind == "ipv4-addr":
        return _ip(value, 4)
    if kind == "ipv6-addr":
        return _ip(value, 6)
    if kind == "domain-name":
        return _domain(value)
    if kind == "url":
        return _url(value)
    if kind == "email-addr":
        return _email(value)
    if kind == "mac-addr":
        return _mac(value)
    if kind == "autonomous-system":
        return _asn(value)
    if kind == "vulnerability":
        cve = value.strip().upper()
        if not _CVE.match(cve):
            raise ObservableError("value", "not a CVE id (CVE-YYYY-NNNN)", value)
        return cve
    if kind == "windows-registry-key":
        return _registry_key(value)
    if kind in ("file-name", "mutex"):
        return _plain(value, kind)
    raise ObservableError("type", f"unknown observable type; expected one of {', '.join(OBSERVABLE_TYPES)}", kind)


def ip_type(value: str) -> str:
    """``ipv4-addr`` or ``ipv6-addr`` for an address or network in text (``ipv4-addr`` when it is neither: the
    check of the value then says why)."""
    try:
        return "ipv6-addr" if ipaddress.ip_network(_refang(value), strict=False).version == 6 else "ipv4-addr"
    except ValueError:
        return "ipv4-addr"


# ----------------------------------------------------------------------------------------------------------------
# Times
# ----------------------------------------------------------------------------------------------------------------


#: The years a time of an incident, an observable or a sighting may fall in: from the first networked incidents to
#: the end of the years Kompas handles (a time far outside would make the NIS2 clocks overflow).
YEARS = (1970, 2100)


def _as_datetime(text: str) -> datetime:
    cleaned = text.strip()
    try:
        found = datetime.fromisoformat(cleaned[:-1] + "+00:00" if cleaned[-1:] in "Zz" else cleaned)
        found = found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)
    except (ValueError, IndexError, OverflowError):
        raise ValueError(f"not an ISO 8601 time: {text!r} (expected e.g. 2026-05-05T00:00:00Z)") from None
    if not YEARS[0] <= found.year <= YEARS[1]:
        raise ValueError(f"{text!r} is outside the years {YEARS[0]}..{YEARS[1]}")
    return found


def utc_ms(text: str) -> str:
    """An ISO 8601 time (any offset; none means UTC) in Kompas's JSON form, UTC to the millisecond:
    ``2026-05-05T12:00:00.000Z``. Raises ValueError for anything else."""
    moment = _as_datetime(text)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _time(value: Any, name: str) -> str | None:  # noqa: ANN401 (a field as read)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise IncidentError(name, "must be an ISO 8601 UTC time", repr(value))
    try:
        return utc_ms(value)
    except ValueError as error:
        raise IncidentError(name, str(error), value) from None


# ----------------------------------------------------------------------------------------------------------------
# Observables, annotations, groups, galaxies
# ----------------------------------------------------------------------------------------------------------------


def _tags(values: Iterable[str], name: str, item: bool = False) -> tuple[str, ...]:
    """The tags an incident (``item`` False) or an observable or annotation carries (:mod:`kompas.cyber.tags`),
    taxonomy tags spelled as their taxonomy spells them. Marking tags are an error (the marking is a field of its
    own); so are RSIT, NIS2 and galaxy tags on an incident (fields of their own), while an observable carries them
    as they came (MISP allows them on attributes; Kompas keeps them without reading them)."""
    from kompas.cyber.tags import Kind, decode_tags

    values = tuple(values)
    for tag in values:
        if not isinstance(tag, str) or not tag.strip() or "\x00" in tag:
            raise IncidentError(name, "tags are non-empty strings without NUL", repr(tag))
    decoded = decode_tags(values)
    if decoded.problems:
        problem = decoded.problems[0]
        raise IncidentError(name, f"tag {problem.tag!r}: {problem.reason}", problem.tag)
    kinds: tuple[Kind, ...] = ("label", "other", "field", "galaxy") if item else ("label", "other")
    misplaced = [text for kind, text in decoded.tags if kind not in kinds]
    if misplaced:
        raise IncidentError(name, "marking tags are not carried as tags (nor RSIT, NIS2 and galaxy tags on an "
                                  "incident): they are the marking, rsit_class/rsit_type, nis2 and galaxies fields",
                            misplaced[0])
    return decoded.of(*kinds)


def _uuid(value: str, name: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise IncidentError(name, "not a UUID", str(value)) from None


def _derived(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join(parts)))


@dataclass(frozen=True)
class Observable:
    """A typed observable value (an indicator when ``to_ids``), as shared within an incident.

    ``marking``: None when it is the incident's own (the usual case); otherwise the observable's marking, which the
    source stated on it. ``tags``: its tags other than marking tags (PAP, admiralty scale, estimative language
    tags as the taxonomies spell them, and any other tag verbatim), which travel with it and are not access rules.
    ``misp_type``/``misp_category``: how MISP typed it (e.g. ``ip-dst`` in ``Network activity``), kept so that an
    export gives MISP the same attribute back; when not given, :data:`MISP_DEFAULTS`.
    ``group``/``relation``: the MISP object (its uuid, :class:`Group`) and object relation it belongs to, if any.
    """

    type: str
    value: str
    id: str = ""  #: UUID (MISP attribute uuid); derived from type, value and group when empty
    to_ids: bool = True
    comment: str = ""
    first_seen_utc: str | None = None
    last_seen_utc: str | None = None
    tags: tuple[str, ...] = ()
    marking: Marking | None = None
    misp_type: str = ""
    misp_category: str = ""
    group: str = ""
    relation: str = ""

    def __post_init__(self) -> None:
        if self.type not in OBSERVABLE_TYPES:
            raise ObservableError("type", f"unknown observable type; expected one of {', '.join(OBSERVABLE_TYPES)}",
                                  str(self.type))
        object.__setattr__(self, "value", normalise_value(self.type, self.value))
        for name in ("first_seen_utc", "last_seen_utc"):
            object.__setattr__(self, name, _time(getattr(self, name), name))
        if self.first_seen_utc and self.last_seen_utc and self.last_seen_utc < self.first_seen_utc:
            raise IncidentError("last_seen_utc", "before first_seen_utc", self.last_seen_utc)
        object.__setattr__(self, "tags", _tags(self.tags, "tags", item=True))
        object.__setattr__(self, "group", _uuid(self.group, "group") if self.group else "")
        object.__setattr__(self, "id", _uuid(self.id, "id") if self.id else _derived(
            "observable", self.type, self.value, self.group, self.relation))
        default_type, default_category = MISP_DEFAULTS[self.type]
        if not self.misp_type:
            object.__setattr__(self, "misp_type", default_type)
        elif self.misp_type not in OBSERVABLE_TYPES[self.type][1]:
            raise IncidentError("misp_type", f"a {self.type} is MISP type "
                                             f"{' or '.join(OBSERVABLE_TYPES[self.type][1])}", self.misp_type)
        if not self.misp_category:
            object.__setattr__(self, "misp_category", default_category)
        if not isinstance(self.to_ids, bool):
            raise IncidentError("to_ids", "must be true or false", repr(self.to_ids))

    @property
    def key(self) -> tuple[str, str]:
        """What sightings are counted on: (type, normalised value)."""
        return (self.type, self.value)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (inverse of :func:`observable_from_dict`)."""
        return {"type": self.type, "value": self.value, "id": self.id, "to_ids": self.to_ids, "comment": self.comment,
                "first_seen_utc": self.first_seen_utc, "last_seen_utc": self.last_seen_utc, "tags": list(self.tags),
                "marking": None if self.marking is None else _marking_json(self.marking), "misp_type": self.misp_type,
                "misp_category": self.misp_category, "group": self.group, "relation": self.relation}


@dataclass(frozen=True)
class Annotation:
    """A MISP attribute that Kompas keeps but does not read as an observable: a reference (``link``), a text or
    comment, and any type outside :data:`OBSERVABLE_TYPES` (``regkey|value``, ``filename|sha256``, ``ip-dst|port``
    ...). Kept verbatim so that an event read from MISP is written back whole."""

    misp_type: str
    value: str
    misp_category: str = "Other"
    id: str = ""
    to_ids: bool = False
    comment: str = ""
    first_seen_utc: str | None = None
    last_seen_utc: str | None = None
    tags: tuple[str, ...] = ()
    marking: Marking | None = None
    group: str = ""
    relation: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.misp_type, str) or not self.misp_type.strip():
            raise IncidentError("type", "a MISP attribute type is a non-empty string", repr(self.misp_type))
        if not isinstance(self.value, str) or "\x00" in self.value:
            raise IncidentError("value", "must be a string without NUL", repr(self.value))
        for name in ("first_seen_utc", "last_seen_utc"):
            object.__setattr__(self, name, _time(getattr(self, name), name))
        object.__setattr__(self, "tags", _tags(self.tags, "tags", item=True))
        object.__setattr__(self, "group", _uuid(self.group, "group") if self.group else "")
        object.__setattr__(self, "id", _uuid(self.id, "id") if self.id else _derived(
            "annotation", self.misp_type, self.value, self.group, self.relation))

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"misp_type": self.misp_type, "value": self.value, "misp_category": self.misp_category, "id": self.id,
                "to_ids": self.to_ids, "comment": self.comment, "first_seen_utc": self.first_seen_utc,
                "last_seen_utc": self.last_seen_utc, "tags": list(self.tags),
                "marking": None if self.marking is None else _marking_json(self.marking), "group": self.group,
                "relation": self.relation}


@dataclass(frozen=True)
class Group:
    """A MISP object: a named group of attributes (a ``file`` with its name and hashes, a ``domain-ip`` pair),
    with the references it makes to other objects or attributes (referenced uuid, relationship type, comment)."""

    id: str
    name: str
    meta_category: str = ""
    description: str = ""
    comment: str = ""
    template_uuid: str = ""
    template_version: str = ""
    references: tuple[tuple[str, str, str], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", _uuid(self.id, "Object.uuid"))
        if not isinstance(self.name, str) or not self.name.strip():
            raise IncidentError("Object.name", "a MISP object needs a name", repr(self.name))
        object.__setattr__(self, "references", tuple(tuple(str(p) for p in r) for r in self.references))

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"id": self.id, "name": self.name, "meta_category": self.meta_category,
                "description": self.description, "comment": self.comment, "template_uuid": self.template_uuid,
                "template_version": self.template_version, "references": [list(r) for r in self.references]}


#: MISP galaxy types whose clusters name ATT&CK techniques ("Spearphishing Attachment - T1566.001").
TECHNIQUE_GALAXIES = frozenset({"mitre-attack-pattern", "mitre-enterprise-attack-attack-pattern",
                                "mitre-ics-techniques", "mitre-mobile-attack-attack-pattern",
                                "mitre-pre-attack-attack-pattern"})
#: MISP galaxy types whose clusters name malware.
MALWARE_GALAXIES = frozenset({"mitre-malware", "mitre-enterprise-attack-malware", "mitre-mobile-attack-malware",
                              "malpedia", "ransomware", "rat", "banker", "botnet", "backdoor", "stealer", "android",
                              "mitre-ics-software"})
#: MISP galaxy types whose clusters name tools.
TOOL_GALAXIES = frozenset({"mitre-tool", "mitre-enterprise-attack-tool", "mitre-mobile-attack-tool", "tool"})
#: MISP galaxy types whose clusters name threat actors (intrusion sets).
ACTOR_GALAXIES = frozenset({"threat-actor", "mitre-intrusion-set", "mitre-enterprise-attack-intrusion-set",
                            "mitre-mobile-attack-intrusion-set"})
TECHNIQUE_ID = re.compile(r"^T\d{4}(?:\.\d{3})?$")
_TRAILING_ID = re.compile(r"^(?P<name>.*?)\s+-\s+(?P<id>[TSGC]\d{4}(?:\.\d{3})?)$")


@dataclass(frozen=True, order=True)
class GalaxyRef:
    """A MISP galaxy cluster attached to an event: the galaxy type (``threat-actor``, ``mitre-attack-pattern``),
    the cluster value as the source spelled it, and the cluster uuid when known. Its tag is
    ``misp-galaxy:<galaxy>="<value>"``."""

    galaxy: str
    value: str
    uuid: str = field(default="", compare=False)

    @property
    def tag(self) -> str:
        """The MISP tag of the cluster."""
        return f'misp-galaxy:{self.galaxy}="{self.value}"'


def galaxy_meaning(ref: GalaxyRef) -> tuple[str, str] | None:
    """What Kompas reads from a galaxy cluster: ("technique", ATT&CK id), ("malware" | "tool" | "actor", name
    without a trailing ATT&CK id such as `` - S0117``), or None for the other galaxies (kept, not read)."""
    found = _TRAILING_ID.match(ref.value)
    name, ident = (found.group("name"), found.group("id")) if found else (ref.value, "")
    if ref.galaxy in TECHNIQUE_GALAXIES:
        technique = ident if ident.startswith("T") else ref.value.strip()
        return ("technique", technique) if TECHNIQUE_ID.match(technique) else None
    kind = "malware" if ref.galaxy in MALWARE_GALAXIES else "tool" if ref.galaxy in TOOL_GALAXIES else \
        "actor" if ref.galaxy in ACTOR_GALAXIES else ""
    return (kind, name.strip()) if kind and name.strip() else None


def _names(values: Iterable[str], name: str) -> tuple[str, ...]:
    out = set()
    for value in values:
        if not isinstance(value, str) or not value.strip() or '"' in value or "\x00" in value:
            raise IncidentError(name, "names are non-empty strings without '\"' or NUL", repr(value))
        found = _TRAILING_ID.match(value.strip())
        out.add(found.group("name").strip() if found else value.strip())
    return tuple(sorted(out))


# ----------------------------------------------------------------------------------------------------------------
# NIS2 and the incident
# ----------------------------------------------------------------------------------------------------------------

ENTITY_TYPES = ("essential", "important")  #: NIS2 art. 3
THREAT_LEVELS = ("high", "medium", "low", "undefined")  #: MISP threat_level_id 1-4
ANALYSIS = ("initial", "ongoing", "complete")  #: MISP analysis 0-2
#: The NIS2 fields and the ``nis2`` taxonomy predicate each takes its values from.
NIS2_PREDICATES = {"sectors": "impact-sectors-impacted", "subsectors": "impact-subsectors-impacted",
                   "important_entity_sectors": "important-entities",
                   "important_entity_subsectors": "impact-subsectors-important-entities",
                   "impact_severity": "impact-severity", "impact_outlook": "impact-outlook",
                   "root_cause": "nature-root-cause", "threat_severity": "nature-severity"}


def _taxonomies() -> Mapping[str, Any]:
    from kompas.cyber.taxonomy import default_taxonomies

    return default_taxonomies()


def _taxonomy_value(namespace: str, predicate: str, value: str, name: str) -> str:
    taxonomy = _taxonomies()[namespace]
    found = taxonomy.predicate(predicate)
    entry = found.entry(value) if found is not None and isinstance(value, str) else None
    if entry is None:
        allowed = ", ".join(e.value for e in found.entries) if found is not None else ""
        raise IncidentError(name, f"not a value of the MISP {namespace} taxonomy's {predicate} "
                                  f"(expected one of {allowed})", str(value))
    return str(entry.value)


@dataclass(frozen=True)
class Nis2:
    """The NIS2 side of an incident: the ``nis2`` taxonomy's values (sectors, subsectors, impact severity and
    outlook, root cause, threat severity; all checked against the taxonomy), the entity type (essential or
    important, art. 3), whether the impact is significant (art. 23(3); None: not assessed) and when each art.
    23(4) report was submitted (UTC)."""

    sectors: tuple[str, ...] = ()
    subsectors: tuple[str, ...] = ()
    important_entity_sectors: tuple[str, ...] = ()
    important_entity_subsectors: tuple[str, ...] = ()
    impact_severity: str | None = None
    impact_outlook: str | None = None
    root_cause: str | None = None
    threat_severity: str | None = None
    test: bool = False  #: the ``nis2:test`` tag: a test record
    entity_type: Literal["essential", "important"] | None = None
    significant: bool | None = None
    early_warning_utc: str | None = None
    notification_utc: str | None = None
    final_report_utc: str | None = None

    def __post_init__(self) -> None:
        for name, predicate in NIS2_PREDICATES.items():
            value = getattr(self, name)
            if isinstance(value, tuple | list):
                object.__setattr__(self, name, tuple(sorted({_taxonomy_value("nis2", predicate, v, f"nis2.{name}")
                                                             for v in value})))
            elif value is not None:
                object.__setattr__(self, name, _taxonomy_value("nis2", predicate, value, f"nis2.{name}"))
        if self.entity_type is not None and self.entity_type not in ENTITY_TYPES:
            raise IncidentError("nis2.entity_type", "must be essential or important (NIS2 art. 3)",
                                str(self.entity_type))
        for name in ("test",):
            if not isinstance(getattr(self, name), bool):
                raise IncidentError(f"nis2.{name}", "must be true or false", repr(getattr(self, name)))
        if self.significant is not None and not isinstance(self.significant, bool):
            raise IncidentError("nis2.significant", "must be true, false or null", repr(self.significant))
        for name in ("early_warning_utc", "notification_utc", "final_report_utc"):
            object.__setattr__(self, name, _time(getattr(self, name), f"nis2.{name}"))

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {name: list(v) if isinstance(v, tuple) else v for name, v in
                ((f, getattr(self, f)) for f in self.__dataclass_fields__)}


def _marking_json(marking: Marking) -> dict[str, Any]:
    view = dict(marking.as_dict())
    view.pop("banner", None)
    return view


def _marking(value: Any, name: str) -> Marking | None:  # noqa: ANN401 (a field as read)
    if value is None or isinstance(value, Marking):
        return value
    if not isinstance(value, Mapping):
        raise IncidentError(name, "must be a marking object (classification, tlp, releasable_to, ...)", repr(value))
    try:
        return Marking.from_dict(dict(value))
    except MarkingError as error:
        raise IncidentError(name, str(error)) from None


@dataclass(frozen=True)
class Incident:
    """A cyber incident as shared (see the module docstring). Built only valid: the constructor normalises and
    checks every field and raises :class:`IncidentError` naming the first bad one.

    Normal form (so that equal content compares equal, whatever the order it arrived in): techniques, malware,
    tools and actors sorted and unique, each represented by a galaxy cluster in ``galaxies`` (one is added, e.g.
    ``mitre-attack-pattern`` ``T1566``, when none names it) and every cluster that names one reflected in them;
    galaxies sorted; observables and annotations ordered top-level first, then by group; an observable's or
    annotation's marking equal to the incident's stored as None.
    """

    id: str
    title: str
    date: str | None = None  #: the day it happened (YYYY-MM-DD, MISP's event date); from the times when not given
    marking: Marking = field(default_factory=Marking)
    description: str = ""
    started_utc: str | None = None
    detected_utc: str | None = None  #: when the reporting entity became aware of it: starts the NIS2 clocks
    reported_utc: str | None = None
    rsit_class: str | None = None  #: an RSIT class (``rsit`` taxonomy predicate), e.g. ``fraud``
    rsit_type: str | None = None  #: the RSIT type within that class, e.g. ``phishing`` (required with a class)
    nis2: Nis2 = field(default_factory=Nis2)
    member_states: tuple[str, ...] = ()  #: affected member states, ISO 3166-1 alpha-2
    observables: tuple[Observable, ...] = ()
    techniques: tuple[str, ...] = ()  #: ATT&CK technique ids (T1566, T1566.001)
    malware: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()  #: threat actors the source names: its claim, not an attribution by Kompas
    galaxies: tuple[GalaxyRef, ...] = ()
    tags: tuple[str, ...] = ()  #: other tags (PAP, admiralty scale, estimative language ..., any other verbatim)
    annotations: tuple[Annotation, ...] = ()
    groups: tuple[Group, ...] = ()
    threat_level: str = "undefined"  #: MISP threat level: high, medium, low, undefined
    analysis: str = "initial"  #: MISP analysis state: initial, ongoing, complete
    source_org: str = ""  #: the organisation that created it at its source (MISP ``Orgc``)
    source_org_uuid: str = ""

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "id", _uuid(self.id, "id"))
        if not isinstance(self.title, str) or not self.title.strip() or "\x00" in self.title:
            raise IncidentError("title", "must be a non-empty string", repr(self.title))
        if not isinstance(self.description, str) or "\x00" in self.description:
            raise IncidentError("description", "must be a string without NUL", repr(self.description))
        if not isinstance(self.marking, Marking):
            raise IncidentError("marking", "must be a Marking", repr(self.marking))
        for name in ("started_utc", "detected_utc", "reported_utc"):
            set_(self, name, _time(getattr(self, name), name))
        self._date()
        self._rsit()
        if not isinstance(self.nis2, Nis2):
            raise IncidentError("nis2", "must be a Nis2 record", repr(self.nis2))
        states = []
        for code in self.member_states:
            state = str(code).strip().upper()
            if state not in countries():
                raise IncidentError("member_states", "not an ISO 3166-1 alpha-2 country code", str(code))
            states.append(state)
        set_(self, "member_states", tuple(sorted(set(states))))
        if self.threat_level not in THREAT_LEVELS:
            raise IncidentError("threat_level", f"must be one of {', '.join(THREAT_LEVELS)}", str(self.threat_level))
        if self.analysis not in ANALYSIS:
            raise IncidentError("analysis", f"must be one of {', '.join(ANALYSIS)}", str(self.analysis))
        set_(self, "tags", _tags(self.tags, "tags"))
        self._galaxies()
        self._members()

    def _date(self) -> None:
        day = self.date or next((t[:10] for t in (self.started_utc, self.detected_utc, self.reported_utc) if t), None)
        if day is None:
            raise IncidentError("date", "give the date it happened (YYYY-MM-DD) or one of its times")
        try:
            datetime.strptime(str(day), "%Y-%m-%d")
        except ValueError:
            raise IncidentError("date", "not a date YYYY-MM-DD", str(day)) from None
        object.__setattr__(self, "date", str(day))

    def _rsit(self) -> None:
        if self.rsit_class is None:
            if self.rsit_type is not None:
                raise IncidentError("rsit_type", "an RSIT type needs its class", str(self.rsit_type))
            return
        rsit = _taxonomies()["rsit"]
        found = rsit.predicate(str(self.rsit_class))
        if found is None:
            raise IncidentError("rsit_class", "not an RSIT class (expected one of "
                                f"{', '.join(p.value for p in rsit.predicates)})", str(self.rsit_class))
        object.__setattr__(self, "rsit_class", found.value)
        if self.rsit_type is None:
            raise IncidentError("rsit_type", "an RSIT class needs its type (RSIT classifies by class and type; "
                                             f"{found.value}: {', '.join(e.value for e in found.entries)})")
        object.__setattr__(self, "rsit_type", _taxonomy_value("rsit", found.value, str(self.rsit_type), "rsit_type"))

    def _galaxies(self) -> None:
        fields = {"technique": "techniques", "malware": "malware", "tool": "tools", "actor": "actors"}
        for name in fields.values():
            object.__setattr__(self, name, _names(getattr(self, name), name))
        for technique in self.techniques:
            if not TECHNIQUE_ID.match(technique):
                raise IncidentError("techniques", "not an ATT&CK technique id (T1234 or T1234.001)", technique)
        refs: dict[tuple[str, str], GalaxyRef] = {}
        for ref in self.galaxies:
            if not isinstance(ref, GalaxyRef) or not ref.galaxy.strip() or not ref.value.strip() or \
                    '"' in ref.value + ref.galaxy or ":" in ref.galaxy:
                raise IncidentError("galaxies", "a galaxy cluster has a galaxy type (no ':') and a value (no '\"')",
                                    repr(ref))
            known = refs.get((ref.galaxy, ref.value))
            refs[(ref.galaxy, ref.value)] = ref if known is None or not known.uuid else known
        read: dict[str, set[str]] = {name: set() for name in fields.values()}
        for ref in refs.values():
            meaning = galaxy_meaning(ref)
            if meaning:
                read[fields[meaning[0]]].add(meaning[1])
        default = {"techniques": "mitre-attack-pattern", "malware": "mitre-malware", "tools": "mitre-tool",
                   "actors": "threat-actor"}
        for name in fields.values():
            for value in set(getattr(self, name)) - read[name]:
                refs[(default[name], value)] = GalaxyRef(default[name], value)
            object.__setattr__(self, name, tuple(sorted(set(getattr(self, name)) | read[name])))
        object.__setattr__(self, "galaxies", tuple(sorted(refs.values())))

    def _members(self) -> None:
        group_ids = [g.id for g in self.groups]
        if len(set(group_ids)) != len(group_ids):
            raise IncidentError("groups", "two MISP objects share a uuid")
        order = {gid: i for i, gid in enumerate(group_ids)}
        for name, kind in (("observables", Observable), ("annotations", Annotation)):
            items = []
            for item in getattr(self, name):
                if not isinstance(item, kind):
                    raise IncidentError(name, f"must hold {kind.__name__} records", repr(item))
                if item.group and item.group not in order:
                    raise IncidentError(name, "names a MISP object (group) the incident does not hold", item.group)
                items.append(replace(item, marking=None) if item.marking == self.marking else item)
            items.sort(key=lambda i: -1 if not i.group else order[i.group])
            object.__setattr__(self, name, tuple(items))

    def marking_of(self, item: Observable | Annotation) -> Marking:
        """The marking an observable or annotation of this incident is under: its own, else the incident's."""
        return item.marking if item.marking is not None else self.marking

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (inverse of :func:`incident_from_dict`): the Kompas JSON an ingest reads."""
        return {"id": self.id, "title": self.title, "date": self.date, "marking": _marking_json(self.marking),
                "description": self.description, "started_utc": self.started_utc,
                "detected_utc": self.detected_utc, "reported_utc": self.reported_utc, "rsit_class": self.rsit_class,
                "rsit_type": self.rsit_type, "nis2": self.nis2.as_dict(), "member_states": list(self.member_states),
                "observables": [o.as_dict() for o in self.observables], "techniques": list(self.techniques),
                "malware": list(self.malware), "tools": list(self.tools), "actors": list(self.actors),
                "galaxies": [{"galaxy": g.galaxy, "value": g.value, "uuid": g.uuid} for g in self.galaxies],
                "tags": list(self.tags), "annotations": [a.as_dict() for a in self.annotations],
                "groups": [g.as_dict() for g in self.groups], "threat_level": self.threat_level,
                "analysis": self.analysis, "source_org": self.source_org, "source_org_uuid": self.source_org_uuid}


def _mapping(data: Any, name: str) -> Mapping[str, Any]:  # noqa: ANN401 (decoded JSON)
    if not isinstance(data, Mapping):
        raise IncidentError(name, "must be a JSON object", repr(data)[:80])
    return data


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise IncidentError(key, "must be a list", repr(value)[:80])
    return value


def _str(data: Mapping[str, Any], key: str, default: str = "") -> str:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise IncidentError(key, "must be a string", repr(value)[:80])
    return value


def observable_from_dict(data: Any) -> Observable:  # noqa: ANN401 (decoded JSON)
    """An :class:`Observable` from its JSON form; raises :class:`IncidentError`."""
    data = _mapping(data, "observable")
    to_ids = data.get("to_ids", True)
    return Observable(_str(data, "type"), _str(data, "value"), _str(data, "id"), to_ids, _str(data, "comment"),
                      data.get("first_seen_utc"), data.get("last_seen_utc"), tuple(_list(data, "tags")),
                      _marking(data.get("marking"), "marking"), _str(data, "misp_type"),
                      _str(data, "misp_category"), _str(data, "group"), _str(data, "relation"))


def _annotation_from_dict(data: Any) -> Annotation:  # noqa: ANN401 (decoded JSON)
    data = _mapping(data, "annotation")
    return Annotation(_str(data, "misp_type"), _str(data, "value"), _str(data, "misp_category", "Other"),
                      _str(data, "id"), bool(data.get("to_ids", False)), _str(data, "comment"),
                      data.get("first_seen_utc"), data.get("last_seen_utc"), tuple(_list(data, "tags")),
                      _marking(data.get("marking"), "marking"), _str(data, "group"), _str(data, "relation"))


def _group_from_dict(data: Any) -> Group:  # noqa: ANN401 (decoded JSON)
    data = _mapping(data, "group")
    refs = _list(data, "references")
    if not all(isinstance(r, list) and len(r) == 3 for r in refs):
        raise IncidentError("groups.references", "each reference is [uuid, relationship type, comment]")
    return Group(_str(data, "id"), _str(data, "name"), _str(data, "meta_category"), _str(data, "description"),
                 _str(data, "comment"), _str(data, "template_uuid"), _str(data, "template_version"),
                 tuple(tuple(r) for r in refs))


def incident_from_dict(data: Any) -> Incident:  # noqa: ANN401 (decoded JSON)
    """An :class:`Incident` from its JSON form (:meth:`Incident.as_dict`); raises :class:`IncidentError` at the
    first bad field. ``id`` may be left out: it is then derived from the title and date (UUID 5), so that the same
    record read twice is the same incident. ``marking`` left out: UNCLASSIFIED // TLP:AMBER (the platform's
    contribution marking is set by whoever stores it)."""
    data = _mapping(data, "incident")
    nis2 = dict(_mapping(data.get("nis2") or {}, "nis2"))
    try:
        nis2_record = Nis2(**nis2)
    except TypeError as error:
        raise IncidentError("nis2", str(error)) from None
    title = _str(data, "title")
    ident = _str(data, "id") or _derived("incident", title, _str(data, "date") or _str(data, "started_utc") or
                                         _str(data, "detected_utc") or _str(data, "reported_utc"))
    galaxies = []
    for g in _list(data, "galaxies"):
        g = _mapping(g, "galaxies")
        galaxies.append(GalaxyRef(_str(g, "galaxy"), _str(g, "value"), _str(g, "uuid")))
    return Incident(
        ident, title, data.get("date"), _marking(data.get("marking"), "marking") or Marking(),
        _str(data, "description"), data.get("started_utc"), data.get("detected_utc"), data.get("reported_utc"),
        data.get("rsit_class"), data.get("rsit_type"), nis2_record, tuple(_list(data, "member_states")),
        tuple(observable_from_dict(o) for o in _list(data, "observables")), tuple(_list(data, "techniques")),
        tuple(_list(data, "malware")), tuple(_list(data, "tools")), tuple(_list(data, "actors")), tuple(galaxies),
        tuple(_list(data, "tags")), tuple(_annotation_from_dict(a) for a in _list(data, "annotations")),
        tuple(_group_from_dict(g) for g in _list(data, "groups")), _str(data, "threat_level", "undefined"),
        _str(data, "analysis", "initial"), _str(data, "source_org"), _str(data, "source_org_uuid"))


# ----------------------------------------------------------------------------------------------------------------
# Sightings
# ----------------------------------------------------------------------------------------------------------------

#: What a sighting says (MISP sighting types 0-3, misp-rfc misp-core-format "Sighting").
SIGHTING_KINDS = ("sighting", "false-positive", "expiration", "true-positive")


MAX_COUNT = 1_000_000  #: Most sightings one record counts.
MAX_SIGHTED_VALUE = 2048  #: Longest indicator value a sighting names (the platform's column).


def _second(time_utc: str | None) -> str | None:
    """A JSON-form time truncated to the whole second (``...:07.000Z``)."""
    return None if time_utc is None else time_utc[:19] + ".000Z"


@dataclass(frozen=True)
class Sighting:
    """"We saw it too": ``count`` sightings of the observable ``(type, value)`` between ``first_seen_utc`` and
    ``last_seen_utc`` (UTC, to the whole second, as MISP's ``date_sighting`` keeps them) by ``observer`` (an
    organisation; "" for an anonymous sighting). The platform merges the
    sightings of several members on the indicator key and shows each viewer only the observers they may know."""

    type: str
    value: str
    first_seen_utc: str
    last_seen_utc: str | None = None  #: defaults to first_seen_utc
    count: int = 1
    observer: str = ""
    kind: str = "sighting"
    source: str = ""  #: what saw it (a sensor, a SIEM, a feed), as MISP's sighting ``source``

    def __post_init__(self) -> None:
        if self.type not in OBSERVABLE_TYPES:
            raise IncidentError("type", f"unknown observable type; expected one of {', '.join(OBSERVABLE_TYPES)}",
                                str(self.type))
        object.__setattr__(self, "value", normalise_value(self.type, self.value))
        first = _second(_time(self.first_seen_utc, "first_seen_utc"))
        if first is None:
            raise IncidentError("first_seen_utc", "a sighting needs the time it was first seen")
        last = _second(_time(self.last_seen_utc, "last_seen_utc")) or first
        if last < first:
            raise IncidentError("last_seen_utc", "before first_seen_utc", last)
        if isinstance(self.count, bool) or not isinstance(self.count, int) or not 1 <= self.count <= MAX_COUNT:
            raise IncidentError("count", f"must be a whole number of at least 1 and at most {MAX_COUNT}",
                                repr(self.count)[:40])
        if len(self.value) > MAX_SIGHTED_VALUE:
            raise IncidentError("value", f"longer than {MAX_SIGHTED_VALUE} characters", self.value[:60])
        if self.count == 1 and last != first:
            raise IncidentError("last_seen_utc", "one sighting has one time (last_seen_utc = first_seen_utc)", last)
        if self.kind not in SIGHTING_KINDS:
            raise IncidentError("kind", f"must be one of {', '.join(SIGHTING_KINDS)}", str(self.kind))
        for name in ("observer", "source"):
            if not isinstance(getattr(self, name), str) or "\x00" in getattr(self, name):
                raise IncidentError(name, "must be a string without NUL", repr(getattr(self, name)))
        object.__setattr__(self, "first_seen_utc", first)
        object.__setattr__(self, "last_seen_utc", last)

    @property
    def key(self) -> tuple[str, str]:
        """The indicator key it counts on: (type, normalised value)."""
        return (self.type, self.value)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (inverse of :func:`sighting_from_dict`)."""
        return {"type": self.type, "value": self.value, "first_seen_utc": self.first_seen_utc,
                "last_seen_utc": self.last_seen_utc, "count": self.count, "observer": self.observer,
                "kind": self.kind, "source": self.source}


@dataclass
class Imported:
    """What a MISP file or STIX bundle held: the incidents, the sightings, and every record that could not be read
    (:class:`kompas.rejections.Rejection`, unit ``item``)."""

    incidents: list[Incident] = field(default_factory=list)
    sightings: list[Sighting] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    events: int = 0  #: MISP events or STIX incidents found (read or rejected)


def sighting_from_dict(data: Any) -> Sighting:  # noqa: ANN401 (decoded JSON)
    """A :class:`Sighting` from its JSON form; raises :class:`IncidentError`."""
    data = _mapping(data, "sighting")
    return Sighting(_str(data, "type"), _str(data, "value"), _str(data, "first_seen_utc"),
                    data.get("last_seen_utc"), data.get("count", 1), _str(data, "observer"),
                    _str(data, "kind", "sighting"), _str(data, "source"))


# ----------------------------------------------------------------------------------------------------------------
# NIS2 reporting clocks
# ----------------------------------------------------------------------------------------------------------------

Status = Literal["met", "late", "open", "overdue"]
EARLY_WARNING_H = 24  #: NIS2 art. 23(4)(a)
NOTIFICATION_H = 72  #: NIS2 art. 23(4)(b)
TRUST_SERVICE_NOTIFICATION_H = 24  #: NIS2 art. 23(4)(b), second subparagraph (trust service providers)
FINAL_REPORT_MONTHS = 1  #: NIS2 art. 23(4)(d)


@dataclass(frozen=True)
class Deadline:
    """One NIS2 report's deadline and where it stands at ``at_utc``: ``met`` (submitted by the deadline), ``late``
    (submitted after it), ``open`` (not submitted, still due) or ``overdue`` (not submitted, past it).
    ``provisional``: the final report's deadline counted from the notification's own deadline, because the
    notification has not been submitted yet (art. 23(4)(d) counts from its submission)."""

    report: Literal["early-warning", "incident-notification", "final-report"]
    due_utc: str
    basis: str
    status: Status
    submitted_utc: str | None = None
    provisional: bool = False
    hours_left: float = 0.0  #: from ``at_utc`` to the deadline (negative when past); 0 once submitted


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months later; the last day of that month when it has no such day
    (31 January + 1 month = 28 or 29 February)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def _deadline(report: Literal["early-warning", "incident-notification", "final-report"], due: datetime,
              basis: str, submitted: str | None, at: datetime, provisional: bool = False) -> Deadline:
    due_text = utc_ms(due.isoformat())
    if submitted is not None:
        status: Status = "met" if _as_datetime(submitted) <= due else "late"
        return Deadline(report, due_text, basis, status, submitted, provisional, 0.0)
    left = (due - at).total_seconds() / 3600.0
    return Deadline(report, due_text, basis, "open" if left >= 0 else "overdue", None, provisional, left)


def nis2_deadlines(aware_utc: str, at_utc: str, early_warning_utc: str | None = None,
                   notification_utc: str | None = None, final_report_utc: str | None = None,
                   trust_service_provider: bool = False) -> tuple[Deadline, Deadline, Deadline]:
    """The three NIS2 art. 23(4) deadlines of a significant incident the entity became aware of at ``aware_utc``,
    and where each stands at ``at_utc`` given the submission times known (None: not submitted):

    - early warning: ``aware_utc`` + 24 h (art. 23(4)(a));
    - incident notification: ``aware_utc`` + 72 h, or + 24 h for a trust service provider (art. 23(4)(b));
    - final report: one calendar month after the notification's submission (art. 23(4)(d)); while the notification
      is not submitted, one month after its deadline, marked ``provisional``.

    Times are ISO 8601 (any offset); raises ValueError for one that is not."""
    aware, at = _as_datetime(aware_utc), _as_datetime(at_utc)
    submitted = {name: utc_ms(t) if t else None for name, t in (("early", early_warning_utc),
                                                                ("notification", notification_utc),
                                                                ("final", final_report_utc))}
    hours = TRUST_SERVICE_NOTIFICATION_H if trust_service_provider else NOTIFICATION_H
    notification_due = aware + timedelta(hours=hours)
    basis_b = "NIS2 Directive (EU) 2022/2555 art. 23(4)(b)" + (", second subparagraph (trust service provider)"
                                                               if trust_service_provider else "")
    final_from = _as_datetime(submitted["notification"]) if submitted["notification"] else notification_due
    return (_deadline("early-warning", aware + timedelta(hours=EARLY_WARNING_H),
                      "NIS2 Directive (EU) 2022/2555 art. 23(4)(a)", submitted["early"], at),
            _deadline("incident-notification", notification_due, basis_b, submitted["notification"], at),
            _deadline("final-report", add_months(final_from, FINAL_REPORT_MONTHS),
                      "NIS2 Directive (EU) 2022/2555 art. 23(4)(d)", submitted["final"], at,
                      provisional=submitted["notification"] is None))


def incident_deadlines(incident: Incident, at_utc: str,
                       trust_service_provider: bool = False) -> tuple[Deadline, ...]:
    """:func:`nis2_deadlines` of an incident, from its ``detected_utc`` (when the entity became aware) and the
    submission times in its :class:`Nis2` record; () when it has no ``detected_utc`` or is assessed as not
    significant (``nis2.significant is False``: art. 23(4) applies to significant incidents only). Not yet assessed
    (None) counts as significant: the clock runs from awareness whatever the assessment."""
    if incident.detected_utc is None or incident.nis2.significant is False:
        return ()
    n = incident.nis2
    return nis2_deadlines(incident.detected_utc, at_utc, n.early_warning_utc, n.notification_utc,
                          n.final_report_utc, trust_service_provider)


def observables_by_key(items: Sequence[Observable]) -> dict[tuple[str, str], list[Observable]]:
    """Observables grouped by :attr:`Observable.key`, in their order."""
    out: dict[tuple[str, str], list[Observable]] = {}
    for item in items:
        out.setdefault(item.key, []).append(item)
    return out
