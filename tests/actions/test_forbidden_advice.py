"""What a finding forbids is never advised (knowledge/red_flags.yml `forbids`): every code × every
self-care answer, general advice and the personal advice after an assessment.

A forbidden part is left out, the reply says why before anything else, and the topic is not
recorded in advice_topics; what the code allows is still given.
"""
import asyncio
import re

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.advice_text import entry_parts, fill
from actions.answers import ActionAnswerQuestion, ActionGeneralAdvice
from actions.assessment import ActionPersonalAdvice, personal_advice
from bot.knowledge_files import read_yaml
from tests.conftest import make_tracker

ANSWERS_FILE = read_yaml("knowledge/answers.yml")
ANSWERS = ANSWERS_FILE["answers"]
CODES = read_yaml("knowledge/red_flags.yml")["codes"]
STRETCHES = read_yaml("knowledge/stretches.yml")["stretches"]
FORBIDDING = sorted(code for code, spec in CODES.items() if spec.get("forbids"))
INTENTS = sorted(i for i in ANSWERS if i != "general")
COMPLETED = {"spasm_area": "calf", "spasm_onset": "yesterday", "spasm_activity": "running",
             "spasm_severity": "8"}


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return [m["text"] for m in dispatcher.messages], events


def topics_of(events):
    return next((e["value"] for e in events if e.get("name") == "advice_topics"), []) or []


def withheld_line(code):
    return f"Because you mentioned {CODES[code]['mentioned']}, please don't use"


def check(code, texts, events, parts):
    forbidden = set(CODES[code]["forbids"])
    reply = "\n".join(texts)
    assert not forbidden & set(topics_of(events)), (code, topics_of(events))
    for topics, text in parts:
        if forbidden & set(topics):
            assert fill(text).strip() not in reply, (code, text)
    if any(forbidden & set(topics) for topics, _ in parts):
        assert withheld_line(code) in texts[0], texts[0]
        reason = reply.index(withheld_line(code))
        given = [reply.index(fill(text).strip()) for topics, text in parts
                 if not forbidden & set(topics) and topics and fill(text).strip() in reply]
        assert all(reason < at for at in given), "the reason comes before any advice"


@pytest.mark.parametrize("intent", INTENTS)
@pytest.mark.parametrize("code", FORBIDDING)
def test_a_forbidden_answer_part_is_replaced_by_the_reason(code, intent):
    entities = [{"entity": "body_part", "value": "calf", "start": 0, "end": 1}]
    tracker = make_tracker(text="question", intent=intent, entities=entities,
                           slots={"red_flags": [code], "triage_level": CODES[code]["level"]})
    texts, events = run(ActionAnswerQuestion(), tracker)
    parts = entry_parts(ANSWERS[intent])
    if intent in ("ask_stretching",):
        parts = parts + [(["stretching"], STRETCHES["calf"]["steps"][0])]
    if intent == "ask_self_massage":
        parts = parts + [(["self_massage"], STRETCHES["calf"]["self_massage"])]
    check(code, texts, events, parts)


@pytest.mark.parametrize("code", FORBIDDING)
def test_general_advice_leaves_out_what_the_finding_forbids(code):
    tracker = make_tracker(text="stop", intent="stop", slots={"red_flags": [code]})
    texts, events = run(ActionGeneralAdvice(), tracker)
    check(code, texts, events, entry_parts(ANSWERS["general"]))


@pytest.mark.parametrize("code", FORBIDDING)
def test_personal_advice_leaves_out_what_the_finding_forbids(code):
    tracker = make_tracker(text="done", intent="inform", slots={**COMPLETED, "red_flags": [code]})
    texts, events = run(ActionPersonalAdvice(), tracker)
    check(code, texts, events, personal_advice(COMPLETED))


def test_a_suspected_clot_never_gets_a_calf_stretch_or_massage():
    """The issue's own case: a DVT referral, then 'show me a calf stretch'."""
    entities = [{"entity": "body_part", "value": "calf", "start": 0, "end": 1}]
    for intent in ("ask_stretching", "ask_self_massage", "ask_heat_ice"):
        texts, events = run(ActionAnswerQuestion(), make_tracker(
            text="show me", intent=intent, entities=entities,
            slots={"red_flags": ["dvt_signs"], "triage_level": "consultation_24"}))
        reply = "\n".join(texts)
        assert STRETCHES["calf"]["name"] not in reply and "stroke the calf" not in reply
        assert "clot" in texts[0]


def test_what_the_finding_allows_is_still_given():
    texts, events = run(ActionAnswerQuestion(), make_tracker(
        text="heat or ice?", intent="ask_heat_ice",
        slots={"red_flags": ["infection_signs"], "triage_level": "consultation_24"}))
    assert "ice" in topics_of(events) and "heat" not in topics_of(events)
    assert "wrapped ice pack" in "\n".join(texts)


def test_the_safety_footer_is_said_once_per_conversation():
    note = ANSWERS_FILE["safety_note"]
    said = [{"event": "bot", "text": "earlier advice\n\n" + note}]
    texts, _ = run(ActionAnswerQuestion(), make_tracker(text="heat?", intent="ask_heat_ice",
                                                         events=said))
    assert note not in "\n".join(texts)
    changed = said + [{"event": "slot", "name": "red_flags", "value": ["pregnancy"]}]
    texts, _ = run(ActionAnswerQuestion(), make_tracker(
        text="heat?", intent="ask_heat_ice", events=changed, slots={"red_flags": ["pregnancy"]}))
    assert note in "\n".join(texts), "the findings changed: the footer comes back"


def test_one_value_per_clinical_fact():
    """Ice and heat times and the stretch hold come from `facts`: no text types its own."""
    facts = ANSWERS_FILE["facts"]
    texts = [fill(text) for entry in ANSWERS.values() for _, text in entry_parts(entry)]
    texts += [fill(spec.get("meanwhile", "")) for spec in CODES.values()]
    joined = "\n".join(texts)
    assert "10 to 15 minutes" not in joined
    assert facts["ice_minutes"] in joined and facts["heat_minutes"] in joined
    assert "{" not in joined, "a placeholder left unfilled"


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def test_no_text_types_a_phone_number():
    """999, 111 and the clinic's numbers come from settings/clinic.yml, so another clinic (or a
    changed number) needs one edit. Rule patterns may still read numbers in what clients write."""
    rules = read_yaml("knowledge/red_flags.yml")
    texts = list(_strings(ANSWERS_FILE)) + list(_strings(read_yaml("knowledge/cautions.yml")))
    texts += list(_strings(rules["levels"]))
    texts += [str(spec.get(key, "")) for spec in rules["codes"].values()
              for key in ("mentioned", "meanwhile", "question", "lead", "action")]
    texts += list(_strings(read_yaml("domain.yml").get("responses", {})))
    texts += [spec["reply"] for path in ("es", "pl", "pt", "ro")
              for spec in [read_yaml(f"knowledge/languages/{path}.yml")]]
    typed = [t for t in texts if re.search(r"\b(999|111|112|911|116 ?123)\b", t)]
    assert not typed, typed
