"""serve's pieces: the injected script, the error page, the HTTP handler, refusals."""

from __future__ import annotations

import functools
import signal
import socket
import subprocess
import sys
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
    (tmp_path / "documents" / "letters.pdf").write_bytes(b"%PDF-1.7 letters with home addresses")
    (tmp_path / "secret.txt").write_text("not for the browser")
    state = serve.BuildState()
    handler = functools.partial(serve.Handler, state=state, allowed_hosts=frozenset({"preview.lan"}),
                                directory=str(site))
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


# ---------------------------------------------------------------- for this computer's user only (raw HTTP)

def raw(url: str, request: str) -> tuple[str, dict, bytes]:
    """Send `request` as it is ({port} filled in); the status line, headers and body of the answer."""
    port = int(url.rsplit(":", 1)[1].strip("/"))
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(request.format(port=port).replace("\n", "\r\n").encode("latin-1"))
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    return status, {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}, body


def get(url: str, path: str, *headers: str, method: str = "GET") -> tuple[str, dict, bytes]:
    return raw(url, f"{method} {path} HTTP/1.1\n" + "".join(h + "\n" for h in headers) + "Connection: close\n\n")


@pytest.mark.parametrize("host", ["localhost", "localhost:{port}", "LocalHost:{port}", "app.localhost:{port}",
                                  "127.0.0.1:{port}", "127.0.0.1", "[::1]:{port}", "192.168.1.20:{port}",
                                  "preview.lan:{port}", "preview.lan"])
def test_this_computer_is_answered_by_name_or_address(running, host):
    url, _ = running
    status, headers, body = get(url, "/members/x/", f"Host: {host}")
    assert status == "HTTP/1.0 200 OK" and b"member x" in body
    assert not [name for name in headers if name.startswith("access-control-")]


def test_dns_rebinding_gets_no_documents(running, capsys):
    url, _ = running
    status, _, body = get(url, "/__coalition_docs/documents/letters.pdf", "Host: attacker.example:{port}")
    assert status == "HTTP/1.0 403 Forbidden"
    assert b"%PDF" not in body
    assert body.decode() == ("403 Host 'attacker.example:%s' is not this computer.\nThis preview answers only to "
                             "localhost, a name under .localhost, an IP address, or a name given with --allow-host "
                             "(coalition-docs serve --allow-host NAME).\n" % url.rsplit(":", 1)[1].strip("/"))
    port = url.rsplit(":", 1)[1].strip("/")
    assert capsys.readouterr().err == (
        f"serve: refused GET /__coalition_docs/documents/letters.pdf: Host 'attacker.example:{port}' is not this "
        "computer (expected localhost, a name under .localhost, an IP address, or a name given with --allow-host)\n")


@pytest.mark.parametrize("host", ["attacker.example", "localhost.attacker.example:{port}",
                                  "127.0.0.1.nip.io:{port}", "preview.lan.attacker.example", "[::1]x:{port}",
                                  "localhost:{port}x", ""])
def test_any_other_host_is_refused(running, host, capsys):
    url, _ = running
    assert get(url, "/", f"Host: {host}")[0] == "HTTP/1.0 403 Forbidden"
    assert get(url, "/__coalition_docs/events", f"Host: {host}")[0] == "HTTP/1.0 403 Forbidden"
    assert len(capsys.readouterr().err.splitlines()) == 2


def test_a_request_without_host_is_refused(running, capsys):
    url, _ = running
    status, _, _ = raw(url, "GET /__coalition_docs/documents/letters.pdf HTTP/1.0\n\n")
    assert status == "HTTP/1.0 403 Forbidden"
    assert capsys.readouterr().err == ("serve: refused GET /__coalition_docs/documents/letters.pdf: no Host header "
                                       "(expected localhost, a name under .localhost, an IP address, or a name "
                                       "given with --allow-host)\n")


def test_two_hosts_or_a_foreign_absolute_address_are_refused(running, capsys):
    url, _ = running
    status, _, body = raw(url, "GET /__coalition_docs/documents/letters.pdf HTTP/1.1\nHost: localhost:{port}\n"
                               "Host: attacker.example:{port}\nConnection: close\n\n")
    assert status == "HTTP/1.0 400 Bad Request" and b"%PDF" not in body
    status, _, body = raw(url, "GET http://attacker.example:{port}/__coalition_docs/documents/letters.pdf HTTP/1.1\n"
                               "Host: localhost:{port}\nConnection: close\n\n")
    assert status == "HTTP/1.0 403 Forbidden" and b"%PDF" not in body
    port = url.rsplit(":", 1)[1].strip("/")
    assert capsys.readouterr().err.splitlines() == [
        "serve: refused GET /__coalition_docs/documents/letters.pdf: 2 Host headers (expected one)",
        f"serve: refused GET http://attacker.example:{port}/__coalition_docs/documents/letters.pdf: the address "
        f"'http://attacker.example:{port}/__coalition_docs/documents/letters.pdf' is not on this computer (expected "
        "localhost, a name under .localhost, an IP address, or a name given with --allow-host)"]
    status, _, body = raw(url, "GET http://localhost:{port}/style.css HTTP/1.1\nHost: localhost:{port}\n"
                               "Connection: close\n\n")
    assert status == "HTTP/1.0 200 OK"


