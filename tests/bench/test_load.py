"""run_load against the real assistant, a stopped server and a misbehaving stub server."""
import asyncio

from aiohttp import web

from bot.bench.conversations import conversation_mix
from bot.bench.load import percentile, run_load
from bot.stack import free_port
from tests.bench.stub_server import serve


def test_two_clients_against_the_assistant(assistant):
    scripts = [script.turns for script in conversation_mix(0.3, count=30)]
    result = asyncio.run(run_load(assistant.url, scripts, clients=2, duration_s=4, warmup_s=0.5))
    summary = result.summary()
    assert summary["errors"] == 0, summary["error_kinds"]
    assert summary["messages"] == len(result.latencies_s) > 0
    assert summary["conversations"] > 0 and summary["msgs_per_s"] > 0
    latency = summary["latency_ms"]
    assert 0 < latency["p50"] <= latency["p95"] <= latency["p99"] <= latency["max"]
    assert set(result.senders) == set(result.sent) and all(s.startswith("bench-") for s in result.senders)
    for sender, sent in result.sent.items():
        events = assistant.tracker(sender)["events"]
        assert [e["text"] for e in events if e["event"] == "user"] == sent


def test_a_stopped_server_gives_counted_connection_errors():
    url = f"http://127.0.0.1:{free_port()}"
    summary = asyncio.run(run_load(url, [["hi"]], clients=2, duration_s=1, warmup_s=0)).summary()
    assert summary["errors"] > 0 and summary["error_kinds"] == {"connection": summary["errors"]}
    assert summary["messages"] == summary["conversations"] == 0
    assert summary["msgs_per_s"] == 0 and summary["latency_ms"]["p50"] is None


async def _against_stub(scripts, duration_s, timeout_s=30.0, delay_s=0.0):
    async def webhook(request: web.Request) -> web.Response:
        text = (await request.json())["message"]
        await asyncio.sleep(delay_s if text != "slow" else 5)
        if text == "boom":
            return web.Response(status=500)
        if text == "garbage":
            return web.Response(text="<html>")
        return web.json_response([] if text == "silence" else [{"text": "ok"}])

    runner, url = await serve("/webhooks/rest/webhook", webhook)
    try:
        return await run_load(url, scripts, clients=2, duration_s=duration_s, timeout_s=timeout_s,
                              warmup_s=0)
    finally:
        await runner.cleanup()


def test_error_kinds_and_empty_replies():
    scripts = [["hi", "silence"], ["hi", "boom"], ["garbage"], ["slow"]]
    result = asyncio.run(_against_stub(scripts, duration_s=1.5, timeout_s=0.3))
    kinds = result.summary()["error_kinds"]
    assert set(kinds) == {"status_500", "invalid_json", "timeout"}
    assert result.empty_replies > 0 and result.conversations > 0
    assert result.errors == sum(kinds.values())


def test_the_message_in_flight_at_the_end_is_counted():
    result = asyncio.run(_against_stub([["a", "b", "c"]], duration_s=0.2, delay_s=0.5))
    assert result.messages == 2  # one per client, sent before the end, answered after it
    assert result.conversations == 0
    assert result.duration_s >= 0.5


def test_nearest_rank_percentile():
    values = list(range(1, 11))
    assert percentile(values, 50) == 5 and percentile(values, 95) == 10 and percentile(values, 10) == 1
    assert percentile([], 50) is None
