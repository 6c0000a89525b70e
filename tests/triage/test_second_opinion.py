"""The second opinion's decision rule: what a probability may add to the rules' findings.

A real SecondOpinion whose weights give every message the same probability (zero weights, the
intercept set), so each test states the probability it is about."""
import math

import numpy as np
import pytest

from bot.triage.second_opinion import CERTAIN, MIN_WORDS_TO_REFER, N_FEATURES, SecondOpinion

ESCALATE, ASK = 0.7, 0.7
LONG = "since this morning I have felt something odd that I cannot describe"
SHORT = "odd feeling now ok"


def model(p: float) -> SecondOpinion:
    """pe_signs (an emergency code) and dvt_signs (a caution code) both at probability p."""
    logit = math.log(p / (1 - p))
    coef = np.zeros((2, 2 * N_FEATURES), dtype=np.float32)
    return SecondOpinion(["pe_signs", "dvt_signs"], coef, np.array([logit, logit], np.float32),
                         ESCALATE, ASK, may_escalate=["pe_signs"])


def findings(*statuses: str, codes=()):
    return {"codes": list(codes), "uncertain": [],
            "mentions": [{"concept": "BREATH_WORD", "status": s} for s in statuses]}


def review(p, found, judged=None, text=LONG):
    return model(p).review(text, found, judged or {})


def test_where_the_rules_are_silent_a_likely_emergency_refers_and_a_caution_code_never():
    out = review(0.8, findings())
    assert out["codes"] == ["pe_signs"] and "dvt_signs" not in out["uncertain"]


def test_where_the_rules_judged_the_words_not_about_now_only_near_certainty_refers():
    judged = {"pe_signs": {"BREATH_WORD"}}
    quiet = review(0.9, findings("negated"), judged)
    assert quiet["codes"] == [] and quiet["uncertain"] == []  # "no chest pain" stays clear
    sure = review(CERTAIN + 0.01, findings("negated"), judged)
    assert sure["codes"] == ["pe_signs"]  # "can't walk to the bus stop without gasping"


def test_a_client_listing_what_they_do_not_have_gets_a_question_unless_the_model_is_all_but_sure():
    assert review(0.8, findings("negated"))["uncertain"] == ["pe_signs"]
    assert review(CERTAIN + 0.01, findings("negated"))["codes"] == ["pe_signs"]


@pytest.mark.parametrize("judged", [{}, {"pe_signs": {"BREATH_WORD"}}])
def test_a_short_message_is_never_referred_on_the_models_word_alone(judged):
    assert len(SHORT.split()) < MIN_WORDS_TO_REFER
    assert review(0.99, findings(), judged, SHORT)["codes"] == []


def test_it_never_removes_what_the_rules_found():
    out = review(0.01, findings(codes=["dvt_signs"]))
    assert out["codes"] == ["dvt_signs"]


def test_where_the_client_says_it_is_over_or_fine_not_even_near_certainty_refers():
    found = findings("resolved")  # "got my breath back in a minute", "my chest is fine"
    assert review(0.99, found, {"pe_signs": {"BREATH_WORD"}})["codes"] == []


def test_a_supposed_finding_is_not_referred_on_the_models_word():
    found = {"codes": [], "uncertain": [],
             "mentions": [{"concept": "PALE_LIMB", "status": "hypothetical"}]}
    assert review(0.99, found, {"pe_signs": {"PALE_LIMB"}})["codes"] == []


def test_someone_elses_finding_is_not_referred_on_the_models_word():
    found = {"codes": [], "uncertain": [],
             "mentions": [{"concept": "BLADDER_WORD", "status": "other_person"}]}
    assert review(0.99, found, {"pe_signs": {"BLADDER_WORD"}})["codes"] == []


def test_someone_elses_finding_the_model_is_sure_of_is_theirs_if_they_are_with_the_client():
    """"he's clutching his chest ... his left arm aches": the rules read it as someone else's; where
    the model is all but sure, the code is kept as theirs (codes_if_with_them), which the
    conversation counts once a message says they are with the client. Not when it is long past or
    the message denies something."""
    def now():
        return {"codes": [], "uncertain": [], "mentions": [{"concept": "BLADDER_WORD", "status": "other_person"}]}
    found = review(0.99, now(), {"pe_signs": {"BLADDER_WORD"}})
    assert (found["codes"], found["codes_if_with_them"]) == ([], ["pe_signs"])
    past = {"codes": [], "uncertain": [],
            "mentions": [{"concept": "BLADDER_WORD", "status": "other_person", "historic": True}]}
    assert review(0.99, past, {"pe_signs": {"BLADDER_WORD"}})["codes_if_with_them"] == []
    denied = {"codes": [], "uncertain": [], "mentions": [
        {"concept": "BLADDER_WORD", "status": "other_person"}, {"concept": "BREATH_WORD", "status": "negated"}]}
    assert review(0.99, denied, {"pe_signs": {"BLADDER_WORD"}})["codes_if_with_them"] == []
    assert review(0.9, now(), {"pe_signs": {"BLADDER_WORD"}})["codes_if_with_them"] == []


def test_a_checklist_of_negatives_that_says_the_rest_is_fine_is_asked_not_referred():
    """"no weakness in my legs and I can pee fine": near certainty on such words is the bag of words
    counting symptom words; a question about it is still asked."""
    text = "back spasm since yesterday, no weakness in my legs and I can pee fine"
    out = review(0.99, findings("negated"), text=text)
    assert out["codes"] == [] and out["uncertain"] == ["pe_signs"]
    asking = "no weakness in my legs, is it normal to feel this odd since this morning?"
    assert review(0.99, findings("negated"), text=asking)["codes"] == ["pe_signs"]


def test_words_the_rules_read_as_ruling_the_code_out_are_never_referred_on_the_models_word():
    """"my pee looks normal", "a suicide grip on bench press": an `except` phrase of the code's own
    concept says what the words are; near certainty does not overrule it."""
    ruled_out = {"pe_signs": {"BREATH_WORD"}}
    out = model(0.99).review(LONG, findings(), {"pe_signs": {"BREATH_WORD"}}, ruled_out)
    assert out["codes"] == [] and out["uncertain"] == []
    assert model(0.99).review(LONG, findings(), {}, {})["codes"] == ["pe_signs"]


def test_a_message_the_rules_read_as_long_past_is_asked_not_referred():
    """"my left side has always been a bit weaker, since I was a kid": every word the rules read is
    historic, so a bag of words (which cannot tell when) may ask, and refers only when all but sure."""
    found = {"codes": [], "uncertain": [],
             "mentions": [{"concept": "WEAKNESS", "status": "affirmed", "historic": True}]}
    out = review(0.8, found)
    assert out["codes"] == [] and out["uncertain"] == ["pe_signs"]
    assert review(CERTAIN + 0.01, {**found, "mentions": list(found["mentions"])})["codes"] == ["pe_signs"]
    # one word about now is enough for the model's usual say
    now = {"codes": [], "uncertain": [], "mentions": found["mentions"] + [
        {"concept": "BREATH_WORD", "status": "affirmed", "historic": False}]}
    assert review(0.8, now)["codes"] == ["pe_signs"]
