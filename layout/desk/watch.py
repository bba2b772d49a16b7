"""`broadsheet watch`: re-render a spec on every save, refresh its page previews and the copyfit
report; optionally serve them on a small local page (127.0.0.1 only) that refreshes itself.

- `Desk` holds one spec: `rebuild()` plans it, writes the PDF when it passes the render's checks
  (overset, missing glyphs; the previous PDF stays otherwise), rasterises the previews with their
  overlays and makes the report. Every rebuild, good or bad, is a new `Snapshot` with a new version.
- `watch_spec(desk, …)` rebuilds once, then on every change to the spec or an image it uses
  (watchfiles), until `stop_event` is set, `max_renders` is reached or `timeout` has passed.
- `PreviewServer(desk)` serves `/` (the page), `/version`, `/state.json`, `/report.json` and the
  page PNGs from a stdlib `ThreadingHTTPServer` bound to 127.0.0.1, only to requests whose `Host:`
  is 127.0.0.1:PORT or localhost:PORT (421 otherwise: DNS rebinding), with no CORS headers. The
  page polls `/version` and, when it changes, reloads the state: page images (cache-busted), status
  line and report.
"""
from __future__ import annotations

import html
import json
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Sequence
from urllib.parse import urlsplit

from .batch import error_outcome
from .preview import OVERLAYS, png_name, preview_pngs
from .report import Report, copyfit, plan_spec, render_table, to_dict

POLL_MS = 500  # how often the page asks /version


@dataclass(frozen=True)
class Snapshot:
    version: int  # 0: nothing rendered yet
    code: int  # the exit code `broadsheet render` would give (0 rendered)
    message: str  # what `broadsheet render` would print (errors, warnings, "wrote …")
    pages: tuple[tuple[int, Path], ...] = ()  # (page number, PNG)
    report: Report | None = None
    seconds: float = 0.0
    finished_at: float = field(default_factory=time.time)

    @property
    def ok(self) -> bool:
        return self.code == 0


class Desk:
    """One spec under the desk's eyes: its PDF, page previews and copyfit report, kept current."""

    def __init__(self, spec: Path, out_dir: Path, *, preview_dir: Path | None = None,
                 pages: Sequence[int] | None = None, dpi: float = 72,
                 overlays: Sequence[str] = OVERLAYS, allow_overset: bool = False, fontbook=None):
        self.spec = Path(spec)
        self.out_dir = Path(out_dir)
        self.preview_dir = Path(preview_dir) if preview_dir else self.out_dir / "preview"
        self.pages = tuple(pages) if pages else None
        self.dpi = dpi
        self.overlays = tuple(overlays)
        self.allow_overset = allow_overset
        self.fontbook = fontbook
        self._lock = threading.Lock()
        self._snapshot = Snapshot(0, 0, "not rendered yet")
        self._inputs: set[Path] = {self.spec.resolve()}

    @property
    def snapshot(self) -> Snapshot:
        with self._lock:
            return self._snapshot

    @property
    def inputs(self) -> set[Path]:
        """The files a change of which means a new render: the spec and the images it uses."""
        with self._lock:
            return set(self._inputs)

    def rebuild(self) -> Snapshot:
        """Render the spec as `broadsheet render` does (same checks, same messages, the PDF written
        atomically only when it passes) and preview that PDF. When the render fails on the layout
        (overset, missing glyphs, no room), the spec is planned without those checks and the
        previews and report show the failing version, overset marked in red; the PDF on disk
        stays the last good one. When the spec cannot be read, the last previews stay."""
        from .batch import render_one
        from ..util.errors import LayoutError
        from ..press.pdf import render_pdf
        from .render import refuse_inputs_as_outputs
        from ..spec.load import load_issue

        start = time.perf_counter()
        previous = self.snapshot
        pages, report = previous.pages, previous.report
        outcome = render_one(self.spec, self.out_dir, self.allow_overset, keep_plan=True,
                             fontbook=self.fontbook)
        code, message = outcome.code, outcome.message
        try:
            if outcome.ok:
                issue, plan = load_issue(self.spec), outcome.plan
                pdf: Path | bytes = outcome.output
            elif outcome.error_type is LayoutError:
                issue, plan = plan_spec(self.spec, self.fontbook)
                pdf = render_pdf(plan.pages, initial_font=plan.body_font)
                message += ("\nthe PDF was not written (the previous one, if any, is unchanged); "
                            "the previews show this version")
            else:
                issue = plan = None
            if issue is not None and plan is not None:
                with self._lock:
                    self._inputs = ({self.spec.resolve()}
                                    | {i.file.resolve() for i in issue.images.values()})
                report = copyfit(issue, plan)
                numbers = [p.number for p in plan.pages]
                wanted = None if self.pages is None else [n for n in self.pages if n in numbers]
                refuse_inputs_as_outputs(self.spec, issue, [
                    self.preview_dir / png_name(self.spec.stem, n) for n in wanted or numbers])
                written = preview_pngs(pdf, issue, plan, wanted, self.dpi, self.overlays,
                                       self.preview_dir, stem=self.spec.stem, report=report)
                pages = tuple(zip(numbers if wanted is None else wanted, written))
        except Exception as e:  # noqa: BLE001 - a bad save must not end the watch
            failed = error_outcome(self.spec, e)
            code, message = max(code, failed.code), f"{message}\n{failed.message}".strip()
        with self._lock:
            self._snapshot = Snapshot(previous.version + 1, code, message, pages, report,
                                      time.perf_counter() - start)
            return self._snapshot


