"""The intelligence capacity's workflows (issue 26), called alike by the CLI (``kompas intel ...``) and the API
(``/api/v1/intel/...``): member states contribute graded reports; analysts write assessments, ACH boards and key
assumptions checks citing reports, events and each other; requirements are tracked to their due dates; key
judgements are resolved and scored.

Every item passes the engine's checks (:mod:`kompas.intel.model`, :mod:`kompas.intel.ach`,
:mod:`kompas.intel.assumptions`: each problem named with its place, nothing stored when one is found), then the
storage layer (:mod:`kompas.core.store.intel`) stores it under the combination of its author's marking and the
markings of everything it cites. Every view and export of an item carries that stored marking's banner, and every
derived view (scores, the reliability diagram, a listing) the combination of the items it used.
"""

from __future__ import annotations

import html
import json
import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from kompas.core.markings import Marking, Viewer, combine
from kompas.core.store import StoreBase
from kompas.core.store import intel as intel_store
from kompas.core.store.base import Account, StoreError
from kompas.intel import ach, scoring
from kompas.intel.assumptions import KeyAssumptionsCheck
from kompas.intel.fields import Problem
from kompas.intel.model import Assessment, Report, Requirement
from kompas.intel.model import resolve as resolve_judgement

KINDS = intel_store.KINDS
#: The engine class of each kind (``from_dict`` -> (item, problems)).
MODELS: dict[str, Any] = {"report": Report, "assessment": Assessment, "requirement": Requirement,
                          "board": ach.Board, "assumptions": KeyAssumptionsCheck}
EXPORTS = ("json", "html", "stix")
MAX_SCORED = 20_000  #: assessments the scores read at most (the newest; ``truncated`` says when there were more)
MAX_REQUIREMENTS = 5_000  #: requirements one due list holds at most (soonest first among the newest)
STIX_NAMESPACE = uuid.UUID("0f6b2d1e-3c4a-4e8b-9a77-2b5d8c1e4f60")  #: derived STIX ids of intelligence items


class IntelProblems(ValueError):
    """An item the engine's checks refuse: ``problems`` are (field, reason) pairs, fields named with their place
    (``key_judgements[1].likelihood``)."""

    def __init__(self, kind: str, problems: Sequence[Problem]) -> None:
        self.kind = kind
        self.problems = list(problems)
        first = "; ".join(f"{f}: {r}" if f else r for f, r in self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"{kind}: {first}{more}")


def parse(kind: str, data: object) -> Any:  # noqa: ANN401 (one of MODELS' classes)
    """The engine's item of ``kind`` from its JSON form; :class:`IntelProblems` when it is not valid."""
    if kind not in MODELS:
        raise IntelProblems(kind, [("kind", f"one of {', '.join(KINDS)}")])
    item, problems = MODELS[kind].from_dict(data)
    if problems or item is None:
        raise IntelProblems(kind, problems or [("", "not valid")])
    return item


def _title(kind: str, item: Any) -> str:  # noqa: ANN401
    if kind == "requirement":
        return str(item.question)[:300]
    return str(getattr(item, "title", "") or kind)[:300]


def _citations(kind: str, item: Any) -> list[tuple[str, str]]:  # noqa: ANN401
    """What the item cites, for its marking: its citations, and for an assessment the requirement it answers (a
    requirement's question can be as sensitive as the answer)."""
    out = [(c.kind, c.id) for c in getattr(item, "citations", ())]
    if kind == "assessment" and item.requirement:
        out.append(("requirement", item.requirement))
    return out


def summary_of(kind: str, item: Any) -> dict[str, Any]:  # noqa: ANN401
    """The few fields a listing shows of an item (stored beside it, so that listings never read bodies)."""
    if kind == "report":
        return {"grade": item.grade.code, "date": item.date}
    if kind == "assessment":
        return {"date": item.date, "judgements": len(item.key_judgements),
                "resolved": sum(kj.outcome is not None for kj in item.key_judgements)}
    if kind == "requirement":
        return {"due": item.due, "status": item.status, "owner": item.owner[:120], "priority": item.priority}
    if kind == "board":
        return {"hypotheses": len(item.hypotheses), "evidence": len(item.evidence)}
    if kind == "assumptions":
        return dict(item.summary())
    return {}


