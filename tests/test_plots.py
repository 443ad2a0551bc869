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


def test_training_curves_styles():
    styles = {"a, before": ("#000000", "--"), "a, after": ("#000000", "-")}
    ax = plots.plot_training_curves({"a, before": [1.0, 2.0], "a, after": [2.0, 1.0],
                                     "b": [1.5, 1.5]}, styles=styles)
    lines = {line.get_label(): line for line in ax.lines}
    assert lines["a, before"].get_linestyle() == "--" and lines["a, after"].get_linestyle() == "-"
    assert lines["a, before"].get_color() == lines["a, after"].get_color() == "#000000"
    assert lines["b"].get_color() == plots.PALETTE["rnn"]  # the default colour of curve 3
    with pytest.raises(ValueError, match="styles has the label 'c'"):
        plots.plot_training_curves({"a": [1.0]}, styles={"c": ("#000000", "-")})
    with pytest.raises(TypeError, match=r"styles\['a'\] must be a \(colour, linestyle\) pair"):
        plots.plot_training_curves({"a": [1.0]}, styles={"a": "#000000"})
    with pytest.raises(TypeError, match="styles must be a dict or None"):
        plots.plot_training_curves({"a": [1.0]}, styles=[("#000000", "-")])


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


def test_cumulative_forecast():
    actual = np.cumsum(np.ones(6))
    ax = plots.plot_cumulative_forecast(actual, {"model": [1.0, 2.0, 2.5]}, forecast_start=3)
    assert labelled(ax) and len(ax.lines) == 3  # actual, one forecast, the calibration line
    xs, ys = ax.lines[1].get_data()
    assert list(xs) == [3, 4, 5, 6] and list(ys) == [3.0, 4.0, 5.0, 5.5]
    with pytest.raises(ValueError, match=r"forecasts\['model'\] must have length 3"):
        plots.plot_cumulative_forecast(actual, {"model": [1.0]}, forecast_start=3)
    with pytest.raises(ValueError, match="forecast_start must be <= 5"):
        plots.plot_cumulative_forecast(actual, {"model": [1.0]}, forecast_start=6)
    with pytest.raises(TypeError, match="forecasts must be a non-empty dict"):
        plots.plot_cumulative_forecast(actual, [1.0], forecast_start=3)
    two = {"a": [1.0, 2.0, 2.5], "b": [1.0, 2.0, 3.0]}
    ax = plots.plot_cumulative_forecast(actual, two, forecast_start=3, first_period=2)
    assert list(ax.lines[0].get_data()[0]) == [2, 3, 4, 5, 6]  # zoomed: period 1 not drawn
    assert ax.lines[1].get_linestyle() != ax.lines[2].get_linestyle()
    assert ax.lines[1].get_color() != ax.lines[2].get_color()
    ax = plots.plot_cumulative_forecast(actual, two, forecast_start=3, difference=True)
    assert len(ax.lines) == 3  # the zero line and two forecasts, no calibration line
    xs, ys = ax.lines[1].get_data()
    assert list(xs) == [3, 4, 5, 6] and list(ys) == [0.0, 0.0, 0.0, -0.5]
    with pytest.raises(ValueError, match="first_period must be <= 3"):
        plots.plot_cumulative_forecast(actual, two, forecast_start=3, first_period=4)
    with pytest.raises(TypeError, match="difference must be True or False"):
        plots.plot_cumulative_forecast(actual, two, forecast_start=3, difference=1)


def test_running_probability():
    ax = plots.plot_running_probability(["not", "good", "."], {"a": [0.5, 0.2, 0.3],
                                                               "b": [0.6, 0.7, 0.8]})
    assert labelled(ax) and len(ax.lines) == 3  # two models and the 0.5 line
    assert [t.get_text() for t in ax.get_xticklabels()] == ["not", "good", "."]
    with pytest.raises(TypeError, match="tokens must be a non-empty sequence of strings"):
        plots.plot_running_probability("not good", {"a": [0.5]})
    with pytest.raises(ValueError, match=r"probabilities\['a'\] must have length 2"):
        plots.plot_running_probability(["a", "b"], {"a": [0.5]})
    with pytest.raises(ValueError, match=r"probabilities\['a'\] must lie in \[0, 1\]"):
        plots.plot_running_probability(["a"], {"a": [1.5]})
    with pytest.raises(ValueError, match="probabilities may hold at most 4 models"):
        plots.plot_running_probability(["a"], {str(i): [0.5] for i in range(5)})


def test_rows_revealed():
    images = np.arange(2 * 3 * 4, dtype=float).reshape(2, 3, 4)
    ax = plots.plot_rows_revealed(images, np.full((2, 3), 0.5), row_labels=["a", "b"])
    assert labelled(ax) and len(ax.images) == 6 and len(ax.texts) == 6
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    assert ax.texts[0].get_text() == "0.50"
    assert np.allclose(ax.images[0].get_array()[1:], 0.82)  # unread rows: neutral grey
    with pytest.raises(TypeError, match="images must be a non-empty 3-D array"):
        plots.plot_rows_revealed(images[0], np.full((3,), 0.5))
    with pytest.raises(ValueError, match=r"probabilities must have shape \(2, 3\)"):
        plots.plot_rows_revealed(images, np.full((2, 4), 0.5))
    with pytest.raises(ValueError, match=r"probabilities must lie in \[0, 1\]"):
        plots.plot_rows_revealed(images, np.full((2, 3), 2.0))
    with pytest.raises(ValueError, match="row_labels must hold 2 strings"):
        plots.plot_rows_revealed(images, np.full((2, 3), 0.5), row_labels=["a"])


