"""One I/O layer: the engines (kompas.space, kompas.fimi, kompas.observatory, kompas.compass, kompas.infra) only
parse text.

Reading files is :mod:`kompas.files` (with :mod:`kompas.locate` finding ``../shared``); the loaders callers use
are thin adapters, named in :data:`ADAPTERS`, that call :mod:`kompas.files` and then an engine's parse function.
The scan below reads every engine module's syntax tree and fails on any file access in it.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

ENGINES = ("kompas.space", "kompas.fimi", "kompas.observatory", "kompas.compass", "kompas.infra", "kompas.maritime",
           "kompas.intel", "kompas.warning", "kompas.context", "kompas.mobility", "kompas.exercise",
           "kompas.isac")
#: The only modules inside the engine packages allowed to read files (each through kompas.files).
ADAPTERS = frozenset({"kompas.fimi.load", "kompas.observatory.load", "kompas.compass.load", "kompas.infra.load",
                      "kompas.maritime.load", "kompas.intel.load", "kompas.warning.load", "kompas.context.load",
                      "kompas.mobility.load", "kompas.exercise.load",
                      "kompas.isac.load"})

#: Method names that touch the file system whatever object they are called on (Path, a handle, gzip, tarfile...).
FILE_METHODS = frozenset({"open", "read_text", "read_bytes", "write_text", "write_bytes", "iterdir", "glob", "rglob",
                          "is_file", "is_dir", "exists", "mkdir", "unlink", "touch"})
#: Module functions that read or write files (``json.load`` takes a handle; ``json.loads`` text is fine).
MODULE_CALLS = frozenset({("json", "load"), ("json", "dump"), ("pickle", "load"), ("pickle", "dump"),
                          ("os", "listdir"), ("os", "scandir"), ("os", "walk"), ("os", "stat"), ("os", "remove"),
                          ("glob", "glob"), ("glob", "iglob"), ("shutil", "copy"), ("shutil", "copyfile"),
                          ("np", "load"), ("np", "loadtxt"), ("np", "genfromtxt"), ("np", "save"),
                          ("np", "savetxt")})
YAML_LOADS = frozenset({"load", "safe_load", "full_load", "unsafe_load", "load_all", "safe_load_all"})
#: Modules an engine does not import: they locate or read files.
IO_MODULES = ("kompas.files", "kompas.locate", "importlib.resources", "importlib_resources")


def _name(node: ast.expr) -> str:
    """``a.b.c`` for an attribute chain of names, else ""."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _name(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


