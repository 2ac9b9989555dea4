"""The reliability diagram: an SVG document with the title, the diagonal and the bin counts; same input, same
bytes; no file written."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from kompas.intel.language import WORDS, midpoint
from kompas.intel.plots import reliability_diagram
from kompas.intel.scoring import Scored, decompose

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def judgements():
    rng = np.random.default_rng(11)
    f = rng.choice([midpoint(w) for w in WORDS], 60)
    return [Scored(float(p), bool(rng.random() < p), "East", "weekly") for p in f]


@pytest.fixture(scope="module")
def svg(judgements):
    return reliability_diagram(judgements, "East desk")


def texts(svg: bytes) -> list[str]:
    return ["".join(t.itertext()).strip() for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_an_svg_with_the_title(svg, judgements):
    d = decompose([s.probability for s in judgements], [s.outcome for s in judgements])
    assert ET.fromstring(svg).tag == f"{SVG}svg"
    assert f"East desk: Brier score {d.brier:.3f} over 60 judgements" in texts(svg)


def test_the_bin_counts_are_written(svg, judgements):
    d = decompose([s.probability for s in judgements], [s.outcome for s in judgements])
    shown = texts(svg)
    assert len(d.bins) >= 5
    for b in d.bins:
        assert str(b.count) in shown
    assert "perfect calibration" in shown


def test_same_input_same_bytes(judgements, svg):
    assert reliability_diagram(judgements, "East desk") == svg
    assert reliability_diagram(decompose([s.probability for s in judgements], [s.outcome for s in judgements]),
                               "East desk") == svg


def test_no_judgements(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    empty = reliability_diagram([], "West")
    assert "West: no resolved judgements yet" in texts(empty)
    assert list(tmp_path.iterdir()) == []  # nothing written to the working directory
