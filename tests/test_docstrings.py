"""Every "Introduced in chapter NN" in rnnbook names the chapter that introduces the function: the
first chapter, in reading order, whose code uses it. A public function no chapter uses says so by
having no such line (and the test below lists it)."""

import ast
import importlib
import inspect
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(p.stem for p in (ROOT / "rnnbook").glob("*.py") if not p.stem.startswith("_"))
TENSORFLOW = {"keras_models", "keras_training", "keras_data", "keras_generation", "tfsetup"}
POINTER = re.compile(r"Introduced in chapter (\d\d)")


def chapter_code():
    """{chapter number: its notebooks' code}, in reading order (07_* are all chapter 07)."""
    code = {}
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        code[path.name[:2]] = code.get(path.name[:2], "") + "\n" + text
    return code


def references(code):
    """Every ``(module, name)`` the code uses: as module.name after ``from rnnbook import module
    [as alias]``, as rnnbook.module.name, or imported with ``from rnnbook.module import name``."""
    tree = ast.parse(code)
    aliases = {}
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "rnnbook":
            aliases.update({a.asname or a.name: a.name for a in node.names})
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rnnbook."):
            found |= {(node.module.split(".", 1)[1], a.name) for a in node.names}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id in aliases:
            found.add((aliases[owner.id], node.attr))
        elif isinstance(owner, ast.Attribute) and isinstance(owner.value, ast.Name) \
                and owner.value.id == "rnnbook":
            found.add((owner.attr, node.attr))
    return found


def public_objects():
    for module in MODULES:
        if module in TENSORFLOW:
            importlib.import_module("rnnbook.tfsetup").import_tensorflow()
        mod = importlib.import_module(f"rnnbook.{module}")
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                yield module, name, inspect.getdoc(obj) or ""
        yield module, "", inspect.getdoc(mod) or ""


CODE = {chapter: references(code) for chapter, code in chapter_code().items()}
CASES = [(m, n, doc) for m, n, doc in public_objects() if n and POINTER.search(doc)]


@pytest.mark.parametrize("module, name, doc", CASES, ids=[f"{m}.{n}" for m, n, _ in CASES])
def test_pointer_names_the_first_chapter_that_uses_it(module, name, doc):
    claimed = POINTER.search(doc).group(1)
    first = next((chapter for chapter, used in CODE.items() if (module, name) in used), None)
    assert first == claimed, (f"{module}.{name} says it is introduced in chapter {claimed}, but "
                              f"the first chapter that uses it is {first}")


def test_every_public_function_of_the_package_is_used_or_has_no_pointer():
    unused = [f"{m}.{n}" for m, n, doc in CASES
              if not any((m, n) in used for used in CODE.values())]
    assert unused == []
