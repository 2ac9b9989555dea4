"""CISA's Known Exploited Vulnerabilities (KEV) catalogue: read it, and say which CPE products each entry concerns.

**Source.** ``../shared/data/cyber/kev/known_exploited_vulnerabilities.json`` (cisagov/kev-data, commit
``eacf03ec6637cc7be6d3d4ed50785493da5126a2``, catalogVersion 2025.08.25, 1,404 CVEs; CC0 1.0, see
``kev/LICENSE`` and PROVENANCE.md there), in the shape of its JSON schema
(``known_exploited_vulnerabilities_schema.json``). :func:`read_kev` reads it from there (:mod:`kompas.locate`)
and, on a clone without ../shared, falls back to ``kompas/data/cyber/kev_sample.json``: 35 entries of the same
file, copied unchanged (their keys and values), with the catalogue header kept (its ``title`` says it is a sample)
and ``count`` set to 35. The sample's entries are those of the products in ``examples/cyber/inventory_*.csv``
(Exchange, FortiOS, NetScaler/ADC, Connect Secure, PAN-OS, Log4j, ASA, vCenter, Confluence, a few Windows CVEs,
Chromium WebP), one placeholder entry (Fortinet "Multiple Products") and one matching none (Git); CC0 allows
the copy.

**Records.** :func:`parse_kev` checks every entry against the schema (``cveID`` ``CVE-YYYY-NNNN+``; the required
strings present and non-empty; ``dateAdded`` and ``dueDate`` real ``YYYY-MM-DD`` dates;
``knownRansomwareCampaignUse`` ``Known`` or ``Unknown``, as the schema's description says; ``cwes`` a list of
``CWE-N``) and that no CVE comes twice. A bad entry becomes a :class:`~kompas.rejections.Rejection` (unit
``item``: its 1-based place in ``vulnerabilities``, the field, the reason) and the rest go through. A ``count``
that differs from the number of entries is reported as a rejection of the source (item 0); the entries are kept.
A ``dueDate`` before ``dateAdded`` is *not* rejected: 15 entries of the 2025-08-25 catalogue have one (CVEs that
earlier emergency directives had already given a deadline).

**From KEV's names to CPE names.** KEV names no CPE: it has free-text ``vendorProject`` and ``product``
(``Microsoft``/``Exchange Server``, ``Ivanti``/``Connect Secure, Policy Secure, and ZTA Gateways``), and its
``notes`` hold advisory and NVD links but no CPE names (checked: the word "cpe" occurs in 4 notes, all Zyxel
advisories about "DSL CPE" devices, customer-premises equipment). So each entry is turned into the (vendor,
product) keys a CPE name of the same product would have, by a stated rule and a short alias table:

1. *Keys.* A name's key is :func:`kompas.cyber.cpe.name_key`: NFKC, case-folded, ``&`` read as "and", only letters
   and digits kept. NVD's CPE names are the vendor's and product's names lowercased with spaces as ``_``
   (``exchange_server``) or dropped (``paloaltonetworks``), so the key of a KEV name equals the key of its CPE
   name whenever NVD follows the product's own name.
2. *Vendor.* The key of ``vendorProject`` without a parenthesised part, and of the parenthesised part
   (``Hewlett Packard (HP)``: ``hewlettpackard`` and ``hp``), and the vendor aliases of :data:`VENDOR_ALIASES`;
   each also with ``project`` appended, as NVD names many open-source vendors (``xstream_project``,
   ``exiftool_project``).
3. *Products.* ``product`` names one product or several (``IOS and IOS XE Software``, ``iOS, iPadOS, and macOS``):
   it is split on commas, ``and`` and ``/``, and the whole text is kept as well (``Backup and Replication`` is one
   product). For each: its key without a parenthesised part (``Adaptive Security Appliance (ASA)``), that key with a
   generic last word dropped (:data:`GENERIC_WORDS`: ``IOS XE Software`` -> ``iosxe``, ``DIR-859 Router`` ->
   ``dir859``), and that key with the vendor's name dropped from its front (``Symantec Messaging Gateway`` ->
   ``messaginggateway``). Placeholders (``Multiple Products``, ``Multiple Routers``, ...) give no key.
4. *Aliases.* :data:`ALIASES` adds the CPE names NVD uses where they differ from KEV's text (``iOS`` is
   ``apple:iphone_os``, ``Log4j2`` is ``apache:log4j``, ``Pulse Connect Secure`` also ``ivanti:connect_secure``
   after the rename), and *families*: ``Microsoft Windows`` and the Windows components KEV names on their own
   (``Win32k``, ``SMBv1``, ...) match every ``microsoft:windows`` and ``microsoft:windows_*`` product
   (``windows_10``, ``windows_server_2019``), since NVD lists each Windows release as its own product. Each alias
   says why; every CPE name it targets was seen in public NVD-derived data (NVD configurations, scanner and SBOM
   tools' CPE tables) while writing it.

On the inventory side (:mod:`kompas.cyber.exposure`) a device's firmware name ``<model>_firmware`` also matches the
model. :func:`coverage` counts the entries matched through an alias, through the rule alone, and not at all (the
placeholders), and lists the last. On catalogVersion 2025.08.25: 475 of the 1,404 entries get an alias key, 831
rule keys only, 98 none, all of them "Multiple ..." placeholders (45 Apple "Multiple Products", 10 Qualcomm
"Multiple Chipsets", 5 Zyxel "Multiple Firewalls", ...). The rule keys are not all NVD's names: a hand check of 12
(vendor, product) pairs drawn at random among the rule-only ones found 9 whose key is NVD's; the other three led to
the ``project`` suffix (XStream is ``xstream_project``), the ``netis`` vendor alias and the BIG-IP family alias
above, so the same 12 now all reach NVD's names; other mismatches of this kind remain in the 831.
KEV names no versions: a match means the product *may* be exposed, never that
the version is.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from kompas.cyber.cpe import name_key
from kompas.rejections import Rejection

__all__ = ["ALIASES", "GENERIC_WORDS", "KEV_PATH", "RANSOMWARE_VALUES", "SAMPLE", "VENDOR_ALIASES", "Alias",
           "Coverage", "Kev", "KevEntry", "ProductKey", "coverage", "entry_keys", "parse_kev", "parse_kev_text",
           "read_kev"]

KEV_PATH = "cyber/kev/known_exploited_vulnerabilities.json"  #: under ../shared/data
SAMPLE = "cyber/kev_sample.json"  #: under kompas/data (35 entries of the same catalogue)
RANSOMWARE_VALUES = ("Known", "Unknown")  #: ``knownRansomwareCampaignUse`` as the schema describes it
_CVE = re.compile(r"^CVE-[0-9]{4}-[0-9]{4,19}$")  # the schema's pattern
_CWE = re.compile(r"^CWE-[0-9]+$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_REQUIRED = ("cveID", "vendorProject", "product", "vulnerabilityName", "dateAdded", "shortDescription",
             "requiredAction", "dueDate")


@dataclass(frozen=True, slots=True)
class KevEntry:
    """One KEV entry (the schema's ``vulnerability``)."""

    cve_id: str  #: ``CVE-2021-26855``
    vendor_project: str  #: free text, ``Microsoft``
    product: str  #: free text, ``Exchange Server``
    vulnerability_name: str
    date_added: date  #: when CISA added it to the catalogue
    due_date: date  #: CISA's deadline for US federal agencies (BOD 22-01)
    ransomware: str  #: ``Known`` or ``Unknown`` (``knownRansomwareCampaignUse``)
    cwes: tuple[str, ...] = ()
    notes: str = ""
    short_description: str = ""
    required_action: str = ""

    @property
    def ransomware_known(self) -> bool:
        """True when CISA knows the vulnerability was used in a ransomware campaign."""
        return self.ransomware == "Known"


@dataclass(frozen=True)
class Kev:
    """The catalogue: its version and release time as published, and the entries that passed the checks."""

    version: str  #: ``catalogVersion``, e.g. ``2025.08.25``
    released: str  #: ``dateReleased`` as published (ISO 8601)
    entries: tuple[KevEntry, ...]
    source: str = ""  #: the file read

    def by_cve(self) -> dict[str, KevEntry]:
        """The entries by CVE id."""
        return {e.cve_id: e for e in self.entries}

    def added_per_year(self) -> dict[int, int]:
        """How many entries were added each year (by ``dateAdded``)."""
        return dict(sorted(Counter(e.date_added.year for e in self.entries).items()))

    def ransomware_counts(self) -> dict[str, int]:
        """Entries per ``knownRansomwareCampaignUse`` value."""
        counts = Counter(e.ransomware for e in self.entries)
        return {value: counts.get(value, 0) for value in RANSOMWARE_VALUES}


# -- reading -------------------------------------------------------------------------------------------------------

def _date(value: Any, name: str) -> tuple[date | None, str]:  # noqa: ANN401 (a JSON value)
    if not isinstance(value, str) or not _DATE.match(value):
        return None, f"{name} must be a date YYYY-MM-DD (got {value!r})"
    try:
        return date.fromisoformat(value), ""
    except ValueError:
        return None, f"{name} is not a real date (got {value!r})"


def _entry(item: Any) -> tuple[KevEntry | None, str, str]:  # noqa: ANN401 (a JSON value)
    """One entry, or None with the field and the reason it was rejected."""
    if not isinstance(item, dict):
        return None, "", f"an entry must be an object (got {type(item).__name__})"
    for name in _REQUIRED:
        value = item.get(name)
        if not isinstance(value, str) or not value.strip():
            return None, name, f"{name} is required and must be non-empty text (got {value!r})"
    if not _CVE.match(item["cveID"]):
        return None, "cveID", f"cveID must look like CVE-YYYY-NNNN (got {item['cveID']!r})"
    added, why = _date(item["dateAdded"], "dateAdded")
    if added is None:
        return None, "dateAdded", why
    due, why = _date(item["dueDate"], "dueDate")
    if due is None:
        return None, "dueDate", why
    ransomware = item.get("knownRansomwareCampaignUse", "Unknown")
    if ransomware not in RANSOMWARE_VALUES:
        return None, "knownRansomwareCampaignUse", f"knownRansomwareCampaignUse must be Known or Unknown " \
                                                   f"(got {ransomware!r})"
    cwes = item.get("cwes", [])
    if not isinstance(cwes, list) or not all(isinstance(c, str) and _CWE.match(c) for c in cwes):
        return None, "cwes", f"cwes must be a list of CWE-N (got {cwes!r})"
    notes = item.get("notes", "")
    if not isinstance(notes, str):
        return None, "notes", f"notes must be text (got {notes!r})"
    return KevEntry(cve_id=item["cveID"], vendor_project=item["vendorProject"].strip(),
                    product=item["product"].strip(), vulnerability_name=item["vulnerabilityName"],
                    date_added=added, due_date=due, ransomware=ransomware, cwes=tuple(cwes), notes=notes,
                    short_description=item["shortDescription"], required_action=item["requiredAction"]), "", ""


def parse_kev(document: Any, source: str = "KEV") -> tuple[Kev, list[Rejection]]:  # noqa: ANN401 (decoded JSON)
    """The catalogue of a decoded KEV JSON document, and one rejection per bad entry (unit ``item``, 1-based) or
    bad header (item 0). Pure: no I/O."""
    rejections: list[Rejection] = []
    if not isinstance(document, dict) or not isinstance(document.get("vulnerabilities"), list):
        rejections.append(Rejection(source, 0, "vulnerabilities", "not a KEV catalogue: no list "
                                    "'vulnerabilities'", unit="item"))
        return Kev("", "", (), source), rejections
    items = document["vulnerabilities"]
    count = document.get("count")
    if count != len(items):
        rejections.append(Rejection(source, 0, "count", f"count says {count!r}, the catalogue has {len(items)} "
                                    "entries (all read)", unit="item"))
    entries: list[KevEntry] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        entry, field_name, reason = _entry(item)
        if entry is None:
            rejections.append(Rejection(source, number, field_name, reason, unit="item"))
            continue
        if entry.cve_id in seen:
            rejections.append(Rejection(source, number, "cveID", f"{entry.cve_id} repeats item {seen[entry.cve_id]}",
                                        unit="item"))
            continue
        seen[entry.cve_id] = number
        entries.append(entry)
    version = document.get("catalogVersion", "")
    released = document.get("dateReleased", "")
    return Kev(str(version), str(released), tuple(entries), source), rejections


def parse_kev_text(text: str, source: str = "KEV") -> tuple[Kev, list[Rejection]]:
    """:func:`parse_kev` on JSON text; text that is not JSON is one rejection of the source."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return Kev("", "", (), source), [Rejection(source, 0, "", f"not JSON: {error}", unit="item")]
    return parse_kev(document, source)


def read_kev(path: str | Path | None = None) -> tuple[Kev, list[Rejection]]:
    """The KEV catalogue at ``path``; by default ``../shared/data/cyber/kev/known_exploited_vulnerabilities.json``
    (:data:`KEV_PATH`, found by :func:`kompas.locate.shared_data`), else the sample shipped with Kompas
    (:data:`SAMPLE`, 35 entries: check ``Kev.source``). A thin reader over :mod:`kompas.files`."""
    from kompas.files import packaged, read_text
    from kompas.locate import shared_data

    if path is None:
        found = shared_data(KEV_PATH)
        path = found if found is not None else packaged(SAMPLE)
    return parse_kev_text(read_text(path), str(path))


# -- KEV names -> CPE (vendor, product) keys -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ProductKey:
    """A (vendor, product) a KEV entry concerns, as keys (:func:`kompas.cyber.cpe.name_key`)."""

    vendor: str  #: ``microsoft``
    product: str  #: ``exchangeserver``
    family: bool = False  #: also every product whose words start with these (``windows`` -> ``windows_10``)
    basis: Literal["rule", "alias"] = "rule"  #: the normalisation rule, or :data:`ALIASES`


@dataclass(frozen=True, slots=True)
class Alias:
    """KEV names (vendor key, product keys; a key ending in ``*`` is a prefix) and the CPE names NVD gives them:
    ``vendor:product`` (``product*``: the family, that product and every product whose words start with it)."""

    vendor: str
    products: tuple[str, ...]
    cpes: tuple[str, ...]
    why: str


#: Generic last words of KEV product names that CPE product names leave out.
GENERIC_WORDS = ("software", "devices", "device", "appliances", "appliance", "routers", "router", "firmware")

#: KEV vendor keys -> further CPE vendor keys.
VENDOR_ALIASES: Mapping[str, tuple[str, ...]] = {
    "android": ("google",),  # NVD: Android is google:android
    "zoho": ("zohocorp",),  # NVD: zohocorp:manageengine_*
    "phpgroup": ("php",),  # NVD: php:php
    "rails": ("rubyonrails",),  # NVD: rubyonrails:rails
    "vmwaretanzu": ("vmware",),  # NVD: vmware:spring_cloud_*, vmware:spring_data_commons
    "dlinkandtrendnet": ("dlink", "trendnet"),  # one KEV entry for both vendors' devices
    "netis": ("netissystems",),  # NVD: netis-systems:wf2419_firmware
}

_WINDOWS_COMPONENTS = (
    "win32k", "smbv1", "smbv1server", "smbv3", "netlogon", "taskscheduler", "graphicscomponent",
    "graphicsdeviceinterface", "dwmcorelibrary", "clientserverruntimesubsystem", "ancillaryfunctiondriver",
    "directxgraphicskernel", "atmfontdriver", "kerberoskeydistributioncenter", "httpsys", "httpprotocolstack",
    "remotedesktopservices", "streamingservice", "streamingserviceproxy", "winverifytrustfunction",
    "enhancedcryptographicprovider", "mshtml", "updatenotificationmanager", "smartscreenprompt",
    "inputmethodeditorjapanese", "hypervremotefx", "activedirectory", "windows*")

#: The alias table: where NVD's CPE name differs from KEV's text (each row says why).
ALIASES: tuple[Alias, ...] = (
    Alias("microsoft", _WINDOWS_COMPONENTS, ("microsoft:windows*",),
          "Windows and the Windows components KEV names alone (Win32k, SMBv1, Netlogon, ...): NVD lists the "
          "affected Windows releases, each its own product (windows_10_1809, windows_server_2019, windows_11_23h2)"),
    Alias("microsoft", ("exchange",), ("microsoft:exchange_server",), "KEV's 'Exchange' is Exchange Server"),
    Alias("microsoft", ("sharepoint",), ("microsoft:sharepoint*",),
          "NVD names SharePoint by edition: sharepoint_server, sharepoint_foundation, sharepoint_enterprise_server"),
    Alias("microsoft", ("officeoutlook",), ("microsoft:outlook",), "NVD: microsoft:outlook"),
    Alias("apple", ("ios",), ("apple:iphone_os",), "NVD names iOS iphone_os"),
    Alias("apple", ("macos", "osx"), ("apple:macos", "apple:mac_os_x"),
          "NVD names macOS macos, and OS X (up to 10.15) mac_os_x"),
    Alias("google", ("chromium*", "chrome*"), ("google:chrome",),
          "KEV names the Chromium component (V8, Skia, Mojo, ...); NVD lists google:chrome for these CVEs"),
    Alias("google", ("pixel",), ("google:android",), "Pixel bulletins' CVEs are Android's (NVD: google:android)"),
    Alias("android", ("android*", "kernel", "framework", "pixel"), ("google:android",),
          "KEV's vendor 'Android': NVD's google:android"),
    Alias("linux", ("kernel",), ("linux:linux_kernel",), "NVD: linux:linux_kernel"),
    Alias("apache", ("log4j2",), ("apache:log4j",), "NVD names Log4j 2 apache:log4j"),
    Alias("apache", ("struts1", "struts2"), ("apache:struts",), "NVD names Struts 1 and 2 apache:struts"),
    Alias("oracle", ("javase", "javasejdk", "javaruntimeenvironment", "javaseandjrockit"),
          ("oracle:jdk", "oracle:jre"), "NVD names Java SE oracle:jdk and oracle:jre"),
    Alias("cisco", ("adaptivesecurityappliance", "adaptivesecurityapplianceasa"),
          ("cisco:adaptive_security_appliance_software",), "NVD: cisco:adaptive_security_appliance_software"),
    Alias("cisco", ("xr",), ("cisco:ios_xr",), "'IOS, XR, and XE Software': XR is IOS XR"),
    Alias("cisco", ("xe", "iosxewebui", "ciscoiosxewebui"), ("cisco:ios_xe",),
          "'IOS, XR, and XE Software': XE is IOS XE; the IOS XE Web UI is part of IOS XE"),
    Alias("cisco", ("anyconnectsecure",), ("cisco:anyconnect_secure_mobility_client",),
          "NVD: cisco:anyconnect_secure_mobility_client"),
    Alias("citrix", ("netscaleradc", "applicationdeliverycontroller", "applicationdeliverycontrolleradc"),
          ("citrix:netscaler_application_delivery_controller", "citrix:application_delivery_controller"),
          "Citrix ADC was renamed NetScaler ADC (2023); NVD uses both names (and *_firmware)"),
    Alias("citrix", ("netscalergateway", "gateway"), ("citrix:netscaler_gateway", "citrix:gateway"),
          "Citrix Gateway was renamed NetScaler Gateway (2023); NVD uses both names"),
    Alias("ivanti", ("pulseconnectsecure", "connectsecure"),
          ("ivanti:connect_secure", "pulsesecure:pulse_connect_secure"),
          "Ivanti bought Pulse Secure (2020) and renamed Pulse Connect Secure Ivanti Connect Secure; NVD names "
          "the releases before the rename pulsesecure:pulse_connect_secure"),
    Alias("ivanti", ("pulsepolicysecure", "policysecure"),
          ("ivanti:policy_secure", "pulsesecure:pulse_policy_secure"), "as Connect Secure: renamed Policy Secure"),
    Alias("fortinet", ("forticlientems",), ("fortinet:forticlient_enterprise_management_server",),
          "NVD: fortinet:forticlient_enterprise_management_server"),
    Alias("fortinet", ("fortiproxysslvpn",), ("fortinet:fortiproxy",), "the SSL-VPN of FortiProxy"),
    Alias("adobe", ("reader", "acrobat"), ("adobe:acrobat*",),
          "NVD names Reader and Acrobat by track: acrobat, acrobat_dc, acrobat_reader, acrobat_reader_dc"),
    Alias("atlassian", ("confluence", "confluenceserveranddatacenter", "confluencedatacenterandserver",
                        "confluenceserveranddataserver", "confluenceserverdatacenter"),
          ("atlassian:confluence_server", "atlassian:confluence_data_center"),
          "Confluence Server and Data Center: NVD's confluence_server and confluence_data_center"),
    Alias("atlassian", ("jiraserveranddatacenter",), ("atlassian:jira_server", "atlassian:jira_data_center"),
          "Jira Server and Data Center: NVD's jira_server and jira_data_center"),
    Alias("atlassian", ("bitbucketserveranddatacenter",),
          ("atlassian:bitbucket_server", "atlassian:bitbucket_data_center"),
          "Bitbucket Server and Data Center: NVD's bitbucket_server and bitbucket_data_center"),
    Alias("sap", ("netweaver",), ("sap:netweaver*",),
          "NVD names NetWeaver by component (netweaver_application_server_java, netweaver_as_java, ...)"),
    Alias("f5", ("bigip*",), ("f5:big-ip*",),
          "NVD names each BIG-IP module its own product (big-ip_local_traffic_manager, big-ip_access_policy_manager)"),
    Alias("zoho", ("manageengine*",), ("zohocorp:manageengine*",),
          "NVD names each ManageEngine product zohocorp:manageengine_<product>"),
)


_PARENTHESES = re.compile(r"\([^)]*\)")
_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*/\s*")


def _vendor_keys(vendor_project: str) -> tuple[str, ...]:
    main = name_key(_PARENTHESES.sub(" ", vendor_project))
    keys = [main, *(name_key(p) for p in re.findall(r"\(([^)]*)\)", vendor_project))]
    keys += VENDOR_ALIASES.get(main, ())
    keys += [k + "project" for k in keys if k and not k.endswith("project")]
    return tuple(dict.fromkeys(k for k in keys if k))


def _product_keys(product: str, vendor_keys: tuple[str, ...]) -> tuple[str, ...]:
    """The rule's product keys (module docstring, step 3); none for placeholders (``Multiple ...``)."""
    keys: list[str] = []
    for text in dict.fromkeys([product, *_SPLIT.split(product)]):
        words = _PARENTHESES.sub(" ", text).split()
        if not words or name_key(words[0]) == "multiple":
            continue
        key = name_key(" ".join(words))
        variants = [key]
        if len(words) > 1 and name_key(words[-1]) in GENERIC_WORDS:
            variants.append(name_key(" ".join(words[:-1])))
        for vendor in vendor_keys:
            for variant in list(variants):
                if variant.startswith(vendor) and len(variant) > len(vendor):
                    variants.append(variant[len(vendor):])
        keys += [v for v in variants if v]
    return tuple(dict.fromkeys(keys))


def _alias_applies(alias: Alias, vendor_keys: tuple[str, ...], product_keys: tuple[str, ...]) -> bool:
    if alias.vendor not in vendor_keys:
        return False
    for wanted in alias.products:
        if wanted.endswith("*"):
            if any(k.startswith(wanted[:-1]) for k in product_keys):
                return True
        elif wanted in product_keys:
            return True
    return False


def _target(cpe: str) -> ProductKey:
    vendor, product = cpe.split(":")
    family = product.endswith("*")
    return ProductKey(name_key(vendor), name_key(product.rstrip("*")), family, "alias")


def entry_keys(entry: KevEntry, aliases: Iterable[Alias] = ALIASES) -> tuple[ProductKey, ...]:
    """The (vendor, product) keys a CPE name of the entry's product may have: the rule's (module docstring,
    steps 1-3) and the aliases' (step 4); none for a placeholder product without an alias."""
    vendors = _vendor_keys(entry.vendor_project)
    products = _product_keys(entry.product, vendors)
    keys = [ProductKey(v, p) for v in vendors for p in products]
    whole = name_key(_PARENTHESES.sub(" ", entry.product))
    for alias in aliases:
        if _alias_applies(alias, vendors, (*products, whole)):
            keys += [_target(c) for c in alias.cpes]
    return tuple(dict.fromkeys(keys))


@dataclass(frozen=True)
class Coverage:
    """How the catalogue's entries reach CPE names: through an alias, through the rule alone, or not at all."""

    total: int
    alias: int  #: entries with at least one alias key
    rule: int  #: entries with rule keys only
    unmatched: tuple[KevEntry, ...]  #: entries without any key (placeholder products such as "Multiple Products")

    @property
    def matched(self) -> int:
        """Entries with at least one key."""
        return self.alias + self.rule

    def unmatched_pairs(self) -> list[tuple[str, str, int]]:
        """(vendorProject, product, entries) of the unmatched entries, the most frequent first."""
        counts = Counter((e.vendor_project, e.product) for e in self.unmatched)
        return [(v, p, n) for (v, p), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def coverage(kev: Kev, aliases: Iterable[Alias] = ALIASES) -> Coverage:
    """Count how the entries of ``kev`` reach CPE names (:func:`entry_keys`)."""
    table = tuple(aliases)
    alias = rule = 0
    unmatched: list[KevEntry] = []
    for entry in kev.entries:
        keys = entry_keys(entry, table)
        if any(k.basis == "alias" for k in keys):
            alias += 1
        elif keys:
            rule += 1
        else:
            unmatched.append(entry)
    return Coverage(len(kev.entries), alias, rule, tuple(unmatched))
