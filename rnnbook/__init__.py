"""rnnbook: the helper package of the executable book on recurrent neural networks.

NumPy only: ``import rnnbook`` never imports TensorFlow, so chapters 01-05 start fast.
Modules: ``rnn`` (the model and BPTT), ``gradcheck``, ``optim``, ``sampling``, ``data``,
``ngram`` (fixed-window baselines), ``train``, ``plots``, ``scan`` (linear recurrences by loop and
by parallel scan) and ``stats`` (paired tests of two models). Imported explicitly, because they
load TensorFlow: ``tfsetup`` (a quiet, reproducible TensorFlow import) and ``keras_models``
(the book's model in Keras 3, chapter 06); and ``explore`` (live sliders for JupyterLab, which
imports ipywidgets when used).
"""

from . import data, gradcheck, ngram, optim, plots, rnn, sampling, scan, stats, train
from .seed import set_seed

__all__ = ["data", "gradcheck", "ngram", "optim", "plots", "rnn", "sampling", "scan",
           "set_seed", "stats", "train"]
__version__ = "0.1.0"
