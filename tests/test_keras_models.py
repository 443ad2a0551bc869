"""rnnbook's Keras side (keras_models, keras_training, keras_data, keras_generation): parity
with the NumPy model, the seed scheme, training steps, keep-the-best, padding, generation,
saving, errors."""

import subprocess
import sys

import numpy as np
import pytest

from conftest import random_problem
from rnnbook import data, rnn, train

km = pytest.importorskip("rnnbook.keras_models")
from rnnbook import keras_data as kd  # noqa: E402 (after TensorFlow, which km imports)
from rnnbook import keras_generation as kg  # noqa: E402
from rnnbook import keras_training as kt  # noqa: E402

tf, keras = km.tf, km.keras

VOCAB = data.Vocab.from_text("abcdefgh ")


@pytest.fixture
def ids(rng):
    return rng.integers(0, VOCAB.size, 400)


def tiny_model(kind="gru", **kwargs):
    return km.build_char_model(VOCAB.size, kind=kind, units=6, embedding_dim=4, **kwargs)


def one_hot(X, size):
    return np.eye(size, dtype=np.float32)[X]


@pytest.mark.parametrize("kind", ["book", "simple_rnn"])
def test_from_numpy_matches_numpy_forward(rng, kind):
    params, X, _, _ = random_problem(rng, batch_size=3, num_steps=7, input_size=5, num_hiddens=6,
                                     output_size=5)
    expected, _ = rnn.forward(params, X)
    got = km.from_numpy(params, kind=kind)(one_hot(X, 5)).numpy()
    assert np.abs(got - expected).max() < 1e-5


def test_elman_cell_gradients_match_bptt(rng):
    params, X, Y, _ = random_problem(rng, batch_size=3, num_steps=7, input_size=5, num_hiddens=6,
                                     output_size=5)
    _, grads, _ = rnn.loss_and_grads(params, X, Y)
    model = km.from_numpy(params)
    cell, head = model.get_layer("rnn").cell, model.get_layer("logits")
    with tf.GradientTape() as tape:
        logits = model(one_hot(X, 5))
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(Y, logits,
                                                                           from_logits=True))
    got = tape.gradient(loss, [cell.W, cell.U, cell.b, head.kernel, head.bias])
    got = dict(zip(rnn.PARAM_NAMES, (np.asarray(g) for g in got), strict=True))
    got["V"] = got["V"].T
    for k in rnn.PARAM_NAMES:
        assert np.abs(got[k] - grads[k]).max() < 1e-5 * np.abs(grads[k]).max(), k


def test_elman_cell_relu_matches_numpy(rng):
    params = rnn.init_params(5, 4, 5, U_init="identity", rng=rng)
    X = rng.integers(0, 5, (2, 6))
    layer = keras.layers.RNN(km.ElmanCell(4, activation="relu"), return_sequences=True)
    layer(one_hot(X, 5))
    for name in ("W", "U", "b"):
        getattr(layer.cell, name).assign(params[name])
    _, cache = rnn.forward(params, X, activation="relu")
    assert np.abs(layer(one_hot(X, 5)).numpy() - cache.H).max() < 1e-5


@pytest.mark.parametrize("kind", km.RNN_KINDS)
def test_char_model_shapes_and_seeded_init(kind):
    a, b = tiny_model(kind, seed=3), tiny_model(kind, seed=3)
    x = np.zeros((2, 5), dtype=np.int32)
    assert a(x).shape == (2, 5, VOCAB.size)
    assert all(np.array_equal(u, v) for u, v in zip(a.get_weights(), b.get_weights(), strict=True))
    c = tiny_model(kind, seed=4)
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])


def test_generate_carries_state_like_rereading(ids):
    model = tiny_model("lstm")  # two states: h and the cell
    text = kg.generate(model, VOCAB, "abc", 12, temperature=1e-6)
    reread = "abc"
    for _ in range(12):
        reread += VOCAB.chars[int(model(VOCAB.encode(reread)[None])[0, -1].numpy().argmax())]
    assert text == reread


