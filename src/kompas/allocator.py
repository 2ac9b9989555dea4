"""The C allocator's hold on freed memory (glibc's malloc), for long array work such as screening.

glibc serves a block larger than its *mmap threshold* (128 kB at start) with a fresh mapping that goes back to the
system when freed; but each time such a block is freed it raises the threshold to that block's size (up to 32 MB).
After the first time block of positions (tens of MB) is freed, every later array below that size comes from the
heap or a thread's arena instead, and freed pages there mostly stay with the process: screening's resident memory
then grows by the arrays of many blocks. Fixing the threshold (``mallopt(M_MMAP_THRESHOLD)``, as the
``MALLOC_MMAP_THRESHOLD_`` variable would) turns that adjustment off. Measured on the 15k-object one-day screening
(``benchmarks/screening_scale.py``): peak 491 -> 427 MB, the same time.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading

_M_MMAP_THRESHOLD = -3  #: glibc's mallopt parameter number (malloc.h).
LARGE_BLOCK_BYTES = 1 << 20  #: Blocks from this size are mapped apart and returned when freed, bytes.
_DONE: list[bool] = []
_LOCK = threading.Lock()


def return_large_blocks(threshold_bytes: int = LARGE_BLOCK_BYTES) -> bool:
    """Fix glibc's mmap threshold at ``threshold_bytes`` (once per process; later calls do nothing). Returns
    whether the allocator took it: False off glibc (musl, macOS, Windows), where nothing changes."""
    with _LOCK:
        if not _DONE:
            ok = False
            try:
                libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
                ok = bool(getattr(libc, "mallopt", None) and libc.mallopt(_M_MMAP_THRESHOLD, int(threshold_bytes)))
            except OSError:
                ok = False
            _DONE.append(ok)
        return _DONE[0]
