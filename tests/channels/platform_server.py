"""A running Rasa server with every messaging platform, built the way `rasa run` builds it.

- The credentials file is written by `bot.channels.credentials` from test environment variables
  (the `${VARIABLE}` references are resolved by Rasa's own loader), the channels are created by
  `rasa.core.run.create_http_input_channels` and served by `rasa.core.run.configure_app` on a real
  port; the agent is the trained model (models/assistant.tar.gz) with endpoints.yml (a fresh SQLite
  tracker store) and a real action server. Tests post each platform's webhook payloads over HTTP.
- What the server sends to the platforms is captured offline: Telegram's Bot API is a local stub
  server (TELEGRAM_API_URL); Slack's, Twilio's and Messenger's clients are patched at the point
  where they would make the HTTP request, recording what they would send. Every platform's
  replies are sent by the outbox's delivery worker (a fresh SQLite outbox, OUTBOX_DB), after the
  webhook has answered.

credentials.yml's channels are served too, as `make run` serves them: the REST webhook (behind
REST_TOKEN here) and the web widget's socket.io channel, so that tests can check which
conversations each channel reaches (test_channel_identity.py). The widget's own rules are tested
on their own (tests/web).
"""
import asyncio
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional
from unittest import mock
from urllib.parse import parse_qs

import pytest

from bot.paths import ROOT
from bot.stack import free_port, wait_until

MODEL = ROOT / "models" / "assistant.tar.gz"
TELEGRAM_BOT = "clinic_test_bot"
SECRETS = {
    "TELEGRAM_ACCESS_TOKEN": "123456:TEST-telegram-token",
    "TELEGRAM_VERIFY": TELEGRAM_BOT,
    "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/webhooks/telegram/webhook",
    "TELEGRAM_SECRET_TOKEN": "telegram-secret-" + secrets.token_hex(8),
    "SLACK_TOKEN": "xoxb-test-token",
    "SLACK_SIGNING_SECRET": "slack-signing-" + secrets.token_hex(8),
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": "twilio-auth-" + secrets.token_hex(8),
    "TWILIO_NUMBER": "+441610000000",
    "TWILIO_WHATSAPP_NUMBER": "whatsapp:+14155238886",
    "TWILIO_WEBHOOK_URL": "https://bot.example.org",
    "FACEBOOK_VERIFY": "fb-verify-" + secrets.token_hex(4),
    "FACEBOOK_SECRET": "fb-secret-" + secrets.token_hex(8),
    "FACEBOOK_PAGE_ACCESS_TOKEN": "fb-page-token",
    "REST_TOKEN": "rest-token-" + secrets.token_hex(8),
    "WIDGET_SECRET": secrets.token_hex(32),
}
PLATFORM_VARIABLES = [v for v in os.environ if v.split("_")[0] in (
    "TELEGRAM", "SLACK", "TWILIO", "FACEBOOK")]


class Outbox:
    """Everything the server would have sent to the platforms, in order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.items: List[Dict[str, Any]] = []

    def add(self, platform: str, **item: Any) -> None:
        with self._lock:
            self.items.append({"platform": platform, **item})

    def of(self, platform: str, **match: Any) -> List[Dict[str, Any]]:
        with self._lock:
            return [i for i in self.items if i["platform"] == platform
                    and all(i.get(k) == v for k, v in match.items())]

    def wait_for(self, platform: str, predicate: Callable[[List[Dict[str, Any]]], bool],
                 timeout: float = 60, settle: float = 0.5, **match: Any) -> List[Dict[str, Any]]:
        """Items matching `match` once `predicate` holds and nothing new came for `settle` s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            items = self.of(platform, **match)
            if predicate(items):
                time.sleep(settle)
                again = self.of(platform, **match)
                if len(again) == len(items):
                    return items
                continue
            time.sleep(0.1)
        raise AssertionError(f"no {platform} output matching {match} within {timeout} s: "
                             f"{self.of(platform, **match)}")


