"""What is said around a referral is always safe, over HTTP against the real assistant (issue
"Referral-safe conversation"): nothing a finding forbids is advised after it, cautions come before
advice, certainty words never demote an emergency, reminders lead with the action, self-harm leads
with the crisis line, leaving an emergency needs a statement of having been seen, numbers come from
settings/clinic.yml, the footer is said once, and the knowledge version is recorded."""
import pytest

from bot.knowledge_files import knowledge_version, read_yaml

from .support import REMINDER_WORDS, SAFETY_NOTE, Chat, flags, settings, text_of, topics

CODES = read_yaml("knowledge/red_flags.yml")["codes"]
STRETCHES = read_yaml("knowledge/stretches.yml")["stretches"]


def test_after_a_clot_referral_no_calf_stretch_or_massage_is_given(assistant):
    chat = Chat(assistant)
    chat.say("my left calf keeps cramping and it's swollen, red and warm")
    assert "dvt_signs" in flags(chat.slots()), chat.transcript()
    for question in ["can you show me a calf stretch?", "how do I massage my calf?"]:
        reply = text_of(chat.say(question))
        assert STRETCHES["calf"]["name"].lower() not in reply, chat.transcript()
        assert "stroke the calf" not in reply and "long, slow strokes" not in reply, chat.transcript()
        assert "please don't use" in reply and "clot" in reply, chat.transcript()
    assert not {"stretching", "self_massage"} & set(topics(chat.slots())), chat.slots()


def test_after_an_infection_referral_heat_is_withheld_and_ice_is_given_after_the_reason(assistant):
    chat = Chat(assistant)
    chat.say("my forearm keeps cramping and the skin on it has gone hot, red and spreading with pus")
    assert "infection_signs" in flags(chat.slots()), chat.transcript()
    reply = text_of(chat.say("should I use heat or ice?"))
    assert "heat for ongoing tightness" not in reply, chat.transcript()
    assert "wrapped ice pack" in reply, chat.transcript()
    assert reply.index("please don't use heat") < reply.index("wrapped ice pack"), chat.transcript()
    assert "heat" not in topics(chat.slots()) and "ice" in topics(chat.slots())


def test_after_recent_surgery_foam_rolling_is_not_suggested(assistant):
    chat = Chat(assistant)
    chat.say("I had knee surgery 3 weeks ago and my thigh keeps cramping")
    assert "recent_surgery" in flags(chat.slots()), chat.transcript()
    reply = text_of(chat.say("can I use a foam roller on it?"))
    assert "foam roller" not in reply.replace("can i use a foam roller", ""), chat.transcript()
    assert "self_massage" not in topics(chat.slots())


@pytest.mark.parametrize("text", ["I think I might be having a stroke, my face feels droopy",
                                  "I'm scared I can't breathe"])
def test_doubt_never_demotes_an_emergency(assistant, text):
    chat = Chat(assistant)
    reply = text_of(chat.say(text))
    assert f"call {settings()['emergency_number']} now" in reply, chat.transcript()
    assert chat.slots()["triage_level"] == "emergency_ambulance", chat.transcript()


def test_a_reminder_leads_with_the_action(assistant):
    chat = Chat(assistant)
    chat.say("my calf cramped all night and now I'm really short of breath")
    reply = text_of(chat.say("should I use heat or ice?"))
    assert REMINDER_WORDS in reply, chat.transcript()
    assert reply.lstrip("🚨 ").startswith("please call"), chat.transcript()


def test_self_harm_leads_with_the_crisis_line_then_999_if_in_danger(assistant):
    clinic = settings()
    chat = Chat(assistant)
    reply = text_of(chat.say("my back spasms never stop and I've been thinking about ending my life"))
    crisis = reply.index(clinic["crisis_line"].lower())
    assert crisis < reply.index(clinic["mental_health_line"].lower()), chat.transcript()
    assert crisis < reply.index(clinic["emergency_number"]), chat.transcript()
    assert "immediate danger" in reply, chat.transcript()


@pytest.mark.parametrize("not_seen", ["I'm fine, I don't need 999", "ok I'm safe now",
                                      "I haven't been seen yet, heat or ice?"])
