"""The widget channel's session rules, seen by raw socket.io clients on a real server.

python-socketio's client (long-polling transport) plays the browser; a `Device` signs the server's
challenge like the widget's WebCrypto key does.
"""
import asyncio
import json
from typing import Any, Dict, List, Optional

import pytest
import requests
import socketio


from device_key import Device

TIMEOUT = 30


class Browser:
    """One socket.io connection, recording what the server sends it."""

    def __init__(self, url: str, origin: Optional[str] = None, wait: float = TIMEOUT) -> None:
        self.url, self.origin, self.wait = url, origin, wait
        self.refusals: List[Any] = []
        self.sio = socketio.AsyncClient(reconnection=False)
        self.confirms: List[Dict[str, Any]] = []
        self.bots: List[Dict[str, Any]] = []
        self.turns = 0
        self.required = 0
        self.sio.on("session_confirm", lambda data: self.confirms.append(data))
        self.sio.on("bot_uttered", lambda data: self.bots.append(data))
        self.sio.on("bot_turn_end", lambda _: setattr(self, "turns", self.turns + 1))
        self.sio.on("session_required", lambda _: setattr(self, "required", self.required + 1))
        self.sio.on("connect_error", lambda data: self.refusals.append(data))

    async def __aenter__(self) -> "Browser":
        headers = {"Origin": self.origin} if self.origin else {}
        await self.sio.connect(self.url, headers=headers, transports=["polling"],
                               wait_timeout=self.wait)
        return self

    async def __aexit__(self, *_: Any) -> None:
        # say goodbye, but do not wait for the pending long-poll request (up to 25 s) to return
        for namespace in self.sio.namespaces:
            await self.sio._send_packet(self.sio.packet_class(socketio.packet.DISCONNECT,
                                                              namespace=namespace))
        await self.sio.eio.disconnect(abort=True)

    async def until(self, condition, what: str) -> None:
        for _ in range(TIMEOUT * 10):
            if condition():
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")

    async def session(self, token: Any = None, device: Optional[Device] = None,
                      **extra: Any) -> Dict[str, Any]:
        payload: Dict[str, Any] = {"session_id": token, **extra}
        if device:
            challenge = await self.sio.call("session_challenge", {}, timeout=TIMEOUT)
            payload["public_key"], payload["proof"] = device.proof(challenge["nonce"])
        count = len(self.confirms)
        await self.sio.emit("session_request", payload)
        await self.until(lambda: len(self.confirms) > count, "session_confirm")
        return self.confirms[-1]

    async def say(self, text: str, **extra: Any) -> List[str]:
        bots, turns = len(self.bots), self.turns
        await self.sio.emit("user_uttered", {"message": text, **extra})
        await self.until(lambda: self.turns > turns, "the end of the turn")
        return [m.get("text", "") for m in self.bots[bots:]]


def run(coroutine):
    return asyncio.run(coroutine)


def session_id(token: str) -> str:
    return token.split(".")[1]


def tracker_texts(sites, session: str) -> List[str]:
    """The client's messages in the conversation of a widget session ("widget:<session id>")."""
    response = requests.get(f"{sites.url}/conversations/widget:{session}/tracker",
                            params={"token": sites.token}, timeout=30)
    response.raise_for_status()
    return [e.get("text") for e in response.json()["events"] if e["event"] == "user"]


def test_new_session_is_issued_and_signed(sites):
    async def scenario():
        async with Browser(sites.url) as browser:
            confirm = await browser.session()
            assert confirm["restored"] is False and confirm["history"] == []
            assert confirm["session_id"].startswith("v1.") and len(session_id(confirm["session_id"])) >= 32
            answer = await browser.say("is ice good for a cramp?")
            assert any("ice" in text.lower() for text in answer)
            return confirm["session_id"]

    token = run(scenario())
    assert tracker_texts(sites, session_id(token)) == ["is ice good for a cramp?"]


