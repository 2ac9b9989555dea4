"""Every element-set file in ../shared/data/space ingests with the object counts its PROVENANCE.md states
(counted there by an independent script), with no rejection, and the history across the 18 daily/weekly
active snapshots is ordered by epoch."""

from __future__ import annotations

import re

import numpy as np
import pytest

from kompas.files import load_catalog, read_text
from kompas.space.ingest import parse_text

pytestmark = pytest.mark.shared


def _provenance_counts(folder):
    counts = {}
    for line in (folder / "PROVENANCE.md").read_text().splitlines():
        match = re.match(r"\|\s*`([^`]+\.tle)`\s*\|\s*\d+\s*\|\s*(\d+)\s*\|", line)
        if match:
            counts[match.group(1)] = int(match.group(2))
    return counts


def test_every_snapshot_matches_provenance(shared_space):
    counts = _provenance_counts(shared_space)
    assert len(counts) == 36
    now = np.datetime64("2026-11-23T00:00:00", "ns")
    for name, expected in counts.items():
        parsed = parse_text(read_text(shared_space / name), name, now_utc=now)
        assert parsed.rejections == [], (name, [str(r) for r in parsed.rejections[:3]])
        assert len(parsed.elements) == expected, name
        assert len({e.norad_id for e in parsed.elements}) == expected, name


def test_active_history_is_ordered_and_complete(shared_space):
    paths = sorted(shared_space.glob("active_*.tle"))
    catalog, reports = load_catalog(paths)
    assert all(r.rejected == 0 for r in reports)
    total = sum(r.accepted + r.repeats + r.revised for r in reports)
    assert total == sum(_provenance_counts(shared_space)[p.name] for p in paths)
    assert catalog.element_set_count == sum(r.accepted for r in reports)
    css = catalog[48274]  # Tiangong core module: one set per daily snapshot or more
    epochs = [e.epoch_utc for e in css.history]
    assert epochs == sorted(epochs) and len(epochs) >= 18
