"""Conversation flows over HTTP against the real assistant: small talk, scope, language, handover to
a person, and the assessment (AS1, AS3, AS4, AS5) with its personal advice (SC2, SC3)."""
import re

import pytest

from .support import (
    QUESTION_WORDS,
    REFERRAL_REASON,
    SAFETY_NOTE,
    Chat,
    buttons_of,
    describe,
    flags,
    questions_in,
    settings,
    text_of,
    topics,
)


def _clickable(messages, minimum=2):
    buttons = buttons_of(messages)
    assert len(buttons) >= minimum, f"expected at least {minimum} buttons:\n    {describe(messages)}"
    assert all(b.get("title") and b.get("payload") for b in buttons), buttons
    return buttons


# --- small talk and scope --------------------------------------------------------------------
def test_greeting_introduces_the_assistant_with_buttons(assistant):
    chat = Chat(assistant)
    messages = chat.say("hello")
    reply = text_of(messages)
    assert "automated" in reply and "muscle spasms and cramps" in reply, describe(messages)
    _clickable(messages)
    slots = chat.slots()
    assert not flags(slots) and not topics(slots) and slots.get("triage_level") is None


def test_greeting_button_payload_is_understood(assistant):
    chat = Chat(assistant)
    payloads = {b["title"]: b["payload"] for b in buttons_of(chat.say("hi there"))}
    messages = chat.say(payloads["Heat or ice?"])
    assert "heat for ongoing tightness" in text_of(messages), describe(messages)
    assert {"heat", "ice"} <= set(topics(chat.slots()))


@pytest.mark.parametrize("question", ["are you a bot?", "am I talking to a real person?"])
def test_bot_challenge_says_automated_not_a_clinician(assistant, question):
    messages = Chat(assistant).say(question)
    reply = text_of(messages)
    assert "automated assistant" in reply, describe(messages)
    assert "not a clinician" in reply, describe(messages)
    assert "i am a human" not in reply and "i'm a human" not in reply


def test_capabilities(assistant):
    messages = Chat(assistant).say("what can you do?")
    reply = text_of(messages)
    for words in ("self-care tips", "stretches", "ask a few questions", "spasm massage at the clinic",
                  "see a doctor or physio", "not a clinician"):
        assert words in reply, f"{words!r} missing:\n    {describe(messages)}"
    _clickable(messages)


@pytest.mark.parametrize("text", ["who won the football last night?",
                                  "can you recommend a good pizza place?"])
def test_out_of_scope_steers_back_with_buttons(assistant, text):
    chat = Chat(assistant)
    messages = chat.say(text)
    assert "only help with muscle spasms and cramps" in text_of(messages), describe(messages)
    _clickable(messages)
    slots = chat.slots()
    assert not flags(slots) and not topics(slots)


@pytest.mark.parametrize("text, says", [
    ("tengo un calambre muy fuerte en la pierna", "solo puedo leer inglés.*999"),
    ("mam bardzo silny skurcz w łydce od rana", "tylko po angielsku.*999"),
    ("am o crampa puternica la gamba de ieri", "doar în engleză.*999"),
    ("estou com uma cãibra forte na perna desde ontem", "só consigo ler inglês.*999"),
    ("mi fa male la gamba da ieri sera", "solo l'inglese.*999"),
    ("مجھے کل سے ٹانگ میں درد ہے", "999"),
    ("j'ai une crampe au mollet depuis hier", "lire que l'anglais.*999"),
    ("ich habe einen Krampf in der Wade", "nur Englisch lesen.*999"),
    ("baldırımda kramp var, dünden beri ağrıyor", "ngilizce okuyabiliyorum.*999"),
    ("у меня судорога в ноге", "только английский.*999"),
    ("görcs van a vádlimban tegnap óta", "english")])
def test_another_language_is_told_in_it_that_the_assistant_reads_english(assistant, text, says):
    """The ten most spoken languages of England after English, and every language with a glossary,
    have a reply of their own with the emergency number; any other language (Hungarian) gets the
    English one."""
    messages = Chat(assistant).say(text)
    assert re.search(says, text_of(messages), re.I | re.S), describe(messages)


@pytest.mark.parametrize("text, code", [
    ("me duele mucho el pecho y me falta el aire", "cardiac_signs"),
    ("nie mogę złapać tchu i boli mnie w klatce", "pe_signs"),
    ("nu mai vreau sa traiesc, am strans pastile", "self_harm"),
    ("de repente fiquei com a boca torta e não consigo levantar o braço", "stroke_signs")])
def test_an_emergency_in_another_language_is_referred_as_in_english(assistant, text, code):
    chat = Chat(assistant)
    messages = chat.say(text)
    assert code in flags(chat.slots()), describe(messages)
    assert "999" in text_of(messages), describe(messages)


