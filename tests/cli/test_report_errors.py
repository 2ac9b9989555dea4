"""Report commands end a refused run with exactly one error line: their own exits are not re-reported (typer's
Exit is a RuntimeError, which the renderer-failure handler used to catch and print as an empty "error: ")."""

from __future__ import annotations

from typer.testing import CliRunner

from kompas.cli import app

runner = CliRunner()


def test_fimi_report_with_an_unknown_method_says_so_once(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("KOMPAS_HOME", str(tmp_path))
    monkeypatch.delenv("KOMPAS_DB", raising=False)
    result = runner.invoke(app, ["fimi", "report", "--from", "2021-01-01", "--to", "2021-02-01", "--method", "bogus",
                                 "--out", str(tmp_path / "r.html")])
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert result.exit_code == 2 and len(lines) == 1 and "--method must be one of" in lines[0], result.output
