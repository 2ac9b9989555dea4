"""The integrated EU threat analysis (issue 26, deliverable 7) on a platform seeded here and the real context data
in ../shared/data/early-warning (UCDP CC BY 4.0; the SIPRI extract, ND-GAIN and IPC read from there only).

The platform: EU-INTCEN's analysts ``sec`` (SECRET) and ``unc`` (UNCLASSIFIED); FR-DGSE's officer ``fr`` (SECRET)
contributes a SECRET report; ``sec`` writes a public assessment of the product line ``threat-analysis`` and one
citing the SECRET report (stored SECRET, whatever marking was asked for). Events in the year to 30 June 2025: a
cable incident and an anchor drag off Porvoo (TLP:CLEAR), a FIMI incident (TLP:GREEN), a SECRET navy sighting, and
one cyber incident the year before. The edition of 30 June 2025 is built once per reader; ``sec``'s records its
cadence on SC-001 and SC-051.

References (PROVENANCE.md of the data folder): UCDP/PRIO v24.1 counts 59 state-based conflicts in 2023, 9 of them
wars; SIPRI's world military expenditure rose 6.8 % in real terms from 2022 to 2023 (exact figures: the test
asserts the printed, rounded values, so its tolerance is the printing's: 0.05 percentage points)."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kompas.context import ipc, ndgain, sipri, ucdp
from kompas.core.envelope import Actor, Envelope, Place, derived_id
from kompas.core.markings import Classification, Marking, combine
from kompas.core.store import events as platform_events
from kompas.reports import threat_analysis as builder
from kompas.services import intel
from kompas.services import threat_analysis as service
from kompas.services.reports import BannerError

REPO = Path(__file__).resolve().parents[2]
SHARED_CONTEXT = REPO.parent / "shared" / "data" / "early-warning"
AS_OF = date(2025, 6, 30)
PUBLIC = Marking.build(tlp="CLEAR")
GREEN = Marking.build("UNCLASSIFIED", "GREEN", originator="EU-INTCEN")
NAVY = Marking.build("SECRET", "AMBER", originator="FR-DGSE")
SECRET_TITLE = "navy sighting of the cable layer"
SECRET_JUDGEMENT = "The sabotage campaign will reach a second subsea cable"


def _event(name: str, domain: str, kind: str, time: str, title: str, severity: str, lat: float | None = None,
           lon: float | None = None, countries: tuple[str, ...] = (), actors: tuple[Actor, ...] = ()) -> Envelope:
    when = f"{time}.000000000Z"
    return Envelope(id=derived_id("threat-analysis-test", name), domain=domain, type=kind, time_utc=when,
                    start_utc=when, end_utc=when, title=title, severity=severity, actors=actors,
                    place=Place(lat=lat, lon=lon, countries=countries), source="test")


VESSEL = (Actor("primary", "vessel", "518998755", "EAGLE S"),)
EVENTS = [
    (_event("cable", "infra", "incident", "2025-03-02T10:00:00", "cable lost off Porvoo", "high", 59.90, 25.60,
            ("FI", "EE"), VESSEL), PUBLIC),
    (_event("drag", "maritime", "anchor_drag", "2025-03-02T08:00:00", "anchor drag: EAGLE S", "medium", 59.90, 25.20,
            (), VESSEL), PUBLIC),
    (_event("fimi", "fimi", "incident", "2025-04-10T09:00:00", "narratives on the cable incident", "low",
            countries=("DE",)), GREEN),
    (_event("navy", "intel", "report", "2025-03-02T09:00:00", SECRET_TITLE, "high", 59.90, 25.40, (), VESSEL), NAVY),
    (_event("old", "cyber", "incident", "2024-01-15T08:00:00", "DDoS on ministries", "low", countries=("FI",)),
     PUBLIC),
    # routine: one Starlink satellite raising its orbit three times (high by delta-v), linked by the same actor
    *[(_event(f"starlink-{k}", "space", "manoeuvre", f"2025-05-0{k}T12:00:00", "STARLINK-1234: along-track "
              f"manoeuvre of 9.{k} m/s (raise)", "high", actors=(Actor("primary", "space-object", "45000",
                                                                        "STARLINK-1234"),)), PUBLIC)
      for k in (1, 2, 3)],
    (_event("cosmos", "space", "manoeuvre", "2025-05-20T12:00:00", "COSMOS 2576: cross-track manoeuvre of 12.0 m/s "
            "(plane change)", "high", actors=(Actor("primary", "space-object", "58000", "COSMOS 2576"),)), PUBLIC),
]
#: A conflict warning recorded for the window 2023 (as `kompas warning warnings --record` stores it): dated in 2023,
#: outside the editions' platform period (and the period before it), it must still be counted.
WARNING = {"country": "Sudan", "iso3": "SDN", "window": 2023, "model": "kompas", "probability": 0.97,
           "threshold": {"fatalities": 1000, "span": "year", "probability": 0.9}, "expected_fatalities": 5000.0,
           "months": [f"2023-{m:02d}" for m in range(1, 13)], "peak_month": "2023-04", "severity": "high"}


def _assessment(title: str, judgements: list[dict[str, Any]], citations: list[dict[str, str]]) -> dict[str, Any]:
    return {"title": title, "product_line": "threat-analysis", "team": "team-north", "summary": "Test assessment.",
            "date": "2025-05-01", "key_judgements": judgements, "citations": citations}


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Any:  # noqa: ANN401 (a dict of the world)
    from kompas.core.db import make_engine, upgrade
    from kompas.core.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('threat_analysis') / 'kompas.db'}"
    upgrade(url)
    engine = make_engine(url)
    store = Store(engine)
    store.add_org("EU-INTCEN", "BE")
    store.add_org("FR-DGSE", "FR")
    for name, org, clearance in (("sec", "EU-INTCEN", "SECRET"), ("unc", "EU-INTCEN", "UNCLASSIFIED"),
                                 ("fr", "FR-DGSE", "SECRET")):
        store.add_user(name, org, clearance)
    from kompas.core.envelope import from_warning

    done = platform_events.store(store, [*EVENTS, (from_warning(WARNING), PUBLIC)], "test", alert=False)
    assert not done.rejected and len(done.ids) == len(EVENTS) + 1
    sec, fr = store.account("sec"), store.account("fr")
    report = intel.write(store, fr, "report", {
        "title": "Cable layer loitering", "text": "Seen over the cable.", "reliability": "B", "credibility": "2",
        "source": "naval patrol", "date": "2025-03-02"}, NAVY)
    public = intel.write(store, sec, "assessment", _assessment("Baltic subsea threats", [
        {"text": "Another Baltic cable will be damaged by an anchor before 1 June 2025.", "likelihood": "likely",
         "confidence": "moderate", "resolution_date": "2025-06-01", "criterion": "a public report of damage"},
        {"text": "A state will be named publicly as responsible.", "likelihood": "unlikely", "confidence": "low"},
        {"text": "The cable will be repaired by 15 June 2025.", "likelihood": "likely", "confidence": "low",
         "resolution_date": "2025-06-15", "criterion": "the operator's notice"}],
        []), PUBLIC)
    public = intel.resolve(store, sec, public["id"], 0, True, "2025-06-02")  # outcomes are set only by resolving
    secret = intel.write(store, sec, "assessment", _assessment("Sabotage campaign", [
        {"text": SECRET_JUDGEMENT, "likelihood": "very likely", "confidence": "high",
         "resolution_date": "2025-12-31", "criterion": "a second cable damaged"}],
        [{"kind": "report", "id": report["id"]}]), PUBLIC)
    assert secret["raised"] and secret["marking"]["classification"] == "SECRET"
    world = {"store": store, "sec": sec, "unc": store.account("unc"), "report": report,
             "assessments": [Marking.from_dict(public["marking"]), Marking.from_dict(secret["marking"])]}
    world["unc_page"] = service.report(store, world["unc"].viewer, AS_OF, "html", early=False)
    world["sec_page"] = service.report(store, sec.viewer, AS_OF, "html", record_cadence=True, by=sec, early=False)
    yield world
    engine.dispose()


def _html(done: Any) -> str:  # noqa: ANN401 (Rendered)
    return done.content.decode("utf-8")


def _banners(page: str) -> list[str]:
    return re.findall(r'<div class="banner">(.*?)</div>', page)


def _footer(page: str) -> str:
    return page.split("<div class='pagefoot'>", 1)[1].split("</p></div>", 1)[0]


def _section(page: str, number: int) -> str:
    return page.split(f">{number}. ", 1)[1].split("<h2", 1)[0]


def need_shared() -> None:
    if not SHARED_CONTEXT.is_dir():
        pytest.skip(f"{SHARED_CONTEXT} is absent: UCDP, the SIPRI extract, ND-GAIN and IPC are read from ../shared "
                    "only, never copied into the repository (clone ../shared beside the checkout)")


@pytest.mark.shared
def test_the_figures_on_the_real_data(platform: Any) -> None:  # noqa: ANN401
    """UCDP v24.1: 59 state-based conflicts in 2023, 9 wars (56 and 8 in 2022); SIPRI: +6.8 % real 2022-2023."""
    need_shared()
    page = _html(platform["unc_page"])
    key = _section(page, 1)
    assert "<b>59 state-based armed conflicts</b> were active in 2023, <b>9 of them wars</b>" in key
    assert "rose <b>+6.8 %</b> in real terms from 2022 to 2023" in key, "SIPRI world total, printed to 0.1 point"
    conflicts = _section(page, 2)
    assert "<b>59 state-based armed conflicts were active in 2023</b>, 9 of them wars" in conflicts
    assert "56 conflicts and 8 wars in 2022" in conflicts
    assert "<tr><td>2023</td><td class=\"n\">59</td><td class=\"n\">9</td>" in conflicts
    assert conflicts.count("<img ") == 2, "the chart by type with the wars, and the one by region"
    assert html.escape(ucdp.CITATION) in conflicts
    milex = _section(page, 3)
    assert "World military expenditure +6.8 % in real terms from 2022 to 2023" in milex
    assert "US$ 2,394 bn at constant 2022 prices; US$ 2,443 bn at current prices" in milex, "SIPRI fact sheet"
    assert "<tr><td class=\"n\">1</td><td>United States of America</td>" in milex
    assert html.escape(sipri.CITATION) in milex and html.escape(sipri.NOTE) in milex
    watch = _section(page, 4)
    assert "Edition 2024 of the watchlist" in watch and "Somalia ranks 1" in watch
    assert "Changes in the top 20 since the edition of 2023" in watch
    assert html.escape(ndgain.CITATION) in watch and html.escape(ipc.CITATION) in watch


def test_the_uncleared_reader_gets_neither_the_secret_assessment_nor_the_secret_event(platform: Any) -> None:  # noqa: ANN401
    done = platform["unc_page"]
    page = _html(done)
    expected = combine([PUBLIC, GREEN, platform["assessments"][0]])  # what unc may see: no SECRET input
    assert done.marking == expected and expected.banner() == "UNCLASSIFIED // TLP:GREEN"
    assert _banners(page) == [expected.banner()] * 2, "the banner at the top and the bottom of the page"
    assert f"<div class='line'>{expected.banner()}</div>" in page, "and in every printed page's running footer"
    assert SECRET_JUDGEMENT not in page and SECRET_TITLE not in page and "Sabotage campaign" not in page
    assert "Another Baltic cable will be damaged" in page
    domains = _section(page, 7)
    assert "<h3>Intelligence and early warning</h3>" not in domains  # the SECRET event is the only intel one
    assert "<b>1 event</b> (1 high, 0 medium, 0 low); 0 in the period before (+1)" in domains  # infra
    assert "<b>0 events</b> (0 high, 0 medium, 0 low); 1 in the period before (-1)" in domains  # cyber, 2024
    assert "<b>7 events</b> in 4 domains" in _section(page, 6)


def test_the_cleared_reader_gets_a_secret_report_marked_with_everything_used(platform: Any) -> None:  # noqa: ANN401
    done = platform["sec_page"]
    page = _html(done)
    expected = combine([PUBLIC, GREEN, NAVY, *platform["assessments"]])
    assert done.marking == expected and expected.classification is Classification.SECRET
    assert _banners(page) == [html.escape(expected.banner())] * 2
    assert SECRET_JUDGEMENT in page and SECRET_TITLE in page
    judgements = _section(page, 8)
    assert "4 key judgements of 2 assessments" in judgements and "1 resolved by 2025-06-30" in judgements
    assert "overdue for resolution (due 2025-06-15)" in judgements and "1 overdue for resolution" in judgements
    assert "not yet resolved" not in judgements
    assert "very likely (80-95 %)" in judgements and "likely (55-80 %)" in judgements
    assert "happened (resolved 2025-06-02)" in judgements and "open: resolves 2025-12-31" in judgements
    assert "not scorable" in judgements
    picture = _section(page, 6)
    assert "<b>8 events</b> in 5 domains" in picture
    assert "<h3>Situations (2)</h3>" in picture, "the drag, the SECRET sighting and the cable loss; the Starlink"
    assert html.escape(combine([PUBLIC, NAVY]).banner()) in picture


def test_a_lower_banner_is_refused_and_a_higher_one_printed(platform: Any) -> None:  # noqa: ANN401
    store, sec, unc = platform["store"], platform["sec"], platform["unc"]
    with pytest.raises(BannerError, match="lower than the combined marking"):
        service.report(store, sec.viewer, AS_OF, "html", banner="UNCLASSIFIED // TLP:CLEAR", early=False)
    done = service.report(store, unc.viewer, AS_OF, "html", banner="RESTRICTED", early=False)
    assert _banners(_html(done)) == ["RESTRICTED // TLP:GREEN"] * 2, "raised by hand, the TLP kept"


def test_public_data_alone_is_unclassified_clear() -> None:
    done = service.report(None, None, AS_OF, "html", early=False)
    assert done.marking == PUBLIC and _banners(_html(done)) == ["UNCLASSIFIED // TLP:CLEAR"] * 2
    assert "No platform event the reader may see in the period." in _section(_html(done), 1)


@pytest.mark.shared
def test_every_data_set_used_is_attributed_on_every_page(platform: Any) -> None:  # noqa: ANN401
    need_shared()
    footer = _footer(_html(platform["unc_page"]))
    for citation in (ucdp.CITATION, sipri.CITATION, sipri.NOTE, ndgain.CITATION, ipc.CITATION,
                     builder.PLATFORM_ATTRIBUTION):
        assert html.escape(citation) in footer, citation
    assert "CC BY 4.0" in footer and "VIEWS" not in footer, "VIEWS only when the early warning is in"


def test_the_edition_is_recorded_and_the_next_is_due_three_years_later(platform: Any) -> None:  # noqa: ANN401
    from kompas.services.commitments import assess

    store, sec, unc = platform["store"], platform["sec"], platform["unc"]
    page = _html(platform["sec_page"])
    cadence = _section(page, 9)
    # the 2025-06-30 edition meets the register's 2025-12-31 due date; the register next asks for 2028-12-31, and
    # "at least every three years" for 2028-06-30, the earlier: one date, one rule
    assert "The next edition is due by 2028-06-30</b>: at least every 3 year" in cadence
    assert len(set(re.findall(r"due by (\d{4}-\d\d-\d\d)", cadence))) == 1, "one date, one rule"
    assert "Next edition due by <b>2028-06-30</b>" in _section(page, 1)
    notes = [n for n in store.commitment_statuses(sec.viewer) if n["commitment_id"] in builder.COMMITMENTS]
    assert sorted(n["commitment_id"] for n in notes) == ["SC-001", "SC-051"]
    for note in notes:
        assert note["status"] == "done" and note["as_of"] == "2025-06-30"
        assert note["evidence"].startswith("Integrated EU threat analysis, edition 2025-06-30")
        assert "next edition due by 2028-06-30 (at least every 3 years)" in note["evidence"]
        assert Marking.from_dict(note["marking"]) == platform["sec_page"].marking, "under the report's marking"
    assert not [n for n in store.commitment_statuses(unc.viewer) if n["commitment_id"] in builder.COMMITMENTS], (
        "a SECRET report's note is SECRET too")
    register = {a.commitment.id: a for a in assess(store, sec.viewer, date(2026, 1, 15)).assessments}
    assert register["SC-051"].status == "done" and register["SC-051"].done_on == AS_OF, "the register knows it"
    assert register["SC-001"].status == "done"

    later = _html(service.report(store, sec.viewer, date(2026, 3, 1), "html", early=False))
    cadence = _section(later, 9)
    assert "The previous edition the reader may see recorded: 2025-06-30 (0.7 years before this one)" in cadence
    assert "Not recorded on the platform (a dry run)" in cadence
    again = [n for n in store.commitment_statuses(sec.viewer) if n["commitment_id"] in builder.COMMITMENTS]
    assert len(again) == 2, "a dry run records nothing"


def test_routine_constellation_manoeuvres_are_counted_apart(platform: Any) -> None:  # noqa: ANN401
    """Three high Starlink manoeuvres are routine: counted in one line, not among the most severe, not in the key
    points' notable events; the COSMOS manoeuvre is notable and listed."""
    page = _html(platform["unc_page"])
    key = _section(page, 1)
    assert "<b>4 notable events</b> in the period" in key and "2 of high severity" in key, "cable loss and COSMOS"
    assert "3 routine manoeuvres of large constellations (Starlink) counted apart" in key
    domains = _section(page, 7)
    space = domains.split("<h3>Space</h3>", 1)[1].split("<h3>", 1)[0]
    assert "<b>4 events</b> (4 high, 0 medium, 0 low)" in space
    assert "3 routine manoeuvres by Starlink (1 object; 3 high, 0 medium, 0 low)" in space
    assert "<b>1 notable event</b>" in space and "COSMOS 2576" in space and "STARLINK-1234" not in space
    picture = _section(page, 6)
    assert "1 situation of routine manoeuvres by Starlink" in picture and "STARLINK-1234:" not in picture
    assert picture.index("cable lost off Porvoo") < picture.index("routine manoeuvres by Starlink"), (
        "the routine line after the situations across domains")
    assert html.escape(builder.ROUTINE_RULE) in _section(page, 10)
    assert builder.constellation("STARLINK-1234") == "Starlink" and builder.constellation("ONEWEB-0012") == "OneWeb"
    assert builder.constellation("YAOGAN-36 02A") == "" and builder.constellation("") == ""


