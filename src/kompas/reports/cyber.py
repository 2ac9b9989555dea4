"""The periodic cyber threat report (HTML, PDF through WeasyPrint): what the members shared over a period, as the
reader may see it, banner-marked with the combination of everything used (:func:`kompas.services.cyber.report`).

Sections: the summary (incidents, significant ones, surges, exposure); incidents per week and per NIS2 sector
(charts), per RSIT class and type and per member state; the NIS2 reporting clocks; surges; the techniques and
software most seen; the indicators most sighted by several members (observers named only where the reader may
know them); exposure to CISA's Known Exploited Vulnerabilities; the EU cyber sanctions listings and the ATT&CK
groups they concern, with the incidents naming one; and the sources with their licences. Actor names are the
sources' claims and ATT&CK groups an analyst's lead: the report never attributes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kompas.reports.document import esc, figure, page, pyplot, table

SOURCES = [
    ("MITRE ATT&CK v18.1 (Enterprise, ICS)", "© The MITRE Corporation; ATT&CK licence: reproduced with its notice"),
    ("CISA Known Exploited Vulnerabilities catalogue", "CC0 1.0 (cisagov/kev-data)"),
    ("MISP taxonomies (RSIT, NIS2, TLP, PAP, admiralty scale, estimative language, EUCI)", "CC0 1.0 or BSD-2-Clause"),
    ("MISP threat-actor galaxy", "CC0 1.0 or BSD-2-Clause; quoted texts keep their own terms"),
    ("EU cyber sanctions listings (eu_cyber_sanctions.csv)",
     "hand-written from public press and legal-news pages, each row citing its source; names are search keys, "
     "not the legal text"),
]


def _pairs(items: Sequence[Mapping[str, Any]], most: int = 15) -> list[tuple[str, int]]:
    return [(i["key"], i["count"]) for i in items[:most]]


def _bar(pairs: Sequence[tuple[str, int]], title: str, caption: str, horizontal: bool = False) -> str:
    if not pairs:
        return ""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.2, 2.8 if not horizontal else 0.3 * len(pairs) + 1.0))
    labels, values = [p[0] for p in pairs], [p[1] for p in pairs]
    if horizontal:
        ax.barh(labels[::-1], values[::-1], color="#2b6cb0")
        ax.set_xlabel("incidents")
    else:
        ax.bar(labels, values, color="#2b6cb0")
        ax.set_ylabel("incidents")
        ax.tick_params(axis="x", labelrotation=60, labelsize=7)
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return figure(fig, caption)


def build(context: Mapping[str, Any], banner: str, handling: str = "") -> str:
    """The report page from :func:`kompas.services.cyber.picture_view`'s answer."""
    c = context
    n = c["incidents"]
    exposure = c["exposure"]
    agg = exposure["aggregate"]
    summary = (f"<div class='key'><p><b>{n} incidents</b> shared from {esc(c['since'])} to {esc(c['until'])} that you "
               f"may see, {c['significant']} assessed significant under NIS2; "
               f"{len(c['surges'])} surge{'s' if len(c['surges']) != 1 else ''} of one incident class. "
               f"Most affected sector: {esc(c['by_sector'][0]['key']) if c['by_sector'] else '-'}; "
               f"most frequent class: {esc(c['by_rsit_class'][0]['key']) if c['by_rsit_class'] else '-'}.</p>"
               f"<p><b>Exposure</b> (KEV {esc(exposure['catalogue_version'])}, on {esc(c['until'])}): "
               f"{agg['members_exposed']} of {agg['members']} declaring members exposed, {agg['exposures']} "
               f"exposures to {agg['cves']} known exploited CVEs, {agg['ransomware_cves']} used in ransomware "
               f"campaigns ({esc(exposure['status'])}).</p>"
               "<p class='muted'>Actor names are what the sources claim and ATT&amp;CK groups are leads; attribution "
               "is a sovereign decision of the member states, recorded by them on the platform.</p></div>")
    body = [f"<h1>Cyber threat report, {esc(c['since'])} to {esc(c['until'])}</h1>",
            f"<p class='muted'>Prepared from what the reader may see; marking {esc(c['marking'].get('banner', ''))}."
            "</p>", summary, "<h2>1. Incidents</h2>",
            _bar([(w["key"], w["count"]) for w in c["by_week"]], "Incidents per ISO week", "Incidents shared, by the "
                 "ISO week of the day they happened."),
            _bar(_pairs(c["by_sector"]), "Incidents per NIS2 sector", "Incidents by NIS2 sector (an incident may "
                 "concern several).", horizontal=True),
            table(["RSIT class / type", "incidents"], _pairs(c["by_rsit_type"], 30), numeric=[1]),
            table(["member state affected", "incidents"], _pairs(c["by_member_state"], 30), numeric=[1]),
            table(["shared by", "incidents"], _pairs(c["by_reporter"], 30), numeric=[1]),
            "<h2>2. NIS2 reporting clocks</h2><p class='muted'>Directive (EU) 2022/2555 art. 23(4): early warning "
            "within 24 hours of becoming aware, incident notification within 72 hours, final report one month after "
            "the notification.</p>",
            table(["report and state", "incidents"], sorted(c["clocks"].items()), numeric=[1]) if c["clocks"]
            else "<p>No incident carries the time it was detected: no clock runs.</p>",
            "<h2>3. Surges</h2><p class='muted'>A week with at least 3 incidents of one RSIT class, reported by 2 "
            "members or hitting 2 member states, at least 3 times the class's rate over the period (Poisson tail "
            "below 0.001): the FIMI surge method with thresholds for shared cyber incidents.</p>",
            table(["class", "from", "to", "incidents", "reported by", "member states", "score"],
                  [(s["rsit_class"], s["first_day"], s["last_day"], len(s["incidents"]), ", ".join(s["reporters"]),
                    ", ".join(s["member_states"]), s["score"]) for s in c["surges"]], numeric=[3, 6])
            if c["surges"] else "<p>No surge.</p>",
            "<h2>4. Techniques, software and actors named</h2>",
            table(["ATT&CK technique", "incidents"], _pairs(c["techniques"], 20), numeric=[1]),
            table(["malware or tool", "incidents"], _pairs(c["software"], 20), numeric=[1]),
            table(["actor named by the source (a claim)", "incidents"], _pairs(c["actors_named"], 20), numeric=[1]),
            "<h3>Candidate campaigns</h3><p class='muted'>Incidents of any member linked by shared techniques, "
            "software and infrastructure (similarity at least 0.4), with the ATT&amp;CK groups their pooled evidence "
            "points to: a lead for analysts, not an attribution.</p>",
            (table(["incidents", "shared", "ATT&CK leads", "marking"],
                   [("; ".join(f"{i['date']} {i['title'][:50]} ({i['shared_by']})" for i in k["incidents"]),
                     ", ".join(k["shared"][:6]), ", ".join(f"{g['group_id']} {g['name']}" for g in k["leads"]) or "-",
                     k["marking"].get("banner", "")) for k in c_list])
             if (c_list := c.get("campaigns")) else "<p>No candidate campaign.</p>"
             if c.get("campaigns") is not None else "<p>Not computed: ATT&amp;CK is not at hand.</p>"),
            "<h2>5. Indicators sighted</h2>",
            table(["type", "value", "sightings", "count", "first seen", "last seen", "observers you may know",
                   "undisclosed"],
                  [(s["type"], s["value"][:80], s["sightings"], s["count"], s["first_seen_utc"][:16],
                    s["last_seen_utc"][:16], ", ".join(s["observers"]) or "-", s["undisclosed"])
                   for s in c["sightings"][:20]], numeric=[2, 3, 7]) if c["sightings"]
            else "<p>No sighting you may see.</p>",
            "<h2>6. Exposure to known exploited vulnerabilities</h2>",
            table(["CVE", "vendor", "product", "members", "ransomware", "added to KEV"],
                  [(e["cve_id"], e["vendor_project"], e["product"], e["members"], e["ransomware"], e["date_added"])
                   for e in agg["per_cve"][:20]], numeric=[3]) if agg["per_cve"]
            else "<p>No declaration you may see matches the catalogue.</p>",
            "<h2>7. EU cyber sanctions and the ATT&amp;CK groups they concern</h2>"
            "<p class='muted'>Each listing under Council Decision (CFSP) 2019/797 resolved to ATT&amp;CK groups from "
            "ATT&amp;CK's and the MISP galaxy's own text; incidents are those whose source names one of the "
            "groups.</p>",
            table(["listed", "name", "attack", "ATT&CK groups", "incidents you may see"],
                  [(s["listed_on"], s["name"], s["attack"][:90],
                    "; ".join(f"{g['group_id']} {g['name']}" for g in s["groups"][:3]) or "-", len(s["incidents"]))
                   for s in c["sanctions"]], numeric=[4]) if c["sanctions"]
            else "<p>" + esc("; ".join(n for n in c["notes"] if "sanction" in n) or "No listing read.") + "</p>",
            "<h2>8. Sources</h2>", table(["source", "terms"], SOURCES),
            ("<p class='muted'>" + esc("; ".join(c["notes"])) + "</p>") if c["notes"] else ""]
    return page(f"Cyber threat report {c['since']} to {c['until']}", "\n".join(body), banner, handling)
