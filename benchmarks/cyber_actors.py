"""Benchmark: ATT&CK groups ranked for ATT&CK's own attributed campaigns (kompas.cyber.actors), against baselines
measured in the same run, plus load time, ranking speed, incident linking and the sanctions resolution.

Data: ATT&CK v18.1 Enterprise + ICS and the MISP threat-actor galaxy from ../shared/data/cyber, and the
hand-written ../shared/data/cyber/eu_cyber_sanctions.csv (read from ../shared only).

- **Reference evaluation**: every campaign with an ``attributed-to`` relationship (25) ranks all 174 groups from
  its own techniques and software. ``leave-campaign-out``: the campaign is left out of the groups' campaign
  channels and the attributed group's own uses that ATT&CK documents only through the campaign's reports are
  removed (:func:`kompas.cyber.attack.campaign_only_uses`); ``as-is``: ATT&CK's group uses as published (the
  campaign itself still left out of the campaign channel). Methods: ``coverage`` (Kompas: IDF-weighted coverage),
  ``count`` (shared items by exact id), ``jaccard`` (plain Jaccard of the sets), ``cosine`` (TF-IDF cosine with
  Kompas's weights). Figures: top-1 / top-5 hit rate, precision@1 / @5 (attributed groups among the first k,
  over k), MRR; also over the "achievable" campaigns (an attributed group's evaluated profile shares an item).
- **Speed**: rankings per second over all groups from the 54 campaigns' evidence (scores and order only), against
  the baselines; and full leads with explanations (top 10).
- **Linking**: two thirds of each campaign's items as two members' reports; pair recall and precision.

    .venv/bin/python benchmarks/cyber_actors.py [--seconds 2]
"""

from __future__ import annotations

import argparse
import itertools
import platform
import time
from datetime import UTC, datetime