def test_unbound_token_restores_the_conversation_with_history(sites):
    async def scenario():
        async with Browser(sites.url) as first:
            token = (await first.session())["session_id"]
            await first.say("is ice good for a cramp?")
        async with Browser(sites.url) as again:
            confirm = await again.session(token)
            assert confirm["restored"] is True and confirm["session_id"] == token
            assert confirm["history"][0] == {"sender": "user", "text": "is ice good for a cramp?"}
            assert [h["sender"] for h in confirm["history"]][1:] and \
                all(h["sender"] == "bot" for h in confirm["history"][1:])

    run(scenario())


def test_device_bound_token_needs_the_device(sites):
    async def scenario():
        device = Device()
        async with Browser(sites.url) as owner:
            confirm = await owner.session(device=device)
            assert confirm["device_bound"] is True
            token = confirm["session_id"]
            await owner.say("my calf is swollen and I can't breathe")
        async with Browser(sites.url) as owner_again:
            confirm = await owner_again.session(token, device=device)
            assert confirm["restored"] is True and confirm["history"]
            urgent = [h for h in confirm["history"] if h.get("metadata", {}).get("urgency")]
            assert urgent and urgent[0]["metadata"]["calls"][0]["tel"] == "999"
        for thief_device in (None, Device()):
            async with Browser(sites.url) as thief:
                confirm = await thief.session(token, device=thief_device)
                assert confirm["restored"] is False and confirm["history"] == []
                assert session_id(confirm["session_id"]) != session_id(token)
        async with Browser(sites.url) as replay:
            # a proof captured for another challenge is worth nothing
            challenge = await replay.sio.call("session_challenge", {}, timeout=TIMEOUT)
            public_key, proof = device.proof("an old nonce")
            await replay.sio.emit("session_request", {"session_id": token, "public_key": public_key,
                                                      "proof": proof})
            await replay.until(lambda: replay.confirms, "session_confirm")
            assert replay.confirms[-1]["restored"] is False and challenge["nonce"]

    run(scenario())


@pytest.mark.parametrize("claimed", ["bare-id", "forged"])
def test_someone_elses_id_or_a_forged_token_gets_a_new_session(sites, claimed):
    async def scenario():
        async with Browser(sites.url) as victim:
            token = (await victim.session())["session_id"]
            await victim.say("is ice good for a cramp?")
            presented = session_id(token) if claimed == "bare-id" else \
                token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
            async with Browser(sites.url) as intruder:
                confirm = await intruder.session(presented)
                assert confirm["restored"] is False and confirm["history"] == []
                assert session_id(confirm["session_id"]) != session_id(token)
                # the intruder's message naming the victim's session goes to its own session
                await intruder.say("intruder here", session_id=session_id(token))
                intruder_id = session_id(confirm["session_id"])
                # and the victim's next answers reach the victim only
                heard = len(intruder.bots)
                answer = await victim.say("what stretches help a calf cramp?")
                await asyncio.sleep(0.5)
                assert answer and intruder.bots[heard:] == []
            return session_id(token), intruder_id

    victim_id, intruder_id = run(scenario())
    assert "intruder here" not in tracker_texts(sites, victim_id)
    assert tracker_texts(sites, intruder_id) == ["intruder here"]


def test_messages_before_a_session_are_refused(sites):
    async def scenario():
        async with Browser(sites.url) as browser:
            await browser.sio.emit("user_uttered", {"message": "hello", "session_id": "anything"})
            await browser.until(lambda: browser.required, "session_required")
            assert browser.bots == []

    run(scenario())


def socketio_connect_reply(url: str, origin: str) -> str:
    """The server's answer to a socket.io CONNECT over long-polling, sent from `origin`."""
    polling = f"{url}/socket.io/?EIO=4&transport=polling"
    headers = {"Origin": origin}
    handshake = requests.get(polling, headers=headers, timeout=10).text
    sid = json.loads(handshake[1:])["sid"]
    requests.post(f"{polling}&sid={sid}", data="40", headers=headers, timeout=10).raise_for_status()
    return requests.get(f"{polling}&sid={sid}", headers=headers, timeout=30).text


