"""`python bench/peak_memory.py PROGRAM [ARGUMENTS...]`: run the program, then print its
peak resident set in kB (the kernel's `ru_maxrss`) as the last line on stderr, and exit
with its status.

A small process of its own, so that the program's peak is its own: the kernel keeps a
process's largest resident set across exec, and the benchmarks' process is large.
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    """Fork, exec the program, wait for it, report its peak."""
    child = os.fork()
    if child == 0:
        os.execv(sys.argv[1], sys.argv[1:])  # noqa: S606 - the program as given, no shell
    _pid, status, usage = os.wait4(child, 0)
    sys.stderr.write(f"{usage.ru_maxrss}\n")
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
