"""Evidence files: dated status notes on the register's commitments, each with its source and marking.

An evidence file is YAML with a ``notes`` list; each note has

- ``id``: the register id (``SC-055``);
- ``as_of``: the date the evidence speaks for (``YYYY-MM-DD``; for a document published "in March 2023" the end
  of that month);
- ``status``: one of :data:`kompas.compass.status.STATUSES`;
- ``evidence``: what shows it, in a sentence;
- ``source``: where a reader can check it (document number, date, publisher);
- optionally ``seed``: a place in the seed texts that states the fact (``{source, lines, quote}``, checked by the
  test suite like the register's quotes);
- optionally ``marking``: ``{classification, tlp, releasable_to, communities}`` (default: the file's top-level
  ``marking``, else public: UNCLASSIFIED and TLP:CLEAR).

Kompas ships one such file (:data:`kompas.compass.load.PUBLIC_EVIDENCE`) holding only facts from public
documents. Other files, such as a ministry's own assessment, are stored through the platform under their markings
with ``kompas compass import-evidence``. :func:`parse_evidence` takes a file's text;
:func:`kompas.compass.load.load_evidence` reads a file.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import yaml

from kompas.compass.register import DOCUMENTS, Place, place_of
from kompas.compass.status import STATUSES, Note
from kompas.rejections import Rejection
from kompas.texts import yaml_document
from kompas.times import parse_date

PUBLIC_MARKING = {"classification": "UNCLASSIFIED", "tlp": "CLEAR"}
REQUIRED = ("id", "as_of", "status", "evidence", "source")
MARKING_KEYS = ("classification", "tlp", "releasable_to", "communities")


@dataclass(frozen=True)
class EvidenceNote:
    """One note of an evidence file (see the module docstring)."""

    commitment_id: str
    as_of: date
    status: str
    evidence: str
    source: str
    seed: Place | None = None
    marking: Mapping = field(default_factory=lambda: dict(PUBLIC_MARKING))

    @property
    def text(self) -> str:
        """The evidence as stored and printed: the fact, then its source in brackets."""
        return f"{self.evidence.strip()} [{self.source.strip()}]"

    def note(self) -> Note:
        return Note(self.as_of, self.status, self.text)


class NoteError(ValueError):
    """A malformed note: the field, the reason and the offending value (``str``: ``field: reason``)."""

    def __init__(self, field: str, reason: str, value: object = "") -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field, self.reason, self.value = field, reason, "" if value in (None, "") else str(value)


def _item(raw: object, ids: Collection[str] | None, default_marking: Mapping) -> EvidenceNote:
    """One note from its YAML form; raises :class:`NoteError`."""
    if not isinstance(raw, dict):
        raise NoteError("", "not a mapping")
    for key in REQUIRED:
        if raw.get(key) in (None, ""):
            raise NoteError(key, "missing")
    cid = str(raw["id"])
    if ids is not None and cid not in ids:
        raise NoteError("id", f"no commitment {cid!r} in the register", cid)
    as_of = raw["as_of"]
    if not isinstance(as_of, date):
        try:
            as_of = parse_date(str(as_of))
        except ValueError:
            raise NoteError("as_of", f"{as_of!r} is not a date YYYY-MM-DD", as_of) from None
    status = str(raw["status"]).strip().lower().replace(" ", "_")
    if status not in STATUSES:
        raise NoteError("status", f"{raw['status']!r} is not one of {', '.join(STATUSES)}", raw["status"])
    seed = None
    if raw.get("seed") is not None:
        if not isinstance(raw["seed"], dict) or raw["seed"].get("source") not in DOCUMENTS:
            raise NoteError("seed", f"needs source (one of {', '.join(DOCUMENTS)}), lines and quote")
        try:
            seed = place_of(raw["seed"], raw["seed"]["source"], "seed")
        except ValueError as error:  # "seed: lines: reason"
            raise NoteError("seed", str(error).removeprefix("seed: ")) from None
    marking = raw.get("marking", default_marking)
    _check_marking(marking)
    return EvidenceNote(cid, as_of, status, str(raw["evidence"]), str(raw["source"]), seed,
                        {"tlp": "AMBER", **marking})


def _check_marking(marking: object) -> None:
    if not isinstance(marking, dict) or "classification" not in marking or not set(marking) <= set(MARKING_KEYS):
        raise NoteError("marking", f"needs classification and at most {', '.join(MARKING_KEYS)}")


def parse_notes(items: object, origin: str, ids: Collection[str] | None = None,
                default_marking: Mapping = PUBLIC_MARKING) -> tuple[list[EvidenceNote], list[Rejection]]:
    """The well-formed notes and a :class:`~kompas.rejections.Rejection` per bad one (unit "item": printed
    ``origin: item N: field: reason``); ``ids``: the register's ids a note must name (``None`` skips that check)."""
    if not isinstance(items, list):
        return [], [Rejection(origin, 0, "", "no 'notes' list", unit="item")]
    good: list[EvidenceNote] = []
    problems: list[Rejection] = []
    for number, raw in enumerate(items, 1):
        try:
            good.append(_item(raw, ids, default_marking))
        except NoteError as error:
            problems.append(Rejection(origin, number, error.field, error.reason, error.value, unit="item"))
    return good, problems


class _TextDates(yaml.SafeLoader):
    """A safe YAML loader that leaves dates as text, so that a bad date is one item's problem, not the file's."""


_TextDates.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def parse_evidence(text: str, source: str, ids: Collection[str] | None = None) -> tuple[
        list[EvidenceNote], list[Rejection]]:
    """The notes of an evidence file's YAML ``text`` and a rejection per malformed item (the good ones still
    count), each naming ``source``; text that is not YAML, or not a mapping with a ``notes`` list, is one
    rejection (item 0). ``ids``: the register's ids a note must name (``None`` skips that check)."""
    try:
        data = yaml_document(text, source, _TextDates) or {}
    except ValueError as error:
        return [], [Rejection(source, 0, "", str(error).removeprefix(f"{source}: "), unit="item")]
    if not isinstance(data, dict):
        return [], [Rejection(source, 0, "", "not a mapping with a 'notes' list", unit="item")]
    default = data.get("marking", PUBLIC_MARKING)
    try:
        _check_marking(default)
    except NoteError as error:
        return [], [Rejection(source, 0, error.field, error.reason, unit="item")]
    return parse_notes(data.get("notes"), source, ids, default)


def by_commitment(notes: Iterable[EvidenceNote], stored: Iterable[Mapping] = ()) -> dict[str, list[Note]]:
    """Status notes by commitment id, as :func:`kompas.compass.status.assess_all` takes them: ``stored`` (rows of
    :meth:`kompas.core.store.Store.commitment_statuses`) and the evidence file's ``notes``; identical notes (the
    public evidence imported into the platform, say) are kept once."""
    found = [(row["commitment_id"], Note(parse_date(row["as_of"]), row["status"], row["evidence"]))
             for row in stored] + [(n.commitment_id, n.note()) for n in notes]
    out: dict[str, list[Note]] = {}
    for cid, note in found:
        if note not in out.setdefault(cid, []):
            out[cid].append(note)
    return out
