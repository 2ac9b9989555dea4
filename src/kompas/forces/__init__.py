"""Forces and people (issue 28): the register, force generation, rotations, civilian deployment and capability
planning. Engines are pure; :mod:`kompas.services.forces` puts them on the platform."""
