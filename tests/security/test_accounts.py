"""Issue 18, accounts findings: #6 rate limits before authentication and bounded audit rows for failed ones,
#8 organisation codes apart from country codes, #10 token expiry, revocation and rotation, #13 organisation-level
attribution for other organisations' viewers.

The limiters run with their default settings here; their clock is frozen (a fixed ``time.monotonic`` inside
:mod:`kompas.api.middleware` only), so the counts are exact and nothing depends on how fast the machine is."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kompas.api import middleware
from kompas.api.app import create_app
from kompas.core.access import open_session, visible_markings
from kompas.core.db import make_engine, upgrade
from kompas.core.markings import Classification, Marking, Viewer
from kompas.core.models import ApiToken, AuditEntry
from kompas.core.store import Store, StoreError, hash_token
from tests.core.conftest import _postgres_database, db_url, engine, store  # noqa: F401 (pytest fixtures)

BAD = {"Authorization": "Bearer kmp_not-a-token"}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + token}


def _last_seq(store: Store) -> int:  # noqa: F811 (the store fixture's type)
    with store.engine.connect() as connection:
        return connection.execute(sa.select(sa.func.coalesce(sa.func.max(AuditEntry.seq), 0))).scalar_one()


def _audit_since(store: Store, seq: int, action: str) -> list[AuditEntry]:  # noqa: F811
    with open_session(store.engine, None) as s:
        return list(s.scalars(sa.select(AuditEntry).where(AuditEntry.seq > seq, AuditEntry.action == action)
                              .order_by(AuditEntry.seq)))


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limiters' clock stands still: buckets never refill during the test."""
    monkeypatch.setattr(middleware, "time", SimpleNamespace(monotonic=lambda: 1000.0))


@pytest.fixture
def people(store: Store) -> dict[str, str]:  # noqa: F811 (the store fixture)
    """ann and carl in NL-NSO (NL), bob in FR-CNES (FR): their tokens."""
    store.add_org("NL-NSO", "NL")
    store.add_org("FR-CNES", "FR", "agency")
    return {"ann": store.add_user("ann", "NL-NSO", "SECRET"), "carl": store.add_user("carl", "NL-NSO", "SECRET"),
            "bob": store.add_user("bob", "FR-CNES", "SECRET")}


# --- #6: limits before authentication, bounded audit rows, per-account limit -------------------------------------


def test_failed_authentications_are_limited_per_address_and_do_not_grow_the_audit_log(
        store: Store, people: dict, frozen: None) -> None:  # noqa: F811
    app = create_app(store.engine)
    attacker = TestClient(app, raise_server_exceptions=False, client=("203.0.113.7", 40000))
    start = _last_seq(store)
    answers = [attacker.get("/api/v1/whoami", headers=BAD) for _ in range(300)]
    codes = [a.status_code for a in answers]
    allowed, reached = int(middleware.AUTH_FAILURES_PER_MIN), int(middleware.ADDRESS_BURST)
    assert allowed < reached < 300 and codes == [401] * reached + [429] * (300 - reached)
    # the address limit answers before authentication: the last requests never reached it
    assert all(a.json()["detail"] == "too many requests from this address" and int(a.headers["Retry-After"]) >= 1
               for a in answers[reached:])
    # only the first failures of the minute are audited one by one; the others (still 401) are counted
    rows = _audit_since(store, start, "authenticate")
    assert len(rows) == allowed and all("unknown token from 203.0.113.7" in r.detail for r in rows)
    # another address (a legitimate user) is served meanwhile
    user = TestClient(app, raise_server_exceptions=False, client=("198.51.100.9", 40000))
    assert user.get("/api/v1/whoami", headers=_bearer(people["bob"])).status_code == 200
    # the failures only counted are summarised in one row
    assert app.state.failures.flush(everything=True) == 1
    summary = _audit_since(store, start, "authenticate")[-1]
    assert summary.target == "address 203.0.113.7" and summary.detail.startswith(f"{reached - allowed} further ")


