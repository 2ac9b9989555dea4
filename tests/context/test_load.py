"""The I/O layer of kompas.context: clear errors without ../shared, and the engines stay pure."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kompas.context import load

ENGINE_FILES = ("countries", "ucdp", "sipri", "ndgain", "ipc", "watchlist", "__init__")


def test_missing_shared_names_the_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(load, "shared_data", lambda sub: None)
    monkeypatch.setattr(load, "where_looked", lambda sub: [tmp_path / "shared" / "data" / sub])
    readers = (load.read_ucdp, load.read_sipri, load.read_ndgain, load.read_ipc_rows, load.read_views_countries)
    for reader in readers:  # __wrapped__: past the per-process cache, which other tests share
        with pytest.raises(load.ContextDataMissing, match="no ../shared/data/early-warning folder") as caught:
            reader.__wrapped__()
        assert str(tmp_path / "shared" / "data" / "early-warning") in str(caught.value)
        assert "KOMPAS_SHARED" in str(caught.value)


def test_missing_file_names_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(load, "shared_data", lambda sub: tmp_path)
    with pytest.raises(load.ContextDataMissing, match="UcdpPrioConflict_v24_1.csv: no such file"):
        load.read_ucdp.__wrapped__()


def test_engines_do_no_file_access() -> None:
    from tests.test_io_layer import file_access

    folder = Path(load.__file__).parent
    found = [hit for name in ENGINE_FILES for hit in file_access((folder / f"{name}.py").read_text(encoding="utf-8"),
                                                                f"kompas.context.{name}")]
    assert found == []
    tree = ast.parse((folder / "load.py").read_text(encoding="utf-8"))
    assert any(isinstance(n, ast.ImportFrom) and n.module == "kompas.files" for n in ast.walk(tree))
