"""Ranking ATT&CK groups and campaigns for an incident's evidence, against ATT&CK v18.1's own ``attributed-to``
relationships (every attributed campaign ranks the groups from its own techniques and software), and linking
incidents into candidate campaigns. ATT&CK is read from ../shared only (skipped, saying so, when absent)."""

from __future__ import annotations

import gzip
import json
import math

import pytest

from kompas.cyber.actors import (
    INFRASTRUCTURE_NOTE,
    LEAD_LABEL,
    Evidence,
    build_model,
    campaign_evidence,
    evaluate_campaigns,
    incident_evidence,
    link_incidents,
    rank_baseline,
    rank_campaigns,
    rank_groups,
    similarity,
)
from kompas.cyber.attack import read_attack_index
from kompas.locate import shared_data

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def index():
    if shared_data("cyber/attack") is None:
        pytest.skip("../shared/data/cyber/attack is absent: ATT&CK is read from ../shared only (clone ../shared "
                    "beside the checkout)")
    return read_attack_index()


@pytest.fixture(scope="module")
def model(index):
    return build_model(index)


@pytest.fixture(scope="module")
def evaluations(index):
    return {mode: evaluate_campaigns(index, mode) for mode in ("leave-campaign-out", "as-is")}


def test_attack_holds_no_infrastructure_to_match(index) -> None:
    # the reason infrastructure is used only between incidents, never against ATT&CK
    for path in index.sources:
        with gzip.open(path) as handle:
            kinds = {o["type"] for o in json.load(handle)["objects"]}
        assert not kinds & {"indicator", "infrastructure", "observed-data", "ipv4-addr", "domain-name", "file"}
        assert "intrusion-set" in kinds


def test_evidence_resolves_names_and_reports_what_attack_does_not_know(index) -> None:
    evidence = incident_evidence(index, ["t1566.001", "T1059.001", "T9999", ""], ["ExPetr", "S0366", "NoSuchTool"],
                                 ["Evil.Example.COM "])
    assert evidence.techniques == ("T1566.001", "T1059.001")
    assert evidence.software == ("S0368", "S0366")
    assert evidence.unknown == ("T9999", "NoSuchTool")
    assert evidence.resolved == {"ExPetr": "S0368"}
    assert evidence.infrastructure == ("evil.example.com",)


def test_a_sandworm_like_incident_ranks_sandworm_first(index, model) -> None:
    evidence = incident_evidence(index, ["T1566.001", "T1059.001", "T1486", "T1561.002"], ["NotPetya"],
                                 ["203.0.113.7"])
    ranking = rank_groups(model, evidence, 5)
    first = ranking.leads[0]
    assert (first.group_id, first.name, first.score) == ("G0034", "Sandworm Team", 1.0)
    assert first.shared_techniques == ("T1566.001", "T1059.001", "T1486", "T1561.002")
    assert first.shared_software == ("S0368",)
    assert first.evidence.matched == 5 and first.evidence.asked == 5 and first.evidence.profile > 100
    assert "S0368 NotPetya: used (uses)" in first.why
    assert first.label == LEAD_LABEL == ranking.label and "not attribution" in LEAD_LABEL
    assert INFRASTRUCTURE_NOTE in ranking.notes
    assert all(0 < lead.score < 0.5 for lead in ranking.leads[1:])  # nobody else has NotPetya
    assert [lead.group_id for lead in ranking.leads] == [lead.group_id for lead in rank_groups(model, evidence, 5)
                                                         .leads]  # deterministic
    assert first.as_dict()["group_id"] == "G0034"
    shown = json.loads(json.dumps(ranking.as_dict()))
    assert shown["leads"][0]["shared_software"] == ["S0368"] and shown["asked"] == 5
    assert shown["leads"][0]["evidence"] == {"matched": 5, "asked": 5, "profile": first.evidence.profile,
                                             "matched_weight": 1.0}


def test_the_score_is_the_documented_idf_weighted_coverage(index, model) -> None:
    # Sandworm holds NotPetya and T1059.001 itself; APT28 only T1059.001 (its own use): the score is the IDF share
    evidence = incident_evidence(index, ["T1059.001"], ["S0368"])
    idf = {item: float(model.idf[model.columns[item]]) for item in ("T1059.001", "S0368")}
    assert idf["S0368"] > 5 * idf["T1059.001"]  # one user group against dozens
    expected = idf["T1059.001"] / (idf["T1059.001"] + 2 * idf["S0368"])
    leads = {lead.group_id: lead for lead in rank_groups(model, evidence, None).leads}
    assert leads["G0034"].score == 1.0
    assert "T1059.001" in index.uses["G0007"] and "S0368" not in model.profiles["G0007"].all_software
    assert leads["G0007"].score == pytest.approx(expected, abs=1e-6)
    n = model.n_groups
    df = sum(1 for g in model.actors[:n] if "S0368" in model.profiles[g].all_software)
    assert idf["S0368"] == pytest.approx(math.log((n + 1) / (df + 0.5)))


