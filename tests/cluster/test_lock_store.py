"""The production lock store on this machine's Redis: turns of one conversation go one at a time, and a
dead replica's ticket holds a conversation only until it expires (Rasa's own store waits forever)."""
import asyncio
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

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


def test_replicas_taking_tickets_at_once_get_one_number_each(store):
    """Taking a ticket is atomic in Redis: concurrent replicas never share a number, one goes first."""
    conversation = uuid.uuid4().hex
    replicas = [ClinicRedisLockStore(EndpointConfig(url="127.0.0.1", port=6379, db=1, key_prefix="locktest"))
                for _ in range(8)]
    start = threading.Barrier(len(replicas))

    def take(replica):
        start.wait()
        return [replica._take_ticket(conversation, 10) for _ in range(25)]

    with ThreadPoolExecutor(len(replicas)) as pool:
        taken = [t for tickets in pool.map(take, replicas) for t in tickets]
    numbers = [number for number, _ in taken]
    assert sorted(numbers) == list(range(200))
    assert [number for number, first in taken if first] == [0]
    lock = store.get_lock(conversation)  # Rasa's own format, readable by Rasa's TicketLock
    assert [t.number for t in lock.tickets] == list(range(200))
    # goes with its last ticket: 10 s plus the 1 s grace, rounded up to the next millisecond (the
    # ticket's expiry is a float, so 10 s can come out as 10.000000001 and round up to 10,001 ms)
    assert 0 < store.red.pttl(store.key_prefix + conversation) <= 11_001
    store.delete_lock(conversation)


def test_giving_back_a_ticket_lets_the_next_one_go_and_removes_the_last(store):
    conversation = uuid.uuid4().hex
    (first, go_first), (second, go_second) = (store._take_ticket(conversation, 10) for _ in range(2))
    assert (go_first, go_second) == (True, False)
    store.cleanup(conversation, first)
    assert [t.number for t in store.get_lock(conversation).tickets] == [second]
    store.cleanup(conversation, second)
    assert store.get_lock(conversation) is None
