"""Forces and people on the platform (issue 28), on SQLite and PostgreSQL:

- member states contribute register documents under their markings; a newer document of the same edition supersedes a
  nation's rows of the same section; earlier editions stay for trends;
- every answer (overview, elements, force generation, gaps, trends, review) is computed only from what its reader
  may see and carries the combined marking of the documents whose records it used. The property: for any set of
  contributions under any markings and any reader, each answer equals the answer computed on a store that holds only
  the contributions the reader may see (nothing else can affect it);
- bad rows are named (source, line, field, reason) and the good ones stored."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompas.core.markings import Classification, Marking, Viewer, may_see
from kompas.core.store import Store
from kompas.forces import register
from kompas.forces.model import Caveats, Expert, ForceElement, Register, RotationPool
from kompas.services import forces as service
from tests.core import conftest as databases
from tests.core.conftest import wipe
from tests.core.strategies import real_markings as markings
from tests.core.strategies import viewers

db_url, engine, store = databases.db_url, databases.engine, databases.store  # the store fixtures: SQLite, PostgreSQL

SECRET_NL = Marking.build("SECRET", "AMBER", None, ["rdc-planners"], "NL-DEF")
RESTRICTED_FR = Marking.build("RESTRICTED", "GREEN", None, [], "FR-EMA")


def _element(nation: str, ident: str, caps: dict[str, int], strength: int, ready: int = 5, **kw: object
             ) -> ForceElement:
    return ForceElement(ident, nation, f"{nation} {ident}", "module", "land", strength, ready, caps, **kw)  # type: ignore[arg-type]


def _doc(nation: str, edition: str, elements: list[ForceElement], experts: int = 0) -> str:
    people = [Expert(f"x{k}", nation, "monitor", ("en",), "none", notice_days=5) for k in range(experts)]
    pools = [RotationPool(f"pool-{nation}", nation, "infantry-company", 3, 150)]
    return register.to_json(Register.of([*elements, *people, *pools], edition))


def _people(store: Store) -> dict:
    store.add_org("NL-DEF", "NL", "member-state")
    store.add_org("FR-EMA", "FR", "member-state")
    store.add_org("IT-SMD", "IT", "member-state")
    return {"nl": store.authenticate(store.add_user("nl", "NL-DEF", "SECRET", ["rdc-planners"])),
            "fr": store.authenticate(store.add_user("fr", "FR-EMA", "SECRET")),
            "it": store.authenticate(store.add_user("it", "IT-SMD", "RESTRICTED", ["rdc-planners"]))}


def test_contributions_editions_supersession_and_markings(store: Store) -> None:
    people = _people(store)
    first = _doc("NL", "2026", [_element("NL", "inf-1", {"infantry-company": 1}, 150),
                                _element("NL", "med-1", {"medical-role2": 1}, 60)])
    done = service.contribute(store, people["nl"], first, SECRET_NL, "nl-2026.json")
    assert done.rejected == []
    fr = _doc("FR", "2026", [_element("FR", "helo", {"utility-helicopter": 4}, 120)], experts=3)
    service.contribute(store, people["fr"], fr, RESTRICTED_FR, "fr-2026.json")
    service.contribute(store, people["fr"], _doc("FR", "2025", [_element("FR", "helo", {"utility-helicopter": 2},
                                                                         120)]), RESTRICTED_FR, "fr-2025.json")
    # NL resubmits its elements for 2026: the first document's elements are superseded for everyone who sees both
    second = _doc("NL", "2026", [_element("NL", "inf-2", {"infantry-company": 2}, 300)])
    service.contribute(store, people["nl"], second, SECRET_NL, "nl-2026b.json")

    nl = service.view(store, people["nl"].viewer, "2026")
    assert sorted(e.key for e in nl.register.elements) == ["FR/helo", "NL/inf-2"]
    assert Marking.from_dict(service.overview(nl)["marking"]).classification == Classification.SECRET
    assert len(nl.documents) == 2, "the superseded NL document is not used, so it does not mark the answer"
    # FR (SECRET, outside rdc-planners) and IT (RESTRICTED, inside) see FR's rows only, under FR's marking
    for who in ("fr", "it"):
        v = service.view(store, people[who].viewer, "2026")
        assert [e.key for e in v.register.elements] == ["FR/helo"]
        assert len(v.register.experts) == 3
        answer = service.overview(v)
        assert Marking.from_dict(answer["marking"]).classification == Classification.RESTRICTED
        assert "NL" not in answer["by_nation"] and answer["troops"] == 120
    assert [e["edition"] for e in service.editions(store, people["it"].viewer)] == ["2025", "2026"]
    trend = service.trends(service.views(store, people["it"].viewer))
    assert trend["editions"] == ["2025", "2026"]
    assert {r["capability"]: r["offered"] for r in trend["rows"]}["utility-helicopter"] == [2, 4]
    # a listing is marked with every document of the edition read, not only the rows shown: its total counts rows
    # beyond the page, and the edition read depends on all of them (found by the stranger review)
    listing = service.elements(nl, capability="utility-helicopter", limit=1)
    assert listing["total"] == 1
    assert Marking.from_dict(listing["marking"]).classification == Classification.SECRET


def test_an_organisation_files_for_its_own_state_and_an_add_on_stands_beside(store: Store) -> None:
    """Found by the new-user trial: the Dutch planner filed a German row and so replaced Germany's offer; a
    restricted one-row add-on replaced a nation's unclassified offer for the readers cleared for both."""
    people = _people(store)
    with pytest.raises(service.ForcesError, match="elements.nation: your organisation files for NL only"):
        service.contribute(store, people["nl"], _doc("DE", "2026", [_element("DE", "fake", {"force-hq": 1}, 5)]),
                           SECRET_NL, "nl-files-de.json")
    mixed = _doc("NL", "2026", [_element("NL", "x", {"force-hq": 1}, 5), _element("DE", "y", {"force-hq": 1}, 5)])
    done = service.contribute(store, people["nl"], mixed, SECRET_NL, "mixed.json")
    assert [(r.line, r.field) for r in done.rejected] == [(2, "elements.nation")]
    public_nl = Marking.build("UNCLASSIFIED", "GREEN", None, [], "NL-DEF")
    service.contribute(store, people["nl"], _doc("NL", "2026", [_element("NL", "a", {"infantry-company": 1}, 100),
                                                               _element("NL", "b", {"medical-role2": 1}, 50)]),
                       public_nl, "nl-public.json")
    service.contribute(store, people["nl"], _doc("NL", "2026", [_element("NL", "c", {"isr-uav": 1}, 20)]),
                       SECRET_NL, "nl-add-on.json")
    assert sorted(e.key for e in service.view(store, people["nl"].viewer).register.elements) == ["NL/a", "NL/b",
                                                                                                 "NL/c"]
    assert sorted(e.key for e in service.view(store, people["fr"].viewer).register.elements) == ["NL/a", "NL/b"]
    # a resubmission under the same marking replaces
    service.contribute(store, people["nl"], _doc("NL", "2026", [_element("NL", "a2", {"infantry-company": 2}, 200)]),
                       public_nl, "nl-public-2.json")
    assert sorted(e.key for e in service.view(store, people["nl"].viewer).register.elements) == ["NL/a2", "NL/c"]


