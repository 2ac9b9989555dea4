"""The incident model, the MISP taxonomies it is checked against, observables, sightings and the NIS2 clocks.

Reference tests read the MISP taxonomies in ../shared/data/cyber (MISP/misp-taxonomies at 7591c551) and compare
their counts with what the taxonomies themselves define and what ../shared's PROVENANCE.md states."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kompas.core.markings import Marking
from kompas.cyber.model import (
    Deadline,
    GalaxyRef,
    Incident,
    IncidentError,
    Nis2,
    Observable,
    ObservableError,
    Sighting,
    add_months,
    galaxy_meaning,
    incident_deadlines,
    incident_from_dict,
    nis2_deadlines,
    normalise_value,
    sighting_from_dict,
)
from kompas.cyber.taxonomy import (
    NAMESPACES,
    MachineTag,
    TaxonomyError,
    default_taxonomies,
    packaged_folder,
    parse_taxonomy,
    read_taxonomies,
)

ID = "6b0a5e2c-4b6f-4a47-9d55-0c0b7e9d2a11"

# ---------------------------------------------------------------------------------------------------------------
# Taxonomies
# ---------------------------------------------------------------------------------------------------------------


def test_shipped_taxonomies_equal_the_shared_copies(shared_taxonomies) -> None:
    shipped = packaged_folder()
    names = [f"{ns}/machinetag.json" for ns in NAMESPACES] + ["LICENSE.md"]
    for name in names:
        assert (shipped / name).read_bytes() == (shared_taxonomies / name).read_bytes(), name
    assert len(names) == 10


def test_rsit_has_11_classes_and_39_types_as_enisa_defines_them(shared_taxonomies) -> None:
    rsit = read_taxonomies(shared_taxonomies)["rsit"]
    assert rsit.version == 1003
    assert len(rsit.predicates) == 11 and rsit.entry_count == 39
    types = {p.value: [e.value for e in p.entries] for p in rsit.predicates}
    assert types["fraud"] == ["unauthorised-use-of-resources", "copyright", "masquerade", "phishing"]
    assert types["availability"] == ["dos", "ddos", "misconfiguration", "sabotage", "outage"]
    assert rsit.predicate("intrusion-attempts").entry("ids-alert").expanded == "Exploitation of Known Vulnerabilities"


def test_taxonomy_counts_match_the_files_and_the_provenance(shared_taxonomies) -> None:
    found = read_taxonomies(shared_taxonomies)
    counts = {ns: (t.version, len(t.predicates), t.entry_count) for ns, t in found.items()}
    assert counts == {"PAP": (3, 5, 0), "admiralty-scale": (5, 2, 13), "estimative-language": (5, 2, 10),
                      "euci": (3, 4, 0), "exercise": (16, 8, 31), "nis2": (5, 9, 75), "rsit": (1003, 11, 39),
                      "state-responsibility": (1, 10, 0), "tlp": (10, 8, 0)}
    admiralty = found["admiralty-scale"].predicate("source-reliability")
    assert admiralty.exclusive and [(e.value, e.numerical_value) for e in admiralty.entries][:3] == \
        [("a", 100.0), ("b", 75.0), ("c", 50.0)]
    assert found["euci"].exclusive and found["tlp"].exclusive and found["PAP"].exclusive
    assert [p.expanded for p in found["euci"].predicates] == ["TRES SECRET UE/EU TOP SECRET", "SECRET UE/EU SECRET",
                                                              "CONFIDENTIEL UE/EU CONFIDENTIAL",
                                                              "RESTREINT UE/EU RESTRICTED"]
    # every value a raw JSON file lists is in the model (nothing dropped while parsing)
    raw = json.loads((shared_taxonomies / "nis2" / "machinetag.json").read_text())
    listed = {(v["predicate"], e["value"]) for v in raw["values"] for e in v["entry"]}
    assert listed == {(p.value, e.value) for p in found["nis2"].predicates for e in p.entries}


def test_default_taxonomies_are_the_shipped_ones() -> None:
    assert set(default_taxonomies()) == set(NAMESPACES)
    assert default_taxonomies()["rsit"].entry_count == 39


@pytest.mark.parametrize("document, message", [
    ([], "not a JSON object"),
    ({"description": "d", "version": 1, "predicates": [{"value": "a"}]}, "'namespace' must be a non-empty string"),
    ({"namespace": "x", "description": "d", "version": -1, "predicates": [{"value": "a"}]}, "'version'"),
    ({"namespace": "x", "description": "d", "version": 1, "predicates": []}, "'predicates' must be a non-empty"),
    ({"namespace": "x", "description": "d", "version": 1, "predicates": [{"value": "a"}],
      "values": [{"predicate": "b", "entry": [{"value": "v"}]}]}, "names predicates that 'predicates' does not list"),
    ({"namespace": "x", "description": "d", "version": 1, "predicates": [{"value": "a", "exclusive": "yes"}]},
     "'exclusive' must be true or false"),
    ({"namespace": "x", "description": "d", "version": 1, "predicates": [{"value": "a"}],
      "values": [{"predicate": "a", "entry": [{"value": "v", "numerical_value": "high"}]}]},
     "'numerical_value' must be a number"),
])
def test_malformed_taxonomies_are_refused_saying_where(document, message) -> None:
    with pytest.raises(TaxonomyError, match=message):
        parse_taxonomy(document, "x/machinetag.json")


def test_machine_tags_parse_as_misp_writes_them() -> None:
    assert MachineTag.parse("tlp:amber") == MachineTag("tlp", "amber")
    assert MachineTag.parse("tlp:ex:chr") == MachineTag("tlp", "ex:chr")
    assert MachineTag.parse('misp-galaxy:mitre-attack-pattern="Spearphishing Link - T1566.002"') == \
        MachineTag("misp-galaxy", "mitre-attack-pattern", "Spearphishing Link - T1566.002")
    assert MachineTag.parse("osint:certainty=93") == MachineTag("osint", "certainty", "93")
    assert MachineTag.parse("PasteBin: MALWAREMESSIAGH") is None
    assert MachineTag.parse("for_intelmq_processing") is None
    assert str(MachineTag("rsit", "fraud", "phishing")) == 'rsit:fraud="phishing"'
    rsit = default_taxonomies()["rsit"]
    assert rsit.canonical(MachineTag("rsit", "Fraud", "Phishing")) == MachineTag("rsit", "fraud", "phishing")
    with pytest.raises(TaxonomyError, match="has no value 'spear'"):
        rsit.resolve(MachineTag("rsit", "fraud", "spear"))


# ---------------------------------------------------------------------------------------------------------------
# Observables
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, given_value, normal", [
    ("ipv4-addr", " 198.51.100.7 ", "198.51.100.7"),
    ("ipv4-addr", "198.51.100[.]7", "198.51.100.7"),
    ("ipv4-addr", "10.0.0.0/8", "10.0.0.0/8"),
    ("ipv4-addr", "192.0.2.1/32", "192.0.2.1"),
    ("ipv6-addr", "2001:DB8:0:0::1", "2001:db8::1"),
    ("domain-name", "Evil.Example.COM.", "evil.example.com"),
    ("domain-name", "bücher.example", "xn--bcher-kva.example"),
    ("domain-name", "_dmarc.example.org", "_dmarc.example.org"),
    ("url", "hxxps://Login.Example[.]org:8443/a/B?c=D#x", "https://login.example.org:8443/a/B?c=D#x"),
    ("url", "http://[2001:DB8::1]/x", "http://[2001:db8::1]/x"),
    ("email-addr", "Alice@Mail.Example.ORG", "Alice@mail.example.org"),
    ("md5", "0749BAE92CA336A02C83D126E04EC628", "0749bae92ca336a02c83d126e04ec628"),
    ("sha1", "77b0c41b7d340b8a3d903f21347bbf06aa766b5b", "77b0c41b7d340b8a3d903f21347bbf06aa766b5b"),
    ("mac-addr", "00-1A-2B-3C-4D-5E", "00:1a:2b:3c:4d:5e"),
    ("autonomous-system", "AS64496", "64496"),
    ("vulnerability", "cve-2024-3400", "CVE-2024-3400"),
    ("file-name", "3Z4wnG9603it23y.exe", "3Z4wnG9603it23y.exe"),
])
def test_values_are_normalised_per_type(kind, given_value, normal) -> None:
    assert normalise_value(kind, given_value) == normal


@pytest.mark.parametrize("kind, bad, reason", [
    ("ipv4-addr", "999.1.1.1", "not an IPv4 address"),
    ("ipv4-addr", "010.1.1.1", "not an IPv4 address"),
    ("ipv4-addr", "10.0.0.1/8", "not an IPv4 address"),  # host bits set: not a network
    ("ipv4-addr", "2001:db8::1", "an IPv6 value given as ipv4-addr"),
    ("domain-name", "localhost", "two or more labels"),
    ("domain-name", "-bad.example", "two or more labels"),
    ("domain-name", "1.2.3.4", "its last label is a number"),
    ("url", "javascript:alert(1)", "not a URL with a scheme"),
    ("url", "https://exa mple.com/", "no spaces"),
    ("url", "https:///path", "needs a host"),
    ("email-addr", "no-at-sign.example", "not an e-mail address"),
    ("sha256", "abc", "64 hexadecimal digits"),
    ("md5", "z" * 32, "32 hexadecimal digits"),
    ("mac-addr", "00:1a:2b:3c:4d", "6 bytes"),
    ("autonomous-system", "AS4294967296", r"up to 2\^32 - 1"),
    ("vulnerability", "CVE-24-1", "not a CVE id"),
    ("file-name", "   ", "1 to 4096 characters"),
    ("ja3", "x", "unknown observable type"),
])
def test_invalid_values_are_refused_with_the_reason(kind, bad, reason) -> None:
    with pytest.raises(ObservableError, match=reason):
        normalise_value(kind, bad)


def test_observable_defaults_and_key() -> None:
    o = Observable("ipv6-addr", "2001:DB8::1")
    assert o.key == ("ipv6-addr", "2001:db8::1") and (o.misp_type, o.misp_category) == ("ip-dst", "Network activity")
    assert o.id == Observable("ipv6-addr", "2001:db8::1").id  # derived from the normal form: stable
    with pytest.raises(IncidentError, match="a sha256 is MISP type sha256"):
        Observable("sha256", "a" * 64, misp_type="md5")
    with pytest.raises(IncidentError, match="marking tags are not carried"):
        Observable("domain-name", "a.example", tags=("tlp:red",))
    with pytest.raises(IncidentError, match="PAP:PURPLE"):
        Observable("domain-name", "a.example", tags=("PAP:PURPLE",))
    assert Observable("domain-name", "a.example", tags=("pap:red", "free")).tags == ("PAP:RED", "free")


# ---------------------------------------------------------------------------------------------------------------
# Incidents
# ---------------------------------------------------------------------------------------------------------------


def test_incident_fields_are_checked_against_the_taxonomies() -> None:
    i = Incident(ID, "Phishing", detected_utc="2026-03-02T08:15:00+01:00", rsit_class="Fraud", rsit_type="Phishing",
                 nis2=Nis2(sectors=("energy", "energy"), subsectors=("electricity",), impact_severity="yellow",
                           entity_type="essential", significant=True), member_states=("nl", "DE"))
    assert (i.rsit_class, i.rsit_type, i.date, i.detected_utc) == ("fraud", "phishing", "2026-03-02",
                                                                   "2026-03-02T07:15:00.000Z")
    assert i.nis2.sectors == ("energy",) and i.member_states == ("DE", "NL")
    for kwargs, field in [({"rsit_class": "hacking"}, "rsit_class"),
                          ({"rsit_class": "fraud", "rsit_type": "ddos"}, "rsit_type"),
                          ({"rsit_type": "phishing"}, "rsit_type"),
                          ({"rsit_class": "fraud"}, "rsit_type"),
                          ({"member_states": ("XX",)}, "member_states"),
                          ({"techniques": ("T15",)}, "techniques"),
                          ({"threat_level": "severe"}, "threat_level"),
                          ({"tags": ("tlp:red",)}, "tags"),
                          ({"tags": ('rsit:fraud="phishing"',)}, "tags")]:
        with pytest.raises(IncidentError) as found:
            Incident(ID, "x", "2026-03-02", **kwargs)
        assert found.value.field == field, kwargs
    for kwargs, field in [({"sectors": ("tourism",)}, "nis2.sectors"),
                          ({"impact_severity": "orange"}, "nis2.impact_severity"),
                          ({"entity_type": "critical"}, "nis2.entity_type"),
                          ({"significant": "yes"}, "nis2.significant"),
                          ({"notification_utc": "tomorrow"}, "nis2.notification_utc")]:
        with pytest.raises(IncidentError) as found:
            Nis2(**kwargs)
        assert found.value.field == field, kwargs
    with pytest.raises(IncidentError, match="give the date"):
        Incident(ID, "no time at all")
    with pytest.raises(IncidentError, match="not a UUID"):
        Incident("INC-1", "x", "2026-03-02")


def test_galaxies_and_fields_are_one_normal_form() -> None:
    i = Incident(ID, "x", "2026-03-02", techniques=("T1566.001",), malware=("XTunnel - S0117",),
                 galaxies=(GalaxyRef("threat-actor", "Sofacy"), GalaxyRef("exploit-kit", "Sednit EK"),
                           GalaxyRef("mitre-attack-pattern", "Valid Accounts - T1078"),
                           GalaxyRef("tool", "X-Agent")))
    assert i.techniques == ("T1078", "T1566.001") and i.malware == ("XTunnel",) and i.tools == ("X-Agent",)
    assert i.actors == ("Sofacy",)
    assert [(g.galaxy, g.value) for g in i.galaxies] == [
        ("exploit-kit", "Sednit EK"), ("mitre-attack-pattern", "T1566.001"),
        ("mitre-attack-pattern", "Valid Accounts - T1078"), ("mitre-malware", "XTunnel"), ("threat-actor", "Sofacy"),
        ("tool", "X-Agent")]
    assert galaxy_meaning(GalaxyRef("mitre-intrusion-set", "APT28 - G0007")) == ("actor", "APT28")
    assert galaxy_meaning(GalaxyRef("exploit-kit", "Sednit EK")) is None


def test_observable_marking_equal_to_the_incidents_is_stored_as_none() -> None:
    m = Marking.build("SECRET", "AMBER", ["BE"], ["cyber-eu"])
    i = Incident(ID, "x", "2026-03-02", m, observables=(Observable("domain-name", "a.example", marking=m),
                                                        Observable("domain-name", "b.example",
                                                                   marking=Marking.build("SECRET", "RED"))))
    assert i.observables[0].marking is None and i.marking_of(i.observables[0]) == m
    assert i.marking_of(i.observables[1]).tlp.name == "RED"


def test_the_json_form_round_trips() -> None:
    i = Incident(ID, "x", "2026-03-02", Marking.build("CONFIDENTIAL", "AMBER+STRICT", ["FR"], ["jcu"], "FR-ANSSI"),
                 description="d", started_utc="2026-03-01T22:00:00Z", rsit_class="malicious-code",
                 rsit_type="c2-server", nis2=Nis2(root_cause="malicious-actions", significant=False,
                                                  notification_utc="2026-03-04T00:00:00Z"),
                 observables=(Observable("url", "https://a.example/x", to_ids=False, tags=("PAP:GREEN",)),),
                 techniques=("T1071.001",), actors=("APT28",), tags=("exercise:cyber-europe=\"2026\"",))
    assert incident_from_dict(json.loads(json.dumps(i.as_dict()))) == i
    with pytest.raises(IncidentError, match="must be a list"):
        incident_from_dict({**i.as_dict(), "observables": "none"})


# ---------------------------------------------------------------------------------------------------------------
# Sightings
# ---------------------------------------------------------------------------------------------------------------


def test_sightings_are_checked() -> None:
    s = Sighting("ipv4-addr", "198.51.100.23", "2026-10-13T09:12:00Z", "2026-10-14T16:40:00Z", 2, "NL-NCSC")
    assert s.key == ("ipv4-addr", "198.51.100.23") and sighting_from_dict(s.as_dict()) == s
    assert Sighting("url", "https://a.example/", "2026-10-13T09:12:00.750Z").last_seen_utc == \
        "2026-10-13T09:12:00.000Z"  # to the second, as MISP keeps sighting times
    for kwargs, field in [({"count": 0}, "count"), ({"kind": "seen"}, "kind"),
                          ({"last_seen_utc": "2026-10-12T00:00:00Z", "count": 2}, "last_seen_utc"),
                          ({"last_seen_utc": "2026-10-14T00:00:00Z"}, "last_seen_utc")]:
        with pytest.raises(IncidentError) as found:
            Sighting(**{"type": "ipv4-addr", "value": "198.51.100.23", "first_seen_utc": "2026-10-13T00:00:00Z",
                        **kwargs})
        assert found.value.field == field


# ---------------------------------------------------------------------------------------------------------------
# NIS2 clocks (Directive (EU) 2022/2555 art. 23(4))
# ---------------------------------------------------------------------------------------------------------------


def test_the_three_nis2_deadlines_from_awareness() -> None:
    early, notification, final = nis2_deadlines("2026-01-30T12:00:00Z", "2026-01-30T18:00:00Z")
    assert (early.due_utc, early.status, early.hours_left) == ("2026-01-31T12:00:00.000Z", "open", 18.0)
    assert (notification.due_utc, notification.status) == ("2026-02-02T12:00:00.000Z", "open")
    # final report: one month after the notification; not submitted yet, counted from its deadline
    assert (final.due_utc, final.provisional) == ("2026-03-02T12:00:00.000Z", True)
    assert early.basis.endswith("art. 23(4)(a)") and notification.basis.endswith("art. 23(4)(b)") and \
        final.basis.endswith("art. 23(4)(d)")


def test_deadline_status_met_late_open_overdue() -> None:
    early, notification, final = nis2_deadlines(
        "2026-01-30T12:00:00Z", "2026-03-05T00:00:00Z", early_warning_utc="2026-01-31T11:59:59Z",
        notification_utc="2026-01-31T09:00:00+02:00")
    assert (early.status, notification.status) == ("met", "met")
    # one month after 31 January 07:00 UTC is the last day of February
    assert (final.due_utc, final.provisional, final.status) == ("2026-02-28T07:00:00.000Z", False, "overdue")
    assert final.hours_left == pytest.approx(-(4 * 24 + 17))
    late = nis2_deadlines("2026-01-30T12:00:00Z", "2026-02-01T00:00:00Z", early_warning_utc="2026-01-31T12:00:01Z")
    assert late[0].status == "late"


def test_trust_service_providers_notify_within_24_hours() -> None:
    notification = nis2_deadlines("2026-05-01T00:00:00Z", "2026-05-01T01:00:00Z", trust_service_provider=True)[1]
    assert notification.due_utc == "2026-05-02T00:00:00.000Z" and "second subparagraph" in notification.basis


def test_incident_deadlines_only_for_significant_incidents_with_awareness() -> None:
    aware = Incident(ID, "x", detected_utc="2026-10-13T07:55:00Z", nis2=Nis2(early_warning_utc="2026-10-14T05:10Z"))
    found = incident_deadlines(aware, "2026-10-16T12:00:00Z")
    assert [d.status for d in found] == ["met", "overdue", "open"] and all(isinstance(d, Deadline) for d in found)
    assert incident_deadlines(Incident(ID, "x", "2026-10-13"), "2026-10-16T12:00:00Z") == ()
    not_significant = Incident(ID, "x", detected_utc="2026-10-13T07:55:00Z", nis2=Nis2(significant=False))
    assert incident_deadlines(not_significant, "2026-10-16T12:00:00Z") == ()


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    assert add_months(datetime(2024, 1, 31, 8), 1) == datetime(2024, 2, 29, 8)
    assert add_months(datetime(2026, 12, 15), 1) == datetime(2027, 1, 15)
    assert add_months(datetime(2026, 3, 31), 1) == datetime(2026, 4, 30)


@settings(max_examples=50, deadline=None)
@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)), st.integers(0, 24))
def test_add_months_is_never_early_nor_past_the_month(moment, months) -> None:
    later = add_months(moment, months)
    assert (later.year * 12 + later.month) - (moment.year * 12 + moment.month) == months
    assert later.day <= moment.day and later.time() == moment.time()
