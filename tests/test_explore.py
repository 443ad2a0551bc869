"""rnnbook.explore: sliders redraw the figure with their values; bad controls are refused."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from rnnbook import explore  # noqa: E402


def recording_draw():
    calls = []

    def draw(**values):
        calls.append(values)
        figure, ax = plt.subplots()
        ax.plot([0, 1], [0, values.get("radius", 0)])
        return figure

    return draw, calls


def test_nothing_is_drawn_until_a_slider_moves():
    draw, calls = recording_draw()
    box = explore.explorer(draw, radius=(0.3, 2.0, 0.05, 1.0), num_steps=(10, 200, 10, 60))
    assert calls == []
    assert [type(s).__name__ for s in box.sliders.values()] == ["FloatSlider", "IntSlider"]
    assert box.children[-1] is box.output


def test_moving_a_slider_redraws_with_every_current_value():
    draw, calls = recording_draw()
    box = explore.explorer(draw, radius=(0.3, 2.0, 0.05, 1.0), num_steps=(10, 200, 10, 60))
    before = len(plt.get_fignums())
    box.sliders["radius"].value = 1.5
    box.sliders["num_steps"].value = 120
    assert calls == [{"radius": 1.5, "num_steps": 60}, {"radius": 1.5, "num_steps": 120}]
    assert len(plt.get_fignums()) == before  # each figure is closed once shown
    figure = box.redraw()
    assert figure.axes[0].lines[0].get_ydata()[1] == 1.5


@pytest.mark.parametrize("spec, error, message", [
    ([0, 1, 0.1, 0.5], TypeError, "radius must be a tuple"),
    ((0, 1, 0.1), TypeError, "radius must be a tuple"),
    ((0, 1, 0.1, "a"), TypeError, "must hold numbers"),
    ((0, 1, 0.1, 2), ValueError, "min <= value <= max"),
    ((1, 0, 0.1, 0.5), ValueError, "min < max"),
    ((0, 1, 0, 0.5), ValueError, "step > 0"),
])
def test_bad_controls_are_refused(spec, error, message):
    with pytest.raises(error, match=message):
        explore.explorer(lambda radius: None, radius=spec)


def test_draw_must_be_callable_and_controls_given():
    with pytest.raises(TypeError, match="draw must be callable"):
        explore.explorer("not a function", radius=(0, 1, 0.1, 0.5))
    with pytest.raises(ValueError, match="at least one control"):
        explore.explorer(lambda: None)
