"""Character n-gram baselines: proper distributions, the right counts, clear errors."""

import numpy as np
import pytest

from rnnbook import ngram

TEXT = np.array([0, 1, 2, 0, 1, 2, 0, 1, 1, 0, 2, 2, 1, 0, 1, 2])


@pytest.mark.parametrize("order", [1, 2, 3, 5])
def test_distributions_sum_to_one(order):
    model = ngram.fit_ngram(TEXT, order, vocab_size=4)  # id 3 never occurs
    for context in ([0, 1], [2, 2], [3, 3], [1]):
        probs = [model.probabilities(np.array(context + [w]))[-1] for w in range(4)]
        assert sum(probs) == pytest.approx(1.0)
        assert min(probs) > 0


def test_unigram_is_add_one_frequencies():
    model = ngram.fit_ngram(TEXT, 1, vocab_size=4)
    counts = np.bincount(TEXT, minlength=4)
    np.testing.assert_allclose(model.unigram, (counts + 1) / (TEXT.size + 4))
    assert model.bits_per_char(TEXT) == pytest.approx(-np.log2(model.unigram[TEXT]).mean())


def test_witten_bell_by_hand():
    # after context "0" the training text has 1 four times and 2 once: c(h)=5, N1+(h)=2
    model = ngram.fit_ngram(TEXT, 2, vocab_size=4)
    p1 = model.unigram[1]
    assert model.probabilities(np.array([0, 1]))[-1] == pytest.approx((4 + 2 * p1) / (5 + 2))


def test_longer_windows_fit_training_text_better():
    rng = np.random.default_rng(0)
    text = rng.integers(0, 5, 3000)
    text[1::3] = text[::3][: text[1::3].size]  # some structure to learn
    bpc = [ngram.fit_ngram(text, n, 5).bits_per_char(text) for n in (1, 2, 3, 4)]
    assert bpc == sorted(bpc, reverse=True)


def test_rejects():
    with pytest.raises(ValueError, match="order must be >= 1"):
        ngram.fit_ngram(TEXT, 0, 4)
    with pytest.raises(ValueError, match="order must be <="):
        ngram.fit_ngram(TEXT, 40, 4)
    with pytest.raises(ValueError, match=r"ids must hold ids in \[0, 1\]"):
        ngram.fit_ngram(TEXT, 2, 2)
    with pytest.raises(ValueError, match="too short"):
        ngram.fit_ngram(TEXT[:2], 3, 4)
    model = ngram.fit_ngram(TEXT, 2, 4)
    with pytest.raises(ValueError, match=r"ids must hold ids in \[0, 3\]"):
        model.probabilities(np.array([0, 4]))
    with pytest.raises(TypeError, match="ids must have an integer"):
        model.bits_per_char(np.array([0.0, 1.0]))