# --------------------------------------------------------------------------------------------------
# The watch loop


def watch_spec(desk: Desk, *, on_render: Callable[[Snapshot], None] | None = None,
               stop_event: threading.Event | None = None, max_renders: int | None = None,
               timeout: float | None = None, debounce_ms: int = 120, poll_ms: int = 250) -> int:
    """Render now, then after every change of the spec or its images. Returns the number of
    renders. Ends when `stop_event` is set, after `max_renders` renders, or after `timeout` s
    (each checked at least every `poll_ms`); Ctrl-C raises KeyboardInterrupt as usual."""
    import watchfiles

    deadline = None if timeout is None else time.monotonic() + timeout
    stop_event = stop_event or threading.Event()

    def render() -> None:
        snapshot = desk.rebuild()
        if on_render is not None:
            on_render(snapshot)

    renders = 0
    render()
    renders += 1
    while not _should_stop(stop_event, deadline, renders, max_renders):
        inputs = desk.inputs
        folders = sorted({p.parent for p in inputs if p.parent.is_dir()})
        restart = False
        for changes in watchfiles.watch(*folders, stop_event=stop_event, debounce=debounce_ms,
                                        step=50, rust_timeout=poll_ms, yield_on_timeout=True,
                                        recursive=False, watch_filter=None):
            if any(Path(path).resolve() in inputs for _, path in changes):
                render()
                renders += 1
                restart = desk.inputs != inputs  # an image added or moved elsewhere
            if _should_stop(stop_event, deadline, renders, max_renders) or restart:
                break
        else:
            break  # watchfiles ended: stop_event set
    return renders


def _should_stop(stop_event: threading.Event, deadline: float | None, renders: int,
                 max_renders: int | None) -> bool:
    return (stop_event.is_set() or (deadline is not None and time.monotonic() >= deadline)
            or (max_renders is not None and renders >= max_renders))


# --------------------------------------------------------------------------------------------------
# The local page


def report_html(report: Report | None) -> str:
    """The rich table, as HTML with inline styles (the same table the terminal shows)."""
    if report is None:
        return "<p>no report yet</p>"
    import io

    from rich.console import Console

    console = Console(record=True, width=140, file=io.StringIO(), color_system="truecolor")
    console.print(render_table(report))
    return console.export_html(inline_styles=True, code_format="<pre class=\"report\">{code}</pre>")


def state(desk: Desk) -> dict:
    snap = desk.snapshot
    return {
        "version": snap.version,
        "ok": snap.ok,
        "code": snap.code,
        "message": snap.message,
        "seconds": round(snap.seconds, 3),
        "spec": str(desk.spec),
        "pages": [{"number": n, "url": f"/pages/{path.name}?v={snap.version}"}
                  for n, path in snap.pages],
        "report_html": report_html(snap.report),
        "report": to_dict(snap.report) if snap.report else None,
    }


