"""Run notebooks top to bottom, each in a fresh kernel started in the notebook's own folder.

``make execute`` re-runs them in place: the committed outputs are exactly what this produces, so
that ``pytest --nbval`` (which re-executes and compares) can prove them reproducible.

``--check`` runs them as JupyterLab does after ``make lab``: an nbclient kernel in the
notebook's folder, with widget messages handled, outputs kept in memory and the files left
untouched; it fails if any cell raises. ``--jobs N`` runs N notebooks at a time. Kernels get the
settings of :mod:`rnnbook.environment`, as under ``pytest`` and ``make lab``. Every run writes
the seconds each notebook took to ``--times FILE`` (JSON) when asked.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from rnnbook import environment

environment.apply()  # before any kernel starts: kernels inherit these settings


def execute(path: Path, *, write: bool = True) -> float:
    """Execute one notebook (in place when ``write``) and return the seconds it took."""
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
        if write:
            for cell in nb.cells:
                cell.metadata.pop("execution", None)
            nbformat.write(nb, path)
    return time.perf_counter() - start


def check_one(name: str) -> tuple[str, float, str]:
    """Execute one notebook in a child process (one kernel each); return (name, s, error)."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, __file__, "--check", "--jobs", "1", name],
                            capture_output=True, text=True)
    error = "" if result.returncode == 0 else (result.stdout + result.stderr)[-3000:]
    return name, time.perf_counter() - start, error


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", metavar="NOTEBOOK.ipynb")
    parser.add_argument("--check", action="store_true",
                        help="run without writing; fail if any cell raises")
    parser.add_argument("--jobs", type=int, default=1, help="notebooks at a time (--check)")
    parser.add_argument("--times", type=Path, default=None,
                        help="write {notebook: seconds} as JSON to this file")
    args = parser.parse_args(argv)
    if not args.check:
        seconds = {}
        for name in args.paths:
            seconds[Path(name).name] = round(execute(Path(name)), 1)
            print(f"{name}: executed in {seconds[Path(name).name]:.0f} s", flush=True)
        if args.times is not None:
            args.times.write_text(json.dumps(seconds, indent=1) + "\n", encoding="utf-8")
        return 0
    if args.jobs == 1 and len(args.paths) == 1:
        try:
            execute(Path(args.paths[0]), write=False)
        except CellExecutionError as error:
            print(error, file=sys.stderr)
            return 1
        return 0
    failed = []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for name, seconds, error in pool.map(check_one, args.paths):
            print(f"{name}: {'ran top to bottom' if not error else 'FAILED'} in {seconds:.0f} s",
                  flush=True)
            if error:
                failed.append(name)
                print(error, file=sys.stderr)
    print(f"{len(args.paths) - len(failed)} of {len(args.paths)} notebooks ran top to bottom "
          "from their own folder")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
