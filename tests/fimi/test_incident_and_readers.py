"""The incident model, its validation and the readers, on small self-written inputs with known answers."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from kompas.fimi import euvsdisinfo
from kompas.fimi import load as fimi_load
from kompas.fimi.incident import Incident, IncidentError, from_dict, from_items
from kompas.fimi.load import load_attribution, load_inference

HEADER = "date,id,title,countries,keywords,languages,outlets\n"
CASES = HEADER + (
    "2020-03-12,https://euvsdisinfo.eu/report/a/,Virus made in a lab,US+China,coronavirus+Conspiracy theory,"
    "Russian+Arabic,RT Arabic+Show more+blog.example - YouTube\n"
    "2020-13-01,https://euvsdisinfo.eu/report/b/,Bad date,US,x,English,Out\n"
    "2020-03-13,https://example.org/c/,Not a case URL,US,x,English,Out\n"
    "2020-03-13,https://euvsdisinfo.eu/report/d/,,US,x,English,Out\n"
    "2020-03-14,https://euvsdisinfo.eu/report/e/,Too few fields\n"
    "2020-03-15,https://euvsdisinfo.eu/report/a/,Same case again,US,x,English,Out\n"
    "2020-03-16,https://euvsdisinfo.eu/report/f/,\"Quoted, with comma\",Germany,Nazi/Fascist,German,Unknown blog\n")
LINKS = "id,publication,archive\nhttps://euvsdisinfo.eu/report/a/,https://rt.example/a,http://archive.example/a\n" \
        "https://euvsdisinfo.eu/report/a/,not a url,\n"


def test_cases_are_read_and_each_bad_row_reported_precisely(tmp_path) -> None:
    (tmp_path / "posts.csv").write_text(CASES)
    (tmp_path / "publications.csv").write_text(LINKS)
    read = fimi_load.read(tmp_path)
    assert read.format == "euvsdisinfo"
    assert [i.ref.rsplit("/", 2)[1] for i in read.incidents] == ["a", "f"]
    problems = {(r.source.rsplit("/", 1)[1], r.line, r.field) for r in read.rejections}
    assert problems == {("posts.csv", 3, "date"), ("posts.csv", 4, "id"), ("posts.csv", 5, "title"),
                        ("posts.csv", 6, "row"), ("posts.csv", 7, "id"), ("publications.csv", 3, "publication")}
    first = read.incidents[0]
    assert [c.name for c in first.channels] == ["RT Arabic", "blog.example - YouTube"]  # "Show more" is no outlet
    assert first.channels[0].category == "state-controlled-outlet" and first.attribution == "state-controlled-outlet"
    assert [(a.state, a.category) for a in first.actors] == [("RUS", "state-controlled-outlet")]
    assert [t.name for t in first.targets] == ["US", "China"] and first.languages == ["Russian", "Arabic"]
    assert first.narratives == ["coronavirus", "Conspiracy theory"]
    assert set(first.techniques) == {"T0022", "T0068", "T0152.006"}  # conspiracy tag, crisis tag, video platform
    assert [e.url for e in first.evidence] == ["https://euvsdisinfo.eu/report/a/", "https://rt.example/a"]
    assert first.evidence[1].archive_url == "http://archive.example/a" and first.confidence == "high"
    assert read.incidents[1].title == "Quoted, with comma" and read.incidents[1].attribution == "unattributed"


def test_attribution_rules_first_match_wins(tmp_path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n- {pattern: 'Sputnik', category: state-controlled-outlet, state: RUS}\n"
                    "- {pattern: '.', category: state-aligned}\n")
    rules = load_attribution(path)
    assert rules.classify("Sputnik Polska").category == "state-controlled-outlet"
    assert rules.classify("anything").category == "state-aligned"
    path.write_text("rules:\n- {pattern: 'x', category: friendly}\n")
    try:
        load_attribution(path)
    except ValueError as error:
        assert "category 'friendly'" in str(error)
    else:
        raise AssertionError("an unknown category must be refused")


def test_shipped_rules_classify_known_channels() -> None:
    rules = load_attribution()
    assert rules.classify("Sputnik Poland").category == "state-controlled-outlet"
    assert rules.classify("TASS - Russian").category == "state-controlled-outlet"
    assert rules.classify("60 minut @Rossiya 1 - YouTube").category == "state-controlled-outlet"
    assert rules.classify("Reporter.example").category == "unattributed"  # "rt" inside a word is not RT
    inference = load_inference()
    assert inference.techniques(["conspiracy THEORY"], ["x - YouTube"]) == ["T0022", "T0152.006"]


def test_json_form_round_trips_and_bad_fields_are_named() -> None:
    data = {"title": "Claim", "first_seen": "2024-05-01", "last_seen": "2024-05-03",
            "actors": [{"name": "RUS", "category": "state-linked", "state": "RUS"}],
            "channels": [{"name": "Example TV", "url": "https://tv.example"}], "targets": [{"name": "EU"}],
            "techniques": ["T0022", "T0049.001"], "evidence": [{"url": "https://x.example/1"}]}
    incident = from_dict(data)
    assert from_dict(incident.as_dict(), "api") == incident
    for field, value, where in (("first_seen", "2024-02-30", "first_seen"), ("techniques", ["T22"], "techniques"),
                                ("last_seen", "2024-04-01", "last_seen"), ("confidence", "sure", "confidence"),
                                ("channels", [{"name": "x", "url": "ftp://x"}], "channels.url"),
                                ("actors", [{"name": "x", "category": "friendly"}], "actors.category"),
                                ("title", "   ", "title")):
        try:
            from_dict({**data, field: value})
        except IncidentError as error:
            assert error.field == where
        else:
            raise AssertionError(f"{field}={value!r} must be refused")
    good, bad = from_items([data, {"title": 5}, "text"], "api")
    assert len(good) == 1 and [(r.line, r.field) for r in bad] == [(2, "title"), (3, "incident")]


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                        st.sampled_from(["title", "first_seen", "actors", "channels", "techniques", "evidence",
                                         "targets", "languages", "name", "url", "summary"]), inner, max_size=5),
                    max_leaves=20))
def test_any_json_is_an_incident_or_a_named_rejection(data) -> None:
    try:
        incident = from_dict(data)
    except IncidentError as error:
        assert error.field
    else:
        assert isinstance(incident, Incident) and from_dict(incident.as_dict()) == incident


@given(st.lists(st.text(max_size=60), max_size=8))
def test_any_cases_text_gives_incidents_or_rejections_never_a_crash(lines) -> None:
    text = HEADER + "\n".join(lines)
    parsed = euvsdisinfo.read_cases(text, "fuzz.csv")
    for r in parsed.rejections:
        assert r.source == "fuzz.csv" and r.line >= 2 and r.field


def test_json_list_reader(tmp_path) -> None:
    path = tmp_path / "incidents.json"
    path.write_text(json.dumps([{"title": "A", "first_seen": "2024-01-01"}, {"first_seen": "2024-01-01"}]))
    read = fimi_load.read(path)
    assert read.format == "json" and len(read.incidents) == 1
    assert [(r.line, r.field) for r in read.rejections] == [(2, "title")]
