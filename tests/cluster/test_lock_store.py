"""The production lock store on this machine's Redis: turns of one conversation go one at a time, and a
dead replica's ticket holds a conversation only until it expires (Rasa's own store waits forever)."""
import asyncio
import json
import time
import uuid

import pytest
from rasa.utils.endpoints import EndpointConfig

from bot.cluster.lock_store import ClinicRedisLockStore


@pytest.fixture
def store():
    return ClinicRedisLockStore(EndpointConfig(url="127.0.0.1", port=6379, db=1, key_prefix="locktest"))


def test_turns_of_one_conversation_run_one_at_a_time(store):
    conversation, running, overlaps = uuid.uuid4().hex, [], []

    async def turn(i):
        async with store.lock(conversation, lock_lifetime=10):
            running.append(i)
            overlaps.append(len(running))
            await asyncio.sleep(0.05)
            running.remove(i)

    async def all_turns():
        await asyncio.gather(*(turn(i) for i in range(5)))

    asyncio.run(all_turns())
    assert overlaps == [1] * 5
    assert store.get_lock(conversation) is None  # released and removed


def test_a_dead_replicas_ticket_expires(store):
    conversation = uuid.uuid4().hex
    dead = {"conversation_id": conversation,
            "tickets": [json.dumps({"number": 3, "expires": time.time() + 1.5})]}
    store.red.set(store.key_prefix + conversation, json.dumps(dead))

    async def take():
        started = time.monotonic()
        async with store.lock(conversation, lock_lifetime=1.5):
            return time.monotonic() - started

    waited = asyncio.run(asyncio.wait_for(take(), 10))
    assert 1.0 < waited < 3.0
    assert store.get_lock(conversation) is None
