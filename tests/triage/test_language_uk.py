"""Ukrainian (knowledge/languages/uk.yml): emergencies written in Ukrainian, with or without the
apostrophe (кров'ю, кров’ю, кровʼю, кровю), are read through its glossary by the English red-flag rules;
negated findings, someone else's past, hypothetical questions and plain self-care are left alone.
Ukrainian and Russian share many words: each sentence here is named Ukrainian by the triage, and a
message py3langid takes for Russian or Bulgarian is still read through the Ukrainian glossary, the one
that covers most of it among py3langid's three likeliest. Sentences written here for these tests."""
import pytest

from tests.triage.glossary_checks import caught_in, left_alone

caught = caught_in("uk")


@pytest.mark.parametrize("text, code", [
    # pe_signs / cardiac_signs
    ("У мене сильно болить у грудях і не можу дихати", "pe_signs"),
    ("з ранку не вистачає повітря і боляче вдихнути", "pe_signs"),
    ("Кашляю кров'ю і задихаюся", "pe_signs"),
    ("Кашляю кровю і задихаюся", "pe_signs"),
    ("задишка навіть у спокої, коле в грудях при вдиху", "pe_signs"),
    ("Тисне в грудях, віддає в ліву руку, холодний піт", "cardiac_signs"),
    ("стискає груди, віддає в щелепу і мене нудить", "cardiac_signs"),
    ("пече в грудях і віддає в спину, весь у холодному поту", "cardiac_signs"),
    # stroke_signs, the client's own and someone with the client now
    ("Раптово перекосило обличчя і мова нечітка", "stroke_signs"),
    ("рот перекосило і не можу підняти руку", "stroke_signs"),
    ("оніміла ліва сторона тіла і язик заплітається", "stroke_signs"),
    ("моя мама тут зі мною, у неї раптом перекосило рот і вона дивно говорить, що робити", "stroke_signs"),
    ("мій тато раптово не може підняти руку і говорить нечітко, що робити", "stroke_signs"),
    ("дружина раптом почала говорити нечітко і в неї опустився куточок рота", "stroke_signs"),
    # self_harm
    ("Не хочу жити, хочу померти", "self_harm"),
    ("я тягар для всіх, без мене їм буде краще", "self_harm"),
    ("думаю про те як покінчити з собою, накопичила таблетки", "self_harm"),
    ("втомилася жити, не бачу сенсу, всім буде краще без мене", "self_harm"),
    # sepsis_meningitis
    ("температура 39 і сплутаність свідомості, шкіра мармурова", "sepsis_meningitis"),
    ("температура і висипка, не зникає під склянкою", "sepsis_meningitis"),
    ("у сина температура під 40, шия не гнеться, він поруч зі мною, що робити", "sepsis_meningitis"),
    # limb_ischaemia
    ("Нога раптово стала крижаною і блідою, не відчуваю стопу", "limb_ischaemia"),
    ("стопа холодна і синя, не можу поворухнути пальцями", "limb_ischaemia"),
    ("у бабусі щойно нога стала холодною і білою, вона не відчуває стопу, що нам робити",
     "limb_ischaemia"),
    # cauda_equina
    ("У мене болить спина і оніміло між ніг", "cauda_equina"),
    ("у мене сильно болить поперек і з ранку не можу втримати сечу", "cauda_equina"),
    ("біль у спині і обидві ноги ослабли", "cauda_equina"),
    ("прихопило спину, і не відчуваю коли витираюсь", "cauda_equina"),
    # compartment_signs
    ("Нога в гіпсі, занадто тугий, біль нестерпний, знеболювальні не допомагають", "compartment_signs"),
    ("отримав удар по литці, вона тверда як камінь і опухла", "compartment_signs"),
    # rhabdo_signs ("коли" is "when": cola is read in its phrases only)
    ("після тренування сеча темна як кола", "rhabdo_signs"),
    ("після спортзалу м'язи жахливо болять і сеча кольору чаю", "rhabdo_signs"),
    ("після марафону сеча коричнева, м’язи болять набагато сильніше ніж зазвичай", "rhabdo_signs"),
    # dvt_signs
    ("ліва литка набрякла і стала червоною з учорашнього дня", "dvt_signs"),
    ("моя литка опухла і почервоніла ще з учорашнього дня", "dvt_signs"),
    # the codes that refer or caution
    ("рана гноїться і почервоніння розповзається", "infection_signs"),
    ("з учорашнього дня у мене блювота і пронос, ще й судоми в ногах", "systemic_illness"),
    ("три тижні тому мені зробили операцію на коліні, чи можна масаж", "recent_surgery"),
    ("приймаю ліки, що розріджують кров, чи можна глибокий масаж", "vascular_condition"),
    ("почав приймати статини, відтоді судоми", "medication_related"),
    ("прямо зараз дуже сильна судома в литці, тверда як камінь", "active_spasm"),
])
def test_ukrainian_emergencies_are_caught(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    # py3langid takes these for Russian or Bulgarian: the triage names the language py3langid ranks
    # first, but the Ukrainian glossary, which covers most of each, reads the emergency
    ("Висока температура, шия не гнеться і світло ріже очі", "sepsis_meningitis"),
    ("У мене литка опухла, почервоніла і гаряча на дотик", "dvt_signs"),
    ("впала зі сходів, щиколотка опухла, не можу стати на ногу", "acute_injury"),
    ("я вагітна, чи можна масаж спини", "pregnancy"),
])
def test_ukrainian_taken_for_a_neighbour_is_still_read_in_ukrainian(triage, text, code):
    assert triage.languages.best_glossary(text) == "uk"
    assert code in triage.detect(text)["codes"]


@pytest.mark.parametrize("text, code", [
    # negated
    ("Груди не болять, дихаю нормально", "cardiac_signs"),
    ("немає болю в грудях і немає задишки", "pe_signs"),
    ("ні задишки, ні болю в грудях немає, просто судома", "pe_signs"),
    ("температури немає, шия не болить, тільки судома в литці", "sepsis_meningitis"),
    ("литка не опухла і не червона", "dvt_signs"),
    # someone else's past
    ("у тата багато років тому був інсульт", "stroke_signs"),
    ("у мами багато років тому був тромб у нозі", "dvt_signs"),
    ("мій друг багато років тому думав про самогубство, а в мене просто болить шия", "self_harm"),
    ("у дідуся давно був інсульт, а в мене судоми в литках ночами", "stroke_signs"),
    # hypothetical
    ("які симптоми інфаркту, просто цікаво", "cardiac_signs"),
    ("якщо заболить у грудях, що робити", "cardiac_signs"),
    ("а що якщо температура і шия болить, це менінгіт?", "sepsis_meningitis"),
    ("які ознаки тромбу в нозі?", "dvt_signs"),
    # over by now, plain self-care, a shoulder that will not go overhead after a fall
    ("нога затерпла коли сидів, але одразу минуло", "limb_ischaemia"),
    ("як розтягнути литку після судоми", "dvt_signs"),
    ("що краще при судомі: масаж, тепло чи лід", "active_spasm"),
    ("як робити розтяжку литки, і скільки пити води", "active_spasm"),
    ("коли болять м'язи після тренування, що робити", "rhabdo_signs"),
    ("впала на плече і не можу підняти руку над головою", "stroke_signs"),
])
def test_ukrainian_non_findings_are_left_alone(triage, text, code):
    left_alone(triage, text, code)
