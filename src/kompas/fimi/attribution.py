"""Attribution of channels to the EEAS categories, by the rules in ``kompas/data/fimi_outlets.yaml``.

Each rule is a case-insensitive regular expression searched in the outlet name; the first rule that matches
gives the outlet's category, the state behind it (ISO 3166 alpha-3) and the rule's name; an outlet no rule
matches is "unattributed". The rules and the public facts they rest on are in the YAML file, not here.

:meth:`Rules.parse` takes a rules file's text; :func:`kompas.fimi.load.load_attribution` reads a file and
:func:`kompas.fimi.load.default_rules` the shipped one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kompas.fimi.incident import ATTRIBUTIONS
from kompas.texts import yaml_mapping


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
    def parse(cls, text: str, source: str) -> Rules:
        """The rules from the YAML text of a rules file (``rules: [{pattern, category, state, name, basis}]``);
        raises ``ValueError`` ``SOURCE: rule N: field: reason`` naming the bad rule."""
        rules = []
        for number, item in enumerate(yaml_mapping(text, source).get("rules") or [], start=1):
            where = f"{source}: rule {number}"
            if not isinstance(item, dict):
                raise ValueError(f"{where}: not a mapping with pattern and category")
            if item.get("category") not in ATTRIBUTIONS:
                raise ValueError(f"{where}: category {item.get('category')!r} is not one of "
                                 f"{', '.join(ATTRIBUTIONS)}")
            if "pattern" not in item:
                raise ValueError(f"{where}: pattern: missing")
            try:
                pattern = re.compile(item["pattern"], re.IGNORECASE)
            except (TypeError, re.error) as error:
                raise ValueError(f"{where}: pattern: {error}") from None
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

