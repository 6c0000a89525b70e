"""Killing a replica (SIGKILL) in the middle of conversations loses no message and no event."""
import signal
import threading
import time
import uuid
from typing import Dict, List

from tests.cluster.cluster_client import ClusterClient, event_count, texts, user_texts
from tests.cluster.test_replicas import wait_for_console

BACKGROUND_CLIENTS = 6
SCRIPT = ["hi", "my calf keeps cramping", "since yesterday", "I was running", "about a 6",
          "none of these apply", "is heat or ice better?", "thanks"]


class Background(threading.Thread):
    """One client playing conversations until stopped; every message carries a message_id."""

    def __init__(self, url: str, token: str, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.client, self.stop = ClusterClient(url, token), stop
        self.sent: Dict[str, List[str]] = {}
        self.failures: List[str] = []

    def run(self) -> None:
        while not self.stop.is_set():
            sender = self.client.new_sender()
            self.sent[sender] = []
            for text in SCRIPT:
                try:
                    replies, _ = self.client.turn(sender, text, message_id=uuid.uuid4().hex)
                    if not replies:
                        self.failures.append(f"{sender}: no reply to {text!r}")
                except Exception as error:  # noqa: BLE001 - every failure is reported
                    self.failures.append(f"{sender}: {text!r}: {error}")
                self.sent[sender].append(text)
                if self.stop.is_set():
                    break


def test_killing_a_replica_mid_conversation(cluster, client, tracker_db, console_db):
    stop = threading.Event()
    background = [Background(cluster.url, client.token, stop) for _ in range(BACKGROUND_CLIENTS)]
    for thread in background:
        thread.start()
    sender = client.new_sender()
    try:
        _, replica = client.turn(sender, "my calf keeps cramping")
        client.turn(sender, "since yesterday")
        time.sleep(1)  # the background conversations are in full flow
        victim = cluster.service(replica)
        victim.process.send_signal(signal.SIGKILL)
        victim.process.wait()
        after = [client.turn(sender, text) for text in ["I was running", "about a 6",
                                                         "none of these apply"]]
        time.sleep(2)
    finally:
        stop.set()
        for thread in background:
            thread.join(timeout=120)
        for name in cluster.restart_dead():
            cluster.service(name).wait_ready()

    assert {served for _, served in after} == {n for n in ("rasa-1", "rasa-2") if n != replica}
    assert "wall calf stretch" in texts(after[-1][0]), after[-1][0]
    assert client.tracker(sender)["slots"]["spasm_area"] == "calf"
    failures = [f for thread in background for f in thread.failures]
    assert not failures, failures
    sent = {s: texts_ for thread in background for s, texts_ in thread.sent.items()}
    assert sum(len(t) for t in sent.values()) > 30, "the background load was too light to test"
    for conversation, texts_sent in {**sent, sender: None}.items():
        stored = user_texts(tracker_db, conversation)
        if texts_sent is not None:  # each message stored once, in order
            assert stored == texts_sent, conversation
        assert wait_for_console(console_db, tracker_db, conversation) == \
            event_count(tracker_db, conversation)


def test_a_retried_message_is_answered_from_the_stored_turn(client, tracker_db):
    sender, message_id = client.new_sender(), uuid.uuid4().hex
    first, _ = client.turn(sender, "is heat or ice better for a cramp?", message_id=message_id)
    again, _ = client.turn(sender, "is heat or ice better for a cramp?", message_id=message_id)
    assert again == first and "heat" in texts(first)
    assert user_texts(tracker_db, sender) == ["is heat or ice better for a cramp?"]
