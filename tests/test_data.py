"""Corpus loading with hash checks, vocabularies, splits and minibatch partitions."""

import shutil

import numpy as np
import pytest

from rnnbook import data, datasets, tasks


def test_hamlet_loads_and_is_verified():
    text = datasets.load_text("hamlet")
    assert len(text) == 175176 and text.startswith("\nThe Tragedy of Hamlet")
    path = datasets.data_dir() / "hamlet.txt"
    assert datasets.sha256_of(path) == datasets.DATASETS["hamlet"].sha256


def test_every_shipped_file_is_registered_and_documented():
    readme = (datasets.data_dir() / "README.md").read_text(encoding="utf-8")
    registered = {entry.filename: entry.sha256 for entry in datasets.DATASETS.values()}
    files = [p for p in datasets.data_dir().iterdir() if p.is_file() and p.name != "README.md"]
    assert {p.name for p in files} == set(registered)
    for path in files:
        assert datasets.sha256_of(path) == registered[path.name]
        assert registered[path.name] in readme and f"`{path.name}`" in readme


def test_corrupted_file_is_refused(tmp_path):
    copy = tmp_path / "hamlet.txt"
    shutil.copy(datasets.data_dir() / "hamlet.txt", copy)
    raw = bytearray(copy.read_bytes())
    raw[1000] ^= 1  # flip one bit
    copy.write_bytes(bytes(raw))
    with pytest.raises(datasets.DataIntegrityError, match="hamlet.txt has sha256"):
        datasets.load_text("hamlet", directory=tmp_path)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        datasets.load_text("hamlet", directory=tmp_path / "nowhere")
    with pytest.raises(ValueError, match="name must be one of"):
        datasets.load_text("macbeth")
    with pytest.raises(ValueError, match="name must be one of"):
        datasets.load_text("sunspots")  # a table, not a text


def test_sunspots_load():
    years, values = datasets.load_sunspots()
    assert years[0] == 1700 and years[-1] == 2008 and np.array_equal(np.diff(years), np.ones(308))
    assert values.dtype == np.float64 and values.min() >= 0 and values[:3].tolist() == [5, 11, 16]


def test_japanese_vowels_load():
    train_x, train_y, test_x, test_y = datasets.load_japanese_vowels()
    assert (len(train_x), len(test_x)) == (270, 370)
    assert np.array_equal(np.bincount(train_y), np.full(9, 30)) and test_y.max() == 8
    lengths = [len(x) for x in train_x + test_x]
    assert min(lengths) == 7 and max(lengths) == 29
    assert all(x.shape[1] == 12 and x.dtype == np.float64 for x in train_x + test_x)


