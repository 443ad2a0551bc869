"""Notebook hygiene: what nbval cannot see (execution order, tags, labels, exercises)."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell):
    return "".join(cell["source"])


def test_there_are_chapters():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_executed_top_to_bottom_in_a_fresh_kernel(path):
    code = [c for c in load(path)["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
    for c in code:
        for out in c["outputs"]:
            assert out["output_type"] != "error" or "raises-exception" in c["metadata"].get(
                "tags", []), f"committed error in: {source(c)[:80]}"
            text = json.dumps(out)
            assert not re.search(r"/(work|tmp|root|home)/", text), "machine path in output"
            assert not re.search(r"\d+(ms|s)/step", text), "Keras progress bar in output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_structure_follows_the_style_guide(path):
    nb = load(path)
    cells = nb["cells"]
    first = source(cells[0])
    assert re.match(r"\((ch-[a-z-]+)\)=\n# ", first), "first cell: a label, then the title"
    setup = next(c for c in cells if c["cell_type"] == "code")
    assert "rnnbook.set_seed(0)" in source(setup) and "use_book_style()" in source(setup)
    markdown = "\n".join(source(c) for c in cells if c["cell_type"] == "markdown")
    assert "## Summary" in markdown and "## Exercises" in markdown
    exercises = re.findall(r"```\{exercise\}.*\n:label: (\S+)", markdown)
    solutions = re.findall(r"```\{solution-start\} (\S+)", markdown)
    assert len(exercises) >= 3 and sorted(exercises) == sorted(solutions)
    assert markdown.count("{solution-end}") == len(solutions)
    for c in cells:
        assert "NBVAL_" not in source(c), "use cell tags, not # NBVAL comments"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_volatile_cells_are_followed_by_an_assert(path):
    code = [c for c in load(path)["cells"] if c["cell_type"] == "code"]
    for i, c in enumerate(code):
        if "nbval-ignore-output" in c["metadata"].get("tags", []) and "assert" not in source(c):
            later = [source(d) for d in code[i + 1:i + 3]]
            assert any(re.search(r"^assert ", s, re.M) for s in later), (
                f"volatile cell without an assert after it: {source(c)[:80]}")
