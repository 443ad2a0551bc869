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


# --- Kneser-Ney ---------------------------------------------------------------------------

def _structured_text(size=400, vocab=5, seed=0):
    """Random ids with some structure; it ends with its own first 6 ids, so every window that
    starts the text also occurs after some character (continuation counts then agree with
    every textbook's and NLTK's definition, which differ only at the text's first window)."""
    rng = np.random.default_rng(seed)
    text = rng.integers(0, vocab, size)
    text[2::3] = (text[:-2:3] + text[1::3]) % vocab
    return np.concatenate([text, text[:6]])


@pytest.mark.parametrize("smoothing", ngram.SMOOTHINGS)
@pytest.mark.parametrize("order", [1, 2, 3, 6])
def test_every_smoothing_gives_distributions(smoothing, order):
    text = _structured_text()
    model = ngram.fit_ngram(text, order, vocab_size=6, smoothing=smoothing)  # id 5 unseen
    rng = np.random.default_rng(1)
    contexts = [list(rng.integers(0, 6, 7)) for _ in range(5)] + [list(text[10:17])]
    for context in contexts:
        probs = [model.probabilities(np.array(context + [w]))[-1] for w in range(6)]
        assert sum(probs) == pytest.approx(1.0, abs=1e-12)
        assert min(probs) > 0


@pytest.mark.parametrize("order", [2, 3, 4])
@pytest.mark.parametrize("discount", [0.1, 0.75])
def test_kneser_ney_agrees_with_nltk(order, discount):
    from nltk.lm import KneserNeyInterpolated
    from nltk.util import everygrams

    text = _structured_text()
    tokens = [str(i) for i in text]
    reference = KneserNeyInterpolated(order, discount=discount)
    reference.fit([list(everygrams(tokens, max_len=order))], vocabulary_text=tokens)
    model = ngram.fit_ngram(text, order, 5, smoothing="kneser_ney", discount=discount)
    probe = _structured_text(size=120, seed=3)  # unseen text: some contexts never occurred
    ours = model.probabilities(probe)[order - 1:]
    theirs = [reference.score(str(probe[t]), [str(i) for i in probe[t - order + 1:t]])
              for t in range(order - 1, probe.size)]
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def _zipf_text(size=3000, vocab=30, seed=0):
    """Ids drawn with Zipf frequencies, every second one depending on the one before, so that
    every order has n-grams seen once, twice and three times."""
    rng = np.random.default_rng(seed)
    p = 1 / np.arange(1, vocab + 1)
    draws = rng.choice(vocab, size, p=p / p.sum())
    text = draws.copy()
    text[1::2] = (text[:-1:2] + draws[1::2]) % vocab
    return np.concatenate([text, text[:6]])


def _modified_kn_by_dicts(text, order, vocab_size):
    """Chen & Goodman's interpolated modified Kneser-Ney, written with dicts, one level at a
    time, for contexts of full length: an independent check of the vectorised code."""
    grams = {n: {} for n in range(1, order + 1)}
    for n in range(1, order + 1):
        for t in range(len(text) - n + 1):
            key = tuple(text[t:t + n])
            grams[n][key] = grams[n].get(key, 0) + 1
    counts = {order: grams[order]}
    for n in range(1, order):  # continuation counts: distinct left neighbours
        counts[n] = {}
        for key in grams[n + 1]:
            counts[n][key[1:]] = counts[n].get(key[1:], 0) + 1

    def discounts(level):
        n = [sum(1 for c in level.values() if c == k) for k in (1, 2, 3, 4)]
        if not all(n[:3]):  # the unigram of continuation counts: no singletons, D = 1/2
            return {0: 0.0, 1: 0.5, 2: 0.5, 3: 0.5}
        y = n[0] / (n[0] + 2 * n[1])
        return {0: 0.0, 1: 1 - 2 * y * n[1] / n[0], 2: 2 - 3 * y * n[2] / n[1],
                3: 3 - 4 * y * n[3] / n[2]}

    def prob(word, context):
        if context is None:
            return 1 / vocab_size
        level, d = counts[len(context) + 1], discounts(counts[len(context) + 1])
        seen = {k: c for k, c in level.items() if k[:-1] == context}
        lower = prob(word, context[1:] if context else None)
        total = sum(seen.values())
        if total == 0:
            return lower
        mass = sum(d[min(c, 3)] for c in seen.values())
        c = seen.get(context + (word,), 0)
        return (max(c - d[min(c, 3)], 0) + mass * lower) / total

    return prob


def test_modified_kneser_ney_agrees_with_a_direct_implementation():
    text = _zipf_text()
    order = 4
    model = ngram.fit_ngram(text, order, 30, smoothing="modified_kneser_ney")
    prob = _modified_kn_by_dicts([int(i) for i in text], order, 30)
    probe = _zipf_text(size=80, seed=4)
    ours = model.probabilities(probe)[order - 1:]
    theirs = [prob(int(probe[t]), tuple(int(i) for i in probe[t - order + 1:t]))
              for t in range(order - 1, probe.size)]
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_kneser_ney_discount_is_n1_over_n1_plus_2_n2():
    text = _zipf_text()
    model = ngram.fit_ngram(text, 3, 30, smoothing="kneser_ney")
    top = model.levels[-1]  # raw trigram counts
    n1, n2 = np.count_nonzero(top.hw_counts == 1), np.count_nonzero(top.hw_counts == 2)
    np.testing.assert_allclose(top.discounts[1:], n1 / (n1 + 2 * n2))


def test_kneser_ney_beats_witten_bell_on_long_windows():
    text = _structured_text(size=6000, seed=5)
    train, held_out = text[:5000], text[5000:]
    wb = ngram.fit_ngram(train, 6, 5).bits_per_char(held_out)
    kn = ngram.fit_ngram(train, 6, 5, smoothing="modified_kneser_ney").bits_per_char(held_out)
    assert kn < wb


def test_rejects_bad_smoothing_arguments():
    with pytest.raises(ValueError, match="smoothing must be one of"):
        ngram.fit_ngram(TEXT, 2, 4, smoothing="good_turing")
    with pytest.raises(ValueError, match="discount can only be fixed"):
        ngram.fit_ngram(TEXT, 2, 4, smoothing="modified_kneser_ney", discount=0.5)
    with pytest.raises(ValueError, match="discount must be <= 1"):
        ngram.fit_ngram(TEXT, 2, 4, smoothing="kneser_ney", discount=1.5)
    with pytest.raises(TypeError, match="discount must be a real number"):
        ngram.fit_ngram(TEXT, 2, 4, smoothing="kneser_ney", discount="0.5")