def test_one_account_at_its_limit_leaves_room_for_another_at_the_same_address(
        store: Store, people: dict, frozen: None) -> None:  # noqa: F811
    client = TestClient(create_app(store.engine), raise_server_exceptions=False, client=("192.0.2.1", 40000))
    start = _last_seq(store)
    codes = [client.get("/api/v1/whoami", headers=_bearer(people["ann"])).status_code for _ in range(120)]
    burst = int(middleware.RATE_BURST)
    assert burst <= 100 and codes == [200] * burst + [429] * (120 - burst)
    assert client.get("/api/v1/whoami", headers=_bearer(people["bob"])).status_code == 200
    denials = _audit_since(store, start, "rate-limit")
    assert len(denials) == 1 and denials[0].actor == "ann"  # one audit row per episode, not one per refusal


# --- #8: organisation codes and country codes are separate namespaces -------------------------------------------


@pytest.mark.parametrize("code", ["DE", "de", "DEU", "EU", "UK"])
def test_an_organisation_code_may_not_be_a_country_code(store: Store, code: str) -> None:  # noqa: F811
    with pytest.raises(StoreError, match="is an ISO 3166 country code"):
        store.add_org(code, "US")
    assert not store.org_exists(code)


@pytest.mark.parametrize("country", ["XX", "DEU", "Germany", "ZZ"])
def test_an_organisation_country_must_be_iso_3166_alpha_2(store: Store, country: str) -> None:  # noqa: F811
    with pytest.raises(StoreError, match="not an ISO 3166-1 alpha-2 country code"):
        store.add_org("X-AGENCY", country)


def test_rel_to_a_country_reaches_only_organisations_in_that_country(store: Store) -> None:  # noqa: F811
    store.add_org("DE-BSI", "DE")
    store.add_org("US-SPACECOM", "US")
    german = store.authenticate(store.add_user("g", "DE-BSI", "SECRET"))
    american = store.authenticate(store.add_user("a", "US-SPACECOM", "SECRET"))
    assert german is not None and american is not None
    event = store.add_event("manoeuvre", "2026-05-01T00:00:00.000000000Z", [25544], "for Germany",
                            Marking.build(releasable_to=["DE"]))
    assert store.event(german.viewer, event) is not None and store.event(american.viewer, event) is None


def test_the_command_line_refuses_a_country_code_as_organisation_code(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from kompas.cli import app

    monkeypatch.setenv("KOMPAS_HOME", str(tmp_path))
    monkeypatch.delenv("KOMPAS_DB", raising=False)
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["admin", "add-org", "DE", "--country", "US"])
    text = " ".join(result.output.split())
    assert result.exit_code == 2 and "is an ISO 3166 country code" in text and "Traceback" not in text


