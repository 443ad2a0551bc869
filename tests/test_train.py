"""The training loop: it learns, stops loudly on divergence, restores the best epoch."""

import numpy as np
import pytest

from rnnbook import optim, rnn, train

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
    assert history.val_bpc[-1] < 0.6 < history.val_bpc[0] + 0.5
    assert len(history.train_bpc) == len(history.grad_norm) == 6
    assert train.evaluate_bpc(params, PERIODIC[1500:], num_steps=20) == pytest.approx(
        history.val_bpc[-1])


def test_random_partition_and_truncation_also_learn():
    params = small_params()
    history = train.train_rnn(params, PERIODIC, optimizer=optim.Adam(0.01), epochs=6,
                              batch_size=8, num_steps=20, partition="random", truncate=5,
                              rng=0, log=lambda line: None)
    assert history.train_bpc[-1] < 0.5 * history.train_bpc[0]
    assert history.val_bpc == []


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")
def test_divergence_is_caught_with_a_clear_error():
    params = small_params()
    with pytest.raises(train.TrainingDivergedError, match="lower the learning rate"):
        train.train_rnn(params, PERIODIC, optimizer=optim.SGD(1e38), epochs=3, batch_size=8,
                        num_steps=20, rng=0, log=lambda line: None)


def test_restore_best_puts_back_the_best_epoch():
    params = small_params()
    snapshots = {}
    history = train.train_rnn(params, PERIODIC[:1500], PERIODIC[1500:],
                              optimizer=optim.SGD(3.0), epochs=5, batch_size=8, num_steps=20,
                              restore_best=True, rng=0, log=lambda line: None,
                              on_epoch=lambda e, p: snapshots.update({e: p["U"].copy()}))
    assert history.val_bpc[history.best_epoch - 1] == min(history.val_bpc)
    np.testing.assert_array_equal(params["U"], snapshots[history.best_epoch])


def test_logging_every_few_epochs_and_silent_progress(monkeypatch, capsys):
    monkeypatch.setenv("CI", "true")
    assert not train.progress_enabled()
    train.train_rnn(small_params(), PERIODIC, optimizer=optim.Adam(0.01), epochs=4,
                    batch_size=8, num_steps=20, log_every=2, rng=0)
    out = capsys.readouterr()
    assert out.out.count("\n") == 2 and "epoch   2/4" in out.out and "epoch   4/4" in out.out
    assert out.err == ""  # no progress bar


def test_bits():
    assert train.bits(np.log(2.0)) == pytest.approx(1.0)


@pytest.mark.parametrize("kwargs, exc, words", [
    (dict(optimizer="adam"), TypeError, "optimizer must be"),
    (dict(epochs=0), ValueError, "epochs must be >= 1"),
    (dict(partition="shuffled"), ValueError, "partition must be"),
    (dict(clip_norm=0.0), ValueError, "clip_norm must be > 0"),
    (dict(truncate=0), ValueError, "truncate must be >= 1"),
    (dict(restore_best=True), ValueError, "restore_best=True needs val_ids"),
    (dict(num_steps=5000), ValueError, "num_steps=5000"),
])
def test_rejects(kwargs, exc, words):
    args = dict(optimizer=optim.SGD(0.1), epochs=1, batch_size=4, num_steps=10) | kwargs
    with pytest.raises(exc, match=words):
        train.train_rnn(small_params(), PERIODIC, **args)
