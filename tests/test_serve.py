"""serve's pieces: the injected script, the error page, the HTTP handler, refusals."""

from __future__ import annotations

import functools
import socket
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from coalition_docs import serve
from coalition_docs.errors import UsageError

from .conftest import run_cli


def test_the_script_goes_before_the_end_of_body_and_only_into_the_response():
    state = serve.BuildState()
    page = "<html><body><p>Hi</p></body></html>"
    served = serve.inject(page, state)
    assert served == ("<html><body><p>Hi</p>"
                      f'<script src="/__coalition_docs/livereload.js" data-build="{state.tag}"></script>\n'
                      "</body></html>")
    assert serve.inject("<p>no body</p>", state).endswith("</script>")


def test_the_error_page_escapes_what_it_shows():
    state = serve.BuildState()
    text = serve.error_page("partners/x.yaml:3:7: name: <script>alert(1)</script>", state)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert" not in text
    assert "<title>Build failed</title>" in text and '<html lang="en">' in text
    assert "with a problem." in text


@pytest.fixture
def running(tmp_path: Path):
    site = tmp_path / "site"
    (site / "members" / "x").mkdir(parents=True)
    (site / "index.html").write_text("<html><body>home</body></html>")
    (site / "members" / "x" / "index.html").write_text("<html><body>member x</body></html>")
    (site / "404.html").write_text("<html><body>lost</body></html>")
    (site / "style.css").write_text("body{}")
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "worksheet.pdf").write_bytes(b"%PDF-1.7 test")
    (tmp_path / "secret.txt").write_text("not for the browser")
    state = serve.BuildState()
    handler = functools.partial(serve.Handler, state=state, directory=str(site))
    server = serve.Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", state
    finally:
        server.shutdown()
        server.server_close()


def fetch(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read().decode(), {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), {k.lower(): v for k, v in error.headers.items()}


def test_the_handler_serves_clean_urls_with_the_script_and_no_caching(running):
    url, state = running
    status, body, headers = fetch(url + "members/x/")
    assert status == 200 and "member x" in body and f'data-build="{state.tag}"' in body
    assert headers["cache-control"] == "no-store"
    status, body, _ = fetch(url + "style.css")
    assert (status, body) == (200, "body{}")  # assets are served as they are
    status, body, _ = fetch(url + "nowhere/")
    assert status == 404 and "lost" in body and "livereload.js" in body


def test_a_failed_build_turns_every_page_into_the_error_page(running):
    url, state = running
    state.finished("coalition.yaml:2:1: name: missing (expected a string)")
    status, body, _ = fetch(url + "members/x/")
    assert status == 500 and "coalition.yaml:2:1: name: missing (expected a string)" in body
    status, body, _ = fetch(url + "style.css")
    assert status == 200  # assets still load
    state.finished(None)
    assert fetch(url + "members/x/")[0] == 200


def test_the_event_stream_announces_the_current_build(running):
    url, state = running
    with urllib.request.urlopen(url + "__coalition_docs/events", timeout=5) as stream:
        assert stream.readline() == b"retry: 1000\n"
        assert stream.readline().decode().strip() == f"data: {state.tag}"
        stream.readline()
        state.finished(None)
        assert stream.readline().decode().strip() == f"data: {state.tag}"


def test_a_port_in_use_is_a_usage_error(capsys, content):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = run_cli(capsys, "serve", content, "--port", str(port))
    assert code == 2
    assert f"port {port} on 127.0.0.1 is in use (choose another with --port)" in err


def test_serve_refuses_a_folder_without_coalition_yaml(tmp_path):
    with pytest.raises(UsageError, match="no coalition.yaml here"):
        serve.serve(tmp_path)


def test_the_pdfs_are_served_apart_from_the_site_and_nothing_beyond(running):
    url, _ = running
    status, body, headers = fetch(url + "__coalition_docs/documents/worksheet.pdf")
    assert (status, body, headers["content-type"]) == (200, "%PDF-1.7 test", "application/pdf")
    assert "worksheet.pdf" in fetch(url + "__coalition_docs/documents/")[1]
    assert fetch(url + "__coalition_docs/documents/%2e%2e/secret.txt")[0] == 404
    assert fetch(url + "documents/worksheet.pdf")[0] == 404  # never under the site's own URLs
