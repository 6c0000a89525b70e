"""The production profile's retention process: old conversations leave Rasa's tracker store and the
console's store, on the real PostgreSQL; it runs only where it is asked for."""
import json
import time

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from bot.bench.cluster import scratch_settings
from bot.cluster import retention
from bot.cluster.consumer import console_events, open_store
from bot.cluster.postgres import drop_database, ensure_database
from bot.cluster.settings import ClusterSettings
from bot.cluster.stack import plan
from bot.review.database import connect
from bot.review.schema import TRACKER, events, retention_log

DAY_S = 24 * 3600


def rows(sender: str, at: float, console: bool):
    made = [{"sender_id": sender, "type_name": "user", "timestamp": at + i, "intent_name": "greet",
             "action_name": None, "data": json.dumps({"event": "user", "text": "hi"})} for i in range(3)]
    if console:
        for i, row in enumerate(made):
            row["event_hash"] = f"{sender}-{i}"
    return made


@pytest.fixture
def stores():
    settings = scratch_settings("clinic_retention", retention_days=90)
    tracker_url, console_url = make_url(settings.tracker_db_url), make_url(settings.console_db_url)
    ensure_database(tracker_url)
    tracker, console = connect(tracker_url), open_store(console_url)
    TRACKER.create_all(tracker)
    now = time.time()
    for engine, table, is_console in ((tracker, events, False), (console, console_events, True)):
        with engine.begin() as connection:
            connection.execute(insert(table), rows("old", now - 200 * DAY_S, is_console)
                               + rows("recent", now - 10 * DAY_S, is_console))
    yield settings, tracker, console
    tracker.dispose(), console.dispose()
    drop_database(tracker_url), drop_database(console_url)


def senders(engine, table):
    with engine.connect() as connection:
        return sorted(connection.execute(select(table.c.sender_id).distinct()).scalars())


def test_one_run_deletes_old_conversations_from_both_stores_and_logs_it(stores):
    settings, tracker, console = stores
    done = retention.run_once(settings)
    assert done["tracker"].conversations == done["console"].conversations == 1
    assert done["tracker"].events == done["console"].events == 3
    assert senders(tracker, events) == senders(console, console_events) == ["recent"]
    for engine in (tracker, console):
        with engine.connect() as connection:
            (run_by, days), = connection.execute(select(retention_log.c.run_by, retention_log.c.days))
        assert (run_by, days) == (retention.RUN_BY, 90)


def test_a_store_that_fails_does_not_stop_the_other(stores):
    settings, tracker, console = stores
    broken = ClusterSettings.from_env({}, **{**vars(settings),
                                            "tracker_db_url": "postgresql://nobody@127.0.0.1:1/none"})
    done = retention.run_once(broken)
    assert done["tracker"] is None and done["console"].conversations == 1
    with console.connect() as connection:
        assert connection.execute(select(func.count()).select_from(console_events)).scalar() == 3


def test_it_runs_only_where_asked_and_when_retention_days_are_set(tmp_path):
    def names(**values):
        return [s.name for s in plan(ClusterSettings.from_env({}, roles=("retention", "consumer"),
                                                              **values), tmp_path)]

    assert names() == ["consumer"]  # RETENTION_DAYS unset: off
    assert names(retention_days=30) == ["consumer", "retention"]
    assert ClusterSettings.from_env({"RETENTION_DAYS": "30", "RETENTION_EVERY_HOURS": "6"}).as_env()[
        "RETENTION_DAYS"] == "30"