def test_prefix_curves():
    ax = plots.plot_prefix_curves({"a": [0.2, 0.5, 0.9], "b": [0.1, 0.1, 0.8]},
                                  examples=[[0.3, 0.6, 1.0], [0.1, 0.2, 0.3]], chance=0.1)
    assert labelled(ax) and len(ax.lines) == 5  # two curves, two examples, chance
    assert len(ax.get_legend().get_texts()) == 4  # the examples share one legend entry
    with pytest.raises(ValueError, match=r"curves\['b'\] must have length 3"):
        plots.plot_prefix_curves({"a": [0.2, 0.5, 0.9], "b": [0.1]})
    with pytest.raises(ValueError, match=r"curves\['a'\] must lie in \[0, 1\]"):
        plots.plot_prefix_curves({"a": [0.2, 1.5]})
    with pytest.raises(TypeError, match="examples must be a list of curves or None"):
        plots.plot_prefix_curves({"a": [0.2]}, examples=[0.2])
    with pytest.raises(ValueError, match=r"examples\[0\] must have length 1"):
        plots.plot_prefix_curves({"a": [0.2]}, examples=[[0.2, 0.3]])
    with pytest.raises(TypeError, match="curves must be a non-empty dict"):
        plots.plot_prefix_curves({})
    ax = plots.plot_prefix_curves({"a": [0.2, 0.5], "b": [0.1, 0.3]}, dashed={"b": [0.6, 0.9]},
                                  dashed_label="top class", legend_loc="upper left")
    assert len(ax.lines) == 4  # two curves, one dashed, one legend entry for the dashed lines
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "top class"]
    assert ax.lines[2].get_color() == ax.lines[1].get_color()  # dashed in its curve's colour
    ax = plots.plot_prefix_curves({"a": [0.2, 0.5]}, legend_loc="below")
    assert ax.get_legend().get_bbox_to_anchor().y0 < ax.get_window_extent().y0  # under the axes
    with pytest.raises(TypeError, match="dashed must be a dict of curves or None"):
        plots.plot_prefix_curves({"a": [0.2]}, dashed=[[0.2]])
    with pytest.raises(ValueError, match=r"dashed\['c'\] names no curve"):
        plots.plot_prefix_curves({"a": [0.2]}, dashed={"c": [0.2]})
    with pytest.raises(ValueError, match=r"dashed\['a'\] must lie in \[0, 1\]"):
        plots.plot_prefix_curves({"a": [0.2]}, dashed={"a": [1.2]})
    with pytest.raises(TypeError, match="legend_loc must be a string"):
        plots.plot_prefix_curves({"a": [0.2]}, legend_loc=1)


def test_forecasts():
    years = np.arange(1700, 1720)
    values = np.sin(years / 2.0) ** 2
    ax = plots.plot_forecasts(years, values, {"a": [(years[5:8], values[5:8]),
                                                    (years[9:12], values[9:12])],
                                              "b": [(years[5:8], values[5:8])]},
                              spans={"test": (1710, 1719)})
    assert labelled(ax) and len(ax.lines) == 4 and len(ax.patches) == 1
    assert matplotlib.colors.same_color(ax.patches[0].get_facecolor()[:3], plots.PALETTE["test"])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["test", "observed", "a", "b"]
    a_line, b_line = ax.lines[1], ax.lines[3]  # each model has its own line style and marker
    assert a_line.get_linestyle() != b_line.get_linestyle()
    assert a_line.get_marker() != b_line.get_marker()
    assert labelled(plots.plot_forecasts(years, values))
    with pytest.raises(ValueError, match="values must have length 20"):
        plots.plot_forecasts(years, values[:5])
    with pytest.raises(TypeError, match=r"forecasts\['a'\] must be a non-empty list"):
        plots.plot_forecasts(years, values, {"a": []})
    with pytest.raises(TypeError, match=r"forecasts\['a'\]\[0\] must be a \(times, values\)"):
        plots.plot_forecasts(years, values, {"a": [years]})
    with pytest.raises(ValueError, match=r"forecasts\['a'\]\[0\] values must have length 3"):
        plots.plot_forecasts(years, values, {"a": [(years[:3], values[:2])]})
    with pytest.raises(ValueError, match=r"spans\['t'\] must be \(first, last\)"):
        plots.plot_forecasts(years, values, spans={"t": (1719, 1710)})
    with pytest.raises(ValueError, match="at most 4 models"):
        plots.plot_forecasts(years, values, {str(i): [(years, values)] for i in range(5)})
    with pytest.raises(TypeError, match="spans must be a dict"):
        plots.plot_forecasts(years, values, spans=[(1, 2)])
