"""A conversation that listens (issue 16, points 2-4), over HTTP against the real assistant:
nothing said is asked again, follow-ups are read against the conversation, unsure messages get a
clarifying question, pain outside muscles gets where to go, and red flags still interrupt."""
from .support import Chat, buttons_of, describe, flags, questions_in, text_of, topics


# --- memory: what was said, in any turn and any order, is not asked ----------------------------------
def test_memory_area_named_in_an_earlier_question_is_not_asked(assistant):
    chat = Chat(assistant)
    chat.say("hot or cold for my back spasm?")
    asked = questions_in(chat.say("it just started this morning"))
    assert "spasm_area" not in asked and "spasm_onset" not in asked, chat.transcript()
    assert chat.slots()["spasm_area"] == "lower_back"


def test_memory_activity_given_with_another_answer_is_not_asked(assistant):
    chat = Chat(assistant)
    assert questions_in(chat.say("my lower back went into spasm")) == ["spasm_onset"], chat.transcript()
    asked = questions_in(chat.say("yesterday, when I lifted a box"))
    assert asked == ["spasm_severity"], chat.transcript()


def test_memory_an_answer_out_of_order_is_used(assistant):
    chat = Chat(assistant)
    chat.say("my calf keeps cramping")
    asked = questions_in(chat.say("about 6 out of 10, started yesterday"))
    assert asked == ["spasm_activity"], chat.transcript()
    asked = questions_in(chat.say("I was running"))
    assert asked == ["medical_history"], chat.transcript()
    slots = chat.slots()
    assert "6 out of 10" in slots["spasm_severity"] and "yesterday" in slots["spasm_onset"]


# --- follow-ups ------------------------------------------------------------------------------------
def test_follow_up_which_one_is_decided_by_when_it_started(assistant):
    chat = Chat(assistant)
    chat.say("hot or cold for my back spasm?")
    messages = chat.say("so which one should I use? it only started today")
    reply = text_of(messages)
    assert "ice is the one" in reply and "didn't quite get that" not in reply, chat.transcript()
    assert "ice" in topics(chat.slots())


def test_follow_up_stretches_button_after_naming_a_muscle_gives_its_stretch(assistant):
    chat = Chat(assistant)
    chat.say("cramps in my calves")
    messages = chat.say("show me a stretch")
    assert "wall calf stretch" in text_of(messages), chat.transcript()
    # the question it interrupted comes again after the answer, it is not answered by the request
    assert questions_in(messages) == ["spasm_onset"], chat.transcript()


def test_follow_up_another_one_gives_more_for_the_same_muscle(assistant):
    chat = Chat(assistant)
    chat.say("what's a good stretch for my calf?")
    reply = text_of(chat.say("any other ones?"))
    assert "heel raises" in reply and "you're welcome" not in reply, chat.transcript()


def test_follow_up_what_can_i_do_myself_after_a_report_gives_advice(assistant):
    chat = Chat(assistant)
    chat.say("my neck has been in spasm since this morning")
    reply = text_of(chat.say("what can I do about it myself?"))
    assert "ice" in reply and "neck" in reply, chat.transcript()
    assert {"ice", "stretching"} <= set(topics(chat.slots())), chat.transcript()


# --- no guessing: out-of-domain pain, clarifying question ---------------------------------------------
def test_clarify_period_pain_is_told_the_scope_and_where_to_go(assistant):
    chat = Chat(assistant)
    messages = chat.say("I have really bad period cramps")
    reply = text_of(messages)
    assert reply.startswith("i help with muscle spasms and cramps") and "pharmacist" in reply, \
        describe(messages)
    slots = chat.slots()
    assert not topics(slots) and not questions_in(messages), chat.transcript()


def test_clarify_an_unsure_message_gets_the_likeliest_topics_as_buttons(assistant):
    chat = Chat(assistant)
    messages = chat.say("they wake me up most nights, is that normal?")
    reply = text_of(messages)
    assert "not sure i understood" in reply, describe(messages)
    assert 3 <= len(buttons_of(messages)) <= 4, describe(messages)
    assert "glad you've been seen" not in reply


# --- red flags still interrupt at the turn they appear ---------------------------------------------
def test_red_flag_in_a_follow_up_interrupts(assistant):
    chat = Chat(assistant)
    chat.say("hot or cold for my calf cramp?")
    messages = chat.say("which one should I use? my calf is swollen, red and hot to touch")
    assert "dvt_signs" in flags(chat.slots()), chat.transcript()
    assert "ice is the one" not in text_of(messages)
