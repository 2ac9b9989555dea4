"""Benchmark: hours to a day of a national AIS feed decoded and screened by Kompas, as a ratio against pyais decoding
the same lines alone.

**The feed.** No day-long raw feed is in ../shared (the DMA's daily files are 0.5-3 GB CSV exports, not NMEA, and
were not obtained; see ../shared/data/maritime/PROVENANCE.md). The feed is built from the longest real national
recording there, ``dma_aisabnormal_events/ais-sample_2013-11-12.txt.gz``: 5 minutes (2013-11-12 12:00-12:05 UTC) of
the Danish Maritime Authority's coastal network, 80,246 lines (``\\si:AISD`` tag-block lines, Gatehouse ``$PGHP``
time headers, ``!BSVDM``/``!AIVDM`` sentences and receiver status), 26,146 AIS sentences, 26,077 messages, 1,508
MMSIs. It is replayed back to back, replay ``k`` (0, 1, ...) being the 5 minutes ``k * 300 s`` later:

- every ``$PGHP`` header's time is moved on by ``k * 300 s`` and its NMEA checksum recomputed;
- vessels keep moving: for each MMSI, a least-squares line through its position reports (types 1-3, 18, 19) in the
  5 minutes gives a velocity; in replay ``k`` each of its position reports is moved by ``k * 300 s`` times that
  velocity. The latitude and longitude bits of the 6-bit payload are rewritten (ITU-R M.1371: types 1-3 lon at bit
  61, lat at 89; types 18/19 at 57 and 85) and the sentence checksum recomputed; the speed, course, heading and
  status bits are the real ones, so they agree with the motion. Vessels slower than :data:`REST_KN` (moored, at
  anchor: their 5-minute fit is GPS jitter) and faster than :data:`MAX_KN` (a fit spoilt by a bad fix) are not moved;
  positions at 91/181 are left as "not available". A sample of the rewritten sentences is decoded back with pyais
  and checked before timing.
- everything else (static reports, base stations, aids to navigation, tag blocks, receiver status) is repeated as is.

What this does to the detectors (a synthetic day is not a real one, so the events are not a finding):

- moving vessels go on in a straight line at their 5-minute mean velocity for the whole run: no turns, no port
  calls; over a day a 20-knot ship covers 480 nm and leaves the Danish waters across land (no detector uses a
  coastline); at each replay boundary a vessel steps by its deviation from the fitted line (over 3 replays: median
  2 m, 90th percentile 14 m, 99th 145 m off what its speed gives; no fix is taken out as a position jump);
- vessels at rest repeat their 5 minutes of fixes: they stop all day (``stop`` events for every moored ship; those in
  a harbour together are ``encounter`` candidates for the whole run), and a drifting or dragging vessel does so all
  run long;
- every vessel is heard every 5 minutes, so there are no gaps: the ``gap`` detector (and its reception model) pays its
  cost but finds nothing; nor are there new identities after the first replay;
- the data errors of the sample (a few speed glitches) come back with every replay;
- the rate of messages per vessel is the real one (3.5 a minute per MMSI, duplicate receptions included), so the
  tracks have a real day's density, but one fixed set of 1,508 MMSIs (a real day sees more vessels, each for less
  time).

``dma_aislib/stream_example.txt`` (28 s, 2010) is not mixed in: a different day and receiver set.

**What is timed** (each in a fresh process reading the same temporary file, so peak RSS is per measurement; the
four measurements are run ``--repeat`` times interleaved and the fastest of each kept):

(a) pyais decoding alone: every AIS sentence parsed (``AISSentence``), checksum checked, multi-sentence messages
    joined, every message decoded (``.decode()``), other lines skipped; both a minimal loop and pyais's own reader
    (``pyais.stream.FileReaderStream``, which also keeps the ``$PGHP`` headers) are timed, the faster is the baseline;
(b) Kompas decoding only: :func:`kompas.maritime.nmea.parse_nmea` (times from ``$PGHP``, rejections, columns);
(c) Kompas decode + :func:`kompas.maritime.tracks.build_tracks` + :func:`kompas.maritime.detect.detect` (all
    detectors) + the infrastructure watch (:class:`kompas.maritime.watch.Watch` over
    ``network_assets(public_network())``, its setup timed apart), after a warm-up on the first lines of the feed
    (numba's compiled code is loaded once per process; its time is printed); then each detector on its own
    (``detect(built, only=(name,))``) for the breakdown.

Times are wall and CPU seconds of the measuring process; the ratios are given on CPU time (steadier when others
share the two cores), wall in brackets.

Ratios are time ratios against (a): lower is better.

    .venv/bin/python benchmarks/maritime_throughput.py [--sentences 2000000] [--repeat 2] [--quick] [--profile]

A whole day (288 replays, about 3.4 GB peak for (c)): ``--sentences 7530000 --repeat 1``.
"""

