"""The EU response toolboxes as data (kompas.response.toolbox, kompas/data/toolboxes/*.yaml): every seed quote
holds in its seed lines (the reference test, against the Dutch seed texts in ../shared/seeds), every option is
complete, restrictive measures are the Council's by unanimity, each toolbox covers the categories its seed text
names, the FIMI toolbox keeps the 21 instruments of the former fimi_toolbox.yaml, lead times agree with the dated
precedents of ../shared/data, and malformed files are named field by field."""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from kompas.compass.register import Place, quote_problem
from kompas.files import packaged
from kompas.fimi.load import load_toolbox
from kompas.response.toolbox import (
    CATEGORIES,
    CATEGORY_RULES,
    CATEGORY_WORDS,
    DECIDERS,
    ESCALATION,
    RULES,
    load_toolboxes,
    merge,
    options,
    parse_toolboxes,
)
from tests.response.conftest import CYBER_SANCTIONS, SPACE_RESPONSES, need

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
FOLDER = packaged("toolboxes")

#: The instruments of kompas/data/fimi_toolbox.yaml as it was before the merge (read from that file), per category.
FIMI_BEFORE = {
    "prevention": ["hybrid-fusion-cell", "rapid-alert-system", "fimi-incident-data-space", "eu-hybrid-protocol"],
    "resilience": ["credible-information-independent-media", "election-protection", "hybrid-resilience-baselines",
                   "partner-resilience-support", "ndici-european-peace-facility"],
    "disruption": ["fimi-toolbox", "cost-imposition", "strategic-communication", "eu-hybrid-toolbox",
                   "restrictive-measures", "hybrid-rapid-response-teams", "csdp-mission-fimi-capacities"],
    "regulatory": ["election-infrastructure-critical"],
    "diplomatic": ["coordinated-attribution", "like-minded-partners-multilateral", "eu-nato-cooperation",
                   "partner-security-dialogues"],
}


@pytest.fixture(scope="module")
def boxes():
    return load_toolboxes()


@pytest.fixture(scope="module")
def seeds() -> dict[str, list[str]]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed texts not found at {SEEDS} (../shared absent)")
    return {p.name: p.read_text().split("\n") for p in SEEDS.glob("*.txt")}


# --- the reference test: the seeds say what the toolboxes cite ----------------------------------------------------


def test_every_quote_occurs_in_its_cited_seed_lines(boxes, seeds) -> None:
    places = [p for box in boxes.values() for p in box.places]
    assert len(places) >= 140  # 148 when written
    assert {p.source for p in places} == {"000_e18c6be3a889c87f.txt", "004_a47d80d624d89186.txt"}
    problems = [f"{p.source} l.{p.first}-{p.last}: {quote_problem(p, seeds[p.source])}" for p in places
                if quote_problem(p, seeds[p.source])]
    assert problems == []
    # the check is not vacuous: the space toolbox's call, two lines too early, or with a word changed, fails
    call = boxes["space"].cite[0]
    assert (call.first, call.last) == (431, 433)
    assert quote_problem(Place(call.source, 427, 429, call.quote), seeds[call.source]) is not None
    assert quote_problem(Place(call.source, 431, 433, call.quote.replace("vijandig", "vriendelijk")),
                         seeds[call.source]) is not None


def test_the_space_toolbox_rests_on_decision_2021_698_as_the_seed_names_it(boxes, seeds) -> None:
    option = next(o for o in boxes["space"].options if o.id == "space-council-instructions")
    assert option.basis_seed is not None and option.basis_seed.first == 446
    assert "2021/698" in option.basis and "2021/698" in option.basis_seed.quote
    assert "2021/698" in seeds[option.basis_seed.source][445]  # the footnote itself, 0-based line 445
    assert (option.decides, option.rule, option.category) == ("Council", "unanimity", "stabilising")
    attribution = next(o for o in boxes["space"].options if o.id == "space-ms-attribution")
    assert (attribution.decides, attribution.rule) == ("Member States", "national")  # 004 l.455-457
    assert "soevereine politieke beslissing van de lidstaten" in attribution.cite[0].quote


def test_each_toolbox_covers_the_categories_its_seed_text_names(boxes) -> None:
    named = {k: set(b.categories_named) for k, b in boxes.items()}
    assert named == {"space": {"statement", "preventive", "stabilising", "cooperative", "restrictive"},
                     "hybrid": {"preventive", "cooperative", "stabilising", "restrictive", "resilience"},
                     "cyber": {"preventive", "restrictive", "resilience"},
                     "fimi": {"resilience"}}
    for box in boxes.values():
        for category, place in box.categories_named.items():
            # the quote (checked against the seed above) holds the seed's own word for the category
            assert any(word in place.quote for word in CATEGORY_WORDS[category]), (box.id, category)
        assert set(box.categories_named) <= {o.category for o in box.options}, box.id


