"""FIMI engine: foreign information manipulation and interference incidents and their analysis.

Pure computation on plain dataclasses and NumPy arrays (no database, no HTTP), per DESIGN.md:

- :mod:`~kompas.fimi.incident`: the incident model (actors and their attribution category, channels, targets,
  narratives, DISARM techniques, evidence) and its validation;
- :mod:`~kompas.fimi.euvsdisinfo`, :mod:`~kompas.fimi.disarm`, :mod:`~kompas.fimi.stix`: readers and writers of
  the EUvsDisinfo case database, the DISARM framework and incidents, and STIX 2.1 bundles;
- :mod:`~kompas.fimi.dedup`: the same case arriving twice, merged with the merge recorded;
- :mod:`~kompas.fimi.narratives`, :mod:`~kompas.fimi.surges`, :mod:`~kompas.fimi.trends`: narrative clustering,
  coordinated-surge detection, trends and the DISARM technique matrix;
- :mod:`~kompas.fimi.response`: candidate countermeasures (DISARM blue framework) and FIMI toolbox categories.

The engine parses text; :mod:`~kompas.fimi.load` reads its files (through :mod:`kompas.files`).
"""
