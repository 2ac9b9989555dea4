"""Cyber situational awareness (issue 23): incidents (RSIT, NIS2), indicators and sightings, sharing in MISP and
STIX 2.1 under markings, exposure to known exploited vulnerabilities, ATT&CK actors and campaigns as leads."""
