"""Readers for the intelligence engine: the two MISP taxonomies it parses, read once per process.

The only module of :mod:`kompas.intel` that reads files; it reads the copies shipped in
``kompas/data/cyber/taxonomies`` (byte-for-byte from MISP/misp-taxonomies, CC0/BSD-2) through
:func:`kompas.cyber.taxonomy.read_taxonomy` (that is, through :mod:`kompas.files`) and hands them to the pure
parsers.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kompas.cyber.taxonomy import read_taxonomy
from kompas.intel.grading import AdmiraltyScale
from kompas.intel.grading import parse_scale as parse_admiralty
from kompas.intel.language import Scale
from kompas.intel.language import parse_scale as parse_estimative

ADMIRALTY = "admiralty-scale"
ESTIMATIVE = "estimative-language"


def admiralty_scale(folder: str | Path | None = None) -> AdmiraltyScale:
    """The admiralty scale from ``<folder>/admiralty-scale/machinetag.json`` (default: the shipped copy, read once)."""
    return _admiralty() if folder is None else parse_admiralty(read_taxonomy(ADMIRALTY, folder), str(folder))


def estimative_scale(folder: str | Path | None = None) -> Scale:
    """The ICD 203 likelihood scale from ``<folder>/estimative-language/machinetag.json`` (default: the shipped
    copy, read once)."""
    return _estimative() if folder is None else parse_estimative(read_taxonomy(ESTIMATIVE, folder), str(folder))


@cache
def _admiralty() -> AdmiraltyScale:
    return parse_admiralty(read_taxonomy(ADMIRALTY), ADMIRALTY)


@cache
def _estimative() -> Scale:
    return parse_estimative(read_taxonomy(ESTIMATIVE), ESTIMATIVE)
