"""Somali (knowledge/languages/so.yml), in Latin letters and with the English words Somali speakers mix
in: emergencies are read through its glossary by the English red-flag rules, the client's own and those
of a relative with the client now ("hadda ila joogo"); negated findings, a relative's past, questions
about signs and plain cramp and self-care questions are left alone. py3langid has no Somali:
`romanised: true` lets the glossary that reads the message decide (bot/triage/language.py). Somali
negates after the finding ("qandho ma qabo" = I have no fever), so negations are glossed as whole
phrases. Sentences written here for these tests."""
import pytest

from tests.triage.glossary_checks import caught_in, left_alone, named_by_its_glossary

caught = caught_in("so")


@pytest.mark.parametrize("text, code", [
    # pe_signs
    ("laabta ayaa i xanuunaysa oo ma neefsan karo", "pe_signs"),
    ("dhiig baan qufacayaa oo neefta ayaa i qabatay", "pe_signs"),
    ("si lama filaan ah ayaan u neefsan waayay, marka aan neefsado laabta ayaa i xanuunaysa", "pe_signs"),
    ("walaashay hadda ila joogta, ma neefsan karto oo dhiig ayay qufacaysaa", "pe_signs"),
    ("since this morning neefta ayaa i qabatay oo laabta pain ayaa i haysa", "pe_signs"),
    ("xalay ilaa hadda neef ma qaadan karo, xabadka ayaa i xanuunaya", "pe_signs"),
    # cardiac_signs
    ("cadaadis laabta ah ayaa jira oo gacanta bidix u fidaya, waan dhididayaa", "cardiac_signs"),
    ("laab xanuun daran oo daanka gaadhaya iyo lallabo", "cardiac_signs"),
    ("aabbahay hadda ila joogo, laabta ayaa xanuunaysa oo aad buu u dhididayaa", "cardiac_signs"),
    ("culeys laabta ah ayaan dareemayaa, gacanta bidix ilaa heavy ah iyo dhidid qabow", "cardiac_signs"),
    ("ninkayga halkan ila jooga, laab xanuun ayuu qabaa oo gacanta u fidaya, wuu matagayaa", "cardiac_signs"),
    # stroke_signs
    ("hooyaday hadda ila joogta, wejigeeda hal dhinac ayaa dhacay oo hadalkeeda ayaa khaldamay", "stroke_signs"),
    ("si lama filaan ah wejigayga ayaa qalloocday oo gacanta midig ma qaadi karo", "stroke_signs"),
    ("hadalka ayaa i khaldamay oo dhinaca bidix ayaa daciif noqday", "stroke_signs"),
    ("aabbahay face dhacay oo si fiican uma hadli karo, hadda ila joogo", "stroke_signs"),
    ("saacad ka hor gacanta iyo lugta midig way daciifeen, hal dhinac oo jirka ah", "stroke_signs"),
    # self_harm, said directly and indirectly
    ("waxaan rabaa inaan is dilo", "self_harm"),
    ("nolosha waan ka daalay, ma rabo inaan noolaado", "self_harm"),
    ("la'aantay way ka fiicnaan lahaayeen, culeys ayaan ku ahay qoyskayga", "self_harm"),
    ("waxaan ka fikirayaa is dilid habeenkii", "self_harm"),
    ("mararka qaar waan is gooyaa markaan xumaado", "self_harm"),
    ("i just feel la'aantay way ka fiicnaan lahaayeen dhammaan", "self_harm"),
    # sepsis_meningitis
    ("qandho badan ayaan qabaa oo qoorta ayaa adag", "sepsis_meningitis"),
    ("qandho iyo madax xanuun aad u daran, iftiinka ayaa indhaha i xanuujinaya", "sepsis_meningitis"),
    ("wiilkayga hadda ila jooga, qandho ayuu qabaa, qoorta ma laaban karo oo finan ayaa jira oo marka koob "
     "lagu riixo ma baaba'ayo", "sepsis_meningitis"),
    ("hooyaday hadda ila joogta, qandho ayay qabtaa oo maanta jahwareer ayaa haysa, dadka ma aqoonsanayo",
     "sepsis_meningitis"),
    ("hooyaday qandho ayay qabtaa oo maanta jahwareer ayaa haysa, dadka ma aqoonsanayo", "sepsis_meningitis"),
    ("qandhoo and stiff qoorta, ma dhaqaajin karo qoorta", "sepsis_meningitis"),
    ("qandho ayaan qabaa, qoorta ma dhaqaajin karo", "sepsis_meningitis"),
    # limb_ischaemia
    ("lugta bidix si lama filaan ah ayay u qaboobatay oo caddaatay", "limb_ischaemia"),
    ("cagtayda ayaa baraf oo kale u qabow oo buluug noqday, faraha ma dhaqaajin karo", "limb_ischaemia"),
    ("gacanta midig si kedis ah ayay u qaboobay oo kabuubyo, midabku wuu ka tagay", "limb_ischaemia"),
    ("walaalkay halkan ila jooga, lugtiisa si lama filaan ah ayay u qaboobay oo pale noqotay", "limb_ischaemia"),
    # cauda_equina
    ("dhabar xanuun ayaan qabaa oo lugaha dhexdooda kabuubyo ayaa jira", "cauda_equina"),
    ("dhabarka hoose ayaa i xanuunaya oo kaadida ma celin karo", "cauda_equina"),
    ("dhabar xanuun iyo labada lugood way daciifeen", "cauda_equina"),
    ("dhabarka ayaa i xanuunaya, back pain since shalay iyo ma kaadin karo", "cauda_equina"),
    ("dhabarka ayaa i xanuunaya, shalay ilaa hadda ma kaadin karo", "cauda_equina"),
    # rhabdo_signs
    ("jimicsi kadib kaadidu waa madow sida shaaha", "rhabdo_signs"),
    ("gym kadib kaadida midabkeedu waa sida kooka, murqaha ayaa aad ii xanuunaya", "rhabdo_signs"),
    ("shalay orod dheer kadib kaadidaydu way madoobaatay, murqo xanuun daran", "rhabdo_signs"),
    # compartment_signs
    ("lugta ayaa jabtay, jeesada ayaa aad u adag oo xanuun aan la qaadi karin", "compartment_signs"),
    ("shil kadib kubka ayaa sida dhagax adag u bararsan, xanuun aan la qaadi karin", "compartment_signs"),
    ("waan dhacay, lugta ayaa bararsan oo dhagax oo kale u adag, kiniinka xanuunka wax ma tarayo",
     "compartment_signs"),
    ("the plaster ayaa aad u adag, xanuunka ma qaadi karo", "compartment_signs"),
    # cautions
    ("kubka lugta bidix ayaa bararsan, cas ah oo kulul", "dvt_signs"),
    ("gacanta ayaa kabuubyo oo irbado ayaa i mudaya", "neuro_symptoms"),
    ("waan dhacay oo lugta kuma istaagi karo", "acute_injury"),
    ("nabarka malax ayaa ka imanaysa oo qandho ayaan qabaa", "infection_signs"),
    ("murqo qabad iyo matag badan iyo shuban", "systemic_illness"),
    ("murqo qabad toddobaadyo ayay ii socotaa oo sii xumaanaysa", "persistent_or_worsening"),
    ("laba toddobaad ka hor qalliin ayaa la ii sameeyay jilibka", "recent_surgery"),
    ("waxaan qabaa lafo jilicsanaan, duugis ma ammaan baa", "osteoporosis"),
    ("waxaan qaataa dhiig khafiifiye", "vascular_condition"),
    ("murqo qabad ayaa i haya tan iyo markii aan bilaabay daawada kolestaroolka", "medication_related"),
    ("nabar furan ayaa kubka ku yaal, duugis ma ammaan baa", "open_wound"),
    ("uur baan leeyahay oo habeenkii murqo qabad ayaa i qabta", "pregnancy"),
    ("hadda kubka ayaa i qabtay, xanuun daran, maxaan sameeyaa", "active_spasm"),
])
def test_somali_emergencies_are_caught(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, codes", [
    # negated findings
    ("laab xanuun ma qabo, si fiican ayaan u neefsanayaa", ("cardiac_signs", "pe_signs")),
    ("qandho ma qabo, laab xanuun ma jiro, neefta dhib kuma qabo",
     ("pe_signs", "cardiac_signs", "infection_signs")),
    ("kabuubyo ma qabo, barar ma jiro, qandho ma jiro", ("neuro_symptoms", "dvt_signs", "infection_signs")),
    ("qandho ma qabo, qoorta ayaa xoogaa adag markaan seexdo", "sepsis_meningitis"),
    # a relative's past
    ("aabbahay sanado ka hor faalig ayuu qabay, hadda wuu fiican yahay", "stroke_signs"),
    ("hooyaday toban sano ka hor istaroog ayaa ku dhacay", "stroke_signs"),
    # questions about signs
    ("calaamadaha wadne qabadka waa maxay? kaliya waan weydiinayaa", "cardiac_signs"),
    ("haddii wejiga dhinac u dhaco maxaan sameeyaa", "stroke_signs"),
    ("calaamadaha faaliga waa maxay", "stroke_signs"),
    # plain cramp and self-care
    ("kubka ayaa i qabta habeenkii, sideen u kala bixiyaa", ("dvt_signs", "limb_ischaemia")),
    ("ma isticmaali karaa biyo kulul murqo qabadka", ("dvt_signs", "pe_signs")),
    ("dhabarka ayaa i xanuunaya markaan fadhiyo, duugis ma i caawin kartaa", "cauda_equina"),
    ("jimicsi kadib murqaha ayaa xanuunaya, sideen u kala bixiyaa", ("rhabdo_signs", "compartment_signs")),
])
def test_what_somali_leaves_alone(triage, text, codes):
    left_alone(triage, text, codes)


