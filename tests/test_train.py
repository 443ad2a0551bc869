"""The training loop: it learns, stops loudly on divergence, restores the best epoch."""

import numpy as np
import pytest

from rnnbook import data, losses, optim, rnn, tasks, train

# a synthetic periodic text (ids 0..3 repeating with a little noise) that a small RNN can learn
_rng = np.random.default_rng(0)
PERIODIC = np.tile(np.array([0, 1, 2, 3, 2, 1]), 300)
PERIODIC[_rng.random(PERIODIC.size) < 0.02] = 3


def small_params(seed=0):
    return rnn.init_params(4, 16, 4, rng=seed, dtype=np.float32)


def test_training_learns_a_periodic_sequence():
    params = small_params()
    history = train.train_rnn(params, PERIODIC[:1500], PERIODIC[1500:], optimizer=optim.Adam(0.01),
                              epochs=6, batch_size=8, num_steps=20, clip_norm=5.0, rng=0,
                              log=lambda line: None)
    assert history.val_bpc[-1] < 0.6 < history.val_bpc[0]
    assert len(history.train_bpc) == len(history.grad_norm) == 6


def test_evaluate_bpc_reads_the_whole_text_as_one_stream():
    params = small_params(3)
    ids = PERIODIC[:300]
    h, total = None, 0.0
    for t in range(ids.size - 1):  # an independent step-by-step computation
        o, h = rnn.rnn_step(params, ids[t:t + 1], h)
        total -= losses.log_softmax(o.astype(np.float64))[0, ids[t + 1]]
    expected = total / (ids.size - 1) / np.log(2)
    assert train.evaluate_bpc(params, ids) == pytest.approx(expected, rel=1e-5)
    assert train.evaluate_bpc(params, ids, chunk=7) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("partition", ["sequential", "random"])
def test_state_is_carried_only_in_the_sequential_partition(monkeypatch, partition):
    calls = []

    def spy(params, X, h0, activation):
        logits, cache = rnn.forward(params, X, h0, activation=activation)
        calls.append((h0, cache.h_last))
        return logits, cache

    monkeypatch.setattr(train, "_forward", spy)
    train.train_rnn(small_params(), PERIODIC, optimizer=optim.SGD(0.1), epochs=2, batch_size=8,
                    num_steps=20, partition=partition, rng=0, log=lambda line: None)
    per_epoch = len(calls) // 2
    for epoch in range(2):
        first, *rest = calls[epoch * per_epoch:(epoch + 1) * per_epoch]
        assert not first[0].any()  # every epoch starts from a zero state
        for (_, previous_last), (h0, _) in zip(calls[epoch * per_epoch:], rest, strict=False):
            if partition == "sequential":
                np.testing.assert_array_equal(h0, previous_last)
            else:
                assert not h0.any()


def test_random_partition_and_truncation_also_learn():
    params = small_params()
    history = train.train_rnn(params, PERIODIC, optimizer=optim.Adam(0.01), epochs=6,
                              batch_size=8, num_steps=20, partition="random", truncate=5,
                              rng=0, log=lambda line: None)
    assert history.train_bpc[-1] < 0.5 * history.train_bpc[0]
    assert history.val_bpc == []


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")
@pytest.mark.parametrize("lr", [1e38, 1e39])
def test_divergence_is_caught_with_a_clear_error(lr):
    params = small_params()
    with pytest.raises(train.TrainingDivergedError, match="lower the learning rate"):
        train.train_rnn(params, PERIODIC[:200], optimizer=optim.SGD(lr), epochs=3, batch_size=8,
                        num_steps=20, rng=0, log=lambda line: None)


