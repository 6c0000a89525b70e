"""A local stand-in for Twilio's Messages API, Messenger's Send API, Slack's Web API
(chat.postMessage) and Telegram's Bot API, over real HTTP.

The server's senders reach it through TWILIO_API_URL / FACEBOOK_API_URL / SLACK_API_URL /
TELEGRAM_API_URL. It can be started late on
a port chosen in advance (the platform was unreachable, then comes back), answer 503 to everything
(down) or to some recipients only, or refuse some recipients for good, as the platforms do.

In-process tests that send to it use the `real_clients` fixture: the channel tests' session server
(platform_server.py) patches Twilio's, Messenger's and Slack's clients to record instead of
sending, for the rest of the session.
"""
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import fbmessenger
import pytest
from slack_sdk.web.async_client import AsyncWebClient
from twilio.http.http_client import TwilioHttpClient

from bot.stack import free_port

# The clients' own methods, taken when the tests are collected, before any fixture patches them.
REAL_METHODS = [(TwilioHttpClient, "request", TwilioHttpClient.request),
                (fbmessenger.MessengerClient, "send", fbmessenger.MessengerClient.send),
                (fbmessenger.MessengerClient, "send_action",
                 fbmessenger.MessengerClient.send_action),
                (AsyncWebClient, "api_call", AsyncWebClient.api_call)]
TELEGRAM_BOT = "clinic_test_bot"  # as tests/channels/platform_server.py configures it

TWILIO_DOWN = (503, {"code": 20503, "message": "Service unavailable", "status": 503})
TWILIO_INVALID_NUMBER = (400, {"code": 21211, "message": "The 'To' number is not a valid phone "
                               "number.", "status": 400})
MESSENGER_DOWN = (503, {"error": {"message": "Service temporarily unavailable", "code": 2,
                                  "is_transient": True}})
MESSENGER_UNAVAILABLE_USER = (400, {"error": {"message": "This person isn't available right now.",
                                              "code": 551}})
SLACK_DOWN = (503, {"ok": False, "error": "service_unavailable"})
SLACK_CHANNEL_NOT_FOUND = (200, {"ok": False, "error": "channel_not_found"})
TELEGRAM_DOWN = (502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
TELEGRAM_CHAT_NOT_FOUND = (400, {"ok": False, "error_code": 400,
                                 "description": "Bad Request: chat not found"})
Answer = Tuple[int, Dict[str, Any]]


class PlatformAPI:
    """Records every request: {"platform", "to", ...the request's fields}."""

    def __init__(self, port: Optional[int] = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.requests: List[Dict[str, Any]] = []
        self.down = False  # answer every request with the platform's 503
        self.answers: Dict[str, Answer] = {}  # recipient -> what to answer instead of success
        self._lock = threading.Lock()
        self._server: Optional[ThreadingHTTPServer] = None

    def start(self) -> "PlatformAPI":
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                status, answer = api.handle(urlsplit(self.path).path, body,
                                            self.headers.get("Content-Type", ""))
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def handle(self, path: str, body: str, content_type: str = "") -> Answer:
        if path.endswith("/Messages.json"):  # Twilio: form fields To, From, Body
            fields = {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}
            request = {"platform": "twilio", "to": fields.get("To"), **fields}
            down, ok = TWILIO_DOWN, (201, {"sid": "SM" + secrets.token_hex(16), "status": "queued",
                                           **{k.lower(): v for k, v in fields.items()}})
        elif path.endswith("/me/messages"):  # Messenger: JSON with recipient and message
            data = json.loads(body or "{}")
            request = {"platform": "facebook", "to": data.get("recipient", {}).get("id"), **data}
            down, ok = MESSENGER_DOWN, (200, {"recipient_id": request["to"],
                                              "message_id": "m_" + secrets.token_hex(8)})
        elif path.endswith("/chat.postMessage"):  # Slack: JSON with channel, text, blocks
            data = json.loads(body or "{}")
            request = {"platform": "slack", "to": data.get("channel"), **data}
            down, ok = SLACK_DOWN, (200, {"ok": True, "channel": request["to"],
                                          "ts": f"{time.time():.6f}"})
        elif path.startswith("/bot"):  # Telegram: /bot<token>/<method>, form fields
            request, down, ok = self._telegram(path.rsplit("/", 1)[-1], body, content_type)
        else:
            return 404, {"error": "unknown path"}
        with self._lock:
            self.requests.append(request)
        if self.down:
            return down
        return self.answers.get(request["to"]) or ok

    @staticmethod
    def _telegram(method: str, body: str, content_type: str) -> Tuple[Dict[str, Any], Answer,
                                                                      Answer]:
        if content_type.startswith("application/json"):
            fields = json.loads(body or "{}")
        else:
            fields = {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}
        request = {"platform": "telegram", "to": fields.get("chat_id"), "method": method,
                   **fields}
        result: Any = True
        if method == "getMe":
            result = {"id": 123456, "is_bot": True, "first_name": "Clinic",
                      "username": TELEGRAM_BOT}
        elif method == "sendMessage":
            result = {"message_id": secrets.randbelow(10 ** 6), "date": int(time.time()),
                      "chat": {"id": int(fields.get("chat_id") or 0), "type": "private"},
                      "text": fields.get("text")}
        return request, TELEGRAM_DOWN, (200, {"ok": True, "result": result})

    def received(self, platform: str, to: str) -> List[Dict[str, Any]]:
        with self._lock:
            return [r for r in self.requests if r["platform"] == platform and r["to"] == to]

    def wait_for(self, platform: str, to: str, predicate: Callable[[List[Dict[str, Any]]], bool],
                 timeout: float = 60) -> List[Dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            received = self.received(platform, to)
            if predicate(received):
                return received
            time.sleep(0.1)
        raise AssertionError(f"{platform} requests to {to} within {timeout} s: "
                             f"{self.received(platform, to)}")


@pytest.fixture
def real_clients() -> Iterator[None]:
    """Twilio's, Messenger's and Slack's clients as installed, making real HTTP requests."""
    assert all(method.__module__.startswith(("twilio.", "fbmessenger", "slack_sdk."))
               for _, _, method in REAL_METHODS), "collected after the clients were patched"
    patches = [mock.patch.object(owner, name, method) for owner, name, method in REAL_METHODS]
    for patch in patches:
        patch.start()
    yield
    for patch in reversed(patches):
        patch.stop()
