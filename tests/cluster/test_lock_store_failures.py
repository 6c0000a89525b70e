"""The production lock store when a replica holding a ticket dies (its ticket is given back at
once, not after its lifetime) and when Redis stops (turns go on, one at a time per conversation in a
replica, and through Redis again once it is back). On a Redis server of the test's own (the
machine's shared one is never stopped); a replica is a process of its own, killed with SIGKILL."""
import asyncio
import signal
import subprocess
import sys
import time
import uuid

import pytest
from rasa.utils.endpoints import EndpointConfig

from bot.bench.scratch_servers import redis_server, scratch_server
from bot.cluster.lock_store import ClinicRedisLockStore


@pytest.fixture
def redis():
    with scratch_server(redis_server) as server:
        yield server


def _store(redis) -> ClinicRedisLockStore:
    return ClinicRedisLockStore(EndpointConfig(url="127.0.0.1", port=redis.port, db=1,
                                               key_prefix="outage"))


async def _turns(store: ClinicRedisLockStore, conversation: str, count: int) -> list:
    """`count` turns of one conversation at once; how many ran at the same time, each time."""
    running, overlaps = [], []

    async def turn(i: int) -> None:
        async with store.lock(conversation, lock_lifetime=10):
            running.append(i)
            overlaps.append(len(running))
            await asyncio.sleep(0.05)
            running.remove(i)

    await asyncio.wait_for(asyncio.gather(*(turn(i) for i in range(count))), 10)
    return overlaps


HOLDER = """
import sys, time
from rasa.utils.endpoints import EndpointConfig
from bot.cluster.lock_store import ClinicRedisLockStore
store = ClinicRedisLockStore(EndpointConfig(url="127.0.0.1", port=int(sys.argv[1]), db=1,
                                            key_prefix="outage"))
store._take_ticket(sys.argv[2], 60)
print("taken", flush=True)
time.sleep(120)
"""


def test_a_dead_replicas_ticket_is_given_back_at_once_and_a_live_ones_is_waited_for(redis):
    store, conversation = _store(redis), uuid.uuid4().hex
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(redis.port), conversation],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "taken"

        async def turn() -> float:
            async with store.lock(conversation, lock_lifetime=60):
                return time.monotonic()

        async def scenario() -> float:
            waiting = asyncio.ensure_future(turn())
            await asyncio.sleep(1.0)
            assert not waiting.done(), "went ahead of a replica that is alive"
            holder.send_signal(signal.SIGKILL)
            holder.wait()
            killed = time.monotonic()
            return await asyncio.wait_for(waiting, 10) - killed  # its lifetime is 60 s

        assert asyncio.run(scenario()) < 1.0
    finally:
        holder.kill()
        holder.wait()
    assert store.get_lock(conversation) is None


def test_turns_go_on_one_at_a_time_while_redis_is_stopped(redis):
    store, conversation = _store(redis), uuid.uuid4().hex
    assert asyncio.run(_turns(store, conversation, 2)) == [1, 1]
    redis.stop()
    assert asyncio.run(_turns(store, conversation, 4)) == [1, 1, 1, 1]
    assert not store._own  # nothing kept once the turns are done
    redis.start()
    assert asyncio.run(_turns(store, conversation, 3)) == [1, 1, 1]
    assert store.get_lock(conversation) is None  # through Redis again, and given back


def test_redis_stopping_while_a_turn_waits_lets_it_go(redis):
    """A turn queued behind another when Redis goes away runs once the one ahead is done."""
    store, conversation = _store(redis), uuid.uuid4().hex
    order = []

    async def scenario() -> None:
        async def first() -> None:
            async with store.lock(conversation, lock_lifetime=10):
                order.append("first")
                await asyncio.sleep(0.3)
                redis.stop()

        async def second() -> None:
            await asyncio.sleep(0.1)
            async with store.lock(conversation, lock_lifetime=10):
                order.append("second")

        await asyncio.wait_for(asyncio.gather(first(), second()), 10)

    asyncio.run(scenario())
    assert order == ["first", "second"]
