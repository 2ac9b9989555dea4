"""The options paper: the response options for one incident, as a Political and Security Committee delegate would
read them before a meeting.

One page per part, in the order a delegate reads: the decision awaited and the short answer; the incident and
its evidence from the engines; what is known and what is not; the attribution state the reader may see (never
computed: member states' own records); the options by category (statement, preventive, stabilising, cooperative,
restrictive, resilience), each with its instrument, legal basis, who decides and by what rule, lead time,
escalation, why it is proposed, pros, cons and precedents; the options left out and why; the response workflow
with its owners and deadlines; the sources.

Pros and cons are derived from each option's data by the explicit rules of :func:`pros_and_cons` (lead time,
decision rule, escalation, precedents, the incident's attribution state), not written per incident: they say what
follows from the option's own terms. Pure: builds HTML from the context :func:`kompas.services.respond.paper_context`
gives; :mod:`kompas.reports.document` writes it as HTML or PDF.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kompas.reports.document import esc, page, table
from kompas.response.toolbox import CATEGORIES

SOURCES = (
    "EU seed texts: Strategic Compass (2022), Council conclusions on an EU space strategy for security and defence "
    "(2023); lines cited per option.",
    "Toolboxes: Kompas's reading of the seeds and the public acts each option names (kompas/data/toolboxes/).",
    "Precedents: EU responses to space and cyber incidents from public sources (eu_space_responses.csv, "
    "eu_cyber_sanctions.csv; source URL per row).",
    "Techniques and countermeasures: MITRE ATT&CK\u00ae (Enterprise and ICS, STIX 2.1, \u00a9 The MITRE "
    "Corporation); SPARTA, The Aerospace Corporation, sparta.aerospace.org; DISARM Framework, DISARM Foundation, "
    "CC BY-SA 4.0.",
)


def _when(text: str | None) -> str:
    return (text or "-")[:19].replace("T", " ") + (" UTC" if text else "")


def pros_and_cons(option: Mapping[str, Any], attributed: bool) -> tuple[list[str], list[str]]:
    """Pros and cons of one proposed option (its JSON form, :meth:`kompas.response.rank.Proposal.as_dict`) that
    follow from its own terms: lead time (at most 7 days: fast; over 60: slow), the decision rule (unanimity: one
    member state can block; the High Representative alone: quick, but speaks for the Union only within agreed
    positions), escalation (1-2: low risk of escalation; 4-5: cost imposed, risk of retaliation and of legal
    challenge), precedents (the same kind of act has been taken before) and, for restrictive measures, whether
    member states' attributions support it."""
    pros, cons = [], []
    low, high = (list(option.get("lead_time_days") or [0, 0]) + [0, 0])[:2]
    if high and high <= 7:
        pros.append(f"fast: typically {low}-{high} days")
    elif low and low > 60:
        cons.append(f"slow: typically {low}-{high} days")
    rule, decides = option.get("rule", ""), option.get("decides", "")
    if rule == "unanimity":
        cons.append(f"needs a unanimous {decides or 'Council'}: one member state can block it")
    elif decides == "High Representative":
        pros.append("the High Representative can act without waiting for a Council decision")
    escalation = int(option.get("escalation") or 0)
    if escalation <= 2:
        pros.append(f"low escalation ({escalation} of 5)")
    elif escalation >= 4:
        cons.append(f"high escalation ({escalation} of 5): imposes a cost, invites retaliation and legal challenge")
    if option.get("precedents"):
        pros.append("the EU has done this before (see the precedents)")
    if option.get("category") == "restrictive":
        (pros if attributed else cons).append(
            "member states' recorded attributions support it" if attributed else
            "no attribution by member states you may see supports it yet")
    if option.get("countermeasures"):
        pros.append(f"{len(option['countermeasures'])} countermeasure(s) of the frameworks address the techniques seen")
    return pros, cons


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


#: Most objects, countries or actors a paper lists by name (a debris cloud has hundreds: the paper says how many
#: and the platform's event holds them all).
LISTED = 12


def _some(values: Sequence[Any]) -> str:
    """``values`` joined, the first :data:`LISTED` and how many more."""
    shown = ", ".join(map(str, values[:LISTED]))
    return shown + (f" and {len(values) - LISTED} more (all in the event on the platform)" if len(values) > LISTED
                    else "")


def _place(place: Mapping[str, Any]) -> str:
    parts = []
    for key, value in place.items():
        shown = _some(value) if isinstance(value, list) else (
            "; ".join(f"{k} {v}" for k, v in value.items()) if isinstance(value, dict) else str(value))
        parts.append(f"{key.replace('_', ' ')}: {shown}")
    return "; ".join(parts) or "-"


