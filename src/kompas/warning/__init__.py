"""Early warning of armed conflict: country-month forecasts of state-based conflict deaths as samples, scored as the
VIEWS 2023/24 prediction challenge scores them (Hegre et al., arXiv 2407.11045).

The engine is pure (arrays and dataclasses in and out); :mod:`kompas.warning.load` is its only module that reads
files (the VIEWS Parquet files in ../shared, and the context sources through :mod:`kompas.context`):

- :mod:`~kompas.warning.metrics`: CRPS, ignorance score and interval score of sample ensembles, the challenge's way;
- :mod:`~kompas.warning.features`: the panel of actuals, forecasts, the cut-off filter every source passes through
  (:func:`~kompas.warning.features.restrict`) and the features of the Kompas model;
- :mod:`~kompas.warning.baselines`: the four challenge benchmarks rebuilt from the actuals;
- :mod:`~kompas.warning.model`: Kompas's own model (gradient boosting on conflict history and context, sampled);
- :mod:`~kompas.warning.evaluate`: mean scores per model over a window, and the ratio to conflictology;
- :mod:`~kompas.warning.alerts`: thresholds on the forecast probabilities raising warnings (envelope events through
  :func:`kompas.core.envelope.from_warning`).

Units: fatalities (UCDP GED ``best`` estimates of state-based conflict deaths) per country and calendar month; months
as VIEWS ``month_id`` (1 = January 1980); IGN in bits.
"""
