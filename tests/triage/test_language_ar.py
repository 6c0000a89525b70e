"""Arabic (knowledge/languages/ar.yml): Standard, Egyptian, Levantine and Gulf everyday wording in
Arabic script, and common Arabizi in Latin letters, read through its glossary by the English
red-flag rules; negated findings, other people's past, hypotheticals and plain self-care questions
are left alone. Sentences written here for these tests."""
import pytest

from tests.triage.glossary_checks import caught_in, left_alone, named_by_its_glossary

caught = caught_in("ar")


@pytest.mark.parametrize("text, code", [
    ("عندي ألم في صدري وما بقدر اتنفس من الصبح", "pe_signs"),
    ("بكح دم ونفسي مقطوع", "pe_signs"),
    ("في ضغط على صدري بينتشر لدراعي الشمال وعرقان", "cardiac_signs"),
    ("أشعر بألم في الصدر ينتشر إلى ذراعي الأيسر", "cardiac_signs"),
    ("ثقل في صدري واصل لحد فكي وحاسس اني هرجع", "cardiac_signs"),
    ("فجأة وشي مايل من جهة وحدة ولساني تقيل", "stroke_signs"),
    ("بقى معوج ومش قادر ارفع دراعي اليمين", "stroke_signs"),
    ("نص جسمي ضعيف من ساعة", "stroke_signs"),
    ("بدي موت، ما بدي عيش", "self_harm"),
    ("بفكر اقتل نفسي، الكل احسن بدوني", "self_harm"),
    ("عايز اموت وبفكر اجرح نفسي", "self_harm"),
    ("عندي حرارة عالية ورقبتي ناشفة والنور بيوجع عيني", "sepsis_meningitis"),
    ("سخونية وبقع ما بتختفي تحت الكاسة", "sepsis_meningitis"),
    ("عندى حمى وصداع فظيع وأنا ملخبط", "sepsis_meningitis"),
    ("رجلي صارت باردة وبيضا فجأة ومش حاسس فيها", "limb_ischaemia"),
    ("ايدي زرقا وساقعة وما بقدر احرك صوابعي", "limb_ischaemia"),
    ("وجع في ضهري وما بحس بين رجليا", "cauda_equina"),
    ("ألم أسفل الظهر وما بقدر امسك البول", "cauda_equina"),
    ("ضهري بيوجعني ورجليا الاتنين ضعاف", "cauda_equina"),
    ("بعد الجيم البول لونه غامق زي الكولا وعضلاتي بتوجعني جدا", "rhabdo_signs"),
    ("رجلي في الجبس والجبس ضيق والوجع مش طبيعي", "compartment_signs"),
    ("اخدت ضربة على رجلي وصارت زي الحجر ومنفوخة", "compartment_signs"),
    ("المسكنات ما بتنفع والوجع بيزيد بعد ما وقعت", "compartment_signs"),
    ("سمانة رجلي منفوخة وحمرا وسخنة من امبارح", "dvt_signs"),
    ("وقعت على رجلي وما بقدر ادعس عليها", "acute_injury"),
    ("الجرح فيه صديد والاحمرار بينتشر", "infection_signs"),
    ("عندي تنميل ووخز في رجلي", "neuro_symptoms"),
    ("عندي شد عضلي واسهال وترجيع", "systemic_illness"),
    ("أنا حامل وعندي شد في رجلي", "pregnancy"),
    ("عملت عملية في ركبتي من أسبوعين", "recent_surgery"),
    ("باخد دوا سيولة عشان جلطة قديمة", "vascular_condition"),
    ("بدأت ستاتين وعندي شد عضلي", "medication_related"),
    ("عندي جرح مفتوح في رجلي", "open_wound"),
    # Arabizi: py3langid calls it English or Italian; `romanised: true` lets the glossary decide
    ("3andi alam fi sadri w 3ar2an", "cardiac_signs"),
    ("sadri byewga3ni w mish 2ader atnafas", "pe_signs"),
])
def test_arabic_emergencies_are_caught(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("ما عندي ألم في صدري وبتنفس منيح", "cardiac_signs"),
    ("ما عندي ألم في صدري وبتنفس منيح", "pe_signs"),
    ("أبوي جاته جلطة دماغية من سنين", "stroke_signs"),
    ("امي كان عندها نوبة قلبية من سنين، انا عندي بس شد عضلي", "cardiac_signs"),
    ("شو علامات النوبة القلبية؟ مجرد سؤال", "cardiac_signs"),
    ("لو صار وجهي مايل شو بعمل؟", "stroke_signs"),
    ("ما عندي حرارة ولا صداع، بس شد في رقبتي", "sepsis_meningitis"),
    ("ما عندي تنميل بين رجليا", "cauda_equina"),
    ("كيف أعمل تمارين تمدد لسمانة رجلي بعد الشد؟", "dvt_signs"),
    ("هل أحط تلج ولا كمادات سخنة على الشد؟", "dvt_signs"),
])
def test_what_arabic_leaves_alone(triage, text, code):
    left_alone(triage, text, code)


