"""Context data for early warning and the integrated threat analysis: UCDP/PRIO armed conflicts, SIPRI military
expenditure (extract), ND-GAIN climate vulnerability and readiness, IPC acute food insecurity, one country
crosswalk to ISO3 (:mod:`kompas.context.countries`) and the climate-security watchlist built from them
(:mod:`kompas.context.watchlist`).

The parsers are pure (text or cell rows in; records and :class:`kompas.rejections.Rejection` out);
:mod:`kompas.context.load` is the only module that reads files (from ``../shared/data/early-warning``).
"""
