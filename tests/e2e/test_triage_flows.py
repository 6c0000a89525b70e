"""Triage over HTTP against the real assistant (CONTRACT.md, "Conversation state" and the red-flag
table): escalation at the turn of the finding, mid-form too; the level never goes down; reminders
after an emergency until the client is safe; uncertain findings get one direct question; negated and
someone else's mentions don't flag; the outcome slots persist. The public vignettes
(shared/eval/vignettes.yml) are run by `make eval`, not here."""
from dataclasses import dataclass
from typing import Tuple

import pytest

from bot.knowledge_files import read_yaml

from .support import (
    REFERRAL_REASON,
    REMINDER_WORDS,
    Chat,
    buttons_of,
    describe,
    flags,
    level_rank,
    questions_in,
    settings,
    text_of,
    topics,
)

FORBIDS = {code: spec.get("forbids") or [] for code, spec in
           read_yaml("knowledge/red_flags.yml")["codes"].items()}
LEVEL_ACTION = {  # the first line of a referral per level (knowledge/red_flags.yml `levels`)
    "emergency_ambulance": "now for an ambulance",
    "emergency": "go to a&e (the emergency department) now",
    "consultation_24": "see a doctor within 24 hours",
    "consultation": "book an appointment with your gp or a physiotherapist",
}
LEVEL_CONTACT = {  # which clinic setting the referral must name
    "emergency_ambulance": "emergency_number",
    "emergency": "emergency_number",
    "consultation_24": "urgent_line",
    "consultation": "clinic_phone",
}


@dataclass
class Flag:
    name: str
    lead_in: Tuple[str, ...]   # client turns before the finding (empty: the finding is turn 1)
    finding: str
    code: str
    level: str
    reason: str                # words of the `mentioned` text
    meanwhile: str             # words of what not to do meanwhile


TURN_ONE = [
    Flag("pe", (), "my calf cramped all night and now I'm really short of breath",
         "pe_signs", "emergency_ambulance", "breathlessness", "don't massage, rub or stretch your legs"),
    Flag("stroke", (), "I've got a cramp in my hand and my speech is slurred",
         "stroke_signs", "emergency_ambulance", "slurred speech", "don't eat or drink anything"),
    Flag("cauda_equina", (), "my lower back is in spasm and I can't feel anything down there when I wipe",
         "cauda_equina", "emergency", "numbness between the legs",
         "don't have massage or manipulation of your back"),
    Flag("rhabdo", (), "after crossfit yesterday my thighs are in agony and my pee is dark brown",
         "rhabdo_signs", "emergency", "dark urine", "stop exercising, don't massage"),
    Flag("dvt", (), "my left calf keeps cramping and it's swollen and warm",
         "dvt_signs", "consultation_24", "blood clot", "don't massage, rub or stretch that leg"),
    Flag("neuro", (), "my neck spasms and I get pins and needles in my fingers",
         "neuro_symptoms", "consultation_24", "pins and needles", "don't have deep massage"),
    Flag("osteoporosis", (), "I have severe osteoporosis, can I massage my back spasm?",
         "osteoporosis", "consultation", "osteoporosis", "no deep pressure or forceful stretching"),
]
# Mid-form: turn 1 reports the spasm, turn 2 names the area, turn 3 (answer to "when did it
# start?") carries the finding.
MID_FORM = [
    Flag("pe", ("I have a muscle spasm", "my calf"),
         "it started yesterday and now I'm really short of breath",
         "pe_signs", "emergency_ambulance", "breathlessness", "don't massage, rub or stretch your legs"),
    Flag("pe-chest", ("I have a muscle spasm", "my calf"),
         "since yesterday, and now my chest hurts when I breathe in",
         "pe_signs", "emergency_ambulance", "chest pain", "don't massage, rub or stretch your legs"),
    Flag("cauda_equina", ("I have a muscle spasm", "my lower back"),
         "since this morning, and I can't control my bladder",
         "cauda_equina", "emergency", "bladder or bowel changes",
         "don't have massage or manipulation of your back"),
    Flag("dvt", ("I have a muscle spasm", "my calf"),
         "since yesterday and now my calf is red and hot",
         "dvt_signs", "consultation_24", "blood clot", "don't massage, rub or stretch that leg"),
]


