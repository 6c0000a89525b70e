"""Arabic (knowledge/languages/ar.yml): Standard, Egyptian, Levantine and Gulf everyday wording in
Arabic script, and common Arabizi in Latin letters, read through its glossary by the English
red-flag rules; negated findings, other people's past, hypotheticals and plain self-care questions
are left alone. Sentences written here for these tests."""
import pytest

from tests.triage.glossary_checks import caught_in, left_alone


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
