"""The intelligence engine (issue 26): contributions graded, judgements stated in calibrated words, structured
analysis, and judgements scored once the world has answered them.

Member states contribute *reports* under their markings, each graded on the admiralty scale; analysts write
*assessments* that cite reports, events, other assessments and analysis boards, and state *key judgements* in the
estimative language of ICD 203 with a confidence level; *requirements* are the questions someone owns and wants
answered by a date. Once a judgement's resolution date has passed it is resolved against its criterion, and the
resolved judgements are scored (Brier score, Murphy's decomposition, calibration) per analyst team and product line.

- :mod:`~kompas.intel.grading`: the admiralty scale (source reliability A-F, information credibility 1-6).
- :mod:`~kompas.intel.language`: ICD 203 estimative language: likelihood words and their probability bands,
  confidence levels.
- :mod:`~kompas.intel.model`: :class:`Report`, :class:`Assessment`, :class:`KeyJudgement`, :class:`Citation`,
  :class:`Requirement`, each validated (``problems()``) and serialised (``as_dict()``, ``from_dict()``).
- :mod:`~kompas.intel.ach`: Analysis of Competing Hypotheses boards (Heuer; PARC ACH): inconsistency scores,
  diagnosticity of evidence, sensitivity to single items.
- :mod:`~kompas.intel.assumptions`: key assumptions checks.
- :mod:`~kompas.intel.scoring`: Brier score, Murphy's decomposition, calibration bins, scores per group.
- :mod:`~kompas.intel.plots`: the reliability diagram (SVG bytes).
- :mod:`~kompas.intel.situations`: events linked into situations (the fused picture).
- :mod:`~kompas.intel.load`: the only module here that reads files (the bundled MISP taxonomies).

Pure except :mod:`~kompas.intel.load`: no database, no HTTP, no file access. Markings are the platform's business:
the storage layer gives an assessment the combination of the markings of what it cites
(:func:`kompas.intel.model.cited_ids` lists those).
"""