def test_minimum_sizes_and_the_space_categories(boxes) -> None:
    assert [k for k in boxes] == ["space", "hybrid", "cyber", "fimi"]
    sizes = {k: len(b.options) for k, b in boxes.items()}
    assert sizes["space"] >= 8 and sizes["hybrid"] >= 8 and sizes["cyber"] >= 8 and sizes["fimi"] == 21
    space = {o.category for o in boxes["space"].options}
    assert {"statement", "preventive", "stabilising", "cooperative", "restrictive"} <= space


# --- every option complete, the rules as data ---------------------------------------------------------------------


def test_every_option_has_all_fields(boxes) -> None:
    every = options(boxes)
    assert len(every) == sum(len(b.options) for b in boxes.values())
    assert len({o.id for o in every}) == len(every)  # ids unique across the toolboxes
    for o in every:
        assert all(isinstance(v, str) and v.strip() for v in (o.id, o.name, o.action, o.instrument, o.basis,
                                                             o.lead_time_basis)), o.id
        assert o.action.endswith("."), o.id
        assert o.category in CATEGORIES and o.decides in DECIDERS and o.rule in RULES, o.id
        assert 0 <= o.lead_time_days[0] <= o.lead_time_days[1], o.id
        assert o.escalation in ESCALATION, o.id
        assert o.cite and o.citation.count(" l.") == len(o.cite), o.id
        # the legal basis: named by the seeds (a place), or the note says the seeds do not name it
        assert o.basis_seed is not None or "seeds" in o.basis_note, o.id
        # the lead time says where it comes from: a dated precedent, the text's own cadence, or a judgement
        assert (re.search(r"\d{4}-\d{2}-\d{2}", o.lead_time_basis) or "judgement" in o.lead_time_basis.lower()
                or "Annual" in o.lead_time_basis), o.id
        assert json.loads(json.dumps(o.as_dict()))["category_name"] == CATEGORIES[o.category]


def test_restrictive_options_are_decided_by_the_council_by_unanimity(boxes) -> None:
    assert CATEGORY_RULES["restrictive"] == ("Council", "unanimity")
    restrictive = options(boxes, category="restrictive")
    assert [o.id for o in restrictive] == ["space-restrictive", "hybrid-restrictive", "cyber-sanctions",
                                           "cost-imposition", "restrictive-measures"]
    for o in restrictive:
        assert (o.decides, o.rule, o.escalation) == ("Council", "unanimity", 5), o.id
        assert "TEU art. 29" in o.basis and "TFEU art. 215" in o.basis, o.id
    assert "2019/797" in restrictive[2].basis and "2019/796" in restrictive[2].basis
    assert "2024/2643" in restrictive[1].basis and "2024/2642" in restrictive[1].basis
    # and nothing else ranks as high without being restrictive or a Treaty clause
    fives = {o.id for o in options(boxes) if o.escalation == 5} - {o.id for o in restrictive}
    assert fives == {"space-mutual-assistance", "hybrid-solidarity", "cyber-mutual-assistance"}


def test_options_selects_by_toolbox_and_category_in_order(boxes) -> None:
    assert [o.id for o in options(boxes, "space", "statement")] == [
        "space-hr-statement", "space-hr-declaration", "space-council-conclusions", "space-un-statement",
        "space-ms-attribution"]
    space = options(boxes, "space")
    order = list(CATEGORIES)
    assert [order.index(o.category) for o in space] == sorted(order.index(o.category) for o in space)
    assert options(boxes, "cyber", "stabilising")[0].id == "cyber-demarche"
    with pytest.raises(ValueError, match="toolbox 'maritime' is not one of space, hybrid, cyber, fimi"):
        options(boxes, "maritime")
    with pytest.raises(ValueError, match="category 'diplomatic' is not one of statement"):
        options(boxes, category="diplomatic")


def test_same_as_links_the_same_instrument_across_toolboxes(boxes) -> None:
    every = {o.id: o for o in options(boxes)}
    links = {o.id: o.same_as for o in every.values() if o.same_as}
    assert links["hybrid-rapid-response-teams"] == "hybrid-rrt"
    assert links["restrictive-measures"] == "hybrid-restrictive"
    assert links["space-mutual-assistance"] == links["cyber-mutual-assistance"] == "hybrid-solidarity"
    for source, target in links.items():
        a, b = every[source], every[target]
        assert a.toolbox != b.toolbox and (a.category, a.decides, a.rule) == (b.category, b.decides, b.rule)


