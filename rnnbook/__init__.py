"""rnnbook: the helper package of the executable book on recurrent neural networks.

One home per idea, so that the import can be guessed:

- ``rnn``: the Elman network of chapters 01-05 (init, forward, BPTT, one step);
- ``losses``: sigmoid, softmax, log-softmax, cross-entropy, squared error, bits, perplexity,
  entropy, accuracy;
- ``gradcheck`` (finite differences), ``optim`` (SGD, momentum, Adagrad, Adam, clipping);
- ``train``: the NumPy training loops (text by epochs, any task by minibatches) and evaluation;
- ``sampling``: temperature and top-k sampling, reading a prompt, generation;
- ``ngram``: count-based baselines (Witten-Bell, interpolated and modified Kneser-Ney);
- ``window``: the neural fixed-window language model (Bengio et al. 2003);
- ``datasets`` (the hash-verified data sources), ``data`` (vocabulary, splits, minibatches),
  ``tasks`` (synthetic tasks);
- ``plots`` (the book's style and shared figures), ``scan`` (linear recurrences by loop and by
  parallel scan), ``stats`` (paired tests, a block bootstrap), ``timing`` (a median timer, the
  benchmark record), ``environment`` (the settings that make outputs repeat), ``set_seed``.

Imported explicitly, because they load TensorFlow or widgets: ``tfsetup`` (a quiet,
reproducible TensorFlow import, the only way TensorFlow enters a chapter), then ``keras_models``
(layers and the seeded builders), ``keras_training`` (the explicit training step, keep-the-best,
evaluation), ``keras_data`` (input pipelines, padding) and ``keras_generation`` (sampling text
from a Keras model); ``explore`` (live sliders for JupyterLab).

Import rules: a notebook imports rnnbook and public libraries, never ``benchmarks/`` or
``tests/``, and never a name that starts with ``_``. Inside the package, public functions check
their arguments once; the private ones they call trust them.
"""

from . import (
    data,
    datasets,
    gradcheck,
    losses,
    ngram,
    optim,
    rnn,
    sampling,
    scan,
    stats,
    tasks,
    timing,
    train,
    window,
)
from .environment import keep_freed_memory
from .seed import set_seed

keep_freed_memory()  # no page faults for the arrays a training step frees and allocates again

__all__ = ["data", "datasets", "gradcheck", "losses", "ngram", "optim", "rnn", "sampling",
           "scan", "set_seed", "stats", "tasks", "timing", "train", "window"]
__version__ = "0.2.0"