from __future__ import annotations

import argparse
import calendar
import gzip
import itertools
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.peak_memory import peak_rss_mb  # noqa: E402

SAMPLE = "dma_aisabnormal_events/ais-sample_2013-11-12.txt.gz"
PERIOD_S = 300  #: seconds between replays (the sample's length)
REST_KN = 0.5  #: knots; vessels slower than this over the 5 minutes are taken to be at rest and not moved
MAX_KN = 50.0  #: knots; a faster fit is spoilt by a bad fix: the vessel is not moved
DEFAULT_SENTENCES = 2_000_000
QUICK_SENTENCES = 50_000
WARM_UP_LINES = 3000  #: lines decoded, tracked and screened before (c) is timed
#: (lon bit, lat bit) of position reports, ITU-R M.1371-5 (lon 28 bits, lat 27 bits, 1/10,000 minute, signed).
POSITION_BITS = {1: (61, 89), 2: (61, 89), 3: (61, 89), 18: (57, 85), 19: (57, 85)}
LON_BITS, LAT_BITS = 28, 27
LON_NA, LAT_NA = 181 * 600_000, 91 * 600_000  #: "not available", 1/10,000 minute
LON_MAX, LAT_MAX = 180 * 600_000, 90 * 600_000
METRES_PER_DEG = 111_195.0
KNOT_MS = 1852.0 / 3600.0


# --- building the feed -----------------------------------------------------------------------------------------


def checksum(body: bytes) -> int:
    """NMEA checksum: XOR of the bytes between ``$``/``!`` and ``*``."""
    value = 0
    for byte in body:
        value ^= byte
    return value


def sixbit(payload: bytes) -> int:
    """The payload's bits as one integer (6 bits per character, first character most significant)."""
    value = 0
    for char in payload:
        char -= 48
        value = (value << 6) | (char - 8 if char > 40 else char)
    return value


ARMOR = bytes(x + 48 if x < 40 else x + 56 for x in range(64))


def armor(value: int, chars: int) -> bytes:
    """``chars`` payload characters of the integer ``value`` (inverse of :func:`sixbit`)."""
    return bytes(ARMOR[(value >> shift) & 63] for shift in range(6 * (chars - 1), -1, -6))


def signed(value: int, bits: int) -> int:
    return value - (1 << bits) if value >> (bits - 1) else value


class Position:
    """A single-sentence position report whose latitude and longitude are rewritten per replay."""

    __slots__ = ("head", "tail", "chars", "base", "lon", "lat", "dlon", "dlat", "lon_shift", "lat_shift")

    def __init__(self, head: bytes, payload: bytes, tail: bytes, kind: int, velocity: tuple[float, float]) -> None:
        self.head, self.tail, self.chars = head, tail, len(payload)
        bits = 6 * len(payload)
        lon_bit, lat_bit = POSITION_BITS[kind]
        self.lon_shift = bits - lon_bit - LON_BITS
        self.lat_shift = bits - lat_bit - LAT_BITS
        value = sixbit(payload)
        self.lon = signed((value >> self.lon_shift) & ((1 << LON_BITS) - 1), LON_BITS)
        self.lat = signed((value >> self.lat_shift) & ((1 << LAT_BITS) - 1), LAT_BITS)
        self.base = value & ~(((1 << LON_BITS) - 1) << self.lon_shift) & ~(((1 << LAT_BITS) - 1) << self.lat_shift)
        self.dlon, self.dlat = velocity[1] * 600_000 * PERIOD_S, velocity[0] * 600_000 * PERIOD_S

    def at(self, replay: int) -> bytes:
        lon = max(min(round(self.lon + replay * self.dlon), LON_MAX), -LON_MAX)
        lat = max(min(round(self.lat + replay * self.dlat), LAT_MAX), -LAT_MAX)
        value = (self.base | ((lon & ((1 << LON_BITS) - 1)) << self.lon_shift)
                 | ((lat & ((1 << LAT_BITS) - 1)) << self.lat_shift))
        body = self.head + armor(value, self.chars) + self.tail
        return b"!%s*%02X" % (body, checksum(body))


