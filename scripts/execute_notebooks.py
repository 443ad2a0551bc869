"""Run notebooks top to bottom, each in a fresh kernel started in the notebook's own folder.

``make execute`` re-runs them in place: the committed outputs are exactly what this produces, so
that ``pytest --nbval`` (which re-executes and compares) can prove them reproducible.

Kernels start in the notebook's folder (as under ``make lab`` and nbval) with the settings of
:mod:`rnnbook.environment`. ``--times FILE`` writes the seconds each notebook took (JSON).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from rnnbook import environment

environment.apply()  # before any kernel starts: kernels inherit these settings


def execute(path: Path) -> float:
    """Execute one notebook in place and return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    # store_widget_state=False: a live control's state would make the HTML load the widget
    # manager from a CDN; the static page shows a representative figure instead (rnnbook.explore).
    client = NotebookClient(nb, timeout=900, kernel_name="python3", record_timing=False,
                            store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    finally:  # on an error, keep the outputs so far: the failing cell shows what went wrong
        for cell in nb.cells:
            cell.metadata.pop("execution", None)
        nbformat.write(nb, path)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", metavar="NOTEBOOK.ipynb")
    parser.add_argument("--times", type=Path, default=None,
                        help="write {notebook: seconds} as JSON to this file")
    args = parser.parse_args(argv)
    seconds = {}
    for name in args.paths:
        seconds[Path(name).name] = round(execute(Path(name)), 1)
        print(f"{name}: executed in {seconds[Path(name).name]:.0f} s", flush=True)
    if args.times is not None:
        args.times.write_text(json.dumps(seconds, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
