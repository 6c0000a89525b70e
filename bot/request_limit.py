"""How big a request body the Rasa server and the review console read: 1 MB, not Sanic's 100 MB.

Sanic (21.12, both servers) reads a request body of up to REQUEST_MAX_SIZE bytes into memory before
anything looks at it; its default, 100 MB, let one client hold 100 MB of a server's memory per
connection and keep its only event loop busy parsing it. No client of ours needs more than a few
kilobytes: a REST or platform message is cut at 5,000 characters (bot/channels/rest.py), the web
widget's socket.io payloads are capped at 1 MB by python-engineio, the console's forms are short.
So both servers refuse a larger body with 413 as soon as its Content-Length (or, chunked, the bytes
received) passes the limit, before the body is read. The production profile's nginx refuses bodies
over 256 KB before they reach either (bot/cluster/nginx.py); this is the limit without it.

Sanic's own variable SANIC_REQUEST_MAX_SIZE (bytes) changes it, for both servers. The Rasa server is
the `rasa run` command, whose app the project does not create: the limit is set when the server
starts, by the channels every configuration serves (the REST and web-widget channels call
`limit_on_start` on their blueprints); Sanic reads it for every connection it accepts.
"""
import os
from typing import Any, Mapping, Optional

from sanic import Blueprint, Sanic

DEFAULT_MAX_BYTES = 1_000_000
ENV = "SANIC_REQUEST_MAX_SIZE"


def max_request_bytes(environ: Optional[Mapping[str, str]] = None) -> int:
    """SANIC_REQUEST_MAX_SIZE (a positive whole number of bytes), or DEFAULT_MAX_BYTES. A wrong value
    stops the server at start-up rather than leave the limit unknown."""
    value = (os.environ if environ is None else environ).get(ENV, "").strip()
    if not value:
        return DEFAULT_MAX_BYTES
    try:
        limit = int(value)
    except ValueError:
        limit = 0
    if limit <= 0:
        raise ValueError(f"{ENV} must be a positive number of bytes, not {value!r}")
    return limit


def limit(app: Sanic) -> None:
    app.config.REQUEST_MAX_SIZE = max_request_bytes()


def limit_on_start(blueprint: Blueprint) -> None:
    """Set the limit on the app that serves `blueprint`, before it accepts connections."""

    @blueprint.listener("before_server_start")
    async def limit_request_bodies(app: Sanic, _: Any) -> None:
        limit(app)
