"""Reading conversations from Rasa's events table (bot.review.conversations)."""
from review_seed import KNOWLEDGE_VERSION

from bot.review.conversations import find, load
from bot.review.database import connect


def by_sender(engine, **kwargs):
    return {c.sender_id: c for c in load(engine, **kwargs)}


def test_outcome_slots_are_folded_over_all_events(clinic_engine):
    found = by_sender(clinic_engine)
    assert len(found) == 8
    bob = found["bob-widget"]
    assert (bob.triage_level, bob.red_flags, bob.advice_topics) == (
        "emergency_ambulance", ["pe_signs"], ["heat", "ice"])
    assert found["whatsapp:+447700900456"].advice_topics == ["stretching", "self_massage"]
    assert found["dan"].red_flags == ["cauda_equina", "neuro_symptoms"]
    assert found["erin"].triage_level is None and found["erin"].red_flags == []
    assert {c.channel for c in found.values()} == {"rest", "socketio", "telegram", "twilio"}


def test_the_knowledge_version_that_answered_is_kept(clinic_engine):
    found = by_sender(clinic_engine)
    assert found["bob-widget"].knowledge_version == KNOWLEDGE_VERSION
    assert found["alice-web"].knowledge_version is None  # recorded before versions existed


def test_escalations_have_level_codes_trigger_and_reason(clinic_engine):
    bob = by_sender(clinic_engine, with_bot=True)["bob-widget"]
    [escalation] = bob.escalations  # self_care is not an escalation
    assert (escalation.level, escalation.previous, escalation.codes) == (
        "emergency_ambulance", "self_care", ["pe_signs"])
    assert escalation.trigger == "I have chest pain and can't breathe"
    assert escalation.reason == "because you mentioned breathlessness or chest pain."


def test_lists_do_without_bot_messages(clinic_engine):
    alice = by_sender(clinic_engine)["alice-web"]
    assert {m.sender for m in alice.messages} == {"client", "session"}
    assert alice.escalations[0].reason == ""


def test_one_conversation_by_its_number(clinic_engine):
    alice = by_sender(clinic_engine)["alice-web"]
    found = find(clinic_engine, alice.key)
    assert found.sender_id == "alice-web"
    assert [m.sender for m in found.messages][:3] == ["session", "client", "bot"]
    assert find(clinic_engine, alice.key + 1) is None  # not the first event of a conversation
    assert find(clinic_engine, 10 ** 9) is None


def test_date_bounds_select_by_start(clinic_engine, now):
    recent = by_sender(clinic_engine, started_from=now - 36 * 3600)
    assert set(recent) == {"bob-widget", "carol-tg"}
    old = by_sender(clinic_engine, started_until=now - 50 * 24 * 3600)
    assert set(old) == {"frank-old", "whatsapp:+447700900456"}


def test_no_events_table_yet_means_no_conversations(tmp_path):
    assert load(connect(f"sqlite:///{tmp_path / 'empty.db'}")) == []
