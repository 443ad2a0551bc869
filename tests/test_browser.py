"""The built book as a reader gets it: every page of _toc.yml in headless Chromium, no network.

The book is built (warnings as errors), served from 127.0.0.1, and opened in Debian's Chromium
through its ChromeDriver. Host names other than 127.0.0.1 do not resolve, and every request the
browser makes is recorded, so a page that needed the network (MathJax from a CDN, say) fails.
For each page: no JavaScript errors; every image decoded; every equation typeset by MathJax with
no TeX error and no raw ``$$`` left; no code block scrolls sideways in a 1366-pixel-wide window;
previous/next links follow _toc.yml; every sidebar link leads to a page that exists; the
download button offers the page's source notebook. The search page must find a term of
chapter 05. A full-page screenshot of each page goes to
``_build/screenshots/``, with the counts of what was verified in ``summary.json``.
"""

import base64
import functools
import http.server
import json
import os
import shutil
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, toc_files

INSTALL = ("the browser tests need Chromium and ChromeDriver: on Debian or Ubuntu, "
           "`sudo apt-get install chromium chromium-driver`")
CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
CHROMEDRIVER = shutil.which("chromedriver")
if not (CHROMIUM and CHROMEDRIVER):
    if os.environ.get("CI"):  # CI installs both (.ci/run): missing there is a failure
        raise RuntimeError(INSTALL)
    pytest.skip(INSTALL, allow_module_level=True)

from selenium import webdriver  # noqa: E402  (only when a browser exists to drive)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

PAGES = toc_files()
WINDOW_WIDTH = 1366  # a common laptop screen: no code block may scroll sideways at this width
SCREENSHOTS = ROOT / "_build" / "screenshots"
SUMMARY = {}  # page -> counts verified, written to summary.json at the end

# What a page reports about itself once MathJax has finished: the counts the tests check.
PAGE_STATE_JS = """
const done = arguments[arguments.length - 1];
const report = () => {
  const skip = new Set(['PRE', 'CODE', 'SCRIPT', 'STYLE', 'TEXTAREA']);
  const raw = [];
  const walker = document.createTreeWalker(document.querySelector('main') || document.body,
                                           NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let up = node.parentElement, code = false;
    for (; up; up = up.parentElement) { if (skip.has(up.tagName)) { code = true; break; } }
    if (!code && (node.data.includes('$$') || node.data.includes('\\\\begin{')))
      raw.push(node.data.slice(0, 80));
  }
  const images = [...document.images];
  const math = [...document.querySelectorAll('.math')];
  done({
    images: images.length,
    broken_images: images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src),
    math_elements: math.length,
    untypeset: math.filter(m => !m.querySelector('mjx-container'))
                   .map(m => m.textContent.slice(0, 80)),
    typeset: document.querySelectorAll('mjx-container').length,
    tex_errors: [...document.querySelectorAll('mjx-merror')].map(e => e.textContent.slice(0, 80)),
    raw_tex: raw,
    prev: document.querySelector('a.left-prev')?.href ?? null,
    next: document.querySelector('a.right-next')?.href ?? null,
    sidebar: [...document.querySelectorAll('nav.bd-docs-nav a')].map(a => a.href),
    download: [...document.querySelectorAll('a.btn-download-source-button')].map(a => a.href),
    height: document.documentElement.scrollHeight,
    // code the reader reads (cell inputs, code in the prose), not printed outputs
    code_blocks: [...document.querySelectorAll('main pre')]
                   .filter(p => !p.closest('.cell_output, .output')).length,
    scrolling_code: [...document.querySelectorAll('main pre')]
                      .filter(p => !p.closest('.cell_output, .output'))
                      .filter(p => p.scrollWidth > p.clientWidth)
                      .map(p => p.textContent.split('\\n').reduce(
                             (a, b) => b.length > a.length ? b : a, '').slice(0, 100)),
  });
};
// Sphinx loads MathJax only on pages with math; elsewhere any .math left over fails the test.
if (!window.MathJax || !MathJax.startup) { report(); }
else { MathJax.startup.promise.then(report, e => done({error: 'MathJax failed: ' + e})); }
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(html):
    """Serve the built book on 127.0.0.1 (a free port); yield its base URL."""
    handler = functools.partial(QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    if SUMMARY:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / "summary.json").write_text(json.dumps(SUMMARY, indent=1) + "\n")


@pytest.fixture(scope="module")
def browser(site):
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium must not look for drivers online
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--disable-dev-shm-usage",
                     f"--window-size={WINDOW_WIDTH},1000",
                     # no network: every host but the local server fails to resolve
                     "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


def open_page(driver, url):
    """Load ``url``; return the page's report, its console errors and every URL it requested."""
    driver.get_log("browser"), driver.get_log("performance")  # drop what came before
    driver.get(url)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(
        "return document.readyState") == "complete")
    state = driver.execute_async_script(PAGE_STATE_JS)
    errors = [entry["message"] for entry in driver.get_log("browser")
              if entry["level"] == "SEVERE"]
    requested = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requested.append(message["params"]["request"]["url"])
    return state, errors, requested


