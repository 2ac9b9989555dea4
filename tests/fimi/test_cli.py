"""`kompas fimi` end to end: ingest twice (the second time merged), analyse to JSON, respond, report; and the 2020
threat report from the EUvsDisinfo database as a PDF."""

from __future__ import annotations

import json

from pypdf import PdfReader
from typer.testing import CliRunner

from kompas.cli import app
from tests.fimi.conftest import EUVSDISINFO, need

runner = CliRunner()
HEADER = "date,id,title,countries,keywords,languages,outlets\n"


def _cases() -> str:
    rows = []
    for k in range(30):  # a steady narrative over the year, one case every twelve days
        day = f"2021-{1 + (12 * k) // 31 % 12:02d}-{1 + (12 * k) % 28:02d}"
        rows.append(f"{day},https://euvsdisinfo.eu/report/steady-{k}/,Sanctions against Russia hurt only Europe's "
                    f"farmers {k},Russia+EU,Sanctions,Russian,Outlet {k % 3}")
    for k in range(12):  # a burst: one claim across eight outlets and four languages in six days
        language = ["Russian", "German", "Arabic", "Spanish"][k % 4]
        rows.append(f"2021-06-{10 + k % 6:02d},https://euvsdisinfo.eu/report/burst-{k}/,"
                    f"The Baltic states plan a provocation at the border with tanks {k},Lithuania,Provocation,"
                    f"{language},Sputnik Lithuania+Channel {k % 8}")
    rows.append("2021-13-40,https://euvsdisinfo.eu/report/bad/,Bad date,US,x,English,Out")
    return HEADER + "\n".join(rows) + "\n"


def test_ingest_twice_analyse_respond_report(platform_home, tmp_path) -> None:
    platform_home("NL-NSO", "NL", [("ann", "SECRET", [])])
    cases = tmp_path / "posts.csv"
    cases.write_text(_cases())
    first = runner.invoke(app, ["fimi", "ingest", str(cases), "--user", "ann", "--tlp", "CLEAR"])
    assert first.exit_code == 1  # one row rejected, the rest stored
    assert "posts.csv:44: date: is not a date YYYY-MM-DD (got '2021-13-40')" in first.output
    assert "42 incidents added, 0 merged" in first.output
    second = runner.invoke(app, ["fimi", "ingest", str(cases), "--user", "ann", "--tlp", "CLEAR"])
    assert "0 incidents added, 42 merged into earlier records" in second.output
    out = tmp_path / "analysis.json"
    analysed = runner.invoke(app, ["fimi", "analyse", "--from", "2021-01-01", "--to", "2022-01-01", "--out",
                                   str(out), "--method", "tfidf", "--clusters", "2"])
    assert analysed.exit_code == 0, analysed.output
    result = json.loads(out.read_text())
    assert result["incidents"] == 42 and result["marking"] == "UNCLASSIFIED // TLP:CLEAR"
    assert sorted(c["size"] for c in result["clusters"]) == [12, 30]
    assert all({"id", "label", "size"} <= set(c) for c in result["clusters"])
    burst = next(c for c in result["clusters"] if c["size"] == 12)
    assert "baltic" in burst["label"] or "provocation" in burst["label"]
    assert [(s["cluster_id"], s["start_utc"], s["end_utc"]) for s in result["surges"]] == [
        (burst["id"], "2021-06-10T00:00:00Z", "2021-06-16T00:00:00Z")]
    assert len(result["surges"][0]["outlets"]) == 9 and len(result["surges"][0]["languages"]) == 4
    assert isinstance(result["techniques"], dict)
    responded = runner.invoke(app, ["fimi", "respond", "T0022", "T0152.006"])
    assert responded.exit_code == 0 and "Rapid Alert System" in responded.output
    assert runner.invoke(app, ["fimi", "respond", "T22"]).exit_code == 2
    report = tmp_path / "fimi.html"
    made = runner.invoke(app, ["fimi", "report", "--from", "2021-01-01", "--to", "2022-01-01", "--out", str(report),
                               "--method", "tfidf", "--clusters", "2"])
    assert made.exit_code == 0, made.output
    page = report.read_text()
    assert "FIMI threat report: 2021" in page and page.count("UNCLASSIFIED // TLP:CLEAR") >= 2
    assert "2021-06-10 to 2021-06-15" in page  # the surge, its last day inclusive
    assert runner.invoke(app, ["fimi", "analyse", "--from", "2021-02-01", "--to", "2021-01-01"]).exit_code == 2
    assert runner.invoke(app, ["fimi", "ingest", str(tmp_path), "--user", "nobody"]).exit_code == 2


def test_the_2020_report_reads_like_a_product(tmp_path) -> None:
    out = tmp_path / "fimi_2020.pdf"
    made = runner.invoke(app, ["fimi", "report", "--data", str(need(EUVSDISINFO)), "--from", "2020-01-01", "--to",
                               "2021-01-01", "--out", str(out)])
    assert made.exit_code == 0, made.output
    pages = PdfReader(out).pages
    assert 6 <= len(pages) <= 14
    text = "\n".join(p.extract_text() for p in pages)
    assert all("UNCLASSIFIED" in p.extract_text() for p in pages)  # the banner on every page
    for section in ("Key judgements", "Techniques: the DISARM matrix", "Top narratives", "Targets",
                    "Channels by attribution category", "Coordinated surges", "Response options",
                    "Trends against the previous period", "Method and data"):
        assert section in text, section
    assert "3,265 incidents were recorded" in text and "2,621" in text  # 2020 against 2019
    assert "navalny" in text.lower() and "coronavirus" in text.lower()
    assert "T0022" in text and "Rapid Alert System" in text
