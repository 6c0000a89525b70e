"""Real local servers that receive the clinic's alerts in tests: a tiny SMTP server (asyncio; the
venv has no aiosmtpd) and an HTTP webhook receiver. Each can refuse its first `fail_first`
deliveries, to show that alerts are retried. Both listen on 127.0.0.1 only."""
import asyncio
import json
import random
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, List


def random_port() -> int:
    """A free port in 6100-6999 (the range these tests use for their own servers)."""
    for _ in range(200):
        port = random.randint(6100, 6999)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 6100-6999")


def wait_for(check: Callable[[], bool], timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step)
    return check()


class SmtpSink:
    """An SMTP server speaking enough of RFC 5321 for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET,
    NOOP, QUIT. Each message received is kept as {"from", "to", "data"}."""

    def __init__(self, fail_first: int = 0) -> None:
        self.port = random_port()
        self.messages: List[dict] = []
        self.refused = 0
        self.fail_first = fail_first
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server = None

    def __enter__(self) -> "SmtpSink":
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._session, "127.0.0.1", self.port), self._loop).result(10)
        return self

    def __exit__(self, *_: object) -> None:
        self._server.close()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def say(line: str) -> None:
            writer.write((line + "\r\n").encode())

        say("220 localhost test sink")
        envelope = {"from": None, "to": []}
        try:
            while True:
                line = (await reader.readline()).decode(errors="replace").rstrip("\r\n")
                if not line:
                    break
                verb = line.split(" ", 1)[0].upper()
                if verb in ("EHLO", "HELO"):
                    say("250 localhost")
                elif verb == "MAIL":
                    if self.refused < self.fail_first:
                        self.refused += 1
                        say("451 try again later")
                    else:
                        envelope = {"from": line[10:].strip("<> "), "to": []}
                        say("250 OK")
                elif verb == "RCPT":
                    envelope["to"].append(line[8:].strip("<> "))
                    say("250 OK")
                elif verb == "DATA":
                    say("354 end with .")
                    await writer.drain()
                    lines = []
                    while True:
                        data = (await reader.readline()).decode(errors="replace")
                        if data.rstrip("\r\n") == ".":
                            break
                        lines.append(data)
                    self.messages.append(dict(envelope, data="".join(lines)))
                    say("250 queued")
                elif verb == "QUIT":
                    say("221 bye")
                    await writer.drain()
                    break
                else:  # RSET, NOOP and anything else
                    say("250 OK")
                await writer.drain()
        finally:
            writer.close()


class WebhookReceiver:
    """An HTTP server that keeps every JSON body POSTed to it; the first `fail_first` get 500."""

    def __init__(self, fail_first: int = 0) -> None:
        self.port = random_port()
        self.bodies: List[dict] = []
        self.refused = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if receiver.refused < fail_first:
                    receiver.refused += 1
                    self.send_response(500)
                else:
                    receiver.bodies.append(json.loads(body))
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/clinic"

    def __enter__(self) -> "WebhookReceiver":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
