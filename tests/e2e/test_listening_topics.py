"""A conversation that listens (issue 16, points 1, 5 and 6), over HTTP against the real assistant.

- every self-care topic asked in one message is answered, in one short reply (advice_topics for each);
- what the findings forbid stays forbidden among several topics;
- phone-first: short replies, "More on ..." buttons that give the full answer, a muscle's stretch
  button that shows that stretch, "Another stretch" that shows a different one, nothing sent twice
  in a row;
- a spasm happening now gets what to do now before any question.
"""
import pytest

from bot.knowledge_files import read_yaml

from .support import REFERRAL_REASON, SAFETY_NOTE, Chat, buttons_of, describe, questions_in, text_of, topics

STRETCHES = read_yaml("knowledge/stretches.yml")["stretches"]
TOPICS = read_yaml("knowledge/topics.yml")["topics"]
PHONE_CHARS = 600


def short(messages) -> bool:
    """The turn fits about a phone screen (the once-a-conversation safety note aside)."""
    return len(text_of(messages).replace(SAFETY_NOTE, "").strip()) <= PHONE_CHARS


# --- every topic asked, one short reply ----------------------------------------------------------
@pytest.mark.parametrize("message, asked", [
    ("any stretches? also is a hot shower ok?", {"stretching", "heat"}),
    ("should I drink more water and is heat ok?", {"hydration", "heat"}),
    ("can I still go to the gym, and would a foam roller help?", {"activity", "self_massage"}),
    ("how do I stop them coming back, and do I need to see a GP?", {"seek_help"}),
    ("is it worth booking a massage, or should I just rest it?", {"massage_treatment", "activity"}),
])
def test_every_topic_asked_in_one_message_is_answered_in_one_short_reply(assistant, message, asked):
    chat = Chat(assistant)
    messages = chat.say(message)
    assert asked <= set(topics(chat.slots())), chat.transcript()
    assert len(messages) == 1 and short(messages), chat.transcript()


@pytest.mark.parametrize("message", [
    "my calves keep cramping at night, should I stretch before bed and drink more?",
    "I've had a tight lower back since Monday. Can I use a heat pack, and is it ok to keep walking?",
])
def test_topics_asked_with_a_report_are_answered_before_any_question(assistant, message):
    chat = Chat(assistant)
    messages = chat.say(message)
    assert len(set(TOPICS) & set(topics(chat.slots()))) >= 2, chat.transcript()
    assert not questions_in(messages[:1]), chat.transcript()


def test_among_several_topics_a_forbidden_one_is_replaced_by_the_reason(assistant):
    chat = Chat(assistant)
    chat.say("my calf is red, hot and swollen")
    reply = text_of(chat.say("can I stretch it, and should I drink more water?"))
    assert REFERRAL_REASON in reply, chat.transcript()
    assert "hydration" in topics(chat.slots())
    assert "stretching" not in topics(chat.slots()), chat.transcript()


def test_the_more_buttons_give_each_topics_full_answer(assistant):
    chat = Chat(assistant)
    buttons = buttons_of(chat.say("should I drink more water and can I keep exercising?"))
    assert [b["title"] for b in buttons] == [TOPICS["hydration"]["more"]["title"],
                                             TOPICS["activity"]["more"]["title"]], chat.transcript()
    for button, words in zip(buttons, ["straw-coloured", "gentle movement usually helps"]):
        assert words in text_of(chat.say(button["payload"])), chat.transcript()


# --- stretch buttons do what they say ---------------------------------------------------------------
@pytest.mark.parametrize("area", sorted(STRETCHES))
def test_a_muscles_stretch_button_shows_that_stretch_and_another_shows_a_different_one(assistant, area):
    chat = Chat(assistant)
    messages = chat.say(STRETCHES[area]["ask"])
    assert STRETCHES[area]["name"].lower() in text_of(messages), chat.transcript()
    another = buttons_of(messages)[0]
    assert another["title"].startswith("Another stretch"), describe(messages)
    other = STRETCHES[STRETCHES[area]["another"]]["name"].lower()
    reply = text_of(chat.say(another["payload"]))
    assert other in reply and STRETCHES[area]["name"].lower() not in reply, chat.transcript()


def test_the_same_stretch_asked_again_is_never_sent_twice_in_a_row(assistant):
    chat = Chat(assistant)
    first = text_of(chat.say("show me a calf stretch"))
    second = text_of(chat.say("show me a calf stretch"))
    assert second != first and second.replace(SAFETY_NOTE, "") not in first, chat.transcript()


# --- a spasm happening now --------------------------------------------------------------------------
@pytest.mark.parametrize("message", [
    "my calf is cramping right now, it's agony",
    "my back has just gone into spasm right now and I can barely move",
    "my hamstring is seizing up as we speak",
])
def test_a_spasm_happening_now_gets_what_to_do_now_first(assistant, message):
    chat = Chat(assistant)
    messages = chat.say(message)
    assert "if it's cramping right now" in (messages[0].get("text") or "").lower(), chat.transcript()
    assert "active_spasm" in topics(chat.slots())
    assert not questions_in(messages[:1]), chat.transcript()


# --- an open request for self-care ------------------------------------------------------------------
@pytest.mark.parametrize("turns", [
    ["my feet cramp after long walks", "what helps"],
    ["I get cramp in my thighs after football", "any tips?"],
    ["whats good for a tight neck from the laptop"],
])
def test_an_open_request_after_a_report_gets_self_care(assistant, turns):
    chat = Chat(assistant)
    for turn in turns:
        messages = chat.say(turn)
    assert set(TOPICS) & set(topics(chat.slots())), chat.transcript()
    assert "i can:" not in text_of(messages).lower(), chat.transcript()  # not the capabilities list
