"""Panjabi (knowledge/languages/pa.yml), in Gurmukhi and in Latin letters (romanised Panjabi, as British
Panjabi speakers text), and mixed with English: emergencies are read through its glossary by the English
red-flag rules, also when a relative sitting with the patient writes; negated findings, a relative's
past, questions about signs and plain self-care questions are left alone. py3langid knows Panjabi only
in Gurmukhi (it calls romanised Panjabi Dutch or Swahili): `romanised: true` lets the glossary that reads
the message decide (bot/triage/language.py). Sentences written here for these tests."""
import pytest

from bot.triage.language import fold
from tests.triage.glossary_checks import caught_in, left_alone, named_by_its_glossary

caught = caught_in("pa")


@pytest.mark.parametrize("text, code", [
    # breathlessness, pleuritic pain, coughing blood
    ("ਮੇਰੀ ਛਾਤੀ ਵਿੱਚ ਦਰਦ ਹੈ ਤੇ ਸਾਹ ਨਹੀਂ ਆ ਰਿਹਾ", "pe_signs"),
    ("kal ton saah charhda hai te khangh naal khoon aa reha", "pe_signs"),
    ("ਸਾਹ ਲੈਂਦਿਆਂ ਛਾਤੀ ਵਿੱਚ ਚੀਸ ਪੈਂਦੀ ਹੈ", "pe_signs"),
    ("meri chest ch bahut pain aa te saah lena aukha", "pe_signs"),
    ("meri mummy ethe mere kol baithe ne, ohna nu saah nahi aa reha te bulh neele ho gaye", "pe_signs"),
    # chest pain, pressure, spreading, sweating, sickness
    ("ਛਾਤੀ ਤੇ ਭਾਰ ਜਿਹਾ ਹੈ ਜੋ ਖੱਬੀ ਬਾਂਹ ਤੱਕ ਜਾ ਰਿਹਾ ਤੇ ਠੰਡਾ ਪਸੀਨਾ ਆ ਰਿਹਾ", "cardiac_signs"),
    ("chhati vich bahut dard aa, jabade tak janda te jee kacha ho reha", "cardiac_signs"),
    ("chhati te bhaar jeha aa te paseene chhut rahe ne", "cardiac_signs"),
    ("ਮੇਰੇ ਪਿਤਾ ਜੀ ਮੇਰੇ ਕੋਲ ਬੈਠੇ ਹਨ, ਉਹਨਾਂ ਦੀ ਛਾਤੀ ਵਿੱਚ ਦਰਦ ਹੈ ਤੇ ਮੁੜ੍ਹਕਾ ਆ ਰਿਹਾ ਹੈ", "cardiac_signs"),
    # face, one side, speech
    ("ਅਚਾਨਕ ਮੇਰਾ ਮੂੰਹ ਇੱਕ ਪਾਸੇ ਲਟਕ ਗਿਆ ਤੇ ਬੋਲ ਨਹੀਂ ਹੁੰਦਾ", "stroke_signs"),
    ("ikdam khabba paasa sunn ho gaya, bah nai chukk hundi", "stroke_signs"),
    ("mere papa mere kol baithe ne, ohna da mooh tedha ho gaya te gall saaf nahi nikal rahi", "stroke_signs"),
    ("ਮੇਰੀ ਮਾਂ ਮੇਰੇ ਨਾਲ ਬੈਠੀ ਹੈ, ਅਚਾਨਕ ਉਹਨਾਂ ਦੀ ਸੱਜੀ ਬਾਂਹ ਨਹੀਂ ਉੱਠ ਰਹੀ", "stroke_signs"),
    # said directly and indirectly
    ("ਮੈਂ ਮਰਨਾ ਚਾਹੁੰਦਾ ਹਾਂ, ਜਿਉਣ ਨੂੰ ਜੀਅ ਨਹੀਂ ਕਰਦਾ", "self_harm"),
    ("apne aap nu nuksaan pahunchaun bare soch reha haan", "self_harm"),
    ("kade kade lagda mere bina saare sukhi rehnge", "self_harm"),
    ("ਸੋਚਦੀ ਹਾਂ ਸਾਰੀਆਂ ਗੋਲੀਆਂ ਇਕੱਠੀਆਂ ਖਾ ਲਵਾਂ", "self_harm"),
    ("hun hor nahi jhall sakda, sab kujh khatam kar dena chaunda", "self_harm"),
    # fever with a stiff neck, light, headache, rash, blotchy skin, confusion
    ("ਮੈਨੂੰ ਤੇਜ਼ ਬੁਖ਼ਾਰ ਹੈ ਤੇ ਧੌਣ ਆਕੜ ਗਈ ਹੈ", "sepsis_meningitis"),
    ("bukhar aa te roshni naal akhan dukhdiyan, sir phatt reha", "sepsis_meningitis"),
    ("mainu lagda meri chamdi te neele jehe dhabbe pai gaye ne te bukhar vi aa", "sepsis_meningitis"),
    ("ਮੇਰੀ ਧੀ ਨੂੰ ਬੁਖ਼ਾਰ ਹੈ, ਸਰੀਰ ਤੇ ਦਾਣੇ ਨੇ ਜੋ ਗਲਾਸ ਨਾਲ ਦਬਾਉਣ ਤੇ ਵੀ ਨਹੀਂ ਮਿਟਦੇ", "sepsis_meningitis"),
    ("mera munda 19 saal da hai, ohnu bahut tez bukhar aa te kise nu pehchaan nahi reha", "sepsis_meningitis"),
    # a limb suddenly cold, pale, blue, numb, not moving
    ("ਮੇਰੀ ਲੱਤ ਅਚਾਨਕ ਠੰਡੀ ਤੇ ਚਿੱਟੀ ਹੋ ਗਈ ਹੈ", "limb_ischaemia"),
    ("mera pair baraf varga thanda te neela ho gaya, unglan nahi hildiyan", "limb_ischaemia"),
    # back pain with saddle numbness, bladder, both legs
    ("ਲੱਕ ਵਿੱਚ ਦਰਦ ਹੈ ਤੇ ਲੱਤਾਂ ਦੇ ਵਿਚਕਾਰ ਸੁੰਨ ਹੋ ਗਿਆ", "cauda_equina"),
    ("kamar dard de naal pishab te control nahi reha", "cauda_equina"),
    ("pith ch dard aa te doven lattan kamzor ho gayiyan", "cauda_equina"),
    ("ਪਿੱਠ ਦਰਦ ਦੇ ਨਾਲ ਕੱਲ੍ਹ ਤੋਂ ਪਿਸ਼ਾਬ ਨਹੀਂ ਆ ਰਿਹਾ", "cauda_equina"),
    ("ਪਿੱਠ ਦਰਦ ਹੈ ਤੇ ਪਿਸ਼ਾਬ 'ਤੇ ਕਾਬੂ ਨਹੀਂ ਰਿਹਾ", "cauda_equina"),
    # dark urine after exertion, muscle agony
    ("ਜਿੰਮ ਤੋਂ ਬਾਅਦ ਪਿਸ਼ਾਬ ਦਾ ਰੰਗ ਕੋਕ ਵਰਗਾ ਹੈ", "rhabdo_signs"),
    ("kasrat ton baad patthiyan ch bahut tez dard te pishab da rang kaala", "rhabdo_signs"),
    ("spin class ton baad pishab chaa varga aa", "rhabdo_signs"),
    # a tight cast, pain out of proportion, a rock-hard limb after injury
    ("ਪਲੱਸਤਰ ਬਹੁਤ ਤੰਗ ਹੈ ਤੇ ਦਰਦ ਬਰਦਾਸ਼ਤ ਤੋਂ ਬਾਹਰ ਹੈ", "compartment_signs"),
    ("football khedde satt laggi si, hun pinni patthar vargi sakht te sujji hoi aa", "compartment_signs"),
    ("dard di goli naal vi farak nahi painda, latt te satt vajji si", "compartment_signs"),
    ("ਲੱਤ ਤੇ ਸੱਟ ਲੱਗਣ ਤੋਂ ਬਾਅਦ ਪਿੰਨੀ ਪੱਥਰ ਵਰਗੀ ਸਖ਼ਤ ਹੋ ਗਈ ਤੇ ਦਰਦ ਝੱਲਿਆ ਨਹੀਂ ਜਾਂਦਾ", "compartment_signs"),
    # cautions
    ("ਮੇਰੀ ਪਿੰਨੀ ਸੁੱਜੀ ਹੋਈ ਹੈ, ਲਾਲ ਤੇ ਗਰਮ ਵੀ ਹੈ", "dvt_signs"),
    ("pair vich jhunjhuni te sunn pan rehnda", "neuro_symptoms"),
    ("ਮੈਂ ਪੌੜੀਆਂ ਤੋਂ ਡਿੱਗ ਪਈ ਤੇ ਹੁਣ ਪੈਰ ਤੇ ਭਾਰ ਨਹੀਂ ਪਾ ਸਕਦੀ", "acute_injury"),
    ("zakham ch paak pai gayi te laali phail rahi aa", "infection_signs"),
    ("ਖੱਲੀਆਂ ਪੈ ਰਹੀਆਂ ਤੇ ਨਾਲ ਉਲਟੀਆਂ ਤੇ ਦਸਤ ਵੀ ਲੱਗੇ ਹੋਏ ਨੇ", "systemic_illness"),
    ("kai hafteyan ton raat nu khalliyan paindiyan te vadhdiyan ja rahiyan", "persistent_or_worsening"),
    ("ਦੋ ਹਫ਼ਤੇ ਪਹਿਲਾਂ ਗੋਡੇ ਦਾ ਅਪਰੇਸ਼ਨ ਹੋਇਆ ਸੀ", "recent_surgery"),
    ("mainu haddiyan di kamzori hai, ki maalish theek rahegi?", "osteoporosis"),
    ("ਮੈਂ ਖ਼ੂਨ ਪਤਲਾ ਕਰਨ ਵਾਲੀ ਦਵਾਈ ਲੈਂਦਾ ਹਾਂ", "vascular_condition"),
    ("cholesterol di dawai shuru kiti te hun lattan ch khalliyan paindiyan", "medication_related"),
    ("ਪਿੰਨੀ ਤੇ ਖੁੱਲ੍ਹਾ ਜ਼ਖ਼ਮ ਹੈ, ਉੱਥੇ ਮਾਲਿਸ਼ ਕਰ ਸਕਦੇ ਹਾਂ?", "open_wound"),
    ("main pet naal haan te raat nu pinni ch khalli paindi aa", "pregnancy"),
    ("ਹੁਣੇ ਪਿੰਨੀ ਵਿੱਚ ਖੱਲੀ ਪੈ ਗਈ ਹੈ, ਬਹੁਤ ਦਰਦ ਹੋ ਰਿਹਾ", "active_spasm"),
    # inflected verbs: "killing myself" (ਮਾਰਨ), "I (f.) don't want to live" (ਚਾਹੁੰਦੀ)
    ("ਕਈ ਵਾਰ ਸੋਚਦੀ ਹਾਂ ਆਪਣੇ ਆਪ ਨੂੰ ਮਾਰਨ ਦਾ", "self_harm"),
    ("ਹੁਣ ਮੈਂ ਜੀਣਾ ਨਹੀਂ ਚਾਹੁੰਦੀ", "self_harm"),
])
def test_panjabi_emergencies_and_cautions_are_caught(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, codes", [
    ("ਮੇਰੀ ਛਾਤੀ ਵਿੱਚ ਦਰਦ ਨਹੀਂ ਹੈ ਤੇ ਸਾਹ ਠੀਕ ਆ ਰਿਹਾ ਹੈ", ["cardiac_signs", "pe_signs"]),
    ("chhati ch dard nahi, bas modhe akde hoye ne", "cardiac_signs"),
    ("bukhar nahi, bas dhaun thodi jehi akdi aa", "sepsis_meningitis"),
    ("meri pinni ch soj nahi, na laali, bas thoda khichav", "dvt_signs"),
    ("ਮੇਰੇ ਪਿਤਾ ਜੀ ਨੂੰ ਕਈ ਸਾਲ ਪਹਿਲਾਂ ਅਧਰੰਗ ਹੋਇਆ ਸੀ", "stroke_signs"),
    ("papa nu 2018 vich stroke hoya si, hun bilkul theek ne", "stroke_signs"),
    ("meri mummy nu saalan pehlan dil da daura pya si, mainu bas pinni ch khalli paindi", "cardiac_signs"),
    ("ਮੇਰੇ ਦਾਦਾ ਜੀ ਦੀ ਲੱਤ ਕਈ ਸਾਲ ਪਹਿਲਾਂ ਠੰਡੀ ਤੇ ਨੀਲੀ ਹੋ ਗਈ ਸੀ, ਹੁਣ ਠੀਕ ਹਨ", "limb_ischaemia"),
    ("ਮੇਰੀ ਸਹੇਲੀ ਨੂੰ ਪਿਛਲੇ ਸਾਲ ਖ਼ੂਨ ਦਾ ਗਤਲਾ ਹੋਇਆ ਸੀ", ["vascular_condition", "dvt_signs"]),
    ("meri gharwali 2 saal pehlan digg payi si te haddi tutt gayi si", ["compartment_signs", "acute_injury"]),
    ("ਮੇਰੀ ਭੈਣ ਨੂੰ ਦਮਾ ਹੈ ਪਰ ਮੈਨੂੰ ਸਿਰਫ਼ ਪਿੰਨੀ ਵਿੱਚ ਖੱਲੀ ਪੈਂਦੀ ਹੈ", "pe_signs"),
    ("ਦਿਲ ਦੇ ਦੌਰੇ ਦੇ ਲੱਛਣ ਕੀ ਹੁੰਦੇ ਹਨ? ਬੱਸ ਪੁੱਛ ਰਿਹਾ ਹਾਂ", "cardiac_signs"),
    ("ਜੇ ਚਿਹਰਾ ਇੱਕ ਪਾਸੇ ਲਟਕ ਜਾਵੇ ਤਾਂ ਕੀ ਕਰਨਾ ਚਾਹੀਦਾ?", "stroke_signs"),
    ("je pinni ch khalli pai jaave ta kive stretch karan?", ["dvt_signs", "active_spasm"]),
    ("gym ton baad lattan ch akdan aa, par pishab da rang theek hai", "rhabdo_signs"),
    ("ਮੈਂ ਸੋਚ ਰਿਹਾ ਸੀ ਕਿ ਮਾਲਿਸ਼ ਕਰਾਵਾਂ", "self_harm"),
])
def test_what_panjabi_leaves_alone(triage, text, codes):
    left_alone(triage, text, codes)


