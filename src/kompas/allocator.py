"""The C allocator's hold on freed memory (glibc's malloc), for long array work such as screening.

glibc serves a block larger than its *mmap threshold* (128 kB at start) with a fresh mapping that goes back to the
system when freed; but each time such a block is freed it raises the threshold to that block's size (up to 32 MB).
After the first time block of positions (tens of MB) is freed, every later array below that size comes from the
heap or a thread's arena instead, and freed pages there mostly stay with the process: screening's resident memory
then grows by the arrays of many blocks. Fixing the threshold (``mallopt(M_MMAP_THRESHOLD)``, as the
``MALLOC_MMAP_THRESHOLD_`` variable would) turns that adjustment off. Measured on the 15k-object one-day screening
(``benchmarks/screening_scale.py``): peak 491 -> 427 MB, the same time.

The setting is process-wide and stays (what screening sets, the rest of a long-running process keeps: arrays of a
megabyte or more are then mapped and unmapped each time, which costs page faults, not memory). A threshold the user
gave in ``MALLOC_MMAP_THRESHOLD_`` is left as it is.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform
import threading

_M_MMAP_THRESHOLD = -3  #: glibc's mallopt parameter number (malloc.h).
LARGE_BLOCK_BYTES = 1 << 20  #: Blocks from this size are mapped apart and returned when freed, bytes.
_DONE: list[bool] = []
_LOCK = threading.Lock()


def return_large_blocks() -> bool:
    """Fix glibc's mmap threshold at :data:`LARGE_BLOCK_BYTES`, once per process (later calls only report).
    Returns whether it is in force: False off glibc (musl, macOS, Windows), where nothing changes, and when
    ``MALLOC_MMAP_THRESHOLD_`` is set (the user's choice stands)."""
    with _LOCK:
        if not _DONE:
            _DONE.append(_set_threshold())
        return _DONE[0]


def _set_threshold() -> bool:
    if "MALLOC_MMAP_THRESHOLD_" in os.environ or platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL("libc.so.6" if platform.system() == "Linux" else ctypes.util.find_library("c"))
    except OSError:
        return False
    mallopt = getattr(libc, "mallopt", None)
    return bool(mallopt and mallopt(_M_MMAP_THRESHOLD, LARGE_BLOCK_BYTES))
