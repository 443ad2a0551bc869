"""Settings for every pytest run of this repository, `pytest chapters/05_bptt.ipynb` included.

Before any test starts a kernel (nbval) or a subprocess, the settings that make outputs repeat
(:mod:`rnnbook.environment`) go into the environment, so plain `pytest` runs the notebooks as
`make test`, `make execute` and `make lab` do. At the end, the run fails if anything wrote into
``chapters/`` or ``data/``: a notebook must leave its folder as it found it.
"""

from pathlib import Path

from rnnbook import environment

environment.apply()

ROOT = Path(__file__).resolve().parent
WATCHED = ("chapters", "data")  # a notebook must never write into these


def _listing():
    return {p: p.stat().st_mtime_ns for folder in WATCHED for p in (ROOT / folder).rglob("*")
            if ".ipynb_checkpoints" not in p.parts and "__pycache__" not in p.parts}


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # the controller (or a run without xdist)
        session.config._watched_files = _listing()


def pytest_sessionfinish(session, exitstatus):
    before = getattr(session.config, "_watched_files", None)
    if before is None:
        return
    after = _listing()
    changed = sorted(str(p.relative_to(ROOT)) for p in after.keys() ^ before.keys()
                     | {p for p in after.keys() & before.keys() if after[p] != before[p]})
    if changed:
        session.config.pluginmanager.get_plugin("terminalreporter").write_line(
            f"FAILED: the run wrote into {', '.join(WATCHED)}: {', '.join(changed)}", red=True)
        session.exitstatus = 1
