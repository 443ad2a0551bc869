"""One place for the settings that make outputs repeat, and every way of running the book uses it.

A notebook executed by plain `pytest` (no Makefile) must reproduce its committed outputs: nbval
runs the kernel in an environment that the repository's conftest.py filled from rnnbook.environment.
"""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from rnnbook import environment

ROOT = Path(__file__).resolve().parent.parent


def test_apply_overrides_what_was_there_and_reports_it():
    env = {"OPENBLAS_NUM_THREADS": "8", "HOME": "/x"}
    replaced = environment.apply(env)
    assert replaced == {"OPENBLAS_NUM_THREADS": "8"}
    assert env == {**environment.SETTINGS, "HOME": "/x"}


def test_this_test_process_has_the_settings():
    for key, value in environment.SETTINGS.items():
        assert os.environ[key] == value


def test_the_module_runs_a_command_with_the_settings():
    env = {k: v for k, v in os.environ.items() if k not in environment.SETTINGS}
    code = "import os; print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['PYTHONHASHSEED'])"
    result = subprocess.run([sys.executable, "-m", "rnnbook.environment", sys.executable, "-c",
                             code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.split() == ["1", "0"]


def test_plain_pytest_gives_a_kernel_the_settings(tmp_path):
    """A bare `python -m pytest --nbval` in a scrubbed environment: the kernel's settings are the
    book's, so its outputs are the committed ones (the notebook commits the expected values)."""
    lines = [f"import os\nprint(os.environ.get({key!r}))" for key in environment.SETTINGS]
    nb = new_notebook(cells=[new_code_cell(line) for line in lines])
    for cell, value in zip(nb.cells, environment.SETTINGS.values(), strict=True):
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=value + "\n")]
        cell.execution_count = nb.cells.index(cell) + 1
    path = tmp_path / "settings.ipynb"
    nbformat.write(nb, path)
    env = {k: v for k, v in os.environ.items() if k not in environment.SETTINGS}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", "--nbval",
         "--nbval-current-env", "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml"),
         "--confcutdir", str(ROOT), str(path), str(ROOT / "tests" / "test_environment.py") + "::"
         "test_this_test_process_has_the_settings"],
        capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert f"{len(lines) + 1} passed" in result.stdout


def test_allocator_keeps_freed_memory_so_a_step_page_faults_no_more():
    import resource

    import numpy as np

    from rnnbook import rnn
    assert environment.keep_freed_memory()  # glibc, as on every machine the book runs on
    rng = np.random.default_rng(0)
    params = rnn.init_params(30, 128, 30, rng=rng, dtype=np.float32)
    X = rng.integers(0, 30, (64, 100))
    rnn.loss_and_grads(params, X, X)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(3):
        rnn.loss_and_grads(params, X, X)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before < 50
