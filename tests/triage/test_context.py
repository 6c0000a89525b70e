"""The context rules of the red-flag detector: when a mention is a finding about the client, now.

CONTRACT.md: a negated, someone else's, long-past or purely informational mention is not a finding;
an uncertain one is never cleared (the assistant asks).
"""
import re

import pytest
import yaml

from bot.paths import ROOT
from bot.triage.rules import LEVELS, level_rank

SHARED = ROOT.parent / "shared"
CONTRACT = SHARED / "CONTRACT.md"
VIGNETTES = SHARED / "eval" / "vignettes.yml"


def codes(detector, text):
    return set(detector.detect(text).codes)


def check(detector, text, found=(), not_found=()):
    result = detector.detect(text)
    assert set(found) <= set(result.codes), result.as_dict()
    assert not set(not_found) & set(result.codes), result.as_dict()


# --- negation ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, found, not_found", [
    ("no chest pain, just a cramp in my calf", [], ["pe_signs"]),
    ("no swelling but I'm short of breath", ["pe_signs"], []),
    ("no swelling in my leg and now I'm short of breath", ["pe_signs"], ["dvt_signs"]),
    ("not breathless, but I'm coughing up blood", ["pe_signs"], []),
    ("never had this before, my calf is red and hot", ["dvt_signs"], []),
    ("no fever, but my calf is swollen and warm", ["dvt_signs"], ["infection_signs"]),
    # a negation does not reach across a long stretch of other words
    ("didnt think much of it at first the calf was tight then it swelled up", ["dvt_signs"], []),
])
def test_negation_scope_is_bounded(detector, text, found, not_found):
    check(detector, text, found, not_found)


@pytest.mark.parametrize("text, not_found", [
    ("my calf has no swelling, redness or heat", ["dvt_signs"]),
    ("my leg is neither swollen nor hot", ["dvt_signs"]),
    ("calf isn't red or warm, just tight", ["dvt_signs"]),
    ("no numbness, tingling, weakness or pins and needles", ["neuro_symptoms"]),
    ("I haven't noticed any swelling or redness in either leg", ["dvt_signs"]),
    ("no fever, no chills", ["infection_signs"]),
])
def test_one_negation_covers_a_list(detector, text, not_found):
    check(detector, text, not_found=not_found)


@pytest.mark.parametrize("text, found, not_found", [
    ("the swelling in my calf has gone", [], ["dvt_signs"]),
    ("the swelling in my leg went away overnight", [], ["dvt_signs"]),
    ("the redness in my calf has gone now", [], ["dvt_signs"]),
    # "gone" that changes a state is not a negation
    ("my calf has gone red and hot", ["dvt_signs"], []),
    ("my leg has gone all swollen", ["dvt_signs"], []),
    ("on statins and my pee has gone dark brown", ["medication_related", "rhabdo_signs"], []),
    ("I'm pregnant and my face went droopy on one side", ["pregnancy", "stroke_signs"], []),
    ("out of breath going up the stairs", ["pe_signs"], []),
])
def test_a_negation_after_the_finding_must_end_its_clause(detector, text, found, not_found):
    check(detector, text, found, not_found)


def test_a_figure_of_speech_is_not_a_negation(detector):
    assert "self_harm" in codes(detector, "the pain never stops and some days I think about suicide")


# --- someone else --------------------------------------------------------------------------------
@pytest.mark.parametrize("text, found, not_found", [
    ("my mum has osteoporosis", [], ["osteoporosis"]),
    ("my dad had a DVT last year, I just get calf cramps", [], ["dvt_signs", "vascular_condition"]),
    ("my dog cut his paw and I hurt my back lifting him", [], ["open_wound"]),
    ("my mum says my calf looks swollen", ["dvt_signs"], []),
    ("my mum had a clot, now my calf is swollen", ["dvt_signs"], ["vascular_condition"]),
    # "they" is usually the client's own calves or legs
    ("my calves cramp and they are swollen", ["dvt_signs"], []),
    # a first-person word inside the finding makes it the client's
    ("i keep thinking everyone would be better off without me", ["self_harm"], []),
])
def test_someone_else(detector, text, found, not_found):
    check(detector, text, found, not_found)


# --- timing --------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, found, not_found", [
    ("surgery 15 years ago", [], ["recent_surgery"]),
    ("op 3 weeks ago", ["recent_surgery"], []),
    ("op was 2 or 3 months ago", ["recent_surgery"], []),  # a range counts from its recent end
    ("I had a c-section 4 years ago", [], ["recent_surgery", "pregnancy"]),
    ("I had a DVT years ago", ["vascular_condition"], ["dvt_signs"]),
    ("had a fever a couple of months ago but I'm well now", [], ["infection_signs"]),
    ("whiplash from a car crash in my twenties", [], ["acute_injury"]),
    # a time belongs to its own clause
    ("I had a clot years ago and my calf is swollen again", ["dvt_signs", "vascular_condition"], []),
    ("hip replacement 2 years ago, calf is swollen and hot", ["dvt_signs"], ["recent_surgery"]),
    ("I'm in my 30s, calf swollen and hot", ["dvt_signs"], []),
])
def test_long_past_is_not_now(detector, text, found, not_found):
    check(detector, text, found, not_found)