def test_origins_outside_the_list_are_refused(sites):
    # "40": CONNECT accepted; "44": CONNECT_ERROR
    assert socketio_connect_reply(sites.url, sites.embed_url.rstrip("/")).startswith("40")
    assert socketio_connect_reply(sites.url, sites.url).startswith("40")  # the /chat page
    assert socketio_connect_reply(sites.url, "https://evil.example").startswith("44")
    assert socketio_connect_reply(sites.url, "null").startswith("44")

    async def scenario():
        async with Browser(sites.url, origin=sites.embed_url.rstrip("/")) as allowed:
            assert (await allowed.session())["session_id"]

    run(scenario())


def test_cors_headers_list_only_allowed_origins(sites):
    polling = f"{sites.url}/socket.io/?EIO=4&transport=polling"
    allowed = requests.get(polling, headers={"Origin": sites.embed_url.rstrip("/")}, timeout=10)
    assert allowed.headers.get("Access-Control-Allow-Origin") == sites.embed_url.rstrip("/")
    evil = requests.get(polling, headers={"Origin": "https://evil.example"}, timeout=10)
    assert "Access-Control-Allow-Origin" not in evil.headers


def test_http_api_stays_behind_its_token(sites):
    response = requests.get(f"{sites.url}/conversations/anyone/tracker", timeout=10)
    assert response.status_code in (401, 403)


def test_widget_files_and_chat_page_are_served(sites):
    for name, kind in [("widget.js", "javascript"), ("widget.css", "css"),
                       ("socket.io.min.js", "javascript")]:
        response = requests.get(f"{sites.url}/widget/{name}", timeout=10)
        assert response.status_code == 200 and kind in response.headers["Content-Type"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert requests.get(f"{sites.url}/widget/../credentials.yml", timeout=10).status_code == 404
    assert requests.get(f"{sites.url}/widget/chat.html", timeout=10).status_code == 404
    page = requests.get(f"{sites.url}/chat", timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert '<script src="/widget/widget.js" defer></script>' in page.text
    assert "Calm Muscle Clinic" in page.text and "${" not in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_a_rating_reaches_only_the_raters_own_conversation(sites):
    """`rate_answer` names an answer by its id; it is stored only for an answer of the socket's own
    verified session, and only as up or down."""
    async def scenario():
        async with Browser(sites.url) as owner, Browser(sites.url) as other, \
                Browser(sites.url) as anonymous:
            token = (await owner.session())["session_id"]
            await owner.say("is ice good for a cramp?")
            answer_id = [m for m in owner.bots if "answer_id" in m][-1]["answer_id"]
            other_token = (await other.session())["session_id"]
            refused = [
                await anonymous.sio.call("rate_answer", {"answer": answer_id, "rating": "up"},
                                         timeout=TIMEOUT),                     # no session
                await other.sio.call("rate_answer", {"answer": answer_id, "rating": "down"},
                                     timeout=TIMEOUT),                         # not its answer
                await owner.sio.call("rate_answer", {"answer": answer_id, "rating": "5 stars"},
                                     timeout=TIMEOUT),
                await owner.sio.call("rate_answer", {"answer": 1.0, "rating": "up"}, timeout=TIMEOUT),
            ]
            stored = await owner.sio.call("rate_answer", {"answer": answer_id, "rating": "up"},
                                          timeout=TIMEOUT)
            # the rating changes nothing the assistant decides: a red flag after it is referred
            after = await owner.say("my calf is swollen and I can't breathe")
            return token, other_token, answer_id, refused, stored, after

    token, other_token, answer_id, refused, stored, after = run(scenario())
    assert [r["ok"] for r in refused] == [False, False, False, False]
    assert stored == {"ok": True, "rating": "up"}
    assert any("999" in text for text in after), after

    def ratings(session):
        response = requests.get(f"{sites.url}/conversations/widget:{session}/tracker",
                                params={"token": sites.token}, timeout=30)
        return [e["data"] for e in response.json()["events"] if e["event"] == "agent"]

    assert [(r["rating"], r["answer_at"]) for r in ratings(session_id(token))] == [("up", answer_id)]
    assert ratings(session_id(other_token)) == []
