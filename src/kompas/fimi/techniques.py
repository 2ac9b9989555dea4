"""DISARM techniques inferred from EUvsDisinfo's keyword tags and outlet names, by the rules in
``kompas/data/fimi_techniques.yaml``.

EUvsDisinfo does not code DISARM techniques; to draw the technique matrix for its cases, a conservative rule
table maps tags that name a method (not a topic: "Conspiracy theory" -> T0022, "Historical revisionism" -> T0023)
and platforms named in outlet names ("... - YouTube" -> T0152.006 Video Platform) to techniques. Each rule quotes
the DISARM definition it rests on. Inferred techniques are indicative: the report says so wherever it shows them.

:meth:`Inference.parse` takes the rules file's text; :func:`kompas.fimi.load.load_inference` reads a file and
:func:`kompas.fimi.load.default_inference` the shipped one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kompas.fimi.incident import TECHNIQUE_ID
from kompas.texts import yaml_mapping


class Inference:
    """The rule table: keyword tag (lower case) -> techniques, and outlet patterns -> technique."""

    def __init__(self, keywords: dict[str, list[str]], outlets: list[tuple[re.Pattern, str]]) -> None:
        self.keywords, self.outlets = keywords, outlets

    @classmethod
    def parse(cls, text: str, source: str) -> Inference:
        """The rule table from the YAML text of a rules file (``keywords: [{keywords, technique}]``,
        ``outlets: [{pattern, technique}]``); raises ``ValueError`` ``SOURCE: keywords rule N: ...`` naming the
        bad rule."""
        data = yaml_mapping(text, source)
        keywords: dict[str, list[str]] = {}
        for number, rule in enumerate(data.get("keywords") or [], start=1):
            where = f"{source}: keywords rule {number}"
            _check(rule, ("keywords", "technique"), where)
            if not isinstance(rule["keywords"], list):
                raise ValueError(f"{where}: keywords: not a list of tags")
            for tag in rule["keywords"]:
                keywords.setdefault(str(tag).strip().lower(), []).append(rule["technique"])
        outlets = []
        for number, rule in enumerate(data.get("outlets") or [], start=1):
            where = f"{source}: outlets rule {number}"
            _check(rule, ("pattern", "technique"), where)
            try:
                outlets.append((re.compile(rule["pattern"], re.IGNORECASE), rule["technique"]))
            except (re.error, TypeError) as error:
                raise ValueError(f"{where}: pattern: {error}") from None
        return cls(keywords, outlets)

    def techniques(self, tags: Iterable[str], outlets: Iterable[str]) -> list[str]:
        """Techniques the rules infer for a case with these tags and outlets (each once, in rule order)."""
        found = [t for tag in tags for t in self.keywords.get(tag.strip().lower(), [])]
        found += [t for outlet in outlets for pattern, t in self.outlets if pattern.search(outlet)]
        return list(dict.fromkeys(found))


def _check(rule: object, keys: tuple[str, ...], where: str) -> None:
    """Raise ``ValueError`` naming ``where`` unless ``rule`` is a mapping holding ``keys`` and a DISARM technique."""
    if not isinstance(rule, dict) or any(k not in rule for k in keys):
        raise ValueError(f"{where}: needs {' and '.join(keys)}")
    if not TECHNIQUE_ID.match(str(rule["technique"])):
        raise ValueError(f"{where}: technique {rule['technique']!r} is not a DISARM technique id")
