"""actions/reading.py: how the assessment reads a client's free-text answers.

The readings choose the advice: acute onset -> ice, chronic -> heat (SC3); the trigger picks the
prevention advice (AS3); a high score or "can't move it" adds when to get help (SC6).
The rules are the real knowledge/assessment.yml and knowledge/triggers.yml.
"""
import pytest

from actions import reading
from actions.knowledge import knowledge
from bot.knowledge_files import read_yaml


@pytest.fixture(scope="module")
def onset_rules():
    return knowledge()["assessment"]["onset"]


@pytest.fixture(scope="module")
def severity_rules():
    return knowledge()["assessment"]["severity"]


@pytest.fixture(scope="module")
def triggers():
    return knowledge()["triggers"]


# --- onset_kind -----------------------------------------------------------------------------------
@pytest.mark.parametrize("answer", [
    "started today",
    "yesterday",
    "2 days ago",
    "this morning",
    "since last night",
    "it started a few days ago",    # the "A few days ago" button
    "for 2 days",
    "it just came on suddenly",
])
def test_recent_onset_is_acute(onset_rules, answer):
    assert reading.onset_kind(answer, onset_rules) == "acute"


@pytest.mark.parametrize("answer", [
    "for 3 weeks",
    "months",
    "on and off for ages",
    "I've had it for a couple of weeks",
    "3 weeks ago",
    "it has been going on for weeks or longer",   # the "Weeks or longer" button
    "it keeps coming back",
])
def test_long_running_onset_is_chronic(onset_rules, answer):
    assert reading.onset_kind(answer, onset_rules) == "chronic"


@pytest.mark.parametrize("answer", ["dunno", "skipped", "not sure", "", None])
def test_onset_that_tells_nothing_is_unknown(onset_rules, answer):
    assert reading.onset_kind(answer, onset_rules) is None


def test_a_stated_duration_outweighs_onset_words(onset_rules):
    # "on and off" is a chronic word, but two days is acute
    assert reading.onset_kind("on and off for 2 days", onset_rules) == "acute"
    # "yesterday" is an acute word, but it has been going for months
    assert reading.onset_kind("worse since yesterday but I've had it for months", onset_rules) == "chronic"


def test_onset_between_acute_and_chronic_is_unknown(onset_rules):
    # acute is up to 3 days, chronic from 2 weeks: 5 days is neither, so both heat and ice are offered
    assert reading.onset_kind("5 days ago", onset_rules) is None


# --- trigger_key ----------------------------------------------------------------------------------
@pytest.mark.parametrize("answer, key", [
    ("I was running", "exercise"),
    ("at the gym doing squats", "exercise"),
    ("playing football", "exercise"),
    ("training for a marathon", "exercise"),
    ("I was asleep in bed", "night"),
    ("it woke me up in the middle of the night", "night"),
    ("I was sitting at a desk", "desk"),
    ("long day on the laptop", "desk"),
    ("driving the car", "desk"),
    ("it was a really hot day and I was sweating loads", "heat_sweating"),
    ("sat in the sauna", "heat_sweating"),
    ("moving house, carrying heavy boxes", "overuse"),
    ("gardening all weekend", "overuse"),
    ("I'm 30 weeks pregnant", "pregnancy"),
    ("I'm pregnant", "pregnancy"),
    ("I'm not sure", "unknown"),
    ("dunno, it came out of nowhere", "unknown"),
])
def test_lay_answers_map_to_their_trigger(triggers, answer, key):
    assert reading.trigger_key(answer, triggers) == key


def test_button_payloads_map_to_their_triggers(triggers):
    (question,) = read_yaml("domain.yml")["responses"]["utter_ask_spasm_activity"]
    buttons = question["buttons"]
    keys = {b["payload"]: reading.trigger_key(b["payload"], triggers) for b in buttons}
    assert keys == {
        "I was exercising": "exercise",
        "I was asleep in bed": "night",
        "I was sitting at a desk": "desk",
        "I'm not sure": "unknown",
    }