def _outcome_problems(item: Assessment, previous: Assessment | None, resolving: int | None) -> list[Problem]:
    """Outcomes are set only by resolving a judgement, and a resolved judgement is never edited or removed (it is
    scored): an author cannot rewrite a forecast after the fact."""
    before = [kj for kj in (previous.key_judgements if previous else ()) if kj.outcome is not None]
    out: list[Problem] = []
    for n, kj in enumerate(item.key_judgements):
        if (kj.outcome is not None or kj.resolved_at) and n != resolving and kj not in before:
            out.append((f"key_judgements[{n}].outcome", "set only by resolving the judgement once the assessment "
                                                        "is stored (kompas intel resolve; POST .../judgements/N)"))
    for kj in before:
        if kj not in item.key_judgements:
            out.append(("key_judgements", f"the resolved judgement {kj.text[:60]!r} cannot be edited or removed: "
                                          "it is scored (earlier versions are kept)"))
    return out


def write(store: StoreBase, account: Account, kind: str, data: object, marking: Marking,
          item_id: str | None = None, resolving: int | None = None) -> dict[str, Any]:
    """Check and store an item of ``kind`` (new, or a new version of ``item_id``) under ``marking`` combined with
    what it cites. Returns the id, version, stored marking and banner, whether the marking was raised above the
    one asked for (and why), and the items re-marked with it that the writer may see. Raises
    :class:`IntelProblems` (also for an outcome set outside :func:`resolve`, or a resolved judgement edited),
    StoreError or MarkingError (nothing stored)."""
    from kompas.core import audit

    item = parse(kind, data)
    if kind == "assessment":
        before = intel_store.get(store, account.viewer, item_id) if item_id else None
        previous = parse("assessment", before.body) if before is not None and before.kind == kind else None
        problems = _outcome_problems(item, previous, resolving)
        if problems:
            raise IntelProblems(kind, problems)
    written = intel_store.put(store, account, kind, _title(kind, item), item.as_dict(), marking,
                              _citations(kind, item), team=getattr(item, "team", ""),
                              product_line=getattr(item, "product_line", ""), item_id=item_id,
                              summary=summary_of(kind, item))
    audit.append(store.engine, account.name, f"intel-{kind}", f"intel/{written.id}", "ok",
                  f"version {written.version}, {written.marking.banner()}")
    return {"id": written.id, "kind": kind, "version": written.version, "marking": written.marking.as_dict(),
            "banner": written.marking.banner(), "raised": written.raised,
            "why": ("the marking combines the one given with those of everything cited (and of the previous "
                    "version): an item is never marked lower than what it rests on") if written.raised else "",
            "propagated": written.propagated}


def show(store: StoreBase, viewer: Viewer, item_id: str) -> dict[str, Any] | None:
    """An item the viewer may see, with its analysis where it has one (a board's scores, an assumptions check's
    counts, an assessment's judgements in ICD 203 words with their probability bands); None when not found."""
    found = intel_store.get(store, viewer, item_id)
    if found is None:
        return None
    out = found.as_dict()
    out["analysis"] = analysis(found.kind, found.body)
    out["cited_by"] = [{"id": i.id, "kind": i.kind, "title": i.title, "banner": i.marking.banner()}
                       for i in intel_store.cited_by(store, viewer, item_id)]
    out["history"] = [{"version": v["version"], "title": v["title"], "updated_utc": v["updated_utc"]}
                      for v in intel_store.history(store, viewer, item_id) or []]
    out["cited"] = cited_names(store, viewer, found.citations)
    return out


