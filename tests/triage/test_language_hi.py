"""Hindi (knowledge/languages/hi.yml), in Devanagari script and with the English words Hindi speakers mix
in: emergencies are read through its glossary by the English red-flag rules, the client's own and those
of a relative sitting with the client now; negated findings, a relative's past, questions about signs and
plain cramp and self-care questions are left alone. Hindi negates after the word ("सीने में दर्द नहीं है"
= no chest pain), so negations are glossed as whole phrases, and verbs agree with gender (रहा / रही),
so every form is listed. Sentences written here for these tests."""
import pytest

from tests.triage.glossary_checks import caught_in, left_alone

caught = caught_in("hi")


@pytest.mark.parametrize("text, code", [
    # pe_signs
    ("अचानक सीने में दर्द हुआ और साँस नहीं ले पा रही हूँ", "pe_signs"),
    ("गहरी साँस लेने पर सीने में चुभन होती है और खाँसी में खून आ रहा है", "pe_signs"),
    ("सुबह से साँस फूल रही है, बैठे बैठे भी हाँफ रहा हूँ", "pe_signs"),
    ("मेरी बहन मेरे पास बैठी है, उसे सांस नहीं आ रही और सीने में दर्द है", "pe_signs"),
    ("दम घुट रहा है, सांस नहीं ली जा रही", "pe_signs"),
    # cardiac_signs
    ("सीने पर भारीपन है जो बाएँ हाथ तक जा रहा है, ठंडा पसीना आ रहा है", "cardiac_signs"),
    ("छाती में दबाव है, जबड़े तक फैल रहा है और जी मिचला रहा है", "cardiac_signs"),
    ("मेरे पापा मेरे साथ बैठे हैं, उनको सीने में तेज़ दर्द है और पसीने से तर हैं", "cardiac_signs"),
    ("सीने से बाएँ कंधे तक दर्द जा रहा है और उल्टी जैसा लग रहा है", "cardiac_signs"),
    ("मेरे पति को अभी सीने में जकड़न है और बाएं हाथ में दर्द, पसीना छूट रहा है, क्या करूँ?", "cardiac_signs"),
    # stroke_signs
    ("मेरी माँ मेरे साथ बैठी हैं, अचानक उनका चेहरा एक तरफ लटक गया और ज़बान लड़खड़ा रही है", "stroke_signs"),
    ("आधे घंटे से मेरा दायाँ हाथ नहीं उठ रहा और शब्द ठीक से नहीं निकल रहे", "stroke_signs"),
    ("मुँह टेढ़ा हो गया है और बाईं तरफ कमज़ोरी लग रही है", "stroke_signs"),
    ("अभी अभी मेरे पिताजी बोल नहीं पा रहे और उनका दाहिना हाथ हिल नहीं रहा", "stroke_signs"),
    ("मेरी दादी का चेहरा अचानक एक तरफ़ लटक गया है", "stroke_signs"),
    # self_harm, said directly and indirectly
    ("अब जीना नहीं चाहता, मर जाने का मन करता है", "self_harm"),
    ("मैं और जीना नहीं चाहती", "self_harm"),
    ("कभी कभी लगता है सब खत्म कर दूँ", "self_harm"),
    ("मेरे बिना सब खुश रहेंगे, आत्महत्या के ख्याल आते हैं", "self_harm"),
    ("मैंने नींद की गोलियाँ जमा कर रखी हैं, बस अब बहुत हो गया", "self_harm"),
    ("मैं सोचती हूँ कि अपनी जान ले लूँ, मुझसे अब और नहीं होता", "self_harm"),
    # sepsis_meningitis
    ("तेज़ बुखार है, गर्दन अकड़ गई है और रोशनी से आँखों में दर्द होता है", "sepsis_meningitis"),
    ("बुखार के साथ शरीर पर दाने हैं जो गिलास दबाने पर भी नहीं मिट रहे", "sepsis_meningitis"),
    ("मेरी दादी मेरे पास बैठी हैं, कल से बुखार है और आज किसी को पहचान नहीं रहीं, कुछ समझ नहीं आ रहा",
     "sepsis_meningitis"),
    ("मेरे बेटे को बहुत तेज़ बुखार है, गर्दन नीचे नहीं झुक रही और रोशनी बर्दाश्त नहीं हो रही", "sepsis_meningitis"),
    ("बुखार है और सिर फटा जा रहा है", "sepsis_meningitis"),
    # limb_ischaemia
    ("मेरा पैर अचानक ठंडा और पीला पड़ गया है, उँगलियाँ हिला नहीं पा रहा", "limb_ischaemia"),
    ("एक घंटे से बायाँ हाथ बर्फ जैसा ठंडा है और नीला पड़ गया है", "limb_ischaemia"),
    ("मेरे पति मेरे बगल में बैठे हैं, उनका पैर अचानक ठंडा हो गया और सुन्न पड़ गया है", "limb_ischaemia"),
    # cauda_equina
    ("कमर में दर्द है और दोनों पैरों के बीच सुन्न हो गया है", "cauda_equina"),
    ("पीठ दर्द है और सुबह से पेशाब नहीं हो रहा", "cauda_equina"),
    ("कमर दर्द के साथ दोनों पैर कमज़ोर हो गए हैं", "cauda_equina"),
    ("मेरे पापा मेरे साथ हैं, कमर दर्द है और पेशाब पर काबू नहीं रहा", "cauda_equina"),
    ("कमर में दर्द है और पेशाब करते समय पता नहीं चलता", "cauda_equina"),
    # rhabdo_signs
    ("जिम के बाद पेशाब का रंग कोला जैसा है और मांसपेशियों में असहनीय दर्द है", "rhabdo_signs"),
    ("मैराथन के बाद पेशाब चाय जैसा काला आ रहा है", "rhabdo_signs"),
    ("कल वर्कआउट के बाद से पेशाब गहरा भूरा है, जांघों में बहुत तेज़ दर्द है", "rhabdo_signs"),
    # compartment_signs
    ("मेरे हाथ का प्लास्टर बहुत टाइट लग रहा है और दर्द असहनीय है", "compartment_signs"),
    ("फुटबॉल में पैर पर चोट लगी, अब पिंडली पत्थर जैसी सख्त और सूज गई है", "compartment_signs"),
    ("गिरने के बाद पैर में ऐसा दर्द है कि दर्द निवारक से भी आराम नहीं", "compartment_signs"),
    ("मेरे बेटे का प्लास्टर बहुत टाइट है, उँगलियाँ नीली पड़ गई हैं और बहुत दर्द है", "compartment_signs"),
    # Hindi with English words in it
    ("मेरे chest में pain है और breath नहीं आ रही", "pe_signs"),
    ("मेरे husband को सीने में बहुत pain है और दर्द बाएं हाथ तक जा रहा है", "cardiac_signs"),
    ("मेरे dad का face अचानक एक तरफ droop हो गया है और वो ठीक से बोल नहीं पा रहे", "stroke_signs"),
    ("मुझे fever है और गर्दन अकड़ गई है", "sepsis_meningitis"),
    ("gym के बाद मेरा पेशाब coke जैसा हो गया है", "rhabdo_signs"),
    # cautions
    ("मेरी पिंडली सूज गई है, लाल है और छूने पर गर्म लगती है", "dvt_signs"),
    ("सीढ़ियों से गिर गई और अब पैर पर वज़न नहीं डाल पा रही", "acute_injury"),
    ("घाव से मवाद निकल रहा है और लालिमा फैल रही है", "infection_signs"),
    ("हाथ में झुनझुनी हो रही है और उंगलियाँ सुन्न लगती हैं", "neuro_symptoms"),
    ("नस चढ़ गई है और कल से उल्टी दस्त हो रहे हैं", "systemic_illness"),
    ("कई हफ्तों से कमर में ऐंठन हो रही है और बढ़ती जा रही है", "persistent_or_worsening"),
    ("दो हफ्ते पहले घुटने का ऑपरेशन हुआ था", "recent_surgery"),
    ("मुझे ऑस्टियोपोरोसिस है, क्या मैं मालिश करवा सकती हूँ?", "osteoporosis"),
    ("मैं खून पतला करने की दवा लेता हूँ", "vascular_condition"),
    ("कोलेस्ट्रॉल की दवा शुरू करने के बाद से पैरों में नस चढ़ती है", "medication_related"),
    ("पिंडली पर खुला घाव है, क्या वहाँ मालिश हो सकती है?", "open_wound"),
    ("मैं गर्भवती हूँ और रात को पैरों में नस चढ़ जाती है", "pregnancy"),
    ("अभी पिंडली में नस चढ़ गई है, बहुत तेज़ दर्द है", "active_spasm"),
    ("मुझे तेज़ बुखार है", "infection_signs"),
])
def test_hindi_emergencies_and_cautions_are_caught(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, codes", [
    # negated
    ("सीने में दर्द नहीं है और साँस ठीक चल रही है", ("cardiac_signs", "pe_signs")),
    ("नहीं, मेरी छाती में कोई दर्द नहीं है", ("cardiac_signs", "pe_signs")),
    ("बुखार नहीं है, बस गर्दन में थोड़ी अकड़न है", "sepsis_meningitis"),
    ("मुझे कोई बुखार नहीं और गर्दन ठीक है", "sepsis_meningitis"),
    ("पैरों के बीच कोई सुन्नपन नहीं है और पेशाब ठीक से हो रहा है", "cauda_equina"),
    ("मुझे आत्महत्या के कोई विचार नहीं हैं, बस कंधा अकड़ गया है", "self_harm"),
    ("खाँसी में खून नहीं है, बस सूखी खाँसी है", "pe_signs"),
    ("मैं गर्भवती नहीं हूँ", "pregnancy"),
    # a relative's past
    ("मेरे पिताजी को पाँच साल पहले दिल का दौरा पड़ा था, मुझे बस पैर में नस चढ़ती है", "cardiac_signs"),
    ("मेरी माँ को कई साल पहले लकवा हुआ था", "stroke_signs"),
    ("मेरे दादाजी को दस साल पहले स्ट्रोक हुआ था, अब ठीक हैं", "stroke_signs"),
    ("मेरा बचपन में ऑपरेशन हुआ था", "recent_surgery"),
    # questions about signs, hypotheticals
    ("दिल के दौरे के लक्षण क्या हैं? बस पूछ रहा हूँ", "cardiac_signs"),
    ("स्ट्रोक के क्या लक्षण होते हैं?", "stroke_signs"),
    ("अगर पेशाब काला आए तो क्या समझें?", "rhabdo_signs"),
    # plain cramp and self-care
    ("पिंडली में नस चढ़ जाए तो स्ट्रेच कैसे करूँ?", "dvt_signs"),
    ("नस चढ़ी हो तो गर्म सिकाई करूँ या बर्फ लगाऊँ?", ("dvt_signs", "pe_signs", "limb_ischaemia")),
    ("रात को पैरों में नस चढ़ती है, क्या गर्म पानी से नहाना ठीक है?", ("dvt_signs", "infection_signs")),
    ("गुनगुने पानी से सिकाई करूँ?", ("dvt_signs", "infection_signs")),
    ("कसरत के बाद पैर की मांसपेशियाँ दुख रही हैं, स्ट्रेचिंग कैसे करूँ?", ("rhabdo_signs", "compartment_signs")),
    ("क्या मालिश से कमर दर्द ठीक होता है?", "cauda_equina"),
    ("जिम में बेंच प्रेस के बाद छाती की मांसपेशी में खिंचाव है", ("pe_signs",)),
    ("गर्दन थोड़ी अकड़ गई है, तकिया बदलूँ?", "sepsis_meningitis"),
    ("गर्मियों में मुझे बहुत पसीना आता है", "cardiac_signs"),
])
def test_what_hindi_leaves_alone(triage, text, codes):
    left_alone(triage, text, codes)


def test_a_plain_self_care_question_in_hindi_raises_nothing(triage):
    found = triage.detect("मेरी कमर अकड़ गई है, कौन सी कसरत करूँ?")
    assert found["language"] == "hi", found
    assert found["codes"] == [], found


@pytest.mark.parametrize("text, english", [
    # negation after the word is read before it; every gender form is listed, not guessed
    ("सीने में दर्द नहीं", "no chest pain"),
    ("साँस नहीं ले पा रहा", "i can't breathe"),
    ("साँस नहीं ले पा रही", "i can't breathe"),
    ("मेरे पापा को बुखार है", "my dad has fever"),
    ("मेरी माँ का चेहरा", "my mum's face"),
])
def test_the_glossary_reads_hindi_word_order(triage, text, english):
    assert " ".join(triage.languages.gloss(text, "hi").split()) == english