class Header:
    """A ``$PGHP,1,yyyy,m,d,H,M,S,ms,...`` header whose time moves on by :data:`PERIOD_S` per replay."""

    __slots__ = ("t", "rest")

    def __init__(self, line: bytes) -> None:
        fields = line[1:].rpartition(b"*")[0].split(b",")
        self.t = calendar.timegm(tuple(int(f) for f in fields[2:8]))  # type: ignore[arg-type]
        self.rest = b",".join(fields[8:])

    def at(self, replay: int) -> bytes:
        when = time.gmtime(self.t + replay * PERIOD_S)
        body = b"PGHP,1,%d,%d,%d,%d,%d,%d,%s" % (when.tm_year, when.tm_mon, when.tm_mday, when.tm_hour,
                                                  when.tm_min, when.tm_sec, self.rest)
        return b"$%s*%02X" % (body, checksum(body))


def _single_position(line: bytes) -> tuple[bytes, bytes, bytes, int] | None:
    """(head up to the payload, payload, tail after it, message type) of a single-sentence position report."""
    if line[:1] != b"!" or line[3:6] not in (b"VDM", b"VDO"):
        return None
    fields = line[1:].rpartition(b"*")[0].split(b",")
    if len(fields) != 7 or fields[1] != b"1" or not fields[5]:
        return None
    kind = sixbit(fields[5][:1])
    if kind not in POSITION_BITS or 6 * len(fields[5]) < POSITION_BITS[kind][1] + LAT_BITS:
        return None
    return b",".join(fields[:5]) + b",", fields[5], b"," + fields[6], kind


def velocities(lines: list[bytes]) -> dict[int, tuple[float, float]]:
    """Per MMSI, (lat, lon) degrees per second from a least-squares line through its position reports (pyais
    decodes them; times from the ``$PGHP`` headers); vessels at rest or with a spoilt fit get (0, 0)."""
    from pyais.messages import AISSentence

    fixes: dict[int, list[tuple[float, float, float]]] = {}
    pending = None
    for line in lines:
        if line.startswith(b"$PGHP"):
            pending = Header(line).t + int(line.split(b",")[8]) / 1000.0
            continue
        found = _single_position(line)
        if found is None or pending is None:
            continue
        message = AISSentence(line).decode()
        if abs(message.lat) <= 90 and abs(message.lon) <= 180 and (message.lat, message.lon) != (0.0, 0.0):
            fixes.setdefault(int(message.mmsi), []).append((pending, float(message.lat), float(message.lon)))
        pending = None
    result: dict[int, tuple[float, float]] = {}
    for mmsi, rows in fixes.items():
        t, lat, lon = (np.array(column) for column in zip(*rows, strict=True))
        if len(rows) < 3 or t.max() - t.min() < 60.0:
            result[mmsi] = (0.0, 0.0)
            continue
        vlat = float(np.polyfit(t - t[0], lat, 1)[0])
        vlon = float(np.polyfit(t - t[0], lon, 1)[0])
        speed_kn = float(np.hypot(vlat, vlon * np.cos(np.radians(lat.mean())))) * METRES_PER_DEG / KNOT_MS
        result[mmsi] = (vlat, vlon) if REST_KN <= speed_kn <= MAX_KN else (0.0, 0.0)
    return result