def cited_names(store: StoreBase, viewer: Viewer, citations: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """What an item cites, named: kind, id, title, and a report's grade or an event's time; ``withdrawn`` for an item
    or event no longer there (an originator may withdraw what others cite)."""
    out: list[dict[str, Any]] = []
    for kind, cited in citations:
        row: dict[str, Any] = {"kind": kind, "id": cited, "title": "", "detail": "", "withdrawn": False}
        if kind == "event":
            event = store.event(viewer, cited) if hasattr(store, "event") else None
            if event is None:
                row["withdrawn"] = True
            else:
                row |= {"title": event["title"], "detail": f"{event['domain']} {event['type']}, "
                                                           f"{str(event['time_utc'])[:16]}Z"}
        else:
            item = intel_store.get(store, viewer, cited)
            if item is None:
                row["withdrawn"] = True
            else:
                grade = item.summary.get("grade") or (f"{item.body.get('reliability', '')}"
                                                      f"{item.body.get('credibility', '')}")
                row |= {"title": item.title, "detail": f"grade {grade}" if item.kind == "report" and grade else
                        item.body.get("date", "")}
        out.append(row)
    return out


def analysis(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    """What Kompas computes from an item: an ACH board's inconsistency scores (plain and weighted), ranking,
    diagnosticity and sensitivity to each single item of evidence; an assumptions check's counts and weakest
    assumptions; an assessment's judgements with their bands; a report's grade in words."""
    item = parse(kind, body)
    if kind == "board":
        return {"inconsistency": ach.inconsistency(item), "weighted": ach.inconsistency(item, weighted=True),
                "ranking": [list(r) for r in ach.ranking(item)],
                "weighted_ranking": [list(r) for r in ach.ranking(item, weighted=True)],
                "diagnosticity": [{"evidence": d.evidence, "spread": d.spread, "diagnostic": d.diagnostic}
                                  for d in ach.diagnosticity(item)],
                "sensitivity": [{"evidence": s.evidence, "leaders_without": list(s.leaders),
                                 "changes_leader": s.changes_leader, "changes_order": s.changes_order}
                                for s in ach.sensitivity(item)],
                "critical": ach.critical(item),
                "rule": ("Heuer's inconsistency score: I counts 1, II counts 2, CC/C/N/NA 0; weighted: times the "
                         "credibility and relevance multipliers (high 2, medium 1, low 0.5). The least "
                         "inconsistent hypothesis leads; an item is critical when removing it alone changes the "
                         "leader.")}
    if kind == "assumptions":
        return {"summary": item.summary(), "weakest": [a.as_dict() for a in item.weakest()]}
    if kind == "assessment":
        from kompas.intel.language import ICD203

        return {"judgements": [{"index": n, "likelihood": kj.likelihood,
                                "band": list(ICD203.probability(kj.likelihood)), "forecast": kj.forecast,
                                "confidence": kj.confidence, "scorable": kj.scorable,
                                "outcome": kj.outcome} for n, kj in enumerate(item.key_judgements)]}
    if kind == "report":
        from kompas.intel.load import admiralty_scale

        return {"grade": item.grade.code, "grade_meaning": admiralty_scale().describe(item.grade)}
    return {}


def listing(store: StoreBase, viewer: Viewer, kind: str | None = None, org: str | None = None,
            team: str | None = None, product_line: str | None = None, limit: int = 200, q: str | None = None,
            offset: int = 0) -> dict[str, Any]:
    """The items the viewer may see (newest first, ``limit`` after ``offset``, titles holding ``q``; without their
    bodies), how many match in all (``total``), and the combined marking of the items listed."""
    found = intel_store.items(store, viewer, kind, org, team, product_line, limit, q=q, offset=offset)
    total = intel_store.count(store, viewer, kind, org, team, product_line, q)
    rows = [{"id": i.id, "kind": i.kind, "org": i.org, "title": i.title, "team": i.team,
             "product_line": i.product_line, "version": i.version, "updated_utc": i.updated_utc,
             "citations": i.cited, "banner": i.marking.banner(), "marking": i.marking.as_dict()}
            | i.summary for i in found]
    marking = combine(i.marking for i in found) if found else None
    return {"items": rows, "count": len(rows), "total": total, "offset": offset, "limit": limit,
            "more": offset + len(rows) < total,
            "marking": marking.as_dict() if marking else None, "banner": marking.banner() if marking else ""}


def requirements(store: StoreBase, viewer: Viewer, today: date | None = None) -> dict[str, Any]:
    """The requirements the viewer may see, soonest due first, each marked overdue when still open after its due
    day; with the counts open, overdue and answered."""
    day = today or date.today()
    found = list(intel_store.each(store, viewer, "requirement", most=MAX_REQUIREMENTS + 1))
    truncated = len(found) > MAX_REQUIREMENTS
    found = found[:MAX_REQUIREMENTS]
    rows = []
    shown = [i.marking for i in found]
    for i in found:
        req = parse("requirement", i.body)
        answers = [a for a in intel_store.cited_by(store, viewer, i.id) if a.kind == "assessment"]
        shown += [a.marking for a in answers]  # the answers are named: the listing carries their markings too
        rows.append({"id": i.id, **req.as_dict(), "overdue": req.overdue(day), "answered_by": [a.id for a in answers],
                     "org": i.org, "banner": combine([i.marking, *(a.marking for a in answers)]).banner()})
    rows.sort(key=lambda r: (r["status"] not in ("open", "in-progress"), r["due"], r["id"]))
    marking = combine(shown) if shown else None
    return {"as_of": day.isoformat(), "requirements": rows, "truncated": truncated,
            "open": sum(r["status"] in ("open", "in-progress") for r in rows),
            "overdue": sum(r["overdue"] for r in rows), "answered": sum(bool(r["answered_by"]) for r in rows),
            "marking": marking.as_dict() if marking else None, "banner": marking.banner() if marking else ""}


def resolve(store: StoreBase, account: Account, assessment_id: str, judgement: int, outcome: bool,
            resolved_at: str | None = None) -> dict[str, Any]:
    """Record the outcome of key judgement number ``judgement`` (from 0) of an assessment of ``account``'s
    organisation (True: it happened as judged), on ``resolved_at`` (ISO day, default today): a new version of the
    assessment, under the same marking. Raises :class:`IntelProblems` (no such judgement, not scorable, already
    resolved, resolved before the assessment) or StoreError."""
    found = intel_store.get(store, account.viewer, assessment_id)
    if found is None or found.kind != "assessment":
        raise StoreError(f"assessment {assessment_id[:40]!r}: not found (or not one you may see)")
    item: Assessment = parse("assessment", found.body)
    if not 0 <= judgement < len(item.key_judgements):
        raise IntelProblems("assessment", [("judgement", f"the assessment has {len(item.key_judgements)} key "
                                                         f"judgements, numbered from 0; got {judgement}")])
    day = resolved_at or date.today().isoformat()
    if day > date.today().isoformat():
        raise IntelProblems("assessment", [("resolved_at", f"{day} is in the future: a judgement is resolved once "
                                                           "its outcome is known")])
    done, problems = resolve_judgement(item.key_judgements[judgement], outcome, day)
    if done is None:
        raise IntelProblems("assessment", [(f"key_judgements[{judgement}].{f}", r) for f, r in problems])
    body = item.as_dict()
    body["key_judgements"][judgement] = done.as_dict()
    return write(store, account, "assessment", body, found.marking, item_id=assessment_id, resolving=judgement)


def scores(store: StoreBase, viewer: Viewer, by: str = "team", team: str | None = None,
           product_line: str | None = None) -> dict[str, Any]:
    """Brier scores, Murphy's decomposition and calibration of the resolved key judgements of the assessments the
    viewer may see, per ``by`` (``team`` or ``product_line``) and overall, with the reliability diagram (SVG
    text); marked with the combination of the assessments used."""
    from kompas.intel.plots import reliability_diagram

    found = list(intel_store.each(store, viewer, "assessment", team, product_line, most=MAX_SCORED + 1))
    truncated = len(found) > MAX_SCORED
    used = [(i, parse("assessment", i.body)) for i in found[:MAX_SCORED]]
    used = [(i, a) for i, a in used if any(kj.outcome is not None for kj in a.key_judgements)]
    judged = scoring.scored(a for _, a in used)
    groups = scoring.by_group(judged, by) if judged else {}
    overall = scoring.decompose([s.probability for s in judged], [s.outcome for s in judged]) if judged else None
    marking = combine(i.marking for i, _ in used) if used else None
    return {"by": by, "judgements": len(judged), "assessments": len(used), "truncated": truncated,
            "overall": overall.as_dict() if overall else None,
            "groups": {name: d.as_dict() for name, d in groups.items()},
            "diagram_svg": reliability_diagram(judged, label=team or product_line or "all").decode("utf-8"),
            "rule": ("a judgement's probability is its explicit one, else the midpoint of its ICD 203 band; Brier "
                     "= mean (p - outcome)^2, lower is better; Murphy: reliability - resolution + uncertainty"),
            "marking": marking.as_dict() if marking else None, "banner": marking.banner() if marking else ""}


# --- exports -------------------------------------------------------------------------------------------------------


def export(store: StoreBase, viewer: Viewer, item_id: str, fmt: str = "json") -> tuple[bytes, str, str] | None:
    """An item as ``fmt`` (:data:`EXPORTS`): (content, media type, banner), every format carrying the item's
    stored marking (the JSON's ``marking``/``banner``, the HTML page's banner at top and bottom, the STIX objects'
    marking definitions); None when the viewer may not see it."""
    if fmt not in EXPORTS:
        raise ValueError(f"format {fmt!r}: one of {', '.join(EXPORTS)}")
    shown = show(store, viewer, item_id)
    if shown is None:
        return None
    marking = Marking.from_dict(shown["marking"])
    banner = marking.banner()
    if fmt == "json":
        return json.dumps(shown, ensure_ascii=False, indent=1).encode(), "application/json", banner
    if fmt == "stix":
        return json.dumps(to_stix(shown, marking), indent=1).encode(), "application/stix+json;version=2.1", banner
    return to_html(shown, banner).encode("utf-8"), "text/html; charset=utf-8", banner


def _stix_id(kind: str, item_id: str) -> str:
    return f"{kind}--{uuid.uuid5(STIX_NAMESPACE, item_id)}"


def _stix_time(text: str) -> str:
    return (text[:23] + "Z") if len(text) >= 23 else (text + "T00:00:00.000Z" if len(text) == 10 else text)


def to_stix(shown: dict[str, Any], marking: Marking) -> dict[str, Any]:
    """A STIX 2.1 bundle of an item: a ``report`` (an assessment or a contributed report) whose ``object_refs``
    are a ``note`` per key judgement (its ICD 203 likelihood and confidence in ``x_kompas_*``) and ``report`` stubs
    for what it cites, every object marked with the item's TLP and a statement definition carrying its banner."""
    from kompas.core.stix import marking_refs

    definitions: dict[str, dict] = {}
    refs = marking_refs(marking, definitions)
    body = shown["body"]
    created = _stix_time(shown["added_utc"])
    modified = _stix_time(shown["updated_utc"])
    report_id = _stix_id("report", shown["id"])
    objects: list[dict[str, Any]] = []
    object_refs: list[str] = []
    for n, kj in enumerate(body.get("key_judgements", [])):
        note_id = _stix_id("note", f"{shown['id']}/kj/{n}/{shown['version']}")
        objects.append({"type": "note", "spec_version": "2.1", "id": note_id, "created": created,
                        "modified": modified, "abstract": f"Key judgement {n + 1}", "content": kj["text"],
                        "object_refs": [report_id], "object_marking_refs": refs,
                        "x_kompas_likelihood": kj["likelihood"], "x_kompas_confidence": kj["confidence"],
                        **({"x_kompas_outcome": kj["outcome"]} if kj.get("outcome") is not None else {})})
        object_refs.append(note_id)
    object_refs += [_stix_id("report", c["id"]) if c["kind"] != "event" else f"x-kompas-event--{c['id']}"
                    for c in shown["citations"]]
    description = body.get("summary") or body.get("text") or body.get("question") or shown["title"]
    report = {"type": "report", "spec_version": "2.1", "id": report_id, "created": created, "modified": modified,
              "name": shown["title"] or shown["kind"], "description": description,
              "report_types": ["threat-report"], "published": _stix_time(body.get("date") or shown["added_utc"]),
              "object_refs": object_refs or [report_id], "object_marking_refs": refs,
              "x_kompas_kind": shown["kind"], "x_kompas_version": shown["version"], "x_kompas_org": shown["org"]}
    if "reliability" in body:
        report["x_kompas_admiralty"] = f"{body['reliability']}{body['credibility']}"
    return {"type": "bundle", "id": _stix_id("bundle", f"{shown['id']}/{shown['version']}"),
            "objects": [report, *objects, *definitions.values()]}


def to_html(shown: dict[str, Any], banner: str) -> str:
    """The item as a printable page, banner at the top and bottom: its title, who wrote it and when, then per kind
    what a reader of such a product expects (an assessment's summary and judgements with their ICD 203 bands; a
    report's grade in words and its source; a board's matrix, scores, diagnosticity and critical evidence; an
    assumptions check's assumptions by status; a requirement's question, owner and due day), and what it cites, by
    name."""
    from kompas.reports.document import page, table

    body, analysis, kind = shown["body"], shown["analysis"], shown["kind"]
    e = html.escape
    meta = [kind, shown["org"], f"version {shown['version']}", f"updated {shown['updated_utc'][:16]}Z"]
    if body.get("date"):
        meta.insert(2, f"dated {body['date']}")
    if shown.get("team"):
        meta.append(f"team {shown['team']}")
    if shown.get("product_line"):
        meta.append(f"product line {shown['product_line']}")
    parts = [f"<h1>{e(shown['title'] or kind)}</h1><p class='meta'>{e(' · '.join(meta))}</p>"]
    if kind == "assessment":
        parts.append(f"<h2>Summary</h2><p>{e(body.get('summary', ''))}</p><h2>Key judgements</h2>")
        rows = []
        for j in analysis.get("judgements", []):
            kj = body["key_judgements"][j["index"]]
            low, high = j["band"]
            outcome = "" if kj.get("outcome") is None else (
                f"{'happened' if kj['outcome'] else 'did not happen'} ({kj.get('resolved_at', '')})")
            rows.append([kj["text"], f"{kj['likelihood']} ({low:.0%}–{high:.0%})", kj["confidence"],
                         f"{kj.get('resolution_date') or ''} {kj.get('criterion') or ''}".strip(), outcome])
        parts.append(table(["judgement", "likelihood (ICD 203)", "confidence", "resolves (criterion)", "outcome"],
                           rows))
        if body.get("requirement"):
            parts.append(f"<p>Answers requirement {e(body['requirement'])}.</p>")
    elif kind == "report":
        parts.append(f"<p><b>Grade {e(analysis.get('grade', ''))}</b>: {e(analysis.get('grade_meaning', ''))}</p>"
                     f"<p>Source: {e(body.get('source', ''))}</p><p>{e(body.get('text', ''))}</p>")
        extra = [(label, body.get(key) or []) for label, key in (("Countries", "countries"), ("Actors", "actors"),
                                                                  ("Tags", "tags"))]
        parts.append("".join(f"<p>{label}: {e(', '.join(values))}</p>" for label, values in extra if values))
    elif kind == "board":
        names = {h["id"]: h["text"] for h in body.get("hypotheses", [])}
        hyps = [h["id"] for h in body.get("hypotheses", [])]
        ratings = body.get("ratings", {})
        critical = set(analysis.get("critical", []))
        diagnostic = {d["evidence"]: d["diagnostic"] for d in analysis.get("diagnosticity", [])}
        rows = [[("★ " if ev["id"] in critical else "") + ev["text"], ev.get("credibility", ""),
                 ev.get("relevance", ""), *[ratings.get(ev["id"], {}).get(h, "") for h in hyps],
                 "yes" if diagnostic.get(ev["id"]) else "no"] for ev in body.get("evidence", [])]
        parts.append("<h2>Evidence by hypothesis</h2>" + table(
            ["evidence (★ critical: removing it alone changes the leader)", "credibility", "relevance",
             *[f"{h}: {names.get(h, '')}" for h in hyps], "diagnostic"], rows))
        weighted = analysis.get("weighted", {})
        rows = [[rank, f"{hyp}: {names.get(hyp, hyp)}", f"{score:g}", f"{weighted.get(hyp, 0):g}"]
                for rank, hyp, score in analysis["ranking"]]
        parts.append("<h2>Hypotheses, least inconsistent first</h2>" + table(
            ["rank", "hypothesis", "inconsistency", "weighted"], rows))
        parts.append(f"<p>{e(analysis['rule'])}</p>")
    elif kind == "assumptions":
        counts = analysis.get("summary", {})
        parts.append(f"<p>{e(', '.join(f'{v} {k}' for k, v in counts.items()))}</p>")
        rows = [[a["text"], a["status"], a["basis"], a.get("undermined_by", "")]
                for a in body.get("assumptions", [])]
        parts.append(table(["assumption", "status", "why it is believed", "what would undermine it"], rows))
    elif kind == "requirement":
        parts.append(f"<p>{e(body.get('question', ''))}</p><p>Owner {e(body.get('owner', ''))}, due "
                     f"{e(body.get('due', ''))}, priority {e(body.get('priority', ''))}, "
                     f"{e(body.get('status', ''))}</p>")
    if shown.get("cited"):
        rows = [[c["kind"], "(withdrawn)" if c["withdrawn"] else c["title"], c["detail"], c["id"]]
                for c in shown["cited"]]
        parts.append("<h2>Sources cited</h2>" + table(["kind", "title", "grade or date", "id"], rows))
    if shown.get("history"):
        parts.append(f"<p class='meta'>Earlier versions kept: {len(shown['history'])}.</p>")
    return page(shown["title"] or kind, "".join(parts), banner,
                "Marked with the combination of its own marking and everything it cites (Kompas).")
