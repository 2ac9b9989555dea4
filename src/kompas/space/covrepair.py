"""Covariance remediation by eigenvalue clipping (as NASA CARA's ``CovRemEigValClip``; pure NumPy).

A covariance that is not positive definite (NPD: a negative or zero eigenvalue, typically from rounding in a
CDM or from interpolation) is repaired by raising every eigenvalue below a floor ``clip`` to the floor and
rebuilding the matrix from the unchanged eigenvectors. The repair never raises; the caller gets a
:class:`Remediation` that says what was found and done, so it can be reported as a flag.

Units are those of the input (m^2 for a position covariance; CARA clips the relative position covariance at
``(1e-4 * HBR)^2``, and full 6x6 covariances at 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Remediation:
    """Result of :func:`clip_eigenvalues`.

    ``matrix`` is the repaired covariance (the input itself when nothing was clipped); ``positive_definite`` is
    CARA's ``PosDefStatus > 0`` (smallest raw eigenvalue > 0); ``clipped`` is CARA's ``ClipStatus`` (some
    eigenvalue was below ``clip``); ``det`` and ``inverse`` are those of the repaired matrix;
    ``raw_eigenvalues`` (ascending) are the input's."""

    matrix: np.ndarray
    positive_definite: bool
    clipped: bool
    det: float
    inverse: np.ndarray
    raw_eigenvalues: np.ndarray


def clip_eigenvalues(cov: np.ndarray, clip: float = 0.0) -> Remediation:
    """Raise the eigenvalues of the symmetric matrix ``cov`` (n x n) below ``clip`` (>= 0, same units) to
    ``clip``. The input is symmetrised first; eigenvectors are kept."""
    if clip < 0:
        raise ValueError("clip must be >= 0")
    a = np.asarray(cov, dtype=float)
    a = 0.5 * (a + a.T)
    values, vectors = np.linalg.eigh(a)
    clipped = bool(values[0] < clip)
    fixed = np.where(values < clip, clip, values)
    matrix = (vectors * fixed) @ vectors.T if clipped else a
    with np.errstate(divide="ignore", invalid="ignore"):
        inverse = (vectors / fixed) @ vectors.T
    return Remediation(matrix, bool(values[0] > 0), clipped, float(np.prod(fixed)), inverse, values)


def clip_eigenvalues_batch(cov: np.ndarray, clip: float) -> tuple[np.ndarray, np.ndarray]:
    """Inverse and determinant of a stack of symmetric matrices (..., n, n) with eigenvalues clipped from
    below at ``clip`` (> 0): returns ``(inverse (..., n, n), det (...))``, NaN for non-finite inputs."""
    cov = np.asarray(cov, dtype=float)
    bad = ~np.all(np.isfinite(cov), axis=(-2, -1))
    if np.any(bad):  # non-finite input (a diverged linearisation): NaN out, never an exception
        cov = np.where(bad[..., None, None], np.eye(cov.shape[-1]), cov)
    values, vectors = np.linalg.eigh(cov)
    fixed = np.maximum(values, clip)
    inverse = np.einsum("...ik,...k,...jk->...ij", vectors, 1.0 / fixed, vectors)
    det = np.prod(fixed, axis=-1)
    if np.any(bad):
        inverse = np.where(bad[..., None, None], np.nan, inverse)
        det = np.where(bad, np.nan, det)
    return inverse, det


def repair(cov: np.ndarray | None) -> tuple[np.ndarray | None, bool]:
    """A 3x3 or 6x6 covariance made positive semi-definite by clipping negative eigenvalues at 0 (CARA's
    default for a full covariance): returns ``(matrix, was_npd)``; ``None`` passes through."""
    if cov is None:
        return None, False
    rem = clip_eigenvalues(cov, 0.0)
    return rem.matrix, not rem.positive_definite
