"""Sampling: temperature, top-k, generation, and their checks."""

import numpy as np
import pytest

from rnnbook import data, losses, rnn, sampling


def test_softmax_temperature():
    logits = np.array([2.0, 1.0, 0.0])
    p1 = losses.softmax(logits)
    np.testing.assert_allclose(p1, np.exp(logits) / np.exp(logits).sum())
    assert losses.softmax(logits, 100.0).std() < 0.01  # hot: nearly uniform
    assert losses.softmax(logits, 0.01)[0] > 0.999  # cold: nearly argmax


def test_temperature_to_zero_is_argmax(rng):
    logits = rng.standard_normal((50, 7))
    ids = sampling.sample(logits, temperature=1e-8, rng=rng)
    np.testing.assert_array_equal(ids, logits.argmax(axis=1))
    np.testing.assert_array_equal(sampling.sample(logits, top_k=1, rng=rng), logits.argmax(1))


def test_sample_frequencies_follow_the_distribution(rng):
    logits = np.log(np.array([0.5, 0.3, 0.2, 0.0 + 1e-12]))
    draws = sampling.sample(np.tile(logits, (20000, 1)), rng=rng)
    freq = np.bincount(draws, minlength=4) / draws.size
    np.testing.assert_allclose(freq, [0.5, 0.3, 0.2, 0.0], atol=0.015)


def test_top_k_only_draws_the_k_most_likely(rng):
    logits = np.array([0.0, 3.0, 1.0, 2.5, -1.0])
    draws = sampling.sample(np.tile(logits, (5000, 1)), top_k=2, rng=rng)
    assert set(np.unique(draws)) == {1, 3}
    assert isinstance(sampling.sample(logits, rng=rng), int)


def test_entropy_bits():
    assert losses.entropy_bits(np.full(8, 1 / 8)) == pytest.approx(3.0)
    assert losses.entropy_bits(np.array([1.0, 0.0])) == 0.0
    with pytest.raises(ValueError, match="sum to 1"):
        losses.entropy_bits(np.array([0.5, 0.6]))


def test_generate_carries_the_state_and_is_seeded(rng):
    vocab = data.Vocab.from_text("abc ")
    params = rnn.init_params(4, 8, 4, rng=rng)
    a = sampling.generate(params, vocab, "ab", 30, rng=5)
    b = sampling.generate(params, vocab, "ab", 30, rng=5)
    assert a == b and a.startswith("ab") and len(a) == 32
    # greedy generation equals reading the whole prompt, then feeding back the argmax
    greedy = sampling.generate(params, vocab, "abca", 5, temperature=1e-8)
    h = None
    for token in vocab.encode("abca"):
        o, h = rnn.rnn_step(params, np.array([token]), h)
    expected = "abca"
    for _ in range(5):
        token = int(o[0].argmax())
        expected += vocab.chars[token]
        o, h = rnn.rnn_step(params, np.array([token]), h)
    assert greedy == expected


@pytest.mark.parametrize("kwargs, exc, words", [
    (dict(temperature=0.0), ValueError, "temperature must be > 0"),
    (dict(temperature=-1.0), ValueError, "temperature must be > 0"),
    (dict(top_k=0), ValueError, "top_k must be >= 1"),
    (dict(top_k=9), ValueError, "top_k must be <= 3"),
    (dict(rng="x"), TypeError, "rng must be"),
])
def test_sample_rejects(kwargs, exc, words):
    with pytest.raises(exc, match=words):
        sampling.sample(np.zeros(3), **kwargs)


def test_generate_rejects(rng):
    vocab = data.Vocab.from_text("abc")
    params = rnn.init_params(3, 4, 3, rng=rng)
    with pytest.raises(ValueError, match="prompt must be a non-empty string"):
        sampling.generate(params, vocab, "", 3)
    with pytest.raises(ValueError, match="prompt: .*'z' at position 1"):
        sampling.generate(params, vocab, "az", 3)
    with pytest.raises(ValueError, match="num_chars must be >= 0"):
        sampling.generate(params, vocab, "a", -1)
    with pytest.raises(TypeError, match="vocab must be a Vocab"):
        sampling.generate(params, "abc", "a", 3)
    with pytest.raises(ValueError, match="logits must contain only finite"):
        sampling.sample(np.array([0.0, np.nan]))
    with pytest.raises(ValueError, match="params must read and predict the vocab's 4"):
        sampling.generate(params, data.Vocab.from_text("abcd"), "a", 3)
    with pytest.raises(ValueError, match="top_k must be >= 1"):
        sampling.generate(params, vocab, "a", 0, top_k=0)


def test_tiny_temperature_gives_argmax_not_nan():
    probs = losses.softmax(np.array([1.0, 3.0, 2.0]), 1e-310)
    np.testing.assert_array_equal(probs, [0.0, 1.0, 0.0])
