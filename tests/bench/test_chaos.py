"""The chaos run's client and verdict, without a cluster: a failed request is sent again with the same
message_id; a message counts as lost when it was not answered or not stored, a red flag as late when
its referral came after the limit (bot/bench/chaos_load.py, bot/bench/chaos_report.py). The whole run
is tests/cluster/test_chaos.py."""
import asyncio
import threading
from collections import Counter

from aiohttp import web

from bot.bench.chaos_load import RED_FLAGS, ChaosLoad, Sent, chaos_conversations
from bot.bench.chaos_report import messages_section, red_flags_section, verdict
from bot.bench.http_client import HttpClient
from bot.stack import free_port
from tests.bench.stub_server import serve

REFERRAL = "Call 999 now. This is because you mentioned chest pain."


async def _send_all(texts, give_up_s=5.0):
    """Each text sent once by one ChaosLoad client to a stub that fails each message's first attempt
    with 503 ('flaky'), answers nothing ('silence'), refuses ('conflict') or answers."""
    seen = Counter()
    bodies = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        bodies.append(body)
        seen[body["message_id"]] += 1
        if body["message"] == "flaky" and seen[body["message_id"]] == 1:
            return web.Response(status=503)
        if body["message"] == "conflict":
            return web.json_response({"error": "no"}, status=409)
        if body["message"] == "silence":
            return web.json_response([])
        return web.json_response([{"text": REFERRAL if body["message"] in RED_FLAGS else "ok"}])

    runner, url = await serve("/webhooks/rest/webhook", webhook)
    load = ChaosLoad(url, [texts], clients=1, give_up_s=give_up_s)
    http = HttpClient(load.webhook)
    try:
        sent = [await load.send(http, "s1", text) for text in texts]
    finally:
        http.close()
        await runner.cleanup()
    return sent, bodies


def test_a_failed_request_is_sent_again_with_the_same_message_id():
    (flaky,), bodies = asyncio.run(_send_all(["flaky"]))
    assert flaky.outcome == "answered" and flaky.attempts == 2 and flaky.failures == {"status_503": 1}
    assert [b["message_id"] for b in bodies] == [flaky.message_id] * 2


def test_an_empty_reply_or_a_refusal_is_not_sent_again():
    (silence, conflict, flag), bodies = asyncio.run(_send_all(["silence", "conflict", RED_FLAGS[0]]))
    assert (silence.outcome, silence.attempts) == ("empty_reply", 1)
    assert (conflict.outcome, conflict.attempts) == ("refused_409", 1)
    assert flag.red_flag and flag.referred and flag.latency_s < 2
    assert len(bodies) == 3


def test_a_server_that_stays_down_is_given_up_on():
    load = ChaosLoad(f"http://127.0.0.1:{free_port()}", [["hi"]], clients=1, give_up_s=0.5)

    async def one():
        http = HttpClient(load.webhook)
        try:
            return await load.send(http, "s1", "hi")
        finally:
            http.close()

    message = asyncio.run(one())
    assert message.outcome == "gave_up" and message.attempts > 2 and set(message.failures) == {"connection"}


def test_the_load_stops_when_told_and_mixes_red_flags_in():
    conversations = chaos_conversations([["hi"], ["my calf keeps cramping"]], every=2)
    assert sum(any(t in RED_FLAGS for t in c) for c in conversations) == 2

    async def webhook(request: web.Request) -> web.Response:
        return web.json_response([{"text": "ok"}])

    async def run():
        runner, url = await serve("/webhooks/rest/webhook", webhook)
        load = ChaosLoad(url, conversations, clients=3, think_s=(0.01, 0.02))
        stop = threading.Event()
        asyncio.get_running_loop().call_later(0.5, stop.set)
        try:
            await asyncio.wait_for(load.run(stop), 5)
        finally:
            await runner.cleanup()
        return load.messages

    messages = asyncio.run(run())
    assert len(messages) > 10 and all(m.outcome == "answered" for m in messages)
    assert any(m.red_flag for m in messages)


def _sent(text, outcome="answered", latency=0.1, replies=("ok",), red_flag=False):
    message = Sent("s", text, f"id-{text}", red_flag, sent_at=100.0, outcome=outcome,
                   replies=list(replies))
    message.answered_at = None if outcome != "answered" else 100.0 + latency
    return message


def test_lost_means_not_answered_or_not_stored_and_late_means_after_the_limit():
    messages = [_sent("fine"), _sent("unstored"), _sent("silent", outcome="empty_reply"),
                _sent("quick flag", latency=1.9, replies=[REFERRAL], red_flag=True),
                _sent("slow flag", latency=2.1, replies=[REFERRAL], red_flag=True),
                _sent("unreferred flag", latency=0.1, red_flag=True)]
    stored = Counter({"id-fine": 1, "id-silent": 1, "id-quick flag": 1, "id-slow flag": 2,
                      "id-unreferred flag": 1})
    section = messages_section(messages, stored, origin=90.0)
    assert (section["sent"], section["answered"], section["stored"]) == (6, 5, 5)
    assert section["lost"] == 2 and {e["text"] for e in section["lost_examples"]} == {"unstored", "silent"}
    assert section["stored_twice"] == 1
    flags = red_flags_section(messages, origin=90.0, limit_s=2.0)
    assert (flags["sent"], flags["referred"], flags["late"]) == (3, 2, 2)
    assert {e["text"] for e in flags["late_examples"]} == {"slow flag", "unreferred flag"}
    report = {"messages": section, "red_flags": flags, "console": {"missing": 0, "lost_events": 0}}
    assert not verdict(report)
    clean = {"messages": {"lost": 0}, "red_flags": {"late": 0}, "console": {"missing": 0, "lost_events": 0}}
    assert verdict(clean)
