"""KEV reader, KEV -> CPE normalisation, the inventory CSV and the exposure engine.

References: the KEV catalogue itself (``../shared/data/cyber/kev``, read raw with :mod:`json` here to get the
expected values independently of :mod:`kompas.cyber.kev`), its PROVENANCE.md figures (1,404 CVEs; Known 293 /
Unknown 1,111; added per year), CPE names as NVD spells them (each was seen in public NVD-derived data) and the
illustrative inventories in ``examples/cyber``. Tests on the full catalogue skip, saying so, without ../shared;
the ones on the shipped sample always run.
"""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest

from kompas.cyber.cpe import parse_cpe
from kompas.cyber.exposure import (
    POTENTIAL,
    InventoryItem,
    KevIndex,
    exposure,
    keyed_kev,
    match_linear,
    parse_inventory,
    read_inventory,
)
from kompas.cyber.kev import KEV_PATH, SAMPLE, Kev, coverage, entry_keys, parse_kev, read_kev
from kompas.files import packaged
from kompas.locate import shared_data

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples" / "cyber").glob("inventory_*.csv"))
AS_OF = date(2025, 8, 31)


def _kev_path() -> Path:
    path = shared_data(KEV_PATH)
    if path is None:
        pytest.skip(f"../shared/data/{KEV_PATH} is absent (clone ../shared beside the checkout); the sample tests "
                    "below still run")
    return path


@pytest.fixture(scope="module")
def raw() -> dict:
    """The catalogue as plain JSON (the reference the reader is checked against)."""
    return json.loads(_kev_path().read_text())


@pytest.fixture(scope="module")
def kev() -> Kev:
    catalogue, rejections = read_kev(_kev_path())
    assert rejections == []
    return catalogue


@pytest.fixture(scope="module")
def index(kev: Kev) -> KevIndex:
    return KevIndex(kev)


@pytest.fixture(scope="module")
def inventories() -> list[InventoryItem]:
    items: list[InventoryItem] = []
    for path in EXAMPLES:
        found, rejections = read_inventory(path)
        assert rejections == [], rejections
        items += found
    return items


# -- the KEV reader ------------------------------------------------------------------------------------------------

def test_kev_counts_match_provenance(kev: Kev) -> None:
    # PROVENANCE.md: 1,404 CVEs (1,404 unique); Known 293 / Unknown 1,111; dateAdded 2021-11-03 ... 2025-08-25;
    # added per year 2021 311, 2022 555, 2023 187, 2024 186, 2025 165; catalogVersion 2025.08.25.
    assert len(kev.entries) == len(kev.by_cve()) == 1404
    assert kev.version == "2025.08.25"
    assert kev.ransomware_counts() == {"Known": 293, "Unknown": 1111}
    assert kev.added_per_year() == {2021: 311, 2022: 555, 2023: 187, 2024: 186, 2025: 165}
    assert min(e.date_added for e in kev.entries) == date(2021, 11, 3)
    assert max(e.date_added for e in kev.entries) == date(2025, 8, 25)


def test_kev_records_carry_the_fields(kev: Kev, raw: dict) -> None:
    proxylogon = kev.by_cve()["CVE-2021-26855"]
    item = next(v for v in raw["vulnerabilities"] if v["cveID"] == "CVE-2021-26855")
    assert (proxylogon.vendor_project, proxylogon.product) == ("Microsoft", "Exchange Server")
    assert proxylogon.vulnerability_name == item["vulnerabilityName"]
    assert (proxylogon.date_added, proxylogon.due_date) == (date(2021, 11, 3), date(2021, 4, 16))
    assert proxylogon.ransomware_known and proxylogon.notes == item["notes"]
    assert proxylogon.cwes == tuple(item["cwes"])
    git = kev.by_cve()["CVE-2025-48384"]
    assert git.cwes == ("CWE-59", "CWE-436") and not git.ransomware_known


