"""Space domain awareness engine: element sets, catalogue, SGP4 propagation, reference frames.

Pure computation on NumPy arrays and dataclasses; file reading lives in :mod:`kompas.files`.
"""

from kompas.space.catalog import Catalog, CatalogObject
from kompas.space.elements import ElementSet, ObjectInfo, Rejection
from kompas.space.frames import FRAMES, rotation_from_teme
from kompas.space.ingest import IngestReport, ingest, parse_text
from kompas.space.propagation import SGP4_ERRORS, States, propagate, propagate_all, time_grid

__all__ = ["Catalog", "CatalogObject", "ElementSet", "FRAMES", "IngestReport", "ObjectInfo", "Rejection",
           "SGP4_ERRORS", "States", "ingest", "parse_text", "propagate", "propagate_all", "rotation_from_teme",
           "time_grid"]