def test_a_plain_self_care_question_in_somali_raises_nothing(triage):
    found = triage.detect("kubka ayaa i qabta habeenkii, sideen u kala bixiyaa")
    assert found["language"] == "so", found
    assert found["codes"] == [], found


@pytest.mark.parametrize("text, english", [
    # negation after the word is read before it; "la'aan" typed with and without its apostrophe
    ("qandho ma qabo", "no fever"),
    ("laab xanuun ma jiro", "no chest pain"),
    ("neef la'aan", "short of breath"),
    ("neef laan", "short of breath"),
    ("madax xanuun aad u daran", "severe headache"),
    ("qandho iyo qoor adag ma qabo", "fever and stiff neck none"),
])
def test_the_glossary_reads_somali_word_order(triage, text, english):
    assert " ".join(triage.languages.gloss(text, "so").split()) == english


# --- bot/triage/language.py: Somali routed by its glossary; other Latin-script languages left to theirs

@pytest.mark.parametrize("text", [
    "laabta ayaa i xanuunaysa oo ma neefsan karo",
    "dhabarka hoose ayaa i xanuunaya oo kaadida ma celin karo",
])
def test_somali_is_named_somali_whatever_py3langid_says(triage, text):
    named_by_its_glossary(triage, text, "so")


@pytest.mark.parametrize("text", [
    "me duele el pecho y me falta el aire",                   # Spanish
    "seene mein dard hai aur saans nahi aa rahi",            # Roman Urdu
    "kamar mein dard hai aur peshab par control nahi raha",  # Roman Urdu
    "ho un crampo al polpaccio da due giorni",               # Italian
    "my calf keeps cramping at night, what should i do",     # English
    "i have chest pain and my left arm hurts",               # English
    "is it ok to stretch in an hour, or should i wait",      # English
])
def test_other_languages_are_not_named_somali(triage, text):
    assert triage.languages.named(text) != "so"
    assert triage.languages.best_glossary(text) != "so"
    assert triage.detect(text)["language"] != "so"
