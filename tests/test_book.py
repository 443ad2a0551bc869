"""The book builds warning-free from the committed outputs, and chapter pages are complete."""

import re
from pathlib import Path

from conftest import toc_files

ROOT = Path(__file__).resolve().parent.parent


def test_every_toc_entry_exists_and_builds(html):
    for name in toc_files():
        source = [p for p in ROOT.glob(name + ".*") if p.suffix in (".md", ".ipynb")]
        assert source, f"_toc.yml lists {name}, which does not exist"
        assert (html / f"{name}.html").is_file()


def test_chapters_have_figures_math_exercises_and_citations(html):
    for name in toc_files():
        if not (ROOT / f"{name}.ipynb").is_file():  # part introductions are plain pages
            continue
        page = (html / f"{name}.html").read_text(encoding="utf-8")
        images = re.findall(r'<img[^>]+src="([^"]+)"', page)
        assert images and all((html / Path(name).parent / src).resolve().is_file()
                              for src in images)
        assert page.count('class="math') >= 3
        assert len(re.findall(r'class="exercise admonition', page)) >= 3
        assert len(re.findall(r'class="solution[^"]*dropdown', page)) >= 3
        assert "Summary" in page
        assert 'href="../bibliography.html#id' in page  # {cite} resolved to the bibliography


def test_index_maps_every_seed_section(html):
    page = (html / "index.html").read_text(encoding="utf-8")
    for section in ("背景介绍", "核心概念与联系", "核心算法原理具体操作步骤", "数学模型和公式",
                    "项目实践", "实际应用场景", "工具和资源推荐", "未来发展趋势与挑战",
                    "常见问题与解答"):
        assert section in page


def test_reproducibility_page_shows_the_pins_and_the_environment(html):
    page = (html / "reproducibility.html").read_text(encoding="utf-8")
    for name in ("requirements.txt", "requirements-data.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            pin = line.split("--hash")[0].strip()
            if pin and not pin.startswith(("#", "-e")):
                assert pin in page, f"{pin} from {name} is not on the reproducibility page"
    from rnnbook import environment
    for key, value in environment.SETTINGS.items():
        assert f"{key}" in page and value in page  # the settings every kernel runs with