def test_malformed_kev_entries_are_rejected_with_field_and_reason() -> None:
    good = {"cveID": "CVE-2021-26855", "vendorProject": "Microsoft", "product": "Exchange Server",
            "vulnerabilityName": "x", "dateAdded": "2021-11-03", "shortDescription": "x", "requiredAction": "x",
            "dueDate": "2021-04-16", "knownRansomwareCampaignUse": "Known", "notes": "", "cwes": ["CWE-287"]}
    bad = [
        {**good, "cveID": "CVE-21-1"},
        {**good, "cveID": "CVE-2021-0002", "dateAdded": "2021-02-30"},
        {**good, "cveID": "CVE-2021-0003", "product": ""},
        {**good, "cveID": "CVE-2021-0004", "knownRansomwareCampaignUse": "Maybe"},
        {**good, "cveID": "CVE-2021-0005", "cwes": ["287"]},
        {**good, "cveID": "CVE-2021-0006", "dueDate": "16/04/2021"},
        "not an object",
        dict(good),  # repeats item 1
    ]
    document = {"catalogVersion": "t", "dateReleased": "t", "count": 10, "vulnerabilities": [good, *bad]}
    kev, rejections = parse_kev(document, "test.json")
    assert [e.cve_id for e in kev.entries] == ["CVE-2021-26855"]
    assert [(r.line, r.field) for r in rejections] == [
        (0, "count"), (2, "cveID"), (3, "dateAdded"), (4, "product"), (5, "knownRansomwareCampaignUse"),
        (6, "cwes"), (7, "dueDate"), (8, ""), (9, "cveID")]
    assert all(r.unit == "item" and r.source == "test.json" for r in rejections)
    assert "not a real date" in rejections[2].reason and "repeats item 1" in rejections[-1].reason


def test_the_shipped_sample_is_an_unchanged_extract(raw: dict) -> None:
    sample = json.loads(packaged(SAMPLE).read_text())
    by_cve = {v["cveID"]: v for v in raw["vulnerabilities"]}
    assert sample["count"] == len(sample["vulnerabilities"]) == 35
    assert all(entry == by_cve[entry["cveID"]] for entry in sample["vulnerabilities"])
    assert sample["catalogVersion"] == raw["catalogVersion"]


def test_the_sample_reads_without_shared_data() -> None:
    kev, rejections = read_kev(packaged(SAMPLE))
    assert rejections == [] and len(kev.entries) == 35
    assert kev.by_cve()["CVE-2021-26855"].product == "Exchange Server"


# -- KEV names -> CPE keys -----------------------------------------------------------------------------------------

def test_kev_notes_hold_no_cpe_names(raw: dict) -> None:
    # Why an alias table is needed: the only "cpe" in the notes are Zyxel's "DSL CPE" (customer premises equipment).
    with_cpe = [v["cveID"] for v in raw["vulnerabilities"] if "cpe" in v["notes"].lower()]
    assert sorted(with_cpe) == ["CVE-2017-18368", "CVE-2017-6884", "CVE-2024-40890", "CVE-2024-40891"]
    assert not any("cpe:2.3:" in v["notes"] or "cpe:/" in v["notes"] for v in raw["vulnerabilities"])


def test_coverage_of_the_catalogue(kev: Kev) -> None:
    cover = coverage(kev)
    assert (cover.total, cover.alias, cover.rule, len(cover.unmatched)) == (1404, 475, 831, 98)
    # Every entry left unmatched names no product: a "Multiple ..." placeholder.
    assert all(e.product.startswith("Multiple ") for e in cover.unmatched)
    assert cover.unmatched_pairs()[:2] == [("Apple", "Multiple Products", 45), ("Qualcomm", "Multiple Chipsets", 10)]


