"""Every bullet of the clinic's protocol (shared/protocol/muscle-spasm-massage.txt), exercised by
what a client types, over HTTP against the real assistant.

One case per protocol id (CONTRACT.md: SS1-SS5, CI1-CI4, AS1-AS5, TR1-TR6, SC1-SC6). A case is a
short conversation; each step says what the client must get back at that turn: words of the
reply (from knowledge/*.yml, chosen so that a wrong answer fails), the advice topics, the red-flag
codes and the triage level in the tracker.
"""
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

import pytest

from .support import REFERRAL_REASON, Chat, describe, flags, questions_in, settings, text_of, topics


@dataclass
class Step:
    say: str
    words: Tuple[str, ...] = ()              # all must be in the reply (lower-case)
    any_of: Tuple[Tuple[str, ...], ...] = ()  # from each group, at least one
    absent: Tuple[str, ...] = ()             # none may be in the reply
    topics: Tuple[str, ...] = ()             # all must be in advice_topics after this turn
    flags: Tuple[str, ...] = ()              # all must be in red_flags after this turn
    level: Optional[str] = None              # triage_level after this turn
    asks: Optional[str] = None               # the assessment question asked at this turn
    settings_words: Tuple[str, ...] = ()     # keys of settings/clinic.yml whose value is in the reply


@dataclass
class Case:
    pid: str
    steps: List[Step] = field(default_factory=list)


WHAT_IS = "a spasm is a muscle suddenly tightening"   # the ask_what_is_spasm answer
TREATMENT = "your therapist first asks about the spasm"  # the ask_treatment answer
REPORT = "my calf keeps cramping"                     # a report that names the area (AS1: skips it)

CASES = [
    # --- Signs & Symptoms: the ask_what_is_spasm answer names each sign ---------------------------
    Case("SS1", [Step("what is a muscle spasm?",
                      words=(WHAT_IS, "on its own", "a cramp is a painful spasm"),
                      absent=(REFERRAL_REASON,))]),
    Case("SS2", [Step("what does a muscle cramp feel like?",
                      words=(WHAT_IS, "hurt", "tender", "feel hard"))]),
    Case("SS3", [Step("is it a spasm if I can hardly move the area?",
                      words=(WHAT_IS, "hard to move that area"))]),
    Case("SS4", [Step("what is a spasm and when does it usually happen?",
                      words=(WHAT_IS, "tiredness or overuse"))]),
    Case("SS5", [Step("is a knot in my shoulder a kind of spasm?",
                      words=(WHAT_IS, "long-running tightness", "knots"))]),

    # --- Contraindications ---------------------------------------------------------------------
    Case("CI1", [Step("my calf is cramping really badly right now, what do I do",
                      words=("no deep pressure", "until it eases", "stretch"),
                      topics=("active_spasm",), flags=("active_spasm",), level="self_care")]),
    Case("CI2", [Step("my calf is red, hot and swollen, can I massage it?",
                      words=(REFERRAL_REASON, "blood clot", "don't massage", "within 24 hours"),
                      settings_words=("urgent_line",),
                      flags=("dvt_signs",), level="consultation_24")]),
    Case("CI3", [Step("I had surgery 3 weeks ago, can I have a massage?",
                      words=(REFERRAL_REASON, "recent surgery", "book an appointment",
                             "before any massage"),
                      settings_words=("clinic_phone",),
                      flags=("recent_surgery",), level="consultation")]),
    Case("CI4", [Step("numbness down my leg with the spasm",
                      words=(REFERRAL_REASON, "numbness", "within 24 hours", "deep massage"),
                      flags=("neuro_symptoms",), level="consultation_24")]),

    # --- Assessment ------------------------------------------------------------------------------
    Case("AS1", [Step("I have a muscle spasm", asks="spasm_area",
                      words=("which muscle or area",)),
                 Step("my calf", asks="spasm_onset",
                      words=("when did it start", "how long does each spasm last"))]),
    Case("AS2", [Step("how will the therapist check my muscle for knots?",
                      words=(TREATMENT, "feels the muscle", "tight spots", "knots"),
                      topics=("massage_treatment",))]),
    Case("AS3", [Step("why do I get cramps?",
                      words=("not drinking enough", "salts", "overworked", "posture"),
                      topics=("hydration", "posture")),
                 Step(REPORT, asks="spasm_onset"),
                 Step("since yesterday", asks="spasm_activity",
                      words=("what were you doing",))]),
    Case("AS4", [Step(REPORT, asks="spasm_onset"),
                 Step("since yesterday", asks="spasm_activity"),
                 Step("I was running", asks="spasm_severity",
                      words=("0 (no pain) to 10", "move that area normally"))]),
    Case("AS5", [Step(REPORT, asks="spasm_onset"),
                 Step("since yesterday", asks="spasm_activity"),
                 Step("I was running", asks="spasm_severity"),
                 Step("about a 6", asks="medical_history",
                      words=("surgery in the last 12 weeks", "blood clot", "blood thinners",
                             "osteoporosis", "pregnancy", "wound"))]),

    # --- Treatment: the ask_treatment answer (topic massage_treatment) ---------------------------
    Case("TR1", [Step("what happens in a spasm massage at the clinic?",
                      words=(TREATMENT, "starts gently", "long gliding strokes", "relax the muscle"),
                      topics=("massage_treatment",))]),
    Case("TR2", [Step("when does the therapist do deep tissue work?",
                      words=(TREATMENT, "deeper work", "once the spasm has eased",
                             "as much as you're comfortable with"),
                      topics=("massage_treatment",))]),
    Case("TR3", [Step("do you stretch the muscle during a massage session?",
                      words=(TREATMENT, "compression", "gentle stretches"),
                      topics=("massage_treatment",))]),
    Case("TR4", [Step("do you use a heat pack before the massage?",
                      words=(TREATMENT, "warmth first"),
                      topics=("massage_treatment",))]),
    Case("TR5", [Step("will the therapist press on a stubborn knot?",
                      words=(TREATMENT, "brief pressure on a stubborn spot"),
                      topics=("massage_treatment",))]),
    Case("TR6", [Step("how long is a spasm massage session?",
                      words=(TREATMENT, "short and focused for a new spasm",
                             "longer for ongoing or recurring"),
                      topics=("massage_treatment",))]),

    # --- Self Care -------------------------------------------------------------------------------
    Case("SC1", [Step("do I need more water if I cramp a lot?",
                      words=("low on fluids", "sip water", "replace salts"),
                      topics=("hydration",), level="self_care"),
                 Step("do I need electrolytes or magnesium?",
                      words=("electrolytes are salts", "potassium", "magnesium",
                             "pharmacist or gp before any supplement"),
                      topics=("hydration", "electrolytes"))]),
    Case("SC2", [Step("how can I massage my calf myself after a cramp?",
                      words=("once the spasm has eased", "long, slow strokes",
                             "don't massage during a strong cramp"),
                      topics=("self_massage",))]),
    Case("SC3", [Step("should I use heat or ice?",
                      words=("heat for ongoing tightness", "ice for fresh pain",
                             "wrapped ice pack"),
                      topics=("heat", "ice"), level="self_care")]),
    Case("SC4", [Step("what strengthening exercises can I do?",
                      words=("heel raises", "build up slowly", "2 to 3 times a week"),
                      topics=("strengthening",)),
                 Step("show me a calf stretch",
                      words=("wall calf stretch", "hold 20 to 30 seconds", "once or twice a day"),
                      topics=("strengthening", "stretching"))]),
    Case("SC5", [Step("should I keep exercising or rest?",
                      words=("gentle movement", "build exercise up gradually", "overuse"),
                      topics=("activity",))]),
    Case("SC6", [Step("when should I see a doctor about my cramps?",
                      words=("book a gp or physio", "keep coming back", "get worse",
                             "stop you doing normal things"),
                      topics=("seek_help",))]),
]

