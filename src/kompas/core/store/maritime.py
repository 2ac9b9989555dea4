"""Vessel positions contributed to the platform (issue 25): decoded AIS, a navy's own radar tracks, fused tracks, one
marked row per UTC day of a contribution. Functions over a :class:`~kompas.core.store.base.StoreBase`;
:mod:`kompas.services.maritime` calls them.

- a row holds the contributing organisation, the name the contribution was sent under, its kind (``ais``,
  ``radar`` or ``tracks``), its time window and box, its counts, the position columns as a compressed ``.npz``
  (:class:`kompas.maritime.model.Positions`, without the source) and the static reports as JSON;
- every read runs in a session serving the viewer, so the access rule filters the rows inside the query: a batch
  the viewer may not see is never read (need-to-know in the storage layer, as for every marked table);
- :func:`entries` reads rows without their data (cheap), in a time window and box; :func:`load` gives their
  positions, from a process-wide cache by row id (a row never changes: a new contribution is a new row);
- an organisation stores at most :data:`QUOTA_FIXES` positions (a contribution that would exceed it is refused
  whole), and one read returns at most :data:`MAX_READ_FIXES` (the newest batches first; a read that reaches the
  bound says so), so one organisation's bulk cannot crowd out another's or stall a reader;
- :func:`withdraw` deletes an organisation's rows by source or by row id.
"""

from __future__ import annotations

import io
import json
import logging
import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, func, select

from kompas.core.markings import Marking, Viewer
from kompas.core.models import MaritimeBatchRecord, new_id, now_utc
from kompas.core.store.base import Account, StoreBase, StoreError
from kompas.maritime.events import iso
from kompas.maritime.model import Positions, StaticReport

_R = MaritimeBatchRecord
KINDS = ("ais", "radar", "tracks")
QUOTA_FIXES = 50_000_000  #: positions one organisation stores (every marking together)
MAX_READ_FIXES = 5_000_000  #: positions one read returns at most
MAX_ROWS = 10_000  #: batches one read considers
BATCH_FIXES = 1_000_000  #: positions in one batch at most (a read holds at most MAX_READ_FIXES)
CACHED_FIXES = 10_000_000  #: positions kept decoded in a process
#: The columns stored (the source index is the batch itself).
STORED = ("mmsi", "t", "lat", "lon", "sog", "cog", "heading", "status", "msg_type", "line")
_CACHE: OrderedDict[str, Positions] = OrderedDict()
_cached_fixes = 0
_cache_lock = threading.Lock()
log = logging.getLogger("kompas.maritime")


@dataclass(frozen=True)
class Entry:
    """A batch's row without its data."""

    row_id: str
    org: str
    source: str
    kind: str
    start_utc: str
    end_utc: str
    box: tuple[float, float, float, float]  #: lon_min, lat_min, lon_max, lat_max
    fixes: int
    vessels: int
    marking: Marking
    added_utc: str
    attribution: str = ""
    anonymous: bool = False  #: the vessel ids are the source's own, not MMSIs
    def as_dict(self) -> dict:
        return {"id": self.row_id, "org": self.org, "source": self.source, "kind": self.kind,
                "start_utc": self.start_utc, "end_utc": self.end_utc, "box": list(self.box), "fixes": self.fixes,
                "vessels": self.vessels, "marking": self.marking.as_dict(), "banner": self.marking.banner(),
                "added_utc": self.added_utc, "attribution": self.attribution,
                "anonymous": self.anonymous}


def _pack(positions: Positions) -> bytes:
    out = io.BytesIO()
    np.savez_compressed(out, **{name: getattr(positions, name) for name in STORED})
    return out.getvalue()


def _unpack(data: bytes, source: str) -> Positions:
    with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
        columns = {name: arrays[name] for name in STORED}
    n = len(columns["mmsi"])
    columns["source"] = np.zeros(n, dtype=np.int32)
    return Positions.of([columns[name] for name in Positions.COLUMNS], (source,))


def _static_dict(report: StaticReport) -> dict:
    return {"mmsi": report.mmsi, "t": None if math.isnan(report.t) else report.t, "name": report.name,
            "callsign": report.callsign, "imo": report.imo, "ship_type": report.ship_type, "to_bow": report.to_bow,
            "to_stern": report.to_stern, "to_port": report.to_port, "to_starboard": report.to_starboard,
            "draught": report.draught, "destination": report.destination, "msg_type": report.msg_type,
            "line": report.line}


def statics_of(text: str, source: str) -> list[StaticReport]:
    """The static reports stored as JSON ``text`` (written by :func:`add_batches`)."""
    out = []
    for item in json.loads(text):
        t = item.pop("t")
        out.append(StaticReport(t=float("nan") if t is None else float(t), source=source, **item))
    return out