def test_citations_read_like_the_fimi_ones(boxes) -> None:
    space = {o.id: o for o in boxes["space"].options}
    assert space["space-council-instructions"].citation == (
        "space security conclusions l.417-419; Strategic Compass l.1962-1962; Strategic Compass l.2362-2362")
    fimi = {o.id: o for o in boxes["fimi"].options}
    assert fimi["rapid-alert-system"].citation == "Strategic Compass l.1822-1824"


# --- the FIMI toolbox, merged -------------------------------------------------------------------------------------


def test_the_fimi_toolbox_has_the_same_instruments_as_before(boxes) -> None:
    old = load_toolbox()  # kompas.fimi.response's view, read through the new model
    assert {c: [i.id for i in cat.instruments] for c, cat in old.categories.items()} == FIMI_BEFORE
    assert [o.id for o in boxes["fimi"].options] == [i for ids in FIMI_BEFORE.values() for i in ids]
    assert {o.id: o.group for o in boxes["fimi"].options} == {i: c for c, ids in FIMI_BEFORE.items() for i in ids}
    assert len(old.metatechniques) == 14 and old.metatechniques["M003"] == "prevention"
    assert not packaged("fimi_toolbox.yaml").exists()  # one copy of the FIMI instruments, not two
    rapid = old.categories["prevention"].instruments[1]  # the same Option in both views
    assert rapid == next(o for o in boxes["fimi"].options if o.id == "rapid-alert-system")
    assert (rapid.category, rapid.group, rapid.cite[0].first) == ("preventive", "prevention", 1822)


# --- lead times against the dated precedents (../shared/data, hand-made from press sources) ----------------------


def _days(first: str, last: str) -> int:
    return (date.fromisoformat(last) - date.fromisoformat(first)).days


def test_lead_times_agree_with_the_space_precedents(boxes) -> None:
    rows = list(csv.DictReader(need(SPACE_RESPONSES).open(encoding="utf-8")))
    cosmos = next(r for r in rows if "COSMOS 1408" in r["incident"])
    viasat = next(r for r in rows if "Viasat" in r["incident"])
    gaps = (_days(cosmos["incident_date"], cosmos["response_date"]), _days(viasat["incident_date"],
                                                                           viasat["response_date"]))
    assert gaps == (4, 75)
    declaration = next(o for o in boxes["space"].options if o.id == "space-hr-declaration")
    assert declaration.lead_time_days == gaps
    assert cosmos["response_date"] in declaration.lead_time_basis and viasat["response_date"] in (
        declaration.lead_time_basis)


def test_cyber_sanction_lead_times_cite_the_listing_dates(boxes) -> None:
    rows = list(csv.DictReader(need(CYBER_SANCTIONS).open(encoding="utf-8")))
    dates = sorted({r["listed_on"] for r in rows})
    assert dates[0] == "2020-07-30" and "2025-01-27" in dates
    sanctions = next(o for o in boxes["cyber"].options if o.id == "cyber-sanctions")
    assert "2020-07-30" in sanctions.lead_time_basis and "2025-01-27" in sanctions.lead_time_basis
    assert sanctions.lead_time_days[1] >= _days("2018-04-13", "2020-07-30") == 839


# --- malformed files: the precise error ---------------------------------------------------------------------------

SPACE_SEED = "004_a47d80d624d89186.txt"


def _document() -> dict:
    option = {"id": "o1", "name": "An option", "action": "Does a thing.", "category": "statement",
              "instrument": "HR statement", "basis": {"act": "TEU art. 27", "note": "Not named in the seeds."},
              "decides": "High Representative", "rule": "HR alone",
              "lead_time": {"days": [0, 2], "basis": "Judgement."}, "escalation": 1,
              "cite": [{"source": SPACE_SEED, "lines": [423, 423], "quote": "zoals verklaringen"}]}
    return {"toolboxes": [{"id": "t", "name": "T", "summary": "A toolbox.",
                           "cite": [{"source": SPACE_SEED, "lines": [421, 421], "quote": "architectuur"}],
                           "categories_named": {"statement": {"source": SPACE_SEED, "lines": [423, 423],
                                                              "quote": "verklaringen"}},
                           "options": [option]}]}


def _broken(change) -> str:
    document = _document()
    change(document["toolboxes"][0]["options"][0], document["toolboxes"][0])
    return yaml.safe_dump(document, allow_unicode=True)


