"""ruff over the package, the tests, the scripts and the notebooks (STYLE.md: ruff clean)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_clean():
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.exists() and shutil.which("ruff") is None:
        pytest.fail("ruff is not installed; it is pinned in requirements.txt")
    result = subprocess.run([str(ruff if ruff.exists() else "ruff"), "check", "--no-cache",
                             "rnnbook", "tests", "scripts", "benchmarks", "chapters"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
