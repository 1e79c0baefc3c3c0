"""The page in a real headless Chromium (Debian's /usr/bin/chromium) against a real uvicorn server.

CI installs the browser with ``apt-get install -y chromium`` (Playwright's own browser download
is not used); the Python ``playwright`` package drives it.
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip("Debian chromium is not installed (CI: apt-get install -y chromium)", allow_module_level=True)
pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api")

TOKEN = "browser-test-token-42"
DATA = Path(__file__).parent / "data"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--autoplay-policy=no-user-gesture-required"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    home = tmp_path_factory.mktemp("browserhome")  # its own personas: other tests see none of them

    from digihuman.server import create_app

    with socket.socket() as s:  # a free port on the loopback interface
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(home, token=TOKEN), host="127.0.0.1", port=port,
                                        log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(300):
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def page(server):
    with sync_api.sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        ctx = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield ctx.pages[0] if ctx.pages else ctx.new_page()
        finally:
            ctx.close()


CANVAS_HASH = """() => {
  const c = document.getElementById('face');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 0;
  for (let i = 0; i < d.length; i += 7) h = (h * 31 + d[i]) >>> 0;
  return h;
}"""


def test_page_chat(page, server):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}/?token={TOKEN}")
    page.wait_for_function("document.querySelectorAll('#persona option').length > 0", timeout=15000)
    # create a persona from the page's form: it appears in the list, with its thumbnail
    page.click("#create summary")
    page.fill("#create-form input[name=name]", "webface")
    page.set_input_files("#create-form input[name=photo]", str(DATA / "obama2.jpg"))
    page.click("#create-form button[type=submit]")
    page.wait_for_function("document.getElementById('create-msg').textContent.startsWith('created')", timeout=20000)
    page.wait_for_function("document.getElementById('persona').value === 'webface'", timeout=10000)
    page.select_option("#persona", "default")
    page.fill("#user", "browser_user")
    page.click("#start")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('talking')", timeout=15000)
    page.wait_for_function("window.digihuman.drawn >= 3", timeout=15000)  # idle face before any message
    idle1 = page.evaluate(CANVAS_HASH)
    page.wait_for_function("window.digihuman.drawn >= 12", timeout=15000)
    page.fill("#text", "Hello! My name is Sam and I am so happy today!")
    page.press("#text", "Enter")
    page.wait_for_function("(() => { const s = document.querySelectorAll('.turn.them span');"
                           " return s.length && s[s.length - 1].textContent.trim().length > 0; })()", timeout=20000)
    # reply playing: the audio clock has started the reply and frames are drawn by it
    page.wait_for_function("window.digihuman.replyDrawn > 0", timeout=20000)
    hashes = []
    for _ in range(4):
        hashes.append(page.evaluate(CANVAS_HASH))
        page.wait_for_timeout(250)
    assert len(set(hashes)) >= 3, "the face must move while the reply plays"
    assert hashes[0] != idle1
    reply = page.locator(".turn.them span").last.text_content()
    assert reply and reply.strip()
    badge = page.locator("#emotion").text_content().strip()
    assert badge in ("neutral", "joy", "sadness", "anger", "fear", "surprise", "disgust")
    assert badge == "joy"  # a happy message gets a joyful reply
    page.wait_for_function("document.querySelectorAll('#memories li button').length > 0", timeout=15000)
    assert "Sam" in page.locator("#memories").text_content()
    assert page.evaluate("window.digihuman.actx.state") == "running"  # audio really plays
    assert not errors, errors