class TelegramStub:
    """A local Telegram Bot API: records every call, answers like Telegram does."""

    def __init__(self, outbox: Outbox) -> None:
        outbox_ = outbox

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    data = json.loads(body or "{}")
                else:
                    data = {k: v[-1] for k, v in parse_qs(body).items()}
                method = self.path.rsplit("/", 1)[-1]
                outbox_.add("telegram", method=method, token=self.path.split("/")[1][3:], **data)
                if method == "getMe":
                    result: Any = {"id": 123456, "is_bot": True, "first_name": "Clinic",
                                   "username": TELEGRAM_BOT}
                elif method == "sendMessage":
                    result = {"message_id": len(outbox_.items), "date": int(time.time()),
                              "chat": {"id": int(data["chat_id"]), "type": "private"},
                              "text": data.get("text")}
                else:
                    result = True
                payload = json.dumps({"ok": True, "result": result}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _patch_platform_clients(outbox: Outbox) -> List[Any]:
    """Slack, Twilio and Messenger clients record the request they would make."""
    from twilio.http.response import Response

    async def slack_api_call(self: Any, api_method: str, *, json: Optional[Dict] = None,
                             **kwargs: Any) -> Dict[str, Any]:
        outbox.add("slack", method=api_method, token=self.token, **(json or kwargs.get("params") or {}))
        return {"ok": True}

    def twilio_request(self: Any, method: str, url: str, params: Any = None, data: Any = None,
                       headers: Any = None, auth: Any = None, **kwargs: Any) -> Response:
        outbox.add("twilio", url=url, auth=auth, **(data or {}))
        sid = "SM" + secrets.token_hex(16)
        return Response(201, json.dumps({"sid": sid, "status": "queued", **{
            k.lower(): v for k, v in (data or {}).items()}}))

    def messenger_send(self: Any, payload: Dict, recipient_id: str, messaging_type: str = "RESPONSE",
                       *args: Any, **kwargs: Any) -> Dict[str, Any]:
        outbox.add("facebook", recipient=recipient_id, message=payload,
                   token=self.page_access_token)
        return {"recipient_id": recipient_id, "message_id": "m_" + secrets.token_hex(8)}

    def messenger_action(self: Any, sender_action: Any, recipient_id: str,
                         *args: Any, **kwargs: Any) -> Dict[str, Any]:
        outbox.add("facebook", recipient=recipient_id, action=sender_action)
        return {"recipient_id": recipient_id}

    patches = [
        mock.patch("slack_sdk.web.async_client.AsyncWebClient.api_call", slack_api_call),
        mock.patch("twilio.http.http_client.TwilioHttpClient.request", twilio_request),
        mock.patch("fbmessenger.MessengerClient.send", messenger_send),
        mock.patch("fbmessenger.MessengerClient.send_action", messenger_action),
    ]
    for patch in patches:
        patch.start()
    return patches


class PlatformServer:
    """The running server: its URL, the outbox, and a view of the conversations it keeps."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.outbox = Outbox()
        self.env = dict(SECRETS)
        self.url = ""
        self.app: Any = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._stop: Optional[asyncio.Event] = None
        self._thread: Optional[threading.Thread] = None
        self._patches: List[Any] = []
        self._actions: Optional[subprocess.Popen] = None
        self._environ = mock.patch.dict(os.environ)
        self._environ_started = False
        self.telegram = TelegramStub(self.outbox)

    def start(self) -> "PlatformServer":
        try:
            return self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> "PlatformServer":
        from rasa.core.run import configure_app, create_http_input_channels, load_agent_on_start
        from rasa.core.utils import AvailableEndpoints
        from sanic import Sanic

        from bot import rasa_patches
        from bot.channels.credentials import write_credentials

        rasa_patches.install()  # as every Rasa server of the project starts (bot/cli/rasa_server.py)

        action_port, port = free_port(), free_port()
        self._environ.start()
        self._environ_started = True
        for variable in PLATFORM_VARIABLES:
            os.environ.pop(variable, None)
        os.environ.update(self.env, TELEGRAM_API_URL=self.telegram.url,
                          ACTION_ENDPOINT_URL=f"http://127.0.0.1:{action_port}/webhook",
                          TRACKER_DB=str(self.workdir / "tracker.db"),
                          OUTBOX_DB=str(self.workdir / "outbox.db"))
        self._actions = subprocess.Popen(
            [str(Path(sys.executable).parent / "rasa"), "run", "actions", "--actions", "actions",
             "--port", str(action_port)],
            cwd=ROOT, stdout=(self.workdir / "actions.log").open("ab"), stderr=subprocess.STDOUT)
        self._patches = _patch_platform_clients(self.outbox)

        credentials = write_credentials(self.workdir / "credentials.yml")  # + REST, widget
        channels = create_http_input_channels(None, str(credentials))
        self.app = configure_app(channels, enable_api=False, port=port)
        # Other tests may build a Rasa app in this process too: Sanic refuses duplicate app names.
        Sanic._app_registry.pop(self.app.name, None)
        endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml"))
        # Everything that reads the variables has run: the rest of the session sees none of them.
        self._environ.stop()
        self._environ_started = False
        self.app.register_listener(partial(load_agent_on_start, str(MODEL), endpoints, None),
                                   "before_server_start")
        wait_until(f"http://127.0.0.1:{action_port}/health", self._actions, "action server", timeout=120)
        ready = threading.Event()
        failure: List[BaseException] = []
        self._thread = threading.Thread(target=self._serve, args=(port, ready, failure),
                                        daemon=True)
        self._thread.start()
        if not ready.wait(300) or failure:
            raise RuntimeError(f"the channel server did not start: {failure}")
        self.url = f"http://127.0.0.1:{port}"
        return self

    def _serve(self, port: int, ready: threading.Event, failure: List[BaseException]) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop

        async def main() -> None:
            self._stop = asyncio.Event()
            server = await self.app.create_server(host="127.0.0.1", port=port,
                                                  return_asyncio_server=True, access_log=False)
            # create_server has bound the port; the app answers once `ready` is set
            await server.startup()
            await server.before_start()  # loads the agent
            await server.after_start()
            ready.set()
            await self._stop.wait()
            await server.before_stop()
            server.close()
            await server.wait_closed()
            for connection in list(server.connections):
                connection.close_if_idle()
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)
            await server.after_stop()

        try:
            loop.run_until_complete(main())
        except BaseException as error:  # reported to the test thread
            failure.append(error)
            ready.set()
        finally:
            loop.close()

    def run(self, coroutine: Any, timeout: float = 30) -> Any:
        """Run a coroutine on the server's event loop (where the agent and its stores live)."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def stored(self, conversation_id: str) -> Any:
        """The tracker stored under exactly this id (a REST sender is one), or None."""
        return self.run(self.app.ctx.agent.tracker_store.retrieve(conversation_id))

    def tracker(self, sender_id: str) -> Any:
        """The conversation a platform's channel keeps for its id `sender_id` (a phone number,
        a PSID...): the channels namespace their ids (bot/channels/identity.py), and the ids
        the tests use are random, so it is the one namespace that holds it, or None."""
        from bot.channels.identity import NAMESPACES

        found = [t for t in (self.stored(f"{namespace}:{sender_id}")
                             for namespace in sorted(set(NAMESPACES.values()))) if t]
        assert len(found) <= 1, f"{sender_id} has conversations in several namespaces"
        return found[0] if found else None

    def slot(self, sender_id: str, name: str) -> Any:
        tracker = self.tracker(sender_id)
        return tracker.get_slot(name) if tracker else None

    def user_texts(self, sender_id: str) -> List[str]:
        from rasa.shared.core.events import UserUttered

        tracker = self.tracker(sender_id)
        return [e.text for e in (tracker.events if tracker else []) if isinstance(e, UserUttered)]

    def stop(self) -> None:
        try:
            if self._loop is not None and self._stop is not None and not self._loop.is_closed():
                self._loop.call_soon_threadsafe(self._stop.set)
            if self._thread is not None:
                self._thread.join(30)
        finally:
            self._stop_the_rest()

    def _stop_the_rest(self) -> None:
        if self._actions is not None and self._actions.poll() is None:
            self._actions.terminate()
            try:
                self._actions.wait(15)
            except subprocess.TimeoutExpired:
                self._actions.kill()
        for patch in reversed(self._patches):
            patch.stop()
        self._patches = []
        self.telegram.stop()
        if self._environ_started:
            self._environ.stop()
            self._environ_started = False


_server: Optional[PlatformServer] = None


@pytest.fixture(scope="session")
def platforms(request: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> PlatformServer:
    """One server for all channel tests of the session (loading the model takes a while)."""
    global _server
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` first")
    if _server is None:
        _server = PlatformServer(tmp_path_factory.mktemp("platforms")).start()

        def stop() -> None:
            global _server
            if _server is not None:
                _server.stop()
                _server = None

        request.session.config.add_cleanup(stop)
    return _server


def longest_referral() -> str:
    """The longest referral the rules can produce (every code at once), as utter_escalate_* shows it."""
    from bot.settings import load_settings
    from bot.triage import rules
    from bot.triage.messages import TriageMessages

    loaded = rules.load()
    codes = sorted(loaded.codes, key=lambda c: -rules.level_rank(loaded.codes[c].level))
    return "🚨 " + TriageMessages(loaded, load_settings()).referral("emergency_ambulance", codes)


def words(text: str) -> list:
    return text.split()
