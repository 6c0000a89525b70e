"""The production profile's outbox on the real PostgreSQL (bot/channels/outbox.py), shared by
replicas: each replica here is an Outbox of its own (its own connection pool) with its own
delivery worker, sending over HTTP to a local stand-in for Twilio's API. Every message is sent
once and in order per conversation however the replicas share the work, a message a dying replica
held is sent by another, and a platform's retry reaching another replica does not run twice."""
import asyncio
import secrets
import threading
import time
from typing import Any, Callable, Dict, Iterator, List

import pytest
from sqlalchemy.engine import make_url

from bot.channels.delivery import Delivery
from bot.channels.outbox import BUSY, DUPLICATE, NEW, Item, Outbox, OutboxSettings
from bot.channels.twilio_signed import TwilioSender
from bot.cluster.postgres import drop_database, ensure_database
from bot.cluster.settings import ClusterSettings
from tests.channels.platform_api import TWILIO_DOWN, PlatformAPI, real_clients  # noqa: F401 (real_clients is a fixture)

PG = "postgresql://postgres@127.0.0.1:5432"


@pytest.fixture
def database() -> Iterator[str]:
    url = f"{PG}/clinic_outbox_test_{secrets.token_hex(4)}"
    ensure_database(make_url(url))
    yield url
    drop_database(make_url(url))


@pytest.fixture
def api(real_clients) -> Iterator[PlatformAPI]:
    api = PlatformAPI().start()
    yield api
    api.stop()


def replica(url: str) -> Outbox:
    """What one Rasa replica of the cluster opens (OUTBOX_DB_URL, set by bot/cluster/settings.py)."""
    return Outbox(OutboxSettings.from_env({"OUTBOX_DB_URL": url, "OUTBOX_MAX_ATTEMPTS": "50",
                                           "OUTBOX_BACKOFF_S": "0.05", "OUTBOX_BACKOFF_MAX_S": "0.2"}))


def sms(to: str, body: str) -> Item:
    return Item(to, {"to": to, "from_": "+441610000000", "body": body}, time.time())


def run_workers(outboxes: List[Outbox], api_url: str, condition: Callable[[], bool],
                timeout: float = 60) -> Dict[int, int]:
    """A delivery worker per replica until `condition`; how many requests each one sent."""
    sent: Dict[int, int] = {i: 0 for i in range(len(outboxes))}

    def counting(i: int, sender: Any) -> Any:
        async def send(payload: Dict[str, Any]) -> None:
            await sender(payload)
            sent[i] += 1
        return send

    async def run() -> None:
        workers = []
        for i, outbox in enumerate(outboxes):
            worker = Delivery(outbox)
            worker.register("twilio", counting(i, TwilioSender("AC" + "0" * 32, "token", api_url)))
            worker.start()
            workers.append(worker)
        try:
            deadline = time.monotonic() + timeout
            while not condition():
                assert time.monotonic() < deadline, f"not within {timeout} s"
                await asyncio.sleep(0.05)
        finally:
            for worker in workers:
                await worker.stop()

    asyncio.run(run())
    return sent


def test_replicas_send_every_message_once_and_in_order(database, api):
    first, second = replica(database), replica(database)
    phones = [f"+4477009{i:05d}" for i in range(40)]
    for i, phone in enumerate(phones):  # turns accepted by either replica
        (first if i % 2 else second).accept("twilio", f"SM{i}", [
            sms(phone, f"{phone} message {n}") for n in range(4)])
    for phone in phones[:5]:  # Twilio refuses these for a while: retries, behind which the rest waits
        api.answers[phone] = TWILIO_DOWN
    threading.Timer(1.0, api.answers.clear).start()

    sent = run_workers([first, second], api.url, lambda: not first.rows())
    for phone in phones:
        bodies = [r["Body"] for r in api.received("twilio", phone)]
        expected = [f"{phone} message {n}" for n in range(4)]
        if phone in phones[:5]:  # the first message was tried until the API took it
            assert bodies[-4:] == expected and set(bodies[:-4]) <= {expected[0]}
        else:
            assert bodies == expected  # once each, in order
    assert sum(sent.values()) == len(phones) * 4 and all(sent.values())  # both replicas sent


def test_a_message_held_by_a_replica_that_died_is_sent_by_another(database, api):
    dead, alive = replica(database), replica(database)
    dead.accept("twilio", "SM-died", [sms("+447700900111", "Heat for ongoing tightness")])
    [held] = dead.take(["twilio"], 10, lease_s=1.0)  # ... and the replica dies while sending
    assert run_workers([alive], api.url, lambda: not alive.rows(), timeout=30) == {0: 1}
    [request] = api.received("twilio", "+447700900111")
    assert request["Body"] == "Heat for ongoing tightness"
    dead.delivered(held)  # a late report from the replica that had it changes nothing


def test_a_retried_message_on_another_replica_is_not_run_again(database):
    replicas = [replica(database) for _ in range(4)]
    claims: List[str] = []
    barrier = threading.Barrier(8)

    def claim(outbox: Outbox) -> None:
        barrier.wait()
        claims.append(outbox.claim_inbound("twilio", "SM-retried", lease_s=60))

    threads = [threading.Thread(target=claim, args=(replicas[i % 4],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claims) == [BUSY] * 7 + [NEW]  # one turn; the others are told to come back
    replicas[0].accept("twilio", "SM-retried", [sms("+447700900222", "answer")])
    assert {outbox.claim_inbound("twilio", "SM-retried", 60) for outbox in replicas} == {DUPLICATE}


def test_the_replicas_share_one_outbox_in_the_tracker_database():
    settings = ClusterSettings.from_env({"TRACKER_DB_URL": "postgresql://bot:pw@db.internal/t"})
    outbox = OutboxSettings.from_env(settings.rasa_env())
    assert outbox.url == make_url("postgresql://bot:pw@db.internal/t")