@pytest.mark.parametrize("origin", ["http://attacker.example", "http://attacker.example:{port}", "null",
                                    "file://", "http://localhost.attacker.example"])
def test_a_foreign_origin_is_refused(running, origin, capsys):
    url, _ = running
    status, headers, body = get(url, "/__coalition_docs/events", "Host: localhost:{port}", f"Origin: {origin}")
    assert status == "HTTP/1.0 403 Forbidden"
    assert not [name for name in headers if name.startswith("access-control-")]
    assert capsys.readouterr().err.startswith(f"serve: refused GET /__coalition_docs/events: Origin '{origin.format(port=url.rsplit(':', 1)[1].strip('/'))}' is not this computer")


@pytest.mark.parametrize("origin", ["http://localhost:{port}", "http://127.0.0.1:{port}", "http://preview.lan"])
def test_an_origin_of_this_computer_is_answered_without_cors_headers(running, origin):
    url, _ = running
    status, headers, _ = get(url, "/style.css", "Host: localhost:{port}", f"Origin: {origin}")
    assert status == "HTTP/1.0 200 OK"
    assert not [name for name in headers if name.startswith("access-control-")]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "PROPFIND"])
def test_only_get_and_head_are_served(running, method, capsys):
    url, _ = running
    status, headers, body = get(url, "/index.html", "Host: localhost:{port}", "Content-Length: 0", method=method)
    assert status == "HTTP/1.0 405 Method Not Allowed"
    assert headers["allow"] == "GET, HEAD"
    assert body == f"405 method {method} is not served (expected GET or HEAD).\n".encode()
    assert capsys.readouterr().err == (f"serve: refused {method} /index.html: method {method} is not served "
                                       "(expected GET or HEAD)\n")
    status, headers, body = get(url, "/index.html", "Host: localhost:{port}", method="HEAD")
    assert status == "HTTP/1.0 200 OK" and body == b"" and int(headers["content-length"]) > 0


def test_listening_beyond_this_computer_is_said_in_one_line():
    assert serve.exposure_warning("127.0.0.1", True) is None
    assert serve.exposure_warning("localhost", True) is None
    assert serve.exposure_warning("::1", True) is None
    assert serve.exposure_warning("0.0.0.0", False) == (
        "warning: listening on 0.0.0.0: the preview is open to every computer that can reach this one "
        "(the default, --host 127.0.0.1, keeps it to this computer)")
    assert serve.exposure_warning("192.168.1.20", True) == (
        "warning: listening on 192.168.1.20: the preview and the internal documents (letters with names and "
        "home addresses) are open to every computer that can reach this one (the default, --host 127.0.0.1, "
        "keeps them to this computer)")


def test_serve_on_every_address_warns_and_still_refuses_foreign_names(content):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "coalition_docs", "serve", str(content), "--host", "0.0.0.0",
                                "--port", str(port), "--allow-host", "Box.LAN"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr.readline() == (
            "warning: listening on 0.0.0.0: the preview is open to every computer that can reach this one "
            "(the default, --host 127.0.0.1, keeps it to this computer)\n")
        while not process.stdout.readline().startswith("Watching"):
            assert process.poll() is None
        url = f"http://127.0.0.1:{port}/"
        assert get(url, "/", "Host: box.lan:{port}")[0] == "HTTP/1.0 200 OK"
        assert get(url, "/", "Host: 0.0.0.0:{port}")[0] == "HTTP/1.0 200 OK"
        assert get(url, "/", "Host: attacker.example:{port}")[0] == "HTTP/1.0 403 Forbidden"
        assert process.stderr.readline() == (
            "serve: refused GET /: Host 'attacker.example:%d' is not this computer (expected localhost, a name "
            "under .localhost, an IP address, or a name given with --allow-host)\n" % port)
    finally:
        process.send_signal(signal.SIGINT)  # as Ctrl+C: the temporary build folder goes too
        process.wait(timeout=30)
        process.stdout.close()
        process.stderr.close()