INDEX_HTML = """<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8">
<title>Broadsheet · __TITLE__</title><link rel="icon" href="data:,">
<style>
 body { font: 14px/1.4 system-ui, "Noto Sans CJK SC", sans-serif; margin: 0; background: #ddd; }
 header { position: sticky; top: 0; background: #222; color: #eee; padding: 6px 12px; z-index: 1; }
 header .bad { color: #ff7070; } header .good { color: #8f8; }
 #message { white-space: pre-wrap; font-family: monospace; margin: 4px 0 0; }
 main { display: flex; gap: 12px; padding: 12px; align-items: flex-start; }
 #pages { display: flex; flex-wrap: wrap; gap: 12px; flex: 1 1 60%; }
 #pages figure { margin: 0; background: #fff; box-shadow: 0 1px 4px #0006; }
 #pages figcaption { text-align: center; padding: 2px; }
 #pages img { display: block; max-width: 100%; height: auto; }
 #report { flex: 1 1 40%; overflow: auto; background: #fff; padding: 8px; }
 #report pre { font-size: 12px; }
</style></head>
<body data-version="0">
<header><b>__TITLE__</b> · render <span id="version">0</span> ·
 <span id="status">waiting</span> · <span id="seconds"></span>
 <div id="message"></div></header>
<main><section id="pages"></section><section id="report"></section></main>
<script>
"use strict";
let shown = -1;
async function refresh() {
  const state = await (await fetch("/state.json", {cache: "no-store"})).json();
  const pages = document.getElementById("pages");
  pages.replaceChildren(...state.pages.map(p => {
    const fig = document.createElement("figure");
    const img = document.createElement("img");
    img.className = "page"; img.src = p.url; img.alt = "page " + p.number;
    img.dataset.page = p.number; img.dataset.version = state.version;
    const cap = document.createElement("figcaption");
    cap.textContent = "第 " + p.number + " 版";
    fig.append(img, cap);
    return fig;
  }));
  document.getElementById("report").innerHTML = state.report_html;
  const status = document.getElementById("status");
  status.textContent = state.ok ? "ok" : "exit " + state.code;
  status.className = state.ok ? "good" : "bad";
  document.getElementById("message").textContent = state.message;
  document.getElementById("seconds").textContent = state.seconds + " s";
  document.getElementById("version").textContent = state.version;
  document.body.dataset.version = state.version;
  shown = state.version;
}
async function poll() {
  try {
    const v = await (await fetch("/version", {cache: "no-store"})).json();
    if (v.version !== shown) await refresh();
  } catch (e) { /* the watcher is restarting or gone: keep trying */ }
  setTimeout(poll, __POLL__);
}
poll();
</script></body></html>
"""


class PreviewServer:
    """The desk's page on http://127.0.0.1:<port>/ (port 0: any free port), in a daemon thread."""

    def __init__(self, desk: Desk, port: int = 0, host: str = "127.0.0.1"):
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the preview server only listens on the loopback interface")
        self.desk = desk
        self.httpd = ThreadingHTTPServer((host, port), _handler(desk))
        self.httpd.daemon_threads = True
        self.httpd.allowed_hosts = allowed_hosts(host, self.httpd.server_address[1])
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> str:
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="broadsheet-preview", daemon=True)
        self._thread.start()
        return self.url

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> PreviewServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The `Host:` values the server answers: its loopback names with its port. A page elsewhere
    that points its own name at 127.0.0.1 (DNS rebinding) sends its own name, and is refused."""
    names = ["[::1]"] if host == "::1" else ["127.0.0.1", "localhost"]
    hosts = {f"{name}:{port}" for name in names}
    if port == 80:  # a browser leaves out the default port
        hosts.update(names)
    return frozenset(hosts)


def _handler(desk: Desk) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "broadsheet-watch"

        def log_message(self, format: str, *args) -> None:  # quiet: the terminal shows the report
            pass

        def _send(self, body: bytes, content_type: str, status: HTTPStatus = HTTPStatus.OK) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _json(self, data: object) -> None:
            self._send(json.dumps(data, ensure_ascii=False).encode("utf-8"),
                       "application/json; charset=utf-8")

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            host = (self.headers.get("Host") or "").strip().lower()
            if host not in self.server.allowed_hosts:  # type: ignore[attr-defined]
                # No CORS headers either, here or anywhere: no other origin may read these pages.
                self._send(b"wrong Host header: this page answers only at 127.0.0.1 or localhost\n",
                           "text/plain", HTTPStatus.MISDIRECTED_REQUEST)
                return
            try:
                if path in ("/", "/index.html"):
                    title = html.escape(desk.spec.name)
                    page = INDEX_HTML.replace("__TITLE__", title).replace("__POLL__", str(POLL_MS))
                    self._send(page.encode("utf-8"), "text/html; charset=utf-8")
                elif path == "/version":
                    snap = desk.snapshot
                    self._json({"version": snap.version, "ok": snap.ok})
                elif path == "/state.json":
                    self._json(state(desk))
                elif path == "/report.json":
                    snap = desk.snapshot
                    self._json(to_dict(snap.report) if snap.report else None)
                elif path.startswith("/pages/"):
                    name = path[len("/pages/"):]
                    files = {p.name: p for _, p in desk.snapshot.pages}
                    if name not in files:  # only the current previews: no path is ever joined
                        self._send(b"not found", "text/plain", HTTPStatus.NOT_FOUND)
                        return
                    self._send(files[name].read_bytes(), "image/png")
                else:
                    self._send(b"not found", "text/plain", HTTPStatus.NOT_FOUND)
            except (BrokenPipeError, ConnectionResetError):
                pass
            except OSError as e:  # a preview replaced between listing and reading: try again
                self._send(str(e).encode(), "text/plain", HTTPStatus.SERVICE_UNAVAILABLE)

    return Handler


__all__ = ["Desk", "Snapshot", "watch_spec", "PreviewServer", "png_name", "state"]