def test_entry_keys_rule_and_aliases(kev: Kev) -> None:
    keys = {e.cve_id: {(k.vendor, k.product, k.family, k.basis) for k in entry_keys(e)} for e in kev.entries}
    assert ("microsoft", "exchangeserver", False, "rule") in keys["CVE-2021-26855"]
    assert ("paloaltonetworks", "panos", False, "rule") in keys["CVE-2024-3400"]
    # "IOS and IOS XE Software" is split; the generic last word "Software" dropped.
    ios = next(e for e in kev.entries if e.product == "IOS and IOS XE Software")
    assert {("cisco", "ios"), ("cisco", "iosxe")} <= {(k.vendor, k.product) for k in entry_keys(ios)}
    assert ("microsoft", "windows", True, "alias") in keys["CVE-2021-1732"]  # Win32k: the Windows family
    assert ("apache", "log4j", False, "alias") in keys["CVE-2021-44228"]
    assert ("pulsesecure", "pulseconnectsecure", False, "alias") in keys["CVE-2023-46805"]
    assert ("hp", "openviewnetworknodemanager", False, "rule") in {
        (k.vendor, k.product, k.family, k.basis)
        for e in kev.entries if e.vendor_project == "Hewlett Packard (HP)" for k in entry_keys(e)}


# (CVE, a CPE name NVD uses for an affected product): each pair was checked against NVD-derived public data.
NVD_PAIRS = [
    ("CVE-2021-26855", "cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_8:*:*:*:*:*:*"),
    ("CVE-2024-3400", "cpe:2.3:o:paloaltonetworks:pan-os:10.2.9:*:*:*:*:*:*:*"),
    ("CVE-2024-21762", "cpe:2.3:o:fortinet:fortios:7.2.5:*:*:*:*:*:*:*"),
    ("CVE-2019-11510", "cpe:2.3:a:pulsesecure:pulse_connect_secure:9.0:r3:*:*:*:*:*:*"),
    ("CVE-2024-21887", "cpe:2.3:a:ivanti:connect_secure:22.3:r1:*:*:*:*:*:*"),
    ("CVE-2023-4966", "cpe:2.3:a:citrix:netscaler_application_delivery_controller:13.1:*:*:*:*:*:*:*"),
    ("CVE-2023-4966", "cpe:2.3:a:citrix:netscaler_gateway:13.1:*:*:*:*:*:*:*"),
    ("CVE-2019-19781", "cpe:2.3:o:citrix:application_delivery_controller_firmware:13.0:*:*:*:*:*:*:*"),
    ("CVE-2021-44228", "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"),
    ("CVE-2020-3452", "cpe:2.3:a:cisco:adaptive_security_appliance_software:9.16:*:*:*:*:*:*:*"),
    ("CVE-2021-26084", "cpe:2.3:a:atlassian:confluence_server:7.12.4:*:*:*:*:*:*:*"),
    ("CVE-2023-4863", "cpe:2.3:a:google:chrome:116.0.5845.96:*:*:*:*:*:*:*"),
    ("CVE-2021-1732", "cpe:2.3:o:microsoft:windows_server_2019:-:*:*:*:*:*:*:*"),
    ("CVE-2023-27997", "cpe:2.3:a:fortinet:fortiproxy:7.2.3:*:*:*:*:*:*:*"),
    ("CVE-2021-21972", "cpe:2.3:a:vmware:vcenter_server:7.0:*:*:*:*:*:*:*"),
    ("CVE-2023-48788", "cpe:2.3:a:fortinet:forticlient_enterprise_management_server:7.0.1:*:*:*:*:*:*:*"),
    ("CVE-2022-1388", "cpe:2.3:a:f5:big-ip_local_traffic_manager:16.1.0:*:*:*:*:*:*:*"),
    ("CVE-2021-39144", "cpe:2.3:a:xstream_project:xstream:1.4.17:*:*:*:*:*:*:*"),
]


@pytest.mark.parametrize(("cve", "cpe"), NVD_PAIRS)
def test_nvd_names_reach_their_kev_entries(index: KevIndex, cve: str, cpe: str) -> None:
    found = {m.entry.cve_id for m in index.match(parse_cpe(cpe))}
    assert cve in found


