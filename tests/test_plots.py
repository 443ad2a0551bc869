"""Every figure function draws titled, labelled axes and refuses bad input."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
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


def test_unrolled_and_its_checks():
    ax = plots.plot_unrolled(3, output_steps=[3])
    texts = [t.get_text() for t in ax.texts]
    assert "$h_{3}$" in texts and "$o_{3}$" in texts and "$o_{1}$" not in texts
    assert texts.count("$U$") == 3 and ax.get_title()
    ax = plots.plot_unrolled(4, decoder_from=3)
    assert "$U'$" in [t.get_text() for t in ax.texts]
    with pytest.raises(ValueError, match=r"output_steps must be steps in 1\.\.3"):
        plots.plot_unrolled(3, output_steps=[4])
    with pytest.raises(ValueError, match="num_steps must be <= 12"):
        plots.plot_unrolled(20)


def test_hidden_states_accuracy_partitions_distributions():
    ax = plots.plot_hidden_states(np.zeros((5, 3)), step_labels=list("abcde"))
    assert labelled(ax) and len(ax.images) == 1
    ax = plots.plot_accuracy_vs_delay([1, 2], {"rnn": [1.0, 0.5]}, chance=0.25)
    assert labelled(ax) and len(ax.lines) == 2
    ax = plots.plot_partitions("abcd", {"seq": (np.array([0, 0, 1, -1]), np.array([0, 1, 0, -1]))})
    assert ax.get_title() and len(ax.patches) == 4
    ax = plots.plot_distributions(list("abc"), {"t=1": np.array([0.5, 0.3, 0.2])}, top=2)
    assert labelled(ax) and len(ax.patches) == 2
    with pytest.raises(ValueError, match="H must be a non-empty array"):
        plots.plot_hidden_states(np.zeros(3))
    with pytest.raises(ValueError, match="step_labels must have 5 entries"):
        plots.plot_hidden_states(np.zeros((5, 3)), step_labels=["a"])
    with pytest.raises(ValueError, match=r"assignments\['x'\] must hold two arrays of length 2"):
        plots.plot_partitions("ab", {"x": (np.zeros(3), np.zeros(3))})
    with pytest.raises(ValueError, match="probs may hold at most 4 distributions"):
        plots.plot_distributions(list("ab"), {str(i): np.ones(2) / 2 for i in range(5)})
