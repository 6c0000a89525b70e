"""A conversation whose turns land on different replicas keeps its state, and every replica's events
reach the clinic console's store through RabbitMQ."""
import time

from bot.review.conversations import load
from tests.cluster.cluster_client import event_count, texts, user_texts
from tests.e2e.support import QUESTION_WORDS, REFERRAL_REASON

ASSESSMENT = ["my calf keeps cramping", "since yesterday", "I was running", "about a 6",
              "none of these apply"]


def asked(replies) -> list:
    text = texts(replies)
    return [slot for slot, words in QUESTION_WORDS.items() if words in text]


def wait_for_console(console_db, tracker_db, sender: str, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        expected = event_count(tracker_db, sender)
        if expected and event_count(console_db, sender) == expected:
            return expected
        time.sleep(0.2)
    raise AssertionError(f"console has {event_count(console_db, sender)} events of {sender}, "
                         f"tracker store {event_count(tracker_db, sender)}")


def test_assessment_across_replicas_keeps_its_state(client):
    sender = client.new_sender()
    questions, replicas, replies = [], [], []
    for text in ASSESSMENT:
        replies, replica = client.turn(sender, text)
        questions += asked(replies)
        replicas.append(replica)
    assert len(set(replicas)) == 2, replicas  # both replicas served this conversation
    assert questions == ["spasm_onset", "spasm_activity", "spasm_severity", "medical_history"]
    advice = texts(replies)
    assert "use ice" in advice and "wall calf stretch" in advice, advice
    slots = client.tracker(sender)["slots"]
    assert slots["spasm_area"] == "calf" and slots["triage_level"] == "self_care", slots
    assert {"ice", "stretching"} <= set(slots["advice_topics"]), slots


def test_red_flag_on_another_replica_escalates_at_once(client):
    sender = client.new_sender()
    _, first = client.turn(sender, "my calf keeps cramping")
    replies, second = client.turn(sender, "and now the calf is swollen, red and hot")
    assert first != second
    assert REFERRAL_REASON in texts(replies), replies
    slots = client.tracker(sender)["slots"]
    assert slots["triage_level"] == "consultation_24" and "dvt_signs" in slots["red_flags"], slots


def test_console_store_holds_every_replicas_events(client, tracker_db, console_db):
    senders = [client.new_sender() for _ in range(4)]
    replicas = set()
    for sender in senders:
        for text in ["hi", "is heat or ice better for a cramp?"]:
            replicas.add(client.turn(sender, text)[1])
    client.turn(senders[0], "I feel like hurting myself")
    assert replicas == {"rasa-1", "rasa-2"}
    for sender in senders:
        assert wait_for_console(console_db, tracker_db, sender) > 0
        assert user_texts(console_db, sender) == user_texts(tracker_db, sender)
    seen = {c.sender_id: c for c in load(console_db) if c.sender_id in senders}
    assert set(seen) == set(senders)
    assert seen[senders[0]].triage_level == "emergency_ambulance"
    assert "self_harm" in seen[senders[0]].red_flags
    assert seen[senders[1]].client_texts == ["hi", "is heat or ice better for a cramp?"]
