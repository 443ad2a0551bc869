"""Interactive use: JupyterLab has the widget manager, and `make labcheck` catches a broken cell.

`make labcheck` (run by CI after `make test`) executes every chapter the way JupyterLab runs it
after `make lab`: an nbclient kernel started in the notebook's folder. These tests check the
pieces that make that meaningful, quickly.
"""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "execute_notebooks.py"


def test_jupyterlab_has_the_widget_manager_enabled():
    jupyter = Path(sys.executable).with_name("jupyter")
    result = subprocess.run([str(jupyter), "labextension", "list"], capture_output=True,
                            text=True)
    listing = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)  # drop colours
    assert re.search(r"@jupyter-widgets/jupyterlab-manager v\S+ enabled OK", listing), listing


def test_make_lab_starts_in_the_chapters_folder_and_labcheck_runs_every_chapter():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "cd chapters && ../$(BIN)/jupyter lab" in makefile
    assert "execute_notebooks.py --check --jobs 2 chapters/*.ipynb" in makefile
    assert "make labcheck" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("source, code", [
    ("from pathlib import Path\nassert Path.cwd().name == 'lab'", 0),  # kernel in its folder
    ("raise RuntimeError('broken cell')", 1),
])
def test_labcheck_runs_from_the_notebook_folder_and_fails_on_an_error(tmp_path, source, code):
    folder = tmp_path / "lab"
    folder.mkdir()
    path = folder / "probe.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(source)]), path)
    before = path.read_text(encoding="utf-8")
    result = subprocess.run([sys.executable, str(SCRIPT), "--check", str(path)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == code, result.stdout + result.stderr
    assert path.read_text(encoding="utf-8") == before  # --check writes nothing
    if code:
        assert "broken cell" in result.stderr
