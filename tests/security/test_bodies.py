"""Hostile bodies at the HTTP level: XML bombs (billion laughs, quadratic blow-up) and XXE against every route that
takes XML (CCSDS OMM and CDM contributions), JSON nested past any sane depth against every route that takes a body,
and oversized bodies: 413, declared or streamed, answered without the server reading the whole body (checked on a
real server over a socket)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests.core.conftest import fresh_database
from tests.security.conftest import Platform, build_platform

#: every (route, format) that carries XML: found from the contribution schema's formats ending in "-xml"
XML_KINDS = {"omm-xml": "elements", "cdm-xml": "cdm", "oem-xml": "ephemeris"}
LOL = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
       + "".join(f' <!ENTITY lol{k} "{("&lol" + (str(k - 1) if k > 1 else "") + ";") * 10}">\n' for k in range(1, 10))
       + ']>\n')
QUADRATIC = '<?xml version="1.0"?>\n<!DOCTYPE q [<!ENTITY a "' + "A" * 50_000 + '">]>\n'
XXE = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
XXE_PARAMETER = ('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY % ext SYSTEM "http://127.0.0.1:9/evil.dtd"> %ext;]>\n')


def _omm(name: str) -> str:
    return f"""<omm id="CCSDS_OMM_VERS" version="2.0"><header><CREATION_DATE>2026-05-05T00:00:00</CREATION_DATE>
<ORIGINATOR>X</ORIGINATOR></header><body><segment><metadata><OBJECT_NAME>{name}</OBJECT_NAME>
<OBJECT_ID>1998-067A</OBJECT_ID><CENTER_NAME>EARTH</CENTER_NAME><REF_FRAME>TEME</REF_FRAME><TIME_SYSTEM>UTC</TIME_SYSTEM>
<MEAN_ELEMENT_THEORY>SGP4</MEAN_ELEMENT_THEORY></metadata><data><meanElements><EPOCH>2026-05-05T00:00:00</EPOCH>
<MEAN_MOTION>15.5</MEAN_MOTION><ECCENTRICITY>0.0005</ECCENTRICITY><INCLINATION>51.6</INCLINATION>
<RA_OF_ASC_NODE>10</RA_OF_ASC_NODE><ARG_OF_PERICENTER>20</ARG_OF_PERICENTER><MEAN_ANOMALY>30</MEAN_ANOMALY>
</meanElements><tleParameters><NORAD_CAT_ID>25544</NORAD_CAT_ID><BSTAR>0.0001</BSTAR><MEAN_MOTION_DOT>0.0001</MEAN_MOTION_DOT>
<MEAN_MOTION_DDOT>0</MEAN_MOTION_DDOT></tleParameters></data></segment></body></omm>"""


def _cdm(name: str) -> str:
    return f"""<cdm id="CCSDS_CDM_VERS" version="1.0"><header><CREATION_DATE>2026-05-05T00:00:00</CREATION_DATE>
<ORIGINATOR>{name}</ORIGINATOR><MESSAGE_ID>m1</MESSAGE_ID></header><body><relativeMetadataData>
<TCA>2026-05-06T00:00:00</TCA><MISS_DISTANCE>100</MISS_DISTANCE></relativeMetadataData></body></cdm>"""


def _oem(name: str) -> str:
    states = "".join(f"<stateVector><EPOCH>2026-05-05T00:0{k}:00</EPOCH><X>{x}</X><Y>{y}</Y><Z>0.0</Z>"
                     f"<X_DOT>{vx}</X_DOT><Y_DOT>{vy}</Y_DOT><Z_DOT>0.0</Z_DOT></stateVector>"
                     for k, (x, y, vx, vy) in enumerate([(6778.0, 0.0, 0.0, 7.67), (6774.1, 460.0, -0.13, 7.66),
                                                         (6762.4, 919.0, -0.26, 7.64)]))
    return f"""<oem id="CCSDS_OEM_VERS" version="3.0"><header><CREATION_DATE>2026-05-05T00:00:00</CREATION_DATE>