def test_recorded_warnings_are_shown_outside_the_platform_period(platform: Any) -> None:  # noqa: ANN401
    page = _html(platform["unc_page"])
    expected = "1 recorded warning for the window 2023 (1 high, 0 medium, 0 low; 1 country)."
    assert expected in _section(page, 1)
    section = _section(page, 5)
    assert "Warnings recorded on the platform" in section and expected in section
    assert "<td>Sudan</td>" in section and "2023-01 to 2023-12" in section


def test_overdue_judgements() -> None:
    judgement = {"outcome": None, "resolution_date": "2025-04-01"}
    assert builder.outcome_text(judgement, date(2025, 6, 30)) == "overdue for resolution (due 2025-04-01)"
    assert builder.outcome_text(judgement, date(2025, 4, 1)) == "open: resolves 2025-04-01", "due today: not late"


def test_the_three_year_rule_applies_only_when_earlier_than_the_register() -> None:
    c = builder.Cadence(date(2026, 12, 1), date(2029, 12, 1), (), {"SC-001": date(2028, 12, 31)})
    assert c.due == date(2028, 12, 31) and c.due_rule == "register"
    c = builder.Cadence(date(2026, 12, 1), date(2029, 12, 1), (), {"SC-001": date(2031, 12, 31)})
    assert c.due == date(2029, 12, 1) and c.due_rule == "three years"
    assert "at least every 3 years after this edition" in builder.due_reason(c)


