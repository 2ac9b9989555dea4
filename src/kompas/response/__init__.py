"""The response engine (issue 22): from an incident to the EU's response options.

- :mod:`~kompas.response.toolbox`: the EU response toolboxes as data, one model for all (space, hybrid, cyber
  diplomacy, FIMI), each option citing the seed lines it rests on (``kompas/data/toolboxes/*.yaml``).
- :mod:`~kompas.response.precedents`: the case library of real EU responses.
- :mod:`~kompas.response.techniques`: technique -> countermeasure lookups (SPARTA, ATT&CK, DISARM).
"""
