"""Timing: a median-of-repeats wall-clock timer, and the benchmark record chapter 06 prints.

Speed is measured in ``benchmarks/`` (``make bench``) and never asserted by a timer in a test;
chapters that show a timing print it as an illustration, next to what it measures.
Introduced in chapter 05 (:func:`median_seconds`); the record in chapter 06.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ._checks import check_int, describe

__all__ = ["BenchmarkResult", "format_benchmark_table", "load_benchmark", "median_seconds"]


def median_seconds(fn: Callable[..., object], *args, repeats: int = 5) -> float:
    """The median wall-clock time of ``fn(*args)`` over ``repeats`` calls, in seconds.

    Introduced in chapter 05.
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {describe(fn)}")
    repeats = check_int("repeats", repeats, minimum=1)
    times = []
    for _ in range(repeats):
        tic = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - tic)
    return statistics.median(times)


@dataclass
class BenchmarkResult:
    """One case of ``benchmarks/bench_rnn.py``: tokens per second of each contender."""

    case: str
    shape: tuple  # (vocab_size, num_hiddens, batch_size, num_steps)
    numpy_tokens_per_s: float
    keras_tokens_per_s: float
    ratio: float
    numpy_gflops: float
    matmul_gflops: float
    products_s: float  # the NumPy step's matrix products alone, each shape timed by itself
    keras_step_s: float  # the median Keras step, in its faster configuration
    keras_config: str  # which: "default" or "XLA"
    # the same NumPy step from another rnnbook (`make bench BENCH_ARGS="--baseline DIR"`)
    baseline_tokens_per_s: float | None = None

    @property
    def share(self) -> float:
        """The NumPy step's GFLOP/s as a fraction of np.matmul's, same run."""
        return self.numpy_gflops / self.matmul_gflops

    @property
    def bound(self) -> float:
        """Keras' step time over the NumPy step's matrix products alone: a ceiling on the ratio."""
        return self.keras_step_s / self.products_s


HEADER = (f"{'case':8s} {'shape (V, H, B, T)':20s} {'NumPy tok/s':>12s} {'Keras tok/s':>12s} "
          f"{'Keras':>7s} "
          f"{'ratio':>6s} {'NumPy GFLOP/s':>14s} {'matmul GFLOP/s':>15s} {'share':>6s} "
          f"{'bound':>6s}")


def _format_row(r: BenchmarkResult) -> str:
    row = (f"{r.case:8s} {str(tuple(r.shape)):20s} {r.numpy_tokens_per_s:12,.0f} "
           f"{r.keras_tokens_per_s:12,.0f} {r.keras_config:>7s} {r.ratio:6.2f} "
           f"{r.numpy_gflops:14.1f} {r.matmul_gflops:15.1f} {r.share:6.0%} {r.bound:6.2f}")
    if r.baseline_tokens_per_s is not None:
        row += f" {r.baseline_tokens_per_s:12,.0f}"
    return row


def load_benchmark(path: str | os.PathLike) -> tuple[dict, list[BenchmarkResult]]:
    """What a run of ``benchmarks/bench_rnn.py`` measured on (machine, versions, settings) and
    its results, from the JSON file it wrote. Introduced in chapter 06."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    results = [BenchmarkResult(**{**r, "shape": tuple(r["shape"])}) for r in data["results"]]
    return {**data["machine"], **data["settings"]}, results


def format_benchmark_table(info: dict, results: list[BenchmarkResult]) -> str:
    """The table `make bench` prints, with the machine it was measured on.

    Introduced in chapter 06.
    """
    header = HEADER + (f" {'baseline':>12s}" if any(
        r.baseline_tokens_per_s is not None for r in results) else "")
    lines = [f"Measured {info['date']} on {info['cpu']} ({info['cores']} cores), Python "
             f"{info['python']}, NumPy {info['numpy']}, TensorFlow {info['tensorflow']};",
             f"{info['repeats']} alternations of {info['steps']} training steps each; ratio = the "
             "median of the per-alternation ratios.", header]
    return "\n".join(lines + [_format_row(r) for r in results])
