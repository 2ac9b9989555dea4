"""Loaders of the Observatory's files: thin adapters that read through :mod:`kompas.files` (the one I/O layer) and
hand the text to the engine's parse functions. The engine modules themselves only parse text; supply-chain data
is read by :func:`kompas.files.load_supply`.
"""

from __future__ import annotations

from pathlib import Path

from kompas.files import packaged, read_text
from kompas.observatory import config, mitigations

__all__ = ["CONFIG", "MITIGATIONS", "SAMPLE", "load_config", "load_mitigations"]

CONFIG = packaged("observatory.yaml")  #: The default configuration shipped with Kompas.
MITIGATIONS = packaged("observatory_mitigations.yaml")  #: The mitigation rule table shipped with Kompas.
SAMPLE = packaged("observatory")  #: The 8-input USGS sample shipped with Kompas (a folder).


def load_config(path: str | Path | None = None) -> config.Config:
    """The configuration at ``path`` (default: :data:`CONFIG`); raises :class:`kompas.observatory.config.ConfigError`
    naming the file and what is wrong, whether it cannot be read or its content is wrong."""
    where = CONFIG if path is None else path
    try:
        text = read_text(where)
    except OSError as error:  # kompas.files names the path
        raise config.ConfigError(str(error)) from None
    return config.parse(text, str(where))


def load_mitigations(path: str | Path = MITIGATIONS) -> list[mitigations.Instrument]:
    """The mitigation rule table at ``path`` (default: :data:`MITIGATIONS`); raises ``OSError`` naming a file that
    cannot be read, ``ValueError`` naming the instrument and field that is wrong."""
    return mitigations.parse_rules(read_text(path), str(path))
