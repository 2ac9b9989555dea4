"""The SPARTA vocabulary (MISP galaxy, read from ../shared only): counts against ../shared/data/space-threats/
PROVENANCE.md, names and tactics, URLs as the galaxy's own refs spell them, and the check of reports' ids
(unknown id: a rejection naming the nearest known id; no vocabulary: the pattern only, said so)."""

from __future__ import annotations

import json
import re

import pytest

from kompas.isac.sparta import Technique, Vocabulary, check_ids, parse_vocabulary, technique_url
from tests.isac.conftest import PROVENANCE, SPARTA, need


@pytest.mark.shared
def test_counts_names_and_tactics(vocabulary) -> None:
    text = need(PROVENANCE).read_text()
    found = re.search(r"(\d+) entries, all ids unique: (\d+) techniques, (\d+) sub-techniques \(id with a dot\), "
                      r"(\d+) `SV-\*` threat ids", text)
    entries, techniques, subs, threats = (int(n) for n in found.groups())
    assert (entries, techniques, subs, threats) == (258, 83, 131, 44)
    assert vocabulary.counts() == {"technique": techniques, "sub-technique": subs, "threat": threats, "all": entries}
    assert vocabulary.rejected == ()
    assert vocabulary.name("EX-0016.03") == "Position, Navigation, and Timing (PNT) Jamming"
    assert vocabulary.techniques["IMP-0002"].tactics == ("impact",) and vocabulary.name("IMP-0003") == "Denial"
    assert vocabulary.name("IA-0005") == "Rendezvous & Proximity Operations"


@pytest.mark.shared
def test_urls_are_the_galaxy_refs() -> None:
    data = json.loads((need(SPARTA) / "sparta-techniques.json").read_text())
    for entry in data["values"]:
        assert technique_url(entry["meta"]["external_id"]) in entry["meta"]["refs"], entry["meta"]["external_id"]


@pytest.mark.shared
def test_an_unknown_id_names_the_nearest_known_one(vocabulary) -> None:
    checked = check_ids(["IMP-0003", "EX-0016.09", "EX16"], vocabulary, "r.json", 4)
    assert checked.accepted == ("IMP-0003",) and checked.vocabulary_checked
    unknown, malformed = checked.rejections
    assert (unknown.line, unknown.field, unknown.value) == (4, "sparta_ids[1]", "EX-0016.09")
    assert "nearest known id: EX-0016." in unknown.reason
    assert (malformed.field, malformed.value) == ("sparta_ids[2]", "EX16") and "not a SPARTA id" in malformed.reason


def test_without_the_vocabulary_the_pattern_only_and_said_so() -> None:
    checked = check_ids(["EX-0099.42", "SV-AV-1", "bogus"], None)
    assert checked.accepted == ("EX-0099.42", "SV-AV-1") and not checked.vocabulary_checked
    assert "not checked" in checked.note and [r.value for r in checked.rejections] == ["bogus"]
    small = Vocabulary({"EX-0016": Technique("EX-0016", "Jamming", ("execution",), "technique")}, "illustrative")
    [rejected] = check_ids(["EX-0016.02"], small).rejections
    assert rejected.reason.endswith("nearest known id: EX-0016 (Jamming)")


def test_a_file_that_is_not_a_galaxy() -> None:
    with pytest.raises(ValueError, match="not a MISP galaxy cluster file"):
        parse_vocabulary('{"name": "x"}', "x.json")
    vocabulary = parse_vocabulary(json.dumps({"values": [
        {"value": "Jamming", "meta": {"external_id": "EX-0016", "kill_chain": ["sparta:execution"]}},
        {"value": "", "meta": {"external_id": "EX-0017"}}]}), "g.json")
    assert list(vocabulary.techniques) == ["EX-0016"]
    assert [(r.line, r.field) for r in vocabulary.rejected] == [(2, "value")]