def test_restore_best_puts_back_the_best_epoch():
    params = small_params()
    snapshots = {}
    history = train.train_rnn(params, PERIODIC[:1500], PERIODIC[1500:],
                              optimizer=optim.SGD(3.0), epochs=5, batch_size=8, num_steps=20,
                              restore_best=True, rng=0, log=lambda line: None,
                              on_epoch=lambda e, p: snapshots.update({e: p["U"].copy()}))
    assert history.val_bpc[history.best_epoch - 1] == min(history.val_bpc)
    assert history.best_epoch < 5  # else the last epoch's parameters would pass untouched
    np.testing.assert_array_equal(params["U"], snapshots[history.best_epoch])


def test_progress_bar_only_on_a_terminal_outside_ci(monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.delenv("CI", raising=False)
    assert train.progress_enabled()
    monkeypatch.setenv("CI", "true")
    assert not train.progress_enabled()
    monkeypatch.delenv("CI")
    monkeypatch.setattr("sys.stdout.isatty", lambda: False)
    assert not train.progress_enabled()


def test_logging_every_few_epochs_and_silent_progress(monkeypatch, capsys):
    monkeypatch.setenv("CI", "true")
    train.train_rnn(small_params(), PERIODIC, optimizer=optim.Adam(0.01), epochs=4,
                    batch_size=8, num_steps=20, log_every=2, rng=0)
    out = capsys.readouterr()
    assert out.out.count("\n") == 2 and "epoch   2/4" in out.out and "epoch   4/4" in out.out
    assert out.err == ""  # no progress bar


def test_bits():
    assert losses.bits(np.log(2.0)) == pytest.approx(1.0)


@pytest.mark.parametrize("kwargs, exc, words", [
    (dict(optimizer="adam"), TypeError, "optimizer must be"),
    (dict(epochs=0), ValueError, "epochs must be >= 1"),
    (dict(partition="shuffled"), ValueError, "partition must be"),
    (dict(clip_norm=0.0), ValueError, "clip_norm must be > 0"),
    (dict(truncate=0), ValueError, "truncate must be >= 1"),
    (dict(restore_best=True), ValueError, "restore_best=True needs val_ids"),
    (dict(num_steps=5000), ValueError, "train_ids of length 1800 is too short"),
    (dict(num_steps=0), ValueError, "num_steps must be >= 1"),
    (dict(batch_size=2.0), TypeError, "batch_size must be an integer"),
    (dict(train_ids=PERIODIC + 4), ValueError, r"train_ids must hold ids in \[0, 3\]"),
    (dict(train_ids=PERIODIC.astype(float)), TypeError, "train_ids must have an integer"),
    (dict(val_ids=PERIODIC[:1]), ValueError, "val_ids must hold at least 2"),
    (dict(val_ids=PERIODIC + 1), ValueError, r"val_ids must hold ids in \[0, 3\]"),
])
def test_rejects(kwargs, exc, words):
    args = dict(optimizer=optim.SGD(0.1), epochs=1, batch_size=4, num_steps=10) | kwargs
    train_ids = args.pop("train_ids", PERIODIC)
    with pytest.raises(exc, match=words):
        train.train_rnn(small_params(), train_ids, **args)


def test_evaluate_bpc_rejects():
    with pytest.raises(ValueError, match=r"ids must hold ids in \[0, 3\]"):
        train.evaluate_bpc(small_params(), PERIODIC + 1)
    with pytest.raises(ValueError, match="at least 2 characters"):
        train.evaluate_bpc(small_params(), PERIODIC[:1])
    with pytest.raises(ValueError, match="chunk must be >= 1"):
        train.evaluate_bpc(small_params(), PERIODIC, chunk=0)


def test_history_records_how_often_clipping_fired():
    history = train.train_rnn(small_params(), PERIODIC, optimizer=optim.Adam(0.01), epochs=2,
                              batch_size=8, num_steps=20, clip_norm=1e-6, rng=0,
                              log=lambda line: None)
    assert history.clipped_share == [1.0, 1.0]  # a tiny threshold clips every update
    history = train.train_rnn(small_params(), PERIODIC, optimizer=optim.Adam(0.01), epochs=1,
                              batch_size=8, num_steps=20, clip_norm=1e6, rng=0,
                              log=lambda line: None)
    assert history.clipped_share == [0.0]


def echo_batches(rng, n, *, batch_size=32, num_steps=10, delay=2):
    return [tasks.delayed_echo(batch_size, num_steps, delay, rng=rng) for _ in range(n)]


def test_fit_steps_learns_a_masked_task_and_records_every_update(rng):
    params = rnn.init_params(4, 16, 4, rng=rng, dtype=np.float32)
    history = train.fit_steps(params, echo_batches(rng, 150), optimizer=optim.Adam(0.02),
                              clip_norm=1.0)
    assert len(history.loss) == len(history.grad_norm) == 150
    X, Y, mask = tasks.delayed_echo(300, 10, 2, rng=rng)
    assert train.evaluate_accuracy(params, X, Y, mask) > 0.9
    assert history.loss[-1] < 0.3 * history.loss[0]


def test_fit_steps_is_the_loop_it_replaces(rng):
    batches = echo_batches(rng, 5)
    params = rnn.init_params(4, 8, 4, rng=1)
    by_hand = {k: v.copy() for k, v in params.items()}
    adam = optim.Adam(0.01)
    for X, Y, mask in batches:
        _, grads, _ = rnn.loss_and_grads(by_hand, X, Y, mask=mask)
        adam.step(by_hand, optim.clip_by_global_norm(grads, 0.5)[0])
    train.fit_steps(params, batches, optimizer=optim.Adam(0.01), clip_norm=0.5)
    for key in params:
        np.testing.assert_array_equal(params[key], by_hand[key])


def test_fit_steps_carries_the_state_only_when_asked(monkeypatch, rng):
    seen = []

    def spy(params, X, h0, activation):
        seen.append(h0.copy())
        return rnn.forward(params, X, h0, activation=activation)

    monkeypatch.setattr(train, "_forward", spy)
    ids = rng.integers(0, 5, 200)
    batches = list(data.sequential_batches(ids, 4, 10))[:3]
    for carry in (False, True):
        seen.clear()
        train.fit_steps(rnn.init_params(5, 6, 5, rng=0), batches, optimizer=optim.SGD(0.1),
                        carry_state=carry)
        assert not seen[0].any() and all(h.any() == carry for h in seen[1:])


def test_fit_steps_takes_any_loss_and_stops_on_divergence(rng):
    params = rnn.init_params(2, 8, 1, U_init="identity", U_gain=3.0, rng=0)
    batches = [tasks.adding_problem(16, 30, rng=rng) for _ in range(50)]
    with pytest.raises(train.TrainingDivergedError) as err:
        train.fit_steps(params, batches, optimizer=optim.SGD(5.0), activation="relu",
                        loss_fn=losses.last_step_squared_error)
    assert 0 < len(err.value.history.loss) < 50
    with pytest.raises(train.TrainingDivergedError, match="passed 0.001 at update 1"):
        train.fit_steps(rnn.init_params(2, 4, 1, rng=0), batches, optimizer=optim.SGD(0.1),
                        loss_fn=losses.last_step_squared_error, diverge_above=1e-3)


def test_fit_steps_rejects_bad_arguments(rng):
    params = rnn.init_params(4, 6, 4, rng=0)
    with pytest.raises(TypeError, match="optimizer"):
        train.fit_steps(params, [], optimizer="adam")
    with pytest.raises(TypeError, match="each batch"):
        train.fit_steps(params, [np.zeros((2, 3), int)], optimizer=optim.SGD(0.1))
    with pytest.raises(ValueError, match="X must hold ids"):
        train.fit_steps(params, [(np.full((2, 3), 9), np.zeros((2, 3), int))],
                        optimizer=optim.SGD(0.1))
    with pytest.raises(ValueError, match="clip_norm"):
        train.fit_steps(params, [], optimizer=optim.SGD(0.1), clip_norm=0)