def _check_referral(chat: Chat, messages, flag: Flag):
    clinic = settings()
    reply = text_of(messages)
    where = chat.transcript()
    assert LEVEL_ACTION[flag.level] in reply, f"no {flag.level} referral at the finding:\n{where}"
    assert REFERRAL_REASON in reply and flag.reason in reply, f"reason missing:\n{where}"
    assert flag.meanwhile in reply, f"what not to do meanwhile missing:\n{where}"
    contact = clinic[LEVEL_CONTACT[flag.level]].lower()
    assert contact in reply, f"{LEVEL_CONTACT[flag.level]} {contact!r} missing:\n{where}"
    assert "not a clinician" in reply
    slots = chat.slots()
    assert flag.code in flags(slots), slots
    assert slots["triage_level"] == flag.level, slots


@pytest.mark.parametrize("flag", TURN_ONE, ids=[f.name for f in TURN_ONE])
def test_red_flag_at_turn_one_escalates_at_that_turn(assistant, flag):
    chat = Chat(assistant)
    messages = chat.say(flag.finding)
    _check_referral(chat, messages, flag)
    if level_rank(flag.level) >= level_rank("emergency"):
        assert not questions_in(messages), chat.transcript()
        assert chat.active_loop() is None


@pytest.mark.parametrize("flag", MID_FORM, ids=[f.name for f in MID_FORM])
def test_red_flag_mid_form_escalates_at_that_turn(assistant, flag):
    chat = Chat(assistant)
    chat.run(flag.lead_in)
    before = chat.slots()
    assert before.get("triage_level") is None and not flags(before), chat.transcript()
    assert chat.active_loop() == "assessment_form", chat.transcript()
    messages = chat.say(flag.finding)
    _check_referral(chat, messages, flag)


@pytest.mark.parametrize("flag", [f for f in MID_FORM if level_rank(f.level) >= 4],
                         ids=[f.name for f in MID_FORM if level_rank(f.level) >= 4])
def test_form_is_abandoned_after_an_emergency_escalation(assistant, flag):
    chat = Chat(assistant)
    chat.run(flag.lead_in)
    escalation = chat.say(flag.finding)
    assert not questions_in(escalation), f"the form went on after the referral:\n{chat.transcript()}"
    assert chat.active_loop() is None, chat.transcript()
    # the client answers the question they were asked before: no more assessment, no advice,
    # a reminder of the referral instead
    follow_up = chat.say("I was running")
    reply = text_of(follow_up)
    assert not questions_in(follow_up), f"the assessment restarted:\n{chat.transcript()}"
    assert "here's what i'd suggest" not in reply, chat.transcript()
    assert REMINDER_WORDS in reply, f"no reminder after the emergency:\n{chat.transcript()}"
    assert chat.active_loop() is None
    slots = chat.slots()
    assert slots["triage_level"] == flag.level and not topics(slots), slots


def test_level_never_goes_down(assistant):
    chat = Chat(assistant)
    chat.say("my left calf keeps cramping and it's swollen and warm")
    assert chat.slots()["triage_level"] == "consultation_24"
    # a self-care question is answered within what the finding allows, caution first; the level stays
    messages = chat.say("should I use heat or ice?")
    reply = text_of(messages)
    assert "wrapped ice pack" in reply and "heat for ongoing tightness" not in reply, chat.transcript()
    assert reply.index("don't massage, rub or stretch that leg") < reply.index("wrapped ice pack")
    slots = chat.slots()
    assert slots["triage_level"] == "consultation_24", slots
    assert "ice" in topics(slots) and "heat" not in topics(slots)
    # a lower-level finding adds its code but does not lower the level
    chat.say("I also had an operation on my knee 4 weeks ago")
    slots = chat.slots()
    assert slots["triage_level"] == "consultation_24", slots
    assert {"dvt_signs", "recent_surgery"} <= set(flags(slots)), slots
    # small talk and a goodbye don't lower it either
    chat.run(["thanks", "bye"])
    slots = chat.slots()
    assert slots["triage_level"] == "consultation_24", slots
    assert {"dvt_signs", "recent_surgery"} <= set(flags(slots)), slots


