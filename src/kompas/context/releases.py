"""When each context source's figures became public: one release-dating rule per source, used by the early-warning
model's features (:mod:`kompas.warning.load`, held to a forecast window's cut-off) and by the climate-security
watchlist (:mod:`kompas.context.watchlist`, an edition as of 31 December) alike (pure).

============ ================================ ==========================================================================
source       figures of period ``p`` public    why
============ ================================ ==========================================================================
``ndgain``   1 January of ``p + 2``           ND-GAIN scores a year only about two years later: the 2025 release (the
                                              one in ../shared) ends with 2023, so year ``y`` appears in the release of
                                              ``y + 2``; it is dated at the start of that year (the release month is
                                              not recorded; January is the earliest, so the rule is not pessimistic).
``ucdp``     1 July of ``p + 1``              UCDP publishes the UCDP/PRIO Armed Conflict Dataset of year ``y`` in June
                                              of ``y + 1`` (v24.1, with 2023, on 3 June 2024: its press release).
``ipc``      the analysis date                an IPC analysis is public from its analysis date (the period ``p`` is the
                                              analysis date itself); publication may follow by weeks, and the export
                                              gives months only (every date is the 1st), so this rule is optimistic
                                              by up to a month or so.
============ ================================ ==========================================================================

A forecast of window ``Y`` (cut-off 31 October ``Y - 1``) may therefore read ND-GAIN years up to ``Y - 3`` and UCDP
years up to ``Y - 2``; a watchlist edition of year ``Y`` (as of 31 December ``Y``) ND-GAIN ``Y - 2`` and UCDP
``Y - 1``.

The vintage problem, which no cut-off rule on these files fixes: every file in ../shared is a *later* release (ND-GAIN
2025, UCDP/PRIO v24.1, the IPC export of March 2023), and later releases revise earlier years (ND-GAIN recomputes its
whole series with each release, UCDP revises conflict-years as sources come in, IPC updates analyses). A value of
year ``y`` read here is that release's revised value, not the one a forecaster had on the release date: dating
decides *which periods* a model may read, not *which values* they had then. Backtests on these files are therefore
somewhat optimistic; only archived vintages (each release as published) would remove that.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

Source = Literal["ndgain", "ucdp", "ipc"]
SOURCES: tuple[Source, ...] = ("ndgain", "ucdp", "ipc")
#: The rule in words, per source (shown with the data a model or an edition used).
RULES: dict[str, str] = {
    "ndgain": "ND-GAIN year y: public from 1 January of y + 2 (the 2025 release ends with 2023)",
    "ucdp": "UCDP/PRIO conflict-year y: public from 1 July of y + 1 (UCDP publishes in June)",
    "ipc": "IPC analysis: public from its analysis date",
}


def released(source: Source, period: int | date) -> date:
    """The day from which ``source``'s figures of ``period`` count as public: ``period`` is a year for ``ndgain``
    and ``ucdp``, the analysis date for ``ipc``. Raises ``ValueError`` for an unknown source or a period of the
    wrong kind."""
    if source == "ipc":
        if not isinstance(period, date):
            raise ValueError(f"ipc is dated by its analysis date, got {period!r}")
        return period
    if isinstance(period, date) or not isinstance(period, int):
        raise ValueError(f"{source} is dated by its year, got {period!r}")
    if source == "ndgain":
        return date(period + 2, 1, 1)
    if source == "ucdp":
        return date(period + 1, 7, 1)
    raise ValueError(f"unknown source {source!r}: one of {', '.join(SOURCES)}")


def latest_year(source: Literal["ndgain", "ucdp"], day: date) -> int:
    """The latest year of ``source`` public on ``day`` (:func:`released` of it on or before ``day``)."""
    year = day.year
    while released(source, year) > day:
        year -= 1
    return year