def test_generate_is_reproducible_with_a_seed():
    model = tiny_model()
    first = kg.generate(model, VOCAB, "ab", 20, temperature=1.0, rng=5)
    assert first == kg.generate(model, VOCAB, "ab", 20, temperature=1.0, rng=5)
    assert len(first) == 22 and set(first) <= set(VOCAB.chars)


def test_stream_bits_per_char_matches_numpy(rng):
    # An identity embedding of width vocab_size makes the Keras model the NumPy model.
    params = rnn.init_params(VOCAB.size, 5, VOCAB.size, rng=rng)
    ids = rng.integers(0, VOCAB.size, 300)
    model = km.build_char_model(VOCAB.size, kind="book", units=5, embedding_dim=VOCAB.size)
    model.get_layer("embedding").set_weights([np.eye(VOCAB.size, dtype=np.float32)])
    cell = model.get_layer("rnn").cell
    for name in ("W", "U", "b"):
        getattr(cell, name).assign(params[name])
    model.get_layer("logits").set_weights([params["V"].T, params["c"]])
    assert abs(kt.stream_bits_per_char(model, ids) - train.evaluate_bpc(params, ids)) < 1e-4


def test_tape_model_equals_fit_with_sgd(ids):
    ds = kd.char_dataset(ids, 10, 4)

    def trained(clip_norm):
        model = tiny_model(clip_norm=clip_norm)
        model.compile(optimizer=keras.optimizers.SGD(0.5),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        history = model.fit(ds, epochs=1, shuffle=False, verbose=0)
        return model.get_weights(), history.history

    plain, _ = trained(None)
    tape, history = trained(1e9)
    assert max(np.abs(a - b).max() for a, b in zip(plain, tape, strict=True)) < 1e-6
    assert history["grad_norm"][0] > 0


def test_tape_model_reports_no_grad_norm_on_validation(ids):
    model = tiny_model(clip_norm=1.0)
    kt.compile_char_model(model, clip_norm=None)
    ds = kd.char_dataset(ids, 10, 4)
    history = model.fit(ds, validation_data=ds, epochs=1, shuffle=False, verbose=0).history
    assert "grad_norm" in history and "val_grad_norm" not in history


def test_tape_model_clips_to_the_threshold(ids):
    x, y = next(iter(kd.char_dataset(ids, 10, 4)))
    model = tiny_model(clip_norm=1e-3)
    model.compile(optimizer=keras.optimizers.SGD(1.0),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    before = model.get_weights()
    model.train_on_batch(x, y)
    step = np.sqrt(sum(float(((a - b) ** 2).sum())
                       for a, b in zip(model.get_weights(), before, strict=True)))
    assert abs(step - 1e-3) < 1e-6  # lr 1 times a gradient clipped to norm 1e-3


def test_char_dataset_windows(ids):
    ds = kd.char_dataset(ids, 9, 4)
    batches = list(ds)
    assert len(batches) == (ids.size // 10) // 4
    x, y = batches[0]
    assert x.shape == (4, 9) and np.array_equal(x.numpy()[0], ids[:9])
    assert np.array_equal(y.numpy()[0], ids[1:10])
    shuffled = kd.char_dataset(ids, 9, 4, shuffle=True, seed=1)
    first = [b[0].numpy() for b in shuffled]
    assert sorted(map(bytes, np.concatenate(first))) == sorted(
        map(bytes, np.concatenate([b[0].numpy() for b in batches])))


def test_save_and_load_round_trip(tmp_path):
    model = kt.compile_char_model(tiny_model("book", clip_norm=2.0), clip_norm=None)
    before = kg.generate(model, VOCAB, "ab", 15, rng=2)
    model.save(tmp_path / "m.keras")
    reloaded = keras.models.load_model(tmp_path / "m.keras")
    assert isinstance(reloaded, kt.ClippedTapeModel) and reloaded.clip_norm == 2.0
    assert kg.generate(reloaded, VOCAB, "ab", 15, rng=2) == before
    model.save_weights(tmp_path / "m.weights.h5")
    other = tiny_model("book", seed=9, clip_norm=2.0)
    other.load_weights(tmp_path / "m.weights.h5")
    assert kg.generate(other, VOCAB, "ab", 15, rng=2) == before


def test_char_model_has_the_parameters_of_its_formula():
    model = km.build_char_model(10, kind="simple_rnn", units=3, embedding_dim=2)
    assert model.count_params() == 10 * 2 + (2 * 3 + 3 * 3 + 3) + (3 * 10 + 10)


def test_initializers_draw_one_seed_after_another():
    init = km.Initializers(5)
    assert [init.next_seed(), init.glorot().seed, init.orthogonal(2.0).seed] == [5, 6, 7]
    assert init.orthogonal(2.0).gain == 2.0
    layer = km.recurrent_layer("gru", 3, seed=km.Initializers(5), recurrent_gain=0.5)
    assert (layer.cell.kernel_initializer.seed, layer.cell.recurrent_initializer.seed) == (5, 6)
    assert layer.cell.recurrent_initializer.gain == 0.5
    with pytest.raises(ValueError, match="recurrent_gain"):
        km.recurrent_layer("book", 3, recurrent_gain=2.0)


def test_keep_best_restores_the_best_epoch_and_never_stops(rng):
    x = rng.standard_normal((64, 3)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5], dtype="float32"))[:, None]
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(
        1, kernel_initializer=km.Initializers(0).glorot())])
    model.compile(optimizer=keras.optimizers.SGD(0.9), loss="mse")  # too large: it diverges
    snapshots = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: weights.append(model.get_weights()))
    weights = []
    history, best = kt.fit_keeping_best(model, x, y, validation_data=(x, y), epochs=6,
                                        batch_size=64, callbacks=[snapshots])
    assert len(history["val_loss"]) == 6  # every epoch ran
    assert best == 1 + int(np.argmin(history["val_loss"])) < 6
    for now, then in zip(model.get_weights(), weights[best - 1], strict=True):
        np.testing.assert_array_equal(now, then)
    with pytest.raises(KeyError, match="val_acc"):
        kt.fit_keeping_best(model, x, y, epochs=1, monitor="val_acc")


