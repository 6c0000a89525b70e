"""Russian (knowledge/languages/ru.yml): emergencies written in Russian, with "е" typed for "ё", are
read through its glossary by the English red-flag rules; negated findings, someone else's past,
hypothetical questions and plain self-care are left alone. Russian and Ukrainian share many words:
each sentence here is named Russian by the triage, and a short message py3langid takes for Bulgarian
(a language the assistant does not read) is still read through the Russian glossary, the one that
covers most of it among py3langid's three likeliest. Sentences written here for these tests."""
import pytest

from tests.triage.glossary_checks import caught_in, left_alone

caught = caught_in("ru")


@pytest.mark.parametrize("text, code", [
    # pe_signs / cardiac_signs
    ("У меня сильно болит грудь и не могу дышать", "pe_signs"),
    ("с утра не хватает воздуха и больно вдохнуть", "pe_signs"),
    ("Кашляю кровью и задыхаюсь", "pe_signs"),
    ("щас задыхаюсь, не могу нормально дышать", "pe_signs"),
    ("Давит в груди, отдает в левую руку, холодный пот", "cardiac_signs"),
    ("сжимает грудь, отдаёт в челюсть и меня тошнит", "cardiac_signs"),
    ("жжет в груди и отдает в спину, весь в холодном поту", "cardiac_signs"),
    # stroke_signs, the client's own and someone with the client now
    ("Внезапно перекосило лицо и речь невнятная", "stroke_signs"),
    ("рот перекосило и не могу поднять руку", "stroke_signs"),
    ("онемела левая сторона тела и язык заплетается", "stroke_signs"),
    ("моя мама здесь со мной, у нее вдруг перекосило рот и она странно говорит, что делать", "stroke_signs"),
    ("мой папа внезапно не может поднять руку и говорит невнятно, что делать", "stroke_signs"),
    ("у мужа только что отнялась рука и перекосило лицо, он рядом со мной, вызывать скорую?", "stroke_signs"),
    # self_harm
    ("Не хочу жить, хочу умереть", "self_harm"),
    ("я обуза для всех, без меня им будет лучше", "self_harm"),
    ("думаю о том как покончить с собой, накопила таблетки", "self_harm"),
    ("устала жить, не вижу смысла, всем будет лучше без меня", "self_harm"),
    # sepsis_meningitis
    ("Высокая температура, шея не гнется и свет режет глаза", "sepsis_meningitis"),
    ("температура 39 и спутанность сознания, кожа мраморная", "sepsis_meningitis"),
    ("температура и сыпь, не исчезает под стаканом", "sepsis_meningitis"),
    ("у сына температура под 40, шея не гнется, он рядом со мной, что делать", "sepsis_meningitis"),
    # limb_ischaemia
    ("Нога внезапно стала ледяной и бледной, не чувствую стопу", "limb_ischaemia"),
    ("стопа холодная и синяя, не могу пошевелить пальцами", "limb_ischaemia"),
    ("у бабушки только что нога стала холодной и белой, она не чувствует стопу, что нам делать",
     "limb_ischaemia"),
    # cauda_equina
    ("У меня болит спина и онемело между ног", "cauda_equina"),
    ("у меня сильно болит поясница и с утра не могу удержать мочу", "cauda_equina"),
    ("боль в спине и обе ноги ослабли", "cauda_equina"),
    ("прихватило спину, и не чувствую когда вытираюсь", "cauda_equina"),
    # compartment_signs
    ("Нога в гипсе, слишком тугой, боль невыносимая, обезболивающие не помогают", "compartment_signs"),
    ("получил удар по икре, она твердая как камень и опухла", "compartment_signs"),
    # rhabdo_signs
    ("после тренировки моча темная как кола", "rhabdo_signs"),
    ("после спортзала мышцы ужасно болят и моча цвета чая", "rhabdo_signs"),
    ("после марафона моча коричневая, мышцы болят намного сильнее обычного", "rhabdo_signs"),
    # dvt_signs
    ("У меня икра опухла, покраснела и горячая на ощупь", "dvt_signs"),
    ("левая икра отекла и стала красной со вчерашнего дня", "dvt_signs"),
    # the codes that refer or caution
    ("упала с лестницы, лодыжка опухла, не могу наступить на ногу", "acute_injury"),
    ("рана гноится и покраснение расползается", "infection_signs"),
    ("со вчерашнего дня у меня рвота и понос, еще и судороги в ногах", "systemic_illness"),
    ("принимаю разжижающие кровь, можно глубокий массаж", "vascular_condition"),
    ("начал принимать статины, с тех пор судороги", "medication_related"),
    ("прямо сейчас очень сильная судорога в икре, твердая как камень", "active_spasm"),
    ("я беременна, можно массаж спины", "pregnancy"),
])
def test_russian_emergencies_are_caught(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    # py3langid takes these short messages for Bulgarian: the triage names no language it reads, but
    # the Russian glossary, which covers most of each, reads the emergency
    ("Болит спина и онемело между ног", "cauda_equina"),
    ("Икра опухла, покраснела и горячая", "dvt_signs"),
    ("три недели назад мне сделали операцию на колене, можно ли мне массаж", "recent_surgery"),
])
def test_russian_taken_for_a_neighbour_is_still_read_in_russian(triage, text, code):
    assert triage.languages.best_glossary(text) == "ru"
    assert code in triage.detect(text)["codes"]


@pytest.mark.parametrize("text, code", [
    # negated
    ("Грудь не болит, дышу нормально", "cardiac_signs"),
    ("нет боли в груди и нет одышки", "pe_signs"),
    ("ни одышки, ни боли в груди нет, просто судорога", "pe_signs"),
    ("нет температуры, шея не болит, только судорога в икре", "sepsis_meningitis"),
    ("икра не опухла и не красная", "dvt_signs"),
    # someone else's past
    ("у папы много лет назад был инсульт", "stroke_signs"),
    ("у мамы много лет назад был тромб в ноге", "dvt_signs"),
    ("мой друг много лет назад думал о самоубийстве, а у меня просто болит шея", "self_harm"),
    ("у дедушки давно был инсульт, а у меня судороги в икрах по ночам", "stroke_signs"),
    # hypothetical
    ("какие симптомы инфаркта, просто интересно", "cardiac_signs"),
    ("если заболит грудь, что делать", "cardiac_signs"),
    ("что если температура и шея болит, это менингит?", "sepsis_meningitis"),
    ("какие признаки тромба в ноге?", "dvt_signs"),
    # over by now, plain self-care, a shoulder that will not go overhead after a fall
    ("нога затекла когда сидел, но сразу прошло", "limb_ischaemia"),
    ("как растянуть икру после судороги", "dvt_signs"),
    ("что лучше при судороге: массаж, тепло или лед", "active_spasm"),
    ("как делать растяжку икры, и сколько пить воды", "active_spasm"),
    ("упала на плечо и не могу поднять руку над головой", "stroke_signs"),
])
def test_russian_non_findings_are_left_alone(triage, text, code):
    left_alone(triage, text, code)