def test_bad_rows_are_named_and_the_good_ones_stored(store: Store) -> None:
    people = _people(store)
    csv = ("id,nation,name,type,component,strength,readiness_days,capabilities\n"
           "ok-1,NL,Good company,infantry company,land,150,5,infantry-company:1\n"
           "bad-1,NL,Bad strength,infantry company,land,-3,5,infantry-company:1\n"
           "bad-2,XX,Bad nation,infantry company,land,150,5,infantry-company:1\n")
    done = service.contribute(store, people["nl"], csv, SECRET_NL, "nl.csv", edition="2026")
    assert sorted(r.line for r in done.rejected) == [3, 4]
    assert {r.field for r in done.rejected} == {"strength", "nation"}
    assert all(r.source == "nl.csv" for r in done.rejected)
    v = service.view(store, people["nl"].viewer)
    assert [e.key for e in v.register.elements] == ["NL/ok-1"]
    with pytest.raises(service.ForcesError, match="edition"):
        service.contribute(store, people["nl"], csv, SECRET_NL, "nl.csv")
    with pytest.raises(service.ForcesError, match="no row"):
        service.contribute(store, people["nl"], csv.splitlines()[0] + "\n" + csv.splitlines()[2] + "\n", SECRET_NL,
                           "bad.csv", edition="2026")