def add_batches(store: StoreBase, account: Account, positions: Positions, statics: Sequence[StaticReport],
                marking: Marking, source: str, kind: str = "ais", quota: int | None = None,
                attribution: str = "", anonymous: bool = False) -> list[Entry]:
    """Store ``account``'s organisation's timed ``positions`` (and the ``statics`` of their vessels) under
    ``marking`` (checked: MarkingError), one row per UTC day and at most :data:`BATCH_FIXES` positions, in one
    transaction, replacing what the organisation sent under the same ``source`` and marking before, with the
    data's ``attribution`` (its licence or credit, shown wherever it is used). StoreError, nothing stored, for an
    unknown ``kind``, positions without time, or when the organisation would then hold more than ``quota``
    positions (default :data:`QUOTA_FIXES`)."""
    if kind not in KINDS:
        raise StoreError(f"kind {kind!r}: one of {', '.join(KINDS)}")
    store.check_marking(account, marking)
    if not len(positions):
        raise StoreError(f"{source[:80]}: no positions to store")
    if np.isnan(positions.t).any():
        raise StoreError(f"{source[:80]}: positions without a receive time cannot be stored")
    quota = QUOTA_FIXES if quota is None else quota
    days = np.floor(positions.t / 86400.0).astype(np.int64)
    by_mmsi: dict[int, list[StaticReport]] = {}
    for report in statics:
        by_mmsi.setdefault(report.mmsi, []).append(report)
    out: list[Entry] = []
    with store.session(None) as s:
        mid = store.marking_id(s, marking)
        again = (_R.org == account.org, _R.source == source[:200], _R.marking_id == mid)
        replaced = [row_id for (row_id,) in s.execute(select(_R.id).where(*again))]
        held = s.scalar(select(func.coalesce(func.sum(_R.fixes), 0)).where(_R.org == account.org,
                                                                           _R.id.not_in(replaced))) or 0
        if held + len(positions) > quota:
            raise StoreError(f"{source[:80]}: {account.org} would hold {held + len(positions):,} positions; an "
                             f"organisation holds at most {quota:,} (the quota; {held:,} stored now): withdraw "
                             "contributions no longer needed (kompas maritime withdraw) or send fewer")
        if replaced:  # the same contribution sent again under the same marking replaces the one before
            s.execute(delete(_R).where(*again))
        now = now_utc()
        for chunk in _chunks(positions, days):
            part = positions.take(chunk)
            mmsis = np.unique(part.mmsi)
            kept = [_static_dict(r) for m in mmsis.tolist() for r in by_mmsi.get(m, [])]
            row_id = new_id()
            box = (float(part.lon.min()), float(part.lat.min()), float(part.lon.max()), float(part.lat.max()))
            start, end = iso(float(part.t.min())), iso(float(part.t.max()))
            s.add(_R(id=row_id, org=account.org, source=source[:200], kind=kind, start_utc=start, end_utc=end,
                     lon_min=box[0], lat_min=box[1], lon_max=box[2], lat_max=box[3], fixes=len(part),
                     vessels=int(mmsis.size), data=_pack(part), statics=json.dumps(kept, separators=(",", ":")),
                     attribution=attribution[:500], anonymous=anonymous, user_id=account.user_id, added_utc=now,
                     marking_id=mid))
            out.append(Entry(row_id, account.org, source[:200], kind, start, end, box, len(part), int(mmsis.size),
                             marking, now, attribution[:500], anonymous))
    _forget(replaced)
    return out


def _chunks(positions: Positions, days: np.ndarray) -> list[np.ndarray]:
    """Row indices of each batch: one UTC day, cut in time into pieces of at most :data:`BATCH_FIXES` positions
    (a national day is more than one read may hold)."""
    out: list[np.ndarray] = []
    for day in np.unique(days):
        rows = np.flatnonzero(days == day)
        rows = rows[np.argsort(positions.t[rows], kind="stable")]
        out.extend(rows[start:start + BATCH_FIXES] for start in range(0, len(rows), BATCH_FIXES))
    return out


