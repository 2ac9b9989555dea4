"""Paths as users give them: a file, a folder, a glob pattern or the flag repeated all read the same files; the
shared data is found from any folder, and a command that falls back to a bundled sample says where it looked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kompas import locate
from kompas.cli import app
from kompas.files import NoSuchPath, expand, shared_data
from tests.conftest import SAMPLE_TLE

runner = CliRunner()
SAMPLE = SAMPLE_TLE.parent


def _snapshots(folder: Path) -> list[Path]:
    """Two snapshots and a PROVENANCE.md in ``folder``."""
    folder.mkdir()
    text = SAMPLE_TLE.read_text().splitlines(keepends=True)
    (folder / "active_2026-05-04.tle").write_text("".join(text[:30]))
    (folder / "active_2026-05-05.tle").write_text("".join(text[30:60]))
    (folder / "PROVENANCE.md").write_text("# where these came from\n")
    return sorted(folder.glob("*.tle"))


def test_folder_glob_and_repeated_paths_expand_to_the_same_files(tmp_path: Path) -> None:
    files = _snapshots(tmp_path / "snap")
    assert expand([tmp_path / "snap"]) == files  # documentation in a folder is skipped
    assert expand([str(tmp_path / "snap" / "active_*.tle")]) == files
    assert expand([str(tmp_path / "snap" / "*")]) == files
    assert expand([str(tmp_path / "**" / "*.tle")]) == files
    assert expand(files) == files
    assert expand([tmp_path / "snap" / "PROVENANCE.md"]) == [tmp_path / "snap" / "PROVENANCE.md"]  # named: kept
    assert expand([tmp_path / "snap"], folders=False) == [tmp_path / "snap"]


@pytest.mark.parametrize(("given", "message"), [("missing.tle", "missing.tle: no such file or folder"),
                                                ("snap/*.omm", "snap/*.omm: no file matches this pattern"),
                                                ("empty", "empty: the folder holds no data files")])
def test_expand_names_what_is_missing_before_reading_anything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              given: str, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    _snapshots(tmp_path / "snap")
    (tmp_path / "empty").mkdir()
    with pytest.raises(NoSuchPath) as caught:
        expand(["snap", given])
    assert str(caught.value) == message
    assert isinstance(caught.value, FileNotFoundError)


def test_catalog_accepts_a_folder_a_glob_or_repeated_files(tmp_path: Path) -> None:
    files = _snapshots(tmp_path / "snap")
    outputs = []
    for catalog in (["--catalog", str(tmp_path / "snap")], ["--catalog", str(tmp_path / "snap" / "active_*.tle")],
                    ["--catalog", str(files[0]), "--catalog", str(files[1])]):
        result = runner.invoke(app, ["space", "propagate", *catalog, "--start", "2026-05-05T00:00:00Z", "--end",
                                     "2026-05-05T00:02:00Z"])
        assert result.exit_code == 0, result.output
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0].splitlines()) == 1 + 3 * 20  # header, 20 objects x 3 times


def test_ingest_takes_a_quoted_glob(tmp_path: Path) -> None:
    _snapshots(tmp_path / "snap")
    result = runner.invoke(app, ["space", "ingest", str(tmp_path / "snap" / "*.tle")])
    assert result.exit_code == 0, result.output
    assert "active_2026-05-04.tle: tle: 10 accepted" in result.output
    assert "active_2026-05-05.tle: tle: 10 accepted" in result.output


def test_shared_data_is_looked_for_in_kompas_shared_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "shared" / "data" / "observatory").mkdir(parents=True)
    monkeypatch.setenv("KOMPAS_SHARED", str(tmp_path / "shared"))
    assert locate.where_looked("observatory")[0] == tmp_path / "shared" / "data" / "observatory"
    assert shared_data("observatory") == tmp_path / "shared" / "data" / "observatory"
    monkeypatch.setenv("KOMPAS_SHARED", str(tmp_path / "shared" / "data"))  # the data folder itself also works
    assert shared_data("observatory") == tmp_path / "shared" / "data" / "observatory"


def test_shared_data_is_found_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KOMPAS_SHARED", raising=False)
    checkout = Path(locate.__file__).resolve().parents[2]
    monkeypatch.chdir(tmp_path)
    assert checkout.parent / "shared" / "data" / "space" in locate.where_looked("space")
    assert tmp_path.parent / "shared" / "data" / "space" in locate.where_looked("space")


def test_observatory_says_where_it_looked_before_using_the_sample(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    nowhere = tmp_path / "nowhere" / "shared"
    monkeypatch.setattr(locate, "_bases", lambda: [nowhere])
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["observatory", "assess", "--out", str(tmp_path / "a.json")])
    assert result.exit_code == 0, result.output
    note = " ".join(result.stderr.split())
    assert f"no ../shared/data/observatory (looked in: {nowhere / 'data' / 'observatory'}" in note
    assert "using the 8-input USGS sample" in note


def test_observatory_finds_the_shared_data_through_kompas_shared(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from kompas.cli.observatory import SAMPLE as OBSERVATORY_SAMPLE

    shared = tmp_path / "elsewhere" / "data" / "observatory"
    shutil.copytree(OBSERVATORY_SAMPLE, shared / "usgs")
    shutil.copytree(OBSERVATORY_SAMPLE, shared / "usgs_copy")
    monkeypatch.setenv("KOMPAS_SHARED", str(tmp_path / "elsewhere"))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["observatory", "assess", "--out", str(tmp_path / "a.json")])
    assert result.exit_code == 0, result.output
    assert "from 2 paths" in " ".join(result.stderr.split())
    assert "looked in" not in result.stderr


def test_main_job_says_it_falls_back_to_the_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kompas.cli.run import find_space_data

    monkeypatch.delenv("KOMPAS_DATA", raising=False)
    monkeypatch.setattr(locate, "_bases", lambda: [tmp_path / "shared"])
    from kompas.cli import common

    printed = []
    monkeypatch.setattr(common.err_console, "print", lambda text, **_: printed.append(text))
    assert find_space_data(None) == SAMPLE
    assert printed and f"(looked in: {tmp_path / 'shared' / 'data' / 'space'}" in printed[0]
    assert "using the bundled sample" in printed[0]