def test_generation_uses_only_what_the_planner_may_see(store: Store) -> None:
    people = _people(store)
    service.contribute(store, people["nl"], _doc("NL", "2026", [
        _element("NL", "helo", {"utility-helicopter": 2}, 100)]), SECRET_NL, "nl.json")
    service.contribute(store, people["fr"], _doc("FR", "2026", [
        _element("FR", "inf", {"infantry-company": 2}, 300),
        _element("FR", "inf-slow", {"infantry-company": 2}, 250, ready=40, caveats=Caveats(notes="slow"))]),
        RESTRICTED_FR, "fr.json")
    scenario = service.scenario_from_data({"name": "t", "response_days": 10, "duration_days": 60, "requirements": [
        {"capability": "infantry-company", "quantity": 2}, {"capability": "utility-helicopter", "quantity": 2}]},
        "test")
    full = service.generate(service.view(store, people["nl"].viewer), scenario)
    assert full["status"] == "optimal" and {c["element"] for c in full["chosen"]} == {"FR/inf", "NL/helo"}
    assert Marking.from_dict(full["marking"]).classification == Classification.SECRET
    assert {c["element"]: c["marking"] for c in full["chosen"]}["FR/inf"] == RESTRICTED_FR.banner()
    part = service.generate(service.view(store, people["fr"].viewer), scenario)
    assert part["status"] == "infeasible" and part["partial"]
    assert [m["capability"] for m in part["missing"]] == ["utility-helicopter"]
    assert part["missing"][0]["reason"] == "no element in the register offers it"
    assert Marking.from_dict(part["marking"]).classification == Classification.RESTRICTED
    assert "NL" not in str(part)


# -- the property: nothing a reader may not see affects what they are shown ---------------------------------------

NATIONS = ("NL", "FR", "DE", "IT")
CAPS = ("infantry-company", "medical-role2", "utility-helicopter", "monitor")


@st.composite
def contributions(draw: st.DrawFn) -> list[tuple[str, str, Marking, list[tuple[str, int, int]]]]:
    """(nation, edition, marking, [(capability, quantity, strength)]) per document."""
    out = []
    for _ in range(draw(st.integers(1, 5))):
        rows = draw(st.lists(st.tuples(st.sampled_from(CAPS[:3]), st.integers(1, 3), st.integers(20, 400)),
                             min_size=1, max_size=3))
        out.append((draw(st.sampled_from(NATIONS)), draw(st.sampled_from(("2025", "2026"))), draw(markings), rows))
    return out


def _answers(store: Store, viewer: Viewer | None) -> dict:
    """Every aggregate a reader gets, without the document ids (which differ between the two stores)."""
    def strip(answer: dict) -> dict:
        return {k: v for k, v in answer.items() if k != "documents"}

    try:
        vs = service.views(store, viewer)
    except service.ForcesError:
        return {"none": True}
    scenario = service.scenario_from_data({"name": "p", "response_days": 30, "duration_days": 60, "requirements": [
        {"capability": "infantry-company", "quantity": 2}, {"capability": "medical-role2", "quantity": 1}]}, "p")
    out = {"editions": [e["edition"] for e in service.editions(store, viewer)]}
    for v in vs:
        gen = service.generate(v, scenario, time_limit_s=10)
        gen.pop("seconds")
        out[v.edition] = {"overview": strip(service.overview(v)), "generate": strip(gen),
                          "gaps": strip(service.gaps(v, "rdc-hadr"))}
    if len(vs) > 1:
        out["trends"] = strip(service.trends(vs))
    return out


@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(docs=contributions(), viewer=viewers())
def test_answers_equal_those_of_a_store_holding_only_what_the_reader_may_see(engine, docs, viewer) -> None:
    def fill(only_visible: bool) -> Store:
        wipe(engine)
        s = Store(engine)
        s.add_org("EU-SATCEN", "EU")
        system = s.authenticate(s.add_user("system", "EU-SATCEN", "TOP_SECRET", ["sst", "fimi", "geo-watch", "rpo"]))
        for nation, edition, marking, rows in docs:
            mark = marking if marking.releasable_to is None else replace(
                marking, releasable_to=marking.releasable_to | {"EU-SATCEN"})
            if only_visible and not may_see(viewer, mark):
                continue
            els = [_element(nation, f"e{k}", {cap: qty}, strength) for k, (cap, qty, strength) in enumerate(rows)]
            service.contribute(s, system, _doc(nation, edition, els), mark, "prop.json")
        return s

    seen = _answers(fill(False), viewer)
    alone = _answers(fill(True), None)
    assert seen == alone
