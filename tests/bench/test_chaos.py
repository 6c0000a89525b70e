"""The chaos run's client and verdict, without a cluster: a failed request is sent again with the same
message_id; a message counts as lost when it was not answered or not stored, a red flag as late when
its referral came after the limit (bot/bench/chaos_load.py, bot/bench/chaos_report.py). The whole run
is tests/cluster/test_chaos.py."""
import asyncio
import threading
from collections import Counter

from aiohttp import web

from bot.bench.chaos_load import RED_FLAGS, ChaosLoad, InFlight, Sent, chaos_conversations
from bot.bench.chaos_report import in_flight_section, messages_section, red_flags_section, verdict
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


def test_an_in_flight_pair_sends_the_red_flag_while_the_question_still_waits():
    """A stub that holds the question for 1.5 s and refers the red flag at once: the pair's red
    flag is sent during the question's wait, on another connection, in the same conversation."""
    bodies = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        bodies.append(body)
        if body["message"] == "what's the clinic number":
            await asyncio.sleep(1.5)
            return web.json_response([{"text": "Sorry, I can't look that up right now."}])
        return web.json_response([{"text": REFERRAL}])

    async def run():
        runner, url = await serve("/webhooks/rest/webhook", webhook)
        load = ChaosLoad(url, [["hi"]], clients=1)
        try:
            return load, await load.in_flight_pair("what's the clinic number", RED_FLAGS[0],
                                                   hold_s=0.3)
        finally:
            await runner.cleanup()

    load, pair = asyncio.run(run())
    assert pair.overlapped and pair.red_flag.referred and pair.red_flag.latency_s < 1
    assert pair.question.answered and pair.question.latency_s >= 1.5
    assert bodies[0]["sender"] == bodies[1]["sender"]
    assert load.in_flight == [pair] and len(load.messages) == 2


def test_an_in_flight_pair_fails_unless_referred_in_time_while_the_question_waits_and_both_stored():
    def pair(flag_latency=0.2, question_latency=10.0, flag_sent=101.0, stored=True, tag="a"):
        question = _sent(f"q{tag}", latency=question_latency, replies=["can't look that up right now"])
        flag = _sent(f"f{tag}", latency=flag_latency, replies=[REFERRAL], red_flag=True)
        flag.sent_at, flag.answered_at = flag_sent, flag_sent + flag_latency
        return InFlight(question, flag), ([question.message_id, flag.message_id] if stored else
                                          [question.message_id])

    cases = [pair(tag="good"), pair(flag_latency=2.5, tag="late"), pair(stored=False, tag="lost"),
             pair(question_latency=0.5, tag="after")]
    stored = Counter(i for _, ids in cases for i in ids)
    section = in_flight_section([p for p, _ in cases], stored, origin=90.0, limit_s=2.0)
    assert (section["pairs"], section["failed"], section["both_stored"]) == (4, 3, 3)
    assert {e["why"] for e in section["failed_examples"]} == {
        "red flag not referred within the limit", "not stored",
        "the question was answered before the red flag was sent"}
    assert section["question_told_cannot_answer"] == 4
    assert in_flight_section([], Counter(), 90.0, expected=True)["failed"] == 1  # never played
    assert in_flight_section([], Counter(), 90.0, expected=False)["failed"] == 0
    clean = {"messages": {"lost": 0}, "red_flags": {"late": 0},
             "console": {"missing": 0, "lost_events": 0}}
    assert not verdict({**clean, "in_flight": section})
    assert verdict({**clean, "in_flight": in_flight_section([cases[0][0]], stored, 90.0)})


def test_an_in_flight_question_silenced_by_its_conversations_referral_is_not_lost():
    """The REST channel answers a turn that an early referral overtook with what it said before
    the referral, often nothing: its conversation's answer is the referral, not a lost message."""
    def pair(question_outcome, flag_replies=(REFERRAL,)):
        question = _sent("q", outcome=question_outcome, replies=())
        flag = _sent("f", replies=list(flag_replies), red_flag=True)
        flag.sent_at, flag.answered_at = 101.0, 101.1
        return InFlight(question, flag)

    silenced = pair("empty_reply")
    silenced.settle()
    assert silenced.question.outcome == "silenced_by_referral" and silenced.question.settled
    section = messages_section([silenced.question, silenced.red_flag],
                               Counter({"id-q": 1, "id-f": 1}), origin=90.0)
    assert (section["answered"], section["silenced_by_referral"], section["lost"]) == (1, 1, 0)
    unreferred = pair("empty_reply", flag_replies=("ok",))
    unreferred.settle()
    assert unreferred.question.outcome == "empty_reply" and not unreferred.question.settled
    assert messages_section([unreferred.question], Counter({"id-q": 1}), 90.0)["lost"] == 1