def file_access(source: str, module: str) -> list[str]:
    """``module:line: what`` for every file access in ``source`` (the text of one module), in line order."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        what = ""
        if isinstance(node, ast.Call):
            func = node.func
            full = _name(func)
            if isinstance(func, ast.Name) and func.id in ("open", "Path"):
                what = f"{func.id}()"
            elif isinstance(func, ast.Attribute) and func.attr in FILE_METHODS:
                what = f".{func.attr}()"
            elif tuple(full.rsplit(".", 1)) in MODULE_CALLS or full.startswith("os.path."):
                what = f"{full}()"
            elif (full.startswith("yaml.") and full.split(".")[-1] in YAML_LOADS and node.args
                  and isinstance(node.args[0], ast.Call)):
                what = f"{full}() of a file read on the spot"
        elif isinstance(node, ast.Name) and node.id == "__file__":
            what = "__file__ (locating files)"
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            bad = [n for n in names if n.startswith(IO_MODULES)]
            if isinstance(node, ast.ImportFrom) and node.module == "kompas":
                bad += [f"kompas.{a.name}" for a in node.names if a.name in ("files", "locate")]
            if bad:
                what = f"import {bad[0]}"
        if what:
            line = getattr(node, "lineno", 0)
            found.append((line, f"{module}:{line}: {what}"))
    return [text for _, text in sorted(found)]


def engine_modules() -> dict[str, Path]:
    """Every module of the engine packages (their ``__init__`` included): name -> file."""
    out = {}
    for package in ENGINES:
        imported = importlib.import_module(package)
        out[package] = Path(imported.__file__ or "")
        for info in pkgutil.walk_packages(imported.__path__, package + "."):
            spec = importlib.util.find_spec(info.name)
            assert spec is not None and spec.origin, info.name
            out[info.name] = Path(spec.origin)
    return out


def test_the_scan_finds_every_kind_of_file_access() -> None:
    """The scan can fail: each way the engines used to read files (before the I/O layer) is reported."""
    source = '''
import json, yaml
from pathlib import Path
from kompas.files import read_text
from kompas import locate
from importlib.resources import files
DEFAULT = Path(__file__).resolve().parent / "data" / "x.yaml"
def a(path): return yaml.safe_load(Path(path).read_text())
def b(path): return path.read_bytes().decode()
def c(path):
    with path.open(newline="") as f: return f.read()
def d(path): return json.load(open(path))
def e(path): return [p for p in path.glob("*.csv") if p.is_file()] + [path.is_dir()]
def f(path): return yaml.safe_load(open(path))
def ok(text): return yaml.safe_load(text), json.loads(text)
'''
    found = [line.split(": ", 1)[1] for line in file_access(source, "m")]
    assert found.count("Path()") == 2 and found.count("open()") == 2
    for what in ("__file__ (locating files)", ".read_text()", ".read_bytes()", ".open()", "json.load()", ".glob()",
                 ".is_file()", ".is_dir()", "yaml.safe_load() of a file read on the spot", "import kompas.files",
                 "import kompas.locate", "import importlib.resources"):
        assert what in found, what
    assert not any(":15:" in line for line in file_access(source, "m"))  # parsing text is not file access


def test_engines_only_parse_text() -> None:
    """No module of an engine package, other than the named adapters, opens, reads, lists or locates files."""
    modules = engine_modules()
    assert len(modules) >= 40 and set(modules) >= ADAPTERS, sorted(set(ADAPTERS) - set(modules))
    offenders = [line for name, path in sorted(modules.items()) if name not in ADAPTERS
                 for line in file_access(path.read_text(encoding="utf-8"), name)]
    assert offenders == [], "file access in engine modules (read through kompas.files instead):\n" + "\n".join(
        offenders)


# --- the readers of kompas.files ---------------------------------------------------------------------------------


def test_read_text_names_the_path_it_cannot_read(tmp_path: Path) -> None:
    from kompas.files import NoSuchPath, Unreadable, read_text

    (tmp_path / "ok.txt").write_bytes(b"caf\xc3\xa9 \xff\n")
    assert read_text(tmp_path / "ok.txt") == "caf\u00e9 \ufffd\n"  # a damaged byte is replaced, not fatal
    with pytest.raises(NoSuchPath, match=r"nothing\.yaml: no such file"):
        read_text(tmp_path / "nothing.yaml")
    with pytest.raises(Unreadable, match=f"{tmp_path}: a folder, not a file"):
        read_text(tmp_path)
    assert isinstance(Unreadable("x", "y"), OSError)


def test_yaml_heads_and_folders_are_read_naming_the_file(tmp_path: Path) -> None:
    from kompas.files import NoSuchPath, files_in, read_head, read_yaml

    (tmp_path / "a.yaml").write_text("a: [1, 2]\n")
    (tmp_path / "b.yaml").write_text("a: 1\nb: [1, 2\n")
    (tmp_path / "c.CSV").write_text("x,y\n" + "1,2\n" * 5000)
    (tmp_path / "d.csv").mkdir()
    assert read_yaml(tmp_path / "a.yaml") == {"a": [1, 2]}
    with pytest.raises(ValueError, match=r"b\.yaml: not YAML: .*\(line 3\)"):
        read_yaml(tmp_path / "b.yaml")
    assert read_head(tmp_path / "c.CSV", 10) == "x,y\n1,2\n1,"  # the first 10 bytes only
    assert files_in(tmp_path, ".csv") == [tmp_path / "c.CSV"]  # files only, any case
    assert files_in(tmp_path, ".txt") == []
    with pytest.raises(NoSuchPath, match="nowhere: no such folder"):
        files_in(tmp_path / "nowhere", ".csv")


def test_packaged_data_is_read_through_kompas_files() -> None:
    from kompas.files import NoSuchPath, packaged, read_packaged

    assert "commitments:" in read_packaged("commitments.yaml")
    assert packaged("observatory.yaml").is_file() and packaged("observatory").is_dir()
    with pytest.raises(NoSuchPath, match="no_such.yaml"):
        read_packaged("no_such.yaml")


# --- the engines' parse functions take text and name its source --------------------------------------------------


def test_parse_functions_name_their_source() -> None:
    from kompas.compass import evidence, register
    from kompas.fimi import attribution, response, techniques
    from kompas.observatory import config, mitigations

    bad = {"attribution": lambda: attribution.Rules.parse("rules: [{pattern: x, category: friendly}]", "mine.yaml"),
           "techniques": lambda: techniques.Inference.parse("keywords: [{keywords: [a], technique: X}]", "mine.yaml"),
           "toolbox": lambda: response.parse_toolbox("categories: [{id: nice}]", "mine.yaml"),
           "config": lambda: config.parse("groups: {}", "mine.yaml"),
           "mitigations": lambda: mitigations.parse_rules("instruments: [{id: x}]", "mine.yaml"),
           "register": lambda: register.parse_register("commitments: [{id: x}]", "mine.yaml"),
           "excluded": lambda: register.parse_excluded("excluded: [{line: 1}]", "mine.yaml"),
           "yaml": lambda: config.parse("groups: [", "mine.yaml")}
    for name, call in bad.items():
        with pytest.raises(ValueError, match="mine.yaml") as error:
            call()
        assert "Traceback" not in str(error.value), name
    notes, problems = evidence.parse_evidence("notes: [", "mine.yaml")
    assert notes == [] and problems[0].source == "mine.yaml"


def test_a_broken_disarm_folder_is_named_not_a_traceback(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kompas.cli import app
    from kompas.fimi.disarm import FRAMEWORK_FILES, parse_framework

    texts = {name: "disarm_id,name\nX1,x\n" for name in FRAMEWORK_FILES} | {FRAMEWORK_FILES[0]: "id,name\nTA01,x\n"}
    with pytest.raises(ValueError, match="here/disarm_frameworks_tactics.csv: no column 'disarm_id'"):
        parse_framework(texts, "here")
    result = CliRunner().invoke(app, ["fimi", "respond", "T0022", "--disarm", str(tmp_path)])
    assert result.exit_code == 2 and "disarm_frameworks_tactics.csv: no such file" in result.output
    assert "Traceback" not in result.output