def test_sub_techniques_roll_up_one_factor_per_step(index, model) -> None:
    # APT28 is documented with T1566.001 and no other phishing technique in any channel
    assert [t for t in model.profiles["G0007"].all_techniques if t.startswith("T1566")] == ["T1566.001"]
    score = {t: next(lead.score for lead in rank_groups(model, Evidence((t,)), None).leads
                     if lead.group_id == "G0007") for t in ("T1566.001", "T1566", "T1566.002")}
    assert score == {"T1566.001": 1.0, "T1566": 0.5, "T1566.002": 0.25}
    lead = next(lead for lead in rank_groups(model, Evidence(("T1566.002",)), None).leads
                if lead.group_id == "G0007")
    assert lead.why == ("T1566.002 Spearphishing Link: same technique family as T1566.001 (weight 0.25)",)


def test_ties_are_broken_by_matches_then_the_smaller_profile_then_the_id(index, model) -> None:
    # TrickBot: ATT&CK says TA505 and Wizard Spider use it; both explain all the evidence
    leads = rank_groups(model, incident_evidence(index, software=["trickbot"]), 5).leads
    assert [(lead.group_id, lead.score) for lead in leads] == [("G0092", 1.0), ("G0102", 1.0)]
    assert leads[0].evidence.profile < leads[1].evidence.profile
    assert rank_groups(model, incident_evidence(index, ["T9999"])).leads == ()


def test_campaigns_are_ranked_with_their_attributed_groups(index, model) -> None:
    ranking = rank_campaigns(model, campaign_evidence(index, "C0028"), 3)
    first = ranking.leads[0]
    assert (first.campaign_id, first.name, first.attributed_to) == ("C0028", "2015 Ukraine Electric Power Attack",
                                                                  ("G0034",))
    assert first.score == 1.0 and first.first_seen.startswith("2015-12-01")
    # every campaign ranks itself first from its own evidence (54 of 54)
    assert all(rank_campaigns(model, campaign_evidence(index, c), 1).leads[0].campaign_id == c
               for c in index.campaigns)


# --- the reference evaluation -----------------------------------------------------------------------------------

ATTRIBUTED = ("C0011", "C0017", "C0022", "C0023", "C0024", "C0025", "C0027", "C0028", "C0030", "C0031", "C0032",
              "C0033", "C0034", "C0035", "C0038", "C0039", "C0040", "C0042", "C0044", "C0047", "C0049", "C0051",
              "C0052", "C0056", "C0057")


def test_every_attributed_campaign_is_evaluated(evaluations) -> None:
    for found in evaluations.values():
        assert tuple(r.campaign for r in found["coverage"].results) == ATTRIBUTED
    results = {r.campaign: r for r in evaluations["leave-campaign-out"]["coverage"].results}
    assert results["C0052"].attributed == ("G0004", "G1023")
    assert results["C0024"].left_out == 3 and results["C0042"].left_out == 2 and results["C0028"].left_out == 0
    # nothing to find: CyberAv3ngers is documented only through C0031, AppleJeus shares nothing with the 3CX
    # campaign, and PROMETHIUM's only link to C0033 (its one software) rests on C0033's report alone
    assert {c for c, r in results.items() if not r.achievable} == {"C0031", "C0033", "C0057"}
    assert all(results[c].rank == 174 for c in ("C0031", "C0033", "C0057"))


def test_ranking_finds_the_attributed_group_measured_figures(evaluations) -> None:
    """Measured (ATT&CK v18.1): leave-campaign-out top-1 13/25 = 0.52, top-5 17/25 = 0.68, MRR 0.575; as-is 0.64,
    0.72, 0.686. Floors one campaign (0.04) below."""
    out, asis = evaluations["leave-campaign-out"]["coverage"], evaluations["as-is"]["coverage"]
    assert out.campaigns == asis.campaigns == 25
    assert out.top1 >= 0.48 and out.top5 >= 0.64 and out.mrr >= 0.55
    assert asis.top1 >= 0.60 and asis.top5 >= 0.68 and asis.mrr >= 0.66
    assert out.precision_at_1 == out.top1
    assert out.precision_at_5 == pytest.approx(sum(len(set(r.top) & set(r.attributed)) for r in out.results)
                                               / 5 / 25)
    first = {r.campaign for r in out.results if r.rank == 1}
    # SolarWinds -> APT29, the Ukraine power attacks -> Sandworm, C0017 and APT41 DUST -> APT41, RedDelta ->
    # Mustang Panda, KV Botnet's sibling Versa zero-day -> Volt Typhoon, Juicy Mix -> OilRig, RedPenguin -> UNC3886
    assert {"C0024", "C0025", "C0028", "C0034", "C0017", "C0040", "C0047", "C0039", "C0044", "C0056"} <= first
    assert len(first) >= 12