<ORIGINATOR>X</ORIGINATOR></header><body><segment><metadata><OBJECT_NAME>{name}</OBJECT_NAME>
<OBJECT_ID>25544</OBJECT_ID><CENTER_NAME>EARTH</CENTER_NAME><REF_FRAME>GCRF</REF_FRAME><TIME_SYSTEM>UTC</TIME_SYSTEM>
<START_TIME>2026-05-05T00:00:00</START_TIME><STOP_TIME>2026-05-05T00:02:00</STOP_TIME>
<INTERPOLATION>HERMITE</INTERPOLATION><INTERPOLATION_DEGREE>5</INTERPOLATION_DEGREE></metadata>
<data>{states}</data></segment></body></oem>"""


BUILDERS = {"omm-xml": _omm, "cdm-xml": _cdm, "oem-xml": _oem}
LISTINGS = {"omm-xml": "/api/v1/objects", "cdm-xml": "/api/v1/cdms", "oem-xml": "/api/v1/ephemerides"}


@pytest.fixture(scope="module")
def xml_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """The suite's people on an SQLite database of this module's own, with nothing stored (the attacks must leave
    it so)."""
    for url in fresh_database("sqlite", tmp_path_factory, "xml"):
        made = build_platform(url)
        yield made
        made.engine.dispose()
ATTACKS = {"billion-laughs": (LOL, "&lol9;"), "quadratic": (QUADRATIC, "&a;" * 2000), "xxe": (XXE, "&xxe;"),
           "xxe-parameter": (XXE_PARAMETER, "x")}


def test_the_xml_formats_are_the_ones_the_api_takes(platform: Platform) -> None:
    """If a new XML format appears in the contribution schema, it must be added to XML_KINDS (and attacked)."""
    spec = platform.client.get("/openapi.json").text
    import re

    found = set(re.findall(r'"([a-z]+-xml)"', spec))
    assert found == set(XML_KINDS), found


@pytest.mark.parametrize("fmt", sorted(XML_KINDS))
@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_xml_bombs_and_xxe_are_refused(xml_platform: Platform, fmt: str, attack: str) -> None:
    """Each attack in each XML format: a 4xx or a 201 with the item rejected, nothing stored, no file content or
    expansion in the answer, never a server error; a well-formed message of the same format is accepted (so the
    refusal is the attack's, not the format's)."""
    platform = xml_platform
    who = platform.users["s_fr"].headers
    prologue, entity = ATTACKS[attack]
    body = prologue + BUILDERS[fmt](entity).replace('<?xml version="1.0"?>', "")
    response = platform.client.post("/api/v1/contributions", headers=who, json={
        "kind": XML_KINDS[fmt], "format": fmt, "content": body, "marking": {}})
    assert response.status_code in (201, 400, 413, 422), response.text[:300]
    assert "root:" not in response.text and "lollollol" not in response.text and "AAAAAAAAAA" not in response.text
    if response.status_code == 201:
        assert response.json()["accepted"] == 0 and response.json()["rejected"], response.text[:300]
    assert platform.client.get(LISTINGS[fmt], headers=who).json()["items"] == []


@pytest.mark.parametrize("fmt", sorted(XML_KINDS))
def test_xml_nested_too_deep_is_refused(xml_platform: Platform, fmt: str) -> None:
    """An XML message nested 50 000 elements deep inside the content: refused (deeper than any CCSDS message may
    be), never a server error, nothing stored."""
    platform = xml_platform
    deep = "<a>" * 50_000 + "</a>" * 50_000
    body = BUILDERS[fmt]("x").replace("<body>", "<body>" + deep)
    response = platform.client.post("/api/v1/contributions", headers=platform.users["s_fr"].headers, json={
        "kind": XML_KINDS[fmt], "format": fmt, "content": body, "marking": {}})
    assert response.status_code in (201, 400, 413, 422), response.text[:300]
    if response.status_code == 201:
        assert response.json()["accepted"] == 0, f"{fmt} nested 50 000 deep was accepted"


BODY_ROUTES = ["/api/v1/contributions", "/api/v1/fimi/incidents", "/api/v1/events/stix", "/api/v1/fimi/incidents/stix",
               "/api/v1/subscriptions", "/api/v1/markings/combine", "/api/v1/fimi/analyses",
               "/api/v1/commitments/SP-010/status", "/api/v1/reports/fimi", "/api/v1/reports/commitments",
               "/api/v1/reports/threat-landscape", "/api/v1/reports/observatory",
               "/api/v1/conjunction-events/{event_id}/decision", "/api/v1/conjunctions/{conjunction_id}/avoidance"]
BODY_ROUTES += ["/api/v1/events/{event_id}/attributions", "/api/v1/responses",  # issue 22 (helper ATTRIB)
                "/api/v1/events/{event_id}/findings", "/api/v1/cyber/incidents", "/api/v1/cyber/sightings",
                "/api/v1/cyber/inventory", "/api/v1/reports/cyber",
                "/api/v1/responses/{response_id}/steps", "/api/v1/respond", "/api/v1/events/{event_id}/paper"]
BODY_ROUTES += ["/api/v1/infra/stress", "/api/v1/infra/elements", "/api/v1/infra/incidents",
                "/api/v1/reports/infra"]  # issue 24
BODY_ROUTES += ["/api/v1/maritime/ais", "/api/v1/maritime/screen", "/api/v1/reports/maritime"]  # issue 25
BODY_ROUTES += ["/api/v1/intel/items", "/api/v1/intel/items/{item_id}/judgements/{number}",  # issue 26
                "/api/v1/reports/threat-analysis"]
BODY_ROUTES += ["/api/v1/mobility/route", "/api/v1/mobility/route.geojson", "/api/v1/mobility/stress",  # issue 27
                "/api/v1/mobility/rank", "/api/v1/mobility/incidents", "/api/v1/reports/mobility"]
BODY_ROUTES += ["/api/v1/forces/contributions", "/api/v1/forces/generate", "/api/v1/reports/forces",  # issue 28
                "/api/v1/forces/rotations", "/api/v1/forces/deploy"]
BODY_ROUTES += ["/api/v1/isac/reports", "/api/v1/isac/reports/{report_id}/seen"]  # issue 29
BODY_ROUTES += ["/api/v1/exercises/breakup", "/api/v1/exercises/build", "/api/v1/exercises/{code}/release",
                "/api/v1/exercises/{code}/review"]  # issue 29


#: YAML in a request body (the mobility routes' packages and lead-time tables): nested aliases would expand to
#: hundreds of megabytes when walked or printed (found by the issue 27 review: a 415-byte body, a 312 MB answer)
YAML_LOL = "".join(f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}" if k else "lol"] * 9) + "]\n" for k in range(8))


@pytest.mark.parametrize("field", ["borders", "package"])
def test_yaml_alias_bombs_are_refused(platform: Platform, field: str) -> None:
    bomb = YAML_LOL + ("countries: {LT: {days: *a7}}\n" if field == "borders" else
                       "package: {name: x, personnel: *a7}\nitems: [{vehicle: boxer, count: 1}]\n")
    who = next(iter(platform.users.values()))
    answer = platform.client.post("/api/v1/mobility/route", headers=who.headers, json={
        "from": "test:suwalki-barracks", "to": "test:rukla", field: bomb})
    assert answer.status_code == 422 and len(answer.content) < 5_000, (answer.status_code, len(answer.content))
    assert "aliases" in answer.text and "lollol" not in answer.text.replace(" ", "")


def test_every_route_with_a_body_is_attacked(platform: Platform) -> None:
    """Every POST of the OpenAPI spec is in BODY_ROUTES (a new one must be added)."""
    spec = platform.client.get("/openapi.json").json()
    posts = {p.replace("{commitment_id}", "SP-010") for p, ops in spec["paths"].items() if "post" in ops}
    assert posts == set(BODY_ROUTES)


@pytest.mark.parametrize("path", BODY_ROUTES)
def test_json_nested_too_deep_is_a_client_error(platform: Platform, path: str) -> None:
    """A JSON body nested 100 000 deep (arrays, then objects): 400/413/422, never a server error (RecursionError)."""
    who = platform.users["u_es"].headers
    for deep in ("[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000,
                 '{"incidents": ' + "[" * 50_000 + "]" * 50_000 + "}"):
        response = platform.client.post(path, headers={**who, "content-type": "application/json"}, content=deep)
        assert response.status_code in (400, 413, 422), (path, response.status_code, response.text[:300])
        assert "Traceback" not in response.text and "RecursionError" not in response.text


@pytest.mark.parametrize("path", ["/api/v1/markings/combine", "/api/v1/events/stix", "/api/v1/contributions"])
def test_an_oversized_body_is_413(platform: Platform, path: str) -> None:
    """A body over the limit (17 MiB: above the largest bulk import) is 413 with a JSON detail."""
    who = platform.users["u_es"].headers
    big = b'{"x": "' + b"a" * (17 * 1024 * 1024) + b'"}'
    response = platform.client.post(path, headers={**who, "content-type": "application/json"}, content=big)
    assert response.status_code == 413, response.text[:300]
    assert "detail" in response.json()


# ------------------------------------------------------------------- a real server: is the body read at all?


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    """The API served by uvicorn in a thread on a loopback port over a temp SQLite database: (port, token)."""
    import uvicorn

    from kompas.api.app import create_app
    from kompas.core.db import upgrade
    from kompas.core.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('served') / 'kompas.db'}"
    upgrade(url)
    app = create_app(url)
    store: Store = app.state.store
    store.add_org("NL-NSO", "NL")
    token = store.add_user("ann", "NL-NSO", "SECRET")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield port, token
    server.should_exit = True
    thread.join()


def _answer(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


@pytest.mark.parametrize("path", ["/api/v1/markings/combine", "/api/v1/events/stix"])
def test_a_declared_oversized_body_is_refused_before_it_is_sent(served: tuple[int, str], path: str) -> None:
    """Content-Length of 10 GB and not one byte of body sent: the server answers 413 at once (it did not wait for
    the body), and the connection is usable for nothing more."""
    port, token = served
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                     f"Content-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n".encode())
        answer = _answer(sock)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


@pytest.mark.parametrize("path", ["/api/v1/markings/combine", "/api/v1/events/stix"])
def test_a_streamed_oversized_body_is_cut_off(served: tuple[int, str], path: str) -> None:
    """A chunked body of up to 96 MiB with no length: the server answers 413 once it has seen more than its limit
    and stops reading; the client could not send more than the limit plus the socket buffers (64 MiB) before it
    got the answer or the connection closed."""
    port, token = served
    sent, chunk = 0, b"a" * (1024 * 1024)
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                     f"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".encode())
        sock.settimeout(30)
        try:
            while sent < 96 * 1024 * 1024:
                sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                sent += len(chunk)
        except (TimeoutError, BrokenPipeError, ConnectionResetError):
            pass
        try:
            answer = _answer(sock)
        except (TimeoutError, ConnectionResetError):
            answer = b""
    assert sent < 64 * 1024 * 1024, f"the server read {sent} bytes of an oversized body"
    assert answer == b"" or answer.startswith(b"HTTP/1.1 413"), answer[:200]
