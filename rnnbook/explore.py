"""Live controls for the figures a reader wants to move: sliders that redraw a figure.

``explorer(draw, radius=(0.3, 2.0, 0.05, 1.0))`` returns an ipywidgets box with one slider per
keyword and an output area; moving a slider calls ``draw(**values)`` and shows the figure it
returns. Nothing is drawn when the box is created: in the executed notebook the box is inert
(the static page hides it with the ``remove-output`` tag and shows the figure of a
representative setting from the cell after it), while in JupyterLab (``make lab``) every move
redraws. ``ipywidgets`` is imported only when an explorer is built, so ``import rnnbook`` stays
light.

Introduced in chapter 03 (the sampling temperature) and used in chapter 05 (the spectral
radius of ``U`` and the sequence length).
"""

from __future__ import annotations

from collections.abc import Callable

from ._checks import describe


def _slider(widgets, name: str, spec: object):
    if not (isinstance(spec, tuple) and len(spec) == 4):
        raise TypeError(f"{name} must be a tuple (min, max, step, value), got {describe(spec)}")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in spec):
        raise TypeError(f"{name} must hold numbers (min, max, step, value), got {spec!r}")
    low, high, step, value = spec
    if not low <= value <= high or step <= 0 or low >= high:
        raise ValueError(f"{name} must satisfy min <= value <= max, min < max and step > 0, "
                         f"got {spec!r}")
    integer = all(isinstance(v, int) for v in spec)
    cls = widgets.IntSlider if integer else widgets.FloatSlider
    return cls(min=low, max=high, step=step, value=value, description=name,
               continuous_update=False, style={"description_width": "initial"})


def explorer(draw: Callable[..., object], **controls: tuple):
    """Sliders for ``draw``'s keyword arguments and an output area that shows its figure.

    Each keyword maps a parameter of ``draw`` to ``(min, max, step, value)``; all-int tuples
    make an integer slider. Moving a slider (with the mouse released) calls ``draw`` with every
    slider's value and displays the Matplotlib figure it returns in place of the last one.
    The returned ``ipywidgets.VBox`` carries ``sliders`` (name -> slider), ``output`` and
    ``redraw()`` (draw now with the current values; returns the figure).
    """
    if not callable(draw):
        raise TypeError(f"draw must be callable, got {describe(draw)}")
    if not controls:
        raise ValueError("explorer needs at least one control, got none")
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import clear_output, display

    sliders = {name: _slider(widgets, name, spec) for name, spec in controls.items()}
    output = widgets.Output()

    def redraw(change=None):
        with output:  # an error in draw shows here, where the reader is looking
            clear_output(wait=True)
            figure = draw(**{name: s.value for name, s in sliders.items()})
            display(figure)
        plt.close(figure)
        return figure

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    box = widgets.VBox([*sliders.values(), output])
    box.sliders, box.output, box.redraw = sliders, output, redraw
    return box