def test_next_due_keeps_the_day_and_the_month_end() -> None:
    assert service.next_due(date(2025, 6, 30)) == date(2028, 6, 30)
    # the register's next due date after the one an edition meets (every 3 years from end-2022)
    assert set(service.register_schedule(date(2025, 6, 30)).values()) == {date(2028, 12, 31)}
    assert set(service.register_schedule(date(2025, 12, 31)).values()) == {date(2028, 12, 31)}
    assert set(service.register_schedule(date(2026, 12, 1)).values()) == {date(2031, 12, 31)}
    assert service.next_due(date(2024, 2, 29)) == date(2027, 2, 28)
    assert service.next_due(date(2022, 12, 31)) == date(2025, 12, 31)


def test_the_windows_an_edition_forecasts_and_evaluates() -> None:
    from kompas.warning.features import month_id

    april_2024 = month_id(2024, 4)  # the shared actuals end in April 2024
    assert service.windows(date(2023, 6, 30), april_2024) == (2023, 2022)
    assert service.windows(date(2023, 10, 31), april_2024) == (2024, 2022), "the cut-off of 2024 is 31 Oct 2023"
    assert service.windows(date(2026, 12, 1), april_2024) == (2024, 2023), "no window beyond the data"
    assert service.windows(date(2017, 6, 30), april_2024) == (None, None)


