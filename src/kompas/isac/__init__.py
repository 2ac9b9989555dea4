"""The Space ISAC engine (issue 29, item 1): members' incident reports, as the Space ISAC's contribution to OASIS
SATIS maps them to STIX 2.1, clustered into "me too" surges and linked to resilience practices. Pure: no database,
no network; files are read only by the loader functions that take a path.

- :mod:`kompas.isac.model`: the report (:class:`~kompas.isac.model.IsacReport`), its vocabularies, PAP, bands;
- :mod:`kompas.isac.reader`: the Kompas ISAC JSON form and the Space ISAC notional reporting format (text);
- :mod:`kompas.isac.stix` and :mod:`kompas.isac.misp`: STIX 2.1 bundles (out and back) and MISP events;
- :mod:`kompas.isac.cluster`: clusters of similar interference reports and surges;
- :mod:`kompas.isac.controls`: ENISA's Space Threat Landscape controls, linked by threat;
- :mod:`kompas.isac.sparta`: the SPARTA technique vocabulary and the check of reports' ids;
- :mod:`kompas.isac.enrich`: space-segment enrichment from element sets (orbit, sets before and after, neighbours).
"""
