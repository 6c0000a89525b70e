"""actions/memory.py and the assessment form's use of it: what the client already said, in any turn
and any order, fills the assessment; the form asks only what is missing (issue 16, point 2).

Trackers are built as the action server receives them (tests/conftest.py make_tracker); earlier
turns are `user` events carrying the entities the NLU gave them.
"""
import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions import memory
from actions.assessment import ValidateAssessmentForm
from tests.conftest import make_tracker

SLOTS = ["spasm_area", "spasm_onset", "spasm_activity", "spasm_severity", "medical_history"]


def area(value):
    return [{"entity": "body_part", "value": value, "start": 0, "end": 1}]


def user(text, entities=None):
    return {"event": "user", "text": text, "parse_data": {"entities": entities or []}}


def extracted(tracker):
    """What the form's extract_<slot> methods fill for this message, merged."""
    form = ValidateAssessmentForm()
    filled = {}
    for slot in SLOTS:
        filled.update(asyncio.run(getattr(form, f"extract_{slot}")(CollectingDispatcher(), tracker, {})))
    return filled


def starting(text, earlier=(), entities=None, intent="inform"):
    """The form's first run, on `text`, after the earlier (text, entities) turns."""
    events = [user(t, e) for t, e in earlier] + [user(text, entities)]
    return make_tracker(text=text, intent=intent, entities=entities, events=events,
                        active_loop="assessment_form")


def answering(slot, text, entities=None, **slots):
    return make_tracker(text=text, intent="inform", entities=entities,
                        slots={"requested_slot": slot, **slots}, active_loop="assessment_form",
                        events=[user(text, entities)])


# --- what one message says ------------------------------------------------------------------------
def test_memory_reads_onset_only_when_the_message_says_when_it_started():
    assert "spasm_onset" in memory.said_in({"text": "it just started this morning"})
    assert "spasm_onset" in memory.said_in({"text": "been like this for weeks"})
    assert "spasm_onset" not in memory.said_in({"text": "can I go for a run today?"})


def test_memory_reads_an_activity_clause_even_for_an_activity_it_has_no_words_for():
    assert "spasm_activity" in memory.said_in({"text": "when I lifted a box"})
    assert "spasm_activity" in memory.said_in({"text": "it went after my run"})
    assert "spasm_activity" not in memory.said_in({"text": "hot or cold for my back spasm?"})


def test_memory_reads_a_severity_said_unasked_only_as_a_score_or_a_clear_word():
    assert "spasm_severity" in memory.said_in({"text": "about 6 out of 10"})
    assert "spasm_severity" in memory.said_in({"text": "it's agony"})
    assert "spasm_severity" not in memory.said_in({"text": "it started 3 days ago"})
    assert "spasm_severity" not in memory.said_in({"text": "I have bad posture"})


# --- earlier turns fill the assessment at its start ---------------------------------------------------
def test_memory_area_from_an_earlier_question_is_not_asked_again():
    tracker = starting("it just started this morning",
                       earlier=[("hot or cold for my back spasm?", area("lower_back"))])
    filled = extracted(tracker)
    assert filled.get("spasm_area") == "lower_back"
    assert filled.get("spasm_onset") == "it just started this morning"
    assert "spasm_activity" not in filled


def test_memory_activity_and_severity_said_earlier_fill_the_form_at_its_start():
    tracker = starting("my calf keeps cramping", entities=area("calf"),
                       earlier=[("it happened when I lifted a box, about 6 out of 10", None)])
    filled = extracted(tracker)
    assert filled["spasm_area"] == "calf"
    assert "lifted a box" in filled["spasm_activity"]
    assert "6 out of 10" in filled["spasm_severity"]


def test_memory_a_later_mention_wins_over_an_earlier_one():
    tracker = starting("my neck is tight too", entities=area("neck"),
                       earlier=[("my calf cramps", area("calf"))])
    assert extracted(tracker)["spasm_area"] == "neck"


def test_memory_forgets_what_was_said_before_the_session_restarted():
    tracker = starting("my calf keeps cramping", entities=area("calf"))
    tracker.events[:0] = [user("about 6 out of 10", None), {"event": "session_started"}]
    assert "spasm_severity" not in extracted(tracker)


# --- answers out of order ---------------------------------------------------------------------------
def test_memory_an_answer_to_a_question_not_yet_asked_is_kept():
    tracker = answering("spasm_onset", "about 6 out of 10, started yesterday", spasm_area="calf")
    filled = extracted(tracker)
    assert filled["spasm_onset"] == "about 6 out of 10, started yesterday"
    assert filled["spasm_severity"] == "about 6 out of 10, started yesterday"


def test_memory_an_answer_that_only_says_another_item_does_not_answer_this_question():
    tracker = answering("spasm_onset", "about 6 out of 10", spasm_area="calf")
    filled = extracted(tracker)
    assert "spasm_onset" not in filled
    assert filled["spasm_severity"] == "about 6 out of 10"


def test_memory_the_activity_said_with_the_onset_answer_is_not_asked_next():
    tracker = answering("spasm_onset", "yesterday, when I lifted a box", spasm_area="lower_back")
    filled = extracted(tracker)
    assert filled["spasm_activity"] == "yesterday, when I lifted a box"


def test_memory_a_filled_slot_is_never_overwritten_by_an_unasked_mention():
    tracker = answering("spasm_activity", "running, and it's about 3/10 now", spasm_area="calf",
                        spasm_severity="8 out of 10")
    assert "spasm_severity" not in extracted(tracker)


def test_memory_last_area_is_the_most_recently_named():
    tracker = make_tracker(text="show me a stretch", intent="ask_stretching",
                           events=[user("cramps in my calves", area("calf")),
                                   user("show me a stretch")])
    assert memory.last_area(tracker) == "calf"


def test_memory_a_confident_request_for_a_topic_is_not_taken_as_the_answer():
    tracker = make_tracker(text="show me a stretch", intent="ask_stretching",
                           slots={"requested_slot": "spasm_onset", "spasm_area": "calf"},
                           active_loop="assessment_form", events=[user("show me a stretch")])
    assert extracted(tracker) == {}