def test_padding_gaps_is_round_off_with_a_mask_and_large_without(rng):
    seqs = [rng.standard_normal((n, 2)).astype("float32") for n in (2, 5, 3)]
    padded = kd.pad(seqs, value=-1.0)
    assert padded.shape == (3, 5, 2) and (padded[0, 2:] == -1.0).all()
    gaps = {}
    for masked in (True, False):
        x = keras.Input((None, 2))
        h = keras.layers.Masking(-1.0)(x) if masked else x
        out = keras.layers.Dense(2)(km.recurrent_layer("gru", 4, seed=0)(h))
        model = keras.Model(x, out)
        gaps[masked] = kd.padding_gaps(lambda a, m=model: m.predict(a, verbose=0), seqs,
                                       value=-1.0)
    assert max(gaps[True]) < 1e-5 < min(gaps[False])
    probs = kt.probabilities(model, padded)
    np.testing.assert_allclose(probs.sum(-1), 1.0)


@pytest.mark.parametrize("call, error, message", [
    (lambda: km.build_char_model(1), ValueError, "vocab_size must be >= 2"),
    (lambda: km.build_char_model(5.0), TypeError, "vocab_size must be an integer"),
    (lambda: km.build_char_model(5, kind="rnn"), ValueError, "kind must be one of"),
    (lambda: km.build_char_model(5, units=0), ValueError, "units must be >= 1"),
    (lambda: km.build_char_model(5, dropout=1.0), ValueError, "dropout must be < 1.0"),
    (lambda: km.build_char_model(5, clip_norm=0.0), ValueError, "clip_norm must be > 0"),
    (lambda: km.ElmanCell(4, activation="sigmoid"), ValueError, "activation must be"),
    (lambda: kd.char_dataset(np.arange(10), 0, 2), ValueError, "num_steps must be >= 1"),
    (lambda: kd.char_dataset(np.arange(10), 10, 1), ValueError, "num_steps must leave"),
    (lambda: kd.char_dataset(np.arange(30), 4, 7), ValueError, "batch_size must be <="),
    (lambda: kd.char_dataset(np.arange(30.0), 4, 2), TypeError, "ids must have an integer"),
    (lambda: kt.compile_char_model("model"), TypeError, "model must be a keras.Model"),
    (lambda: kt.compile_char_model(tiny_model(clip_norm=1.0), clip_norm=5.0), ValueError,
     "clip_norm must be None or the model's own 1.0"),
    (lambda: km.from_numpy({"W": np.ones((2, 3))}), ValueError, "params is missing"),
    (lambda: km.from_numpy(rnn.init_params(3, 2, 3), kind="gru"), ValueError,
     "kind must be 'book' or 'simple_rnn'"),
])
def test_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("kwargs, error, message", [
    ({"temperature": 0.0}, ValueError, "temperature must be > 0"),
    ({"temperature": "hot"}, TypeError, "temperature must be a real number"),
    ({"prompt": "abz"}, ValueError, "prompt: text contains 'z' at position 2"),
    ({"prompt": ""}, ValueError, "prompt must be a non-empty string"),
    ({"num_chars": -1}, ValueError, "num_chars must be >= 0"),
    ({"top_k": 0}, ValueError, "top_k must be >= 1"),
    ({"vocab": data.Vocab.from_text("ab")}, ValueError, "vocab must have the model's 9"),
    ({"vocab": "abc"}, TypeError, "vocab must be a Vocab"),
    ({"model": keras.Sequential([keras.layers.Dense(2)])}, ValueError,
     "layers named 'embedding', 'rnn' and 'logits'"),
    ({"model": None}, TypeError, "model must be a keras.Model"),
])
def test_generate_rejects(kwargs, error, message):
    args = {"model": tiny_model(), "vocab": VOCAB, "prompt": "ab", "num_chars": 3, **kwargs}
    model, vocab, prompt, num_chars = (args.pop(k) for k in ("model", "vocab", "prompt",
                                                             "num_chars"))
    with pytest.raises(error, match=message):
        kg.generate(model, vocab, prompt, num_chars, **args)


