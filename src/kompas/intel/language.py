"""ICD 203 estimative language: likelihood words, the probability band each stands for, and confidence levels.

Intelligence Community Directive 203 (Analytic Standards, 2015) fixes seven likelihood expressions and the
probability range each conveys; the MISP ``estimative-language`` taxonomy (bundled in
``kompas/data/cyber/taxonomies/estimative-language/machinetag.json``) lists the same seven as the entries of its
``likelihood-probability`` predicate:

=====================  =========================================  ===========
word (taxonomy value)  ICD 203 expression / synonym               probability
=====================  =========================================  ===========
almost-no-chance       almost no chance / remote                  01-05 %
very-unlikely          very unlikely / highly improbable          05-20 %
unlikely               unlikely / improbable (improbably)         20-45 %
roughly-even-chance    roughly even chance / roughly even odds    45-55 %
likely                 likely / probable (probably)               55-80 %
very-likely            very likely / highly probable              80-95 %
almost-certain         almost certain(ly) / nearly certain        95-99 %
=====================  =========================================  ===========

One source for the numbers: :data:`ICD203` takes its bands from :data:`kompas.response.attribution.CONFIDENCE`
(the scale member states record attributions on, which spells two words differently: ``remote`` and
``roughly-even``, accepted here as synonyms), and the tests check both against the taxonomy file
(:func:`parse_scale` reads the bands from its ``expanded`` texts, ``"Likely - probable (probably) - 55-80%"``).
The taxonomy's ``numerical_value`` is each band's lower bound, except ``almost-no-chance`` whose 0 stands for the
01 % ICD 203 states.

**Confidence** (:data:`CONFIDENCE`): ``low``, ``moderate``, ``high``: how well the judgement is founded (the
quality and corroboration of the sources, the number of assumptions, the strength of the reasoning), not how
likely the event is. A judgement carries both: "we assess with moderate confidence that X is likely".

**Choices** (documented because scores depend on them):

- a word's *probability* for scoring is the midpoint of its band (:func:`midpoint`: ``likely`` 0.675);
- the word for a probability (:func:`likelihood_word`) is the band containing it; a value on the boundary of two
  bands goes to the band nearer one half (0.55 is ``roughly-even-chance``, 0.80 ``likely``, 0.20 ``unlikely``),
  so that the word for ``p`` and for ``1 - p`` mirror each other; below 1 % is ``almost-no-chance``, above 99 %
  ``almost-certain``.

Pure: the caller reads the taxonomy (:mod:`kompas.intel.load`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kompas.cyber.taxonomy import Taxonomy, TaxonomyError, parse_taxonomy
from kompas.response.attribution import CONFIDENCE as ATTRIBUTION_SCALE

__all__ = ["CONFIDENCE", "CONFIDENCE_MEANING", "ICD203", "WORDS", "Band", "Scale", "canonical", "likelihood_word",
           "midpoint", "parse_scale", "probability"]

#: Confidence levels, lowest first.
CONFIDENCE = ("low", "moderate", "high")
#: What each confidence level means (ICD 203 and JP 2-0 as the MISP taxonomy quotes them, in short).
CONFIDENCE_MEANING = {
    "low": "uncorroborated information from good or marginal sources; many assumptions; mostly weak inferences; "
           "glaring gaps",
    "moderate": "partially corroborated information from good sources; several assumptions; a mix of strong and "
                "weak inferences; minimum gaps",
    "high": "well-corroborated information from proven sources; minimal assumptions; strong inferences; no or "
            "minor gaps",
}
LIKELIHOOD = "likelihood-probability"  #: the taxonomy predicate holding the likelihood words
CONFIDENCE_PREDICATE = "confidence-in-analytic-judgment"

#: The attribution scale's spelling of a word -> the taxonomy's (the others are spelled alike).
_ATTRIBUTION_WORDS = {"remote": "almost-no-chance", "roughly-even": "roughly-even-chance"}
#: ICD 203's expressions (the table in its section D.6.e.(2)(a)), by word: the first is the word's label.
_EXPRESSIONS = {
    "almost-no-chance": ("almost no chance", "remote"),
    "very-unlikely": ("very unlikely", "highly improbable"),
    "unlikely": ("unlikely", "improbable", "improbably"),
    "roughly-even-chance": ("roughly even chance", "roughly even odds", "roughly even"),
    "likely": ("likely", "probable", "probably"),
    "very-likely": ("very likely", "highly probable"),
    "almost-certain": ("almost certain", "almost certainly", "nearly certain"),
}
_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*%\s*$")


def _key(text: str) -> str:
    """A spelling folded for lookup: lower case, hyphens and underscores as spaces, single spaces."""
    return " ".join(text.lower().replace("-", " ").replace("_", " ").split())


@dataclass(frozen=True)
class Band:
    """One likelihood word and its probability band ``[low, high]`` (fractions of 1)."""

    word: str  #: the taxonomy's value, ``very-likely``
    low: float
    high: float
    label: str = ""  #: how it is written in a sentence, ``very likely``
    synonyms: tuple[str, ...] = ()  #: other spellings that mean this word (``highly probable``)

    @property
    def midpoint(self) -> float:
        """The middle of the band (fraction): the probability a judgement in this word is scored with."""
        return (self.low + self.high) / 2


@dataclass(frozen=True)
class Scale:
    """A likelihood scale: its bands, lowest first, and the meaning of each confidence level."""

    bands: tuple[Band, ...]
    confidence: Mapping[str, str] = field(default_factory=lambda: dict(CONFIDENCE_MEANING))

    @property
    def words(self) -> tuple[str, ...]:
        """The likelihood words, lowest band first."""
        return tuple(b.word for b in self.bands)

    def band(self, word: str) -> Band | None:
        """The band of ``word`` written any way this scale knows (the word, its label or a synonym, any case, with
        hyphens or spaces), or None."""
        key = _key(word)
        for b in self.bands:
            if key in {_key(b.word), _key(b.label), *(_key(s) for s in b.synonyms)}:
                return b
        return None

    def canonical(self, word: str) -> str:
        """The taxonomy's spelling of ``word`` (``Highly probable`` -> ``very-likely``), "" when unknown."""
        b = self.band(word)
        return b.word if b else ""

    def probability(self, word: str) -> tuple[float, float]:
        """``(low, high)``, fractions of 1, of ``word``; ``ValueError`` naming the known words otherwise."""
        b = self.band(word)
        if b is None:
            raise ValueError(f"{word!r} is not an ICD 203 likelihood word (expected one of {', '.join(self.words)})")
        return b.low, b.high

    def midpoint(self, word: str) -> float:
        """The middle of ``word``'s band (fraction of 1); ``ValueError`` for an unknown word."""
        low, high = self.probability(word)
        return (low + high) / 2

    def likelihood_word(self, probability: float) -> str:
        """The word whose band holds ``probability`` (fraction of 1; boundaries go to the band nearer one half,
        see the module docstring); ``ValueError`` outside [0, 1]."""
        if not 0.0 <= probability <= 1.0:
            raise ValueError(f"a probability is in [0, 1], got {probability!r}")
        if probability <= self.bands[0].low:
            return self.bands[0].word
        if probability >= self.bands[-1].high:
            return self.bands[-1].word
        for b in self.bands:
            inside = b.low <= probability < b.high if probability < 0.5 else b.low < probability <= b.high
            if inside:
                return b.word
        # a probability between bands (no gap in ICD 203; possible in another scale): the nearest band
        return min(self.bands, key=lambda b: min(abs(probability - b.low), abs(probability - b.high))).word


