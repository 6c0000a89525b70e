"""Retention (python -m bot.review.retention) deletes exactly the conversations older than N days,
from Rasa's tracker store and from the console's tables, and records each run: on SQLite and on the
PostgreSQL server of 127.0.0.1:5432."""
import asyncio
import subprocess
import sys
from typing import Dict, Iterator

import pytest
from review_seed import DAY, clinic, save, tracker_store
from review_support import console_env, postgres_database, sqlite_url
from sqlalchemy import func, select

from bot.paths import ROOT
from bot.review import annotations
from bot.review.database import connect
from bot.review.retention import history, purge
from bot.review.schema import access_log, create_console_tables, events, notes, retention_log, reviews, tags

OLD = {"frank-old"}  # last active 100 days ago; whatsapp:+44... started then but spoke yesterday


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "tracker.db")
    else:
        with postgres_database("clinic_test_retention") as url:
            yield url


def seeded(url: str, now: float):
    store = tracker_store(url)
    save(store, clinic(now))
    engine = connect(url)
    create_console_tables(engine)
    for sender in ("frank-old", "alice-web", "whatsapp:+447700900456"):
        annotations.set_reviewed(engine, sender, "sam", True)
        annotations.add_note(engine, sender, "sam", f"note on {sender}")
        annotations.add_tag(engine, sender, "sam", "follow up")
        annotations.log(engine, "lena", "view", sender)
    annotations.log(engine, "sam", "sign_in")
    return store, engine


def rows_per_sender(engine) -> Dict[str, Dict[str, int]]:
    counts: Dict[str, Dict[str, int]] = {}
    with engine.connect() as connection:
        for table in (events, reviews, notes, tags, access_log):
            query = select(table.c.sender_id, func.count()).group_by(table.c.sender_id)
            for sender, n in connection.execute(query):
                counts.setdefault(sender, {})[table.name] = n
    return counts


def test_retention_deletes_exactly_the_old_conversations(database, now):
    store, engine = seeded(database, now)
    before = rows_per_sender(engine)

    dry = purge(engine, 30, "tester", dry_run=True, now=now)
    assert (dry.conversations, dry.events) == (1, before["frank-old"]["events"])
    assert dry.console_rows == 7  # reviewed flag, note, tag + 4 access-log entries (3 actions, 1 view)
    assert rows_per_sender(engine) == before and history(engine) == []

    done = purge(engine, 30, "tester", now=now)
    after = rows_per_sender(engine)
    assert set(before) - set(after) == OLD
    assert {s: n for s, n in before.items() if s not in OLD} == after  # nothing else touched
    assert (done.conversations, done.events, done.console_rows) == (
        dry.conversations, dry.events, dry.console_rows)
    assert asyncio.run(store.retrieve("frank-old")) is None
    kept = asyncio.run(store.retrieve_full_tracker("whatsapp:+447700900456"))
    assert len(kept.events) == before["whatsapp:+447700900456"]["events"]
    with engine.connect() as connection:  # sign-ins (no conversation) are not retention's
        assert connection.execute(select(func.count()).select_from(access_log).where(
            access_log.c.action == "sign_in")).scalar() == 1

    [run] = history(engine)
    assert (run["run_by"], run["days"], run["conversations"], run["events"]) == (
        "tester", 30, 1, done.events)
    assert run["cutoff"] == pytest.approx(now - 30 * DAY)

    again = purge(engine, 30, "tester", now=now)
    assert (again.conversations, again.events, again.console_rows) == (0, 0, 0)
    assert len(history(engine)) == 2 and rows_per_sender(engine) == after


def test_a_shorter_period_deletes_more(database, now):
    _, engine = seeded(database, now)
    purge(engine, 2, "tester", now=now + 3600)
    left = set(rows_per_sender(engine)) - {None}
    # last active within the 2 days before an hour from now: bob, carol, whatsapp (yesterday)
    assert left == {"bob-widget", "carol-tg", "whatsapp:+447700900456"}


def test_the_command(tmp_path, now):
    url = sqlite_url(tmp_path / "tracker.db")
    seeded(url, now)
    command = [sys.executable, "-m", "bot.review.retention", "--days", "30"]
    run = lambda *extra: subprocess.run(command + list(extra), capture_output=True, text=True,  # noqa
                                        cwd=ROOT, env=console_env(url))
    dry = run("--dry-run")
    assert dry.returncode == 0 and "would delete 1 conversations" in dry.stdout
    done = run()
    assert done.returncode == 0 and "deleted 1 conversations" in done.stdout
    with connect(url).connect() as connection:
        assert connection.execute(select(func.count()).select_from(retention_log)).scalar() == 1
    refused = subprocess.run(command[:-1] + ["0"], capture_output=True, text=True, cwd=ROOT,
                             env=console_env(url))
    assert refused.returncode == 2 and "at least 1" in refused.stderr
