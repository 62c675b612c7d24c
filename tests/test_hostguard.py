"""The staff preview answers only requests addressed to it (DNS rebinding): the WSGI
middleware on its own, and a real `mkdocs serve` with it wired in by the plugin."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from beslutsregister.adapter.hostguard import guard_host
from helpers import Site, case_text, make_site, start_preview

REFUSAL_8000 = (
    "Förhandsvisningen svarar bara på sin egen adress (http://127.0.0.1:8000/). "
    "Öppna den adressen i stället.\n"
    "The preview only answers to its own address (http://127.0.0.1:8000/). "
    "Open that address instead.\n"
)

SITE_BODY = b"<html>the site</html>"


@dataclass
class Answer:
    status: str
    headers: dict[str, str]
    body: bytes
    app_called: bool


def _ask(host: str | None, *, bound: str = "127.0.0.1", port: int = 8000) -> Answer:
    """Send one request with ``Host: host`` (``None``: no Host) through the guard."""
    called: list[bool] = []

    def site(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        called.append(True)
        start_response("200 OK", [("Content-Type", "text/html")])
        return [SITE_BODY]

    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started.append((status, headers))
        return lambda data: None

    environ: dict[str, Any] = {"REQUEST_METHOD": "GET", "PATH_INFO": "/beslut/run-2-2024/"}
    if host is not None:
        environ["HTTP_HOST"] = host
    body = b"".join(guard_host(site, bound, port)(environ, start_response))
    (status, headers), = started
    return Answer(status, dict(headers), body, bool(called))


ALLOWED = [
    "127.0.0.1:8000",
    "localhost:8000",
    "LOCALHOST:8000",
    "LocalHost.:8000",  # a trailing dot: the same, fully qualified name
    "127.0.0.1.:8000",
    "[::1]:8000",
    "[0:0:0:0:0:0:0:1]:8000",
    "192.168.1.20:8000",  # any IP literal: an address cannot be rebound
    "[fe80::1]:8000",
]

REFUSED = [
    None,  # no Host at all
    "",
    "evil.example:8000",
    "EVIL.example:8000",
    "evil.example.:8000",
    "evil.example",  # port 80
    "localhost",  # port 80, not the served port
    "127.0.0.1",  # port 80
    "[::1]",  # port 80
    "localhost:8001",
    "127.0.0.1:80",
    "127.0.0.1:08001",
    "localhost.evil.example:8000",
    "127.0.0.1.evil.example:8000",
    "sub.localhost:8000",  # not `localhost` itself
    "::1:8000",  # an IPv6 literal without brackets is no valid Host
    "[::1:8000",
    "[::1]x:8000",
    "[127.0.0.1]:8000",  # brackets are for IPv6 only
    "[localhost]:8000",
    "[]:8000",
    ":8000",
    "127.0.0.1:",
    "127.0.0.1:8000x",
    "127.0.0.1:+8000",
    "127.0.0.1:８０００",  # fullwidth digits are digits to str.isdigit, not to HTTP
    "127.0.0.1:8000:8000",
    "2130706433:8000",  # 127.0.0.1 as one number: not an IP literal Python (or we) accept
    "evil.example:8000@127.0.0.1:8000",
]


@pytest.mark.parametrize("host", ALLOWED)
def test_a_request_addressed_to_the_preview_passes(host: str) -> None:
    answer = _ask(host)
    assert answer.app_called
    assert (answer.status, answer.body) == ("200 OK", SITE_BODY)


@pytest.mark.parametrize("host", REFUSED)
def test_a_request_addressed_elsewhere_is_refused(host: str | None) -> None:
    answer = _ask(host)
    assert not answer.app_called
    assert answer.status == "403 Forbidden"
    assert answer.body.decode("utf-8") == REFUSAL_8000
    assert answer.headers == {
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Length": str(len(answer.body)),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }


@pytest.mark.parametrize(("bound", "host", "allowed"), [
    # The exact name the server was told to bind to passes, in any case, with a dot.
    ("localhost", "localhost:8000", True),
    ("preview.internal", "preview.internal:8000", True),
    ("preview.internal", "PREVIEW.internal.:8000", True),
    ("preview.internal", "other.internal:8000", False),
    ("preview.internal", "preview.internal.evil.example:8000", False),
    ("preview.internal", "preview.internal:8001", False),
    # Bound to IPv6: its literal in brackets passes, a name does not.
    ("::1", "[::1]:8000", True),
    ("::1", "evil.example:8000", False),
])
def test_the_bound_host_name_passes(bound: str, host: str, allowed: bool) -> None:
    answer = _ask(host, bound=bound)
    assert answer.app_called is allowed
    assert answer.status == ("200 OK" if allowed else "403 Forbidden")


def test_the_refusal_names_the_served_address() -> None:
    assert _ask("evil.example:80", port=80).body.decode("utf-8") == REFUSAL_8000.replace(
        ":8000/", ":80/")
    v6 = _ask("evil.example:8000", bound="::1").body.decode("utf-8")
    assert v6.count("(http://[::1]:8000/)") == 2
    name = _ask("evil.example:8000", bound="LOCALHOST").body.decode("utf-8")
    assert name.count("(http://localhost:8000/)") == 2


# --- end to end: a real `mkdocs serve` ------------------------------------------------------

DRAFT_TITLE = "Hemligt utkast om rebinding"
DRAFT_PATH = "/beslut/run-2-2024/"


def _request(port: int, host: str, path: str = DRAFT_PATH) -> tuple[int, str]:
    """GET ``path`` from 127.0.0.1:``port``, naming ``host`` in the Host header."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.fixture
def served_port(tmp_path: Any) -> Iterator[int]:
    """A real `mkdocs serve` of a register with a draft; stopped whatever the test does."""
    site = make_site(tmp_path / "project", today="2024-06-01")
    site.write_case("public.md", case_text(diary_number="RUN/1/2024", title="Publicerat"))
    site.write_case("draft.md", case_text(diary_number="RUN/2/2024", title=DRAFT_TITLE,
                                          status="draft"))
    server, port = start_preview(site)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, page = _request(port, f"127.0.0.1:{port}")
            except OSError:
                status, page = 0, ""
            if status == 200 and DRAFT_TITLE in page:
                break
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the preview did not serve the draft (status {status})")
            time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        try:
            _, stderr = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            _, stderr = server.communicate()
    assert "Traceback" not in stderr, stderr


def test_a_real_preview_refuses_a_rebound_host_name(served_port: int) -> None:
    port = served_port
    status, page = _request(port, f"127.0.0.1:{port}")
    assert status == 200 and DRAFT_TITLE in page

    status, body = _request(port, f"evil.example:{port}")
    assert status == 403
    assert DRAFT_TITLE not in body
    assert body.startswith(f"Förhandsvisningen svarar bara på sin egen adress "
                           f"(http://127.0.0.1:{port}/).")
    # The livereload endpoint goes through the same application (it would answer at once).
    assert _request(port, f"evil.example:{port}", "/livereload/0/0")[0] == 403

    status, page = _request(port, f"localhost:{port}")
    assert status == 200 and DRAFT_TITLE in page


def test_a_preview_without_live_reload_is_refused(site: Site) -> None:
    """Without live reload MkDocs never calls on_serve, so the guard would be missing."""
    site.write_case("x.md", case_text(status="draft"))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", "127.0.0.1:0"],
        cwd=site.root, capture_output=True, text=True, timeout=120,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert result.returncode == 1
    assert ("beslutsregister: the staff preview needs live reload, which guards its address; "
            "expected 'mkdocs serve' without --no-livereload") in result.stderr
    assert "Traceback" not in result.stderr
