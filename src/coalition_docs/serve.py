"""`coalition-docs serve`: build, serve on 127.0.0.1, rebuild on every change, reload the browser.

Like `mkdocs serve` and `hugo server`: the site is built into a temporary
folder (or `--out`), served by a small threaded HTTP server, and rebuilt
incrementally whenever a file of the content or of the theme changes
(watchfiles). Every HTML response gets one script tag that listens for new
builds (Server-Sent Events) and reloads the page; the files on disk never
carry it. When a build fails, every page shows the located errors instead,
and the server keeps running until a fix brings the site back.

The preview is for the person at this computer only. A web page they visit
can reach 127.0.0.1 under a name of its own (DNS rebinding), so every request
must name this computer in its Host: localhost, a name under .localhost, an
IP address, or a name given with --allow-host; a present Origin must be one
of those too. Anything else gets a 403. No CORS headers are ever sent, and
only GET and HEAD are served.
"""

from __future__ import annotations

import errno
import functools
import html
import http.server
import shutil
import sys
import tempfile
import threading
import traceback
import uuid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from coalition_docs.errors import CoalitionDocsError, ContentErrors, UsageError
from coalition_docs.serve_guard import ALLOWED, exposure_warning, host_name, refusal

EVENTS = "/__coalition_docs/events"
DOCUMENTS = "/__coalition_docs/documents/"  # the PDFs of `serve --documents`, never part of the site
SCRIPT = "/__coalition_docs/livereload.js"
HEARTBEAT_SECONDS = 10.0

LIVERELOAD_JS = """\
// coalition-docs serve: reload this page when a new build is ready.
(function () {
  var me = document.currentScript;
  var seen = me && me.getAttribute("data-build");
  function listen() {
    var source = new EventSource("%(events)s");
    source.onmessage = function (event) {
      if (seen === null) { seen = event.data; return; }
      if (event.data !== seen) { source.close(); window.location.reload(); }
    };
    source.onerror = function () { source.close(); setTimeout(listen, 1000); };
  }
  listen();
})();
""" % {"events": EVENTS}

