"""The Observatory of Critical Technologies (system T1): supply chains, dependency metrics, stress tests,
mitigations. Pure computation; readers take text (:mod:`kompas.observatory.sources`), files are read by
:mod:`kompas.files` and the loaders of :mod:`kompas.observatory.load`."""