def page_url(site, name):
    return urllib.parse.urljoin(site, f"{name}.html")


def local_file(html, site, url):
    """The file under ``html`` that a URL of the local server names (``None`` if elsewhere)."""
    if not url.startswith(site):
        return None
    path = urllib.parse.urlsplit(url).path.lstrip("/") or "index.html"
    return html / urllib.parse.unquote(path)


def save_screenshot(driver, name):
    """A full-page PNG: the window is made as tall as the page for the capture, then restored."""
    width, height = driver.execute_script(
        "return [window.innerWidth, document.documentElement.scrollHeight]")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    try:
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    path = SCREENSHOTS / f"{name.replace('/', '__')}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


@pytest.mark.parametrize("position", range(len(PAGES)), ids=PAGES)
def test_page_renders_offline_and_links_follow_the_toc(browser, site, html, position):
    name = PAGES[position]
    state, errors, requested = open_page(browser, page_url(site, name))
    assert "error" not in state, state.get("error")
    assert errors == [], f"JavaScript errors on {name}: {errors}"
    offsite = [url for url in requested if not url.startswith((site, "data:", "blob:"))]
    assert offsite == [], f"{name} asked the network for {offsite}"

    # images decoded, equations typeset
    assert state["broken_images"] == []
    is_notebook = (ROOT / f"{name}.ipynb").is_file()
    if is_notebook:
        assert state["images"] >= 1 and state["math_elements"] >= 1
    assert state["untypeset"] == [], f"equations left untypeset on {name}"
    assert state["tex_errors"] == [], f"TeX errors on {name}"
    assert state["raw_tex"] == [], f"raw TeX left on {name}"
    assert state["typeset"] >= state["math_elements"]

    # code fits the page: no code block scrolls sideways in a 1366-pixel-wide window
    if is_notebook:
        assert state["code_blocks"] >= 1
    assert state["scrolling_code"] == [], (
        f"code blocks on {name} scroll sideways at {WINDOW_WIDTH} px; their longest lines: "
        f"{state['scrolling_code']}")

    # previous/next follow _toc.yml; the sidebar leads to pages that exist and lists them all
    expected_prev = page_url(site, PAGES[position - 1]) if position else None
    expected_next = page_url(site, PAGES[position + 1]) if position + 1 < len(PAGES) else None
    assert state["prev"] == expected_prev
    assert state["next"] == expected_next
    targets = {url.split("#")[0] for url in state["sidebar"]}
    for url in targets:
        path = local_file(html, site, url)
        assert path is not None and path.is_file(), f"sidebar link {url} on {name} is broken"
    assert {page_url(site, page) for page in PAGES[1:]} <= targets

    # the download button offers the page's own source (the notebook, for notebook pages)
    suffix = ".ipynb" if is_notebook else ".md"
    assert [u for u in state["download"] if u.endswith(f"{Path(name).name}{suffix}")], \
        f"no {suffix} download on {name}: {state['download']}"
    if is_notebook:
        source_url = next(u for u in state["download"] if u.endswith(".ipynb"))
        with urllib.request.urlopen(source_url) as response:
            notebook = json.load(response)
        assert notebook["cells"] and notebook["nbformat"] == 4

    shot = save_screenshot(browser, name)
    assert shot.stat().st_size > 10_000  # a real page, not a blank image
    SUMMARY[name] = {"images": state["images"], "equations": state["typeset"],
                     "code_blocks": state["code_blocks"],
                     "math_elements": state["math_elements"], "height_px": state["height"],
                     "screenshot": shot.name}


def test_search_finds_a_term_of_chapter_05(browser, site):
    browser.get(urllib.parse.urljoin(site, "search.html?q=truncated"))
    WebDriverWait(browser, 30).until(lambda d: d.execute_script(
        "return document.querySelectorAll('#search-results li').length") > 0)
    hits = browser.execute_script(
        "return [...document.querySelectorAll('#search-results li a')].map(a => a.href)")
    assert any("chapters/05_bptt.html" in url for url in hits), hits
