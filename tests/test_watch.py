"""`broadsheet watch`: the desk re-renders on save, and its local page (checked in a real headless
chromium) shows every page image and updates itself after the spec changes."""
from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from layout.desk.watch import Desk, PreviewServer, watch_spec
from editions import edition

ZHONGKAO = "{article: zhongkao,           col: 6, line: 81,  cols: 3, lines: 26}"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT = 30  # s: the longest any step may take before the test fails (never hangs)


def save(spec: Path, edit) -> None:
    """Save as an editor does: write a new file next to it and rename it over the old one."""
    tmp = spec.with_name(spec.name + ".swp~")
    tmp.write_text(edit(spec.read_text(encoding="utf-8")), encoding="utf-8")
    os.replace(tmp, spec)


def overset(text: str) -> str:
    assert ZHONGKAO in text
    return text.replace(ZHONGKAO, ZHONGKAO.replace("26}", "12}"))


def wait_for(condition, timeout: float = WAIT, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Watching:
    """watch_spec in a thread plus the preview server; stopped (bounded) on exit."""

    def __init__(self, folder: Path):
        self.spec = edition(folder)
        self.out = folder / "out"
        self.desk = Desk(self.spec, self.out, dpi=24, overlays=("modules", "jumps"))
        self.renders: list = []
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=watch_spec, args=(self.desk,),
            kwargs=dict(on_render=self.renders.append, stop_event=self.stop, timeout=120,
                        debounce_ms=50, poll_ms=100),
            daemon=True)
        self.server = PreviewServer(self.desk, 0)

    def __enter__(self) -> "Watching":
        self.thread.start()
        self.url = self.server.start()
        wait_for(lambda: self.renders, what="the first render")
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.server.stop()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "the watch loop did not stop"

    def get(self, path: str) -> tuple[int, bytes, str]:
        try:
            with urllib.request.urlopen(self.url.rstrip("/") + path, timeout=10) as r:
                return r.status, r.read(), r.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            return e.code, e.read(), ""


@pytest.fixture
def watching(tmp_path):
    with Watching(tmp_path) as w:
        yield w


def test_rebuild_reports_and_keeps_the_previous_pdf(tmp_path):
    spec = edition(tmp_path)
    desk = Desk(spec, tmp_path / "out", dpi=20)
    first = desk.rebuild()
    assert first.version == 1 and first.code == 0 and first.report.overset_chars == 0
    assert [n for n, _ in first.pages] == [1, 2] and all(p.exists() for _, p in first.pages)
    pdf = tmp_path / "out" / "ed.pdf"
    before = pdf.read_bytes()

    save(spec, overset)
    second = desk.rebuild()
    assert second.version == 2 and second.code == 1
    assert "story 'zhongkao' is overset by" in second.message
    assert second.report.overset_chars > 0  # the previews and the report show the new version
    assert pdf.read_bytes() == before  # … the PDF stays the last good one

    save(spec, lambda t: t.replace("  columns: 8 ", "  colums: 8 "))
    third = desk.rebuild()
    assert third.version == 3 and third.code == 2 and 'unknown key "colums"' in third.message
    assert third.pages == second.pages and third.report == second.report  # last previews kept


def test_watch_renders_again_after_a_save(watching):
    assert watching.renders[0].code == 0
    save(watching.spec, overset)
    wait_for(lambda: len(watching.renders) >= 2, what="a render after the save")
    assert watching.renders[-1].code == 1 and watching.renders[-1].version == 2
    # a file the spec does not use changes nothing
    (watching.spec.parent / "notes.txt").write_text("x")
    time.sleep(0.6)
    assert len(watching.renders) == 2


def test_watch_stops_on_its_own(tmp_path):
    start = time.monotonic()
    desk = Desk(edition(tmp_path), tmp_path / "out", dpi=10, overlays=())
    assert watch_spec(desk, max_renders=1) == 1  # bounded by renders …
    assert watch_spec(desk, timeout=0.5, poll_ms=100) == 1  # … and by time
    assert time.monotonic() - start < WAIT


