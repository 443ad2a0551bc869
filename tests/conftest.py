"""Shared fixtures: random problems for rnnbook's unit tests, the built book for the book tests."""

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from rnnbook import rnn

ROOT = Path(__file__).resolve().parent.parent


def toc_files():
    """Every page of ``_toc.yml`` in reading order: the root, chapters and their sections."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for entry in entries:
            files.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc["parts"]:
        walk(part["chapters"])
    return files


@pytest.fixture(scope="session")
def html(tmp_path_factory):
    """Build the book once per test process, warnings as errors, into a temporary folder."""
    out = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", "--warningiserror", "--nitpick", "--keep-going",
         "--path-output", str(out), str(ROOT)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "warning" not in result.stderr.lower(), result.stderr[-3000:]
    yield out / "_build" / "html"
    shutil.rmtree(out, ignore_errors=True)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def random_problem(rng, *, batch_size=3, num_steps=5, input_size=4, num_hiddens=6,
                   output_size=4, integer_inputs=True, dtype=np.float64):
    """Random parameters (non-zero biases), inputs, targets and initial state."""
    params = rnn.init_params(input_size, num_hiddens, output_size, rng=rng, dtype=dtype)
    params["b"] += (0.1 * rng.standard_normal(num_hiddens)).astype(dtype)
    params["c"] += (0.1 * rng.standard_normal(output_size)).astype(dtype)
    if integer_inputs:
        X = rng.integers(0, input_size, (batch_size, num_steps))
    else:
        X = rng.standard_normal((batch_size, num_steps, input_size)).astype(dtype)
    Y = rng.integers(0, output_size, (batch_size, num_steps))
    h0 = (0.5 * rng.standard_normal((batch_size, num_hiddens))).astype(dtype)
    return params, X, Y, h0