def _list(items: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>" if items else "<p class='muted'>-</p>"


def _evidence(evidence: Mapping[str, Any]) -> str:
    rows = []
    for key, value in list(evidence.items())[:40]:
        shown = value if not isinstance(value, list | dict) else (
            _some(value) if isinstance(value, list)
            else "; ".join(f"{k}: {_some(v) if isinstance(v, list) else v}" for k, v in list(value.items())[:12]))
        rows.append((key.replace("_", " "), str(shown)[:300]))
    return table(["evidence", "value"], rows) if rows else "<p class='muted'>The event carries no evidence.</p>"


def _known_unknown(context: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    event, features = context["event"], context["ranking"]["features"]
    known = [f"{event['domain']} {event['type']}, {_when(event['start_utc'])} to {_when(event['end_utc'])}, "
             f"severity {event['severity']}"
             + (f", detection confidence {event['confidence']:.0%}" if event.get("confidence") is not None else "")]
    if features.get("kinds"):
        known.append("kind: " + ", ".join(features["kinds"]))
    if features.get("assets"):
        known.append("protected assets affected: " + ", ".join(f"{a['name']} ({a['owner']})"
                                                                  for a in features["assets"]))
    if features.get("techniques"):
        known.append("techniques: " + "; ".join(f"{fw} {', '.join(ids)}" for fw, ids in features["techniques"].items()))
    if features.get("software_users"):
        known.append("software used by (ATT&CK, not an attribution): " + ", ".join(features["software_users"]))
    for finding in context.get("findings") or []:
        value = finding["value"] if isinstance(finding["value"], str) else ", ".join(finding["value"])
        known.append(f"{finding['field']}: {value} (finding by {finding['org']}, {finding['recorded_utc'][:10]}: "
                     f"{finding['basis']})")
    unknown = []
    if event.get("confidence") is not None and event["confidence"] < 0.9:
        unknown.append(f"whether it happened as detected: the detection's confidence is {event['confidence']:.0%}")
    if features.get("services") or features.get("member_states"):
        known.append("services affected: " + (", ".join(features.get("services") or []) or "-")
                     + "; member states concerned: " + (", ".join(features.get("member_states") or []) or "-"))
    elif not features.get("assets"):
        unknown.append("whether EU or member states' assets and services are affected: none of the protected "
                       "assets is among its objects, and the event names no service or member state")
    coordination = context.get("coordination") or {}
    if not coordination.get("attributing"):
        unknown.append("who is responsible: no member state you may see has recorded an attribution "
                       "(attribution is a sovereign decision of each member state)")
    if event["domain"] == "space" and event["type"] == "fragmentation" and "destructive-asat" not in \
            features.get("kinds", []):
        unknown.append("the cause of the break-up (a test, a collision, an explosion): none recorded")
    unknown += [n for n in context.get("notes", []) if "not read" in n]
    return known, unknown


def _option_block(p: Mapping[str, Any], attributed: bool) -> str:
    pros, cons = pros_and_cons(p, attributed)
    low, high = (list(p.get("lead_time_days") or [0, 0]) + [0, 0])[:2]
    facts = table(["instrument", "legal basis", "who decides", "lead time", "escalation", "score"],
                  [(p["instrument"], p["basis"], f"{p['decides']} ({p['rule']})", f"{low}-{high} days",
                    f"{p['escalation']} of 5", f"{p['score']:g}")])
    precedents = [f"{m['done']}" + (f" ({m['lead_days']} days after the incident)" if m.get("lead_days") is not None
                                    else "") for m in p.get("precedents", [])[:2]]
    counters = [f"{c['framework']} {c['id']} {c['name']}" for c in p.get("countermeasures", [])[:5]]
    return (f"<h3>{esc(_one_line(p['name']))} <span class='muted'>({esc(p['toolbox'])} toolbox; "
            f"{esc(p['citation'])})</span></h3>{facts}<p><b>Why proposed</b></p>{_list(p['why'])}"
            f"<table><tr><th>pros</th><th>cons</th></tr><tr><td>{_list(pros)}</td><td>{_list(cons)}</td></tr></table>"
            + (f"<p><b>Precedents</b></p>{_list(precedents)}" if precedents else "")
            + (f"<p><b>Countermeasures</b></p>{_list(counters)}" if counters else ""))


def build(context: Mapping[str, Any], banner: str, handling: str = "") -> str:
    """The options paper's HTML page for ``context`` (:func:`kompas.services.respond.paper_context`)."""
    event, ranking = context["event"], context["ranking"]
    coordination = context.get("coordination") or {}
    attributed = bool(coordination.get("attributing"))
    proposals = ranking["proposals"]
    responses = context.get("responses") or []
    awaited = []
    for r in responses:
        for d in r["decisions"]:
            if d["awaiting"]:
                awaited.append(f"{d['name'] or d['option']}: {d['decides']} ({d['rule']}), at the step "
                               f"'{r['step_name']}' (owner {r['owner']}, deadline {_when(r['deadline_utc'])})"
                               + (" - OVERDUE" if r["overdue"] else ""))
    best: dict[str, Mapping[str, Any]] = {}
    for p in proposals:
        best.setdefault(p["category"], p)
    summary = ("<div class='key'><p><b>Decision awaited.</b> "
               + (esc("; ".join(awaited)) if awaited else "No response has been opened on this incident yet: "
                  "the first decision is which options to pursue.")
               + f"</p><p><b>Attribution.</b> {esc(coordination.get('sentence') or 'no attribution you may see')}."
               "</p><p><b>Short answer.</b> "
               + (esc("; ".join(f"{CATEGORIES[c]}: {_one_line(p['name'])}" for c, p in best.items())) if best
                  else "no option is proposed for this incident")
               + "</p></div>")
    known, unknown = _known_unknown(context)
    actors = [(a.get("role", ""), a.get("kind", ""), a.get("id", ""), a.get("name", "")) for a in event["actors"]]
    body = [f"<h1>Response options: {esc(event['title'] or event['type'])}</h1>",
            f"<p class='muted'>Event {esc(event['id'])} ({esc(event['domain'])}, {esc(event['type'])}); prepared "
            f"from what the reader may see; marking {esc(context['marking'].get('banner', ''))}.</p>", summary,
            "<h2>1. The incident</h2>",
            table(["time", "severity", "confidence", "place"],
                  [(f"{_when(event['start_utc'])} to {_when(event['end_utc'])}", event["severity"],
                    "-" if event.get("confidence") is None else f"{event['confidence']:.0%}",
                    _place(event.get("place") or {}))]),
            table(["role", "kind", "id", "name"], actors[:LISTED]) if actors else "",
            f"<p class='muted'>and {len(actors) - LISTED} more actors (all in the event on the platform)</p>"
            if len(actors) > LISTED else "",
            _evidence(event.get("evidence") or {}),
            "<h2>2. Known and unknown</h2><table><tr><th>known</th><th>not known</th></tr>"
            f"<tr><td>{_list(known)}</td><td>{_list(unknown)}</td></tr></table>",
            "<h2>3. Attribution state</h2>"
            "<p class='muted'>Member states' own assessments, as recorded by each under its own marking; Kompas "
            "never computes an attribution. Only the records you may see are listed and counted.</p>",
            table(["state", "attributes to", "confidence", "public", "date", "basis", "marking"],
                  [(a["state"], a["actor"], a["confidence"] or "-", "yes" if a["public"] else "no", a["date"],
                    a["basis"][:200], a["marking"].get("banner", "")) for a in context.get("attributions", [])])
            if context.get("attributions") else "<p>No attribution you may see has been recorded.</p>",
            "<h2>4. Options by category</h2>",
            table(["#", "category", "option", "toolbox", "decides", "lead time (days)", "escalation", "score"],
                  [(k, CATEGORIES.get(p["category"], p["category"]), _one_line(p["name"]), p["toolbox"],
                    f"{p['decides']} ({p['rule']})", "-".join(map(str, p.get("lead_time_days") or [])),
                    p["escalation"], f"{p['score']:g}") for k, p in enumerate(proposals, 1)], numeric=(0, 6, 7))
            if proposals else ""]
    for category, name in CATEGORIES.items():
        chosen = [p for p in proposals if p["category"] == category]
        if chosen:
            body.append(f"<h2 style='font-size:11.5pt'>{esc(name)}</h2>")
            body += [_option_block(p, attributed) for p in chosen]
    if not proposals:
        body.append("<p>No option is proposed: no rule applies to this incident's features.</p>")
    excluded = ranking.get("excluded") or []
    body.append("<h2>5. Options left out, and why</h2>")
    body.append(table(["option", "toolbox", "category", "why"],
                      [(x["id"], x["toolbox"], CATEGORIES.get(x["category"], x["category"]), " ".join(x["why"])[:400])
                       for x in excluded[:30]]) if excluded else "<p>None.</p>")
    body.append("<h2>6. The response workflow</h2>")
    if responses:
        for r in responses:
            body.append(f"<h3>{esc(r['workflow'])}: {esc(r['state'])}, at '{esc(r['step_name'])}'</h3>")
            body.append(table(["step", "owner", "deadline", "reached", "basis"],
                              [(s["name"] + (" (current)" if s["current"] else ""), s["owner"],
                                _when(s["deadline_utc"]), "yes" if s["reached"] else "", s["basis"])
                               for s in r["steps"]]))
            body.append(table(["when", "step", "by", "note"], [(_when(h["at_utc"]), h["step_name"], h["by"],
                                                                h["note"][:200]) for h in r["history"]]))
    else:
        body.append("<p>No response opened yet (POST /api/v1/responses).</p>")
    body.append("<h2>Sources</h2>" + _list(list(SOURCES) + list(context.get("notes", []))))
    return page(f"Response options: {event['title'] or event['type']}", "\n".join(body), banner, handling)
