"""The scratch cluster's settings and ports, and the comparison of the two event stores (on SQLite).
No server is started here."""
import json
import socket
import time

from sqlalchemy import create_engine, insert

from bot.bench.cluster import compare_stores, event_counts, free_ports, scratch_settings, user_texts_of
from bot.review.schema import events


def store(path, rows):
    engine = create_engine(f"sqlite:///{path}", future=True)
    events.create(engine)
    with engine.begin() as connection:
        for sender, kind, text in rows:
            connection.execute(insert(events).values(
                sender_id=sender, type_name=kind, data=json.dumps({"event": kind, "text": text})))
    return engine


def test_stores_that_agree(tmp_path):
    rows = [("a", "user", "hi"), ("a", "bot", "hello"), ("a", "user", "cramp"), ("b", "user", "ice?")]
    tracker, console = store(tmp_path / "t.db", rows), store(tmp_path / "c.db", rows)
    check = compare_stores(tracker, console, {"a": ["hi", "cramp"], "b": ["ice?"], "c": []})
    assert check == {"senders": 2, "messages_sent": 3, "tracker_events": 4, "console_events": 4,
                     "lost_events": 0, "extra_console_events": 0, "senders_differing": 0,
                     "console_caught_up_after_s": 0.0, "missing_messages": 0,
                     "unexpected_messages": 0}


def test_lost_events_and_missing_messages(tmp_path):
    tracker = store(tmp_path / "t.db", [("a", "user", "hi"), ("a", "bot", "hello"), ("b", "user", "x")])
    console = store(tmp_path / "c.db", [("a", "user", "hi"), ("b", "user", "x"), ("b", "bot", "y")])
    started = time.monotonic()
    check = compare_stores(tracker, console, {"a": ["hi", "cramp"], "b": ["x", "x"]},
                                 timeout_s=0.3, poll_s=0.1)
    assert time.monotonic() - started >= 0.3
    assert check["lost_events"] == 1 and check["extra_console_events"] == 1
    assert check["senders_differing"] == 2 and check["console_caught_up_after_s"] is None
    assert check["missing_messages"] == 2 and check["unexpected_messages"] == 0


def test_counts_and_texts_of_many_senders(tmp_path):
    senders = [f"s{i}" for i in range(1200)]  # more than one IN (...) chunk
    engine = store(tmp_path / "t.db", [(s, "user", s) for s in senders[::2]])
    counts = event_counts(engine, senders)
    assert sum(counts.values()) == 600 and counts["s0"] == 1 and counts["s1"] == 0
    texts = user_texts_of(engine, senders)
    assert texts["s1198"] == ["s1198"] and texts["s1199"] == []


def test_scratch_settings_have_names_and_ports_of_their_own():
    one, two = scratch_settings("clinic_bench", 1, 1), scratch_settings("clinic_bench", 2, 2)
    assert one.rabbitmq_queue != two.rabbitmq_queue and one.rabbitmq_queue.startswith("clinic_bench_")
    assert one.tracker_db_url.endswith(f"/{one.rabbitmq_queue}_tracker")
    assert one.console_db_url.endswith(f"/{one.rabbitmq_queue}_console")
    ports = [two.port, two.action_proxy_port, *(int(a.split(":")[1]) for a in two.rasa_addresses()),
             *(int(a.split(":")[1]) for a in two.action_addresses())]
    assert ports == list(range(two.port, two.port + 6))
    assert (one.replicas, one.action_replicas, two.replicas, two.action_replicas) == (1, 1, 2, 2)


def test_free_ports_are_consecutive_and_free():
    base = free_ports(5)
    for port in range(base, base + 5):
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))
