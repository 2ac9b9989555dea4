"""Shared data for the cyber tests: the MISP taxonomies and ATT&CK in ../shared/data/cyber (skipped, saying so,
when absent: the engines run on the copies shipped in kompas/data/cyber, the reference tests need the originals),
and the example files of examples/cyber (shipped with the repository)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "cyber"
SHARED_CYBER = REPO.parent / "shared" / "data" / "cyber"


def need_shared(sub: str) -> Path:
    """``../shared/data/cyber/<sub>``, or skip saying where it was looked for."""
    path = SHARED_CYBER / sub
    if not path.exists():
        pytest.skip(f"{path} is absent: the reference tests read the originals in ../shared/data/cyber (clone "
                    "../shared beside the checkout)")
    return path


@pytest.fixture(scope="session")
def shared_taxonomies() -> Path:
    """The MISP taxonomies as copied into ../shared (MISP/misp-taxonomies at 7591c551)."""
    return need_shared("misp-taxonomies")


@pytest.fixture(scope="session")
def attack_names() -> dict[str, str]:
    """ATT&CK Enterprise v18.1 technique id -> name, read from ../shared (active techniques only)."""
    import gzip
    import json

    path = need_shared("attack/enterprise-attack-v18.1.stix21.json.gz")
    names = {}
    for obj in json.loads(gzip.decompress(path.read_bytes()))["objects"]:
        if obj["type"] != "attack-pattern" or obj.get("revoked") or obj.get("x_mitre_deprecated"):
            continue
        for ref in obj.get("external_references", []):
            if ref.get("source_name") == "mitre-attack":
                names[ref["external_id"]] = obj["name"]
    return names


@pytest.fixture(scope="session")
def examples() -> Path:
    """examples/cyber (real MISP events from PyMISP's tests and the illustrative files)."""
    return EXAMPLES
