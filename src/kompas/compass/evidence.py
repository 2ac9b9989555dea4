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

Kompas ships one such file (:data:`PUBLIC_EVIDENCE`) holding only facts from public documents. Other files, such
as a ministry's own assessment, are stored through the platform under their markings with
``kompas compass import-evidence``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kompas.compass.register import DATA, DOCUMENTS, Place, place_of
from kompas.compass.status import STATUSES, Note

PUBLIC_EVIDENCE = DATA / "commitments_evidence.yaml"  #: Public evidence shipped with Kompas.
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


def _item(raw: object, ids: Collection[str] | None, default_marking: Mapping) -> EvidenceNote:
    """One note from its YAML form; raises ``ValueError('field: reason')``."""
    if not isinstance(raw, dict):
        raise ValueError("not a mapping")
    for key in REQUIRED:
        if raw.get(key) in (None, ""):
            raise ValueError(f"{key}: missing")
    cid = str(raw["id"])
    if ids is not None and cid not in ids:
        raise ValueError(f"id: no commitment {cid!r} in the register")
    as_of = raw["as_of"]
    if not isinstance(as_of, date):
        try:
            as_of = date.fromisoformat(str(as_of))
        except ValueError:
            raise ValueError(f"as_of: {as_of!r} is not a date YYYY-MM-DD") from None
    status = str(raw["status"]).strip().lower().replace(" ", "_")
    if status not in STATUSES:
        raise ValueError(f"status: {raw['status']!r} is not one of {', '.join(STATUSES)}")
    seed = None
    if raw.get("seed") is not None:
        if not isinstance(raw["seed"], dict) or raw["seed"].get("source") not in DOCUMENTS:
            raise ValueError(f"seed: needs source (one of {', '.join(DOCUMENTS)}), lines and quote")
        seed = place_of(raw["seed"], raw["seed"]["source"], "seed")
    marking = raw.get("marking", default_marking)
    _check_marking(marking)
    return EvidenceNote(cid, as_of, status, str(raw["evidence"]), str(raw["source"]), seed,
                        {"tlp": "AMBER", **marking})


def _check_marking(marking: object) -> None:
    if not isinstance(marking, dict) or "classification" not in marking or not set(marking) <= set(MARKING_KEYS):
        raise ValueError(f"marking: needs classification and at most {', '.join(MARKING_KEYS)}")


def parse_notes(items: object, origin: str, ids: Collection[str] | None = None,
                default_marking: Mapping = PUBLIC_MARKING) -> tuple[list[EvidenceNote], list[str]]:
    """The well-formed notes and, for each bad one, ``origin: item N: field: reason`` (``ids``: the register's
    ids a note must name; ``None`` skips that check)."""
    if not isinstance(items, list):
        return [], [f"{origin}: no 'notes' list"]
    good, problems = [], []
    for number, raw in enumerate(items, 1):
        try:
            good.append(_item(raw, ids, default_marking))
        except ValueError as error:
            problems.append(f"{origin}: item {number}: {error}")
    return good, problems


def load_evidence(path: str | Path = PUBLIC_EVIDENCE, ids: Collection[str] | None = None) -> tuple[
        list[EvidenceNote], list[str]]:
    """The notes of the evidence file at ``path`` and the problems of its malformed items (the good ones still
    count); an unreadable file is one problem."""
    import yaml

    class Loader(yaml.SafeLoader):
        """Dates stay text, so that a bad date is one item's problem, not the file's."""

    Loader.yaml_implicit_resolvers = {first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
                                      for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    try:
        data = yaml.load(Path(path).read_text(), Loader=Loader) or {}  # noqa: S506 (a SafeLoader)
    except (OSError, yaml.YAMLError) as error:
        return [], [f"{path}: {error}"]
    if not isinstance(data, dict):
        return [], [f"{path}: not a mapping with a 'notes' list"]
    default = data.get("marking", PUBLIC_MARKING)
    try:
        _check_marking(default)
    except ValueError as error:
        return [], [f"{path}: {error}"]
    return parse_notes(data.get("notes"), str(path), ids, default)


def by_commitment(notes: Iterable[EvidenceNote], stored: Iterable[Mapping] = ()) -> dict[str, list[Note]]:
    """Status notes by commitment id, as :func:`kompas.compass.status.assess_all` takes them: ``stored`` (rows of
    :meth:`kompas.core.store.Store.commitment_statuses`) and the evidence file's ``notes``; identical notes (the
    public evidence imported into the platform, say) are kept once."""
    found = [(row["commitment_id"], Note(date.fromisoformat(row["as_of"]), row["status"], row["evidence"]))
             for row in stored] + [(n.commitment_id, n.note()) for n in notes]
    out: dict[str, list[Note]] = {}
    for cid, note in found:
        if note not in out.setdefault(cid, []):
            out[cid].append(note)
    return out
