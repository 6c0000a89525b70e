"""Bengali (knowledge/languages/bn.yml): Bangladeshi and West Bengal everyday wording in Bengali script,
common Sylheti spellings, Bengali mixed with English, and Bengali in Latin letters (Banglish), read
through its glossary by the English red-flag rules; negated findings, a relative's past, questions
about signs and plain self-care questions are left alone. py3langid has no Banglish: `romanised: true`
lets the glossary that reads the message decide (bot/triage/language.py). Sentences written here for
these tests."""
import pytest

from bot.triage.language import fold
from tests.triage.glossary_checks import caught_in, left_alone, named_by_its_glossary

caught = caught_in("bn")


@pytest.mark.parametrize("text, code", [
    # pe_signs
    ("বুকে ব্যথা করছে আর শ্বাস নিতে পারছি না", "pe_signs"),
    ("কাশির সাথে রক্ত আসছে, সকাল থেকে শ্বাসকষ্ট হচ্ছে", "pe_signs"),
    ("শ্বাস নিলে বুকে ব্যথা করে, বসে থাকলেও হাঁপিয়ে যাচ্ছি", "pe_signs"),
    ("বুকো বিষ করের, দম লইতে পাররাম না", "pe_signs"),                        # Sylheti
    ("আমার chest এ pain আর শ্বাস নিতে কষ্ট হচ্ছে", "pe_signs"),               # mixed
    ("buke betha ar shash nite parchi na", "pe_signs"),                         # Banglish
    ("shash kosto hocche ar kashir sathe rokto ashche", "pe_signs"),
    ("নিঃশ্বাস নিতে কষ্ট হচ্ছে, ঠোঁট নীল হয়ে গেছে", "pe_signs"),
    # cardiac_signs
    ("বুকে চাপ চাপ লাগছে, ব্যথা বাম হাতে ছড়িয়ে যাচ্ছে আর ঠান্ডা ঘাম হচ্ছে", "cardiac_signs"),
    ("বুক ভারী লাগছে, চোয়াল পর্যন্ত ব্যথা, বমি বমি লাগছে", "cardiac_signs"),
    ("বুকটা চেপে ধরে আছে, ঘামছি, মনে হচ্ছে হার্ট অ্যাটাক হচ্ছে", "cardiac_signs"),
    ("আমার আব্বা আমার পাশে বসে আছেন, উনার বুকে প্রচণ্ড ব্যথা আর ঘামছেন", "cardiac_signs"),
    ("my abbu is sitting next to me, উনার বুকে চাপ আর ঘাম হচ্ছে", "cardiac_signs"),
    ("buke chap, bam hate choriye jacche, ghame bhije gechi", "cardiac_signs"),
    # stroke_signs, the client's own and a relative with the client now
    ("হঠাৎ আমার মুখ একদিকে বেঁকে গেছে আর কথা জড়িয়ে যাচ্ছে", "stroke_signs"),
    ("ডান হাত তুলতে পারছি না, শরীরের ডান পাশ অবশ হয়ে গেছে", "stroke_signs"),
    ("আমার মা আমার পাশে বসে আছেন, হঠাৎ উনার মুখ বেঁকে গেছে, কথা বলতে পারছেন না। কি করব?", "stroke_signs"),
    ("আমার আব্বু আধা ঘণ্টা আগে থেকে কথা জড়িয়ে বলছেন, বাম হাত তুলতে পারছেন না", "stroke_signs"),
    ("আমার নানী আমার সাথে আছেন, উনার কথা জড়িয়ে যাচ্ছে আর মুখ একপাশে ঝুলে পড়েছে", "stroke_signs"),
    ("আমার বাবার মুখ হঠাৎ বেঁকে গেছে, এখন কী করব?", "stroke_signs"),
    ("মুখ বেকা অই গেছে, মাত জড়াই যার", "stroke_signs"),                          # Sylheti
    ("আমার মুখ বেঁকে গিয়েছিল কিন্তু এখন ঠিক হয়ে গেছে", "stroke_signs"),          # passed: still 999
    ("hothat mukh beke geche ar kotha jorie jacche", "stroke_signs"),
    ("আমার বউ আমার পাশে আছে, হঠাৎ কথা জড়িয়ে যাচ্ছে, কি করব", "stroke_signs"),
    ("আমার আব্বা আমার লগে আছইন, মুখ বেকা অই গেছে", "stroke_signs"),             # Sylheti
    # self_harm, said directly and indirectly
    ("আর বাঁচতে ইচ্ছে করে না, মরে যেতে ইচ্ছে করছে", "self_harm"),
    ("আমি সবার বোঝা, আমি না থাকলে সবাই ভালো থাকবে", "self_harm"),
    ("মাঝে মাঝে নিজের ক্ষতি করতে ইচ্ছা করে", "self_harm"),
    ("ঘুমের ওষুধ জমাচ্ছি, সব একসাথে খেয়ে ফেলব", "self_harm"),
    ("আত্মহত্যার চিন্তা মাথায় ঘুরছে", "self_harm"),
    ("মাঝে মাঝে মনে হয় সব শেষ করে দেই", "self_harm"),
    ("ঘুমিয়ে যেন আর না উঠি", "self_harm"),
    ("ar parchi na, more jete ichche korche", "self_harm"),
    # sepsis_meningitis
    ("খুব জ্বর, ঘাড় শক্ত হয়ে গেছে আর আলো সহ্য করতে পারছি না", "sepsis_meningitis"),
    ("আমার ছেলের জ্বর, গায়ে বেগুনি দাগ, গ্লাস দিয়ে চাপলেও যাচ্ছে না", "sepsis_meningitis"),
    ("জ্বরের সাথে আবোল তাবোল বকছে, হাত পা ছোপ ছোপ নীল", "sepsis_meningitis"),
    ("কাঁপুনি দিয়ে জ্বর, প্রচণ্ড মাথাব্যথা", "sepsis_meningitis"),
    ("জ্বর আর ঘাড় নাড়াতে পারছি না", "sepsis_meningitis"),
    ("জ্বর আর গায়ের চামড়া ছোপ ছোপ, নীলচে হয়ে গেছে", "sepsis_meningitis"),
    ("আমার স্বামীর খুব জ্বর, উল্টাপাল্টা কথা বলছে, কাউকে চিনতে পারছে না", "sepsis_meningitis"),
    ("আমার মেয়ের খুব জ্বর, ঘাড় শক্ত হয়ে গেছে, কী করব?", "sepsis_meningitis"),
    ("onek jor ar ghar shokto hoye geche", "sepsis_meningitis"),
    # limb_ischaemia
    ("আমার বাম পা হঠাৎ বরফের মতো ঠান্ডা আর সাদা হয়ে গেছে", "limb_ischaemia"),
    ("ডান হাত হঠাৎ নীল হয়ে গেছে, অবশ, আঙুল নাড়াতে পারছি না", "limb_ischaemia"),
    ("হাত হঠাৎ ঠান্ডা আর ফ্যাকাশে হয়ে গেছে", "limb_ischaemia"),
    ("বাম পা হঠাৎ অবশ, ঠান্ডা, নাড়াতে পারছি না", "limb_ischaemia"),
    ("amar pa hothat thanda hoye geche ar shada hoye geche", "limb_ischaemia"),
    # cauda_equina
    ("কোমরে প্রচণ্ড ব্যথা, দুই পায়ের মাঝখানে অবশ লাগছে", "cauda_equina"),
    ("মাজা ব্যথার সাথে প্রস্রাব আটকে গেছে", "cauda_equina"),
    ("পিঠে ব্যথা, দুই পায়েই জোর পাচ্ছি না", "cauda_equina"),
    ("কোমর ব্যথা আর কাল থেকে প্রস্রাব ধরে রাখতে পারছি না", "cauda_equina"),
    ("কোমরে ব্যথা আর মুছলে কিছু টের পাই না", "cauda_equina"),
    ("কোমর ব্যথা, কাপড়ে প্রস্রাব হয়ে গেছে টের পাইনি", "cauda_equina"),
    ("কমরো বিষ, পেশাব আটকে গেছে", "cauda_equina"),                               # Sylheti
    ("komore betha ar prosrab atke geche", "cauda_equina"),
    ("pithe betha, dui payer majhe obosh lagche", "cauda_equina"),
    # rhabdo_signs
    ("জিমের পরে প্রস্রাবের রং কোকের মতো, মাংসপেশিতে প্রচণ্ড ব্যথা", "rhabdo_signs"),
    ("কাল ম্যারাথন দৌড়ানোর পর প্রস্রাব চায়ের মতো কালো", "rhabdo_signs"),
    ("গতকাল অনেক স্কোয়াট করেছি, আজ প্রস্রাব কোকের মতো আর পায়ে জোর পাচ্ছি না", "rhabdo_signs"),
    ("ajke gym er pore theke prosraber rong kalo hoye geche", "rhabdo_signs"),
    # compartment_signs
    ("প্লাস্টার খুব টাইট, ব্যথা সহ্যের বাইরে", "compartment_signs"),
    ("ফুটবল খেলতে গিয়ে পায়ে চোট লেগেছে, এখন পা ফুলে পাথরের মতো শক্ত হয়ে গেছে", "compartment_signs"),
    ("পড়ে গিয়েছিলাম, ব্যথার ওষুধেও কাজ হচ্ছে না, প্রচণ্ড ব্যথা", "compartment_signs"),
    ("হাতে প্লাস্টার, ভেতরে অসহ্য ব্যথা আর আঙুল অবশ", "compartment_signs"),
    ("হাতে প্লাস্টার দেওয়ার পর থেকে ব্যথা সহ্য করা যাচ্ছে না, আঙুল ফুলে গেছে", "compartment_signs"),
    ("plaster khub tight, osojjo betha", "compartment_signs"),
    # cautions
    ("পায়ের ডিম ফুলে গেছে, লাল আর গরম হয়ে আছে", "dvt_signs"),
    ("payer dim fule geche ar lal hoye geche", "dvt_signs"),
    ("হাতে ঝিনঝিন করছে", "neuro_symptoms"),
    ("সিঁড়ি থেকে পড়ে গেছি, এখন পায়ে ভর দিতে পারছি না", "acute_injury"),
    ("ক্ষত থেকে পুঁজ বের হচ্ছে আর লালচে ভাব ছড়াচ্ছে", "infection_signs"),
    ("পায়ে খিল ধরছে, সাথে বমি আর পাতলা পায়খানা", "systemic_illness"),
    ("কয়েক সপ্তাহ ধরে পিঠে খিঁচুনি, দিন দিন বাড়ছে", "persistent_or_worsening"),
    ("দুই সপ্তাহ আগে হাঁটুর অপারেশন হয়েছে", "recent_surgery"),
    ("আমার হাড় ক্ষয় রোগ আছে, ম্যাসাজ করা যাবে?", "osteoporosis"),
    ("আমি রক্ত পাতলা করার ওষুধ খাই", "vascular_condition"),
    ("কোলেস্টেরলের ওষুধ শুরু করার পর থেকে পায়ে টান ধরে", "medication_related"),
    ("পায়ে একটা খোলা ক্ষত আছে", "open_wound"),
    ("আমি ছয় মাসের গর্ভবতী, রাতে পায়ে খিল ধরে", "pregnancy"),
    ("এই মুহূর্তে পায়ের ডিমে খিল ধরেছে, প্রচণ্ড ব্যথা, ছাড়ছে না", "active_spasm"),
    ("এখন পায়ে খিল ধরেছে, খুব ব্যথা", "active_spasm"),
])
def test_bengali_emergencies_and_cautions_are_caught(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("বুকে ব্যথা নেই, শ্বাসও ঠিক আছে", "cardiac_signs"),
    ("বুকে ব্যথা নেই, শ্বাসও ঠিক আছে", "pe_signs"),
    ("buke betha nai, shudhu pithe tan", "cardiac_signs"),
    ("জ্বর নেই, শুধু ঘাড়ে একটু টান", "sepsis_meningitis"),
    ("জ্বর নাই, ঘাড় একটু শক্ত ঘুমানোর পর থেকে", "sepsis_meningitis"),
    ("পা অবশ হয়নি, শুধু ব্যথা", "limb_ischaemia"),
    ("দুই পায়ের মাঝে কোনো অবশ ভাব নেই, প্রস্রাবও স্বাভাবিক", "cauda_equina"),
    # a relative's past
    ("আমার বাবার অনেক বছর আগে স্ট্রোক হয়েছিল, এখন উনি ভালো আছেন", "stroke_signs"),
    ("আমার বাবার স্ট্রোক হয়েছিল", "stroke_signs"),
    ("আমার দাদা পাঁচ বছর আগে স্ট্রোক করেছিলেন", "stroke_signs"),
    ("আমার মায়ের দশ বছর আগে হার্ট অ্যাটাক হয়েছিল", "cardiac_signs"),
    ("আমার মায়ের হার্ট অ্যাটাক হয়েছিল, এখন আমার পায়ে খিল ধরে", "cardiac_signs"),
    ("বাবার বহু বছর আগে ব্রেন স্ট্রোক হয়েছিল", "stroke_signs"),
    # questions about signs
    ("হার্ট অ্যাটাকের লক্ষণগুলো কী কী? এমনি জানতে চাইছি", "cardiac_signs"),
    ("স্ট্রোকের লক্ষণ কী কী?", "stroke_signs"),
    ("মুখ বেঁকে গেলে কী করতে হয়?", "stroke_signs"),
    ("mukh beke gele ki korbo?", "stroke_signs"),
    # negated, or over at once after an effort
    ("আমার মুখ বেঁকে যায়নি, এখন শুধু ঘাড়ে ব্যথা", "stroke_signs"),
    ("দৌড়ানোর পর একটু হাঁপিয়ে যাই, এক মিনিটে ঠিক হয়ে যায়", "pe_signs"),
    ("ব্যায়াম করতে করতে মরে যাচ্ছি, এত কষ্ট!", "self_harm"),
    # plain cramp and self-care questions
    ("পায়ের ডিমে খিল ধরলে কীভাবে স্ট্রেচ করব?", "dvt_signs"),
    ("গরম সেঁক দেব নাকি বরফ?", "dvt_signs"),
    ("ব্যায়ামের পর পায়ে একটু ব্যথা, কী স্ট্রেচ করব?", "rhabdo_signs"),
    ("আমার বুকের মাংসপেশিতে টান, জিমে বেঞ্চ প্রেস করার পর", "cardiac_signs"),
    ("পড়ে যাইনি, শুধু পায়ে খিল ধরে", "compartment_signs"),
    ("গরমে পায়ে খিল ধরে, কী খাব?", "dvt_signs"),
    ("রাতে গরম দুধ খেলে কি পায়ের খিল কমে?", "dvt_signs"),
    ("লাল চা খেলে কি পায়ের খিল কমে?", "dvt_signs"),
    ("রক্ত পরীক্ষা করেছি, কাশি আছে একটু", "pe_signs"),
    ("সামনের মাসে হাঁটুর অপারেশন হবে, এখন কী ব্যায়াম করব?", "recent_surgery"),
])
def test_what_bengali_leaves_alone(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text", [
    "পিঠে ব্যথার জন্য কোন ব্যায়াম ভালো?",
    "পানি কম খেলে কি পায়ে খিল ধরে?",
])
def test_a_plain_self_care_question_in_bengali_raises_nothing(triage, text):
    found = triage.detect(text)
    assert found["language"] == "bn", found
    assert found["codes"] == [], found


