"""Import TensorFlow quietly and reproducibly (only when a chapter asks for it).

TensorFlow writes start-up lines to the process's standard error from C++ code, some of them
before its own log-level setting takes effect (``cudart_stub.cc: Could not find cuda drivers``
on a machine without a GPU), with timestamps that would differ in every notebook run. This module
sets the environment variables that silence what they can, and sends the process-level standard
error to ``/dev/null`` while TensorFlow loads and initialises its devices.

Introduced in chapter 05; used by every chapter that imports TensorFlow.
"""

from __future__ import annotations

import contextlib
import os
import sys


@contextlib.contextmanager
def _silenced_stderr():
    """Redirect file descriptor 2 (what C++ code writes to) to /dev/null for the block."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(devnull)
        os.close(saved)


def import_tensorflow(*, onednn: bool = False):
    """Import and initialise TensorFlow without start-up noise; return the ``tensorflow`` module.

    ``onednn=False`` (the default for notebooks) sets ``TF_ENABLE_ONEDNN_OPTS=0``: oneDNN's
    kernels change floating-point round-off between runs and announce themselves on import.
    Benchmarks pass ``onednn=True`` to measure TensorFlow at its fastest. Environment variables
    already set by the caller win. If TensorFlow is already imported it is returned as is.
    """
    if not isinstance(onednn, bool):
        raise TypeError(f"onednn must be True or False, got {onednn!r}")
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1" if onednn else "0")
    with _silenced_stderr():
        import tensorflow as tf

        tf.config.list_logical_devices()  # device initialisation logs happen here, silenced
        tf.constant(0.0).numpy()
    return tf