def test_products_of_other_vendors_do_not_match(index: KevIndex) -> None:
    assert index.match(parse_cpe("cpe:2.3:a:postgresql:postgresql:15.4:*:*:*:*:*:*:*")) == ()
    apple_ios = {m.entry.cve_id for m in index.match(parse_cpe("cpe:2.3:o:apple:iphone_os:16.3:*:*:*:*:*:*:*"))}
    cisco_ios = {m.entry.cve_id for m in index.match(parse_cpe("cpe:2.3:o:cisco:ios:15.2:*:*:*:*:*:*:*"))}
    assert apple_ios and cisco_ios and not apple_ios & cisco_ios


def test_index_and_linear_scan_agree(kev: Kev, index: KevIndex, inventories: list[InventoryItem]) -> None:
    keyed = keyed_kev(kev)
    rng = random.Random(7)
    names = [item.cpe for item in inventories]
    for entry in rng.sample(list(kev.entries), 150):  # CPE-like names made from KEV's own text
        vendor = entry.vendor_project.lower().replace(" ", "_")
        product = entry.product.split(",")[0].lower().replace(" ", "_")
        text = f"cpe:2.3:a:{vendor}:{product}:*:*:*:*:*:*:*:*"
        try:
            names.append(parse_cpe(text))
        except ValueError:
            continue
    assert len(names) > 100
    for name in names:
        assert index.match(name) == match_linear(name, keyed), name.fs()


# -- the inventory CSV ---------------------------------------------------------------------------------------------

def test_example_inventories_parse_and_say_they_are_illustrative(inventories: list[InventoryItem]) -> None:
    assert [p.name for p in EXAMPLES] == ["inventory_alpha-cert.csv", "inventory_bravo-csirt.csv",
                                          "inventory_charlie-soc.csv"]
    assert all(p.read_text().startswith("# ILLUSTRATIVE") for p in EXAMPLES)
    per_member = {m: sum(i.member == m for i in inventories) for m in ("ALPHA-CERT", "BRAVO-CSIRT", "CHARLIE-SOC")}
    assert per_member == {"ALPHA-CERT": 6, "BRAVO-CSIRT": 5, "CHARLIE-SOC": 5}
    uri_row = next(i for i in inventories if i.member == "CHARLIE-SOC" and i.line == 3)
    assert uri_row.cpe.fs() == "cpe:2.3:a:microsoft:exchange_server:2016:*:*:*:*:*:*:*"  # read from a 2.2 URI
    assert (uri_row.assets, uri_row.criticality, uri_row.declared) == (2, "high", date(2020, 3, 1))