def test_higher_finding_raises_the_level_at_that_turn(assistant):
    chat = Chat(assistant)
    chat.say("I had surgery on my hip 5 weeks ago and my thigh keeps cramping")
    assert chat.slots()["triage_level"] == "consultation", chat.transcript()
    messages = chat.say("and now I feel breathless")
    assert LEVEL_ACTION["emergency_ambulance"] in text_of(messages), chat.transcript()
    slots = chat.slots()
    assert slots["triage_level"] == "emergency_ambulance", slots
    assert {"recent_surgery", "pe_signs"} <= set(flags(slots)), slots


@pytest.mark.parametrize("finding,level", [
    ("my calf is swollen and I'm really short of breath", "emergency_ambulance"),
    ("my back is in spasm and I've lost control of my bowels", "emergency"),
    ("I was running and now I am really short of breath", "emergency_ambulance"),
], ids=["pe", "cauda_equina", "pe-after-running"])
def test_after_an_emergency_self_care_gets_a_reminder_until_safe(assistant, finding, level):
    clinic = settings()
    chat = Chat(assistant)
    chat.say(finding)
    assert chat.slots()["triage_level"] == level, chat.transcript()
    for question in ["should I use heat or ice?", "can you show me a stretch?"]:
        messages = chat.say(question)
        reply = text_of(messages)
        assert REMINDER_WORDS in reply, f"no reminder for {question!r}:\n{chat.transcript()}"
        assert clinic["emergency_number"] in reply, chat.transcript()
        assert "heat for ongoing tightness" not in reply and "hold 20 to 30 seconds" not in reply
        assert any("safe" in b["payload"].lower() for b in buttons_of(messages)), describe(messages)
        assert not topics(chat.slots()), chat.transcript()
    messages = chat.say("I've been seen by a doctor and I'm safe")
    assert "glad you've been seen" in text_of(messages), chat.transcript()
    messages = chat.say("should I use heat or ice?")
    reply = text_of(messages)
    assert REMINDER_WORDS not in reply and "wrapped ice pack" in reply, chat.transcript()
    slots = chat.slots()
    allowed = {"heat", "ice"} - {item for code in flags(slots) for item in FORBIDS[code]}
    assert allowed and allowed <= set(topics(slots)), slots
    assert not ({"heat", "ice"} - allowed) & set(topics(slots)), "a forbidden topic was advised"
    assert slots["triage_level"] == level, "the level must not go down after being seen"


def test_self_harm_includes_the_crisis_line(assistant):
    clinic = settings()
    chat = Chat(assistant)
    messages = chat.say("my back spasms never stop and honestly I've been thinking about ending my life")
    reply = text_of(messages)
    assert clinic["crisis_line"].lower() in reply, chat.transcript()
    assert clinic["emergency_number"] in reply, chat.transcript()
    assert REFERRAL_REASON in reply and "ending your life" in reply, chat.transcript()
    slots = chat.slots()
    assert "self_harm" in flags(slots) and slots["triage_level"] == "emergency_ambulance", slots


def _check_question(chat: Chat, messages):
    reply = text_of(messages)
    assert "is one calf or leg swollen" in reply, f"no direct question:\n{chat.transcript()}"
    assert reply.count("?") == 1, f"exactly one question expected:\n{chat.transcript()}"
    titles = sorted(b["title"].lower() for b in buttons_of(messages))
    assert titles == ["no", "yes"], describe(messages)
    assert REFERRAL_REASON not in reply
    slots = chat.slots()
    assert "dvt_signs" not in flags(slots), slots


def test_uncertain_finding_asks_then_yes_flags(assistant):
    chat = Chat(assistant)
    _check_question(chat, chat.say("I'm not sure if my calf is swollen"))
    messages = chat.say("yes")
    reply = text_of(messages)
    assert LEVEL_ACTION["consultation_24"] in reply and "blood clot" in reply, chat.transcript()
    slots = chat.slots()
    assert "dvt_signs" in flags(slots) and slots["triage_level"] == "consultation_24", slots


