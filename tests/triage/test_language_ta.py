"""Tamil (knowledge/languages/ta.yml), in Tamil script, written and spoken, and with the English words
Tamil speakers mix in: emergencies are read through its glossary by the English red-flag rules, the
client's own and those of a relative sitting with the client now; negated findings, a relative's past,
questions about signs and plain cramp and self-care questions are left alone. Tamil negates after the
word ("நெஞ்சு வலி இல்லை" = no chest pain) or inside the verb ("வலிக்கல"), so negations are glossed as
whole phrases. Sentences written here for these tests."""
import pytest

from bot.knowledge_files import read_yaml, resolve
from tests.triage.glossary_checks import caught_in, left_alone

caught = caught_in("ta")


@pytest.mark.parametrize("text, code", [
    # pe_signs
    ("திடீர்னு நெஞ்சு வலிக்குது, மூச்சு விட முடியல", "pe_signs"),
    ("ஆழமா மூச்சு இழுக்கும்போது நெஞ்சுல குத்துது, இருமும்போது ரத்தம் வருது", "pe_signs"),
    ("காலையிலிருந்து மூச்சு வாங்குது, உட்கார்ந்திருக்கும்போதும் மூச்சு திணறுது", "pe_signs"),
    ("என் அக்கா என் பக்கத்துல உட்கார்ந்திருக்காங்க, அவங்களுக்கு மூச்சு விட முடியல, நெஞ்சு வலிக்குது", "pe_signs"),
    ("மூச்சு விட ரொம்ப கஷ்டமா இருக்கு, சளியில ரத்தம் வருது", "pe_signs"),
    # cardiac_signs
    ("நெஞ்சு கனமா இருக்கு, வலி இடது கைக்கு பரவுது, குளிர் வியர்வை வருது", "cardiac_signs"),
    ("நெஞ்சில் அழுத்தம், தாடை வரைக்கும் வலி போகுது, குமட்டுது", "cardiac_signs"),
    ("எங்க அப்பா என் கூட இருக்கார், அவருக்கு நெஞ்சு வலி, வேர்த்து கொட்டுது", "cardiac_signs"),
    ("மார்பு வலி இடது கை வரை பரவுகிறது, வியர்க்கிறது", "cardiac_signs"),
    ("நெஞ்சை யாரோ அமுக்குற மாதிரி இருக்கு, நெஞ்சை அமுக்குது, வாந்தி வர்ற மாதிரி இருக்கு", "cardiac_signs"),
    # stroke_signs
    ("என் அம்மா என் கூட இருக்காங்க, திடீர்னு அவங்க முகம் ஒரு பக்கம் கோணிடுச்சு, பேச்சு குழறுது", "stroke_signs"),
    ("அரை மணி நேரமா என் வலது கை தூக்க முடியல, வார்த்தை வரல", "stroke_signs"),
    ("வாய் கோணிப்போச்சு, இடது பக்கம் பலவீனமா இருக்கு", "stroke_signs"),
    ("இப்போ எங்க அப்பாவுக்கு பேச முடியல, அவரோட வலது கை அசையல", "stroke_signs"),
    ("என் இடது கையும் காலும் திடீர்னு பலவீனமா ஆயிடுச்சு", "stroke_signs"),
    # self_harm
    ("இனிமே வாழ பிடிக்கல, சாகணும்னு தோணுது", "self_harm"),
    ("நான் இல்லாட்டி எல்லாருக்கும் நல்லது, தற்கொலை எண்ணம் வருது", "self_harm"),
    ("ராத்திரி என்னை நானே வெட்டிக்கிறேன்", "self_harm"),
    ("எல்லாருக்கும் பாரமா இருக்கேன், வாழ்க்கையை முடிச்சுக்கலாம்னு இருக்கேன்", "self_harm"),
    ("தூக்க மாத்திரை எல்லாம் சேர்த்து வச்சிருக்கேன், போதும் போதும்னு ஆயிடுச்சு", "self_harm"),
    ("சில நேரம் தூக்கு போட்டுக்கலாம்னு தோணுது", "self_harm"),
    # sepsis_meningitis
    ("கடும் காய்ச்சல், கழுத்து விறைப்பா இருக்கு, வெளிச்சம் பார்த்தா கண் கூசுது", "sepsis_meningitis"),
    ("காய்ச்சலோட உடம்பு முழுக்க சிவப்பு புள்ளிகள், டம்ளரை அழுத்தினாலும் மறையல", "sepsis_meningitis"),
    ("எங்க பாட்டி என் கூட இருக்காங்க, நேத்துலேருந்து காய்ச்சல், இன்னைக்கு குழப்பமா இருக்காங்க, யாரையும் அடையாளம் தெரியல",
     "sepsis_meningitis"),
    ("என் பையனுக்கு ரொம்ப காய்ச்சல், கழுத்தை குனிய முடியல, என்ன செய்யணும்?", "sepsis_meningitis"),
    ("அதிக காய்ச்சல், கடுமையான தலைவலி, கழுத்து இறுக்கமா இருக்கு", "sepsis_meningitis"),
    # limb_ischaemia
    ("என் கால் திடீர்னு ஜில்லுனு ஆயிடுச்சு, வெளுத்துப் போச்சு, விரல அசைக்க முடியல", "limb_ischaemia"),
    ("ஒரு மணி நேரமா இடது கை ஐஸ் மாதிரி ஜில்லுனு இருக்கு, நீலமா ஆயிடுச்சு", "limb_ischaemia"),
    ("திடீர்னு பாதம் ஐஸ் மாதிரி குளிர்ந்து போச்சு, தொட்டா தெரியல", "limb_ischaemia"),
    ("என் கணவர் என் பக்கத்துல இருக்கார், அவரோட கால் திடீர்னு குளிர்ந்து போச்சு, நீலமா ஆயிடுச்சு", "limb_ischaemia"),
    # cauda_equina
    ("முதுகு வலி, ரெண்டு காலுக்கும் நடுவுல மரத்துப் போச்சு", "cauda_equina"),
    ("இடுப்பு வலி, காலையிலிருந்து சிறுநீர் போகல", "cauda_equina"),
    ("முதுகு வலிக்குது, ரெண்டு காலும் பலவீனமா இருக்கு", "cauda_equina"),
    ("எங்க அப்பா என் கூட இருக்கார், அவருக்கு முதுகு வலி, சிறுநீர் கட்டுப்படுத்த முடியல", "cauda_equina"),
    ("முதுகுவலியோட அந்தரங்க பகுதி மரத்துப் போச்சு", "cauda_equina"),
    # rhabdo_signs
    ("ஜிம் முடிச்சதுக்கு அப்புறம் சிறுநீர் கோலா மாதிரி இருக்கு, தசைகள்ல பயங்கர வலி", "rhabdo_signs"),
    ("மாரத்தான் ஓடினதுக்கு அப்புறம் சிறுநீர் டீ கலர்ல வருது, கால் ரொம்ப பலவீனமா இருக்கு", "rhabdo_signs"),
    ("உடற்பயிற்சிக்கு பிறகு சிறுநீர் கருப்பா வருது, தசைகளில் தாங்க முடியாத வலி", "rhabdo_signs"),
    # compartment_signs
    ("மாவுக்கட்டு ரொம்ப டைட்டா இருக்கு, வலி தாங்க முடியல", "compartment_signs"),
    ("கால்பந்துல காலில அடிபட்டுச்சு, இப்போ கெண்டைக்கால் கல்லு மாதிரி கெட்டியா வீங்கியிருக்கு", "compartment_signs"),
    ("விழுந்ததுல காலில பயங்கர வலி, வலி மாத்திரை போட்டும் குறையல", "compartment_signs"),
    ("என் பையனுக்கு பிளாஸ்டர் ரொம்ப டைட்டா இருக்கு, விரல்கள் நீலமா ஆயிடுச்சு, பயங்கர வலி", "compartment_signs"),
    # Tamil with English words in it
    ("எனக்கு chest pain இருக்கு, breath வரல", "pe_signs"),
    ("என் husband-க்கு நெஞ்சு வலி, வலி இடது கைக்கு பரவுது", "cardiac_signs"),
    ("என் அம்மாவுக்கு stroke வந்திருக்கு, முகம் ஒரு பக்கம் கோணிடுச்சு", "stroke_signs"),
    ("எனக்கு fever, கழுத்து விறைப்பா இருக்கு", "sepsis_meningitis"),
    ("gym முடிச்சதுக்கு அப்புறம் urine coke மாதிரி இருக்கு", "rhabdo_signs"),
    # cautions
    ("என் கெண்டைக்கால் வீங்கியிருக்கு, சிவந்து இருக்கு, தொட்டா சூடா இருக்கு", "dvt_signs"),
    ("படிக்கட்டுல இருந்து விழுந்துட்டேன், கால் ஊன்ற முடியல", "acute_injury"),
    ("காயத்துல சீழ் வருது, சிவப்பு பரவுது", "infection_signs"),
    ("கையில கூச்சமா இருக்கு, விரல்கள் மரத்துப் போகுது", "neuro_symptoms"),
    ("கால் இழுத்துக்கிச்சு, நேத்துலேருந்து வாந்தி பேதி", "systemic_illness"),
    ("பல வாரங்களா முதுகுல பிடிப்பு வருது, மோசமாகிக்கிட்டே போகுது", "persistent_or_worsening"),
    ("ரெண்டு வாரத்துக்கு முன்னாடி முழங்கால் ஆபரேஷன் ஆச்சு", "recent_surgery"),
    ("எனக்கு ஆஸ்டியோபோரோசிஸ் இருக்கு, மசாஜ் பண்ணலாமா?", "osteoporosis"),
    ("நான் ரத்தம் நீர்க்க மாத்திரை சாப்பிடுறேன்", "vascular_condition"),
    ("கொலஸ்ட்ரால் மாத்திரை ஆரம்பிச்சதுல இருந்து கால் இழுத்துக்குது", "medication_related"),
    ("கெண்டைக்கால்ல ஆறாத காயம் இருக்கு, அங்க மசாஜ் பண்ணலாமா?", "open_wound"),
    ("நான் கர்ப்பமா இருக்கேன், ராத்திரி கால் இழுத்துக்குது", "pregnancy"),
    ("இப்போ கெண்டைக்கால் பிடிச்சிருக்கு, ரொம்ப வலிக்குது", "active_spasm"),
])
def test_tamil_emergencies_and_cautions_are_caught(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, codes", [
    # negated
    ("நெஞ்சு வலி இல்லை, மூச்சு நல்லா விட முடியுது", ("cardiac_signs", "pe_signs")),
    ("இல்ல, எனக்கு நெஞ்சு வலி எதுவும் இல்ல", ("cardiac_signs", "pe_signs")),
    ("காய்ச்சல் இல்ல, கழுத்து கொஞ்சம் பிடிப்பா இருக்கு", "sepsis_meningitis"),
    ("எனக்கு காய்ச்சல் கிடையாது, கழுத்து நல்லா இருக்கு", "sepsis_meningitis"),
    ("காலுக்கு நடுவுல மரப்பு இல்லை, சிறுநீர் நல்லா போகுது", "cauda_equina"),
    ("தற்கொலை எண்ணம் எதுவும் இல்ல, தோள் மட்டும் பிடிச்சிருக்கு", "self_harm"),
    ("இருமலில் ரத்தம் இல்லை, வறட்டு இருமல் மட்டும் தான்", "pe_signs"),
    ("நெஞ்சு வலிக்கல, கால் தான் இழுத்துக்குது", ("cardiac_signs", "pe_signs")),
    ("நான் கர்ப்பமா இல்லை", "pregnancy"),
    # a relative's past, elsewhere
    ("எங்க அப்பாவுக்கு போன வருஷம் ஹார்ட் அட்டாக் வந்தது, அவர் வேற ஊர்ல இருக்கார்", "cardiac_signs"),
    ("என் அப்பாவுக்கு கடந்த ஆண்டு மாரடைப்பு வந்தது, அவர் சென்னையில இருக்கார், எனக்கு கால் மட்டும் இழுத்துக்குது",
     "cardiac_signs"),
    ("எங்க அம்மாவுக்கு பல வருஷங்களுக்கு முன்னாடி பக்கவாதம் வந்தது", "stroke_signs"),
    ("என் தாத்தாவுக்கு அஞ்சு வருஷத்துக்கு முன்னாடி ஸ்ட்ரோக் வந்துச்சு, இப்போ நல்லா இருக்கார்", "stroke_signs"),
    ("எனக்கு சின்ன வயசுல ஆபரேஷன் ஆச்சு", "recent_surgery"),
    # questions about signs
    ("மாரடைப்பின் அறிகுறிகள் என்ன? சும்மா கேக்குறேன்", "cardiac_signs"),
    ("பக்கவாதத்தின் அறிகுறிகள் என்னென்ன?", "stroke_signs"),
    ("ஒருவேளை சிறுநீர் கருப்பா வந்தா என்ன அர்த்தம்?", "rhabdo_signs"),
    # plain cramp and self-care
    ("கெண்டைக்கால் இழுத்துக்கிட்டா எப்படி ஸ்ட்ரெச் பண்றது?", "dvt_signs"),
    ("பிடிப்பு வந்த இடத்துல சுடுதண்ணி ஒத்தடம் கொடுக்கலாமா, ஐஸ் வைக்கலாமா?", ("dvt_signs", "pe_signs", "limb_ischaemia")),
    ("உடற்பயிற்சிக்கு பிறகு காலில தசை வலி, எப்படி ஸ்ட்ரெச் பண்றது?", ("rhabdo_signs", "compartment_signs")),
    ("மசாஜ் பண்ணா முதுகு வலி சரியாகுமா?", "cauda_equina"),
    ("ஜிம்ல பெஞ்ச் பிரஸ் பண்ணதுக்கு அப்புறம் நெஞ்சு தசை பிடிச்சிருக்கு", ("cardiac_signs", "pe_signs")),
    ("தூக்கத்துல கெண்டைக்கால் இழுத்துக்கிச்சு, இப்போ லேசா வலிக்குது", ("dvt_signs", "limb_ischaemia")),
    ("எனக்கு ரொம்ப வியர்க்குது, வெயில் காலத்துல", "cardiac_signs"),
])
def test_what_tamil_leaves_alone(triage, text, codes):
    left_alone(triage, text, codes)


def test_a_plain_self_care_question_in_tamil_raises_nothing(triage):
    found = triage.detect("என் முதுகு பிடிச்சுக்கிச்சு, என்ன உடற்பயிற்சி பண்ணலாம்?")
    assert found["language"] == "ta", found
    assert found["codes"] == [], found


@pytest.mark.parametrize("text, english", [
    ("நெஞ்சு வலி இல்லை", "no chest pain"),
    ("மூச்சு விட முடியல", "can't breathe"),
    ("அப்பாவுக்கு காய்ச்சல்", "my dad has fever"),
    ("என் அம்மாவோட முகம்", "my mum's face"),
])
def test_the_glossary_reads_tamil_word_order(triage, text, english):
    assert " ".join(triage.languages.gloss(text, "ta").split()) == english


def test_tamil_negation_is_never_a_bare_word():
    glossary = read_yaml(resolve("knowledge/languages/ta.yml"))["glossary"]
    for bare in ("இல்லை", "இல்ல", "இல்ல*", "கிடையாது", "முடியல", "முடியவில்லை"):
        assert bare not in glossary, bare
