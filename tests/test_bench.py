"""The benchmark script runs end to end (on tiny shapes; speed itself is never asserted)."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_rnn", ROOT / "benchmarks" / "bench_rnn.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_rnn"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def test_flop_count(bench):
    # forward 2H^2 + 2HV, backward 2VH + 2H^2 + 2HV + 2H^2 + 2VH per token
    assert bench.step_flops(3, 2, 1, 1) == 6 * 4 + 8 * 6


def test_benchmark_runs_on_tiny_shapes(bench, monkeypatch):
    monkeypatch.setitem(bench.CASES, "tiny", (5, 8, 2, 3))
    tf = bench.tfsetup.import_tensorflow()
    result = bench.bench_case("tiny", tf, tf.keras, repeats=1, steps=1)
    assert result.case == "tiny"
    assert min(result.numpy_tokens_per_s, result.keras_tokens_per_s, result.ratio,
               result.numpy_gflops, result.matmul_gflops) > 0