def test_uncertain_finding_asks_then_no_does_not_flag(assistant):
    chat = Chat(assistant)
    _check_question(chat, chat.say("I'm not sure if my calf is swollen"))
    messages = chat.say("no")
    assert messages, "no answer to the 'no'"
    assert REFERRAL_REASON not in text_of(messages), chat.transcript()
    slots = chat.slots()
    assert not flags(slots), slots
    assert level_rank(slots.get("triage_level")) <= level_rank("self_care"), slots


def test_uncertain_finding_is_asked_only_once(assistant):
    chat = Chat(assistant)
    chat.say("I'm not sure if my calf is swollen")
    chat.say("no")
    messages = chat.say("I still can't tell if my calf is swollen or not")
    assert "is one calf or leg swollen" not in text_of(messages), chat.transcript()


@pytest.mark.parametrize("text,code", [
    ("my calf cramps at night but there's no swelling and it isn't red", "dvt_signs"),
    ("no numbness or tingling, my neck is just stiff", "neuro_symptoms"),
    ("I'm not short of breath, my calf just cramps after football", "pe_signs"),
    ("my dad had a DVT in his leg last year, why do I get cramps?", "dvt_signs"),
    ("my wife is breathless after her run, I only get foot cramps", "pe_signs"),
    ("my friend's back went into spasm and he can't control his bladder", "cauda_equina"),
    ("I had surgery on my knee 15 years ago, now my calf cramps", "recent_surgery"),
    ("what are the warning signs of a blood clot in the leg?", "dvt_signs"),
], ids=["negated-dvt", "negated-neuro", "negated-pe", "someone-else-dvt", "someone-else-pe",
        "someone-else-cauda", "long-past-surgery", "informational-dvt"])
def test_negated_other_person_and_informational_mentions_do_not_flag(assistant, text, code):
    chat = Chat(assistant)
    messages = chat.say(text)
    assert messages, "no answer"
    slots = chat.slots()
    assert code not in flags(slots), f"{code} flagged:\n{chat.transcript()}\n  slots: {slots}"
    assert REFERRAL_REASON not in text_of(messages), chat.transcript()
    assert level_rank(slots.get("triage_level")) <= level_rank("self_care"), slots


def test_red_flags_persist_in_the_tracker(assistant):
    chat = Chat(assistant)
    chat.say("I take warfarin and my calf keeps cramping")
    first = chat.slots()
    assert "vascular_condition" in flags(first) and first["triage_level"] == "consultation", first
    chat.run(["since yesterday", "what is a muscle spasm?", "thanks", "no tingling at all"])
    chat.say("I'm pregnant as well")
    slots = chat.slots()
    assert {"vascular_condition", "pregnancy"} <= set(flags(slots)), slots
    assert slots["triage_level"] == "consultation", slots
    # the stored events carry the same outcome: the last triage_level/red_flags SlotSet events
    events = chat.tracker()["events"]
    last = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert "vascular_condition" in (last.get("red_flags") or []), last.get("red_flags")
    assert last.get("triage_level") == "consultation"


@pytest.mark.parametrize("text,code", [
    ("there is an open wound on my shin where it cramps", "open_wound"),
    ("I've got a graze on my knee and my calf keeps cramping", "open_wound"),
    ("I'm 20 weeks pregnant and get calf cramps at night", "pregnancy"),
], ids=["open-wound", "graze", "pregnancy"])
def test_caution_findings_are_noted_without_escalating(assistant, text, code):
    """Caution codes have the minimum level self_care: flagged, never a referral by themselves."""
    chat = Chat(assistant)
    messages = chat.say(text)
    assert messages, "no answer"
    slots = chat.slots()
    assert code in flags(slots), f"{code} not flagged:\n{chat.transcript()}\n  slots: {slots}"
    assert flags(slots) == [code], f"unexpected codes {flags(slots)}:\n{chat.transcript()}"
    assert slots.get("triage_level") == "self_care", slots
    assert REFERRAL_REASON not in text_of(messages), chat.transcript()
