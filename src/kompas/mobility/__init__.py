"""Military mobility (issue 27): can a force package move from A to B by a date, over which roads, railways, ports
and airfields, and what stops it. Pure engine: the readers' file access lives in :mod:`kompas.mobility.load`."""