def _attribution_bands() -> tuple[Band, ...]:
    bands = []
    for name, (low, high) in ATTRIBUTION_SCALE.items():
        word = _ATTRIBUTION_WORDS.get(name, name)
        label, *synonyms = _EXPRESSIONS[word]
        spelled = tuple(dict.fromkeys(s for s in (*synonyms, name) if s not in (word, label)))
        bands.append(Band(word, low / 100, high / 100, label, spelled))
    return tuple(sorted(bands, key=lambda b: b.low))


#: The ICD 203 scale (bands from :data:`kompas.response.attribution.CONFIDENCE`; checked against the taxonomy).
ICD203 = Scale(_attribution_bands())
#: The likelihood words, lowest first.
WORDS = ICD203.words


def _spellings(phrase: str) -> list[str]:
    """``Almost certain(ly)`` -> almost certain, almost certainly; ``improbable (improbably)`` -> improbable,
    improbably."""
    phrase = phrase.strip()
    if "(ly)" in phrase:
        return [phrase.replace("(ly)", ""), phrase.replace("(ly)", "ly")]
    found = re.match(r"^(.*?)\s*\(([^)]*)\)\s*$", phrase)
    if found:
        return [found.group(1), found.group(2)]
    return [phrase]


def parse_scale(taxonomy: Taxonomy | Mapping[str, Any], source: str = "estimative-language") -> Scale:
    """The likelihood bands and confidence meanings of an ``estimative-language`` taxonomy (a parsed
    :class:`~kompas.cyber.taxonomy.Taxonomy` or the decoded JSON of its ``machinetag.json``). Each band comes from
    its entry's ``expanded`` text, ``"<label> - <synonym> - NN-MM%"``; raises
    :class:`~kompas.cyber.taxonomy.TaxonomyError` naming ``source`` when an entry has no such range, or when the
    bands are not increasing."""
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else parse_taxonomy(taxonomy, source)
    predicate = tax.predicate(LIKELIHOOD)
    if predicate is None or not predicate.entries:
        raise TaxonomyError(f"{source}: no {LIKELIHOOD} predicate with entries")
    bands = []
    for entry in predicate.entries:
        found = _RANGE.search(entry.expanded)
        if not found:
            raise TaxonomyError(f"{source}: {entry.value}: no 'NN-MM%' range in {entry.expanded!r}")
        low, high = float(found.group(1)) / 100, float(found.group(2)) / 100
        words = [w for part in entry.expanded[:found.start()].split(" - ") if part.strip() for w in _spellings(part)]
        label = words[0].strip().lower() if words else entry.value.replace("-", " ")
        synonyms = tuple(w.strip().lower() for w in words[1:] if w.strip())
        bands.append(Band(entry.value, low, high, label, synonyms))
    for before, after in zip(bands, bands[1:], strict=False):
        if not (before.low < before.high <= after.low < after.high):
            raise TaxonomyError(f"{source}: bands {before.word} and {after.word} are not increasing")
    meaning = dict(CONFIDENCE_MEANING)
    confidence = tax.predicate(CONFIDENCE_PREDICATE)
    if confidence is not None:
        meaning |= {e.value: e.description for e in confidence.entries if e.description}
    return Scale(tuple(bands), meaning)


def canonical(word: str, scale: Scale = ICD203) -> str:
    """The taxonomy's spelling of a likelihood word (``probable`` -> ``likely``), "" when it is none."""
    return scale.canonical(word)


def probability(word: str, scale: Scale = ICD203) -> tuple[float, float]:
    """The band ``(low, high)`` of a likelihood word, fractions of 1 (``likely`` -> (0.55, 0.80))."""
    return scale.probability(word)


def midpoint(word: str, scale: Scale = ICD203) -> float:
    """The middle of a likelihood word's band, fraction of 1 (``likely`` -> 0.675)."""
    return scale.midpoint(word)


def likelihood_word(p: float, scale: Scale = ICD203) -> str:
    """The likelihood word for a probability ``p`` (fraction of 1): 0.7 -> ``likely``."""
    return scale.likelihood_word(p)