def rate(call, items, seconds: float) -> float:  # noqa: ANN001
    """Calls per second of ``call`` over ``items``, repeated for at least ``seconds``."""
    done, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        for item in items:
            call(item)
        done += len(items)
    return done / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per speed measurement")
    args = parser.parse_args()

    from kompas.cyber.actors import (
        Evidence,
        build_model,
        campaign_evidence,
        evaluate_campaigns,
        link_incidents,
        rank_baseline,
        rank_groups,
        score_groups,
        similarity,
    )
    from kompas.cyber.attack import default_paths, read_attack_index
    from kompas.cyber.galaxy import read_galaxy
    from kompas.cyber.sanctions import build_resolver, read_sanctions, resolve_sanctions

    print(f"# cyber actors benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
          f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    paths = default_paths()
    began = time.perf_counter()
    index = read_attack_index.__wrapped__(paths)
    load = time.perf_counter() - began
    began = time.perf_counter()
    model = build_model(index)
    built = time.perf_counter() - began
    print(f"load: read + index both bundles {load:.2f} s ({len(index.objects)} active objects, dropped "
          f"{dict(index.dropped)}); model of {model.n_groups} groups + {len(model.actors) - model.n_groups} "
          f"campaigns x {len(model.columns)} items built in {built * 1000:.0f} ms")

    print("\n## reference evaluation: attributed campaigns -> groups")
    print("mode | method | campaigns | top-1 | top-5 | P@1 | P@5 | MRR | achievable: n, top-1, top-5")
    found = {}
    for mode in ("leave-campaign-out", "as-is"):
        began = time.perf_counter()
        found[mode] = evaluate_campaigns(index, mode)
        took = time.perf_counter() - began
        for method, e in found[mode].items():
            fair = [r for r in e.results if r.achievable]
            print(f"{mode} | {method} | {e.campaigns} | {e.top1:.2f} ({sum(r.rank == 1 for r in e.results)}) | "
                  f"{e.top5:.2f} ({sum(r.rank <= 5 for r in e.results)}) | {e.precision_at_1:.2f} | "
                  f"{e.precision_at_5:.3f} | {e.mrr:.3f} | {len(fair)}, "
                  f"{sum(r.rank == 1 for r in fair) / len(fair):.2f}, {sum(r.rank <= 5 for r in fair) / len(fair):.2f}")
        print(f"({mode}: {took:.2f} s for all methods)")
    print("\ncampaign | attributed | left out | rank: coverage (as-is) | count | jaccard | cosine")
    out, asis = found["leave-campaign-out"], found["as-is"]
    for k, r in enumerate(out["coverage"].results):
        print(f"{r.campaign} {index.objects[r.campaign].name[:34]} | {','.join(r.attributed)} | {r.left_out} | "
              f"{r.rank} ({asis['coverage'].results[k].rank}){'' if r.achievable else ' not achievable'} | "
              f"{out['count'].results[k].rank} | {out['jaccard'].results[k].rank} | {out['cosine'].results[k].rank}")

    print("\n## speed: rankings per second over all 174 groups (54 campaigns' evidence)")
    evidences = [campaign_evidence(index, c) for c in sorted(index.campaigns)]
    ours = rate(lambda e: score_groups(model, e), evidences, args.seconds)
    print(f"coverage (scores + order): {ours:.0f}/s")
    for method in ("count", "jaccard", "cosine"):
        theirs = rate(lambda e, m=method: rank_baseline(model, e, m), evidences, args.seconds)
        print(f"{method}: {theirs:.0f}/s (coverage at {ours / theirs:.2f}x its rate)")
    leads = rate(lambda e: rank_groups(model, e, 10), evidences, args.seconds)
    print(f"coverage, top-10 leads with explanations: {leads:.0f}/s")

    print("\n## linking: each campaign with >= 6 items as two members' reports of two thirds each")
    incidents = {}
    for campaign in sorted(index.campaigns):
        items = sorted(campaign_evidence(index, campaign).items)
        if len(items) >= 6:
            for k, name in ((0, "a"), (1, "b")):
                seen = [x for i, x in enumerate(items) if i % 3 != k]
                incidents[f"{campaign}/{name}"] = Evidence(tuple(x for x in seen if x[0] == "T"),
                                                           tuple(x for x in seen if x[0] == "S"))
    truth = {(f"{c}/a", f"{c}/b") for c in {k.split("/")[0] for k in incidents}}
    for threshold in (0.3, 0.4, 0.5):
        began = time.perf_counter()
        candidates = link_incidents(model, incidents, threshold)
        took = time.perf_counter() - began
        links = {(link.a, link.b) for c in candidates for link in c.links}
        hits = len(links & truth)
        print(f"threshold {threshold}: {len(incidents)} reports, {len(incidents) * (len(incidents) - 1) // 2} "
              f"pairs in {took:.2f} s; {len(links)} links, {hits} of {len(truth)} true pairs (recall "
              f"{hits / len(truth):.2f}, precision {hits / max(len(links), 1):.2f}); {len(candidates)} candidates")
    campaigns = sorted(index.campaigns)
    scores = {(a, b): similarity(model, campaign_evidence(index, a), campaign_evidence(index, b))[0]
              for a, b in itertools.combinations(campaigns, 2)}
    groups = index.attributed_to
    same = {p for p in scores if groups.get(p[0], frozenset()) & groups.get(p[1], frozenset())}
    ranked = sorted(scores, key=lambda p: -scores[p])
    print(f"whole campaigns sharing an attributed group: {len(same)} pairs of {len(scores)}; their ranks among all "
          f"pairs by similarity: {sorted(ranked.index(p) + 1 for p in same)}")

    print("\n## EU cyber sanctions listings (hand-written CSV) resolved from ATT&CK's and the galaxy's text")
    try:
        rows, bad = read_sanctions()
    except OSError as error:
        print(f"skipped: {error}")
        return
    galaxy, _ = read_galaxy()
    began = time.perf_counter()
    resolver = build_resolver(index, galaxy)
    resolutions = resolve_sanctions(rows, resolver)
    took = time.perf_counter() - began
    print(f"{len(rows)} rows ({len(bad)} rejected) in {took:.2f} s (resolver built once): "
          f"{sum(r.via == 'row' for r in resolutions)} by their own text, "
          f"{sum(r.via == 'listing' for r in resolutions)} through their listing, "
          f"{sum(not r.resolved for r in resolutions)} unresolved")
    for r in resolutions:
        best = ", ".join(f"{g} {index.objects[g].name}" for g in r.best)
        software = ", ".join(f"{s.software_id} {s.name}" for s in r.software)
        print(f"line {r.row.line}: {r.row.name[:45]} -> {best or '-'} ({r.via or 'unresolved'})"
              f"{'; software ' + software if software else ''}")


if __name__ == "__main__":
    main()
