"""Masking of what clients type: e-mails, phone numbers, names (bot.review.pii)."""
import pytest

from bot.review.pii import Masker, find_names, mask_identifier


@pytest.mark.parametrize("text, masked", [
    ("my email is alice.smith+x@example.co.uk", "my email is [email]"),
    ("call 07700 900123 please", "call [phone] please"),
    ("+44 (0)20 7946 0958 or 020-7946-0958", "[phone] or [phone]"),
    ("NHS number 943 476 5919", "NHS number [phone]"),
    ("hi, my name is Alice Smith", "hi, my name is [name] [name]"),
    ("my name is alice and my calf hurts", "my name is [name] and my calf hurts"),
    ("I'm Sarah, my calf hurts", "I'm [name], my calf hurts"),
    ("thanks, Tom", "thanks, [name]"),
    ("call me bob please", "call me [name] please"),
])
def test_contact_details_and_names_are_masked(text, masked):
    assert Masker([text])(text) == masked


@pytest.mark.parametrize("text", [
    "it hurts 7/10 for 10 minutes, 3 weeks now since 2019",
    "I'm tired and sore", "I'm not sure if it's swollen", "it's cramping again",
    "I am 45 years old", "Thanks so much", "I'm pregnant, 30 weeks",
    "my left calf is swollen, red and warm", "I drink 2 litres a day and run 5 10 15 km",
])
def test_clinical_details_are_kept(text):
    assert Masker([text])(text) == text
    assert not find_names(text)


def test_a_name_given_once_is_masked_everywhere_in_the_conversation():
    texts = ["hello, this is Maria", "Maria again: still cramping", "maria here"]
    mask = Masker(texts)
    assert [mask(t) for t in texts] == ["hello, this is [name]", "[name] again: still cramping",
                                        "[name] here"]
    assert Masker(["Maria again"])("Maria again") == "Maria again"  # no cue, no name


def test_sender_ids_with_contact_details_are_masked():
    assert mask_identifier("whatsapp:+447700900456") == "whatsapp:[phone]"
    assert mask_identifier("someone@example.com") == "[email]"
    assert mask_identifier("3f2a9c08d1e44b7f") == "3f2a9c08d1e44b7f"
