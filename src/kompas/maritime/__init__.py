"""Maritime situational awareness: AIS in, tracks, behaviour detected, undersea infrastructure watched.

The engine is pure (it parses text and arrays; :mod:`kompas.maritime.load` is the only module that reads files):

- :mod:`~kompas.maritime.nmea` decodes raw NMEA (``!AIVDM``/``!AIVDO``, multi-sentence messages, NMEA 4 tag blocks,
  Gatehouse ``$PGHP`` headers, USCG receiver suffixes) through pyais;
- :mod:`~kompas.maritime.tables` reads the CSV exports people have (Danish Maritime Authority, NOAA/MarineCadastre,
  satellite-provider layouts, a plain ``id,time,lon,lat``);
- :mod:`~kompas.maritime.registry` gives the flag state from an MMSI's Maritime Identification Digits;
- :mod:`~kompas.maritime.tracks` builds one time-ordered track per vessel and flags data errors;
- :mod:`~kompas.maritime.detect` finds behaviour (gaps, stops, loitering, drift, anchor drag, encounters, identity
  anomalies), each event carrying the positions that triggered it;
- :mod:`~kompas.maritime.watch` names the undersea cables and links an event happened near;
- :mod:`~kompas.maritime.export` writes events as CISE-shaped JSON and STIX 2.1.

Units throughout: time in Unix seconds UTC (float), positions WGS84 degrees, speed in knots, courses and headings in
degrees true, distances in metres unless a name ends in ``_km``.
"""
