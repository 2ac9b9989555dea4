"""Hypothesis strategies for organisations, viewers and markings (a small world, so that overlaps are common)."""

from __future__ import annotations

from hypothesis import strategies as st

from kompas.core.markings import TLP, Classification, Marking, Viewer

ORGS = {"NL-NSO": "NL", "NL-DEF": "NL", "FR-CNES": "FR", "DE-GSSAC": "DE", "IT-ASI": "IT", "EU-SATCEN": "EU"}
CODES = sorted(ORGS) + sorted(set(ORGS.values()))
COMMUNITIES = ["sst", "fimi", "geo-watch", "rpo"]
#: Items of one exercise (EX-A) among real ones; viewers in the real world, in EX-A, or in another exercise (EX-B),
#: so that exercise items are seen only in their own exercise's context and never in the real world.
EXERCISE = "EX-A"

classifications = st.sampled_from(list(Classification))
communities = st.frozensets(st.sampled_from(COMMUNITIES), max_size=3)


@st.composite
def viewers(draw: st.DrawFn) -> Viewer:
    org = draw(st.sampled_from(sorted(ORGS)))
    return Viewer(draw(classifications), org, ORGS[org], draw(communities),
                  draw(st.sampled_from([None, None, EXERCISE, "EX-B"])))


markings = st.builds(
    Marking,
    classification=classifications,
    tlp=st.sampled_from(list(TLP)),
    releasable_to=st.none() | st.frozensets(st.sampled_from(CODES), max_size=4),
    clauses=st.frozensets(st.frozensets(st.sampled_from(COMMUNITIES), min_size=1, max_size=2), max_size=2),
    originators=st.frozensets(st.sampled_from(sorted(ORGS)), min_size=1, max_size=2),
    caveats=st.frozensets(st.sampled_from(["EYES ONLY", "NOFORN", f"EXERCISE {EXERCISE}"]), max_size=1),
)

#: Markings of the real world only: for properties of what contributors in the real world write (an exercise item is
#: written only in its exercise's context, where the exercise properties of the access tests apply).
real_markings = markings.filter(lambda m: m.exercise is None)
