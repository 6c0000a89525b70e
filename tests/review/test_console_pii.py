"""Masking of what clients type: e-mails, phone numbers, postcodes, addresses, dates of birth, names
(bot.review.pii), and in time linear in the text, whatever the text."""
import json
import os
import subprocess
import sys

import pytest

from bot.paths import ROOT
from bot.review.pii import MAX_IDENTIFIER_CHARS, TRUNCATED, Masker, find_names, mask_identifier

CONTACT = ". Mail alice@example.com, call 07700 900123. "


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


def test_a_long_sender_id_is_cut_after_masking():
    masked = mask_identifier("alice@example.com " + "x" * 500)
    assert masked.startswith("[email] x") and masked.endswith(TRUNCATED)
    assert len(masked) == MAX_IDENTIFIER_CHARS + len(TRUNCATED)
    before = "x" * (MAX_IDENTIFIER_CHARS - 3)
    cut_in_a_mask = mask_identifier(before + " alice@example.com" + "x" * 9)
    assert cut_in_a_mask == before + " " + TRUNCATED  # not " [e…"


def masked_in_a_child(expression: str, seconds: float = 5.0) -> dict:
    """Masker and mask_identifier on the text `expression` builds, in a Python of their own that is
    killed after `seconds`: a regex backtracking catastrophically holds the GIL, so neither a thread
    nor a signal could stop it in this process."""
    script = ("import json, sys\nfrom bot.review.pii import Masker, mask_identifier\n"
              f"text = {expression}\n"
              "json.dump({'text': Masker([text])(text), 'identifier': mask_identifier(text)}, "
              "sys.stdout)")
    try:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              timeout=seconds)
    except subprocess.TimeoutExpired:
        pytest.fail(f"masking {expression} took more than {seconds} s")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _names(count: int) -> str:
    """An expression for `count` distinct names given one after another, all of 40 letters and
    sharing their first 36 (a list of alternatives compares them all, and far, at every "X")."""
    return ('" ".join("my name is X" + "q" * 35 + "".join(chr(97 + i // 26 ** k % 26) '
            f'for k in range(4)) for i in range({count})) + " my name is Zed"')


@pytest.mark.parametrize("hostile", [
    '"a" * 200_000 + "@"', '"a." * 100_000', '"1" * 200_000', '"a@" + "b." * 100_000',
    '"1-" * 100_000', '"12 aa " * 35_000', '"flat 1, " * 25_000', '"born on 3 " * 20_000',
    '"SW1A " * 40_000', '"my name is " * 20_000', '"name is" + " " * 200_000', _names(12_000),
], ids=["email-local", "email-dots", "digits", "email-domain", "phone", "address", "flat", "birth",
        "postcode", "name-cue", "spaces", "10000-names"])
def test_masking_hostile_text_takes_linear_time_and_still_masks(hostile):
    masked = masked_in_a_child(f"{CONTACT!r} + {hostile} + {CONTACT!r}")
    text, identifier = masked["text"], masked["identifier"]
    assert text.count("[email]") >= 2 and "alice" not in text
    assert "07700" not in text and "900123" not in text
    assert identifier.startswith(". Mail [email], call [phone]")
    assert identifier.endswith(TRUNCATED) and len(identifier) == MAX_IDENTIFIER_CHARS + 1


def test_ten_thousand_names_are_all_masked():
    text = masked_in_a_child(_names(12_000))["text"]
    assert "Xqqq" not in text and "Zed" not in text
    assert text.count("[name]") == 12_001


def test_a_name_right_after_another_names_cue_is_found():
    assert find_names("my name is Ann Lee call me Annie") == {"Ann", "Lee", "Annie"}
    assert find_names("I'm Sarah thanks Tom") == {"Sarah", "Tom"}


@pytest.mark.parametrize("text, masked", [
    ("my postcode is SW1A 1AA", "my postcode is [postcode]"),
    ("it's m1 1ae", "it's [postcode]"),
    ("EC1A1BB, W1A 0AX, B33 8TH, CR2 6XH, DN55 1PT", ", ".join(["[postcode]"] * 5)),
    ("I live at 12 Acacia Avenue", "I live at [address]"),
    ("Flat 3, 45 High Street, London", "[address], London"),
    ("12 acacia avenue, sw1a 1aa", "[address], [postcode]"),
    ("221b Baker St.", "[address]."),
    ("dob 03/04/1985", "dob [date of birth]"),
    ("I was born on 3 April 1985", "I was born on [date of birth]"),
    ("date of birth: 1985-04-03", "date of birth: [date of birth]"),
    ("DOB 03-04-1985", "DOB [date of birth]"),  # not a phone number
    ("my birthday is April 3rd, 1985", "my birthday is [date of birth]"),
    ("my birthday is on 3 Apr", "my birthday is on [date of birth]"),
    ("born on the 3rd of april 85", "born on the [date of birth]"),
    ("my d.o.b. is 3/4/85", "my d.o.b. is [date of birth]"),
])
def test_postcodes_addresses_and_dates_of_birth_are_masked(text, masked):
    assert Masker([text])(text) == masked


@pytest.mark.parametrize("text", [
    "it started 3 days ago", "it lasts 10 to 15 minutes", "it started on 3 April 2024",
    "I walked 2 miles up the hill and 5 laps of the park", "a 20 minute walk makes it worse",
    "3 bad nights in a row, pain 7/10 at 10:30", "I was born 3 weeks early",
    "I take b12 1mg and 400mg ibuprofen", "cramp 2 or 3 times a week since 2019-04",
    "I was born with flat feet",
])
def test_times_durations_and_symptoms_are_not_taken_for_addresses_or_birth_dates(text):
    assert Masker([text])(text) == text