def _database(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
    else:
        yield from _postgres_database("accmig")


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_migration_renames_clashing_organisations_keeps_access_and_existing_tokens(kind: str,
                                                                                       tmp_path: Path) -> None:
    for url in _database(kind, tmp_path):
        upgrade(url, "0008")
        old = sa.create_engine(url)
        with old.begin() as c:
            c.execute(sa.text("INSERT INTO organisations (id, code, country, kind, name) VALUES "
                              "(1, 'DE', 'US', 'agency', 'clash'), (2, 'DE-BSI', 'DE', 'agency', 'German')"))
            c.execute(sa.text("INSERT INTO users (id, name, org_id, clearance, token_hash, created_utc) VALUES "
                              "(1, 'ann', 1, 2, :h, '2026-01-01T00:00:00.000000000Z')"), {"h": hash_token("kmp_x")})
            # contributed by the organisation DE, releasable to "DE" and FR
            c.execute(sa.text("INSERT INTO markings (id, key, classification, tlp, releasable_to_all, originators,"
                              " caveats) VALUES (1, 'UNCLASSIFIED|AMBER|DE,FR||DE|', 0, 2, :f, 'DE', '')"),
                      {"f": False})
            c.execute(sa.text("INSERT INTO marking_releases (marking_id, code) VALUES (1, 'DE'), (1, 'FR')"))
        old.dispose()
        upgrade(url)
        engine = make_engine(url)  # noqa: F811 (not the fixture)
        try:
            store = Store(engine)  # noqa: F811
            ann = store.authenticate("kmp_x")  # the token from before the upgrade still works, now with an expiry
            assert ann is not None and ann.org == "DE-ORG" and ann.viewer.country == "US"
            assert [t.status for t in store.tokens("ann")] == ["active"]
            with open_session(engine, None) as s:
                row = s.execute(sa.text("SELECT key, originators FROM markings WHERE id = 1")).one()
                seen = {v: set(s.scalars(visible_markings(v))) for v in (
                    ann.viewer, Viewer(Classification.SECRET, "DE-BSI", "DE"),
                    Viewer(Classification.SECRET, "US-X", "US"))}
            assert row == ("UNCLASSIFIED|AMBER|DE,DE-ORG,FR||DE-ORG|", "DE-ORG")
            assert [1 in ids for ids in seen.values()] == [True, True, False]
            with pytest.raises(StoreError):
                store.add_org("DE", "US")
        finally:
            engine.dispose()


# --- #10: tokens expire and can be revoked, rotated and listed -----------------------------------------------------


def test_tokens_expire_after_90_days_by_default(store: Store, people: dict) -> None:  # noqa: F811
    import numpy as np

    [info] = store.tokens("ann")
    days = (np.datetime64(info.expires_utc[:-1]) - np.datetime64(info.created_utc[:-1])) / np.timedelta64(1, "D")
    assert info.status == "active" and abs(days - 90) < 1e-6


def test_expired_and_revoked_tokens_are_refused_and_audited(store: Store, people: dict) -> None:  # noqa: F811
    client = TestClient(create_app(store.engine), raise_server_exceptions=False)
    ann, bob = _bearer(people["ann"]), _bearer(people["bob"])
    assert client.get("/api/v1/whoami", headers=ann).status_code == 200
    start = _last_seq(store)
    with open_session(store.engine, None) as s, s.begin():
        s.execute(sa.update(ApiToken).where(ApiToken.token_hash == hash_token(people["ann"]))
                  .values(expires_utc="2026-01-01T00:00:00.000000000Z"))
    assert client.get("/api/v1/whoami", headers=ann).status_code == 401
    [bob_token] = store.tokens("bob")
    assert store.revoke_tokens(bob_token.id) == [bob_token.id] and store.revoke_tokens(bob_token.id) == []
    assert client.get("/api/v1/whoami", headers=bob).status_code == 401
    rows = _audit_since(store, start, "authenticate")
    assert [(r.actor, r.outcome, r.detail.split(" #")[0]) for r in rows] == [
        ("ann", "denied", "expired token"), ("bob", "denied", "revoked token")]
    assert [t.status for t in store.tokens()] == ["expired", "active", "revoked"]


def test_rotation_gives_a_new_token_and_the_old_one_stops(store: Store, people: dict) -> None:  # noqa: F811
    client = TestClient(create_app(store.engine), raise_server_exceptions=False)
    new_id, token, revoked = store.rotate_token("carl", days=7)
    assert token != people["carl"] and len(revoked) == 1
    assert client.get("/api/v1/whoami", headers=_bearer(people["carl"])).status_code == 401
    assert client.get("/api/v1/whoami", headers=_bearer(token)).json()["name"] == "carl"
    assert [(t.id, t.status) for t in store.tokens("carl")] == [(revoked[0], "revoked"), (new_id, "active")]
    with pytest.raises(StoreError, match="does not exist"):
        store.rotate_token("nobody")


def test_token_commands_list_without_secrets_revoke_and_rotate(platform_home, monkeypatch) -> None:
    from kompas.cli import app

    home = platform_home("NL-NSO", "NL", [("ann", "SECRET", [])])
    runner = CliRunner()
    listed = runner.invoke(app, ["admin", "token", "list"])
    assert listed.exit_code == 0 and listed.output.split()[:4] == ["1", "ann", "NL-NSO", "active"]
    assert "kmp_" not in listed.output
    rotated = runner.invoke(app, ["admin", "token", "rotate", "ann", "--days", "30"])
    token = rotated.output.strip().splitlines()[-1]
    assert rotated.exit_code == 0 and token.startswith("kmp_") and token not in runner.invoke(
        app, ["admin", "token", "list"]).output
    platform = Store(make_engine(f"sqlite:///{home / 'kompas.db'}"))
    assert [t.status for t in platform.tokens("ann")] == ["revoked", "active"]
    assert runner.invoke(app, ["admin", "token", "revoke", "2"]).exit_code == 0
    assert platform.authenticate(token) is None
    missing = runner.invoke(app, ["admin", "token", "revoke", "99"])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    assert runner.invoke(app, ["admin", "token", "list", "--user", "nobody"]).exit_code == 2
    platform.engine.dispose()


# --- #13: other organisations see organisations, not user names ----------------------------------------------------


def _incident(k: int) -> dict:
    return {"ref": f"case-{k}", "title": f"Claim {k}: a provocation is prepared", "first_seen": "2024-05-01",
            "targets": [{"name": "Poland"}], "languages": ["Russian"], "techniques": ["T0022"],
            "channels": [{"name": "outlet", "category": "state-controlled-outlet"}],
            "evidence": [{"url": f"https://example.org/{k}"}]}


def test_merges_name_users_only_to_their_own_organisation(store: Store, people: dict) -> None:  # noqa: F811
    client = TestClient(create_app(store.engine, rate_per_s=1e6, burst=1e6), raise_server_exceptions=False)
    ann, carl, bob = (_bearer(people[n]) for n in ("ann", "carl", "bob"))
    first = client.post("/api/v1/fimi/incidents", headers=ann, json={"incidents": [_incident(1)],
                                                                      "marking": {"tlp": "GREEN"}})
    again = client.post("/api/v1/fimi/incidents", headers=carl, json={"incidents": [_incident(1)],
                                                                       "marking": {"tlp": "GREEN"}})
    assert first.status_code == 201 and again.json()["merged"], again.text
    path = f"/api/v1/fimi/incidents/{first.json()['ids'][0]}"
    assert [m["by"] for m in client.get(path, headers=ann).json()["merges"]] == ["carl"]
    foreign = client.get(path, headers=bob).json()
    assert [m["by"] for m in foreign["merges"]] == ["NL-NSO"] and "carl" not in str(foreign)
    listed = client.get("/api/v1/fimi/incidents", headers=bob).json()["items"]
    assert [m["by"] for m in listed[0]["merges"]] == ["NL-NSO"]


def test_event_source_names_users_only_to_their_own_organisation(store: Store, people: dict) -> None:  # noqa: F811
    client = TestClient(create_app(store.engine, rate_per_s=1e6, burst=1e6), raise_server_exceptions=False)
    event = store.add_event("manoeuvre", "2026-05-01T00:00:00.000000000Z", [25544], "reboost",
                            Marking.build(originator="NL-NSO"), source="api:carl upload by carl; carla's note")
    own = client.get(f"/api/v1/events/{event}", headers=_bearer(people["ann"])).json()
    other = client.get(f"/api/v1/events/{event}", headers=_bearer(people["bob"])).json()
    assert own["source"] == "api:carl upload by carl; carla's note"
    assert other["source"] == "api:NL-NSO upload by NL-NSO; carla's note"
    page = client.get("/api/v1/events", headers=_bearer(people["bob"])).json()["items"]
    assert [e["source"] for e in page] == ["api:NL-NSO upload by NL-NSO; carla's note"]


def test_environment_names_of_the_limits_are_documented() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for name in ("KOMPAS_ADDRESS_RATE_PER_S", "KOMPAS_RATE_PER_S", "KOMPAS_AUTH_FAILURES_PER_MIN",
                 "KOMPAS_TOKEN_DAYS", "kompas admin token list|revoke|rotate"):
        assert name in readme
    assert os.environ.get("KOMPAS_RATE_PER_S") is None  # the suite runs the defaults


def test_ipv6_clients_are_limited_by_their_64_network() -> None:
    """Review of issue 18 #6: an IPv6 client holds a whole /64, so counting single addresses gave it a fresh
    allowance (and a fresh failed-login budget) for every address it picked."""
    from kompas.api.middleware import client_address

    same = {client_address({"client": (f"2001:db8:1:2::{n:x}", 443)}) for n in range(1, 200)}
    assert same == {"2001:db8:1:2::/64"}
    assert client_address({"client": ("2001:db8:1:3::1", 443)}) != "2001:db8:1:2::/64"
    assert client_address({"client": ("::ffff:192.0.2.7", 443)}) == "192.0.2.7"
    assert client_address({"client": ("192.0.2.7", 443)}) == "192.0.2.7"
    assert client_address({}) == "unknown"