def _payloads(slot):
    (question,) = read_yaml("domain.yml")["responses"][f"utter_ask_{slot}"]
    return [b["payload"] for b in question["buttons"] if b["payload"] != "skip"]


def test_onset_button_payloads_read_as_acute_or_chronic():
    onset = knowledge()["assessment"]["onset"]
    assert {p: reading.onset_kind(p, onset) for p in _payloads("spasm_onset")} == {
        "it started today": "acute",
        "it started a few days ago": "acute",
        "it has been going on for weeks or longer": "chronic",
    }


def test_severity_button_payloads_read_as_their_scores():
    severity = knowledge()["assessment"]["severity"]
    assert [reading.severity_score(p, severity) for p in _payloads("spasm_severity")] == [2, 5, 8]


@pytest.mark.parametrize("answer", ["cardio", "I was careful", "a scar", "randomly"])
def test_trigger_words_match_whole_words_only(triggers, answer):
    # "car" (desk) must not be found inside "cardio", "careful" or "scar"
    assert reading.trigger_key(answer, triggers) != "desk"


def test_cardio_matches_nothing_rather_than_car(triggers):
    assert reading.trigger_key("cardio", triggers) is None


def test_training_is_exercise_not_a_train_journey(triggers):
    assert reading.trigger_key("training", triggers) == "exercise"
    assert reading.trigger_key("on the train", triggers) == "desk"


def test_longest_matching_phrase_wins(triggers):
    # "running" (exercise) is longer than "train" (desk)
    assert reading.trigger_key("running for the train", triggers) == "exercise"


@pytest.mark.parametrize("answer", ["", None, "xyz"])
def test_no_trigger_found(triggers, answer):
    assert reading.trigger_key(answer, triggers) is None


# --- severity_score -------------------------------------------------------------------------------
@pytest.mark.parametrize("answer, score", [
    ("about a 7", 7),
    ("8/10", 8),
    ("8 / 10", 8),
    ("9 out of 10", 9),
    ("10/10", 10),
    ("0", 0),
    ("it's mild, about 2 out of 10", 2),      # the "Mild" button: the number, not a word
    ("it's severe, about 8 out of 10", 8),
    ("mild", 2),
    ("agony", 9),
    ("moderate", 5),
    ("excruciating", 10),
    ("really bad", 7),
    ("not bad", 3),
])
def test_severity_from_numbers_and_words(severity_rules, answer, score):
    assert reading.severity_score(answer, severity_rules) == score


def test_severity_takes_the_worst_word(severity_rules):
    assert reading.severity_score("mild most of the time but agony when it grips", severity_rules) == 9


def test_not_bad_is_not_read_as_bad(severity_rules):
    # "not bad" must not reach the "bad" score, nor the see-someone threshold
    assert reading.severity_score("it's not bad", severity_rules) < reading.severity_score(
        "it's bad", severity_rules)


@pytest.mark.parametrize("answer", ["", None, "skipped", "hard to say"])
def test_no_severity(severity_rules, answer):
    assert reading.severity_score(answer, severity_rules) is None


def test_severe_answers_reach_the_see_someone_threshold(severity_rules):
    threshold = severity_rules["see_someone_from"]
    assert reading.severity_score("agony", severity_rules) >= threshold
    assert reading.severity_score("about a 7", severity_rules) >= threshold
    assert reading.severity_score("mild", severity_rules) < threshold
    assert reading.severity_score("5/10", severity_rules) < threshold


# --- cannot_move ----------------------------------------------------------------------------------
@pytest.mark.parametrize("answer", [
    "I can't move it", "cant walk on it", "I can't turn my head", "I cannot move my neck", "it's locked", "my back is stuck",
    "not normally",
])
def test_cannot_move(severity_rules, answer):
    assert reading.cannot_move(answer, severity_rules) is True


@pytest.mark.parametrize("answer", ["yes I can move it fine", "about a 4", "", None])
def test_can_move(severity_rules, answer):
    assert reading.cannot_move(answer, severity_rules) is False
