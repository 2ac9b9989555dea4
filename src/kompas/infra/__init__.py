"""Critical infrastructure dependencies (T2): submarine cables, internet exchanges and the power grid as one graph,
dependency metrics per member state, stress tests and the two cable-map vintages compared. Pure: the readers of
the shared files are :mod:`kompas.infra.load`."""
