"""set_seed makes runs repeatable, and importing rnnbook never imports TensorFlow."""

import random
import subprocess
import sys

import numpy as np
import pytest

import rnnbook


def test_set_seed_repeats_every_generator():
    g1 = rnnbook.set_seed(3)
    first = (random.random(), np.random.rand(), g1.random())  # noqa: NPY002
    g2 = rnnbook.set_seed(3)
    assert first == (random.random(), np.random.rand(), g2.random())  # noqa: NPY002


def test_set_seed_rejects():
    with pytest.raises(ValueError, match="seed must be >= 0"):
        rnnbook.set_seed(-1)
    with pytest.raises(TypeError, match="seed must be an integer"):
        rnnbook.set_seed(1.5)


def test_import_does_not_load_tensorflow():
    code = "import sys, rnnbook; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_set_seed_seeds_tensorflow_when_it_is_loaded():
    code = ("import os; os.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'\n"
            "import tensorflow as tf, rnnbook\n"
            "rnnbook.set_seed(5); a = tf.random.uniform([3]).numpy()\n"
            "rnnbook.set_seed(5); b = tf.random.uniform([3]).numpy()\n"
            "from tensorflow.python.framework import config\n"
            "print((a == b).all(), config.is_op_determinism_enabled())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[-2:] == ["True", "True"]


def test_import_tensorflow_is_quiet():
    code = ("from rnnbook import tfsetup\n"
            "tf = tfsetup.import_tensorflow()\n"
            "v = tf.Variable([1.0, 2.0], dtype=tf.float64)\n"
            "print(float(tf.reduce_sum(v * v)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "5.0"
    assert "cudart" not in out.stderr and "oneDNN" not in out.stderr, out.stderr


def test_import_tensorflow_rejects():
    from rnnbook import tfsetup

    with pytest.raises(TypeError, match="onednn must be True or False"):
        tfsetup.import_tensorflow(onednn="yes")
