"""Hypothesis strategies for organisations, viewers and markings (a small world, so that overlaps are common)."""

from __future__ import annotations

from hypothesis import strategies as st

from kompas.core.markings import TLP, Classification, Marking, Viewer

ORGS = {"NL-NSO": "NL", "NL-DEF": "NL", "FR-CNES": "FR", "DE-GSSAC": "DE", "IT-ASI": "IT", "EU-SATCEN": "EU"}
CODES = sorted(ORGS) + sorted(set(ORGS.values()))
COMMUNITIES = ["sst", "fimi", "geo-watch", "rpo"]

classifications = st.sampled_from(list(Classification))
communities = st.frozensets(st.sampled_from(COMMUNITIES), max_size=3)


@st.composite
def viewers(draw: st.DrawFn) -> Viewer:
    org = draw(st.sampled_from(sorted(ORGS)))
    return Viewer(draw(classifications), org, ORGS[org], draw(communities))


markings = st.builds(
    Marking,
    classification=classifications,
    tlp=st.sampled_from(list(TLP)),
    releasable_to=st.none() | st.frozensets(st.sampled_from(CODES), max_size=4),
    clauses=st.frozensets(st.frozensets(st.sampled_from(COMMUNITIES), min_size=1, max_size=2), max_size=2),
    originators=st.frozensets(st.sampled_from(sorted(ORGS)), min_size=1, max_size=2),
    caveats=st.frozensets(st.sampled_from(["EYES ONLY", "NOFORN"]), max_size=1),
)