def test_digits_load():
    images, labels = datasets.load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.float64
    assert images.min() == 0 and images.max() == 16 and np.array_equal(images, images.round())
    assert labels.dtype == np.int64 and np.bincount(labels).tolist() == [
        178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert images[0, 0].tolist() == [0, 0, 5, 13, 9, 1, 0, 0] and labels[0] == 0


def test_movie_reviews_load():
    texts, labels, movies = datasets.load_movie_reviews()
    assert len(texts) == len(movies) == len(labels) == 12808
    assert labels.dtype == np.int64 and labels.sum() == 7403  # fresh; the other 5,405 rotten
    assert texts[0] == "A three-hour cinema master class." and labels[0] == 1
    assert all(t == t.strip() and t for t in texts) and len(set(movies)) == 508


def test_cdnow_load():
    customers, days, cds, dollars = datasets.load_cdnow()
    assert len(customers) == len(days) == len(cds) == len(dollars) == 69659
    assert np.unique(customers).tolist() == list(range(1, 23571))
    assert np.all(np.diff(customers) >= 0)  # sorted by customer
    first = days[np.r_[True, np.diff(customers) > 0]]
    assert first.min() == 0 and first.max() == 83  # first purchases: 1 Jan to 25 Mar 1997
    assert days.max() == 545 and cds.min() == 1 and dollars.min() >= 0  # last day: 30 Jun 1998
    assert (customers[0], days[0], cds[0], dollars[0]) == (1, 0, 1, 11.77)


def test_package_data_is_pinned_where_it_is_installed():
    pins = (datasets.data_dir().parent / "requirements-data.txt").read_text(encoding="utf-8")
    readme = (datasets.data_dir() / "README.md").read_text(encoding="utf-8")
    for name, entry in datasets.PACKAGE_DATA.items():
        assert f"{entry.package.lower()}=={entry.version}" in pins.lower()
        assert entry.sha256 in readme
        assert datasets.sha256_of(datasets.package_data_path(name)) == entry.sha256
    with pytest.raises(ValueError, match="name must be one of"):
        datasets.package_data_path("imdb")


def test_missing_package_names_the_fix(monkeypatch):
    monkeypatch.setitem(datasets.PACKAGE_DATA, "cdnow", datasets.PackageFile(
        package="no_such_package_rnnbook", version="1.0", path="x.txt", sha256="0" * 64,
        description="missing"))
    with pytest.raises(FileNotFoundError, match="requirements-data.txt"):
        datasets.load_cdnow()


@pytest.mark.parametrize("name, filename, load", [
    ("sunspots", "sunspots.csv", lambda d: datasets.load_sunspots(directory=d)),
    ("japanese_vowels_test", "JapaneseVowels_TEST.ts",
     lambda d: datasets.load_japanese_vowels(directory=d)),
    ("digits", "digits.csv.gz", lambda d: datasets.load_digits(directory=d)),
])
def test_corrupted_application_files_are_refused(tmp_path, name, filename, load):
    for entry in datasets.DATASETS.values():
        shutil.copy(datasets.data_dir() / entry.filename, tmp_path / entry.filename)
    raw = bytearray((tmp_path / filename).read_bytes())
    raw[len(raw) // 2] ^= 1
    (tmp_path / filename).write_bytes(bytes(raw))
    with pytest.raises(datasets.DataIntegrityError, match=f"{filename} has sha256"):
        load(tmp_path)


@pytest.mark.parametrize("name, load", [
    ("movie_reviews", lambda d: datasets.load_movie_reviews(directory=d)),
    ("cdnow", lambda d: datasets.load_cdnow(directory=d)),
])
def test_corrupted_package_files_are_refused(tmp_path, name, load):
    source = datasets.package_data_path(name)
    raw = bytearray(source.read_bytes())
    raw[len(raw) // 2] ^= 1
    (tmp_path / source.name).write_bytes(bytes(raw))
    with pytest.raises(datasets.DataIntegrityError, match=f"{source.name} has sha256"):
        load(tmp_path)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load(tmp_path / "nowhere")


def test_vocab_round_trip():
    text = "To be, or not to be:\nthat is the question."
    vocab = data.Vocab.from_text(text)
    assert vocab.size == len(set(text)) == len(vocab)
    assert list(vocab.chars) == sorted(set(text))
    ids = vocab.encode(text)
    assert ids.dtype == np.int64 and vocab.decode(ids) == text
    assert vocab.decode(np.array([], dtype=np.int64)) == ""


def test_vocab_rejects():
    vocab = data.Vocab.from_text("abc")
    with pytest.raises(ValueError, match="'z' at position 2"):
        vocab.encode("abz")
    with pytest.raises(TypeError, match="text must be a string"):
        vocab.encode(3)
    with pytest.raises(ValueError, match=r"ids must hold ids in \[0, 2\]"):
        vocab.decode(np.array([0, 3]))
    with pytest.raises(TypeError, match="ids must have an integer"):
        vocab.decode(np.array([0.0]))
    with pytest.raises(ValueError, match="text must be a non-empty string"):
        data.Vocab.from_text("")
    with pytest.raises(ValueError, match="must not repeat"):
        data.Vocab(("a", "a"))
    with pytest.raises(ValueError, match="single characters"):
        data.Vocab(("ab",))


def test_split_is_contiguous_and_never_leaks():
    ids = np.arange(1000)
    train, val, test = data.train_val_test_split(ids, 0.1, 0.2)
    assert (train.size, val.size, test.size) == (700, 100, 200)
    np.testing.assert_array_equal(np.concatenate([train, val, test]), ids)
    assert train.max() < val.min() and val.max() < test.min()
    _, _, empty = data.train_val_test_split(ids, 0.1)
    assert empty.size == 0


@pytest.mark.parametrize("kwargs, words", [
    (dict(val_fraction=0.0), "val_fraction must be > 0"),
    (dict(val_fraction=0.6, test_fraction=0.4), "must be < 1"),
    (dict(test_fraction=-0.1), "test_fraction must be >= 0"),
    (dict(val_fraction="0.1"), "val_fraction must be a real number"),
])
def test_split_rejects(kwargs, words):
    with pytest.raises((ValueError, TypeError), match=words):
        data.train_val_test_split(np.arange(100), **kwargs)


def test_split_rejects_a_corpus_too_short():
    with pytest.raises(ValueError, match="ids of length 5 is too short"):
        data.train_val_test_split(np.arange(5), 0.1)


def test_sequential_batches_cover_the_corpus_in_order():
    ids = np.arange(1001)
    batches = list(data.sequential_batches(ids, batch_size=4, num_steps=10))
    assert len(batches) == 25 and all(X.shape == (4, 10) for X, _ in batches)
    seen = np.concatenate([X.ravel() for X, _ in batches])
    assert np.unique(seen).size == seen.size == 1000  # no overlap, nothing dropped here
    for X, Y in batches:
        np.testing.assert_array_equal(Y, X + 1)  # targets are the next character
    for (X1, _), (X2, _) in zip(batches, batches[1:], strict=False):
        np.testing.assert_array_equal(X2[:, 0], X1[:, -1] + 1)  # row r continues row r


def test_sequential_batches_with_offset():
    batches = list(data.sequential_batches(np.arange(100), 2, 5, offset=3))
    assert batches[0][0][0, 0] == 3


def test_random_batches_cover_without_overlap(rng):
    ids = np.arange(1003)
    batches = list(data.random_batches(ids, batch_size=5, num_steps=10, rng=rng, offset=2))
    seen = np.concatenate([X.ravel() for X, _ in batches])
    assert np.unique(seen).size == seen.size  # no character twice
    assert seen.size == 1000 and seen.min() == 2  # windows from the offset on, full batches
    for X, Y in batches:
        np.testing.assert_array_equal(Y, X + 1)
        assert (np.diff(X, axis=1) == 1).all()  # each row is a contiguous window
    starts = np.concatenate([X[:, 0] for X, _ in batches])
    assert not (np.diff(starts) == 10).all()  # shuffled, not in reading order


@pytest.mark.parametrize("fn", [data.sequential_batches, data.random_batches])
def test_batches_reject(fn):
    ids = np.arange(100)
    with pytest.raises(ValueError, match="num_steps=60"):
        list(fn(ids, 2, 60))
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        list(fn(ids, 0, 5))
    with pytest.raises(ValueError, match="num_steps must be >= 1"):
        list(fn(ids, 2, 0))
    with pytest.raises(TypeError, match="ids must have an integer"):
        list(fn(ids.astype(float), 2, 5))
    with pytest.raises(ValueError, match="ids must have 1 dimensions"):
        list(fn(ids.reshape(10, 10), 2, 5))
    with pytest.raises(ValueError, match="offset must be <= 98"):
        list(fn(ids, 2, 5, offset=300))


def test_delayed_echo_repeats_the_past(rng):
    X, Y, mask = tasks.delayed_echo(5, 12, 3, num_symbols=6, rng=rng)
    assert X.shape == Y.shape == mask.shape == (5, 12) and X.max() < 6
    np.testing.assert_array_equal(Y[:, 3:], X[:, :9])
    assert not mask[:, :3].any() and mask[:, 3:].all()
    X0, Y0, mask0 = tasks.delayed_echo(2, 4, 0, rng=rng)
    np.testing.assert_array_equal(X0, Y0)
    assert mask0.all()


def test_running_parity(rng):
    X, Y = tasks.running_parity(4, 9, rng=rng)
    for r in range(4):
        for t in range(9):
            assert Y[r, t] == sum(X[r, :t + 1]) % 2


@pytest.mark.parametrize("call, words", [
    (lambda: tasks.delayed_echo(2, 5, 5), "delay must be <= 4"),
    (lambda: tasks.delayed_echo(2, 5, -1), "delay must be >= 0"),
    (lambda: tasks.delayed_echo(0, 5, 1), "num_sequences must be >= 1"),
    (lambda: tasks.delayed_echo(2, 5, 1, num_symbols=1), "num_symbols must be >= 2"),
    (lambda: tasks.running_parity(2, 0), "num_steps must be >= 1"),
    (lambda: tasks.running_parity(2, 3, rng="x"), "rng must be"),
])
def test_synthetic_tasks_reject(call, words):
    with pytest.raises((ValueError, TypeError), match=words):
        call()


def test_adding_problem(rng):
    X, y = tasks.adding_problem(2000, 10, rng=rng)
    assert X.shape == (2000, 10, 2) and y.shape == (2000,)
    assert (X[:, :, 1].sum(axis=1) == 2).all()
    assert (X[:, :5, 1].sum(axis=1) == 1).all() and (X[:, 5:, 1].sum(axis=1) == 1).all()
    np.testing.assert_allclose(y, (X[:, :, 0] * X[:, :, 1]).sum(axis=1))
    assert np.mean((y - 1.0) ** 2) == pytest.approx(1 / 6, abs=0.015)  # the trivial baseline
    with pytest.raises(ValueError, match="num_steps must be >= 2"):
        tasks.adding_problem(3, 1)