ERROR_PAGE = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed</title>
<style>
  body {{ font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem;
         color: #1b1f23; }}
  h1 {{ color: #8a1c1c; font-size: 1.6rem; }}
  pre {{ background: #f6f1f1; border-left: 4px solid #8a1c1c; padding: 1rem; overflow-x: auto;
        white-space: pre-wrap; font-size: 0.95rem; }}
</style>
</head>
<body>
<main>
<h1>Build failed</h1>
<p>{summary} Fix the files below and save: this page reloads by itself.</p>
<pre>{errors}</pre>
</main>
{script}
</body>
</html>
"""


class BuildState:
    """The outcome of the latest build, shared by the watcher and the request handlers."""

    def __init__(self) -> None:
        self.server_id = uuid.uuid4().hex[:8]
        self.generation = 0
        self.error: str | None = None  # the located errors of a failed build, as text
        self.changed = threading.Condition()

    @property
    def tag(self) -> str:
        return f"{self.server_id}-{self.generation}"

    def finished(self, error: str | None) -> None:
        with self.changed:
            self.error = error
            self.generation += 1
            self.changed.notify_all()

    def wait(self, tag: str, timeout: float) -> str:
        with self.changed:
            self.changed.wait_for(lambda: self.tag != tag, timeout=timeout)
            return self.tag


def script_tag(state: BuildState) -> str:
    return f'<script src="{SCRIPT}" data-build="{state.tag}"></script>'


def inject(page: str, state: BuildState) -> str:
    """The page with the live-reload script tag before </body> (or at the end)."""
    tag = script_tag(state)
    index = page.lower().rfind("</body>")
    return page + tag if index < 0 else page[:index] + tag + "\n" + page[index:]


def error_page(error: str, state: BuildState) -> str:
    count = sum(1 for line in error.splitlines() if line and not line.startswith(" "))
    summary = "The last build stopped with problems." if count != 1 else "The last build stopped with a problem."
    return ERROR_PAGE.format(summary=summary, errors=html.escape(error), script=script_tag(state))


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves OUT/site with live reload; OUT/site is looked up anew for every request."""

    state: BuildState

    def __init__(self, *args, state: BuildState, allowed_hosts: frozenset[str] = frozenset(), **kwargs):
        self.state = state
        self.allowed_hosts = allowed_hosts
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # a quiet server: the terminal shows builds, not requests

    def parse_request(self) -> bool:
        """The request line and headers, then the guards: a False return means an answer was sent."""
        if not super().parse_request():
            return False
        refused = refusal(self.command, self.path, self.headers.get_all("Host") or [], self.headers.get("Origin"),
                          self.allowed_hosts)
        if refused is not None:
            return self._refuse(*refused)
        if not self.path.startswith("/"):  # GET http://localhost:8000/x: the address of this computer, allowed
            parts = urlsplit(self.path)
            self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return True

    def _refuse(self, status: int, why: str) -> bool:
        where = self.path if self.path.isprintable() else repr(self.path)
        print(f"serve: refused {self.command} {where}: {why}"
              + (f" (expected {ALLOWED})" if status == 403 else ""), file=sys.stderr, flush=True)
        body = (f"{status} {why}.\nThis preview answers only to {ALLOWED} "
                "(coalition-docs serve --allow-host NAME).\n" if status == 403 else f"{status} {why}.\n")
        self.send_response(status)
        if status == 405:
            self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body.encode())))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body.encode())
        return False

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = urlsplit(self.path).path
        if path == EVENTS:
            return self._events()
        if path == SCRIPT:
            return self._send(200, LIVERELOAD_JS, "text/javascript; charset=utf-8")
        if path.startswith(DOCUMENTS):
            return super().do_GET()  # files and folder listings of OUT/documents
        if self.state.error is not None and self._wants_html(path):
            return self._send(500, error_page(self.state.error, self.state), "text/html; charset=utf-8")
        file = Path(self.translate_path(self.path))
        if file.is_dir():
            if not path.endswith("/"):
                return super().do_GET()  # the standard redirect to the folder's URL
            file = file / "index.html"
        if file.suffix == ".html" and file.is_file():
            return self._send(200, inject(file.read_text(encoding="utf-8"), self.state), "text/html; charset=utf-8")
        if not file.exists():
            missing = Path(self.directory) / "404.html"
            text = missing.read_text(encoding="utf-8") if missing.is_file() else "<h1>Not found</h1>"
            return self._send(404, inject(text, self.state), "text/html; charset=utf-8")
        return super().do_GET()

    def translate_path(self, path: str) -> str:
        if urlsplit(path).path.startswith(DOCUMENTS):
            documents = Path(self.directory).parent / "documents"
            rest = unquote(urlsplit(path).path[len(DOCUMENTS):])
            target = (documents / rest).resolve()
            return str(target) if target.is_relative_to(documents.resolve()) else str(documents / "..missing")
        return super().translate_path(path)

    def _wants_html(self, path: str) -> bool:
        name = unquote(path).rsplit("/", 1)[-1]
        return name == "" or name.endswith(".html") or "." not in name

    def _send(self, status: int, text: str, content_type: str) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        tag = self.state.tag
        try:
            self.wfile.write(f"retry: 1000\ndata: {tag}\n\n".encode())
            self.wfile.flush()
            while not getattr(self.server, "closing", False):
                new = self.state.wait(tag, HEARTBEAT_SECONDS)
                if new == tag:
                    self.wfile.write(b": still here\n\n")
                else:
                    tag = new
                    self.wfile.write(f"data: {tag}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    closing = False


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ContentErrors):
        return exc.report()
    if isinstance(exc, CoalitionDocsError):
        return str(exc)
    return "An unexpected error (a bug in coalition-docs; please report it):\n\n" + "".join(
        traceback.format_exception(type(exc), exc, exc.__traceback__))


def watched_folders(content: Path) -> list[Path]:
    from coalition_docs.templating import Theme

    theme = Theme(content)
    return [Path(content).resolve(), *theme.search_path]


def _ignored(change, path: str) -> bool:
    name = Path(path).name
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp")) or "__pycache__" in path


