"""The shared figures draw titled, labelled axes, in the book's palette, and refuse bad input
(matched on the argument's name)."""

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


def test_rejects():
    with pytest.raises(ValueError, match="val_bpc"):
        plots.plot_learning_curves([1, 2], [3.0, 2.0], [1.0])
    with pytest.raises(TypeError, match="train_bpc"):
        plots.plot_learning_curves([1, 2], "ab")
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        plots.plot_learning_curves([1], [1.0], ax="left")
    with pytest.raises(ValueError, match="probs"):
        plots.plot_distributions(list("ab"), {str(i): np.ones(2) / 2 for i in range(5)})
    with pytest.raises(TypeError, match="curves"):
        plots.plot_curves({})


def test_new_axes_makes_a_figure_or_returns_the_given_axes():
    ax = plots.new_axes(figsize=(3, 2))
    assert tuple(ax.figure.get_size_inches()) == (3, 2)
    assert plots.new_axes(ax) is ax


def test_distributions_show_the_top_characters_of_the_first_distribution():
    ax = plots.plot_distributions(list("abc"), {"t=1": np.array([0.2, 0.5, 0.3]),
                                                "t=2": np.array([0.3, 0.4, 0.3])}, top=2)
    assert labelled(ax) and len(ax.patches) == 4
    assert [t.get_text() for t in ax.get_xticklabels()] == ["b", "c"]
    heights = [p.get_height() for p in ax.patches]
    assert heights == [0.5, 0.3, 0.4, 0.3]


def test_training_curves():
    ax = plots.plot_curves({"a": [3.0, 2.0, 1.5], "b": [3.0, 30.0, 300.0]}, logy=True)
    assert labelled(ax) and len(ax.lines) == 2 and ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="at most 6 curves"):
        plots.plot_curves({str(i): [1.0] for i in range(7)})


def test_training_curves_styles():
    styles = {"a, before": ("#000000", "--"), "a, after": ("#000000", "-")}
    ax = plots.plot_curves({"a, before": [1.0, 2.0], "a, after": [2.0, 1.0],
                                     "b": [1.5, 1.5]}, styles=styles)
    lines = {line.get_label(): line for line in ax.lines}
    assert lines["a, before"].get_linestyle() == "--" and lines["a, after"].get_linestyle() == "-"
    assert lines["a, before"].get_color() == lines["a, after"].get_color() == "#000000"
    assert lines["b"].get_color() == plots.PALETTE["rnn"]  # the default colour of curve 3
    with pytest.raises(ValueError, match="styles has the label 'c'"):
        plots.plot_curves({"a": [1.0]}, styles={"c": ("#000000", "-")})
    with pytest.raises(TypeError, match=r"styles\['a'\] must be a \(colour, linestyle\) pair"):
        plots.plot_curves({"a": [1.0]}, styles={"a": "#000000"})
    with pytest.raises(TypeError, match="styles must be a dict or None"):
        plots.plot_curves({"a": [1.0]}, styles=[("#000000", "-")])
