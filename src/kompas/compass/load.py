"""Loaders of the commitments register's files: thin adapters that read through :mod:`kompas.files` (the one I/O
layer) and hand the text to the engine's parse functions (:mod:`kompas.compass.register`,
:mod:`kompas.compass.evidence`). The engine modules themselves only parse text.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from kompas.compass.evidence import EvidenceNote, parse_evidence
from kompas.compass.register import Commitment, parse_excluded, parse_register
from kompas.files import files_in, packaged, read_text
from kompas.rejections import Rejection

__all__ = ["EXCLUDED", "PUBLIC_EVIDENCE", "REGISTER", "load_evidence", "load_excluded", "load_register",
           "read_seeds"]

REGISTER = packaged("commitments.yaml")  #: The register shipped with Kompas.
EXCLUDED = packaged("commitments_excluded.yaml")  #: Seed lines the completeness check flags that are not commitments.
PUBLIC_EVIDENCE = packaged("commitments_evidence.yaml")  #: Public evidence shipped with Kompas.


def load_register(path: str | Path = REGISTER) -> list[Commitment]:
    """The register at ``path`` (default: the shipped one); raises ``ValueError`` listing every malformed entry,
    ``OSError`` naming a file that cannot be read."""
    return parse_register(read_text(path), str(path))


def load_excluded(path: str | Path = EXCLUDED) -> list[dict]:
    """The reviewed exclusions at ``path``: ``[{source, line, reason}]``; raises ``ValueError`` on a malformed item,
    ``OSError`` naming a file that cannot be read."""
    return parse_excluded(read_text(path), str(path))


def load_evidence(path: str | Path = PUBLIC_EVIDENCE, ids: Collection[str] | None = None) -> tuple[
        list[EvidenceNote], list[Rejection]]:
    """The notes of the evidence file at ``path`` and a rejection per malformed item (the good ones still count);
    a file that cannot be read is one rejection (item 0) naming it."""
    try:
        text = read_text(path)
    except OSError as error:  # kompas.files: "PATH: reason"
        return [], [Rejection(str(path), 0, "", str(error).removeprefix(f"{path}: "), unit="item")]
    return parse_evidence(text, str(path), ids)


def read_seeds(folder: str | Path) -> dict[str, list[str]]:
    """The seed texts in ``folder`` (``*.txt``, sorted by name): file name -> its lines (as
    :func:`kompas.compass.register.check` takes them); {} when there are none."""
    return {p.name: read_text(p).split("\n") for p in files_in(folder, ".txt")}