def serve(content: Path, *, host: str = "127.0.0.1", port: int = 8000, out: Path | None = None,
          documents: bool = False, allow_hosts: tuple[str, ...] = (), stream=None, incremental: bool = True) -> int:
    """Serve until interrupted (Ctrl+C); returns the exit status.

    Requests are answered only when their Host names this computer, `host` or one of `allow_hosts`.
    After the first build, a change reads again only the files that changed and writes only the pages
    it changed (incremental.py); `incremental=False` builds as `build --only site` does every time.
    """
    from coalition_docs.incremental import Session

    stream = stream or sys.stdout
    content = Path(content)
    if not (content / "coalition.yaml").is_file():
        raise UsageError(f"{content}: no coalition.yaml here (expected a content folder)")
    temporary = out is None
    out = Path(tempfile.mkdtemp(prefix="coalition-docs-serve-")) / "build" if out is None else Path(out)
    state = BuildState()
    building = threading.Lock()
    session = Session(content, out, documents=documents, incremental=incremental)

    def rebuild(reason: str) -> None:
        with building:
            try:
                result = session.build()
            except Exception as exc:  # noqa: BLE001 - shown in the browser; the server keeps running
                error = _describe(exc)
                print(f"{reason}: build failed\n{error}", file=stream, flush=True)
                state.finished(error)
                return
            print(f"{reason}: {result.summary()}", file=stream, flush=True)
            state.finished(None)
            session.settle()  # the manifest, once the browser was told

    allowed = frozenset(host_name(name) for name in (*allow_hosts, host))
    handler = functools.partial(Handler, state=state, allowed_hosts=allowed, directory=str(out / "site"))
    try:
        server = Server((host, port), handler)
    except OSError as exc:
        if temporary:
            shutil.rmtree(out.parent, ignore_errors=True)
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {host} is in use (choose another with --port)") from None
        raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None

    warning = exposure_warning(host, documents)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    rebuild("first build")
    stop = threading.Event()
    folders = [f for f in watched_folders(content) if f.is_dir()]

    def watch() -> None:
        from watchfiles import watch as watch_changes

        # The folders may disappear and come back (a branch switch, a restore): the watch then
        # starts again on what exists, and rebuilds, so the preview never stops following.
        def present() -> list[Path]:
            folders = [f for f in watched_folders(content) if f.is_dir()]
            if not content.is_dir():  # gone for now: watch where it will come back
                folders.append(content.resolve().parent)
            return folders

        while not stop.is_set():
            watching = present()
            try:
                # A change is handed over once 20 ms pass without another (an editor's save is one burst).
                for changes in watch_changes(*watching, stop_event=stop, debounce=200, step=20,
                                             watch_filter=lambda change, path: not _ignored(change, path)):
                    # Editors save through temporary files that are gone by now: name what is there.
                    existing = {Path(p).name for _, p in changes if Path(p).exists()}
                    names = sorted(existing or {Path(p).name for _, p in changes})
                    rebuild("changed " + ", ".join(names[:3]) + (" ..." if len(names) > 3 else ""))
                    if present() != watching:
                        break  # a watched folder went away, or came back: watch again
            except Exception as exc:  # noqa: BLE001 - the watcher must outlive any change to the folder
                print(f"watching stopped ({exc}); watching again", file=stream, flush=True)
                stop.wait(0.5)
                rebuild("folder changed")

    watcher = threading.Thread(target=watch, name="coalition-docs-watch", daemon=True)
    watcher.start()
    url = f"http://{host}:{server.server_address[1]}/"
    print(f"Serving {content} at {url}", file=stream)
    if documents:
        print(f"PDFs at {url}{DOCUMENTS.lstrip('/')}", file=stream)
    print(f"Watching {', '.join(str(f) for f in folders)}; press Ctrl+C to stop.", file=stream, flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.closing = True
        state.finished(state.error)  # wake the event streams so their threads end
        server.server_close()
        if temporary:
            shutil.rmtree(out.parent, ignore_errors=True)
    print("Stopped.", file=stream, flush=True)
    return 0
