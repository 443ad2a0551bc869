"""The settings that make a notebook's outputs repeat exactly, in one place.

Floating-point sums depend on how many threads split them, and Python's ``hash`` of strings
(hence the order of sets) on a per-process seed; TensorFlow prints start-up lines with
timestamps unless told not to. These must be in a process's environment before it starts, so
every way of running the book puts them there from :data:`SETTINGS`:

- ``pytest`` (so ``make test``, plain ``pytest`` and CI) through the repository's
  ``conftest.py``, before nbval starts a kernel;
- ``make execute`` through ``scripts/execute_notebooks.py``;
- ``make lab`` by starting JupyterLab as ``python -m rnnbook.environment jupyter lab``, so that
  its kernels inherit them.

Benchmarks are the exception: they measure each library at its fastest (every core for BLAS,
oneDNN on), so ``make bench`` runs without them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from collections.abc import MutableMapping

__all__ = ["SETTINGS", "apply", "keep_freed_memory", "main"]

SETTINGS: dict[str, str] = {
    # One BLAS thread: the notebooks' small products gain nothing from
    # more, and a fixed thread count keeps the order of the sums, hence
    # every printed digit, the same from run to run.
    "OPENBLAS_NUM_THREADS": "1",
    # The same order of sets and dicts of strings in every kernel.
    "PYTHONHASHSEED": "0",
    # No TensorFlow start-up lines (with timestamps) in the outputs.
    "TF_CPP_MIN_LOG_LEVEL": "3",
    # oneDNN's kernels change round-off and announce themselves.
    "TF_ENABLE_ONEDNN_OPTS": "0",
}


def apply(environ: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """Put :data:`SETTINGS` into ``environ`` (default ``os.environ``), overriding what is there.

    Returns the values they replaced (absent ones as missing keys). Only processes started
    afterwards (kernels, subprocesses) are affected.
    """
    environ = os.environ if environ is None else environ
    replaced = {key: environ[key] for key in SETTINGS if key in environ}
    environ.update(SETTINGS)
    return replaced


def keep_freed_memory() -> bool:
    """Ask the C allocator to keep freed memory for reuse instead of returning it to the OS.

    A training step allocates arrays of several megabytes and frees them again. By default
    glibc hands such blocks back to the operating system, which then maps fresh pages, one page
    fault per 4 KiB, the next time the step runs: measured on the book's machine at the default
    benchmark shape, about a quarter of a NumPy step. Keeping freed memory (``mallopt``: no
    trimming, and blocks below 32 MiB from the heap) removes that cost without changing a line
    of the model's code. The process's memory then stays at its peak. Returns whether the
    setting took (only glibc has it; elsewhere this does nothing). Called by ``import rnnbook``.
    """
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        mallopt = libc.mallopt if libc is not None else None
    except (OSError, AttributeError):
        return False
    if mallopt is None:
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3  # from glibc's malloc.h
    trimmed = mallopt(m_trim_threshold, 1 << 30)
    mapped = mallopt(m_mmap_threshold, 32 << 20)  # glibc's largest allowed value
    return bool(trimmed and mapped)


def main(argv: list[str]) -> int:
    """``python -m rnnbook.environment COMMAND ...``: run COMMAND with :data:`SETTINGS`."""
    if not argv:
        print("usage: python -m rnnbook.environment COMMAND [ARG ...]", file=sys.stderr)
        return 2
    apply()
    os.execvp(argv[0], argv)  # replaces this process; returns only on failure (raises)
    return 1  # pragma: no cover


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
