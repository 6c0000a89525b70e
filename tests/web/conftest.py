"""A real assistant (action server + Rasa with the web widget channel) and two stand-in websites
that embed the widget: one on an allowed origin, one on an origin not in CORS_ORIGINS."""
import secrets
import shutil
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from bot.paths import ROOT
from bot.stack import free_port, running_assistant

WIDGET_FILES = ("widget.js", "widget.css", "socket.io.min.js", "chat.html")


@dataclass
class Sites:
    url: str          # the assistant, which also serves /chat and /widget/*
    token: str        # its HTTP API token
    embed_url: str    # a clinic website on an allowed origin, embedding the widget
    blocked_url: str  # a website on an origin not allowed
    tracker_db: Path  # the assistant's SQLite tracker store (Rasa's `events` table)


def _site(host: str, server_url: str) -> ThreadingHTTPServer:
    page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A clinic site</title>'
            f'</head><body><h1>A clinic website</h1>'
            f'<script src="{server_url}/widget/widget.js" data-server="{server_url}" defer></script>'
            f'</body></html>').encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _require_widget_build() -> None:
    missing = [name for name in WIDGET_FILES if not (ROOT / "web" / "dist" / name).is_file()]
    if missing or not (ROOT / "web" / "node_modules" / "playwright-core").is_dir():
        pytest.fail(f"the web widget is not built ({missing or 'web/node_modules'}): run `make web`")


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> Iterator[Sites]:
    _require_widget_build()
    port = free_port()
    server_url = f"http://127.0.0.1:{port}"
    embed = _site("127.0.0.2", server_url)
    blocked = _site("127.0.0.3", server_url)
    embed_url = f"http://127.0.0.2:{embed.server_address[1]}/"
    blocked_url = f"http://127.0.0.3:{blocked.server_address[1]}/"
    token = secrets.token_urlsafe(16)
    logs = tmp_path_factory.mktemp("widget-assistant")
    try:
        with running_assistant(port=port, api_token=token, log_dir=logs, tracker_db=logs / "tracker.db",
                               cors=[embed_url.rstrip("/")]) as url:
            yield Sites(url, token, embed_url, blocked_url, logs / "tracker.db")
    finally:
        embed.shutdown()
        blocked.shutdown()


def chromium_path() -> str:
    import os
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Debian's chromium is not installed: apt-get install -y chromium chromium-driver")
    return path
