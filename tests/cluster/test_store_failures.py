"""A Rasa replica of the production profile when its PostgreSQL fails under a turn: a restart is
waited for, and a turn that could not be read or saved is answered 503 (not 200), so that the client
sends it again with its message_id and it is then answered and stored once.

Found by `make test-chaos`: with PostgreSQL restarted under load, Rasa's FailSafeTrackerStore hid
the failures and the REST channel answered 200, the client never sent again, and the conversation
did not hold the turn (a red flag's referral said, the emergency not remembered). One replica, on a
PostgreSQL of the test's own (stopped and started here) and this machine's Redis; a save that
fails without an outage is made inside that PostgreSQL, by a trigger refusing one conversation's rows.
"""
import asyncio
import threading
import time
import uuid
from typing import Iterator, Tuple

import pytest
import requests
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.bench.cluster import scratch_settings, user_texts
from bot.bench.scratch_servers import ScratchServer, postgres_server, scratch_server
from bot.cluster.stack import running_cluster
from bot.cluster.store_failures import failure
from bot.cluster.tracker_store import STORE_WAIT_S, ClinicSQLTrackerStore, NotRead

RED_FLAG = "I want to end my life"
REFERRAL = "because you mentioned"
REFUSE = """
CREATE OR REPLACE FUNCTION test_refuse() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the store refuses this turn'; END $$ LANGUAGE plpgsql;
CREATE TRIGGER test_refuse BEFORE INSERT ON events FOR EACH ROW
WHEN (NEW.sender_id = '{sender}') EXECUTE FUNCTION test_refuse();
"""
Replica = Tuple[str, Engine, ScratchServer]  # the replica's URL, its database, its PostgreSQL


@pytest.fixture(scope="module")
def replica(tmp_path_factory) -> Iterator[Replica]:
    with scratch_server(postgres_server) as postgres:
        settings = scratch_settings("clinic_test_store", replicas=1, roles=("rasa",),
                                    pg=f"postgresql://postgres@127.0.0.1:{postgres.port}")
        with running_cluster(settings, tmp_path_factory.mktemp("store")):
            engine = create_engine(make_url(settings.tracker_db_url), isolation_level="AUTOCOMMIT",
                                   future=True, pool_pre_ping=True)
            try:
                yield f"http://127.0.0.1:{settings.rasa_port}", engine, postgres
            finally:
                engine.dispose()


def post(url: str, sender: str, message: str, message_id: str) -> requests.Response:
    return requests.post(f"{url}/webhooks/rest/webhook", timeout=60,
                         json={"sender": sender, "message": message, "message_id": message_id})


def said(response: requests.Response) -> str:
    assert response.status_code == 200, response.text
    return "\n".join(m.get("text") or "" for m in response.json()).lower()


def sql(engine: Engine, statement: str) -> None:
    with engine.connect() as connection:
        connection.execute(text(statement))


def test_a_turn_that_could_not_be_saved_is_answered_503_and_stored_once_when_sent_again(replica):
    url, engine, _ = replica
    sender, message_id = uuid.uuid4().hex, uuid.uuid4().hex
    said(post(url, sender, "hi", uuid.uuid4().hex))
    sql(engine, REFUSE.format(sender=sender))
    try:
        refused = post(url, sender, RED_FLAG, message_id)
    finally:
        sql(engine, "DROP TRIGGER test_refuse ON events")
    assert refused.status_code == 503, refused.text
    assert refused.headers["Retry-After"] == "1" and "message_id" in refused.json()["error"]
    assert user_texts(engine, sender) == ["hi"]

    again = post(url, sender, RED_FLAG, message_id)
    assert REFERRAL in said(again)
    assert user_texts(engine, sender) == ["hi", RED_FLAG]
    replay = post(url, sender, RED_FLAG, message_id)  # from the stored turn, not run again
    assert replay.json() == again.json() and user_texts(engine, sender) == ["hi", RED_FLAG]


def test_a_conversation_that_could_not_be_read_is_answered_503_then_goes_on(replica):
    """PostgreSQL away for longer than a turn waits: 503, and the conversation is not answered (or
    written) as a new one; once it is back, the message sent again continues the conversation."""
    url, engine, postgres = replica
    sender, message_id = uuid.uuid4().hex, uuid.uuid4().hex
    said(post(url, sender, RED_FLAG, uuid.uuid4().hex))
    postgres.stop()
    try:
        refused = post(url, sender, "what can I do for a cramp?", message_id)
    finally:
        postgres.start()
    assert refused.status_code == 503, refused.text
    assert user_texts(engine, sender) == [RED_FLAG]

    again = said(post(url, sender, "what can I do for a cramp?", message_id))
    assert "self-care advice isn't safe yet" in again  # the emergency is remembered
    assert user_texts(engine, sender) == [RED_FLAG, "what can I do for a cramp?"]


def test_the_store_does_not_save_over_a_conversation_it_could_not_read(replica):
    """Rasa's FailSafeTrackerStore goes on with an empty conversation when the read fails; its
    events must not be written after the stored ones."""
    _, engine, postgres = replica
    database = make_url(str(engine.url)).database
    store = ClinicSQLTrackerStore(Domain.empty(), dialect="postgresql", host="127.0.0.1",
                                  port=postgres.port, db=database, username="postgres")
    sender = uuid.uuid4().hex
    first = DialogueStateTracker.from_events(sender, [ActionExecuted("action_listen"),
                                                      UserUttered("hi")])

    async def scenario() -> None:
        await store.save(first)
        postgres.stop()
        try:
            with pytest.raises(SQLAlchemyError):
                await store.retrieve(sender)
            assert failure()
        finally:
            postgres.start()
        empty = DialogueStateTracker.from_events(sender, [ActionExecuted("action_listen"),
                                                          UserUttered("a fresh start")])
        with pytest.raises(NotRead):
            await store.save(empty)
        assert await store.retrieve(sender) is not None and failure() is None

    try:
        asyncio.run(scenario())
    finally:
        store.engine.dispose()
        store._statements.dispose()
    assert user_texts(engine, sender) == ["hi"]


def test_a_turn_during_a_postgres_restart_waits_for_it(replica):
    url, engine, postgres = replica
    sender = uuid.uuid4().hex
    said(post(url, sender, "hi", uuid.uuid4().hex))
    postgres.stop()
    answer = {}

    def send() -> None:
        started = time.monotonic()
        answer["response"] = post(url, sender, RED_FLAG, uuid.uuid4().hex)
        answer["seconds"] = time.monotonic() - started

    turn = threading.Thread(target=send)
    turn.start()
    time.sleep(STORE_WAIT_S / 4)
    postgres.start()
    turn.join(60)
    assert REFERRAL in said(answer["response"])
    assert answer["seconds"] < STORE_WAIT_S
    assert user_texts(engine, sender) == ["hi", RED_FLAG]