def test_malformed_inventory_lines_are_rejected_with_field_and_reason() -> None:
    text = "\n".join([
        "# a comment",
        "member,cpe,declared,assets,criticality,note",
        "NL-A,cpe:2.3:a:microsoft:exchange_server:2019:*:*:*:*:*:*:*,2021-01-15,3,high,ok",
        "NL A,cpe:2.3:a:microsoft:exchange_server:2016:*:*:*:*:*:*:*,2021-01-15,,,bad member",
        "NL-A,cpe:2.3:a:micro soft:exchange:*:*:*:*:*:*:*:*,2021-01-15,,,whitespace",
        "NL-A,cpe:2.3:a:*:exchange:*:*:*:*:*:*:*:*,2021-01-15,,,any vendor",
        "NL-A,cpe:2.3:a:microsoft:exch*:*:*:*:*:*:*:*:*,2021-01-15,,,wildcard product",
        "NL-A,cpe:2.3:o:fortinet:fortios:7.0:*:*:*:*:*:*:*,15/01/2021,,,bad date",
        "NL-A,cpe:2.3:o:fortinet:fortios:7.2:*:*:*:*:*:*:*,2021-02-29,,,no such day",
        "NL-A,cpe:2.3:o:fortinet:fortios:7.4:*:*:*:*:*:*:*,2021-01-15,-1,,negative",
        "NL-A,cpe:2.3:o:fortinet:fortios:7.6:*:*:*:*:*:*:*,2021-01-15,1,urgent,bad criticality",
        "NL-A,cpe:2.3:o:fortinet:fortios:6.0:*:*:*:*:*:*:*,2021-01-15",
        "NL-A,cpe:2.3:a:microsoft:exchange_server:2019:*:*:*:*:*:*:*,2022-01-01,1,,repeat",
        "",
        'NL-A,"cpe:/a:fortinet:fortios:6.4",2021-01-15,2,CRITICAL,"quoted, with comma"',
    ])
    items, rejections = parse_inventory(text, "inv.csv")
    assert [(i.line, i.cpe.product_text) for i in items] == [(3, "exchange_server"), (15, "fortios")]
    assert items[1].criticality == "critical" and items[1].note == "quoted, with comma"
    assert [(r.line, r.field) for r in rejections] == [
        (4, "member"), (5, "cpe"), (6, "cpe"), (7, "cpe"), (8, "declared"), (9, "declared"), (10, "assets"),
        (11, "criticality"), (12, ""), (13, "cpe")]
    assert "vendor: contains whitespace" in rejections[1].reason
    assert "repeats line 3" in rejections[-1].reason
    assert str(rejections[0]).startswith("inv.csv:4: member:")


@pytest.mark.parametrize(("header", "words"), [
    ("member,cpe,assets", "missing column(s) declared"),
    ("member,cpe,declared,asets", "unknown column(s) asets"),
    ("member,cpe,declared,cpe", "repeated column(s) cpe"),
])
def test_inventory_header_problems_reject_the_file(header: str, words: str) -> None:
    items, rejections = parse_inventory(header + "\nNL-A,cpe:/a:x:y,2021-01-01,1\n", "inv.csv")
    assert items == [] and len(rejections) == 1
    assert rejections[0].line == 0 and words in rejections[0].reason


# -- exposure ------------------------------------------------------------------------------------------------------

def test_exposure_of_the_examples(kev: Kev, inventories: list[InventoryItem], raw: dict) -> None:
    report = exposure(inventories, kev, AS_OF)
    alpha = report.member("ALPHA-CERT")
    assert alpha is not None and (alpha.declared, alpha.matched) == (6, 5)  # PostgreSQL has no KEV entry
    proxylogon = next(e for e in alpha.exposures if e.cve_id == "CVE-2021-26855")
    # Declared 2021-01-15, added to KEV 2021-11-03: exposed since the later, the day CISA added it.
    assert proxylogon.exposed_since == date(2021, 11, 3)
    assert (proxylogon.ransomware, proxylogon.overdue, proxylogon.status) == ("Known", True, POTENTIAL)
    assert proxylogon.days_exposed == (AS_OF - date(2021, 11, 3)).days
    assert proxylogon.assets == 12 and proxylogon.products[0].line == 3
    # Every Exchange entry of the catalogue (read raw) reaches ALPHA-CERT's Exchange Server 2019.
    exchange = {v["cveID"] for v in raw["vulnerabilities"]
                if v["vendorProject"] == "Microsoft" and v["product"] in ("Exchange Server", "Exchange")}
    assert len(exchange) == 17
    assert exchange <= {e.cve_id for e in alpha.exposures}
    # FortiOS: every entry whose product names FortiOS (14 in the catalogue).
    fortios = {v["cveID"] for v in raw["vulnerabilities"] if v["vendorProject"] == "Fortinet"
               and "FortiOS" in v["product"]}
    assert len(fortios) == 14
    assert {e.cve_id for e in alpha.exposures for p in e.products if ":fortios:" in p.cpe} == fortios

    bravo = report.member("BRAVO-CSIRT")
    assert bravo is not None
    late = next(e for e in bravo.exposures if e.cve_id == "CVE-2021-26855")
    assert late.exposed_since == date(2024, 2, 1)  # Exchange 2016 declared 2024-02-01, after the KEV entry
    ivanti = next(e for e in bravo.exposures if e.cve_id == "CVE-2023-46805")
    # Connect Secure 22.3 (rule) and Pulse Connect Secure 9.0 (alias, renamed product) both reach it.
    assert {(p.cpe.split(":")[4], p.basis) for p in ivanti.products} == {("connect_secure", "rule"),
                                                                         ("pulse_connect_secure", "alias")}
    assert ivanti.exposed_since == date(2024, 1, 10) and ivanti.assets == 3

    charlie = report.member("CHARLIE-SOC")
    assert charlie is not None
    netscaler = next(e for e in charlie.exposures if e.cve_id == "CVE-2019-19781")
    assert netscaler.products[0].cpe.startswith("cpe:2.3:o:citrix:application_delivery_controller_firmware:13.0")