@pytest.mark.parametrize("text", [
    "ਕੀ ਮੈਂ ਗਰਮ ਪਾਣੀ ਨਾਲ ਸੇਕ ਕਰ ਸਕਦਾ ਹਾਂ?",
    "ਪਿੰਨੀ ਵਿੱਚ ਖਿੱਚ ਪੈ ਗਈ ਹੈ, ਕਿਵੇਂ ਠੀਕ ਕਰਾਂ?",
])
def test_a_plain_self_care_question_in_panjabi_raises_nothing(triage, text):
    found = triage.detect(text)
    assert found["language"] == "pa" and found["codes"] == [], found


# --- bot/triage/language.py: romanised Panjabi routed by its glossary, Roman Urdu still Urdu's

@pytest.mark.parametrize("text", [
    "kal ton saah charhda hai te khangh naal khoon aa reha",   # py3langid: Dutch
    "kamar dard de naal pishab te control nahi reha",          # py3langid: Swahili
])
def test_romanised_panjabi_is_named_panjabi_whatever_py3langid_says(triage, text):
    named_by_its_glossary(triage, text, "pa")


@pytest.mark.parametrize("text", [
    "seene mein dard hai aur saans nahi aa rahi",
    "kamar mein dard hai aur peshab par control nahi raha",
    "meri taang achanak thandi aur safed ho gayi hai",
])
def test_roman_urdu_stays_urdu(triage, text):
    assert triage.languages.best_glossary(text) == "ur"
    assert triage.languages.named(text) == "ur"


