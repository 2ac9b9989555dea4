"""De-duplication and surge detection on small cases with known answers."""

from __future__ import annotations

from datetime import date

from kompas.fimi import dedup, surges
from kompas.fimi.incident import Channel, Evidence, Incident, Target


def _incident(ref: str, title: str, day: str, source: str = "api", **more) -> Incident:
    return Incident(ref, source, title, day, **more)


def test_same_case_by_reference_url_and_near_identical_title() -> None:
    index = dedup.Index()
    index.add("k1", _incident("https://euvsdisinfo.eu/report/x/", "NATO plans to attack Russia", "2020-05-01",
                              "euvsdisinfo"))
    index.add("k2", _incident("DISARM I00001", "Blacktivists facebook group", "2016-01-01", "disarm",
                              evidence=[Evidence("https://www.example.com/story/")]))
    same_ref = index.match(_incident("https://euvsdisinfo.eu/report/x/", "changed title", "2021-01-01",
                                     "euvsdisinfo"))
    assert same_ref == dedup.Match("k1", "same euvsdisinfo reference")
    by_url = index.match(_incident("", "another title", "2019-01-01", evidence=[Evidence("http://example.com/story")]))
    assert by_url is not None and by_url.key == "k2" and by_url.reason.startswith("same URL")
    near = index.match(_incident("", "NATO plans to attack Russia!", "2020-05-03"))
    assert near is not None and near.key == "k1" and "2 day(s) apart" in near.reason
    assert index.match(_incident("", "NATO plans to attack Russia", "2020-05-04")) is None  # 3 days apart
    assert index.match(_incident("", "NATO plans to defend Europe", "2020-05-01")) is None
    # the same source giving another id says it is another case, however alike the title
    assert index.match(_incident("https://euvsdisinfo.eu/report/y/", "NATO plans to attack Russia", "2020-05-01",
                                 "euvsdisinfo")) is None


def test_merge_keeps_the_first_identity_and_unites_the_rest() -> None:
    first = _incident("a", "Title", "2020-05-02", channels=[Channel("RT")], targets=[Target("DE")],
                      confidence="low")
    second = _incident("b", "Title too", "2020-05-01", last_seen="2020-05-09", channels=[Channel("RT"),
                       Channel("Sputnik")], targets=[Target("FR")], techniques=["T0022"], confidence="high")
    merged = dedup.merge(first, second)
    assert (merged.ref, merged.title, merged.first_seen, merged.last_seen) == ("a", "Title", "2020-05-01",
                                                                               "2020-05-09")
    assert [c.name for c in merged.channels] == ["RT", "Sputnik"] and [t.name for t in merged.targets] == ["DE", "FR"]
    assert merged.techniques == ["T0022"] and merged.confidence == "high"


def _day(text: str) -> int:
    return date.fromisoformat(text).toordinal()


def test_a_burst_across_outlets_is_a_surge_and_a_steady_narrative_is_not() -> None:
    days, clusters, outlets, languages = [], [], [], []
    for week in range(52):  # cluster 0: two cases a week all year, from two outlets in one language
        for k in range(2):
            days.append(_day("2020-01-01") + 7 * week + k)
            clusters.append(0)
            outlets.append([f"steady {k}"])
            languages.append(["Russian"])
    for k in range(12):  # cluster 1: twelve cases in five days in June across six outlets and four languages
        days.append(_day("2020-06-10") + k % 5)
        clusters.append(1)
        outlets.append([f"outlet {k % 6}"])
        languages.append([["Russian", "German", "Arabic", "Spanish"][k % 4]])
    for k in range(6):  # cluster 2: a burst in one outlet and one language only: not coordinated
        days.append(_day("2020-09-01") + k % 3)
        clusters.append(2)
        outlets.append(["one outlet"])
        languages.append(["Russian"])
    found = surges.detect(days, clusters, outlets, languages, period_days=366)
    assert [(g.cluster_id, g.start_utc, g.end_utc, len(g.indices)) for g in found] == [
        (1, "2020-06-10T00:00:00Z", "2020-06-15T00:00:00Z", 12)]
    assert found[0].outlets == [f"outlet {k}" for k in range(6)] and len(found[0].languages) == 4
    assert found[0].score > 6 and found[0].expected < 1


def test_tfidf_fallback_on_tiny_corpora() -> None:
    """Without the embedding model, one or two texts (a report period with a single incident) still get vectors:
    the TF-IDF fallback relaxes its recurring-term rule, and texts of stop words only get one common vector."""
    import numpy as np

    from kompas.fimi.narratives import _tfidf

    one = _tfidf(["SECTAG-fimi-4: a TOP SECRET claim about tanks"])
    assert one.shape[0] == 1 and np.isclose(np.linalg.norm(one[0]), 1.0)
    assert _tfidf(["the", "a"]).shape == (2, 1)
    three = _tfidf(["tanks in Poland", "tanks in Riga", "ships in Tallinn"])
    assert three.shape[0] == 3 and np.isfinite(three).all()
    assert float(three[0] @ three[1]) > 0.99 and float(three[0] @ three[2]) < 0.5  # "tanks" recurs, "ships" not
