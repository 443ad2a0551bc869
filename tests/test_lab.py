"""Interactive use: JupyterLab has the widget manager, and a notebook's kernel runs in the
notebook's own folder and writes nothing there, under nbval exactly as under `make lab`.

CI executes every notebook once, under nbval (the repository's conftest.py also checks, at the
end of the run, that no notebook wrote a file into chapters/ or data/).
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parent.parent


def test_jupyterlab_has_the_widget_manager_enabled():
    jupyter = Path(sys.executable).with_name("jupyter")
    result = subprocess.run([str(jupyter), "labextension", "list"], capture_output=True,
                            text=True)
    listing = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)  # drop colours
    assert re.search(r"@jupyter-widgets/jupyterlab-manager v\S+ enabled OK", listing), listing


def test_nbval_runs_a_kernel_in_the_notebook_folder_and_leaves_it_untouched(tmp_path):
    folder = tmp_path / "lab"
    folder.mkdir()
    cell = new_code_cell("from pathlib import Path\nprint(Path.cwd().name)", execution_count=1)
    cell.outputs = [new_output("stream", name="stdout", text="lab\n")]
    path = folder / "probe.ipynb"
    nbformat.write(new_notebook(cells=[cell]), path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", "--nbval",
         "--nbval-current-env", "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT),
         str(path)], capture_output=True, text=True, cwd=ROOT, env=dict(os.environ))
    assert result.returncode == 0, result.stdout[-3000:]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