@pytest.mark.parametrize("text", ["qwertyuiop", "asdfgh jkl", "asdkjh qwpeoiru zxmcnb"])
def test_gibberish_asks_to_rephrase_with_buttons(assistant, text):
    chat = Chat(assistant)
    messages = chat.say(text)
    assert "say it another way" in text_of(messages), describe(messages)
    _clickable(messages)
    assert not flags(chat.slots())


@pytest.mark.parametrize("text", ["can I talk to a person?", "I'd like to book an appointment",
                                  "what's the clinic's phone number?"])
def test_asking_for_a_person_gives_the_clinic_contact(assistant, text):
    clinic = settings()
    messages = Chat(assistant).say(text)
    reply = text_of(messages)
    assert clinic["clinic_phone"] in reply, describe(messages)
    assert clinic["clinic_booking"].lower() in reply, describe(messages)
    assert clinic["emergency_number"] in reply, describe(messages)


# --- the assessment --------------------------------------------------------------------------
def _advice_turn(chat: Chat, messages):
    """Checks shared by every personal advice: one safety note, buttons, no question left."""
    reply = text_of(messages)
    assert "here's what i'd suggest" in reply, chat.transcript()
    assert reply.count(SAFETY_NOTE) == 1, f"the safety note must appear once:\n{chat.transcript()}"
    assert not questions_in(messages), chat.transcript()
    assert chat.active_loop() is None
    return reply


def test_full_assessment_acute_calf(assistant):
    """Report -> questions in order, skipping the area already named -> ice, calf stretch, note."""
    chat = Chat(assistant)
    asked = []
    first = chat.say("my calf keeps cramping")
    assert "a few quick questions" in text_of(first), chat.transcript()
    asked += questions_in(first)
    for answer in ["since yesterday", "I was running", "about a 6"]:
        asked += questions_in(chat.say(answer))
    assert asked == ["spasm_onset", "spasm_activity", "spasm_severity", "medical_history"], \
        chat.transcript()
    reply = _advice_turn(chat, chat.say("none of these apply"))
    assert "use ice" in reply and "as it started recently" in reply, chat.transcript()
    assert "heat usually helps more than ice" not in reply
    assert "wall calf stretch" in reply, chat.transcript()
    assert "self-massage" in reply and "ankle to knee" in reply
    assert "to stop it coming back" in reply and "warm up first" in reply  # exercise trigger
    assert REFERRAL_REASON not in reply
    slots = chat.slots()
    assert {"ice", "stretching", "self_massage"} <= set(topics(slots)), slots
    assert "heat" not in topics(slots), slots
    assert slots["triage_level"] == "self_care", slots
    assert not flags(slots), slots
    assert slots["spasm_area"] == "calf"


@pytest.mark.parametrize("onset", ["it started about a month ago",
                                   "it has been going on for weeks or longer"],
                         ids=["typed", "onset-button"])
def test_full_assessment_chronic_lower_back(assistant, onset):
    """Chronic tightness gets heat and the lower-back stretch. Weeks of spasms is also a
    persistent_or_worsening finding (consultation): the note may come, the assessment goes on."""
    chat = Chat(assistant)
    asked = questions_in(chat.say("my lower back keeps going into spasm"))
    for answer in [onset, "I was sitting at a desk", "it's moderate, about 5 out of 10"]:
        asked += questions_in(chat.say(answer))
    assert asked == ["spasm_onset", "spasm_activity", "spasm_severity", "medical_history"], \
        chat.transcript()
    reply = _advice_turn(chat, chat.say("none of these apply"))
    assert "heat usually helps more than ice" in reply, chat.transcript()
    assert "knee to chest stretch" in reply, chat.transcript()
    slots = chat.slots()
    assert {"heat", "stretching"} <= set(topics(slots)), slots
    assert "ice" not in topics(slots), slots
    assert slots["spasm_area"] == "lower_back"


def test_what_was_already_said_is_not_asked(assistant):
    chat = Chat(assistant)
    messages = chat.say("my calf started cramping yesterday while I was running")
    assert questions_in(messages) == ["spasm_severity"], chat.transcript()


def test_skipping_a_question(assistant):
    chat = Chat(assistant)
    assert questions_in(chat.say("I have a muscle spasm")) == ["spasm_area"], chat.transcript()
    assert questions_in(chat.say("skip")) == ["spasm_onset"], chat.transcript()
    asked = []
    for answer in ["since yesterday", "I was running", "about a 6"]:
        asked += questions_in(chat.say(answer))
    assert asked == ["spasm_activity", "spasm_severity", "medical_history"], chat.transcript()
    reply = _advice_turn(chat, chat.say("none of these apply"))
    # no area: the general stretching advice, which offers a stretch for a named muscle
    assert "tell me which muscle" in reply, chat.transcript()
    assert "stretching" in topics(chat.slots())


