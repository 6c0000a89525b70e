"""Chinese (knowledge/languages/zh.yml): emergencies written in Chinese, in Simplified or Traditional
characters, are read through its glossary by the English red-flag rules; negated findings (没有胸痛),
someone else's past, hypothetical questions and plain self-care are left alone. Chinese is written
without spaces, so the glossary is `spaceless` (bot/triage/language.py): its keys are found inside a
run of characters. Sentences written here for these tests."""
import pytest

from bot.triage.language import Languages
from tests.triage.glossary_checks import caught_in, left_alone

caught = caught_in("zh")


@pytest.mark.parametrize("text, code", [
    # pe_signs / cardiac_signs
    ("胸口很痛，喘不过气", "pe_signs"),
    ("从早上开始一吸气胸口就刺痛，呼吸困难", "pe_signs"),
    ("我咳血了，喘不上气", "pe_signs"),
    ("胸口痛，呼吸困難，透不過氣", "pe_signs"),
    ("胸口像压了一块石头，放射到左手臂，一直出冷汗", "cardiac_signs"),
    ("胸闷，痛到下巴，还想吐", "cardiac_signs"),
    ("胸口發緊，冒冷汗，很噁心", "cardiac_signs"),
    ("我老公胸口痛，一身冷汗，现在在我身边，怎么办", "cardiac_signs"),
    # stroke_signs, the client's own and someone with the client now
    ("我突然脸歪了，说话不清楚", "stroke_signs"),
    ("嘴歪了，手臂抬不起来", "stroke_signs"),
    ("半边身体没力气，口齿不清", "stroke_signs"),
    ("我妈妈现在在我身边，她的嘴突然歪了，说话很奇怪，怎么办", "stroke_signs"),
    ("我爸突然抬不起手，说不出话，该怎么办", "stroke_signs"),
    ("我媽媽突然臉歪了，說話不清楚，該怎麼辦", "stroke_signs"),
    ("我奶奶半小时前突然嘴歪了", "stroke_signs"),
    ("爸爸在我旁边，他右边身体突然没力气了，要不要叫救护车", "stroke_signs"),
    ("我阿媽塊面歪咗，講話唔清楚，點算好", "stroke_signs"),   # Hong Kong Cantonese
    # self_harm
    ("我不想活了，想死", "self_harm"),
    ("我是个负担，没有我他们会过得更好", "self_harm"),
    ("我在想怎么自杀，已经存了很多药", "self_harm"),
    ("活著沒意思，想自殺", "self_harm"),
    # sepsis_meningitis
    ("发高烧，脖子僵硬，怕光", "sepsis_meningitis"),
    ("发烧39度，头痛欲裂，迷迷糊糊的", "sepsis_meningitis"),
    ("我儿子发烧，身上有紫色斑点，压了也不褪色，怎么办", "sepsis_meningitis"),
    ("發燒，脖子很硬，頭痛得厲害", "sepsis_meningitis"),
    # limb_ischaemia
    ("我的腿突然变得冰冷苍白，没有知觉", "limb_ischaemia"),
    ("脚突然冰凉发紫，动不了", "limb_ischaemia"),
    ("腳突然冰冷，發白，沒有感覺", "limb_ischaemia"),
    # cauda_equina
    ("腰痛，两腿之间麻木", "cauda_equina"),
    ("背痛，尿不出来", "cauda_equina"),
    ("腰痛，两条腿都没力气", "cauda_equina"),
    ("腰疼，擦屁股沒感覺", "cauda_equina"),
    # compartment_signs
    ("腿打了石膏，石膏太紧，痛得受不了，止痛药没用", "compartment_signs"),
    ("小腿被撞了，硬得像石头，还肿了", "compartment_signs"),
    ("小腿被壓傷，腫了，硬邦邦", "compartment_signs"),
    # rhabdo_signs
    ("健身以后尿是可乐色的", "rhabdo_signs"),
    ("跑完马拉松，尿像浓茶，肌肉痛得要命", "rhabdo_signs"),
    ("訓練後小便是醬油色", "rhabdo_signs"),
    # dvt_signs
    ("小腿肿了，发红，摸起来发热", "dvt_signs"),
    ("左边小腿肚红肿，发烫", "dvt_signs"),
    ("小腿腫了，而且發紅", "dvt_signs"),
    # the codes that refer or caution
    ("我摔倒了，脚踝肿了，不能走路", "acute_injury"),
    ("伤口流脓，红的越来越大", "infection_signs"),
    ("从昨天开始一直呕吐拉肚子，还抽筋", "systemic_illness"),
    ("三周前做了手术，可以按摩吗", "recent_surgery"),
    ("我在吃抗凝药，可以深层按摩吗", "vascular_condition"),
    ("开始吃他汀以后腿经常抽筋", "medication_related"),
    ("我有骨质疏松", "osteoporosis"),
    ("我怀孕了，腿抽筋", "pregnancy"),
    ("现在小腿抽筋很厉害，硬得像石头", "active_spasm"),
])
def test_chinese_emergencies_are_caught(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    # negated, in Chinese word order
    ("没有胸痛，呼吸正常", "cardiac_signs"),
    ("没有胸痛，也没有呼吸困难", "pe_signs"),
    ("沒有胸痛，也沒有喘不過氣", "pe_signs"),
    ("我没有喘不过气，只是小腿抽筋", "pe_signs"),
    ("不发烧，脖子也不硬，只是小腿抽筋", "sepsis_meningitis"),
    ("小腿不肿也不红", "dvt_signs"),
    ("脸没有歪，说话也正常", "stroke_signs"),
    ("腰痛，但是没有麻木，大小便正常", "cauda_equina"),
    ("我没想过自杀", "self_harm"),
    # someone else's past
    ("我爸爸几年前中风过", "stroke_signs"),
    ("我妈妈很多年前腿上有过血栓", "dvt_signs"),
    ("我奶奶以前中风过，现在很好", "stroke_signs"),
    # hypothetical
    ("心脏病发作有什么症状？只是好奇", "cardiac_signs"),
    ("中风有什么症状", "stroke_signs"),
    ("如果胸口痛该怎么办", "cardiac_signs"),
    ("如果我脸歪了该怎么办", "stroke_signs"),
    # plain self-care and figures of speech
    ("小腿抽筋以后怎么拉伸", "dvt_signs"),
    ("抽筋的时候热敷好还是冰敷好", "active_spasm"),
    ("晚上腿抽筋，喝水有用吗", "active_spasm"),
    ("健身以后肌肉酸痛，正常吗", "rhabdo_signs"),
    ("累死了，腿好酸", "self_harm"),
    ("脖子有点僵硬，睡觉落枕了", "sepsis_meningitis"),
    ("坐久了腿麻", "limb_ischaemia"),
])
def test_chinese_non_findings_are_left_alone(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, english", [
    ("没有胸痛", "no chest pain"),            # negation before what it negates, as in English
    ("不能呼吸", "can't breathe"),            # "not" fused with the verb: one key, not "not can breathe"
    ("我妈妈", "my mum"),                     # someone else: read before "我" (i) and "妈" inside it
    ("我媽媽", "my mum"),                     # the Traditional form of the same words
    ("腿没有力气", "leg weak"),               # the longer key at the same character wins ("没有" is "no")
])
def test_the_glossary_reads_chinese_word_order(triage, text, english):
    assert triage.languages.gloss(text, "zh") == english


# --- bot/triage/language.py: `spaceless: true`, for languages written without spaces

def _languages(spaceless: bool) -> Languages:
    glossary = {"我": "i", "胸口": "chest", "痛": "pain", "没有": "no", "没有力气": "weak", "麻*": "numb"}
    return Languages({"zh": {"name": "中文", "glossary": glossary, "spaceless": spaceless}})


def test_spaceless_keys_are_found_inside_a_run_of_characters_and_padded_with_spaces():
    languages = _languages(spaceless=True)
    assert languages.gloss("我胸口痛", "zh") == "i chest pain"
    assert languages.gloss("没有力气，胸口痛", "zh") == "weak , chest pain"   # longest key first
    assert languages.gloss("腿麻了", "zh") == "腿 numb 了"   # a stem is its bare letters: no endings
    assert languages.named("我胸口痛") == "zh"               # the glossary reads it: a language


def test_without_spaceless_a_key_must_stand_as_a_word_of_its_own():
    languages = _languages(spaceless=False)
    assert languages.gloss("我胸口痛", "zh") == "我胸口痛"
    assert languages.gloss("我 胸口 痛", "zh") == "i chest pain"