def test_server_endpoints(watching):
    status, body, kind = watching.get("/")
    assert status == 200 and kind.startswith("text/html") and b"/version" in body
    status, body, _ = watching.get("/version")
    assert json.loads(body) == {"version": 1, "ok": True}
    status, body, _ = watching.get("/state.json")
    state = json.loads(body)
    assert [p["number"] for p in state["pages"]] == [1, 2]
    assert "page 1 total" in state["report_html"] and state["report"]["overset_chars"] == 0
    status, body, kind = watching.get(state["pages"][0]["url"])
    assert status == 200 and kind == "image/png" and body.startswith(b"\x89PNG")
    for bad in ("/pages/../ed.yaml", "/pages/%2e%2e/ed.yaml", "/pages/ed.yaml", "/nope"):
        assert watching.get(bad)[0] == 404, bad
    assert watching.server.httpd.server_address[0] == "127.0.0.1"
    with pytest.raises(ValueError):
        PreviewServer(watching.desk, 0, host="0.0.0.0")


# --------------------------------------------------------------------------------------------------
# The page in a real browser: Debian's chromium + chromium-driver, driven by Selenium.


def chromium_driver():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("needs Debian's chromium and chromium-driver "
                    "(apt-get install chromium chromium-driver)")
    options = Options()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000"):
        options.add_argument(arg)
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # chromium refuses to run as root with its sandbox
    try:
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    except Exception as e:  # noqa: BLE001 - a browser that cannot start here is a skip, not a fail
        pytest.skip(f"chromium did not start: {type(e).__name__}: {str(e).splitlines()[0]}")
    driver.set_page_load_timeout(WAIT)
    driver.set_script_timeout(WAIT)
    return driver


IMAGES_JS = """
return Array.from(document.querySelectorAll('#pages img.page')).map(img => ({
  page: Number(img.dataset.page), version: Number(img.dataset.version),
  loaded: img.complete && img.naturalWidth > 0, width: img.naturalWidth, src: img.src}));
"""


def test_served_page_in_headless_chromium(watching):
    driver = chromium_driver()
    try:
        driver.get(watching.url)
        pages = [n for n, _ in watching.desk.snapshot.pages]
        assert pages == [1, 2]

        def images(version):
            shown = driver.execute_script(IMAGES_JS)
            ok = ([i["page"] for i in shown] == pages and all(i["loaded"] for i in shown)
                  and all(i["version"] == version for i in shown))
            return shown if ok else None

        shown = wait_for(lambda: images(1), what="every page image, loaded")
        assert all(i["width"] > 100 for i in shown)
        assert driver.find_element("id", "status").text == "ok"
        assert "page 1 total" in driver.find_element("id", "report").text
        assert "0 overset" in driver.find_element("id", "report").text

        save(watching.spec, overset)  # the editor cuts zhongkao's module: it overflows
        shown = wait_for(lambda: images(2), what="the page to show render 2")
        assert all(i["src"].endswith("?v=2") for i in shown)
        assert driver.find_element("tag name", "body").get_attribute("data-version") == "2"
        assert driver.find_element("id", "status").text == "exit 1"
        assert "zhongkao" in driver.find_element("id", "message").text
        assert "overset" in driver.find_element("id", "report").text
        errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"] \
            if hasattr(driver, "get_log") else []
        assert not errors, errors
    finally:
        driver.quit()


def _request(port: int, path: str, host: str | None) -> tuple[int, bytes, dict[str, str]]:
    """A GET with the Host header given (None: none at all), as a rebinding page's browser sends."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        r = conn.getresponse()
        return r.status, r.read(), {k.lower(): v for k, v in r.getheaders()}
    finally:
        conn.close()


def test_server_answers_only_its_own_host_names(watching):
    port = watching.server.httpd.server_address[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}"):
        status, body, headers = _request(port, "/state.json", host)
        assert status == 200 and json.loads(body)["version"] == 1, host
        assert not [k for k in headers if k.startswith("access-control-")], headers
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{port + 1}", "localhost",
                 f"127.0.0.1.evil.example:{port}", f"[::1]:{port}", "", None):
        for path in ("/state.json", "/report.json", "/version", "/"):
            status, body, headers = _request(port, path, host)
            assert status == 421, (host, path)
            assert body == b"wrong Host header: this page answers only at 127.0.0.1 or localhost\n"
            assert not [k for k in headers if k.startswith("access-control-")], headers
