"""Attribution of channels to the EEAS categories, by the rules in ``kompas/data/fimi_outlets.yaml``.

Each rule is a case-insensitive regular expression searched in the outlet name; the first rule that matches
gives the outlet's category, the state behind it (ISO 3166 alpha-3) and the rule's name; an outlet no rule
matches is "unattributed". The rules and the public facts they rest on are in the YAML file, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from kompas.fimi.incident import ATTRIBUTIONS

DEFAULT = Path(__file__).resolve().parent.parent / "data" / "fimi_outlets.yaml"


@dataclass(frozen=True)
class Rule:
    """One attribution rule: pattern, category, state, the channel's name and the basis for it."""

    pattern: re.Pattern
    category: str
    state: str
    name: str
    basis: str


@dataclass(frozen=True)
class Attribution:
    """What the rules say about one outlet."""

    category: str = "unattributed"
    state: str = ""
    name: str = ""


class Rules:
    """The ordered attribution rules."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self._cache: dict[str, Attribution] = {}

    @classmethod
    def load(cls, path: str | Path | None = None) -> Rules:
        """Read a rules file (default: the one shipped with Kompas); raises ValueError naming a bad rule."""
        text = Path(path or DEFAULT).read_text()
        rules = []
        for number, item in enumerate(yaml.safe_load(text).get("rules", []), start=1):
            if item.get("category") not in ATTRIBUTIONS:
                raise ValueError(f"fimi_outlets rule {number}: category {item.get('category')!r} is not one of "
                                 f"{', '.join(ATTRIBUTIONS)}")
            try:
                pattern = re.compile(item["pattern"], re.IGNORECASE)
            except (KeyError, re.error) as error:
                raise ValueError(f"fimi_outlets rule {number}: pattern: {error}") from None
            rules.append(Rule(pattern, item["category"], str(item.get("state", "")), str(item.get("name", "")),
                              str(item.get("basis", ""))))
        return cls(rules)

    def classify(self, outlet: str) -> Attribution:
        """The attribution of one outlet name."""
        found = self._cache.get(outlet)
        if found is None:
            rule = next((r for r in self.rules if r.pattern.search(outlet)), None)
            found = Attribution() if rule is None else Attribution(rule.category, rule.state, rule.name)
            self._cache[outlet] = found
        return found


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    """The shipped rules (read once)."""
    return Rules.load()
