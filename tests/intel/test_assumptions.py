"""Key assumptions checks: rows, statuses, counts, links to evidence, JSON."""

from __future__ import annotations

from dataclasses import replace

from kompas.intel.assumptions import Assumption, KeyAssumptionsCheck
from kompas.intel.model import Citation, cited_ids

CHECK = KeyAssumptionsCheck("Border outlook: key assumptions", (
    Assumption("The regime wants to avoid open war", "Statements and force posture since 2024", "supported", "",
               (Citation("report", "17"),)),
    Assumption("Logistics limit any offensive to 3 weeks", "Rail capacity estimates", "caveated",
               "New rail heads near the border", (Citation("event", "e-1"), Citation("report", "17"))),
    Assumption("Neighbours will not intervene", "Nothing beyond their past behaviour", "unsupported",
               "Mobilisation orders in a neighbouring state"),
    Assumption("Winter stops operations", "Terrain studies", "caveated", "A dry, cold winter"),
))


def test_summary_counts():
    assert CHECK.problems() == []
    assert CHECK.summary() == {"supported": 1, "caveated": 2, "unsupported": 1, "total": 4}
    assert [a.status for a in CHECK.weakest()] == ["unsupported", "caveated", "caveated"]
    assert KeyAssumptionsCheck("empty").summary() == {"supported": 0, "caveated": 0, "unsupported": 0, "total": 0}


def test_linked_evidence():
    assert CHECK.citations == (Citation("report", "17"), Citation("event", "e-1"))
    assert cited_ids(CHECK) == {"report": ("17",), "event": ("e-1",), "assessment": (), "board": ()}


def test_problems():
    row = CHECK.assumptions[2]
    assert [f for f, _ in replace(row, status="likely").problems()] == ["status"]
    # what would undermine it is required unless it is supported
    assert [f for f, _ in replace(row, undermined_by="").problems()] == ["undermined_by"]
    assert replace(CHECK.assumptions[0], undermined_by="").problems() == []
    twice = replace(row, evidence=(Citation("report", "1"), Citation("report", "1")))
    assert [f for f, _ in twice.problems()] == ["evidence[1]"]
    nested = replace(CHECK, assumptions=(replace(row, basis=""),))
    assert [f for f, _ in nested.problems()] == ["assumptions[0].basis"]


def test_json_round_trip():
    data = CHECK.as_dict()
    assert data["summary"]["total"] == 4
    again, problems = KeyAssumptionsCheck.from_dict(data)
    assert problems == [] and again == CHECK
    data["assumptions"][1]["status"] = "Caveated"
    again, problems = KeyAssumptionsCheck.from_dict(data)
    assert problems == [] and again == CHECK
    data["assumptions"][0]["evidence"] = [{"kind": "rumour", "id": "1"}]
    made, problems = KeyAssumptionsCheck.from_dict(data)
    assert made is None and [f for f, _ in problems] == ["assumptions[0].evidence[0].kind"]
