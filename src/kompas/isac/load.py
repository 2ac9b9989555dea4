"""Readers for the ISAC engine: the only module of :mod:`kompas.isac` that reads files (through
:mod:`kompas.files`), handing their contents to the pure parsers.

- :func:`load_vocabulary`: SPARTA's technique galaxy (``../shared/data/space-threats/sparta``; read from
  ``../shared`` only, SPARTA's terms being unverified);
- :func:`read_json`, :func:`read_notional`, :func:`read_satis_document`: contributed reports
  (:mod:`kompas.isac.reader`); the SATIS document is read from ``../shared`` only (an OASIS TC contribution);
- :func:`read_workbook`, :func:`load_library`: ENISA's control framework workbook, a JSON extract, or the shipped
  CC BY sample (:data:`kompas.isac.controls.SAMPLE`), read once per process when no path is given.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kompas.files import packaged, read_bytes, read_text
from kompas.isac.controls import SAMPLE, ControlLibrary, parse_library_json, parse_workbook_bytes
from kompas.isac.reader import Contributor, ReadResult, parse_json, parse_notional, parse_satis_document
from kompas.isac.sparta import Vocabulary, parse_vocabulary

__all__ = ["load_library", "load_vocabulary", "read_json", "read_notional", "read_satis_document", "read_workbook"]


def load_vocabulary(path: str | Path) -> Vocabulary:
    """The SPARTA vocabulary from ``path``: the galaxy's ``sparta-techniques.json`` or the folder holding it."""
    where = Path(path)
    if where.is_dir():
        where = where / "sparta-techniques.json"
    return parse_vocabulary(read_text(where), str(where))


def read_json(path: str | Path) -> ReadResult:
    """Reports from a Kompas ISAC JSON file."""
    return parse_json(read_text(path), str(path))


def read_notional(path: str | Path, contributor: Contributor | None = None,
                  vocabulary: Vocabulary | None = None) -> ReadResult:
    """One report in the Space ISAC notional reporting format from a text file."""
    return parse_notional(read_text(path), str(path), 1, contributor, vocabulary)


def read_satis_document(path: str | Path, contributor: Contributor | None = None,
                        vocabulary: Vocabulary | None = None) -> ReadResult:
    """The use cases of the SATIS proof-of-concept document (:func:`kompas.isac.reader.parse_satis_document`)."""
    return parse_satis_document(read_text(path), str(path), contributor, vocabulary)


def read_workbook(path: str | Path) -> ControlLibrary:
    """ENISA's control framework workbook (:func:`kompas.isac.controls.parse_workbook_bytes`)."""
    return parse_workbook_bytes(read_bytes(path), str(path))


def load_library(path: str | Path | None = None) -> ControlLibrary:
    """The control library from ``path``: ENISA's workbook (``.xlsx``) or a JSON extract; without a path, the
    shipped sample (read once per process)."""
    if path is None:
        return _sample()
    if str(path).lower().endswith(".xlsx"):
        return read_workbook(path)
    return parse_library_json(read_text(path), str(path))


@cache
def _sample() -> ControlLibrary:
    return parse_library_json(read_text(packaged(SAMPLE)), f"kompas/data/{SAMPLE}")
