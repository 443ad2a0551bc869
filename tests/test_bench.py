"""The benchmark script runs end to end (on tiny shapes; speed itself is never asserted), and
the results chapter 06 prints are complete and come from the same code."""

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


def test_benchmark_runs_on_tiny_shapes_and_writes_what_the_chapter_reads(bench, monkeypatch,
                                                                         tmp_path):
    monkeypatch.setitem(bench.CASES, "tiny", (5, 8, 2, 3))
    monkeypatch.setattr(bench, "PAUSE_S", 0.0)
    output = tmp_path / "results.json"
    results = bench.main(["--cases", "tiny", "--repeats", "1", "--steps", "1",
                          "--output", str(output)])
    (result,) = results
    assert result.case == "tiny"
    assert min(result.numpy_tokens_per_s, result.keras_tokens_per_s, result.ratio,
               result.numpy_gflops, result.matmul_gflops, result.products_s,
               result.keras_step_s) > 0
    info, loaded = bench.load_results(output)
    assert loaded == results and info["cores"] >= 1
    table = bench.format_table(info, loaded)
    assert bench.format_row(result) in table.splitlines()


def test_committed_results_cover_every_case_at_the_current_shapes(bench):
    """benchmarks/results.json, the record chapter 06 prints, matches the benchmark's cases."""
    info, results = bench.load_results()
    assert {r.case: r.shape for r in results} == bench.CASES
    assert {"date", "cpu", "cores", "numpy", "tensorflow", "repeats", "steps"} <= set(info)
    assert all(r.ratio > 0 and r.products_s > 0 for r in results)
