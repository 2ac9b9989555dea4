"""Benchmark: ingest and full analysis of the EUvsDisinfo database (10,892 cases 2015-2021) on the platform.

Times, each in a fresh process as a user runs them: `kompas fimi ingest` of the cases and publication links into
a new SQLite platform, then `kompas fimi analyse` of the whole period (MiniLM sentence embeddings of every title,
k-means narratives, surges, techniques, trends; the run stored). The sum is set against the issue's 2-minute goal;
the same analysis with the TF-IDF fallback in the same run is the peer (ratio). Appends a section to
benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/fimi.py [--data ../shared/data/fimi/euvsdisinfo]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
KOMPAS = str(Path(sys.executable).parent / "kompas")


def timed(argv: list[str], env: dict) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run([KOMPAS, *argv], capture_output=True, text=True, env=env)
    return time.perf_counter() - start, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data" / "fimi" / "euvsdisinfo")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp())
    env = {**os.environ, "KOMPAS_HOME": str(home)}
    env.pop("KOMPAS_DB", None)
    for argv in (["db", "upgrade"], ["admin", "add-org", "EEAS", "--country", "BE", "--kind", "agency"],
                 ["admin", "add-user", "analyst", "--org", "EEAS", "--clearance", "SECRET"]):
        subprocess.run([KOMPAS, *argv], check=True, capture_output=True, env=env)
    ingest_s, ingest = timed(["fimi", "ingest", str(args.data), "--user", "analyst", "--tlp", "CLEAR"], env)
    period = ["--from", "2015-01-01", "--to", "2021-03-01"]
    minilm_s, minilm = timed(["fimi", "analyse", *period, "--out", str(home / "minilm.json")], env)
    tfidf_s, tfidf = timed(["fimi", "analyse", *period, "--method", "tfidf", "--out", str(home / "tfidf.json")], env)
    found = json.loads((home / "minilm.json").read_text())
    total = ingest_s + minilm_s
    line = (f"\n## FIMI: EUvsDisinfo ingest and full analysis ({time.strftime('%Y-%m-%d')}, {platform.machine()}, "
            f"{os.cpu_count()} cores)\n\n`kompas fimi ingest` of {found['incidents']:,} cases with their publication "
            f"links into a new SQLite platform: {ingest_s:.1f} s (exit {ingest.returncode}); `kompas fimi analyse` "
            f"of 2015-01-01 to 2021-03-01 with MiniLM embeddings ({found['method']['clusters']} narratives, "
            f"{len(found['surges'])} surges, run stored): {minilm_s:.1f} s (exit {minilm.returncode}). Together "
            f"{total:.1f} s, **{total / 120:.2f}** of the 2-minute goal. The TF-IDF fallback analysis of the same "
            f"cases in this run: {tfidf_s:.1f} s (exit {tfidf.returncode}), so MiniLM costs **{minilm_s / tfidf_s:.1f}x"
            f"** the fallback (for AMI 0.30 against EUvsDisinfo's tags instead of about 0.20).\n")
    print(line)
    with (HERE / "RESULTS.md").open("a") as handle:
        handle.write(line)


if __name__ == "__main__":
    sys.exit(main())