def test_exposure_counts_only_what_was_known_on_as_of(kev: Kev, inventories: list[InventoryItem]) -> None:
    before = exposure(inventories, kev, date(2021, 11, 2))  # the day before KEV's first entries
    assert before.aggregate.exposures == 0 and before.aggregate.members == 3
    early = exposure(inventories, kev, date(2021, 11, 3))
    bravo = early.member("BRAVO-CSIRT")
    assert bravo is not None and bravo.declared == 2  # Pulse (2019) and ASA (2021); the other three came later
    alpha = early.member("ALPHA-CERT")
    assert alpha is not None and "CVE-2021-26855" in {e.cve_id for e in alpha.exposures}
    assert "CVE-2021-44228" not in {e.cve_id for e in alpha.exposures}  # Log4Shell joined KEV on 2021-12-10


def test_aggregate_across_members(kev: Kev, inventories: list[InventoryItem], raw: dict) -> None:
    report = exposure(inventories, kev, AS_OF)
    aggregate = report.aggregate
    per_cve = {c.cve_id: c for c in aggregate.per_cve}
    # The three members all declared an Exchange Server before AS_OF: every Exchange CVE reaches all three.
    assert per_cve["CVE-2021-26855"].members == 3 and per_cve["CVE-2021-26855"].assets == 12 + 3 + 2
    assert per_cve["CVE-2024-3400"].members == 1
    assert aggregate.per_cve[0].members == 3
    assert (aggregate.members, aggregate.members_exposed) == (3, 3)
    assert aggregate.exposures == sum(m.cves for m in report.members)
    # The ransomware share, recomputed from the raw catalogue for the CVEs found.
    known = {v["cveID"] for v in raw["vulnerabilities"] if v["knownRansomwareCampaignUse"] == "Known"}
    cves = set(per_cve)
    assert aggregate.cves == len(cves)
    assert aggregate.ransomware_cves == len(cves & known)
    assert aggregate.ransomware_share_cves == pytest.approx(len(cves & known) / len(cves))
    assert 0 < aggregate.ransomware_share_cves < 1
    vendors = {v.vendor: v for v in aggregate.per_vendor}
    assert vendors["microsoft"].members == 3 and vendors["paloaltonetworks"].cves == 10  # PAN-OS: 10 KEV entries
    document = report.as_dict()
    assert json.loads(json.dumps(document)) == document
    assert document["members"][0]["member"] == "ALPHA-CERT"


def test_exposure_with_the_shipped_sample(inventories: list[InventoryItem]) -> None:
    kev, _ = read_kev(packaged(SAMPLE))
    report = exposure(inventories, kev, AS_OF)
    alpha = report.member("ALPHA-CERT")
    assert alpha is not None
    assert {"CVE-2021-26855", "CVE-2021-44228", "CVE-2018-13379", "CVE-2023-4966", "CVE-2021-1732"} <= {
        e.cve_id for e in alpha.exposures}
    assert "CVE-2025-48384" not in {c.cve_id for c in report.aggregate.per_cve}  # Git: declared by no one