def test_coverage_is_not_worse_than_the_baselines(evaluations) -> None:
    for mode, found in evaluations.items():
        ours = found["coverage"]
        for baseline in ("count", "jaccard", "cosine"):
            theirs = found[baseline]
            assert ours.top1 >= theirs.top1 and ours.top5 >= theirs.top5 and ours.mrr >= theirs.mrr, (mode,
                                                                                                       baseline)
        assert ours.mrr > found["count"].mrr + 0.05 and ours.mrr > found["jaccard"].mrr + 0.3, mode


def test_baselines_rank_every_group(index, model) -> None:
    evidence = campaign_evidence(index, "C0028")
    for method in ("count", "jaccard", "cosine"):
        ranked = rank_baseline(model, evidence, method)
        assert len(ranked) == 174 and ranked[0][1] >= ranked[-1][1]
    count = dict(rank_baseline(model, evidence, "count"))
    held = model.profiles["G0034"].all_techniques | model.profiles["G0034"].all_software
    assert count["G0034"] == len(set(evidence.items) & held)


def test_every_campaign_is_ranked(index, model) -> None:
    """Every ATT&CK campaign's evidence gives ten ranked groups, best first. No wall-clock limit here (a time bound
    fails on a loaded machine): the speed is measured against the baselines in benchmarks/cyber_actors.py."""
    evidences = [campaign_evidence(index, c) for c in sorted(index.campaigns)]
    assert len(evidences) >= 25
    for evidence in evidences:
        leads = rank_groups(model, evidence, 10).leads
        assert 0 < len(leads) <= 10
        assert all(a.score >= b.score for a, b in zip(leads, leads[1:], strict=False))


# --- incident linking -------------------------------------------------------------------------------------------

def _halves(index) -> dict[str, Evidence]:
    """Two members' reports of each ATT&CK campaign with 6 or more items: each sees two thirds, a third shared."""
    found = {}
    for campaign in sorted(index.campaigns):
        items = sorted(campaign_evidence(index, campaign).items)
        if len(items) < 6:
            continue
        for k, name in ((0, "a"), (1, "b")):
            seen = [x for i, x in enumerate(items) if i % 3 != k]
            found[f"{campaign}/{name}"] = Evidence(tuple(x for x in seen if x[0] == "T"),
                                                   tuple(x for x in seen if x[0] == "S"))
    return found


def test_reports_of_one_campaign_link_measured_figures(index, model) -> None:
    """Measured at the default 0.4: 36 of the 50 true pairs linked, 36 of 39 links true."""
    incidents = _halves(index)
    assert len(incidents) == 100
    truth = {(f"{c}/a", f"{c}/b") for c in {k.split("/")[0] for k in incidents}}
    candidates = link_incidents(model, incidents)
    links = {(link.a, link.b) for c in candidates for link in c.links}
    hits = len(links & truth)
    assert hits / len(truth) >= 0.68 and hits / len(links) >= 0.88, (hits, len(links))
    assert all(c.label == LEAD_LABEL and len(c.incidents) >= 2 for c in candidates)


def test_infrastructure_links_incidents_attack_cannot(index, model) -> None:
    a = incident_evidence(index, ["T1059.001"], infrastructure=["c2.example.net"])
    b = incident_evidence(index, ["T1105"], infrastructure=["C2.example.net"])
    c = incident_evidence(index, ["T1486"], ["NotPetya"])
    d = incident_evidence(index, ["T1486", "T1561.002"], ["ExPetr"])
    score, shared = similarity(model, a, b)
    assert score > 0.4 and shared == ("c2.example.net",)
    candidates = link_incidents(model, {"NL-1": a, "DE-7": b, "FR-2": c, "BE-3": d, "IT-9": Evidence(("T1566",))})
    assert [c.incidents for c in candidates] == [("BE-3", "FR-2"), ("DE-7", "NL-1")]
    assert candidates[0].shared[:2] == ("S0368", "T1486")
    assert link_incidents(model, {"x": a, "y": c}) == []