def test_a_bare_fine_does_not_leave_the_emergency(assistant, not_seen):
    chat = Chat(assistant)
    chat.say("I can't lift my left arm and my speech is slurred")
    chat.say(not_seen)
    reply = text_of(chat.say("should I use heat or ice?"))
    assert REMINDER_WORDS in reply, chat.transcript()
    assert not topics(chat.slots()), chat.slots()


def test_once_seen_self_care_resumes_within_what_the_code_forbids(assistant):
    chat = Chat(assistant)
    chat.say("I can't lift my left arm and my speech is slurred")
    reply = text_of(chat.say("the paramedics checked me, it's just a cramp, what stretch can I do "
                             "for my calf?"))
    assert REMINDER_WORDS not in reply, chat.transcript()
    assert STRETCHES["calf"]["name"].lower() in reply, chat.transcript()
    assert "stretching" in topics(chat.slots())
    assert chat.slots()["triage_level"] == "emergency_ambulance", "the level never goes down"
    assert "massage_treatment" in CODES["stroke_signs"]["forbids"]
    reply = text_of(chat.say("what happens in a massage at the clinic?"))
    assert "please don't use massage" in reply, chat.transcript()


def test_numbers_come_from_the_clinic_settings(assistant):
    clinic = settings()
    chat = Chat(assistant)
    reply = text_of(chat.say("when should I see a doctor about cramps?"))
    assert f"call {clinic['emergency_number']}" in reply, chat.transcript()
    assert clinic["urgent_line"].lower() in reply, chat.transcript()
    assert "{" not in reply, chat.transcript()


def test_the_safety_footer_is_said_once_per_conversation(assistant):
    chat = Chat(assistant)
    first = text_of(chat.say("should I use heat or ice for a cramp?"))
    second = text_of(chat.say("how much water should I drink?"))
    assert first.count(SAFETY_NOTE) == 1, chat.transcript()
    assert SAFETY_NOTE not in second, chat.transcript()


def test_the_knowledge_version_is_recorded_at_the_first_turn(assistant):
    chat = Chat(assistant)
    chat.say("hi")
    assert chat.slots()["knowledge_version"] == knowledge_version(), chat.slots()


@pytest.mark.parametrize("text, code, words", [
    ("I've got a fever, a stiff neck and the light hurts my eyes", "sepsis_meningitis", "fever"),
    ("crushing chest pain going into my left arm and I'm sweating", "cardiac_signs", "chest pain"),
    ("my foot has suddenly gone cold, white and numb", "limb_ischaemia", "cold"),
])
def test_the_new_codes_have_their_own_referral(assistant, text, code, words):
    chat = Chat(assistant)
    reply = text_of(chat.say(text))
    assert code in flags(chat.slots()), chat.transcript()
    assert CODES[code]["concern"].lower() in reply and words in reply, chat.transcript()
    assert f"call {settings()['emergency_number']} now" in reply, chat.transcript()


def test_a_referral_names_only_what_the_client_said(assistant):
    """"A bit breathless" is not told it mentioned chest pain or coughing blood."""
    chat = Chat(assistant)
    reply = text_of(chat.say("I'm a bit breathless today and my calf is sore"))
    assert "pe_signs" in flags(chat.slots()), chat.transcript()
    assert "because you mentioned breathlessness" in reply, chat.transcript()
    assert "chest pain" not in reply and "coughing blood" not in reply, chat.transcript()


def test_an_emergency_card_says_what_not_to_do_once(assistant):
    chat = Chat(assistant)
    reply = text_of(chat.say("my calf is swollen and red and I'm really short of breath"))
    assert {"pe_signs", "dvt_signs"} <= set(flags(chat.slots())), chat.transcript()
    assert reply.count("don't massage") == 1, chat.transcript()


def test_the_assessments_own_clot_answer_is_history_not_a_clot_now(assistant):
    chat = Chat(assistant)
    chat.say("I take blood thinners or have had a blood clot in the past")
    slots = chat.slots()
    assert "vascular_condition" in flags(slots) and "dvt_signs" not in flags(slots), slots