@pytest.mark.parametrize("skip", ["skip", "I'd rather not say", "I don't know"])
def test_skipping_the_last_question_still_gives_advice(assistant, skip):
    chat = Chat(assistant)
    chat.run(["my calf keeps cramping", "since yesterday", "I was running", "about a 6"])
    reply = _advice_turn(chat, chat.say(skip))
    assert "wall calf stretch" in reply, chat.transcript()


# Each button of each assessment question (knowledge/assessment.yml) is an answer the form takes:
# the next question follows, the same question is not asked again.
BUTTON_ANSWERS = [
    ("spasm_onset", "it started today", "spasm_activity"),
    ("spasm_onset", "it started a few days ago", "spasm_activity"),
    ("spasm_onset", "it has been going on for weeks or longer", "spasm_activity"),
    ("spasm_activity", "I was exercising", "spasm_severity"),
    ("spasm_activity", "I was asleep in bed", "spasm_severity"),
    ("spasm_activity", "I was sitting at a desk", "spasm_severity"),
    ("spasm_activity", "I'm not sure", "spasm_severity"),
    ("spasm_severity", "it's mild, about 2 out of 10", "medical_history"),
    ("spasm_severity", "it's moderate, about 5 out of 10", "medical_history"),
    ("spasm_severity", "it's severe, about 8 out of 10", "medical_history"),
    ("medical_history", "none of these apply", None),
    ("medical_history", "I had surgery in the last 12 weeks", None),
    ("medical_history", "I take blood thinners or have had a blood clot in the past", None),
    ("medical_history", "I have osteoporosis", None),
    ("medical_history", "I am pregnant", None),
    ("medical_history", "there is an open wound where it hurts", None),
]
LEAD_IN = {"spasm_onset": [], "spasm_activity": ["since yesterday"],
           "spasm_severity": ["since yesterday", "I was running"],
           "medical_history": ["since yesterday", "I was running", "about a 6"]}


@pytest.mark.parametrize("slot,payload,following", BUTTON_ANSWERS,
                         ids=[f"{s}:{p}" for s, p, _ in BUTTON_ANSWERS])
def test_assessment_button_payload_is_taken_as_the_answer(assistant, slot, payload, following):
    chat = Chat(assistant)
    chat.run(["my calf keeps cramping"] + LEAD_IN[slot])
    assert chat.turns[-1][1] and questions_in(chat.turns[-1][1]) == [slot], chat.transcript()
    messages = chat.say(payload)
    asked = questions_in(messages)
    assert slot not in asked, f"{payload!r} was not taken as the answer:\n{chat.transcript()}"
    assert "say it another way" not in text_of(messages), chat.transcript()
    if following:
        assert asked == [following], chat.transcript()
    else:
        assert "here's what i'd suggest" in text_of(messages), chat.transcript()
    assert chat.slots().get(slot), f"{slot} not filled:\n{chat.transcript()}"


def test_stop_mid_form_still_gets_general_advice(assistant):
    chat = Chat(assistant)
    chat.run(["I have a muscle spasm", "my neck"])
    messages = chat.say("stop")
    reply = text_of(messages)
    assert "here are the basics" in reply, chat.transcript()
    for words in ("drink regularly", "stretch gently", "heat for ongoing tightness",
                  "ice pack", "see a gp or physio"):
        assert words in reply, f"{words!r} missing:\n{chat.transcript()}"
    assert reply.count(SAFETY_NOTE) == 1
    assert not questions_in(messages), chat.transcript()
    assert chat.active_loop() is None
    slots = chat.slots()
    assert {"hydration", "stretching", "heat", "ice", "seek_help"} <= set(topics(slots)), slots
    assert slots["triage_level"] == "self_care"
    assert slots["spasm_area"] == "neck"


def test_self_care_question_mid_form_is_answered_and_the_form_resumes(assistant):
    chat = Chat(assistant)
    chat.run(["I have a muscle spasm", "my neck"])
    messages = chat.say("should I use heat or ice?")
    reply = text_of(messages)
    assert "heat for ongoing tightness" in reply and "ice for fresh pain" in reply, chat.transcript()
    assert questions_in(messages) == ["spasm_onset"], chat.transcript()
    assert reply.index("heat for ongoing tightness") < reply.index(QUESTION_WORDS["spasm_onset"])
    assert {"heat", "ice"} <= set(topics(chat.slots()))
    # the form goes on from where it was, taking the next answer
    assert questions_in(chat.say("it started yesterday")) == ["spasm_activity"], chat.transcript()
    slots = chat.slots()
    assert slots["spasm_area"] == "neck" and slots["spasm_onset"], slots
    assert chat.active_loop() == "assessment_form"
