"""The console's consumer on the real RabbitMQ and PostgreSQL: every turn stored once, every message
acknowledged, whether it waits in a backlog or arrives while the consumer runs."""
import asyncio
import json
from typing import Iterator, List

import aio_pika
import pytest
from sqlalchemy import func, select

from bot.bench.cluster import remove_scratch, scratch_settings
from bot.cluster.consumer import BATCH, console_events, consume, declare, open_store


@pytest.fixture
def settings() -> Iterator:
    settings = scratch_settings("clinic_consumer_test")
    yield settings
    remove_scratch(settings)


def _turn(sender: str, n: int) -> bytes:
    events = [{"event": "user", "timestamp": n + 0.1, "text": f"message {n}"},
              {"event": "bot", "timestamp": n + 0.2, "text": f"answer {n}"}]
    return json.dumps({"sender_id": sender, "events": events}).encode()


async def _publish(channel: aio_pika.abc.AbstractChannel, exchange_name: str, bodies: List[bytes],
                   pause_s: float = 0) -> None:
    exchange = await channel.get_exchange(exchange_name)
    for body in bodies:
        await exchange.publish(aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT), "")
        if pause_s:
            await asyncio.sleep(pause_s)


async def _run(settings, backlog: List[bytes], trickle: List[bytes], expected_rows: int) -> dict:
    """Publish `backlog`, start the consumer, publish `trickle` one by one while it runs, wait until
    the console has `expected_rows` rows (or 30 s), stop it; the rows and what is left in the queue."""
    engine = open_store(settings.console_url())
    connection = await aio_pika.connect(settings.rabbitmq_url)
    try:
        channel = await connection.channel()
        await declare(channel, settings)
        await _publish(channel, settings.rabbitmq_exchange, backlog)
        stop, ready = asyncio.Event(), asyncio.Event()
        consumer = asyncio.create_task(consume(settings, stop, ready))
        await asyncio.wait_for(ready.wait(), 30)
        await _publish(channel, settings.rabbitmq_exchange, trickle, pause_s=0.01)
        rows = 0
        for _ in range(300):
            with engine.connect() as db:
                rows = db.execute(select(func.count()).select_from(console_events)).scalar()
            if rows >= expected_rows:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)  # anything more would show up now
        stop.set()
        await asyncio.wait_for(consumer, 30)
        with engine.connect() as db:
            texts = db.execute(select(console_events.c.data)).scalars().all()
        left = (await channel.declare_queue(settings.rabbitmq_queue, passive=True)).declaration_result
        return {"texts": sorted(json.loads(t)["text"] for t in texts), "left": left.message_count}
    finally:
        await connection.close()
        engine.dispose()


def test_a_backlog_larger_than_a_batch_and_a_trickle_are_stored_once_and_acknowledged(settings):
    backlog = [_turn(f"backlog-{n % 7}", n) for n in range(2 * BATCH + 37)]
    trickle = [_turn("live", n) for n in range(40)]
    backlog += backlog[:25]  # delivered twice (a retried turn): stored once
    result = asyncio.run(_run(settings, backlog, trickle, 2 * (2 * BATCH + 37 + 40)))
    expected = sorted(f"{kind} {n}" for n in list(range(2 * BATCH + 37)) + list(range(40))
                      for kind in ("message", "answer"))
    assert result["texts"] == expected
    assert result["left"] == 0  # acknowledged: a message left unacknowledged returns to the queue


def test_a_message_that_is_not_a_turn_is_acknowledged_and_skipped(settings):
    backlog = [b"not json", b'{"no": "sender"}', _turn("ok", 1)]
    result = asyncio.run(_run(settings, backlog, [b"\xff\xfe"], 2))
    assert result == {"texts": ["answer 1", "message 1"], "left": 0}
