"""Every figure of the book, in one style and one colour scheme.

Each function draws on a Matplotlib ``Axes`` (a new figure when ``ax`` is None), sets a title
and labelled axes with units, and returns the ``Axes``. Introduced in chapter 01.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from ._checks import check_int, describe

#: One colour per role, used the same way in every chapter (colour-blind safe, Okabe-Ito).
PALETTE = {
    "train": "#0072B2",
    "validation": "#E69F00",
    "test": "#009E73",
    "rnn": "#D55E00",
    "baseline": "#56B4E9",
    "reference": "#999999",
    "highlight": "#CC79A7",
}


def use_book_style() -> None:
    """Set the book's Matplotlib style: small PNG figures, grid, readable fonts.

    Introduced in chapter 01; called in the setup cell of every chapter.
    """
    mpl.rcParams.update({
        "figure.figsize": (6.4, 3.6),
        "figure.dpi": 90,
        "savefig.dpi": 90,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "legend.fontsize": 9,
        "legend.frameon": False,
        "axes.prop_cycle": mpl.cycler(color=list(PALETTE.values())),
    })


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots()
    elif not isinstance(ax, mpl.axes.Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {describe(ax)}")
    return ax


def _check_series(name: str, values: object, length: int | None = None) -> np.ndarray:
    if not isinstance(values, (Sequence, np.ndarray)) or isinstance(values, str):
        raise TypeError(f"{name} must be a sequence of numbers, got {describe(values)}")
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence, got shape {arr.shape}")
    if length is not None and arr.size != length:
        raise ValueError(f"{name} must have length {length}, got {arr.size}")
    return arr


def _check_curves(name: str, curves: object, colours: list[str], what: str = "curves") -> list[str]:
    """Check that ``curves`` is a non-empty mapping with at most one entry per colour; return
    the colours to use, in order."""
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError(f"{name} must be a non-empty dict, got {describe(curves)}")
    if len(curves) > len(colours):
        raise ValueError(f"{name} may hold at most {len(colours)} {what}, got {len(curves)}")
    return colours[:len(curves)]


def plot_learning_curves(epochs: Sequence[int], train_bpc: Sequence[float],
                         val_bpc: Sequence[float] | None = None, *,
                         references: Mapping[str, float] | None = None,
                         title: str = "Learning curves", ax=None):
    """Training (and validation) cross-entropy in bits per character against epoch, with
    optional horizontal reference lines (for instance a baseline's validation figure).

    Introduced in chapter 01.
    """
    x = _check_series("epochs", epochs)
    ax = _axes(ax)
    ax.plot(x, _check_series("train_bpc", train_bpc, x.size), marker="o", ms=3,
            color=PALETTE["train"], label="training")
    if val_bpc is not None:
        ax.plot(x, _check_series("val_bpc", val_bpc, x.size), marker="o", ms=3,
                color=PALETTE["validation"], label="validation")
    for i, (label, value) in enumerate((references or {}).items()):
        ax.axhline(float(value), ls="--", lw=1, color=PALETTE["reference"] if i else
                   PALETTE["baseline"], label=label)
    ax.set(title=title, xlabel="epoch", ylabel="cross-entropy (bits/char)")
    ax.legend()
    return ax


def plot_bits_vs_context(curves: Mapping[str, tuple[Sequence[int], Sequence[float]]], *,
                         references: Mapping[str, float] | None = None,
                         title: str = "How much context does each model use?", ax=None):
    """Bits per character against the number of context characters a model may look at,
    one line per ``label: (context_lengths, bpc)``, with horizontal reference lines.

    The x-axis is logarithmic (symlog, so that a context of 0 stays visible).
    Introduced in chapter 01.
    """
    colours = _check_curves("curves", curves, [PALETTE["train"], PALETTE["validation"],
                                               PALETTE["rnn"], PALETTE["highlight"]])
    ax = _axes(ax)
    for (label, pair), colour in zip(curves.items(), colours, strict=False):
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"curves[{label!r}] must be a pair (x, y), got {describe(pair)}")
        x = _check_series(f"curves[{label!r}][0]", pair[0])
        ax.plot(x, _check_series(f"curves[{label!r}][1]", pair[1], x.size), marker="o", ms=4,
                color=colour, label=label)
    styles = [(PALETTE["rnn"], "--"), (PALETTE["reference"], ":"), (PALETTE["baseline"], "-.")]
    if len(references or {}) > len(styles):
        raise ValueError(f"references may hold at most {len(styles)} lines, "
                         f"got {len(references)}")
    for (label, value), (colour, style) in zip((references or {}).items(), styles, strict=False):
        ax.axhline(float(value), ls=style, lw=1.2, color=colour, label=label)
    ax.set_xscale("symlog", linthresh=1, linscale=0.5)  # 0 (no context) stays on the axis
    ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())
    ax.set_xlim(left=-0.3)  # no empty negative half of the symlog axis
    ticks = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256]
    ax.set_xticks([t for t in ticks if t <= ax.get_xlim()[1]])
    ax.xaxis.set_major_formatter(mpl.ticker.ScalarFormatter())
    ax.set(title=title, xlabel="context length (characters, log scale)",
           ylabel="cross-entropy (bits/char)")
    ax.legend()
    return ax


def plot_surprisal(text: str, surprisals: Mapping[str, Sequence[float]], *,
                   title: str = "Surprisal per character", ax=None):
    """Per-character surprisal ``-log2 p`` of several models along a short passage, with the
    passage's characters as tick labels.

    Introduced in chapter 01.
    """
    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string, got {describe(text)}")
    colours = _check_curves("surprisals", surprisals, [PALETTE["baseline"], PALETTE["rnn"],
                                                      PALETTE["reference"], PALETTE["highlight"]],
                            what="models")
    ax = _axes(ax)
    for (label, values), colour in zip(surprisals.items(), colours, strict=False):
        ax.plot(_check_series(f"surprisals[{label!r}]", values, len(text)),
                drawstyle="steps-mid", color=colour, label=label)
    ax.set_xticks(range(len(text)))
    ax.set_xticklabels(["⏎" if ch == "\n" else ("␣" if ch == " " else ch) for ch in text],
                       fontsize=7, family="monospace")
    ax.grid(axis="x", visible=False)
    ax.set(title=title, xlabel="character", ylabel="surprisal (bits)")
    ax.legend(loc="upper right")
    return ax


def _node(ax, x, y, text, colour, *, width=0.9, height=0.5):
    box = mpl.patches.FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                     boxstyle="round,pad=0.02,rounding_size=0.12",
                                     facecolor=colour, edgecolor="black", lw=0.8, alpha=0.9)
    ax.add_patch(box)
    ax.text(x, y, text, ha="center", va="center", fontsize=10)


def _arrow(ax, start, end, label=None, *, offset=(0.0, 0.0), colour="black"):
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.0, shrinkA=0, shrinkB=0))
    if label:
        mid = ((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1])
        ax.text(*mid, label, ha="center", va="center", fontsize=9, color=colour,
                bbox=dict(facecolor="white", edgecolor="none", pad=0.5))


def plot_unrolled(num_steps: int = 4, *, input_steps: Sequence[int] | None = None,
                  output_steps: Sequence[int] | None = None, decoder_from: int | None = None,
                  title: str = "The RNN unrolled in time", ax=None):
    """Draw the recurrence unrolled over ``num_steps`` steps (numbered from 1).

    Each step reads ``x_t`` through ``W``, the previous state through ``U``, adds ``b`` and
    applies tanh to give ``h_t``; ``o_t = V h_t + c``. ``input_steps`` and ``output_steps`` pick
    the steps that have an input or an output (all by default), which draws the four
    topologies of chapter 02. With ``decoder_from=k`` steps ``k`` onwards are a decoder with their
    own weights (primed). The same letters on every step are the same matrices: parameter
    sharing. Introduced in chapter 02.
    """

    num_steps = check_int("num_steps", num_steps, minimum=1, maximum=12)
    steps = range(1, num_steps + 1)
    inputs = set(steps if input_steps is None else input_steps)
    outputs = set(steps if output_steps is None else output_steps)
    for name, chosen in (("input_steps", inputs), ("output_steps", outputs)):
        if not chosen <= set(steps):
            raise ValueError(f"{name} must be steps in 1..{num_steps}, got {sorted(chosen)}")
    if decoder_from is not None:
        decoder_from = check_int("decoder_from", decoder_from, minimum=2, maximum=num_steps)
    ax = _axes(ax)
    gap = 1.6
    _node(ax, 0, 1, "$h_0$", "#eeeeee")
    for t in steps:
        x = t * gap
        decoder = decoder_from is not None and t >= decoder_from
        prime = "'" if decoder else ""
        state_colour = PALETTE["highlight"] if decoder else PALETTE["rnn"]
        _node(ax, x, 1, f"$h_{{{t}}}$", state_colour)
        ax.text(x - 0.5, 0.68, f"$+b{prime}$", fontsize=8, ha="right", va="center")
        _arrow(ax, ((t - 1) * gap + 0.45, 1), (x - 0.45, 1), f"$U{prime}$", offset=(0, 0.18))
        if t in inputs:
            _node(ax, x, 0, f"$x_{{{t}}}$", PALETTE["baseline"])
            _arrow(ax, (x, 0.25), (x, 0.75), f"$W{prime}$", offset=(0.22, 0))
        if t in outputs:
            _node(ax, x, 2, f"$o_{{{t}}}$", PALETTE["validation"])
            _arrow(ax, (x, 1.25), (x, 1.75), f"$V{prime}$", offset=(0.22, 0))
    ax.set_xlim(-0.6, num_steps * gap + 0.7)
    ax.set_ylim(-0.45, 2.45)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title)
    return ax


def plot_hidden_states(H: np.ndarray, *, step_labels: Sequence[str] | None = None,
                       title: str = "Hidden state over time", ax=None):
    """Heatmap of one sequence's hidden states ``H`` of shape ``(num_steps, num_hiddens)``:
    one column per time step, one row per hidden unit, colour = activation in [-1, 1].

    Introduced in chapter 02.
    """
    if not isinstance(H, np.ndarray) or H.ndim != 2 or H.size == 0:
        raise ValueError(f"H must be a non-empty array of shape (num_steps, num_hiddens), "
                         f"got {describe(H)}")
    if step_labels is not None and len(step_labels) != H.shape[0]:
        raise ValueError(f"step_labels must have {H.shape[0]} entries, got {len(step_labels)}")
    ax = _axes(ax)
    image = ax.imshow(H.T, aspect="auto", cmap="RdBu_r", vmin=-1, vmax=1,
                      interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, label="activation $h_t$ (tanh, -1 to 1)")
    if step_labels is not None:
        ax.set_xticks(range(H.shape[0]))
        ax.set_xticklabels(step_labels, fontsize=7)
    ax.grid(False)
    ax.set(title=title, xlabel="time step (input shown)", ylabel="hidden unit")
    return ax


def plot_accuracy_vs_delay(delays: Sequence[int], curves: Mapping[str, Sequence[float]], *,
                           chance: float | None = None,
                           title: str = "Remembering k steps back", ax=None):
    """Accuracy of several models against the delay ``k`` a task requires, with chance level.

    Introduced in chapter 02.
    """
    x = _check_series("delays", delays)
    colours = _check_curves("curves", curves, [PALETTE["rnn"], PALETTE["baseline"],
                                               PALETTE["highlight"], PALETTE["train"]])
    ax = _axes(ax)
    for (label, values), colour in zip(curves.items(), colours, strict=False):
        ax.plot(x, _check_series(f"curves[{label!r}]", values, x.size), marker="o", ms=4,
                color=colour, label=label)
    if chance is not None:
        ax.axhline(chance, ls=":", lw=1.2, color=PALETTE["reference"], label="chance")
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.set(title=title, xlabel="delay k (time steps)", ylabel="accuracy on held-out sequences")
    ax.legend()
    return ax


def plot_partitions(text: str, assignments: Mapping[str, tuple[np.ndarray, np.ndarray]], *,
                    title: str = "Which characters land in which minibatch", ax=None):
    """One strip per partition scheme: each character of ``text`` coloured by the minibatch it
    lands in, labelled with its row in that minibatch (grey: not used).

    ``assignments[label] = (batch, row)``, two integer arrays of ``len(text)`` entries (-1 for
    characters not used). Introduced in chapter 03.
    """
    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string, got {describe(text)}")
    if not isinstance(assignments, Mapping) or not assignments:
        raise TypeError(f"assignments must be a non-empty dict, got {describe(assignments)}")
    ax = _axes(ax)
    cmap = mpl.colormaps["tab10"]
    for i, (label, (batch, row)) in enumerate(assignments.items()):
        batch, row = np.asarray(batch), np.asarray(row)
        if batch.shape != (len(text),) or row.shape != (len(text),):
            raise ValueError(f"assignments[{label!r}] must hold two arrays of length {len(text)}")
        y = -i * 1.4
        for j, ch in enumerate(text):
            colour = "#dddddd" if batch[j] < 0 else cmap(batch[j] % 10)
            ax.add_patch(mpl.patches.Rectangle((j, y), 1, 1, facecolor=colour,
                                               edgecolor="white", lw=0.5))
            shown = {"\n": "⏎", " ": "␣"}.get(ch, ch)
            ax.text(j + 0.5, y + 0.6, shown, ha="center", va="center", fontsize=7,
                    family="monospace")
            if batch[j] >= 0:
                ax.text(j + 0.5, y + 0.2, f"{batch[j]}.{row[j]}", ha="center", va="center",
                        fontsize=4.5)
        ax.text(-0.5, y + 0.5, label, ha="right", va="center", fontsize=9)
    ax.set_xlim(-0.2, len(text) + 0.2)
    ax.set_ylim(-1.4 * len(assignments) + 0.2, 1.2)
    ax.axis("off")
    ax.set_title(title + " (label: batch.row)")
    return ax


def plot_distributions(chars: Sequence[str], probs: Mapping[str, np.ndarray], *, top: int = 12,
                       title: str = "Next-character distribution", ax=None):
    """Grouped bars of several distributions over the same characters, for the ``top`` most
    likely under the first distribution. Introduced in chapter 03.
    """
    colours = _check_curves("probs", probs, [PALETTE["train"], PALETTE["validation"],
                                             PALETTE["rnn"], PALETTE["highlight"]],
                            what="distributions")
    first = _check_series("first distribution", next(iter(probs.values())), len(chars))
    order = np.argsort(first)[::-1][:top]
    ax = _axes(ax)
    width = 0.8 / len(probs)
    for i, ((label, p), colour) in enumerate(zip(probs.items(), colours, strict=False)):
        p = _check_series(f"probs[{label!r}]", p, len(chars))
        ax.bar(np.arange(order.size) + i * width, p[order], width, color=colour, label=label)
    ax.set_xticks(np.arange(order.size) + width * (len(probs) - 1) / 2)
    ax.set_xticklabels([{"\n": "⏎", " ": "␣"}.get(chars[i], chars[i]) for i in order],
                       family="monospace")
    ax.set(title=title, xlabel="next character", ylabel="probability")
    ax.legend()
    return ax


def plot_training_curves(curves: Mapping[str, Sequence[float]], *, xlabel: str = "update",
                         ylabel: str = "training loss (bits/char)", logy: bool = False,
                         x: Sequence[float] | None = None,
                         title: str = "Training curves",
                         styles: Mapping[str, tuple[str, str]] | None = None, ax=None):
    """Several curves against the update (or epoch) number, one line each; ``logy`` draws the
    y-axis on a log scale (for runs that blow up), ``x`` replaces 1, 2, 3, ... as x values
    (curves may be shorter than ``x``: a run that stopped early). Introduced in chapter 04.

    ``styles`` maps some of the labels to ``(colour, linestyle)``, to group curves that belong
    together (one colour per model, dashed before training and solid after: chapter 09); the
    other curves keep the default colours, solid.
    """
    colours = _check_curves("curves", curves, [PALETTE["train"], PALETTE["validation"],
                                               PALETTE["rnn"], PALETTE["highlight"],
                                               PALETTE["baseline"], PALETTE["test"]])
    styles = {} if styles is None else styles
    if not isinstance(styles, Mapping):
        raise TypeError(f"styles must be a dict or None, got {describe(styles)}")
    for label, style in styles.items():
        if label not in curves:
            raise ValueError(f"styles has the label {label!r}, which curves does not")
        if not (isinstance(style, tuple) and len(style) == 2
                and all(isinstance(s, str) for s in style)):
            raise TypeError(f"styles[{label!r}] must be a (colour, linestyle) pair of strings, "
                            f"got {describe(style)}")
    ax = _axes(ax)
    for (label, values), colour in zip(curves.items(), colours, strict=False):
        y = _check_series(f"curves[{label!r}]", values)
        xs = np.arange(1, y.size + 1) if x is None else _check_series("x", x)[:y.size]
        if xs.size != y.size:
            raise ValueError(f"curves[{label!r}] has {y.size} values but x only {xs.size}")
        colour, linestyle = styles.get(label, (colour, "-"))
        ax.plot(xs, y, lw=1.2, color=colour, linestyle=linestyle, label=label)
    if logy:
        ax.set_yscale("log")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend()
    return ax


def plot_cumulative_forecast(actual: Sequence[float], forecasts: Mapping[str, Sequence[float]],
                             *, forecast_start: int, first_period: int = 1,
                             difference: bool = False, xlabel: str = "week",
                             ylabel: str = "cumulative repeat transactions",
                             title: str = "Cumulative repeat transactions: actual and forecast",
                             ax=None):
    """Actual cumulative counts for periods 1, 2, ..., ``len(actual)`` and, after period
    ``forecast_start``, each model's forecast of the periods that follow, with a dotted line at
    the end of the calibration (the classic tracking plot of customer-base analysis).

    ``forecasts[label]`` holds the model's *cumulative predicted count within the forecast
    periods* (periods ``forecast_start + 1`` to ``len(actual)``, so ``len(actual) -
    forecast_start`` values, starting near 0); it is drawn on top of the actual count at period
    ``forecast_start``. Each model gets its own colour *and* line style. ``first_period`` zooms
    in: periods before it are not drawn. With ``difference=True`` the plot shows, for the
    forecast periods only, each forecast *minus* the actual cumulative count (the actual count is
    then the zero line): a line that falls has predicted too few transactions in those periods,
    one that rises too many. Introduced in chapter 07 (e-commerce).
    """

    y = _check_series("actual", actual)
    if y.size < 2:
        raise ValueError(f"actual must hold at least 2 periods, got {y.size}")
    forecast_start = check_int("forecast_start", forecast_start, minimum=1, maximum=y.size - 1)
    first_period = check_int("first_period", first_period, minimum=1, maximum=forecast_start)
    if not isinstance(difference, bool):
        raise TypeError(f"difference must be True or False, got {describe(difference)}")
    colours = _check_curves("forecasts", forecasts, [PALETTE["rnn"], PALETTE["baseline"],
                                                     PALETTE["highlight"], PALETTE["test"]],
                            what="models")
    styles = ["--", "-.", (0, (1, 1.5)), (0, (6, 1.5, 1, 1.5, 1, 1.5))]
    ax = _axes(ax)
    later = np.arange(forecast_start, y.size + 1)
    if difference:
        ax.axhline(0.0, color="black", lw=1.6, label="actual")
    else:
        periods = np.arange(first_period, y.size + 1)
        ax.plot(periods, y[first_period - 1:], color="black", lw=1.6, label="actual")
    for (label, values), colour, style in zip(forecasts.items(), colours, styles, strict=False):
        f = _check_series(f"forecasts[{label!r}]", values, y.size - forecast_start)
        line = y[forecast_start - 1] + np.concatenate([[0.0], f])
        if difference:
            line = line - y[forecast_start - 1:]
        ax.plot(later, line, ls=style, lw=1.5, color=colour, label=label)
    if not difference:
        ax.axvline(forecast_start + 0.5, color=PALETTE["reference"], ls=":", lw=1)
        ax.text(forecast_start + 0.5, 0.02, " forecast \u2192", transform=ax.get_xaxis_transform(),
                fontsize=8, color=PALETTE["reference"])
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend()
    return ax


def plot_running_probability(tokens: Sequence[str], probabilities: Mapping[str, Sequence[float]],
                             *, ylabel: str = "probability of the positive class",
                             title: str = "Reading a sentence word by word", ax=None):
    """What several classifiers answer after each word of one sentence: ``probabilities[name][t]``
    is the model's probability of the positive class given ``tokens[:t + 1]``. One line per model,
    the tokens as tick labels, and a dashed line at 0.5, where the answer flips.

    Introduced in chapter 07 (language).
    """
    if (isinstance(tokens, str) or not isinstance(tokens, Sequence) or not tokens
            or not all(isinstance(t, str) for t in tokens)):
        raise TypeError(f"tokens must be a non-empty sequence of strings, got {describe(tokens)}")
    colours = _check_curves("probabilities", probabilities,
                            [PALETTE["baseline"], PALETTE["rnn"], PALETTE["highlight"],
                             PALETTE["reference"]], what="models")
    ax = _axes(ax)
    for (label, values), colour in zip(probabilities.items(), colours, strict=False):
        p = _check_series(f"probabilities[{label!r}]", values, len(tokens))
        if not ((p >= 0) & (p <= 1)).all():
            raise ValueError(f"probabilities[{label!r}] must lie in [0, 1], got min {p.min()} "
                             f"and max {p.max()}")
        ax.plot(range(len(tokens)), p, marker="o", ms=3, lw=1.2, color=colour, label=label)
    ax.axhline(0.5, color=PALETTE["reference"], lw=0.8, ls="--")
    ax.set_ylim(0, 1)
    ax.set_xticks(range(len(tokens)))
    ax.set_xticklabels(tokens, rotation=45, ha="right", fontsize=8)
    ax.grid(axis="x", visible=False)
    ax.set(title=title, xlabel="last word read", ylabel=ylabel)
    ax.legend(loc="best")
    return ax


def plot_rows_revealed(images: np.ndarray, probabilities: np.ndarray, *,
                       row_labels: Sequence[str] | None = None,
                       title: str = "Reading digits row by row", ax=None):
    """A few images revealed one row at a time: one strip per image, one thumbnail per number of
    rows read (1 to ``num_rows``), the rows not yet read filled in a neutral light grey, and
    under each thumbnail the probability ``probabilities[i, k - 1]`` (two decimals) that a model
    gives the image's true class after reading ``k`` rows.

    ``images`` has shape ``(num_images, num_rows, num_cols)``, larger values darker (ink);
    ``probabilities`` has shape ``(num_images, num_rows)`` with values in [0, 1];
    ``row_labels`` (one string per image) label the strips. Introduced in chapter 07 (digits).
    """
    if not isinstance(images, np.ndarray) or images.ndim != 3 or images.size == 0:
        raise TypeError(f"images must be a non-empty 3-D array, got {describe(images)}")
    num_images, num_rows, num_cols = images.shape
    if num_images > 8:
        raise ValueError(f"images may hold at most 8 images, got {num_images}")
    p = np.asarray(probabilities, dtype=float)
    if p.shape != (num_images, num_rows):
        raise ValueError(f"probabilities must have shape {(num_images, num_rows)}, "
                         f"got {p.shape}")
    if not ((p >= 0) & (p <= 1)).all():
        raise ValueError(f"probabilities must lie in [0, 1], got min {p.min()} and max {p.max()}")
    if row_labels is not None and (isinstance(row_labels, str) or len(row_labels) != num_images):
        raise ValueError(f"row_labels must hold {num_images} strings, got {describe(row_labels)}")
    ax = _axes(ax)
    ink = images / max(float(images.max()), 1e-12)
    grey = 1.0 - ink[..., None] * np.ones(3)  # white paper, black ink
    unread = np.full(3, 0.82)  # neutral light grey: no colour of the palette's roles
    step_x, step_y = num_cols + 2, num_rows + 4
    for i in range(num_images):
        top = -i * step_y
        for k in range(1, num_rows + 1):
            shown = grey[i].copy()
            shown[k:] = unread
            left = (k - 1) * step_x
            ax.imshow(shown, extent=(left, left + num_cols, top - num_rows, top),
                      interpolation="nearest")
            ax.add_patch(mpl.patches.Rectangle((left, top - num_rows), num_cols, num_rows,
                                               fill=False, lw=0.6,
                                               edgecolor=PALETTE["reference"]))
            ax.text(left + num_cols / 2, top - num_rows - 0.3, f"{p[i, k - 1]:.2f}",
                    ha="center", va="top", fontsize=9)
    ax.set_xlim(-0.5, num_rows * step_x - 1.5)
    ax.set_ylim(-num_images * step_y + 1.5, 0.5)
    ax.set_xticks([(k - 1) * step_x + num_cols / 2 for k in range(1, num_rows + 1)])
    ax.set_xticklabels([str(k) for k in range(1, num_rows + 1)])
    ax.set_yticks([-i * step_y - num_rows / 2 for i in range(num_images)])
    ax.set_yticklabels(row_labels if row_labels is not None else
                       [str(i + 1) for i in range(num_images)])
    ax.tick_params(length=0)
    ax.grid(visible=False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set(title=title, xlabel="rows read (grey: not yet read; under each: probability of the "
           "true class)", ylabel="example")
    return ax


def plot_prefix_curves(curves: Mapping[str, Sequence[float]], *,
                       examples: Sequence[Sequence[float]] | None = None,
                       examples_label: str = "single sequences",
                       dashed: Mapping[str, Sequence[float]] | None = None,
                       dashed_label: str = "dashed",
                       chance: float | None = None, xlabel: str = "rows read",
                       ylabel: str = "accuracy on validation digits",
                       title: str = "Answers after part of the sequence",
                       legend_loc: str = "best", ax=None):
    """Quantities in [0, 1] (an accuracy, a mean probability) after each number of steps read,
    1, 2, ..., one line with markers per curve; the y axis is a plain fraction from 0 to 1.

    ``examples`` (a list of such curves, for single sequences) adds thin dashed lines in the
    colour of the first curve, with one legend entry ``examples_label``. ``dashed`` (a dict whose
    keys are labels of ``curves``) adds for a curve a second quantity drawn dashed in that
    curve's colour, e.g. the mean probability of the top class next to an accuracy, explained by
    one legend entry ``dashed_label``. ``chance`` draws a dotted horizontal line; ``legend_loc``
    is passed to Matplotlib's ``legend`` ("best" picks the emptiest corner), except "below",
    which puts the legend under the axes, clear of every line.

    Introduced in chapter 07 (digits).
    """
    colours = _check_curves("curves", curves, [PALETTE["rnn"], PALETTE["baseline"],
                                               PALETTE["highlight"], PALETTE["train"]])
    if not isinstance(legend_loc, str):
        raise TypeError(f"legend_loc must be a string, got {describe(legend_loc)}")
    ax = _axes(ax)
    num_steps, colour_of = None, {}
    for (label, values), colour in zip(curves.items(), colours, strict=False):
        y = _check_series(f"curves[{label!r}]", values, num_steps)
        num_steps = y.size
        if not ((y >= 0) & (y <= 1)).all():
            raise ValueError(f"curves[{label!r}] must lie in [0, 1], got min {y.min()} "
                             f"and max {y.max()}")
        ax.plot(np.arange(1, y.size + 1), y, marker="o", ms=4, lw=1.5, color=colour,
                label=label)
        colour_of[label] = colour
    if dashed is not None:
        if not isinstance(dashed, Mapping):
            raise TypeError(f"dashed must be a dict of curves or None, got {describe(dashed)}")
        for label, values in dashed.items():
            if label not in colour_of:
                raise ValueError(f"dashed[{label!r}] names no curve of curves")
            y = _check_series(f"dashed[{label!r}]", values, num_steps)
            if not ((y >= 0) & (y <= 1)).all():
                raise ValueError(f"dashed[{label!r}] must lie in [0, 1], got min {y.min()} "
                                 f"and max {y.max()}")
            ax.plot(np.arange(1, y.size + 1), y, ls="--", marker="s", ms=3, lw=1.3,
                    color=colour_of[label])
        ax.plot([], [], ls="--", marker="s", ms=3, lw=1.3, color=PALETTE["reference"],
                label=dashed_label)  # one legend entry for all dashed lines
    if examples is not None:
        if (isinstance(examples, (str, Mapping)) or not isinstance(examples, Sequence)
                or not all(isinstance(e, (Sequence, np.ndarray)) for e in examples)):
            raise TypeError(f"examples must be a list of curves or None, got {describe(examples)}")
        for i, values in enumerate(examples):
            y = _check_series(f"examples[{i}]", values, num_steps)
            ax.plot(np.arange(1, y.size + 1), y, ls="--", lw=0.8, color=colours[0], alpha=0.6,
                    label=examples_label if i == 0 else None)
    if chance is not None:
        ax.axhline(chance, ls=":", lw=1.2, color=PALETTE["reference"], label="chance")
    ax.set_ylim(0, 1.05)
    ax.set_xticks(np.arange(1, num_steps + 1))
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    if legend_loc == "below":
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17))
    else:
        ax.legend(loc=legend_loc)
    return ax


def plot_forecasts(times: Sequence[float], values: Sequence[float],
                   forecasts: Mapping[str, Sequence[tuple[Sequence[float], Sequence[float]]]]
                   | None = None, *,
                   spans: Mapping[str, tuple[float, float]] | None = None,
                   xlabel: str = "year", ylabel: str = "yearly mean sunspot number",
                   title: str = "Forecasts", ax=None):
    """A series against time (dark line), forecasts drawn over it and periods shaded behind it.

    ``forecasts`` maps a model's name to a list of ``(forecast_times, forecast_values)`` pairs,
    one per forecast origin, all drawn in that model's colour, line style and marker (at most 4
    models; the styles keep forecasts that coincide distinguishable). ``spans`` maps a period's
    name to ``(first, last)`` times, shaded (at most 3); the periods named "train", "validation"
    and "test" get those colours of the palette.
    Introduced in chapter 07 (time series).
    """
    t = _check_series("times", times)
    y = _check_series("values", values, t.size)
    forecasts = {} if forecasts is None else forecasts
    spans = {} if spans is None else spans
    if not isinstance(forecasts, Mapping):
        raise TypeError(f"forecasts must be a dict or None, got {describe(forecasts)}")
    if not isinstance(spans, Mapping):
        raise TypeError(f"spans must be a dict or None, got {describe(spans)}")
    if len(forecasts) > 4:
        raise ValueError(f"forecasts may hold at most 4 models, got {len(forecasts)}")
    if len(spans) > 3:
        raise ValueError(f"spans may hold at most 3 periods, got {len(spans)}")
    ax = _axes(ax)
    spare = iter([PALETTE["highlight"], PALETTE["reference"], PALETTE["baseline"]])
    for label, (first, last) in spans.items():
        colour = PALETTE[label] if label in ("train", "validation", "test") else next(spare)
        if not first <= last:
            raise ValueError(f"spans[{label!r}] must be (first, last) with first <= last, "
                             f"got {(first, last)!r}")
        ax.axvspan(first - 0.5, last + 0.5, color=colour, alpha=0.12, lw=0, label=label)
    ax.plot(t, y, color="#333333", lw=1.2, label="observed")
    styles = [(PALETTE["rnn"], "-", "o"), (PALETTE["baseline"], "--", "s"),
              (PALETTE["highlight"], ":", "^"), (PALETTE["train"], "-.", "D")]
    for (label, pairs), (colour, style, marker) in zip(forecasts.items(), styles, strict=False):
        if isinstance(pairs, (str, bytes)) or not isinstance(pairs, Sequence) or not pairs:
            raise TypeError(f"forecasts[{label!r}] must be a non-empty list of (times, values) "
                            f"pairs, got {describe(pairs)}")
        for i, pair in enumerate(pairs):
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise TypeError(f"forecasts[{label!r}][{i}] must be a (times, values) pair, "
                                f"got {describe(pair)}")
            ft = _check_series(f"forecasts[{label!r}][{i}] times", pair[0])
            fy = _check_series(f"forecasts[{label!r}][{i}] values", pair[1], ft.size)
            ax.plot(ft, fy, color=colour, lw=1.4, ls=style, marker=marker, ms=3,
                    label=label if i == 0 else None)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend()
    return ax