def entries(store: StoreBase, viewer: Viewer | None, start_utc: str | None = None, end_utc: str | None = None,
            box: tuple[float, float, float, float] | None = None, org: str | None = None,
            max_fixes: int = MAX_READ_FIXES) -> tuple[list[Entry], bool]:
    """The batches ``viewer`` may see (None: the platform itself) overlapping the window (ISO UTC text) and
    ``box`` (lon_min, lat_min, lon_max, lat_max), newest first until ``max_fixes`` positions (at most
    :data:`MAX_READ_FIXES`), and whether batches were left out by the bound."""
    bound = max(0, min(max_fixes, MAX_READ_FIXES))
    query = select(_R.id, _R.org, _R.source, _R.kind, _R.start_utc, _R.end_utc, _R.lon_min, _R.lat_min, _R.lon_max,
                   _R.lat_max, _R.fixes, _R.vessels, _R.marking_id, _R.added_utc, _R.attribution,
                   _R.anonymous).order_by(
        _R.end_utc.desc(), _R.id.desc()).limit(MAX_ROWS + 1)
    if start_utc is not None:
        query = query.where(_R.end_utc >= start_utc)
    if end_utc is not None:
        query = query.where(_R.start_utc <= end_utc)
    if box is not None:
        query = query.where(_R.lon_max >= box[0], _R.lat_max >= box[1], _R.lon_min <= box[2], _R.lat_min <= box[3])
    if org is not None:
        query = query.where(_R.org == org)
    out: list[Entry] = []
    total = 0
    more = False
    with store.session(viewer) as s:
        for number, row in enumerate(s.execute(query)):
            if number >= MAX_ROWS or total + row.fixes > bound:
                more = True
                break
            total += row.fixes
            out.append(Entry(row.id, row.org, row.source, row.kind, row.start_utc, row.end_utc,
                             (row.lon_min, row.lat_min, row.lon_max, row.lat_max), row.fixes, row.vessels,
                             store.marking_of(s, row.marking_id), row.added_utc, row.attribution, row.anonymous))
    return out, more


def load(store: StoreBase, viewer: Viewer | None, rows: Sequence[Entry]) -> dict[str, tuple[Positions,
                                                                                          list[StaticReport]]]:
    """The positions and static reports of ``rows`` (read by :func:`entries` for ``viewer``: the access rule
    applied, and applied again here) by row id; positions decoded before come from the process-wide cache."""
    global _cached_fixes
    out: dict[str, tuple[Positions, list[StaticReport]]] = {}
    ids = [r.row_id for r in rows]
    with store.session(viewer) as s:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for row_id, source, statics in s.execute(select(_R.id, _R.source, _R.statics).where(_R.id.in_(chunk))):
                with _cache_lock:
                    positions = _CACHE.get(row_id)
                    if positions is not None:
                        _CACHE.move_to_end(row_id)
                if positions is None:
                    data = s.scalar(select(_R.data).where(_R.id == row_id))
                    try:
                        positions = _unpack(data or b"", f"{source} ({row_id[:8]})")
                    except (ValueError, OSError, KeyError) as error:
                        log.warning("maritime batch %s cannot be read: %s", row_id, error)
                        continue
                    with _cache_lock:
                        _CACHE[row_id] = positions
                        _cached_fixes += len(positions)
                        while _cached_fixes > CACHED_FIXES and len(_CACHE) > 1:
                            _, gone = _CACHE.popitem(last=False)
                            _cached_fixes -= len(gone)
                out[row_id] = (positions, statics_of(statics, source))
    return out


def withdraw(store: StoreBase, account: Account, source: str | None = None, row_ids: Sequence[str] = ()
             ) -> list[Entry]:
    """Delete ``account``'s organisation's batches that ``account`` may see: those sent under ``source`` and/or
    the rows ``row_ids``. Returns the rows deleted. StoreError when neither is given."""
    if source is None and not row_ids:
        raise StoreError("name what to withdraw: a source (the name the contribution was sent under) or batch ids")
    query = select(_R.id, _R.org, _R.source, _R.kind, _R.start_utc, _R.end_utc, _R.lon_min, _R.lat_min, _R.lon_max,
                   _R.lat_max, _R.fixes, _R.vessels, _R.marking_id, _R.added_utc, _R.attribution,
                   _R.anonymous).where(
        _R.org == account.org)
    if source is not None:
        query = query.where(_R.source == source[:200])
    if row_ids:
        query = query.where(_R.id.in_(list(row_ids)[:1000]))
    gone: list[Entry] = []
    with store.session(account.viewer) as s:
        for row in s.execute(query):
            gone.append(Entry(row.id, row.org, row.source, row.kind, row.start_utc, row.end_utc,
                              (row.lon_min, row.lat_min, row.lon_max, row.lat_max), row.fixes, row.vessels,
                              store.marking_of(s, row.marking_id), row.added_utc, row.attribution, row.anonymous))
        ids = [e.row_id for e in gone]
        for start in range(0, len(ids), 500):
            s.execute(delete(_R).where(_R.id.in_(ids[start:start + 500])))
    _forget(ids)
    return gone


def _forget(row_ids: Sequence[str]) -> None:
    global _cached_fixes
    with _cache_lock:
        for row_id in row_ids:
            positions = _CACHE.pop(row_id, None)
            if positions is not None:
                _cached_fixes -= len(positions)
