"""A real browser against the running app: the aligned table renders, uploaded markup stays inert.

Starts `streamlit run app.py` (hash encoder, tmp store and cache) on a free port and drives
Debian's headless Chromium with Playwright. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

XSS_SRC = ('The minister spoke on Monday. He said <img src=x onerror="window.__xss=1"> was fine.\n\n'
           "Markdown **must not** render here. The talks will continue.\n")
XSS_TGT = ("Le ministre a parlé lundi. Il a dit que <script>window.__xss=1</script> allait bien.\n\n"
           "Le markdown **ne doit pas** s'afficher ici. Les pourparlers continueront.\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"chromium is not installed ({CHROMIUM}); apt-get install -y chromium")
    pytest.importorskip("playwright.sync_api", reason="the playwright python package is not installed")
    tmp = tmp_path_factory.mktemp("browser")
    port = free_port()
    env = {**os.environ, "WORKBENCH_ENCODER": "hash", "WORKBENCH_STORE": str(tmp / "store"),
           "WORKBENCH_CACHE_DIR": str(tmp / "cache")}
    log = open(tmp / "server.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
                             "--server.port", str(port), "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                pytest.fail("streamlit did not start:\n" + (tmp / "server.log").read_text(errors="replace"))
            time.sleep(0.3)
        yield {"url": url, "tmp": tmp}
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                              args=ARGS)
        yield b
        b.close()


def new_page(browser, url):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.on("dialog", lambda d: d.dismiss())
    page.goto(url)
    page.wait_for_selector("table.wb-table tbody tr", timeout=90_000)
    return page


def test_default_corpus_renders_side_by_side(server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = new_page(browser, server["url"])
    table = page.locator("table.wb-table")
    text = table.inner_text()
    assert "The Russian Defense Ministry did not immediately respond" in text
    assert "Le ministère russe de la Défense n'a pas immédiatement répondu" in text
    assert "not translated (omission)" in text
    assert page.locator("table.wb-table tbody tr").count() >= 30
    page.get_by_text("Overall fidelity").first.wait_for(timeout=30_000)
    time.sleep(1.0)  # let the rest of the page settle before the screenshot
    page.screenshot(path=str(ARTIFACTS / "browser_default.png"))
    page.locator("table.wb-table").screenshot(path=str(ARTIFACTS / "browser_table.png"))
    # charts render as canvases/svgs
    page.get_by_text("Charts", exact=True).click()
    page.wait_for_selector(".vega-embed", timeout=30_000)
    time.sleep(1.0)
    page.screenshot(path=str(ARTIFACTS / "browser_charts.png"), full_page=True)
    page.close()


def test_uploaded_markup_is_shown_literally_and_never_runs(server, browser, tmp_path):
    src, tgt = tmp_path / "src.txt", tmp_path / "tgt.txt"
    src.write_text(XSS_SRC, encoding="utf-8")
    tgt.write_text(XSS_TGT, encoding="utf-8")
    page = new_page(browser, server["url"])
    page.get_by_text("Upload two files").click()
    uploaders = page.locator('section[data-testid="stSidebar"] [data-testid="stFileUploader"]')
    # by exact label: "Reference translation (optional)" also contains "translation"
    source = uploaders.filter(has=page.get_by_text("Source text", exact=True)).locator('input[type="file"]')
    source.wait_for(state="attached", timeout=30_000)
    source.set_input_files(str(src))
    translation = uploaders.filter(has=page.get_by_text("Translation", exact=True)).locator('input[type="file"]')
    translation.wait_for(state="attached", timeout=30_000)
    translation.set_input_files(str(tgt))
    page.wait_for_function("() => [...document.querySelectorAll('table.wb-table')]"
                           ".some(t => t.innerText.includes('Le ministre a parlé lundi'))", timeout=90_000)
    time.sleep(1.0)
    table = page.locator("table.wb-table")
    text = table.inner_text()
    assert '<img src=x onerror="window.__xss=1">' in text
    assert "<script>window.__xss=1</script>" in text
    assert "**must not**" in text and "**ne doit pas**" in text
    assert table.locator("img").count() == 0 and table.locator("script").count() == 0
    assert table.locator("strong").count() == 0
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    page.screenshot(path=str(ARTIFACTS / "browser_xss.png"))
    page.close()
