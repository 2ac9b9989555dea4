"""Kompas: shared situational awareness for EU security and defence.

Engines (``kompas.space``) compute; the platform core stores and enforces markings; adapters
(``kompas.cli``) parse, call and format. See README.md and docs in ../shared/docs/DESIGN.md.
"""

__version__ = "0.1.0"
