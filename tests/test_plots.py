"""Every figure function draws titled, labelled axes and refuses bad input."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from rnnbook import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    plots.use_book_style()
    yield
    plt.close("all")


def labelled(ax):
    return ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_learning_curves():
    ax = plots.plot_learning_curves([1, 2, 3], [3.0, 2.5, 2.2], [3.1, 2.7, 2.6],
                                    references={"baseline": 2.65})
    assert labelled(ax) and len(ax.lines) == 3
    assert "bits/char" in ax.get_ylabel()


def test_bits_vs_context():
    ax = plots.plot_bits_vs_context({"a": ([0, 1, 2], [4.0, 3.0, 2.9]), "b": ([1, 4], [3.5, 2.8])},
                                    references={"ref": 2.7})
    assert labelled(ax) and len(ax.lines) == 3


def test_surprisal():
    ax = plots.plot_surprisal("ab c\n", {"m": [1, 2, 3, 4, 5]})
    assert labelled(ax) and [t.get_text() for t in ax.get_xticklabels()] == list("ab␣c⏎")


def test_rejects():
    with pytest.raises(ValueError, match="val_bpc must have length 2"):
        plots.plot_learning_curves([1, 2], [3.0, 2.0], [1.0])
    with pytest.raises(TypeError, match="train_bpc must be a sequence"):
        plots.plot_learning_curves([1, 2], "ab")
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        plots.plot_learning_curves([1], [1.0], ax="left")
    with pytest.raises(TypeError, match="curves must be a non-empty dict"):
        plots.plot_bits_vs_context({})
    with pytest.raises(TypeError, match=r"curves\['a'\] must be a pair"):
        plots.plot_bits_vs_context({"a": [1, 2, 3]})
    with pytest.raises(ValueError, match=r"surprisals\['m'\]\[0\]|must have length 3"):
        plots.plot_surprisal("abc", {"m": [1.0]})
    with pytest.raises(ValueError, match="curves may hold at most 4 curves, got 5"):
        plots.plot_bits_vs_context({str(i): ([1], [1.0]) for i in range(5)})
    with pytest.raises(ValueError, match="text must be a non-empty string"):
        plots.plot_surprisal("", {"m": []})


def test_training_curves():
    ax = plots.plot_training_curves({"a": [3.0, 2.0, 1.5], "b": [3.0, 30.0, 300.0]}, logy=True)
    assert labelled(ax) and len(ax.lines) == 2 and ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="at most 6 curves"):
        plots.plot_training_curves({str(i): [1.0] for i in range(7)})
