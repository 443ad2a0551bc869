"""Throughput of one training step: rnnbook's NumPy RNN against an equivalent Keras model.

Both models are the book's character RNN: one-hot input (vocab_size) -> tanh recurrence with
num_hiddens units -> dense output (vocab_size), float32, softmax cross-entropy, one plain SGD
update per step. Keras runs with TensorFlow's default oneDNN kernels on, and is timed both in its
default configuration and compiled by XLA (jit_compile=True, which Keras leaves off on a CPU);
the faster of the two counts, so Keras is measured at its best. Both read the same characters:
Keras as one-hot vectors, multiplied by its input kernel, NumPy by picking the kernel's column
for each character (the same result; how rnnbook treats integer inputs). The two are timed in
the same process, interleaved, after a warm-up; the script prints tokens per second for each,
their ratio (the median of the per-repeat ratios), and the NumPy step's achieved GFLOP/s next to
np.matmul's on the step's largest matrix product, measured in the same run.
The last column, "bound", is the ratio NumPy would reach if it spent no time outside its matrix
products and each of them (two per time step, five over the whole sequence) ran as fast as
np.matmul runs that shape alone in the same run: a ceiling for any NumPy step built from these
products, on this machine.

Run it with `make bench` (which lets NumPy use every core, as TensorFlow does), or
`python benchmarks/bench_rnn.py --cases default small long`. It writes what it measured, with the
machine and the versions, to a JSON file; benchmarks/results.json is the record that chapter 06
prints (with `rnnbook.timing.format_benchmark_table`), updated with
`make bench BENCH_OUT=benchmarks/results.json`.

`--baseline DIR` also times, interleaved with the rest, the same NumPy step from the rnnbook
package in DIR (for example a checkout of an earlier commit, `git worktree add DIR COMMIT`), and
reports its tokens per second in the "baseline" column: before and after, in one run.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import importlib.util
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from rnnbook import optim, rnn, tfsetup
from rnnbook.timing import HEADER, BenchmarkResult, _format_row, median_seconds

RESULTS = Path(__file__).with_name("results.json")
# Both libraries keep idle worker threads spinning for a moment after a call; a short pause before
# each timed block lets them settle, so neither is timed while the other's threads still compete
# for the cores.
PAUSE_S = 0.1

CASES = {  # name: (vocab_size, num_hiddens, batch_size, num_steps)
    "default": (65, 256, 64, 100),
    "small": (65, 64, 64, 100),
    "long": (65, 256, 64, 400),
}


def step_flops(vocab_size: int, num_hiddens: int, batch_size: int, num_steps: int) -> float:
    """Floating-point operations of one NumPy training step (multiply-adds count as 2).

    Forward: h @ U.T per step and the output layer; backward: dlogits @ V, delta @ U per step,
    and the weight gradients dW (one-hot matmul), dU and dV as single products over time. The
    one-hot product's multiplications by zero are counted as the product performs them, so the
    useful work is about 6% less than this at 256 units.
    """
    tokens, H, V = batch_size * num_steps, num_hiddens, vocab_size
    forward = tokens * (2 * H * H + 2 * H * V)
    backward = tokens * (2 * V * H + 2 * H * H + 2 * H * V + 2 * H * H + 2 * V * H)
    return float(forward + backward)


KERAS_CONFIGS = ("default", "XLA")


def keras_model(keras, vocab_size: int, num_hiddens: int, num_steps: int, *, jit_compile: bool):
    """One-hot input -> SimpleRNN -> Dense, plain SGD, softmax cross-entropy on the logits."""
    model = keras.Sequential([
        keras.Input((num_steps, vocab_size)),
        keras.layers.SimpleRNN(num_hiddens, return_sequences=True),
        keras.layers.Dense(vocab_size),
    ])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  jit_compile=jit_compile)
    return model


def bench_case(name: str, tf, keras, *, repeats: int, steps: int,
               baseline=None) -> BenchmarkResult:
    vocab_size, num_hiddens, batch_size, num_steps = CASES[name]
    rng = np.random.default_rng(0)
    X = rng.integers(0, vocab_size, (batch_size, num_steps))
    Y = rng.integers(0, vocab_size, (batch_size, num_steps))

    params = rnn.init_params(vocab_size, num_hiddens, vocab_size, rng=rng, dtype=np.float32)
    sgd = optim.SGD(lr=0.01)

    def numpy_steps(rnn=rnn, optim=optim, params=params, sgd=sgd):
        for _ in range(steps):
            _, grads, _ = rnn.loss_and_grads(params, X, Y)
            sgd.step(params, grads)

    contenders = {"numpy": numpy_steps}
    if baseline is not None:  # the other rnnbook's step, on a copy of the same parameters
        old_rnn, old_optim = baseline
        old_params = {k: v.copy() for k, v in params.items()}
        old_sgd = old_optim.SGD(lr=0.01)

        def baseline_steps():
            numpy_steps(old_rnn, old_optim, old_params, old_sgd)

        contenders["baseline"] = baseline_steps

    X_onehot = tf.one_hot(X, vocab_size, dtype=tf.float32)
    Y_tf = tf.constant(Y)
    # Keras in its two CPU configurations: the default (TensorFlow graph, oneDNN kernels) and
    # compiled by XLA (jit_compile=True, which Keras leaves off on a CPU). The faster one counts.
    models = {config: keras_model(keras, vocab_size, num_hiddens, num_steps,
                                  jit_compile=config == "XLA") for config in KERAS_CONFIGS}

    def keras_steps(model):
        for _ in range(steps):
            model.train_on_batch(X_onehot, Y_tf)

    for _ in range(2):  # warm-up: tracing, compilation, allocation, caches
        for run in contenders.values():
            run()
        for model in models.values():
            keras_steps(model)
    times = {name: [] for name in contenders}
    keras_times = {config: [] for config in models}
    for _ in range(repeats):  # interleaved, so all see the same machine state
        for contender, run in contenders.items():
            time.sleep(PAUSE_S)
            times[contender].append(median_seconds(run, repeats=1) / steps)
        for config, model in models.items():
            time.sleep(PAUSE_S)
            keras_times[config].append(
                median_seconds(lambda m=model: keras_steps(m), repeats=1) / steps)
    numpy_times = times["numpy"]
    config = min(keras_times, key=lambda c: statistics.median(keras_times[c]))
    ratios = [k / n for k, n in zip(keras_times[config], numpy_times, strict=True)]
    tokens = batch_size * num_steps
    t_np, t_keras = statistics.median(numpy_times), statistics.median(keras_times[config])

    # the step's largest product, dU = delta^T H_prev: (H, B*T) @ (B*T, H)
    a = rng.standard_normal((num_hiddens, tokens)).astype(np.float32)
    b = rng.standard_normal((tokens, num_hiddens)).astype(np.float32)
    t_mm = min(median_seconds(lambda: np.matmul(a, b), repeats=5) for _ in range(3))
    baseline_speed = (tokens / statistics.median(times["baseline"])
                      if "baseline" in times else None)
    return BenchmarkResult(
        name, CASES[name], tokens / t_np, tokens / t_keras, statistics.median(ratios),
        step_flops(vocab_size, num_hiddens, batch_size, num_steps) / t_np / 1e9,
        2.0 * num_hiddens * tokens * num_hiddens / t_mm / 1e9,
        products_time(vocab_size, num_hiddens, batch_size, num_steps, rng), t_keras, config,
        baseline_speed)


def step_products(vocab_size: int, num_hiddens: int, batch_size: int,
                  num_steps: int) -> list[tuple[tuple[int, int], tuple[int, int], int]]:
    """The matrix products of one NumPy training step: ``(a_shape, b_shape, how many)``.

    Per time step, forward h U^T and backward delta U: (B, H) @ (H, H), 2T of them; over the
    whole sequence, logits H V^T, V^T dC/do, dU, dW (one-hot) and dV.
    """
    H, V, BT = num_hiddens, vocab_size, batch_size * num_steps
    return [((batch_size, H), (H, H), 2 * num_steps), ((BT, H), (H, V), 1),
            ((BT, V), (V, H), 1), ((H, BT), (BT, H), 1), ((H, BT), (BT, V), 1),
            ((V, BT), (BT, H), 1)]


def products_time(vocab_size: int, num_hiddens: int, batch_size: int, num_steps: int,
                  rng: np.random.Generator) -> float:
    """Seconds for the NumPy step's matrix products alone (:func:`step_products`), each shape
    timed on its own."""
    total = 0.0
    for a_shape, b_shape, count in step_products(vocab_size, num_hiddens, batch_size, num_steps):
        a = rng.standard_normal(a_shape).astype(np.float32)
        b = rng.standard_normal(b_shape).astype(np.float32)
        out = np.empty((a_shape[0], b_shape[1]), dtype=np.float32)
        repeat = max(1, min(count, 50))  # small products: time a run of them, as the loop does

        def run(a=a, b=b, out=out, repeat=repeat):
            for _ in range(repeat):
                np.matmul(a, b, out=out)

        total += count * min(median_seconds(run, repeats=5) for _ in range(3)) / repeat
    return total


def machine() -> dict:
    """What the numbers were measured on: CPU, cores, library versions, date."""
    import numpy
    import tensorflow as tf
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"date": datetime.date.today().isoformat(), "cpu": cpu, "cores": os.cpu_count(),
            "python": platform.python_version(), "numpy": numpy.__version__,
            "tensorflow": tf.__version__}


def load_baseline(folder: Path):
    """``(rnn, optim)`` of the rnnbook package in ``folder``, imported as ``baseline_rnnbook``."""
    spec = importlib.util.spec_from_file_location(
        "baseline_rnnbook", folder / "rnnbook" / "__init__.py",
        submodule_search_locations=[str(folder / "rnnbook")])
    package = importlib.util.module_from_spec(spec)
    sys.modules["baseline_rnnbook"] = package
    spec.loader.exec_module(package)
    return package.rnn, package.optim


def main(argv: list[str] | None = None) -> list[BenchmarkResult]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", choices=sorted(CASES), default=list(CASES))
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--steps", type=int, default=3, help="training steps per timing")
    parser.add_argument("--output", type=Path, default=RESULTS,
                        help="where to write the results as JSON (default: %(default)s)")
    parser.add_argument("--baseline", type=Path, default=None, metavar="DIR",
                        help="also time the NumPy step of the rnnbook package in DIR")
    args = parser.parse_args(argv)
    baseline = None if args.baseline is None else load_baseline(args.baseline)
    tf = tfsetup.import_tensorflow(onednn=True)
    keras = tf.keras
    results = []
    print(HEADER + (f" {'baseline':>12s}" if baseline else ""))
    for name in args.cases:
        r = bench_case(name, tf, keras, repeats=args.repeats, steps=args.steps,
                       baseline=baseline)
        results.append(r)
        print(_format_row(r), flush=True)
    info = machine()
    args.output.write_text(json.dumps(
        {"machine": info, "settings": {"repeats": args.repeats, "steps": args.steps,
                                       "pause_s": PAUSE_S},
         "results": [dataclasses.asdict(r) for r in results]}, indent=1) + "\n",
        encoding="utf-8")
    print(f"written to {args.output}")
    return results


if __name__ == "__main__":
    main()