PROTOCOL_IDS = ([f"SS{i}" for i in range(1, 6)] + [f"CI{i}" for i in range(1, 5)]
                + [f"AS{i}" for i in range(1, 6)] + [f"TR{i}" for i in range(1, 7)]
                + [f"SC{i}" for i in range(1, 7)])


def test_every_protocol_id_has_a_case():
    assert [c.pid for c in CASES] == PROTOCOL_IDS


@pytest.mark.parametrize("case", CASES, ids=[c.pid for c in CASES])
def test_protocol_bullet(assistant, case: Case):
    chat = Chat(assistant)
    clinic = settings()
    for number, step in enumerate(case.steps, 1):
        messages = chat.say(step.say)
        reply = text_of(messages)
        where = f"{case.pid} turn {number} ({step.say!r}):\n    {describe(messages)}"
        assert messages, f"no answer at {where}"
        for words in step.words:
            assert words in reply, f"{words!r} missing at {where}"
        for group in step.any_of:
            assert any(w in reply for w in group), f"none of {group} at {where}"
        for words in step.absent:
            assert words not in reply, f"{words!r} should not be at {where}"
        for key in step.settings_words:
            assert clinic[key].lower() in reply, f"{key} {clinic[key]!r} missing at {where}"
        if step.asks:
            asked = questions_in(messages)
            assert asked == [step.asks], f"expected the {step.asks} question, got {asked} at {where}"
        if step.topics or step.flags or step.level:
            slots = chat.slots()
            for topic in step.topics:
                assert topic in topics(slots), f"advice_topics {topics(slots)} lack {topic!r} at {where}"
            for code in step.flags:
                assert code in flags(slots), f"red_flags {flags(slots)} lack {code!r} at {where}"
            if step.level:
                assert slots.get("triage_level") == step.level, \
                    f"triage_level {slots.get('triage_level')!r} != {step.level!r} at {where}"
