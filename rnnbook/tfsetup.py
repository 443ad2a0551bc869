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

from ._checks import check_int


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


def import_tensorflow(*, onednn: bool = False, cpu_devices: int | None = None):
    """Import and initialise TensorFlow without start-up noise; return the ``tensorflow`` module.

    ``onednn=False`` (the default for notebooks) sets ``TF_ENABLE_ONEDNN_OPTS=0``: oneDNN's
    kernels change floating-point round-off between runs and announce themselves on import.
    Benchmarks pass ``onednn=True`` to measure TensorFlow at its fastest. Environment variables
    already set by the caller win.

    ``cpu_devices=2`` splits the CPU into two logical devices (``/cpu:0`` and ``/cpu:1``), so
    that ``tf.distribute.MirroredStrategy`` can be shown on a machine without GPUs (chapter 06).
    ``None`` means one device, or whatever an earlier call set up. Devices can only be configured
    before TensorFlow initialises them, so if TensorFlow is already imported with a different
    number of CPU devices this raises ``RuntimeError``.
    """
    if not isinstance(onednn, bool):
        raise TypeError(f"onednn must be True or False, got {onednn!r}")
    if cpu_devices is not None:
        cpu_devices = check_int("cpu_devices", cpu_devices, minimum=1, maximum=64)
    if "tensorflow" in sys.modules:
        tf = sys.modules["tensorflow"]
        if cpu_devices is None:
            return tf
        have = len(tf.config.list_logical_devices("CPU"))
        if have != cpu_devices:
            raise RuntimeError(f"TensorFlow is already initialised with {have} logical CPU "
                               f"device(s); cpu_devices={cpu_devices} must be requested by the "
                               "first import_tensorflow call (restart the kernel)")
        return tf
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1" if onednn else "0")
    with _silenced_stderr():
        import tensorflow as tf

        if cpu_devices is not None and cpu_devices > 1:
            cpu = tf.config.list_physical_devices("CPU")[0]
            tf.config.set_logical_device_configuration(
                cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(cpu_devices)])
        tf.config.list_logical_devices()  # device initialisation logs happen here, silenced
        tf.constant(0.0).numpy()
    # TensorFlow's Python warnings (for example "triggered tf.function retracing", which every
    # newly built Keras model causes) carry memory addresses that differ in every run.
    tf.get_logger().setLevel("ERROR")
    return tf
