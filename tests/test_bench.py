"""The benchmark script runs end to end (on tiny shapes; speed itself is never asserted), and
the record chapter 06 prints is complete and read by rnnbook.timing, which the chapter uses."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from rnnbook import timing

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "bench_rnn.py"
RECORD = ROOT / "benchmarks" / "results.json"


def test_the_flop_count_is_the_sum_of_the_step_products():
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import bench_rnn
    finally:
        sys.path.remove(str(SCRIPT.parent))
    for shape in ((3, 2, 1, 1), (65, 256, 64, 100), (7, 5, 3, 11)):
        products = bench_rnn.step_products(*shape)
        by_shapes = sum(2 * a[0] * a[1] * b[1] * n for a, b, n in products)
        assert all(a[1] == b[0] for a, b, _ in products)
        assert bench_rnn.step_flops(*shape) == by_shapes


def test_benchmark_runs_on_tiny_shapes_in_a_fresh_process(tmp_path):
    """In its own process, as `make bench` runs it: Keras' XLA branch really runs (op
    determinism, which set_seed turns on in other tests, makes Keras refuse XLA), and the
    baseline contender is timed against this same package."""
    code = (f"import sys; sys.path.insert(0, {str(SCRIPT.parent)!r}); import bench_rnn; "
            "bench_rnn.CASES['tiny'] = (5, 8, 2, 3); bench_rnn.PAUSE_S = 0.0; "
            "bench_rnn.main(sys.argv[1:])")
    output = tmp_path / "results.json"
    result = subprocess.run([sys.executable, "-c", code, "--cases", "tiny", "--repeats", "1",
                             "--steps", "1", "--output", str(output), "--baseline", str(ROOT)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "jit_compile=False" not in result.stdout + result.stderr  # XLA was not refused
    info, (loaded,) = timing.load_benchmark(output)
    assert loaded.case == "tiny" and info["cores"] >= 1
    assert min(loaded.numpy_tokens_per_s, loaded.keras_tokens_per_s, loaded.ratio,
               loaded.numpy_gflops, loaded.matmul_gflops, loaded.products_s,
               loaded.keras_step_s, loaded.baseline_tokens_per_s) > 0
    table = timing.format_benchmark_table(info, [loaded])
    assert table.splitlines()[2].split()[-1] == "baseline"
    assert table.splitlines()[-1].split()[0] == "tiny"


def test_committed_record_covers_every_case_at_the_current_shapes():
    """benchmarks/results.json, the record chapter 06 prints, matches the benchmark's cases."""
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import bench_rnn
    finally:
        sys.path.remove(str(SCRIPT.parent))
    info, results = timing.load_benchmark(RECORD)
    assert {r.case: r.shape for r in results} == bench_rnn.CASES
    assert {"date", "cpu", "cores", "numpy", "tensorflow", "repeats", "steps"} <= set(info)
    assert all(r.ratio > 0 and r.products_s > 0 for r in results)
    # the ratio (a median of per-repeat ratios) is close to the ratio of the median speeds
    raw = json.loads(RECORD.read_text(encoding="utf-8"))
    for r in raw["results"]:
        of_medians = r["keras_step_s"] * r["numpy_tokens_per_s"] / np.prod(r["shape"][2:])
        assert abs(np.log(of_medians / r["ratio"])) < 0.3, r["case"]


def test_median_seconds_is_the_median_of_its_repeats():
    calls = []
    assert timing.median_seconds(calls.append, 1, repeats=3) >= 0 and calls == [1, 1, 1]