def test_a_plain_self_care_question_in_arabic_raises_nothing(triage):
    found = triage.detect("ايش أفضل تمارين تمدد لضهري؟")
    assert found["language"] == "ar", found
    assert found["codes"] == [], found


# --- Arabizi (Arabic typed in Latin letters and digits: 2 = ء/ق, 3 = ع, 5 = خ, 7 = ح), Levantine,
# Egyptian and Gulf: py3langid calls it Polish, Spanish or English; `romanised: true` lets the glossary
# decide (bot/triage/language.py). Some are told by a relative sitting with the client.

@pytest.mark.parametrize("text, code", [
    # pe_signs
    ("sadri 3am yuja3ni kteer lamma etnaffas w nafasi ma2tou3", "pe_signs"),
    ("ana ma agdar atnaffas, w 7ases b alam fi sadri", "pe_signs"),
    ("3am ko77 dam mn embare7 w nafase ma2tou3", "pe_signs"),
    # cardiac_signs
    ("fi da3et 3ala sadri w wasel la dra3i el shmal, w 3ar2an kteer", "cardiac_signs"),
    ("7aga t2eela 3ala sedri w el wag3 beyroo7 le dra3i w 7ases harage3", "cardiac_signs"),
    ("sadri y3awerni wayed w 3ar2an", "cardiac_signs"),
    ("zawji ga3ed jambi, byuja3o sadro w 3ar2an, shu lazem na3mel?", "cardiac_signs"),
    # stroke_signs
    ("faj2a wejji sar mayel 3a jihha wa7de w lsani t2eel", "stroke_signs"),
    ("fag2a nos gesmi ba2a da3eef w mesh 2ader arfa3 dra3i el yemin", "stroke_signs"),
    ("baba 2a3ed ma3i, wejjo m3awwaj w kalamo mish wade7 men nos sa3a", "stroke_signs"),
    ("zawji ga3ed jambi w fag2a bo2o ba2a me3awwag w mesh 2ader yetkallem", "stroke_signs"),
    # self_harm
    ("ma 3ad fini kammel, bfakker e2tol 7ali", "self_harm"),
    ("ana 3eb2 3ala ahli, a7san bdouni", "self_harm"),
    ("nefsi amoot, mesh 3ayez a3eesh", "self_harm"),
    ("ana ta3ban wayed, abi amoot", "self_harm"),
    # sepsis_meningitis
    ("3andi 7arara 3alye w ra2bti m5ashshabe, ma ba2der nazzel rasi", "sepsis_meningitis"),
    ("so5oneya gamda w el nour byewga3 3eni w soda3 fazee3", "sepsis_meningitis"),
    ("7ararti mertef3a w jildi sar mba22a3 w shafayfi zar2a", "sepsis_meningitis"),
    ("emmi ga3da jambi, 3andha 7umma w mish fahme shi", "sepsis_meningitis"),
    ("binti 7ararta 3alye w 3andha tafa7 ma byrou7, shu lazem na3mel?", "sepsis_meningitis"),
    # limb_ischaemia
    ("ejre faj2a sarat barde w bayda w ma 3am 7es fiha", "limb_ischaemia"),
    ("rijli fag2a ba2et sa23a w zar2a w mesh 7asis biha", "limb_ischaemia"),
    ("idi el yemin zar2a w sa23a men nos sa3a w mesh 2ader a7arrak swabe3i", "limb_ischaemia"),
    # cauda_equina
    ("dahri 3am yuja3ni w ma 3am 7es bayn ejraye", "cauda_equina"),
    ("daheri byewja3ni w 3melt 3a 7ali bala ma 7es", "cauda_equina"),
    ("asfal dahri 3am yuja3ni w ma ba2der emsek 7ali", "cauda_equina"),
    ("5asri y3awerni wayed w rjooli el thnen da3fanin", "cauda_equina"),
    # rhabdo_signs
    ("ba3d el gym el bol loono ghame2 metl el cola w 3adalati btuja3ni kteer", "rhabdo_signs"),
    ("men ba3d el tamreen mbare7 lon bawli bonni zay el shay", "rhabdo_signs"),
    ("ba3d el nadi bawli aswad w 3adalati btewga3ni awi", "rhabdo_signs"),
    # compartment_signs
    ("ejre bel jebse w el jebse d2ayye2a ktir w el waja3 mesh tabi3i", "compartment_signs"),
    ("akhadt darbe 3ala rijli mbare7 w sarat metl el 7ajar w menfou5a", "compartment_signs"),
    ("tee7t 3ala ejre w el waja3 fazee3, 7atta el mosakkenat ma nafa3et", "compartment_signs"),
    ("el gebs dayya2 awi w el wag3 mayt7amelsh", "compartment_signs"),
    # cautions
    ("batt ejre menfou5a w 7amra w s5ne men mbare7", "dvt_signs"),
    ("tzala2t 3al dara2 w ma ba2der 7ett 7eli 3aleha", "acute_injury"),
    ("el jer7 fi 2e7 w el 7amar 3am yensher", "infection_signs"),
    ("3andi tanmeel w dababees b idi men jem3a", "neuro_symptoms"),
    ("3andi shadd 3adali w es-hal w tarjee3 men el sob7", "systemic_illness"),
    ("sarli asabee3 3andi shadd b batt ejre w 3am yzeed", "persistent_or_worsening"),
    ("3melt 3amaliyye b rekbti 2abel jem3ten", "recent_surgery"),
    ("3andi hashashet 3adm, fini a3mel masaj?", "osteoporosis"),
    ("ba5od dawa msayyel lel dam 3ashan jalta 2adime", "vascular_condition"),
    ("bdit a5od dawa el kolesterol w sar 3andi shadd b fa5di", "medication_related"),
    ("3andi jer7 maftou7 b ejre, fini 7ett talj?", "open_wound"),
    ("ana 7amla w kel lele byeji 3andi shadd b ejre", "pregnancy"),
    ("hala2 3andi shadd 3adali 2awi b ejre", "active_spasm"),
])
def test_arabizi_emergencies_and_cautions_are_caught(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("ma 3andi alam bsadri w betnaffas mni7, bas 3andi shadd b ejre", "cardiac_signs"),
    ("ma 3andi alam bsadri w betnaffas mni7, bas 3andi shadd b ejre", "pe_signs"),
    ("mafeesh waga3 fi sedri w batnaffes kwayes", "cardiac_signs"),
    ("2abi ija la jalta dmaghiye men sneen, hala2 mni7", "stroke_signs"),
    ("teta kan 3anda jalta bel ras men zaman", "stroke_signs"),
    ("abooy kan 3ando jal6a fel galb gabl sneen", "cardiac_signs"),
    ("shu 3alamat el jalta 2albiye? bas bes2al", "cardiac_signs"),
    ("eh a3rad el galta fel mo5? mogarrad so2al", "stroke_signs"),
    ("law sar wejji mayel shu ba3mel?", "stroke_signs"),
    ("ma 3andi 7arara wala soda3, bas shadd b ra2bti", "sepsis_meningitis"),
    ("ma fi tanmeel bayn ejraye w el bol 3adi", "cauda_equina"),
    ("el bol loono 3adi ba3d el gym, bas 3adalati shway ta3bane", "rhabdo_signs"),
    ("ejre ma fiha shi, bas shadd khafeef", "limb_ischaemia"),
    ("kif a3mel tamareen tamaddod la batt ejre ba3d el shadd?", "dvt_signs"),
    ("a7ott talj walla kamadat sa5ne 3al shadd?", ["dvt_signs", "infection_signs"]),
])
def test_what_arabizi_leaves_alone(triage, text, code):
    assert triage.detect(text)["language"] == "ar"
    left_alone(triage, text, code)


def test_a_plain_self_care_question_in_arabizi_raises_nothing(triage):
    found = triage.detect("shu a7san tamareen tamaddod la dahri?")
    assert found["language"] == "ar", found
    assert found["codes"] == [], found


@pytest.mark.parametrize("text", [
    "ejre faj2a sarat barde w bayda w ma 3am 7es fiha",
    "sadri y3awerni wayed w 3ar2an",
])
def test_arabizi_is_named_arabic_whatever_py3langid_says(triage, text):
    named_by_its_glossary(triage, text, "ar")
