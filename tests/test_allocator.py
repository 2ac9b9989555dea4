"""kompas.allocator (issue 30): after ``return_large_blocks`` glibc maps blocks from 1 MB apart (and returns them
when freed) even once a larger block has been freed, which without it raises the threshold and sends them to the
heap. Observed through glibc's own counter of mapped bytes (``mallinfo2().hblkhd``), in fresh interpreters."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

PROBE = """
import ctypes, sys
import numpy as np
class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]
libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Info
big = np.ones(30 * 2**20 // 8)  # a freed 30 MB block raises glibc's own threshold to 30 MB
del big
if sys.argv[1] == "fixed":
    from kompas.allocator import return_large_blocks
    assert return_large_blocks() is True and return_large_blocks() is True
before = libc.mallinfo2().hblkhd
block = np.ones(4 * 2**20 // 8)  # 4 MB
print(libc.mallinfo2().hblkhd - before)
"""


def _mapped_bytes(mode: str, **env: str) -> int:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")} | env
    done = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True,
                          env=environ)
    return int(done.stdout.strip())


def _glibc_with_mallinfo2() -> bool:
    name, version = platform.libc_ver()
    return name == "glibc" and tuple(int(x) for x in version.split(".")[:2]) >= (2, 33)


@pytest.mark.skipif(not _glibc_with_mallinfo2(), reason="glibc 2.33 or later only (mallinfo2)")
def test_large_arrays_are_mapped_apart_once_the_threshold_is_fixed() -> None:
    assert _mapped_bytes("fixed") >= 4 * 2**20
    assert _mapped_bytes("default") == 0  # the control: glibc's adjusted threshold keeps it in the heap


@pytest.mark.skipif(not _glibc_with_mallinfo2(), reason="glibc 2.33 or later only (mallinfo2)")
def test_a_threshold_the_user_set_is_left_alone() -> None:
    user = str(64 * 2**20)  # 64 MB: the 4 MB block stays in the heap
    code = "from kompas.allocator import return_large_blocks; print(return_large_blocks())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env=os.environ | {"MALLOC_MMAP_THRESHOLD_": user})
    assert done.stdout.strip() == "False"
