"""Peak resident memory of the running process, for the benchmarks that run each measured tool in a child process.

``VmHWM`` is the high-water mark of the process's own address space. ``getrusage``'s ``ru_maxrss`` is not: Linux
carries it over ``exec``, so a child spawned by a larger parent reports the parent's size (a 30k-object screening
read 1,247 MB where it peaks at 570). Standard library only: the peers' own environments import it too.
"""

import resource
from pathlib import Path


def peak_rss_mb() -> float:
    """This process's largest resident set so far, MB (``VmHWM``; ``ru_maxrss`` where /proc is missing)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