def test_booking_in_bengali_is_not_a_chest(triage):
    found = triage.detect("পিঠের ব্যথার জন্য ম্যাসাজ বুক করতে চাই, পাঁচটার পরে সময় আছে?")
    assert found["language"] == "bn", found
    assert not {"cardiac_signs", "pe_signs"} & set(found["codes"]), found


# --- bot/triage/language.py: Banglish routed by its glossary; Bengali spellings folded alike

@pytest.mark.parametrize("text", [
    "buke betha ar shash nite parchi na",
    "komore betha ar prosrab atke geche",
])
def test_banglish_is_named_bengali_whatever_py3langid_says(triage, text):
    named_by_its_glossary(triage, text, "bn")


@pytest.mark.parametrize("text, language", [
    ("me duele el pecho y me falta el aire", "es"),
    ("ma mère a eu un AVC il y a des années", "fr"),
    ("mein Bein ist kalt und taub", "de"),
    ("seene mein dard hai aur saans nahi aa rahi", "ur"),
    ("kamar mein dard hai aur peshab par control nahi raha", "ur"),
])
def test_the_banglish_glossary_does_not_take_other_latin_languages(triage, text, language):
    assert triage.languages.named(text) == language
    assert triage.languages.best_glossary(text) == language


def test_bengali_spellings_fold_alike():
    # hasanta and nukta dropped; ড় typed as one letter or as ড + nukta
    assert fold("ব্যথা") == fold("বযথা")
    assert fold("পড়ে") == fold("পড\u09bcে")
    assert fold("হয়েছে") == fold("হয\u09bcেছে")
