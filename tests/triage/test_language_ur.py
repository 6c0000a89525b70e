"""Urdu (knowledge/languages/ur.yml), in Urdu script and in Latin letters (Roman Urdu): emergencies are
read through its glossary by the English red-flag rules; negated findings, other people's past,
hypotheticals and plain self-care questions are left alone. py3langid has no Roman Urdu (it calls it
Swahili, German, English...): `romanised: true` lets the glossary that reads the message decide
(bot/triage/language.py). Sentences written here for these tests."""
import pytest

from bot.triage.language import fold
from tests.triage.glossary_checks import caught_in, left_alone, named_by_its_glossary

caught = caught_in("ur")


@pytest.mark.parametrize("text, code", [
    # Roman Urdu
    ("seene mein dard hai aur saans nahi aa rahi", "pe_signs"),
    ("khansi mein khoon aa raha hai aur saans phool rahi hai", "pe_signs"),
    ("seene par bojh hai jo bazu tak ja raha hai aur thanda pasina aa raha hai", "cardiac_signs"),
    ("achanak mera chehra ek taraf latak gaya aur zaban larkhara rahi hai", "stroke_signs"),
    ("main marna chahta hoon, jeene ka dil nahi karta", "self_harm"),
    ("khud ko nuqsan pohanchane ka soch raha hoon, mere baghair sab behtar hain", "self_harm"),
    ("mujhe bukhar hai aur gardan akar gayi hai", "sepsis_meningitis"),
    ("bukhar ke sath shadeed sar dard aur kuch samajh nahi aa raha", "sepsis_meningitis"),
    ("meri taang achanak thandi aur safed ho gayi hai", "limb_ischaemia"),
    ("kamar mein dard hai aur peshab par control nahi raha", "cauda_equina"),
    ("kamar dard ke sath dono tangen kamzor ho gayi hain", "cauda_equina"),
    ("gym ke baad peshab ka rang kala hai aur pathon mein shadeed dard hai", "rhabdo_signs"),
    ("plaster bahut tight hai aur dard bardasht se bahar hai", "compartment_signs"),
    ("dard ki goli se bhi farq nahi par raha, gir gaya tha aur shadeed dard hai", "compartment_signs"),
    ("meri pindli suji hui hai, laal aur garam hai", "dvt_signs"),
    ("main gir gaya aur ab paon par wazan nahi daal sakta", "acute_injury"),
    ("zakhm se peep nikal rahi hai aur laali phail rahi hai", "infection_signs"),
    ("haath mein jhunjhunahat aur sunn pan hai", "neuro_symptoms"),
    ("nas charh gayi hai aur ultiyan aur dast bhi hain", "systemic_illness"),
    ("main haamla hoon aur pindli mein nas charh jati hai", "pregnancy"),
    ("do hafte pehle ghutne ka operation hua tha", "recent_surgery"),
    ("mujhe haddiyon ki kamzori hai, kya malish theek hai", "osteoporosis"),
    ("main khoon patla karne ki dawai leta hoon", "vascular_condition"),
    ("cholesterol ki dawai shuru ki aur ab akran hoti hai", "medication_related"),
    ("abhi pindli mein nas charh gayi hai, bahut shadeed dard hai", "active_spasm"),
    # Urdu script
    ("میرے سینے میں درد ہے اور سانس نہیں آ رہی", "pe_signs"),
    ("سینے میں دباؤ ہے جو جبڑے تک جا رہا ہے اور جی متلا رہا ہے", "cardiac_signs"),
    ("میرا منہ ٹیڑھا ہو گیا ہے اور بازو نہیں اٹھا پا رہا", "stroke_signs"),
    ("میں خودکشی کے بارے میں سوچ رہی ہوں", "self_harm"),
    ("تیز بخار ہے اور روشنی سے آنکھوں میں درد ہوتا ہے", "sepsis_meningitis"),
    ("میرا پاؤں ٹھنڈا اور نیلا ہو گیا ہے اور میں انگلیاں ہلا نہیں سکتا", "limb_ischaemia"),
    ("کمر میں درد ہے اور ٹانگوں کے بیچ کچھ محسوس نہیں ہوتا", "cauda_equina"),
    ("جم کے بعد پیشاب کا رنگ چائے جیسا ہے", "rhabdo_signs"),
    ("چوٹ لگی تھی اور اب ٹانگ پتھر جیسا سخت اور سوجی ہوئی ہے", "compartment_signs"),
    ("پنڈلی سوج گئی ہے اور گرم ہے", "dvt_signs"),
])
def test_urdu_emergencies_are_caught(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("mere seene mein dard nahi hai aur saans theek aa rahi hai", "cardiac_signs"),
    ("mere seene mein dard nahi hai aur saans theek aa rahi hai", "pe_signs"),
    ("میرے سینے میں درد نہیں ہے", "cardiac_signs"),
    ("meri ammi ko saalon pehle falij hua tha", "stroke_signs"),
    ("میرے ابو کو کئی سال پہلے فالج ہوا تھا", "stroke_signs"),
    ("dil ke daure ki alamat kya hain? bas pooch raha hoon", "cardiac_signs"),
    ("bukhar nahi hai, bas gardan mein khinchao hai", "sepsis_meningitis"),
    ("agar chehra latak jaye to kya karna chahiye", "stroke_signs"),
    ("pindli ki nas charh jaye to kaise stretch karun", "dvt_signs"),
    ("کیا میں گرم پانی سے سکائی کر سکتا ہوں", "dvt_signs"),
])
def test_what_urdu_leaves_alone(triage, text, code):
    left_alone(triage, text, code)


# --- bot/triage/language.py: Roman Urdu routed by its glossary; one spelling for each Arabic-script letter

@pytest.mark.parametrize("text", [
    "seene mein dard hai aur saans nahi aa rahi",          # py3langid: Swahili
    "kamar mein dard hai aur peshab par control nahi raha",  # py3langid: German, 1.0
])
def test_roman_urdu_is_named_urdu_whatever_py3langid_says(triage, text):
    named_by_its_glossary(triage, text, "ur")


@pytest.mark.parametrize("text, language", [
    ("me duele el pecho y me falta el aire", "es"),
    ("ma mère a eu un AVC il y a des années", "fr"),
    ("mein Bein ist kalt und taub", "de"),
])
def test_a_romanised_glossary_does_not_take_other_latin_languages(triage, text, language):
    assert triage.languages.named(text) == language
    assert triage.languages.best_glossary(text) == language


def test_urdu_and_arabic_keyboards_spell_alike():
    # Urdu yeh/keheh/heh and Arabic yeh/kaf/heh, Egyptian final ى, teh marbuta, tatweel, hamza
    assert fold("میری کمر") == fold("ميري كمر")
    assert fold("عندى") == fold("عندي")
    assert fold("حرارة") == fold("حراره")
    assert fold("صـــدري") == fold("صدري")
    assert fold("ألم") == fold("الم")