@pytest.mark.parametrize(("change", "message"), [
    (lambda o, t: o.update(category="diplomatic"),
     "mine.yaml: toolbox t option o1: category: 'diplomatic' is not one of statement, preventive, stabilising, "
     "cooperative, restrictive, resilience"),
    (lambda o, t: o.pop("decides"), "mine.yaml: toolbox t option o1: decides: missing"),
    (lambda o, t: o.update(decides="NATO"), "mine.yaml: toolbox t option o1: decides: 'NATO' is not one of"),
    (lambda o, t: o.update(escalation=6), "mine.yaml: toolbox t option o1: escalation: 6 is not an integer 1..5"),
    (lambda o, t: o.update(escalation=True), "mine.yaml: toolbox t option o1: escalation: True is not an integer"),
    (lambda o, t: o["lead_time"].update(days=[5, 2]),
     "mine.yaml: toolbox t option o1: lead_time: days: [5, 2] is not [low, high] with 0 <= low <= high"),
    (lambda o, t: o["lead_time"].pop("basis"),
     "mine.yaml: toolbox t option o1: lead_time: basis: missing or not a non-empty text"),
    (lambda o, t: o["cite"][0].update(lines=[425, 423]),
     "mine.yaml: toolbox t option o1: cite 1: lines: [425, 423] is not [first, last] with 1 <= first <= last"),
    (lambda o, t: o["cite"][0].update(source="999_x.txt"),
     "mine.yaml: toolbox t option o1: cite 1: source: '999_x.txt' is not one of"),
    (lambda o, t: o.update(cite=[]),
     "mine.yaml: toolbox t option o1: cite: missing or not a non-empty list of {source, lines, quote}"),
    (lambda o, t: o["basis"].pop("note"),
     "mine.yaml: toolbox t option o1: basis: note: missing (without a seed place"),
    (lambda o, t: o.update(category="restrictive"),
     "mine.yaml: toolbox t option o1: rule: a restrictive option is decided by the Council by unanimity (TEU art. 29 "
     "and 31(1)), not by the High Representative by HR alone"),
    (lambda o, t: o.update(catgory="statement"), "mine.yaml: toolbox t option o1: catgory: unknown field"),
    (lambda o, t: o.update(group="prevention"),
     "mine.yaml: toolbox t option o1: group: 'prevention' given but toolbox t has no groups"),
    (lambda o, t: o.update(id="Bad Id"), "mine.yaml: toolbox t option 1: id: 'Bad Id' is not a kebab-case id"),
    (lambda o, t: t["options"].append(dict(o)), "mine.yaml: toolbox t option o1: id: also in toolbox t"),
    (lambda o, t: t.update(categories_named={"kind": t["categories_named"]["statement"]}),
     "mine.yaml: toolbox t: categories_named: 'kind' is not one of statement"),
    (lambda o, t: t.pop("cite"), "mine.yaml: toolbox t: cite: missing or not a non-empty list"),
])
def test_a_malformed_toolbox_is_named_field_by_field(change, message: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_toolboxes(_broken(change), "mine.yaml")
    assert str(error.value).startswith(message), str(error.value)


def test_a_well_formed_document_parses_and_whole_file_errors_are_named() -> None:
    parsed = parse_toolboxes(_document(), "mine.yaml")  # a mapping is accepted as well as text
    assert [o.id for o in parsed["t"].options] == ["o1"] and parsed["t"].options[0].citation == (
        "space security conclusions l.423-423")
    with pytest.raises(ValueError, match=r"^mine\.yaml: not YAML: "):
        parse_toolboxes("toolboxes: [", "mine.yaml")
    with pytest.raises(ValueError, match=r"^mine\.yaml: toolboxes: missing or not a non-empty list$"):
        parse_toolboxes("categories: [{id: nice}]", "mine.yaml")
    document = _document()
    document["toolboxes"][0]["options"][0]["same_as"] = "nowhere"
    alone = parse_toolboxes(document, "mine.yaml")  # another file may define it ...
    with pytest.raises(ValueError, match=r"^mine\.yaml: toolbox t option o1: same_as: 'nowhere' is no option of "
                                         r"another toolbox$"):
        merge([("mine.yaml", alone)])  # ... but not when the files are put together


def test_load_toolboxes_reads_a_folder_and_names_a_toolbox_given_twice(tmp_path: Path) -> None:
    for name in ("space.yaml", "hybrid.yaml"):
        shutil.copy(FOLDER / name, tmp_path / name)
    assert list(load_toolboxes(tmp_path)) == ["space", "hybrid"]
    shutil.copy(FOLDER / "hybrid.yaml", tmp_path / "hybrid-again.yaml")
    with pytest.raises(ValueError, match=r"hybrid\.yaml: toolbox hybrid: id: also in .*hybrid-again\.yaml"):
        load_toolboxes(str(tmp_path))  # a str, not the Path: not the cached result
    with pytest.raises(ValueError, match=r"fimi\.yaml: toolbox fimi option hybrid-fusion-cell: same_as: "
                                         r"'hybrid-fusion-cell-assessment' is no option of another toolbox"):
        load_toolboxes(FOLDER / "fimi.yaml")  # the FIMI file alone leans on hybrid.yaml
