"""The commitments register (system G1): the dated, recurring and measurable commitments of the Strategic Compass,
the critical technologies roadmap and the space strategy conclusions, their deadlines and cadences, status and
progress reports. Pure engine on text: the register, exclusions and evidence files are read by the adapters in
:mod:`kompas.compass.load` (through :mod:`kompas.files`)."""
