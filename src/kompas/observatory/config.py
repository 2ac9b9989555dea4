"""The Observatory's configuration: country groups, country-name aliases and the criticality method.

The default is ``kompas/data/observatory.yaml`` (its comments justify every default); a user passes their own
with ``--config``. :func:`parse` takes a configuration's text; :func:`kompas.observatory.load.load_config` reads a
file (by default the shipped one). Countries are ISO 3166 alpha-3 codes; :meth:`Config.code` turns the names
sources use ("China", "Korea, Republic of", "Burma") into codes through pycountry and the configured aliases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from kompas.texts import yaml_mapping

UNATTRIBUTED = "ZZZ"  #: Code for supply the source does not attribute to a country ("Various countries").
TERMS = ("concentration", "outside_like_minded", "top_country", "eu_gap", "single_point")
THRESHOLDS = ("high", "medium", "single_point_pct", "concentrated_hhi", "outside_pct", "low_eu_pct")


class ConfigError(ValueError):
    """A configuration that cannot be used (the message names the key)."""


@dataclass(frozen=True)
class Config:
    """Country groups (``EU27`` and ``like_minded`` are required), aliases, unattributed names and criticality."""

    groups: Mapping[str, frozenset[str]]
    aliases: Mapping[str, str] = field(default_factory=dict)
    unattributed: frozenset[str] = frozenset()
    weights: Mapping[str, float] = field(default_factory=dict)
    thresholds: Mapping[str, float] = field(default_factory=dict)

    @property
    def eu(self) -> frozenset[str]:
        return self.groups["EU27"]

    @property
    def like_minded(self) -> frozenset[str]:
        """The EU and its like-minded partners together."""
        return self.groups["EU27"] | self.groups["like_minded"]

    def group_of(self, code: str) -> str:
        """``EU27``, ``like_minded`` or ``other`` (unattributed supply is ``other``)."""
        if code in self.groups["EU27"]:
            return "EU27"
        return "like_minded" if code in self.groups["like_minded"] else "other"

    def code(self, name: str) -> str | None:
        """The ISO 3166 alpha-3 code of a country name or code, :data:`UNATTRIBUTED` for "Various countries" and
        the like, None when unknown."""
        text = name.strip()
        if text in self.unattributed:
            return UNATTRIBUTED
        if text in self.aliases:
            return self.aliases[text]
        if text.upper() in self.groups["EU27"] | self.groups["like_minded"] or text.upper() in set(
                self.aliases.values()):
            return text.upper()
        return _pycountry_code(text)


@lru_cache(maxsize=4096)
def _pycountry_code(text: str) -> str | None:
    import pycountry

    try:
        return pycountry.countries.lookup(text).alpha_3
    except LookupError:
        return None


def parse(text: str, source: str) -> Config:
    """The configuration in the YAML ``text`` (``source`` names it in errors); raises :class:`ConfigError`
    ``SOURCE: key: reason`` naming what is wrong."""
    try:
        data = yaml_mapping(text, source)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    groups = data.get("groups") or {}
    if not isinstance(groups, dict):
        raise ConfigError(f"{source}: groups: a mapping of group names to lists of ISO 3166 alpha-3 codes")
    for name in ("EU27", "like_minded"):
        if not isinstance(groups.get(name), list):
            raise ConfigError(f"{source}: groups.{name}: a list of ISO 3166 alpha-3 codes is required")
    criticality = data.get("criticality") or {}
    try:
        weights = {k: float(v) for k, v in (criticality.get("weights") or {}).items()}
        thresholds = {k: float(v) for k, v in (criticality.get("thresholds") or {}).items()}
    except (AttributeError, TypeError, ValueError) as error:
        raise ConfigError(f"{source}: criticality: weights and thresholds map names to numbers ({error})") from None
    if set(weights) - set(TERMS) or not weights or sum(weights.values()) <= 0 or min(weights.values()) < 0:
        raise ConfigError(f"{source}: criticality.weights: non-negative weights for some of {', '.join(TERMS)}")
    missing = [k for k in THRESHOLDS if k not in thresholds]
    if missing:
        raise ConfigError(f"{source}: criticality.thresholds.{missing[0]}: missing")
    return Config({k: frozenset(str(c).upper() for c in v) for k, v in groups.items()},
                  {str(k): str(v).upper() for k, v in (data.get("aliases") or {}).items()},
                  frozenset(str(u) for u in data.get("unattributed") or []), weights, thresholds)
