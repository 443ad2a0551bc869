"""Notebook hygiene: what nbval cannot see (execution order, tags, labels, exercises)."""

import ast
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


def assigned_names(code):
    """Names a cell binds at its top level (assignments, loops, with, def, class, import)."""
    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, (ast.Name,)) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def assert_statements(code):
    return [node for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Assert)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_volatile_cells_are_followed_by_an_assert_on_what_they_computed(path):
    """A cell whose output nbval does not compare must be checked by an assert, in it or in the
    next two code cells, that reads a name the volatile cell assigned: an assert about something
    else cannot catch a regression of that cell."""
    code = [c for c in load(path)["cells"] if c["cell_type"] == "code"]
    for i, c in enumerate(code):
        if "nbval-ignore-output" not in c["metadata"].get("tags", []):
            continue
        made = assigned_names(source(c))
        checks = [a for d in code[i:i + 3] for a in assert_statements(source(d))]
        used = {n.id for a in checks for n in ast.walk(a) if isinstance(n, ast.Name)}
        assert made & used, (f"volatile cell without an assert on what it computed: "
                             f"{source(c)[:80]!r}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_fits_the_page(path):
    """PEP 8's 79 columns (about 86 fit the HTML code box on a 1366-pixel screen) and cells of at
    most 40 lines, so a reader never scrolls sideways or loses the thread of a cell."""
    for c in load(path)["cells"]:
        if c["cell_type"] != "code":
            continue
        lines = source(c).splitlines()
        assert len(lines) <= 40, f"a code cell of {len(lines)} lines: {lines[0][:60]!r}"
        wide = [line for line in lines if len(line) > 79]
        assert not wide, f"code lines over 79 characters: {wide[:3]}"
