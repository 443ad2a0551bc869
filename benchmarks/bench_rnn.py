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
prints (with this file's `format_table`), updated with
`make bench BENCH_OUT=benchmarks/results.json`.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import platform
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rnnbook import optim, rnn, tfsetup

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


@dataclass
class Result:
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

    @property
    def share(self) -> float:
        """The NumPy step's GFLOP/s as a fraction of np.matmul's, same run."""
        return self.numpy_gflops / self.matmul_gflops

    @property
    def bound(self) -> float:
        """Keras' step time over the NumPy step's matrix products alone: a ceiling on the ratio."""
        return self.keras_step_s / self.products_s


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


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        tic = time.perf_counter()
        fn()
        times.append(time.perf_counter() - tic)
    return statistics.median(times)


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


def bench_case(name: str, tf, keras, *, repeats: int, steps: int) -> Result:
    vocab_size, num_hiddens, batch_size, num_steps = CASES[name]
    rng = np.random.default_rng(0)
    X = rng.integers(0, vocab_size, (batch_size, num_steps))
    Y = rng.integers(0, vocab_size, (batch_size, num_steps))

    params = rnn.init_params(vocab_size, num_hiddens, vocab_size, rng=rng, dtype=np.float32)
    sgd = optim.SGD(lr=0.01)

    def numpy_steps():
        for _ in range(steps):
            _, grads, _ = rnn.loss_and_grads(params, X, Y)
            sgd.step(params, grads)

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
        numpy_steps()
        for model in models.values():
            keras_steps(model)
    numpy_times, keras_times = [], {config: [] for config in models}
    for _ in range(repeats):  # interleaved, so all see the same machine state
        time.sleep(PAUSE_S)
        numpy_times.append(median_time(numpy_steps, 1) / steps)
        for config, model in models.items():
            time.sleep(PAUSE_S)
            keras_times[config].append(median_time(lambda m=model: keras_steps(m), 1) / steps)
    config = min(keras_times, key=lambda c: statistics.median(keras_times[c]))
    ratios = [k / n for k, n in zip(keras_times[config], numpy_times, strict=True)]
    tokens = batch_size * num_steps
    t_np, t_keras = statistics.median(numpy_times), statistics.median(keras_times[config])

    # the step's largest product, dU = delta^T H_prev: (H, B*T) @ (B*T, H)
    a = rng.standard_normal((num_hiddens, tokens)).astype(np.float32)
    b = rng.standard_normal((tokens, num_hiddens)).astype(np.float32)
    t_mm = min(median_time(lambda: np.matmul(a, b), 5) for _ in range(3))
    return Result(name, CASES[name], tokens / t_np, tokens / t_keras, statistics.median(ratios),
                  step_flops(vocab_size, num_hiddens, batch_size, num_steps) / t_np / 1e9,
                  2.0 * num_hiddens * tokens * num_hiddens / t_mm / 1e9,
                  products_time(vocab_size, num_hiddens, batch_size, num_steps, rng), t_keras,
                  config)


def products_time(vocab_size: int, num_hiddens: int, batch_size: int, num_steps: int,
                  rng: np.random.Generator) -> float:
    """Seconds for the NumPy step's matrix products alone, each shape timed on its own.

    Per time step, forward h U^T and backward delta U: (B, H) @ (H, H), 2T of them; over the
    whole sequence, logits H V^T, V^T dC/do, dU, dW (one-hot) and dV.
    """
    H, V, BT = num_hiddens, vocab_size, batch_size * num_steps
    shapes = [((batch_size, H), (H, H), 2 * num_steps), ((BT, H), (H, V), 1),
              ((BT, V), (V, H), 1), ((H, BT), (BT, H), 1), ((H, BT), (BT, V), 1),
              ((V, BT), (BT, H), 1)]
    total = 0.0
    for a_shape, b_shape, count in shapes:
        a = rng.standard_normal(a_shape).astype(np.float32)
        b = rng.standard_normal(b_shape).astype(np.float32)
        out = np.empty((a_shape[0], b_shape[1]), dtype=np.float32)
        repeat = max(1, min(count, 50))  # small products: time a run of them, as the loop does

        def run(a=a, b=b, out=out, repeat=repeat):
            for _ in range(repeat):
                np.matmul(a, b, out=out)

        total += count * min(median_time(run, 5) for _ in range(3)) / repeat
    return total


HEADER = (f"{'case':8s} {'shape (V, H, B, T)':20s} {'NumPy tok/s':>12s} {'Keras tok/s':>12s} "
          f"{'Keras':>7s} "
          f"{'ratio':>6s} {'NumPy GFLOP/s':>14s} {'matmul GFLOP/s':>15s} {'share':>6s} "
          f"{'bound':>6s}")


def format_row(r: Result) -> str:
    return (f"{r.case:8s} {str(tuple(r.shape)):20s} {r.numpy_tokens_per_s:12,.0f} "
            f"{r.keras_tokens_per_s:12,.0f} {r.keras_config:>7s} {r.ratio:6.2f} "
            f"{r.numpy_gflops:14.1f} {r.matmul_gflops:15.1f} {r.share:6.0%} {r.bound:6.2f}")


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


def load_results(path: Path = RESULTS) -> tuple[dict, list[Result]]:
    """What a run measured on (machine, versions, settings) and its results."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    results = [Result(**{**r, "shape": tuple(r["shape"])}) for r in data["results"]]
    return {**data["machine"], **data["settings"]}, results


def format_table(info: dict, results: list[Result]) -> str:
    """The table `make bench` prints, with the machine it was measured on."""
    lines = [f"Measured {info['date']} on {info['cpu']} ({info['cores']} cores), Python "
             f"{info['python']}, NumPy {info['numpy']}, TensorFlow {info['tensorflow']};",
             f"{info['repeats']} alternations of {info['steps']} training steps each; ratio = the "
             "median of the per-alternation ratios.", HEADER]
    return "\n".join(lines + [format_row(r) for r in results])


def main(argv: list[str] | None = None) -> list[Result]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", choices=sorted(CASES), default=list(CASES))
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--steps", type=int, default=3, help="training steps per timing")
    parser.add_argument("--output", type=Path, default=RESULTS,
                        help="where to write the results as JSON (default: %(default)s)")
    args = parser.parse_args(argv)
    tf = tfsetup.import_tensorflow(onednn=True)
    keras = tf.keras
    results = []
    print(HEADER)
    for name in args.cases:
        r = bench_case(name, tf, keras, repeats=args.repeats, steps=args.steps)
        results.append(r)
        print(format_row(r), flush=True)
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