def build_feed(sample: Path, sentences: int, out: Path) -> dict[str, Any]:
    """Write the replayed feed (see the module docstring) of about ``sentences`` AIS sentences (whole replays) to
    ``out``; returns what was built."""
    from pyais.messages import AISSentence

    lines = gzip.decompress(sample.read_bytes()).splitlines()
    per_replay = sum(1 for line in lines if line[:1] == b"!")
    replays = max(1, round(sentences / per_replay))
    moving = velocities(lines)
    templates: list[bytes | Position | Header] = []
    for line in lines:
        if line.startswith(b"$PGHP"):
            templates.append(Header(line))
            continue
        found = _single_position(line)
        if found is not None:
            head, payload, tail, kind = found
            mmsi = (sixbit(payload[:7]) >> 4) & ((1 << 30) - 1)  # bits 8-37
            velocity = moving.get(mmsi, (0.0, 0.0))
            if velocity != (0.0, 0.0):
                position = Position(head, payload, tail, kind, velocity)
                if abs(position.lon) < LON_NA and abs(position.lat) < LAT_NA:
                    templates.append(position)
                    continue
        templates.append(line)
    # check: the rewritten positions decode (pyais) to where they were meant to go
    shifted = [template for template in templates if isinstance(template, Position)]
    replay = max(replays - 1, 1)
    for template in shifted[:: max(len(shifted) // 300, 1)]:
        message = AISSentence(template.at(replay)).decode()
        want_lat = (template.lat + replay * template.dlat) / 600_000
        want_lon = (template.lon + replay * template.dlon) / 600_000
        assert abs(message.lat - want_lat) < 1e-5 and abs(message.lon - want_lon) < 1e-5, (message, want_lat)
    with out.open("wb") as handle:
        for k in range(replays):
            handle.write(b"\n".join(t if isinstance(t, bytes) else t.at(k) for t in templates))
            handle.write(b"\n")
    moved = sum(1 for v in moving.values() if v != (0.0, 0.0))
    return {"replays": replays, "lines": replays * len(lines), "sentences": replays * per_replay,
            "hours": replays * PERIOD_S / 3600, "vessels": len(moving), "moved": moved,
            "moved_reports_per_replay": len(shifted), "bytes": out.stat().st_size}


# --- measurements (each in its own process) --------------------------------------------------------------------


class Clock:
    """Wall and CPU seconds of this process since it was made (CPU time is steadier when others share the cores)."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def read(self) -> list[float]:
        """[wall s, CPU s] so far."""
        return [time.perf_counter() - self.wall, time.process_time() - self.cpu]


def _peak_mb() -> float:
    return peak_rss_mb()


def measure_pyais_loop(feed: Path) -> dict[str, Any]:
    """pyais alone, the leanest loop: AIS sentences parsed and checked, fragments joined, every message decoded."""
    from pyais.exceptions import AISBaseException
    from pyais.messages import AISSentence

    clock = Clock()
    messages = failed = 0
    parts: dict[tuple[Any, Any, int], list[AISSentence]] = {}
    with feed.open("rb") as handle:
        for raw in handle:
            if raw[:1] != b"!":
                continue  # $PGHP headers, tag-block lines, receiver status
            try:
                sentence = AISSentence(raw.rstrip())
            except AISBaseException:
                failed += 1
                continue
            if not sentence.is_valid or not sentence.payload:
                failed += 1
                continue
            try:
                if sentence.frag_cnt == 1:
                    sentence.decode()
                    messages += 1
                    continue
                key = (sentence.seq_id, sentence.channel, sentence.frag_cnt)
                if sentence.frag_num == 1:
                    parts[key] = [sentence]
                    continue
                group = parts.get(key)
                if group is None or len(group) != sentence.frag_num - 1:
                    failed += 1
                    continue
                group.append(sentence)
                if len(group) == sentence.frag_cnt:
                    del parts[key]
                    AISSentence.assemble_from_iterable(group).decode()
                    messages += 1
            except (AISBaseException, ValueError, IndexError, KeyError):
                failed += 1
    return {"decode_s": clock.read(), "messages": messages, "failed": failed, "peak_mb": _peak_mb()}


def measure_pyais_stream(feed: Path) -> dict[str, Any]:
    """pyais alone through its own file reader (Gatehouse wrappers, tag blocks, fragments), every message decoded."""
    from pyais.exceptions import AISBaseException
    from pyais.stream import FileReaderStream

    clock = Clock()
    messages = failed = 0
    with FileReaderStream(str(feed)) as stream:
        for message in stream:
            try:
                message.decode()
                messages += 1
            except (AISBaseException, ValueError, IndexError, KeyError):
                failed += 1
    return {"decode_s": clock.read(), "messages": messages, "failed": failed, "peak_mb": _peak_mb()}


def measure_kompas_decode(feed: Path) -> dict[str, Any]:
    """Kompas decoding only."""
    from kompas.maritime.nmea import parse_nmea

    clock = Clock()
    with feed.open("rb") as handle:
        ingest = parse_nmea(handle, feed.name)
    return {"decode_s": clock.read(), "messages": ingest.counts.get("messages", 0),
            "positions": len(ingest.positions), "rejections": len(ingest.rejections), "peak_mb": _peak_mb()}


def measure_kompas_full(feed: Path, breakdown: bool = True) -> dict[str, Any]:
    """Kompas decoding, tracks, every detector and the infrastructure watch; then each detector on its own."""
    from kompas.maritime.detect import DETECTORS, detect
    from kompas.maritime.nmea import parse_nmea
    from kompas.maritime.tracks import build_tracks

    out: dict[str, Any] = {}
    clock = Clock()
    with feed.open("rb") as handle:  # warm-up: loads the compiled (numba) code once per process
        detect(build_tracks(parse_nmea(list(itertools.islice(handle, WARM_UP_LINES)), "warm-up")))
    out["warm_up_s"] = clock.read()
    clock = Clock()
    with feed.open("rb") as handle:
        ingest = parse_nmea(handle, feed.name)
    out["decode_s"] = clock.read()
    out["messages"] = ingest.counts.get("messages", 0)
    out["positions"] = len(ingest.positions)
    clock = Clock()
    built = build_tracks(ingest)
    out["tracks_s"] = clock.read()
    out["tracks"] = len(built.tracks)
    out["fixes"] = built.counts.get("fixes", 0)
    out["duplicates"] = built.counts.get("duplicate receptions", 0)
    del ingest
    clock = Clock()
    events = detect(built)
    out["detect_s"] = clock.read()
    kinds: dict[str, int] = {}
    for event in events:
        kinds[event.type] = kinds.get(event.type, 0) + 1
    out["events"] = kinds
    out["watch_setup_s"], out["watch_s"], out["alerts"] = _watch(events)
    out["peak_mb"] = _peak_mb()
    if breakdown:
        out["per_detector_s"] = {}
        for name in DETECTORS:
            clock = Clock()
            detect(built, only=(name,))
            out["per_detector_s"][name] = clock.read()
    return out


def _watch(events: list[Any]) -> tuple[list[float], list[float], int | None]:
    """([wall, CPU] s of the setup, the same of the alerts, alerts) of the infrastructure watch, or zero times and
    None without the infra data."""
    from kompas.infra.load import public_network
    from kompas.maritime.watch import Watch, network_assets

    clock = Clock()
    network = public_network()
    if not network.cables:
        return [0.0, 0.0], [0.0, 0.0], None
    watch = Watch(network_assets(network))
    setup = clock.read()
    clock = Clock()
    alerts = watch.alerts(events)
    return setup, clock.read(), len(alerts)


MEASURES = {"pyais-loop": measure_pyais_loop, "pyais-stream": measure_pyais_stream,
            "kompas-decode": measure_kompas_decode, "kompas-full": measure_kompas_full}


def _child(name: str, feed: Path) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter (clean memory and peak RSS)."""
    done = subprocess.run([sys.executable, __file__, "--measure", name, "--feed", str(feed)], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _cost(run: dict[str, Any]) -> float:
    """CPU seconds of a measurement's timed stages."""
    return float(sum(run[key][1] for key in ("decode_s", "tracks_s", "detect_s", "watch_s") if key in run))


def _profile(feed: Path) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(measure_kompas_full, feed, False)
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(35)
    stats.sort_stats("tottime").print_stats(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=DEFAULT_SENTENCES,
                        help=f"AIS sentences in the feed, rounded to whole 5-minute replays (default "
                             f"{DEFAULT_SENTENCES:,}; a whole day is 288 replays, --sentences 7530000)")
    parser.add_argument("--quick", action="store_true",
                        help=f"a smoke run of about {QUICK_SENTENCES:,} sentences, once")
    parser.add_argument("--repeat", type=int, default=2,
                        help="rounds of the four measurements, interleaved; the fastest of each is kept (default 2)")
    parser.add_argument("--profile", action="store_true", help="also profile (c) with cProfile")
    parser.add_argument("--keep", type=Path, help="write the feed here and keep it (default: a temporary file)")
    parser.add_argument("--measure", choices=sorted(MEASURES), help=argparse.SUPPRESS)
    parser.add_argument("--feed", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(MEASURES[args.measure](args.feed)))
        return

    from kompas.locate import shared_data

    folder = shared_data("maritime")
    if folder is None or not (folder / SAMPLE).exists():
        raise SystemExit(f"needs ../shared/data/maritime/{SAMPLE} (DMA data, read from ../shared only)")
    sentences = QUICK_SENTENCES if args.quick else args.sentences
    if args.quick:
        args.repeat = 1
    work = Path(tempfile.mkdtemp(prefix="kompas-ais-"))
    feed = args.keep or work / "feed.nmea"
    try:
        clock = Clock()
        info = build_feed(folder / SAMPLE, sentences, feed)
        print(f"feed: {info['replays']} replays of the DMA 5-minute sample = {info['hours']:.2f} h, "
              f"{info['lines']:,} lines, {info['sentences']:,} AIS sentences, {info['bytes'] / 1e6:.0f} MB; "
              f"{info['moved']} of {info['vessels']} vessels moving ({info['moved_reports_per_replay']:,} position "
              f"reports rewritten per replay); built in {clock.read()[0]:.1f} s (not timed below)")
        load_start = os.getloadavg()[0]
        results: dict[str, dict[str, Any]] = {}
        for _ in range(args.repeat):  # interleaved, the fastest (CPU) of each kept
            for name in MEASURES:
                run = _child(name, feed)
                if name not in results or _cost(run) < _cost(results[name]):
                    results[name] = run
        load_end = os.getloadavg()[0]
        if args.profile:
            _profile(feed)
    finally:
        if args.keep is None:
            feed.unlink(missing_ok=True)
            work.rmdir()
    report(info, results, load_start, load_end)


def report(info: dict[str, Any], results: dict[str, dict[str, Any]], load_start: float, load_end: float) -> None:
    """Print the table (markdown) and the ratios; times are [wall, CPU] seconds, ratios on CPU time (wall in
    brackets)."""
    loop, stream = results["pyais-loop"], results["pyais-stream"]
    decode, full = results["kompas-decode"], results["kompas-full"]
    base_name, base = min((("pyais-loop", loop), ("pyais-stream", stream)), key=lambda item: item[1]["decode_s"][1])
    messages = decode["messages"]
    screened = [sum(full[key][i] for key in ("decode_s", "tracks_s", "detect_s", "watch_s")) for i in (0, 1)]

    def ratio(seconds: list[float]) -> str:
        return f"{seconds[1] / base['decode_s'][1]:.2f}x ({seconds[0] / base['decode_s'][0]:.2f}x)"

    def row(label: str, seconds: list[float], peak: float | None = None) -> str:
        peak_text = "" if peak is None else f"{peak:,.0f}"
        return (f"| {label} | {seconds[0]:.2f} | {seconds[1]:.2f} | {messages / max(seconds[1], 1e-9):,.0f} | "
                f"{ratio(seconds)} | {peak_text} |")

    print(f"\nfeed: {info['sentences']:,} sentences, {messages:,} messages (pyais loop {loop['messages']:,}, "
          f"pyais reader {stream['messages']:,}), {full['positions']:,} positions, {full['tracks']:,} tracks, "
          f"{full['fixes']:,} fixes after {full['duplicates']:,} duplicate receptions merged")
    print("\n| stage | wall s | CPU s | messages per CPU s | time ratio to pyais, CPU (wall) | peak RSS MB |\n"
          "|---|---|---|---|---|---|")
    print(row("(a) pyais, minimal loop" + (" **(baseline)**" if base_name == "pyais-loop" else ""),
              loop["decode_s"], loop["peak_mb"]))
    print(row("(a) pyais, FileReaderStream" + (" **(baseline)**" if base_name == "pyais-stream" else ""),
              stream["decode_s"], stream["peak_mb"]))
    print(row("**(b) Kompas decode** (`parse_nmea`)", decode["decode_s"], decode["peak_mb"]))
    print(row("(c) decode", full["decode_s"]))
    print(row("(c) tracks (`build_tracks`)", full["tracks_s"]))
    print(row("(c) detectors (`detect`, all)", full["detect_s"]))
    if full["alerts"] is not None:
        print(row("(c) infrastructure watch (`Watch.alerts`)", full["watch_s"]))
    print(row("**(c) decoded and screened**", screened, full["peak_mb"]))
    for name, seconds in full.get("per_detector_s", {}).items():
        print(row(f"detector `{name}` alone", seconds))
    print(f"\nratios against {base_name} (time, lower is better; CPU, wall in brackets): (b)/(a) "
          f"**{ratio(decode['decode_s'])}**, (c)/(a) **{ratio(screened)}**")
    print(f"events: {json.dumps(full['events'], sort_keys=True)}; infrastructure alerts: {full['alerts']} (watch "
          f"setup, reading the network and indexing {'' if full['alerts'] is not None else 'no '}assets: "
          f"{full['watch_setup_s'][0]:.1f} s, not counted; warm-up on the first {WARM_UP_LINES:,} lines before (c), "
          f"loading the compiled detectors: {full['warm_up_s'][0]:.1f} s, not counted)")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, load average "
          f"{load_start:.1f} at the start, {load_end:.1f} at the end; {time.strftime('%Y-%m-%d %H:%M', time.gmtime())}"
          " UTC")


if __name__ == "__main__":
    main()