def test_gurmukhi_is_named_panjabi(triage):
    text = "ਮੇਰੀ ਛਾਤੀ ਵਿੱਚ ਦਰਦ ਹੈ"
    assert triage.languages.identifier.rank(text)[0][0] == "pa"
    assert triage.languages.named(text) == "pa"


@pytest.mark.parametrize("text, english", [
    # a Gurmukhi vowel sign is no word letter to the matcher: plural and oblique forms are keys of
    # their own, so "ਲੱਤਾਂ" reads "legs", not "leg" with "ਾਂ" left hanging on it
    ("ਮੇਰੀਆਂ ਲੱਤਾਂ ਸੁੱਜੀਆਂ ਹੋਈਆਂ ਨੇ", "my legs swollen ਨੇ"),
    ("ਮੇਰੇ ਪੈਰ ਸੁੱਜੇ ਹੋਏ ਨੇ", "my foot swollen ਨੇ"),
    # Panjabi negates after the noun; the glossary reads the phrase
    ("ਬੁਖ਼ਾਰ ਨਹੀਂ", "no fever"),
    ("saah nai aunda", "i can't breathe"),
])
def test_the_glossary_reads_panjabi_word_forms(triage, text, english):
    assert triage.languages.gloss(text, "pa") == english


def test_gurmukhi_nukta_spellings_fold_alike():
    # ਸ਼/ਸ, ਖ਼/ਖ, ਜ਼/ਜ, ਫ਼/ਫ: many keyboards and writers leave the dot off
    assert fold("ਬੁਖ਼ਾਰ") == fold("ਬੁਖਾਰ")
    assert fold("ਪਿਸ਼ਾਬ") == fold("ਪਿਸਾਬ")
    assert fold("ਜ਼ਖ਼ਮ") == fold("ਜਖਮ")
    assert fold("ਤਕਲੀਫ਼") == fold("ਤਕਲੀਫ")