# --- informational and hypothetical ----------------------------------------------------------------
@pytest.mark.parametrize("text, not_found", [
    ("what are the signs of a clot?", ["dvt_signs", "pe_signs", "vascular_condition"]),
    ("what does a dvt feel like", ["dvt_signs", "vascular_condition"]),
    ("can statins cause cramps?", ["medication_related"]),
    ("is numbness ever a sign of something serious?", ["neuro_symptoms"]),
    ("is swelling a bad sign", ["dvt_signs"]),
    ("what if my leg swells up?", ["dvt_signs"]),
])
def test_informational_question_is_not_a_finding(detector, text, not_found):
    check(detector, text, not_found=not_found)


@pytest.mark.parametrize("text, found", [
    ("I'm on statins, can they cause cramps?", ["medication_related"]),
    ("is my leg meant to be this swollen", ["dvt_signs"]),
    ("is it bad that my calf is swollen and hot?", ["dvt_signs"]),
    ("can't breathe properly?", ["pe_signs"]),
    ("calf swollen, is it a clot?", ["dvt_signs"]),
])
def test_a_question_about_the_client_is_a_finding(detector, text, found):
    check(detector, text, found)


# --- uncertain -------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, code", [
    ("not sure if it's swollen", "dvt_signs"),
    ("not sure if my calf is swollen", "dvt_signs"),
    ("maybe some tingling?", "neuro_symptoms"),
    ("my chest feels a bit funny", "pe_signs"),
    ("how can I stop my ankles swelling on the flight?", "dvt_signs"),
])
def test_uncertain_mention_is_asked_not_flagged(detector, text, code):
    result = detector.detect(text)
    assert code in result.uncertain and code not in result.codes, result.as_dict()


@pytest.mark.parametrize("text, code", [
    ("my calf is swollen and I'm worried", "dvt_signs"),
    ("my calf is swollen and hot, not sure if it's a clot", "dvt_signs"),
    ("foot cramp happening now, agony, how do i stop it", "active_spasm"),
])
def test_doubt_about_something_else_does_not_make_a_finding_uncertain(detector, text, code):
    assert code in codes(detector, text)


# --- exception phrases -----------------------------------------------------------------------------
@pytest.mark.parametrize("text, not_found", [
    ("I put a hot water bottle on my calf", ["dvt_signs"]),
    ("is heat or ice better for my calf", ["dvt_signs"]),
    ("I fell asleep on the sofa and woke up with a stiff neck", ["acute_injury"]),
    ("I broke my personal best in the 10k and then my calf cramped", ["acute_injury"]),
    ("do i need to take a break from running", ["acute_injury"]),
    ("what's the clinic number", ["neuro_symptoms"]),
    ("should i knead the muscle or just stroke it", ["stroke_signs"]),
    ("what helps hay fever", ["infection_signs"]),
    ("I'm sick of these cramps", ["systemic_illness"]),
    ("I'm expecting my new foam roller tomorrow", ["pregnancy"]),
    ("cut myself shaving and my calf is cramping", ["self_harm"]),
    ("i train every day is that too much", ["persistent_or_worsening"]),
    # words whose stem is another word's: wound/winded, has been/is, last/lasted
    ("there is an open wound where it hurts", ["pe_signs"]),
    ("my calf has been cramping", ["active_spasm"]),
    ("last night I slept 8 hours", ["persistent_or_worsening"]),
])
def test_exception_phrases(detector, text, not_found):
    check(detector, text, not_found=not_found)


# --- the public sample of vignettes ------------------------------------------------------------------
def _single_turn_vignettes():
    if not VIGNETTES.exists():
        return []
    items = yaml.safe_load(VIGNETTES.read_text(encoding="utf-8"))
    return [pytest.param(v, id=v["id"]) for v in items if len(v["turns"]) == 1]


@pytest.mark.parametrize("vignette", _single_turn_vignettes())
def test_public_vignette(detector, vignette):
    result = detector.detect(vignette["turns"][0])
    expect = vignette["expect"]
    assert set(expect.get("flags", [])) <= set(result.codes), result.as_dict()
    assert not set(expect.get("no_flags", [])) & set(result.codes), result.as_dict()
    if vignette["id"] >= "p201":  # self-care questions and robustness: nothing above self-care
        levels = {detector.rules.codes[c].level for c in result.codes}
        assert all(level_rank(level) <= level_rank("self_care") for level in levels), result.codes


# --- the rule file against the contract --------------------------------------------------------------
def _contract_levels():
    text = CONTRACT.read_text(encoding="utf-8")
    section = text.split("### Red-flag and caution codes", 1)[1].split("\n## ", 1)[0]
    levels = {}
    for row in re.findall(r"^\| `(\w+)` \|(.*)$", section, re.M):
        cells = [c.strip() for c in row[1].split("|")]
        levels[row[0]] = cells[1].split()[0]
    return levels


@pytest.mark.skipif(not CONTRACT.exists(), reason="shared CONTRACT.md not available")
def test_every_contract_code_is_defined_with_its_level(detector):
    contract = _contract_levels()
    assert len(contract) == 22
    assert set(contract.values()) <= set(LEVELS)
    defined = {name: code.level for name, code in detector.rules.codes.items()}
    assert defined == contract