def test_without_the_early_warning_the_section_says_so(platform: Any) -> None:  # noqa: ANN401
    section = _section(_html(platform["unc_page"]), 5)
    assert "Early warning is not included in this edition</b>: not asked for" in section
    assert "kompas.services.threat_analysis.early_warning" in section


@pytest.mark.shared
def test_the_early_warning_section_from_the_warning_service(platform: Any,  # noqa: ANN401
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The conflictology benchmark alone (fast): its 2022 CRPS is the VIEWS evaluation files' 124.00 (printed to
    0.01); the forecast of 2023 and its warnings; VIEWS is then attributed."""
    need_shared()
    from kompas.warning import load

    try:
        found = service.early_warning(date(2023, 6, 30), model="conflictology", models=("conflictology",))
    except FileNotFoundError as error:
        pytest.skip(f"VIEWS data absent: {error}")
    assert found["forecast"]["window"] == 2023 and found["evaluation"]["window"] == 2022
    monkeypatch.setattr(service, "early_warning", lambda as_of: found)
    page = _html(service.report(platform["store"], platform["unc"].viewer, AS_OF, "html"))
    section = _section(page, 5)
    assert "<td>conflictology</td><td class=\"n\">124.00</td>" in section
    assert "Forecast of the window 2023" in section and "The highest-risk countries" in section
    assert f"Warnings ({len(found['warnings'])})" in section and found["warnings"]
    assert html.escape(load.CITATION) in _footer(page)


def test_the_command_writes_the_report_and_refuses_a_lower_banner(platform: Any, tmp_path: Path) -> None:  # noqa: ANN401
    import typer
    from typer.testing import CliRunner

    from kompas.cli.threat_analysis import register

    app = typer.Typer()
    app.command("noop")(lambda: None)  # a group of two commands, as `kompas intel` is
    register(app)
    url = str(platform["store"].engine.url)
    out = tmp_path / "analysis.html"
    done = CliRunner().invoke(app, ["threat-analysis", "--user", "unc", "--out", str(out), "--as-of", "2025-06-30",
                                    "--no-early-warning", "--db", url])
    assert done.exit_code == 0, done.output
    assert out.is_file() and "UNCLASSIFIED // TLP:GREEN" in done.output
    assert _banners(out.read_text(encoding="utf-8")) == ["UNCLASSIFIED // TLP:GREEN"] * 2
    refused = CliRunner().invoke(app, ["threat-analysis", "--user", "sec", "--out", str(tmp_path / "x.html"),
                                       "--as-of", "2025-06-30", "--no-early-warning", "--banner", "UNCLASSIFIED",
                                       "--db", url])
    assert refused.exit_code == 2 and "lower than the combined marking" in refused.output
    assert not (tmp_path / "x.html").exists()


@pytest.mark.slow
def test_the_pdf_carries_the_banner_and_the_attribution_on_every_page(platform: Any) -> None:  # noqa: ANN401
    """One PDF render (slow): every page's text holds the banner and the platform's attribution."""
    from pypdf import PdfReader

    done = service.report(platform["store"], platform["sec"].viewer, AS_OF, "pdf", early=False)
    assert done.media_type == "application/pdf" and done.filename == "threat_analysis_2025-06-30.pdf"
    pages = PdfReader(io.BytesIO(done.content)).pages
    assert len(pages) >= 5
    banner = done.marking.banner()
    for number, page in enumerate(pages, 1):
        text = " ".join(page.extract_text().split())
        assert text.count(banner) >= 2, f"page {number}: the banner at its top and bottom"
        assert "contributed on the Kompas platform" in text, f"page {number}: the attribution in the footer"
