"""The commitments register (system G1): the dated, recurring and measurable commitments of the Strategic Compass,
the critical technologies roadmap and the space strategy conclusions, their deadlines and cadences, status and
progress reports. Pure engine: reading the register file is :func:`kompas.compass.register.load`'s only I/O."""
