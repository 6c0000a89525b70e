"""Gujarati (knowledge/languages/gu.yml), in Gujarati script and with the English words Gujarati speakers
mix in: emergencies are read through its glossary by the English red-flag rules, the client's own and
those of a relative sitting with the client now; negated findings, a relative's past, questions about
signs and plain cramp and self-care questions are left alone. Gujarati negates after the word
("છાતીમાં દુખાવો નથી" = no chest pain), so negations are glossed as whole phrases. Sentences written
here for these tests."""
import pytest

from tests.triage.glossary_checks import caught_in, left_alone

caught = caught_in("gu")


@pytest.mark.parametrize("text, code", [
    # pe_signs
    ("અચાનક છાતીમાં દુખાવો થયો અને શ્વાસ લઈ શકતી નથી", "pe_signs"),
    ("ઊંડો શ્વાસ લઉં ત્યારે છાતીમાં સણકો આવે છે અને ખાંસીમાં લોહી પડે છે", "pe_signs"),
    ("સવારથી શ્વાસ ચડે છે, બેઠા બેઠા પણ હાંફી જાઉં છું", "pe_signs"),
    ("ચાલતાં ચાલતાં અચાનક શ્વાસ ચડી ગયો અને ખાંસીમાં લોહી આવે છે", "pe_signs"),
    ("મારી બહેન મારી બાજુમાં બેઠી છે, એને શ્વાસ નથી લેવાતો અને છાતીમાં દુખે છે", "pe_signs"),
    ("શ્વાસ નથી આવતો", "pe_signs"),
    # cardiac_signs
    ("છાતી પર ભાર લાગે છે જે ડાબા હાથ સુધી જાય છે, ઠંડો પરસેવો વળે છે", "cardiac_signs"),
    ("છાતીમાં દબાણ છે, જડબા સુધી ફેલાય છે અને ઉબકા આવે છે", "cardiac_signs"),
    ("છાતી ભીંસાય છે અને ડાબો હાથ ભારે લાગે છે, પરસેવો થાય છે", "cardiac_signs"),
    ("મારા પપ્પા મારી બાજુમાં બેઠા છે, એમને છાતીમાં સખત દુખાવો છે અને પરસેવે રેબઝેબ છે", "cardiac_signs"),
    ("મારી છાતીના ડાબા ભાગમાં દુખાવો થાય છે અને હાથ સુધી જાય છે", "cardiac_signs"),
    ("છાતીથી ડાબા ખભા સુધી દુખાવો જાય છે અને ઉલટી જેવું થાય છે", "cardiac_signs"),
    ("છાતીમાં ભારે દબાણ જેવું લાગે છે અને પરસેવો છૂટી ગયો છે", "cardiac_signs"),
    # stroke_signs
    ("મારી મમ્મી મારી સાથે બેઠી છે, અચાનક એમનો ચહેરો એક બાજુ લટકી ગયો અને બોલવામાં જીભ લથડે છે",
     "stroke_signs"),
    ("અડધા કલાકથી મારો જમણો હાથ ઉંચો થતો નથી અને શબ્દો બરાબર નીકળતા નથી", "stroke_signs"),
    ("મોઢું વાંકું થઈ ગયું છે ને ડાબી બાજુ નબળાઈ લાગે છે", "stroke_signs"),
    ("મારો ડાબો હાથ અને પગ અચાનક નબળા પડી ગયા છે", "stroke_signs"),
    ("હમણાં જ મારા પપ્પા બોલી શકતા નથી અને એમનો જમણો હાથ હલતો નથી", "stroke_signs"),
    ("મારી મમ્મીનો ચહેરો અચાનક એક બાજુ લટકી ગયો છે", "stroke_signs"),
    # self_harm, said directly and indirectly
    ("હવે જીવવું નથી, મરી જવાનું મન થાય છે", "self_harm"),
    ("મારા વગર બધા સુખી રહેશે, ક્યારેક આપઘાતના વિચારો આવે છે", "self_harm"),
    ("રાત્રે મારી જાતને કાપું છું", "self_harm"),
    ("મને લાગે છે કે હું બધા પર બોજ છું, જીવન ટૂંકાવી દેવાનો વિચાર આવે છે", "self_harm"),
    ("મને હવે જીવવાની ઇચ્છા નથી, બધી ગોળીઓ એક સાથે ગળી જવાનું વિચારું છું", "self_harm"),
    ("હું આ દુનિયામાં રહેવા નથી માંગતો", "self_harm"),
    ("ઊંઘની ગોળીઓ ભેગી કરી રાખી છે, બસ હવે બહુ થયું", "self_harm"),
    ("ક્યારેક થાય છે કે ફાંસો ખાઈ લઉં", "self_harm"),
    # sepsis_meningitis
    ("ખૂબ તાવ છે, ગરદન જકડાઈ ગઈ છે અને પ્રકાશથી આંખો દુખે છે", "sepsis_meningitis"),
    ("તાવ સાથે શરીર પર ફોલ્લીઓ છે જે ગ્લાસ દબાવવાથી પણ જતા નથી", "sepsis_meningitis"),
    ("મારા દાદી મારી પાસે બેઠાં છે, ગઈકાલથી તાવ છે અને આજે કંઈ સમજાતું નથી, કોઈને ઓળખતા નથી",
     "sepsis_meningitis"),
    ("મારા દીકરાને ખૂબ તાવ છે, ચામડી પર જાંબલી ડાઘ છે અને તે ઘેનમાં છે, શું કરું?", "sepsis_meningitis"),
    ("મારા દીકરાને સખત તાવ છે, ડોક નીચે વળતી નથી અને અજવાળું સહન થતું નથી", "sepsis_meningitis"),
    ("દીકરીને ખૂબ તાવ છે અને તે સાવ સુસ્ત છે, ઉઠાડું તો પણ ઉઠતી નથી", "sepsis_meningitis"),
    # limb_ischaemia
    ("મારો પગ અચાનક ઠંડો અને ફિક્કો પડી ગયો છે, આંગળીઓ હલાવી શકતો નથી", "limb_ischaemia"),
    ("એક કલાકથી ડાબો હાથ બરફ જેવો ઠંડો અને ભૂરો થઈ ગયો છે", "limb_ischaemia"),
    ("અચાનક પગનો પંજો બરફ જેવો ઠંડો થઈ ગયો છે ને કંઈ અનુભવાતું નથી", "limb_ischaemia"),
    ("મારા પતિ મારી બાજુમાં બેઠા છે, એમનો હાથ અને પગ અચાનક ઠંડા પડી ગયા છે અને ભૂરા થઈ ગયા છે",
     "limb_ischaemia"),
    # cauda_equina
    ("કમરમાં દુખાવો છે અને બે પગ વચ્ચે સુન્ન થઈ ગયું છે", "cauda_equina"),
    ("પીઠનો દુખાવો છે અને સવારથી પેશાબ થતો નથી", "cauda_equina"),
    ("કમર દુખે છે, બંને પગમાં નબળાઈ લાગે છે", "cauda_equina"),
    ("કમરમાં સખત દુખાવો છે, ગુપ્ત ભાગમાં સુન્ન લાગે છે", "cauda_equina"),
    ("મારા પપ્પા મારી સાથે છે, કમરનો દુખાવો છે અને પેશાબ પર કાબૂ નથી રહ્યો", "cauda_equina"),
    ("કમરમાં દુખાવો છે અને પેશાબ કરતી વખતે ખબર નથી પડતી", "cauda_equina"),
    # rhabdo_signs
    ("જીમ પછી પેશાબનો રંગ કોલા જેવો છે અને સ્નાયુઓમાં સખત દુખાવો છે", "rhabdo_signs"),
    ("મેરેથોન પછી પેશાબ ચા જેવો કાળો આવે છે, પગ એટલા નબળા છે કે ઊભો રહી શકતો નથી", "rhabdo_signs"),
    ("સ્પિનિંગ ક્લાસ પછી જાંઘોમાં અસહ્ય દુખાવો અને પેશાબ ઘાટો છે", "rhabdo_signs"),
    # compartment_signs
    ("પ્લાસ્ટર બહુ ટાઇટ લાગે છે અને દુખાવો અસહ્ય છે", "compartment_signs"),
    ("ફૂટબોલમાં પગ પર વાગ્યું, હવે પિંડી પથ્થર જેવી કડક અને સૂજી ગઈ છે", "compartment_signs"),
    ("પડી ગયો પછી પગમાં એવો દુખાવો છે કે દુખાવાની ગોળીથી પણ ફરક નથી પડતો", "compartment_signs"),
    ("મારા દીકરાનું પ્લાસ્ટર બહુ ટાઇટ છે, આંગળીઓ ભૂરી થઈ ગઈ છે અને સખત દુખાવો છે", "compartment_signs"),
    # Gujarati with English words in it
    ("મારી chest માં pain છે ને breath નથી આવતો", "pe_signs"),
    ("મારા chest માં બહુ દુખાવો છે અને શ્વાસ લેવામાં તકલીફ પડે છે", "pe_signs"),
    ("મારા husband ને છાતીમાં બહુ જ pain થાય છે અને દુખાવો ડાબા હાથ સુધી જાય છે", "cardiac_signs"),
    ("મારા dad ને stroke આવ્યો છે, face droop થઈ ગયો છે", "stroke_signs"),
    ("મારી left side નબળી પડી ગઈ છે અને બોલવામાં તકલીફ છે", "stroke_signs"),
    ("મારી wife ની speech slurred છે અને એનો ચહેરો એક બાજુ લટકી ગયો છે", "stroke_signs"),
    ("મને fever છે અને ગરદન જકડાઈ ગઈ છે", "sepsis_meningitis"),
    ("કાલે crossfit પછી પેશાબ કાળો આવે છે ને સ્નાયુઓમાં અસહ્ય દુખાવો છે", "rhabdo_signs"),
    ("gym પછી મારો પેશાબ coke જેવો થઈ ગયો છે", "rhabdo_signs"),
    # cautions
    ("મારી પિંડી સૂજી ગઈ છે, લાલ છે અને અડકતાં ગરમ લાગે છે", "dvt_signs"),
    ("મારી calf સૂજી ગઈ છે અને લાલ થઈ ગઈ છે", "dvt_signs"),
    ("સીડી પરથી પડી ગઈ અને હવે પગ પર વજન મૂકી શકતી નથી", "acute_injury"),
    ("ઘામાંથી પરુ નીકળે છે અને લાલાશ ફેલાય છે", "infection_signs"),
    ("હાથમાં ઝણઝણાટી થાય છે અને આંગળીઓ સુન્ન લાગે છે", "neuro_symptoms"),
    ("નસ ચડી ગઈ છે અને કાલથી ઝાડા ઉલટી થાય છે", "systemic_illness"),
    ("ઘણા અઠવાડિયાથી કમરમાં ખેંચાણ આવે છે અને વધતું જાય છે", "persistent_or_worsening"),
    ("બે અઠવાડિયા પહેલાં ઘૂંટણનું ઓપરેશન થયું હતું", "recent_surgery"),
    ("મને ઓસ્ટીયોપોરોસિસ છે, શું માલિશ કરાવી શકું?", "osteoporosis"),
    ("હું લોહી પાતળું કરવાની દવા લઉં છું", "vascular_condition"),
    ("કોલેસ્ટ્રોલની દવા શરૂ કરી ત્યારથી પગમાં ગોટલા ચડે છે", "medication_related"),
    ("પિંડી પર ખુલ્લો ઘા છે, ત્યાં મસાજ કરી શકાય?", "open_wound"),
    ("હું ગર્ભવતી છું અને રાત્રે પગમાં નસ ચડે છે", "pregnancy"),
    ("અત્યારે જ પિંડીમાં નસ ચડી ગઈ છે, ખૂબ દુખે છે", "active_spasm"),
])
def test_gujarati_emergencies_and_cautions_are_caught(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, codes", [
    # negated
    ("છાતીમાં દુખાવો નથી અને શ્વાસ બરાબર ચાલે છે", ("cardiac_signs", "pe_signs")),
    ("ના, મારી છાતીમાં દુખાવો નથી", ("cardiac_signs", "pe_signs")),
    ("તાવ નથી, ફક્ત ગરદનમાં થોડી જકડ છે", "sepsis_meningitis"),
    ("મને કોઈ તાવ નથી અને ગરદન બરાબર છે", "sepsis_meningitis"),
    ("બે પગ વચ્ચે કોઈ સુન્નતા નથી અને પેશાબ બરાબર થાય છે", "cauda_equina"),
    ("મને આપઘાતના કોઈ વિચાર નથી, ફક્ત ખભો જકડાઈ ગયો છે", "self_harm"),
    ("ખાંસીમાં લોહી નથી, ફક્ત સૂકી ખાંસી છે", "pe_signs"),
    ("છાતીમાં દુખાવો તો નથી પણ પગમાં નસ ચડી છે", ("cardiac_signs", "pe_signs")),
    ("હું ગર્ભવતી નથી", "pregnancy"),
    # a relative's past
    ("મારા પપ્પાને વર્ષો પહેલાં લકવો થયો હતો", "stroke_signs"),
    ("મારી મમ્મીને ઘણા વર્ષો પહેલાં હાર્ટ એટેક આવ્યો હતો, મને ફક્ત પગમાં નસ ચડે છે", "cardiac_signs"),
    ("મારા બાપુજીને પાંચ વર્ષ પહેલાં સ્ટ્રોક આવ્યો હતો, હવે બરાબર છે", "stroke_signs"),
    ("મારા પપ્પાને બે વર્ષ પહેલાં છાતીમાં દુખાવો થયો હતો", "cardiac_signs"),
    ("મને વર્ષો પહેલાં ઓપરેશન થયું હતું", "recent_surgery"),
    ("મારા નાનાને ઘણાં વર્ષો પહેલાં પગમાં લોહીનો ગઠ્ઠો થયો હતો, મને તો ફક્ત ગોટલા ચડે છે",
     ("dvt_signs", "pe_signs")),
    # questions about signs, hypotheticals
    ("હાર્ટ એટેકના લક્ષણો શું છે? ખાલી પૂછું છું", "cardiac_signs"),
    ("સ્ટ્રોકના લક્ષણો કયા છે?", "stroke_signs"),
    ("જો મારો ચહેરો લટકી જાય તો શું કરવું?", "stroke_signs"),
    ("જો પેશાબ કાળો આવે તો શું સમજવું?", "rhabdo_signs"),
    # plain cramp and self-care
    ("પિંડીમાં નસ ચડે તો કેવી રીતે સ્ટ્રેચ કરવું?", "dvt_signs"),
    ("નસ ચડી હોય ત્યાં ગરમ શેક કરું કે બરફ લગાવું?", ("dvt_signs", "pe_signs", "limb_ischaemia")),
    ("કસરત પછી પગના સ્નાયુ દુખે છે, સ્ટ્રેચિંગ કેવી રીતે કરવું?", ("rhabdo_signs", "compartment_signs")),
    ("શું માલિશથી કમરનો દુખાવો મટે?", "cauda_equina"),
    ("જીમમાં બેન્ચ પ્રેસ કર્યા પછી છાતીના સ્નાયુમાં ખેંચાણ છે", ("cardiac_signs", "pe_signs")),
    ("ઊંઘમાં પિંડીમાં નસ ચડી ગઈ હતી, હવે થોડું દુખે છે", ("dvt_signs", "limb_ischaemia")),
    ("હવે સાજો થઈ ગયો છું, મસાજ બુક કરવો છે", ("stroke_signs", "cardiac_signs")),
    ("ગરદન થોડી અકડાઈ ગઈ છે, ઓશીકું બદલવું જોઈએ?", "sepsis_meningitis"),
    ("મને પરસેવો બહુ થાય છે, ઉનાળામાં ખાસ", "cardiac_signs"),
])
def test_what_gujarati_leaves_alone(triage, text, codes):
    left_alone(triage, text, codes)


def test_a_plain_self_care_question_in_gujarati_raises_nothing(triage):
    found = triage.detect("મારી કમર જકડાઈ ગઈ છે, કઈ કસરત કરું?")
    assert found["language"] == "gu", found
    assert found["codes"] == [], found


@pytest.mark.parametrize("text, english", [
    # negation after the word is read before it; an inflected form is listed, not guessed
    ("છાતીમાં દુખાવો નથી", "no chest pain"),
    ("શ્વાસ લઈ શકતો નથી", "i can't breathe"),
    ("મારા પપ્પાને તાવ છે", "my dad has fever"),
    ("મારી મમ્મીનો ચહેરો", "my mum's face"),
])
def test_the_glossary_reads_gujarati_word_order(triage, text, english):
    assert " ".join(triage.languages.gloss(text, "gu").split()) == english