def test_stream_bits_per_char_rejects():
    with pytest.raises(ValueError, match=r"ids must hold ids in \[0, 8\]"):
        kt.stream_bits_per_char(tiny_model(), np.array([0, 9]))
    with pytest.raises(ValueError, match="at least 2 characters"):
        kt.stream_bits_per_char(tiny_model(), np.array([1]))


def test_two_cpu_devices_and_mirrored_training_in_a_fresh_process():
    code = """
import numpy as np
from rnnbook import tfsetup
tf = tfsetup.import_tensorflow(cpu_devices=2)
from rnnbook import keras_data
from rnnbook import keras_models as km
import keras
assert len(tf.config.list_logical_devices("CPU")) == 2
ids = np.random.default_rng(0).integers(0, 5, 400)
ds = keras_data.char_dataset(ids, 10, 4).take(3)
def weights(strategy):
    with strategy.scope():
        m = km.build_char_model(5, units=4, embedding_dim=3, clip_norm=0.01)
        m.compile(optimizer=keras.optimizers.SGD(0.5),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    m.fit(ds, epochs=1, shuffle=False, verbose=0)
    return m.get_weights()
one = weights(tf.distribute.get_strategy())
two = weights(tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"]))
print(max(float(np.abs(a - b).max()) for a, b in zip(one, two)))
try:
    tfsetup.import_tensorflow(cpu_devices=1)
except RuntimeError as err:
    print("refused:", err)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    gap, refused = out.stdout.strip().splitlines()[-2:]
    assert float(gap) < 1e-6
    assert refused.startswith("refused: TensorFlow is already initialised with 2 logical CPU")
