"""The staff preview answers only requests addressed to it (a defence against DNS rebinding).

``mkdocs serve`` shows drafts and embargoed decisions, and MkDocs' server answers a
request whatever its ``Host`` header names. A hostile web page that a staff member
visits could make its own host name (``evil.example``) resolve to 127.0.0.1 and then,
being same-origin with itself, read ``http://evil.example:8000/beslut/...``: the
browser would send ``Host: evil.example:8000``. That name is the one thing such a page
cannot hide, so :func:`guard_host` lets a request through only if its ``Host`` names
the served port and a host that no one else's DNS can point here:

* ``localhost``, which browsers resolve to the machine itself without asking DNS;
* an IP literal (v4 or v6): its origin is the address itself, no name to rebind;
* the exact host name the server was told to bind to (MkDocs' ``dev_addr``).

Everything else gets ``403 Forbidden`` and a short text, and nothing of the site, the
livereload endpoint included (MkDocs serves it through the same WSGI application).

No MkDocs import: a plain WSGI middleware, tested without a server.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["guard_host", "refusal_text"]

#: The status of a refused request.
REFUSED_STATUS = "403 Forbidden"

#: A port in a ``Host`` header: ASCII digits only (``str.isdigit`` also takes "²").
_PORT = re.compile(r"[0-9]{1,5}")


def _normal_name(name: str) -> str:
    """A host name as compared: lower case, without IPv6 brackets and one trailing dot.

    Host names are case-insensitive, and ``localhost.`` is the same name as
    ``localhost`` (fully qualified); comparing them as written would refuse a staff
    member's own browser or, worse, tempt a looser comparison.
    """
    name = name.lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    return name.removesuffix(".")


def _split_host(value: str) -> tuple[str, int] | None:
    """The host name and port a ``Host`` header names, or ``None`` if it is malformed.

    A missing port is 80 (the default of ``http:``, the only scheme served). An IPv6
    literal must be in brackets (``[::1]:8000``); a bare one is not a valid ``Host``.
    """
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[: end + 1], value[end + 1 :]
        if rest and not rest.startswith(":"):
            return None
        port = rest[1:] if rest else None
    else:
        name, colon, port_text = value.partition(":")
        if ":" in port_text:
            return None
        port = port_text if colon else None
    if port is None:
        return name, 80
    if not _PORT.fullmatch(port):
        return None
    return name, int(port)


def _is_ip_literal(name: str, bracketed: bool) -> bool:
    """Whether ``name`` (normalized) is an IP address: v6 only in brackets, v4 only without."""
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return isinstance(address, ipaddress.IPv6Address) == bracketed


def served_url(host: str, port: int) -> str:
    """The address the preview is served on, as staff type it (IPv6 in brackets)."""
    name = _normal_name(host)
    try:
        is_v6 = isinstance(ipaddress.ip_address(name), ipaddress.IPv6Address)
    except ValueError:
        is_v6 = False
    return f"http://[{name}]:{port}/" if is_v6 else f"http://{name}:{port}/"


def refusal_text(host: str, port: int) -> str:
    """The body of a refused request, in Swedish and English: why, and where to go."""
    url = served_url(host, port)
    return (f"Förhandsvisningen svarar bara på sin egen adress ({url}). "
            "Öppna den adressen i stället.\n"
            f"The preview only answers to its own address ({url}). "
            "Open that address instead.\n")


def host_allowed(header: str | None, host: str, port: int) -> bool:
    """Whether a request with ``Host: header`` is addressed to the server bound to
    ``host``:``port`` by a name that cannot be rebound (see the module's docstring).

    No ``Host`` at all is refused: an HTTP/1.0 client can leave it out, and then nothing
    shows that the request was meant for this server.
    """
    if not header:
        return False
    split = _split_host(header.strip().lower())
    if split is None:
        return False
    written, asked_port = split
    if asked_port != port:
        return False
    name = _normal_name(written)
    if written.startswith("["):  # only an IPv6 literal is written in brackets
        return _is_ip_literal(name, bracketed=True)
    return bool(name) and (name == "localhost" or _is_ip_literal(name, bracketed=False)
                           or name == _normal_name(host))


def guard_host(app: WSGIApplication, host: str, port: int) -> WSGIApplication:
    """``app`` answering only requests whose ``Host`` names the preview itself.

    ``host`` and ``port`` are the address the server was told to bind to (``dev_addr``).
    A refused request gets :data:`REFUSED_STATUS` and :func:`refusal_text`, as plain
    UTF-8 text that no browser caches or sniffs into HTML; ``app`` never sees it.
    """
    body = refusal_text(host, port).encode("utf-8")
    headers = [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ]

    def guarded(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        header = environ.get("HTTP_HOST")
        if host_allowed(header if isinstance(header, str) else None, host, port):
            return app(environ, start_response)
        start_response(REFUSED_STATUS, list(headers))
        return [body]

    return guarded
