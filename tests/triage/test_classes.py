"""The classes of words issue "Red flags in anyone's words" named, one test per class, on the rules
alone (the deterministic core): each class must be caught, or left alone, however it is worded.

Examples are the issue's own and a few more of each class; the blind sets (eval/blind/) measure
wordings nobody here wrote.
"""
import pytest

from bot.triage.normalise import clean


def codes(triage, text):
    return set(triage.detect(text)["codes"])


def caught(triage, text, code):
    found = triage.detect(text)
    assert code in found["codes"], found


def left_alone(triage, text, code):
    found = triage.detect(text)
    assert code not in found["codes"], found


# --- how people write ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text, code", [
    ("cant breath since this morning", "pe_signs"),
    ("my cheast is tite and goin into me jaw", "cardiac_signs"),
    ("cant get my breth and my leg is killing me", "pe_signs"),
    ("my nek is relly stif and i got a feva", "sepsis_meningitis"),
])
def test_typos_and_phonetic_spelling(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("me bits are numb since me back went", "cauda_equina"),
    ("had the squits all week and now my calves are cramping", "systemic_illness"),
    ("cant feel anything down there when i wipe", "cauda_equina"),
    ("lowkey i wanna kill myself tbh", "self_harm"),
])
def test_slang_and_text_speak(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("no control over my bladder since this morning", "cauda_equina"),
    ("haven't peed since yesterday and my back is in spasm", "cauda_equina"),
    ("I can't take a deep breath", "pe_signs"),
    ("I can't lift my left arm and my words come out wrong", "stroke_signs"),
])
def test_symptom_stated_as_a_negative(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("never had chest pain like this before", "cardiac_signs"),
    ("never had pain this bad, my cast is so tight", "compartment_signs"),
])
def test_never_had_it_like_this_before(triage, text, code):
    caught(triage, text, code)


def test_a_start_date_says_it_goes_on_now(triage):
    caught(triage, "since last year I can't control my bladder", "cauda_equina")


@pytest.mark.parametrize("text, code", [
    ("if I lie down I can't breathe", "pe_signs"),
    ("if I breathe in my chest hurts", "cardiac_signs"),
    ("when I lie flat I can't breathe", "pe_signs"),
])
def test_if_and_when_clauses_that_report(triage, text, code):
    assert code in codes(triage, text) or "pe_signs" in codes(triage, text)


@pytest.mark.parametrize("text", [
    "honestly everyone would be better off if I wasn't here",
    "I'd rather not wake up tomorrow",
    "what's the point of going on like this",
    "I've been saving up my tablets",
    "I've written letters to my kids and sorted my will",
])
def test_indirect_suicidal_thoughts(triage, text):
    caught(triage, text, "self_harm")


@pytest.mark.parametrize("text", [
    "my back is in spasm and I can't feel it when I wipe",
    "back's gone and my bits are numb",
    "both legs are weak and my lower back is in agony",
    "back spasm and I didn't feel it coming out when I went for a poo",
])
def test_cauda_equina_in_lay_words(triage, text):
    caught(triage, text, "cauda_equina")


@pytest.mark.parametrize("text", [
    "my mouth is going down on one side",
    "my arm and leg feel heavy and won't do what I tell them",
    "my wife says I'm talking funny and my smile is lopsided",
    "I think I might be having a stroke",
])
def test_stroke_without_the_textbook_words(triage, text):
    caught(triage, text, "stroke_signs")


@pytest.mark.parametrize("text", [
    "my leg is hard like stone after the fall and the pain is unbearable",
    "my cast is agony, far worse than when I broke it, and my toes are numb",
    "after the tackle my shin is swollen and tight and the painkillers aren't touching it",
])
def test_compartment_syndrome_in_plain_words(triage, text):
    caught(triage, text, "compartment_signs")


@pytest.mark.parametrize("text, code", [
    ("tight chest going up into my jaw and I'm all clammy", "cardiac_signs"),
    ("temperature of 39, my neck is too stiff to bend forward", "sepsis_meningitis"),
    ("a rash that doesn't fade when I press a glass on it", "sepsis_meningitis"),
    ("my hand has gone icy cold and white and I can't feel my fingers", "limb_ischaemia"),
    ("my foot suddenly went pale and cold and I can't wiggle my toes", "limb_ischaemia"),
])
def test_the_new_emergency_codes(triage, text, code):
    caught(triage, text, code)


def test_chest_pain_is_not_explained_as_a_clot_without_the_clients_words(triage):
    assert codes(triage, "crushing chest pain") & {"cardiac_signs"}
    assert "pe_signs" not in codes(triage, "crushing chest pain")
    assert "pe_signs" in codes(triage, "chest pain when I breathe in and my calf is swollen")


@pytest.mark.parametrize("text, code", [
    ("me duele mucho el pecho y me falta el aire", "cardiac_signs"),
    ("nie moge oddychac i boli mnie w klatce", "pe_signs"),
    ("ma doare pieptul si nu pot respira", "pe_signs"),
    ("de repente fiquei com a boca torta", "stroke_signs"),
    ("quiero morirme, ya no puedo más", "self_harm"),
    ("am piciorul in ghips si ma doare ingrozitor", "compartment_signs"),
])
def test_emergencies_in_spanish_polish_romanian_portuguese(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, language", [
    ("me duele mucho el pecho", "es"),
    ("mam bardzo silny skurcz w łydce od rana", "pl"),
    ("مجھے کل سے ٹانگ میں درد ہے", "ur"),
    ("how do i stop back spasms", None),
    ("cant get my breth since this morning", None),
])
def test_the_language_is_named_and_english_with_typos_stays_english(triage, text, language):
    assert triage.detect(text)["language"] == language


# --- what must not fire -----------------------------------------------------------------------------
@pytest.mark.parametrize("text, code", [
    ("the run was hard today, calves are tight", "systemic_illness"),
    ("taking a long break from running", "acute_injury"),
    ("what a stroke of bad luck, pulled my hamstring", "stroke_signs"),
    ("slept on my arm and it went dead", "stroke_signs"),
    ("slept on my arm and it went dead", "neuro_symptoms"),
    ("nearly had a heart attack when I saw the bill", "cardiac_signs"),
    ("the deadlines are suffocating me, figure of speech", "pe_signs"),
    ("I swim backstroke, which stroke is kinder to my neck?", "stroke_signs"),
    ("fly fishing all weekend, casting shoulder is tight", "compartment_signs"),
    ("cabin fever is real, my back is stiff from the sofa", "infection_signs"),
])
def test_idioms_and_look_alike_words(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("breathless after sprints, fine now", "pe_signs"),
    ("legs were shaking after the marathon but I'm fine now, just crampy", "neuro_symptoms"),
    ("hands tingled a bit on the bike, gone once I stopped", "neuro_symptoms"),
    ("I had a cut on my leg last month but it's fully healed now", "open_wound"),
])
def test_what_has_passed(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("swelling? nope", "dvt_signs"),
    ("coughing up blood? god no. short of breath? no.", "pe_signs"),
    ("no tingling, no numbness, just a tight calf", "neuro_symptoms"),
])
def test_list_negation(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("my husband had a clot last year, I just get cramps", "vascular_condition"),
    ("a client I treat has severe osteoporosis, my forearms are tight", "osteoporosis"),
    ("My gran's just come out of hospital after bowel surgery", "recent_surgery"),
    ("I fell off my horse last year, fine now", "stroke_signs"),
])
def test_someone_elses_condition(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("I had my appendix out at 12", "recent_surgery"),
    ("when I was pregnant with my youngest I had awful cramps", "pregnancy"),
    ("I broke my ankle at 16 playing hockey, it healed fine", "acute_injury"),
    ("I had a c-section but that was 9 years ago", "recent_surgery"),
])
def test_childhood_and_long_past(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("is it true statins cause cramps? my GP might put me on them", "medication_related"),
    ("say my leg did go red one day, what would that mean?", "dvt_signs"),
    ("I'm having knee surgery in March", "recent_surgery"),
    ("should I be worried if both my legs ever went weak after a back spasm?", "cauda_equina"),
    ("what are the warning signs of a heart attack in women?", "cardiac_signs"),
])
def test_future_and_hypothetical(triage, text, code):
    left_alone(triage, text, code)


# --- robustness ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["my calf is swollen and hot and now I am short of breath\ud83d",
                                  "\x00\x07breathless\ufeff", "", None, "🤕" * 500, "a" * 30_000])
def test_broken_text_never_raises_and_a_flag_survives_it(triage, text):
    found = triage.detect(text)
    assert isinstance(found["codes"], list)
    if text and "short of breath" in text:
        assert "pe_signs" in found["codes"]


def test_clean_replaces_lone_surrogates_and_control_characters():
    assert clean("ok\ud83d\x00") == "ok\ufffd "


# --- classes from blind set D (development since 2026-12-04, session 7) ----------------------------
@pytest.mark.parametrize("text", [
    "came over all breathless at the depot, had to sit on the step to get my breath back",
    "so short of breath I have to stop to catch my breath on the stairs",
])
def test_stopping_to_catch_breath_is_not_recovery(triage, text):
    caught(triage, text, "pe_signs")


@pytest.mark.parametrize("text", [
    "I was a bit breathless after the class, sat down for a minute and it was gone",
    "got a bit puffed on the hill but I got my breath back straight away",
])
def test_breathlessness_that_passed_is_not_now(triage, text):
    left_alone(triage, text, "pe_signs")


@pytest.mark.parametrize("text, code", [
    ("my smile in the mirror is lopsided and I'm dribbling my tea", "stroke_signs"),
    ("my right side is wobbly and my mouth dont work right", "stroke_signs"),
    ("hubby says my face dropped when I smiled at him just now", "stroke_signs"),
])
def test_stroke_in_everyday_descriptions(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text", [
    "my face dropped when I stepped on the scales after Christmas, calves tight from running",
    "we talk about slurs in phrasing all day in music class, my forearm is tight",
    "one side of my body is tighter than the other, is that normal for a tennis player?",
    "my speech was a bit slurred at my sister's wedding, champagne, 2018. now just tight calves",
])
def test_stroke_words_in_other_senses_or_long_ago(triage, text):
    left_alone(triage, text, "stroke_signs")


@pytest.mark.parametrize("text", [
    "been standing on the bridge near my flat most nights thinking about jumping",
    "thought about taking all my co-codamol at once just to make it stop",
])
def test_self_harm_plans_with_a_place_or_a_medicine(triage, text):
    caught(triage, text, "self_harm")


def test_taking_supplements_together_is_not_an_overdose(triage):
    left_alone(triage, "thinking of taking all my magnesium and vitamins at once in the morning?",
               "self_harm")


@pytest.mark.parametrize("text", [
    "lower back in spasm and my man parts have gone numb since yesterday",
    "back's been in spasm all week and now my private area has gone numb",
])
def test_genital_euphemisms_are_the_clients_own(triage, text):
    caught(triage, text, "cauda_equina")


def test_a_new_subject_ends_a_negation(triage):
    caught(triage, "did way too many pull ups, can't bend my arms, and pee is dark brown", "rhabdo_signs")


def test_nothing_helps_is_not_a_negation(triage):
    found = triage.detect("thigh is tight and hard all the way round and I'm in agony, nothing helps")
    assert not any(m["status"] == "negated" for m in found["mentions"] if m["concept"] == "SEVERE")


@pytest.mark.parametrize("text, code", [
    ("my horse has a stiff neck and a temperature, the vet's coming", "sepsis_meningitis"),
    ("Czytam książkę, w której bohater ma udar. Ja mam tylko sztywny kark", "stroke_signs"),
    ("Vi na novela uma personagem com dor no peito e falta de ar. Eu tô bem", "cardiac_signs"),
])
def test_animals_and_fictional_characters_are_someone_else(triage, text, code):
    left_alone(triage, text, code)


def test_a_word_to_the_reader_is_not_someone_else(triage):
    assert triage.detect("thanks mate, my calf is swollen and red")["codes"] == ["dvt_signs"]


def test_confused_about_the_day_is_confusion_not_about_advice(triage):
    found = triage.detect("I keep getting confused about what day it is and I've got a temperature of 38.5")
    assert "CONFUSION" in {m["concept"] for m in found["mentions"]}
    found = triage.detect("I'm confused about which stretch to do for my calf")
    assert "CONFUSION" not in {m["concept"] for m in found["mentions"]}


@pytest.mark.parametrize("text, code, concept", [
    ("chest day yesterday, chest press and flyes, triceps tight", "cardiac_signs", "CHEST_WORD"),
    ("I'm an A&E nurse so I know the heart attack signs, tight upper back", "cardiac_signs", "CHEST_WORD"),
    ("any breathing exercises or stretching to calm down?", "pe_signs", "BREATH_WORD"),
])
def test_words_read_as_something_else_silence_the_second_opinion(triage, text, code, concept):
    """An `except` phrase says the rules read the word as something else (a gym day, a nurse's
    knowledge, a relaxation exercise): the statistical layer may not refer on that code."""
    findings = triage.detector.detect(triage.read(text)[1])
    assert concept in findings.excepted
    assert concept in triage.judged(findings)[code]
    assert code not in findings.codes


@pytest.mark.parametrize("text", [
    "My face drooped for ten minutes but it's fine now",
    "my speech was slurred this morning, all back to normal now",
    "my left arm went weak and floppy for a bit, it's fine now",
])
def test_a_stroke_that_has_passed_still_refers(triage, text):
    """A stroke that passes may be a TIA: NHS advice is still 999 (`counts_if_resolved`)."""
    caught(triage, text, "stroke_signs")


def test_numbness_from_the_dentist_is_not_a_stroke(triage):
    left_alone(triage, "my face was numb after the dentist, back to normal now", "stroke_signs")


@pytest.mark.parametrize("text", ["I take blood thinners or have had a blood clot in the past",
                                  "I had a DVT in 2019", "I've had a clot before"])
def test_a_clot_in_the_clients_history_is_not_a_clot_now(triage, text):
    found = triage.detect(text)["codes"]
    assert "vascular_condition" in found and "dvt_signs" not in found, found


@pytest.mark.parametrize("text", ["I've got a clot in my leg right now", "the doctor said I have a DVT"])
def test_a_clot_now_is_still_dvt(triage, text):
    caught(triage, text, "dvt_signs")


# --- classes found on blind set E (2026-12-04), examples written here, not copied from it ---------
@pytest.mark.parametrize("text", [
    "my hand went numb leaning on the desk, came back after a minute",
    "foot went to sleep sitting on it through the whole film, came right as soon as I stood up",
    "my leg went dead kneeling to fix the tap but it came back quick with pins and needles",
])
def test_a_limb_that_went_to_sleep_and_woke_again_is_not_a_nerve_finding(triage, text):
    assert not codes(triage, text) & {"neuro_symptoms", "stroke_signs", "cauda_equina"}


@pytest.mark.parametrize("text", [
    "woke up and my left arm is floppy and I can't hold a cup, probably slept on it funny",
    "my right arm went weak and floppy after a nap, must have been lying on it",
])
def test_weakness_on_waking_blamed_on_sleeping_on_it_is_still_a_stroke(triage, text):
    """Clients often blame a wake-up stroke on the way they slept: only numbness that came back
    is read as pressure on a nerve, never weakness."""
    caught(triage, text, "stroke_signs")


@pytest.mark.parametrize("text", [
    "did hill sprints, out of breath at the top but recovered straight away",
    "puffed on the stairs like anyone would be, fine as soon as I stopped",
])
def test_breathless_at_a_hard_effort_and_recovered_is_not_pe(triage, text):
    left_alone(triage, text, "pe_signs")


@pytest.mark.parametrize("text", ["out of breath walking to the kitchen, still can't get my breath back",
                                  "getting breathless just sitting here since my flight"])
def test_breathlessness_that_has_not_recovered_is_still_pe(triage, text):
    caught(triage, text, "pe_signs")


@pytest.mark.parametrize("text, code", [
    ("after the spin class my wee is really dark and my thighs are rock hard", "rhabdo_signs"),
    ("did a 500 press ups challenge yesterday and my pee is dark now", "rhabdo_signs"),
])
def test_dark_urine_after_exertion_is_rhabdo(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text", ["my pee is dark this morning after a night on the beers, cramps too",
                                  "fasting today so my wee is darker than usual and my calves cramp"])
def test_dark_urine_with_thirst_and_no_exertion_asks_instead_of_escalating(triage, text):
    found = triage.detect(text)
    assert "rhabdo_signs" not in found["codes"], found


@pytest.mark.parametrize("text, code", [
    ("o lado esquerdo da boca está caído e não consigo levantar bem o braço esquerdo", "stroke_signs"),
    ("dolor de espalda y el pis me sale oscuro como coca cola despues del gimnasio", "rhabdo_signs"),
])
def test_single_glossary_words_read_phrases_nobody_listed(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text", [
    "my back's in spasm and I can't tell if I need a wee, had a bit of leaking too",
    "bk spasms and I cant feel when I go to the toilet",
    "back pain and wiping feels like it's someone else's bum",
])
def test_cauda_equina_in_lay_words_and_text_speak(triage, text):
    caught(triage, text, "cauda_equina")


@pytest.mark.parametrize("text", [
    "I've sorted my affairs in order and won't be a burden to anyone much longer",
    "I have a plan for how I'd do it if the pain doesn't stop",
])
def test_indirect_plans_to_end_life_are_self_harm(triage, text):
    caught(triage, text, "self_harm")


@pytest.mark.parametrize("text, code", [
    ("I'll kill myself laughing if my calves cramp again in the sack race", "self_harm"),
    ("I was stroking the cat and my wrist got sore", "stroke_signs"),
    ("I'm totally broke this month, any cheap massages?", "acute_injury"),
    ("the boiler's broken so my shoulders are tight from the cold", "acute_injury"),
    ("my neck is stiff from looking up at the ceiling for ages", "persistent_or_worsening"),
    ("watched a soap last night and one of them had a heart attack", "cardiac_signs"),
    ("my kid asked what happens in a heart attack", "cardiac_signs"),
    ("the intake form asks about coughing blood, do I tick it for once in 2010?", "pe_signs"),
    ("I'm having my knee replaced next spring, can I still have massages after?", "recent_surgery"),
])
def test_idioms_other_senses_and_plans_are_not_findings(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text", ["my calf is cramping like mad right now",
                                  "foot cramp mid yoga class, the arch is rock solid",
                                  "I am presently experiencing a severe cramp in my calf"])
def test_a_severe_spasm_now_in_clients_words(triage, text):
    caught(triage, text, "active_spasm")


def test_a_colon_ends_a_negation(triage):
    caught(triage, "this isn't normal soreness: my calf is swollen and hot", "dvt_signs")


def test_invisible_characters_and_emoji_body_words(triage):
    caught(triage, "lower back spasm and numb round my \U0001F351 since yesterday", "cauda_equina")


def test_a_normal_urine_colour_silences_the_second_opinion_on_rhabdo(triage):
    """The statistical layer read "pee ... colour" + squats as rhabdo (0.95); the rules say the
    colour is normal, so the code's concept is excepted and the second opinion stays quiet."""
    left_alone(triage, "my wee is a pale colour, my thighs are just sore after leg day", "rhabdo_signs")


# --- classes found on blind set F (2026-12-05), examples written here, not copied from it ---------
@pytest.mark.parametrize("text", [
    "running a temperature and there's a rash on my back that didn't fade when I rolled a glass over it",
    "feverish with little dark spots on my arms, pressed a tumbler on them and they're still there",
])
def test_the_glass_test_in_clients_words(triage, text):
    caught(triage, text, "sepsis_meningitis")


@pytest.mark.parametrize("text", [
    "I've got a fever and I can't put my chin down to my chest",
    "high temperature and my neck is like a plank, bright light = agony",
    "temp of 39 and the daylight makes my eyes ache so I've shut the curtains",
    "fever since yesterday and this morning I didn't know what day it was",
    "I've a fever and a headache like nothing I've had before",
])
def test_meningitis_signs_as_what_the_client_cannot_do(triage, text):
    caught(triage, text, "sepsis_meningitis")


@pytest.mark.parametrize("text, code", [
    ("is it ok to stretch if I've got a heavy ache in my chest going into my left arm?", "cardiac_signs"),
    ("crushing feeling behind my breastbone and I'm grey and sweaty", "cardiac_signs"),
    ("been struggling to get a full breath all afternoon just sitting here", "pe_signs"),
])
def test_a_question_built_on_a_report_is_a_report(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text", [
    "my cup fell out of my right hand and my wife says I sound all mumbly",
    "I can't feel the left side of my face properly since an hour ago",
])
def test_stroke_in_what_the_client_noticed(triage, text):
    caught(triage, text, "stroke_signs")


@pytest.mark.parametrize("text", ["I have no wish to go on, I've given my things away",
                                  "my kids would be better off without me, I think about it a lot"])
def test_goodbyes_and_being_better_off_without_me_are_self_harm(triage, text):
    caught(triage, text, "self_harm")


@pytest.mark.parametrize("text", ["my arm was pinned under the car for hours and now my pee is dark",
                                  "lay on the floor all night after I fell, my wee has gone dark"])
def test_dark_urine_after_a_crush_or_a_long_lie_is_rhabdo(triage, text):
    caught(triage, text, "rhabdo_signs")


@pytest.mark.parametrize("text, code", [
    ("my fingers went blue from the cold water at the lido, warmed up fine", "limb_ischaemia"),
    ("my fingers went blue from the cold water at the lido, warmed up fine", "sepsis_meningitis"),
    ("my hands are stained blue from hair dye", "sepsis_meningitis"),
    ("after the dentist's injection my lip is numb and I'm dribbling", "stroke_signs"),
    ("lost the medal by one stroke on the last hole", "stroke_signs"),
])
def test_colour_from_the_cold_or_dye_dentist_numbness_and_golf_are_not_findings(triage, text, code):
    left_alone(triage, text, code)


# --- classes found on blind set G (2026-12-05), examples written here, not copied from it ---------
@pytest.mark.parametrize("text, code", [
    ("I can't climb one flight of stairs at home without gasping for air", "pe_signs"),
    ("when I try to smile for a photo the right side doesn't lift at all", "stroke_signs"),
    ("my hand went cold and white and numb, and that was over two hours ago", "limb_ischaemia"),
])
def test_a_double_negative_a_side_that_does_not_move_and_a_length_of_time_are_reports(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("is it normal to have a sharp pain in my side each time I breathe in? started an hour ago", "pe_signs"),
    ("can a neck spasm give a pain that goes through to the chest? I've had it since lunch", "cardiac_signs"),
])
def test_a_question_followed_by_the_clients_own_report_is_a_report(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("how do you tell a clot from a cramp? mine was definitely just a cramp", "dvt_signs"),
    ("what if a cramp went on for half an hour? mine are fine, over in a minute", "persistent_or_worsening"),
])
def test_a_question_followed_by_reassurance_stays_a_question(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text", [
    "honestly the family would be better off if I wasn't around any more",
    "most nights I end up sitting with the gun in my lap",
])
def test_better_off_if_i_were_not_here_and_a_weapon_held_to_oneself_are_self_harm(triage, text):
    caught(triage, text, "self_harm")


@pytest.mark.parametrize("text, code", [
    ("it stabs across my chest every time I walk up the road", "cardiac_signs"),
    ("I can't get my fever down and I can't bend my neck forward", "sepsis_meningitis"),
    ("temperature of 39 and I can't stand any light in the room", "sepsis_meningitis"),
    ("didn't feel myself weeing this morning and my back is agony", "cauda_equina"),
    ("the skin between my legs feels like it belongs to someone else", "cauda_equina"),
    ("after the spin marathon my urine is sort of a rusty brown", "rhabdo_signs"),
])
def test_emergencies_told_by_what_the_client_feels_or_cannot_do(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("my English is weak, sorry, how much is a massage?", "neuro_symptoms"),
    ("our cast is so tight-knit, can we book a group voucher?", "compartment_signs"),
    ("this week has been a car crash from start to finish, any neck massage slots?", "acute_injury"),
    ("nearly slipped on the ice but caught myself, back is just stiff", "acute_injury"),
    ("laughed so hard I couldn't breathe at the pub, now my abs ache", "pe_signs"),
    ("lovely tingly feeling after the head massage, more of that please", "neuro_symptoms"),
    ("had a chilli last night and my lips were tingling, ha", "systemic_illness"),
    ("the commute is mind-numbing, any stretches for after?", "neuro_symptoms"),
    ("I've been bleeding money on gym memberships, how much is a session?", "open_wound"),
    ("I'm a pharmacist so I spend all day dispensing statins, calves just tired", "medication_related"),
    ("just curious, how do you actually tell the difference between a cramp and a clot?", "dvt_signs"),
    ("I read online that massage can dislodge a clot, is that true?", "dvt_signs"),
    ("what if I book and then find out I'm pregnant?", "pregnancy"),
    ("sunday roast was huge, neck is stiff from the sofa though", "infection_signs"),
    ("do you do the hot and cold stone massage?", "infection_signs"),
])
def test_idioms_objects_of_work_curiosity_and_plans_are_not_findings(triage, text, code):
    left_alone(triage, text, code)


def test_an_operation_still_to_come_is_not_recent_surgery(triage):
    state = triage.conversation(["tight hip flexors, any stretches?",
                                 "my knee op is booked for March, can I have a massage before it?"])
    assert "recent_surgery" not in state.codes


@pytest.mark.parametrize("text, code", [
    ("my foot feels like ants are crawling inside it all day", "neuro_symptoms"),
    ("came a cropper on my bike and my wrist is bent the wrong way", "acute_injury"),
    ("the graze on my knee is oozing yellow stuff", "infection_signs"),
    ("the spasms in my back get worse every week", "persistent_or_worsening"),
    ("I'm up the duff and my calves cramp at night", "pregnancy"),
    ("there's a shaving nick on my shin that's still a bit open", "open_wound"),
    ("started a statin last month, never used to get cramps, now it's nightly", "medication_related"),
    ("had sickness and loose motions since Saturday and my calves cramp", "systemic_illness"),
])
def test_cautions_in_clients_words(triage, text, code):
    caught(triage, text, code)


# --- classes found on blind set H (2026-12-05), examples written here, not copied from it ---------
@pytest.mark.parametrize("text, code", [
    ("my wife says my faceâ€™s dropped on one side and Iâ€™m slurring", "stroke_signs"),
    ("my back is agony and I canâ€™t control my bladder", "cauda_equina"),
])
def test_text_garbled_by_a_wrong_encoding_is_read_as_written(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("since my back went I can't really tell when I need a poo", "cauda_equina"),
    ("I literally can't stand any light and my temperature is 39", "sepsis_meningitis"),
])
def test_filler_words_do_not_hide_a_phrase(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text", [
    "my wife has a high temperature and she's so drowsy I can barely wake her, what should I do?",
    "messaging on behalf of my dad: he's got a fever and doesn't know what year it is",
])
def test_someone_elses_emergency_the_client_asks_what_to_do_about_is_referred(triage, text):
    caught(triage, text, "sepsis_meningitis")


@pytest.mark.parametrize("text, code", [
    ("my husband had a stroke years ago and I lift him a lot, what should I do about my back?", "stroke_signs"),
    ("my boyfriend had chest pains last week, all fine now, what should I do for my neck?", "cardiac_signs"),
])
def test_someone_elses_past_or_resolved_finding_stays_theirs(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text", [
    "fluey for three days and now my neck won't bend forward",
    "I've had a temperature since Monday and a headache unlike anything I've known",
    "roasting then freezing all night and my neck is rigid",
    "boiling then freezing all day and I can't stand the lamp on",
])
def test_fever_and_meningitis_signs_in_everyday_words(triage, text):
    caught(triage, text, "sepsis_meningitis")


@pytest.mark.parametrize("text, code", [
    ("my mate says I waddle like I've had a stroke after leg day", "stroke_signs"),
    ("the muscles at the sides of my face ache from clenching", "stroke_signs"),
    ("my foot cramped and my toes clawed up for a second then it was fine", "systemic_illness"),
    ("my mum says I'll get a clot if I keep sitting all day", "dvt_signs"),
    ("the sat nav keeps confusing me, where do I park?", "systemic_illness"),
    ("my head is banging after the wedding, neck is stiff from dancing", "acute_injury"),
])
def test_similes_both_sides_a_passing_cramp_and_warnings_are_not_findings(triage, text, code):
    left_alone(triage, text, code)


def test_a_long_lie_on_the_floor_with_dark_urine_is_rhabdo(triage):
    caught(triage, "I was on the floor all night after a fall and my water has gone dark brown", "rhabdo_signs")


# --- classes found on blind set I (2026-12-05), examples written here, not copied from it ---------
@pytest.mark.parametrize("text, code", [
    ("I haven't been able to get a proper breath since lunch and my chest hurts when I breathe in", "pe_signs"),
    ("my left arm - I'm unable to lift it since this morning and my face feels droopy", "stroke_signs"),
])
def test_symptom_told_as_an_inability(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("chest hurts every time I breathe in and I'm short of breath, it hasn't gone since last night", "pe_signs"),
    ("my mouth is droopy on one side, it's not gone away", "stroke_signs"),
])
def test_a_negated_recovery_is_not_a_recovery(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text", [
    "proper rough today pal, temperature of 39, neck won't bend and the light hurts my eyes",
    "nurse here, high fever since yesterday, neck is rigid and I can't stand the light",
])
def test_a_word_to_the_reader_or_a_self_introduction_is_not_someone_else(triage, text):
    caught(triage, text, "sepsis_meningitis")


def test_what_someone_saw_happen_to_the_client_is_a_report(triage):
    caught(triage, "my son said my smile had gone lopsided and I was slurring at dinner", "stroke_signs")


@pytest.mark.parametrize("text", [
    "I burn my arms with a lighter to distract from the pain",
    "when it gets bad I punch my thighs so the pain is somewhere else",
    "I keep sitting in the garage thinking about leaving the car engine running",
    "if these sessions don't help I'm going to end it all",
])
def test_self_injury_its_purpose_and_methods_in_plain_words(triage, text):
    caught(triage, text, "self_harm")


@pytest.mark.parametrize("text", [
    "I'm going to end it with my boyfriend, my neck is so tense from the stress",
    "killing myself at the gym for my holiday, shoulders are tight",
    "overdosed on mince pies and now my back is stiff from the sofa",
    "did suicides at netball training, calves are wrecked",
])
def test_idioms_of_effort_excess_and_break_ups_are_not_self_harm(triage, text):
    left_alone(triage, text, "self_harm")


def test_a_blow_in_contact_sport_is_an_injury(triage):
    caught(triage, "got kneed in the thigh at rugby and now it's rock hard and swollen", "compartment_signs")
    left_alone(triage, "my knee is swollen, I had an operation on my knee 4 weeks ago", "compartment_signs")


@pytest.mark.parametrize("text", [
    "temperature of 38.9 and I keep losing track of what day it is",
    "fever since Tuesday and I found myself in the kitchen not knowing why I was there",
])
def test_new_confusion_in_everyday_words(triage, text):
    caught(triage, text, "sepsis_meningitis")


@pytest.mark.parametrize("text", [
    "since my back spasm started I keep having little accidents with my wee",
    "my lower back went and now I'm leaking pee without noticing",
])
def test_bladder_accidents_are_not_falls(triage, text):
    caught(triage, text, "cauda_equina")
    left_alone(triage, text, "acute_injury")


@pytest.mark.parametrize("text, code", [
    ("I slipped on the stairs onto my shoulder and can't lift my arm above my head", "stroke_signs"),
    ("I get a foot cramp once in a blue moon, any tips?", "sepsis_meningitis"),
    ("last week I had to ring 999 for a resident with chest pain, she's fine now; my back aches from hoisting", "cardiac_signs"),
])
def test_injury_limited_movement_colour_idioms_and_help_already_called_are_not_emergencies(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("on stroke all week (strike, autocorrect!) and my calves ache from standing", "stroke_signs"),
    ("put a heated clot on my back. cloth. autocorrect. helped a bit", "dvt_signs"),
    ("my partner says my face drops every time the football's on, anyway my neck is stiff", "stroke_signs"),
])
def test_a_word_the_client_corrected_or_a_face_pulled_is_not_a_finding(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text", [
    "my husband noticed my calf looks fatter than the other and it's warm to touch",
    "my sister pointed out that the back of my leg is red and swollen",
])
def test_what_someone_noticed_on_the_client_is_the_clients(triage, text):
    caught(triage, text, "dvt_signs")


@pytest.mark.parametrize("text, code", [
    ("cramp in my foot right now and it's like a rock", "active_spasm"),
    ("typing this as I sit with an awful cramp in my calf that started a few seconds ago", "active_spasm"),
    ("my quad has just gone into a brutal cramp, been going a couple of minutes", "active_spasm"),
])
def test_a_spasm_happening_as_the_client_writes(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("there's green gunk coming out of the graze and it's hot", "infection_signs"),
    ("the redness round the bite is creeping further up my arm and I've got chills", "infection_signs"),
    ("came off the ladder onto my hip yesterday and it keeps spasming", "acute_injury"),
    ("felt like somebody kicked me in the heel, looked round and nobody was there, now I'm limping", "acute_injury"),
    ("got a fresh tattoo on my calf and the muscle underneath is cramping", "open_wound"),
    ("my hamstring has cramped on every run, four weeks running now", "persistent_or_worsening"),
])
def test_cautions_in_everyday_words(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("cup final fever in our house! how do I stop calf cramps when I play five-a-side?", "infection_signs"),
    ("deep heat makes my back tingle nicely, is that ok to use on a knot?", "neuro_symptoms"),
    ("my legs went weak at the knees when I saw the price, anyway, stretches for hamstrings?", "neuro_symptoms"),
    ("the coffee here is so weak, and my shoulders are tight, any tips?", "neuro_symptoms"),
    ("to rub salt in the wound my calf cramped after we lost", "open_wound"),
    ("cut the hedges all afternoon and my forearms ache", "open_wound"),
    ("my lips went numb after the dentist's injection, my jaw is tight now", "systemic_illness"),
    ("I'm a midwife, around pregnant women all day, and my back is stiff", "pregnancy"),
    ("the surgery can't see me for a fortnight so I'm asking about my tight calves", "recent_surgery"),
    ("I've had a foot cramp only twice in the last few months, how do I stop it?", "persistent_or_worsening"),
    ("my quads feel like I've been hit by a bus after squats", "acute_injury"),
    ("my mammy had sciatica for years, I've just a stiff back from gardening", "persistent_or_worsening"),
])
def test_figures_of_speech_other_senses_and_other_people_are_not_cautions(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("Am căzut pe umăr și nu pot ridica brațul deasupra capului", "stroke_signs"),
    ("me caí sobre el hombro y no puedo levantar el brazo por encima de la cabeza", "stroke_signs"),
    ("Am căzut în fața magazinului și mă doare spatele", "stroke_signs"),
    ("Me duelen las piernas del maratón. No tengo nada hinchado. Tampoco hormigueo.", "neuro_symptoms"),
])
def test_a_foreign_phrase_is_read_before_its_words(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("a guy at my gym collapsed last month, they said it was a heart attack; my shoulder is tight", "cardiac_signs"),
    ("I hoist residents all day, many with strokes, and my back is stiff", "stroke_signs"),
    ("the hero of my book thinks about suicide a lot, anyway any neck stretches?", "self_harm"),
    ("someone said tingling lips is a sign of low calcium, I've got none of that", "systemic_illness"),
    ("laughed so hard I nearly wet myself, now my abs ache", "cauda_equina"),
])
def test_people_placed_by_the_client_and_near_misses_stay_theirs(triage, text, code):
    left_alone(triage, text, code)


def test_an_accident_in_the_underwear_with_back_spasms_is_cauda_equina(triage):
    caught(triage, "my back is in spasm and I had an accident in my pants without noticing", "cauda_equina")


# --- classes found on blind set J (2026-12-05), examples written here, not copied from it ---------
@pytest.mark.parametrize("text, code", [
    ("my dad's here with me, his mouth has gone crooked and he can't lift his right arm", "stroke_signs"),
    ("typing for my wife, she's got crushing chest pain going into her jaw and she's clammy", "cardiac_signs"),
    ("my gran is next to me, her leg has suddenly gone white and cold and she can't move her foot", "limb_ischaemia"),
])
def test_someone_with_the_client_now_is_referred(triage, text, code):
    caught(triage, text, code)


def test_mum_here_introduces_the_client_and_my_mums_here_someone_else(triage):
    caught(triage, "mum of two here, my calf is swollen, red and warm", "dvt_signs")
    left_alone(triage, "my mum's here too, she had a clot years ago; my calf is tight from running", "dvt_signs")


def test_portuguese_no_is_in_the_not_a_negation(triage):
    """A glossary key YAML 1.1 reads as a boolean (`no`, `yes`, `on`) is still a word."""
    caught(triage, "tenho cãibra no pescoço e de repente fiquei com a boca torta", "stroke_signs")
    caught(triage, "estou com dor no ombro e de repente o braço ficou fraco e a fala enrolada", "stroke_signs")


# --- classes found on blind set K (2026-12-06), examples written here, not copied from it ---------
@pytest.mark.parametrize("text, code", [
    ("my grandad's mouth has gone crooked in the last ten minutes and his words are coming out wrong", "stroke_signs"),
    ("my wife suddenly can't lift her left arm and her face looks lopsided", "stroke_signs"),
    ("my brother has just told me he wants to kill himself", "self_harm"),
    ("my mum can't feel her foot and it's gone white and cold. started an hour ago", "limb_ischaemia"),
    ("dad's speech is slurred and his face has dropped, he says he feels fine though, happened 20 mins ago",
     "stroke_signs"),
])
def test_someone_elses_emergency_starting_now_is_referred(triage, text, code):
    """Told as starting just now, a relative's emergency is referred whether or not the client asks."""
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("my dad had a stroke in 2018 and his face still droops a bit, can he have a neck massage?", "stroke_signs"),
    ("a friend's leg went cold and white last year. I just got a calf cramp on the drive", "limb_ischaemia"),
    ("our striker took a kick to the shin and his leg went rock hard, he needed an operation. mine are just stiff",
     "compartment_signs"),
])
def test_someone_elses_past_or_story_stays_theirs(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("Breathless no. Chest pain no. Coughing blood no. Just tight traps", "pe_signs"),
    ("numbness around my bum - none. bladder fine", "cauda_equina"),
    ("tingling - none at all", "neuro_symptoms"),
])
def test_a_checklist_answered_no_is_negated(triage, text, code):
    left_alone(triage, text, code)


def test_a_no_that_is_not_an_answer_still_reports(triage):
    caught(triage, "crushing chest pain and sweating, no idea what is happening", "cardiac_signs")


@pytest.mark.parametrize("text, code", [
    ("As a teenager I had a fever and a rash that would not fade, it was meningitis, now my back is stiff",
     "sepsis_meningitis"),
    ("Years ago (2014) I had crushing chest pain, it was reflux, the works. My shoulders are tight", "cardiac_signs"),
    ("In my rugby days my pee went like cola after a big session. These days my calves are just tight", "rhabdo_signs"),
])
def test_a_sentence_opening_in_the_past_is_past_throughout(triage, text, code):
    left_alone(triage, text, code)


def test_a_sentence_that_says_now_keeps_it(triage):
    caught(triage, "calf cramps every night now, used to be once a month", "persistent_or_worsening")


@pytest.mark.parametrize("text, code", [
    ("what if my calf swells and I get short of breath, is that a clot??", "pe_signs"),
    ("what's the difference between a tension headache with a stiff neck and the meningitis kind? mine is just tension",
     "sepsis_meningitis"),
])
def test_a_supposing_question_supposes_throughout(triage, text, code):
    left_alone(triage, text, code)


def test_what_if_i_told_you_is_a_report(triage):
    caught(triage, "what if I told you my face has dropped on one side?", "stroke_signs")


@pytest.mark.parametrize("text, code", [
    ("I'm 20 weeks pregnant, had a cramp in the night but it's fine now", "pregnancy"),
    ("had my knee replaced 6 weeks ago, the cramp I had this morning has gone now", "recent_surgery"),
])
def test_a_state_is_not_ended_by_a_passing_cramp(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("my neck cramps every couple of days since about March", "persistent_or_worsening"),
    ("my foot cramped for ages last night, 20 minutes before it let go", "persistent_or_worsening"),
    ("the vascular surgeon said the arteries in my calves are furred up", "vascular_condition"),
    ("there's a raw broken patch on my heel from new shoes", "open_wound"),
    ("my inner thighs and private parts have gone numb and my back is killing me", "cauda_equina"),
    ("cramping up as we speak, the calf is locked and it really hurts", "active_spasm"),
])
def test_lay_words_for_caution_findings(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("naw, ma face isnae droopin an ma speech is fine, ma neck's just stiff", "stroke_signs"),
    ("wot if i get a fever with this stiff neck, is that meningitis? (no fever now)", "sepsis_meningitis"),
])
def test_scots_and_text_speak_denials_and_questions(triage, text, code):
    left_alone(triage, text, code)


def test_a_scots_fall_is_an_injury(triage):
    caught(triage, "came aff ma bike an went ower the bars on Sunday, shoulder's stiff since", "acute_injury")


def test_a_portuguese_no_is_in_the_a_romanian_acum_is_ago(triage):
    left_alone(triage, "Am avut o operație la șold acum 10 ani. Acum doar spatele e încordat.", "recent_surgery")


def test_keyboard_mashing_is_no_language(triage):
    assert triage.detect("asdkjh qwpeoiru zxmcnb")["language"] is None


# --- classes found on blind set L (2026-12-06), examples written here, not copied from it ---------
@pytest.mark.parametrize("text, code", [
    ("my wife can't catch her breath and says her chest is crushing", "cardiac_signs"),
    ("my dad's mouth has gone lopsided and his left hand won't grip", "stroke_signs"),
    ("my girlfriend's leg is freezing and white and she can't feel her toes, what should she do", "limb_ischaemia"),
    ("my son did a crazy spin class on monday and now he can't stand up and his pee is like cola",
     "rhabdo_signs"),
    ("my 15 yo says his neck is too stiff to bend and he's burning up, there's a rash that won't fade under a glass",
     "sepsis_meningitis"),
])
def test_someone_close_told_in_the_present_is_referred(triage, text, code):
    """A partner, parent, child or friend with the finding now, told in the present: acted on."""
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("my grandad had a stroke in 2019 and his speech is still slurred a bit, can he have a massage?", "stroke_signs"),
    ("my brother slurs his words when he's had a few, anyway my calves are tight", "stroke_signs"),
    ("I'm a ward nurse, a patient coughed up blood on my shift, now my own back is in knots", "pe_signs"),
    ("my mum is in hospital with sepsis, I'm fine myself but my neck is stiff from the chairs", "sepsis_meningitis"),
    ("my dog's back leg is cold and limp, the vet is seeing him. my shoulders are tight", "limb_ischaemia"),
])
def test_someone_elses_lasting_or_distant_or_not_close_stays_theirs(triage, text, code):
    left_alone(triage, text, code)


def test_a_person_sitting_with_the_client_is_here_now(triage):
    """Phrase alternatives in a rule are single slots (sitting_here|next_to_me), not words apart."""
    caught(triage, "my husband's sitting here with me, his chest feels crushed and he's gone clammy",
           "cardiac_signs")


@pytest.mark.parametrize("text, code, found", [
    ("my nan just phoned, she says she's got a tight chest going into her jaw, what do I tell her",
     "cardiac_signs", True),
    ("say my leg did go cold, would that be bad?", "limb_ischaemia", False),
    ("the consultant says I might start on statins next month, will they cramp me up?",
     "medication_related", False),
])
def test_says_reports_a_state_say_supposes(triage, text, code, found):
    (caught if found else left_alone)(triage, text, code)


@pytest.mark.parametrize("text", [
    "neck won't bend, the light hurts my eyes, can't get my temperature under 39",
    "my temperature won't come down and my neck is rigid",
])
def test_a_fever_that_will_not_come_down_is_a_fever(triage, text):
    caught(triage, text, "sepsis_meningitis")


def test_dropped_gs_in_dialect_are_read_and_dialect_stays_english(triage):
    """Scots with a word that is also Welsh ("be") is English to the rules, spelling and all."""
    found = triage.detect("cannae be bothered wi nothin, ah keep thinkin aboot toppin masel")
    assert found["language"] is None and "self_harm" in found["codes"]


@pytest.mark.parametrize("text, code", [
    ("my daughter's having the meningitis jab at school, can she still do her stretches?", "sepsis_meningitis"),
    ("My coach said I was swollen with pride after the race, ha. calves are tight", "dvt_signs"),
])
def test_a_vaccine_or_a_feeling_is_not_a_finding(triage, text, code):
    left_alone(triage, text, code)


def test_dark_water_like_tea_after_exertion(triage):
    caught(triage, "did a huge hike yesterday, today my thighs are agony and my water's really dark, like strong tea",
           "rhabdo_signs")


def test_portuguese_and_spanish_taking_ones_own_life(triage):
    caught(triage, "às vezes penso em tirar a minha própria vida", "self_harm")
    caught(triage, "pienso en acabar con mi vida", "self_harm")


@pytest.mark.parametrize("text, code", [
    ("the local anaesthetic at the dentist made my mouth droop on one side for a couple of hours, all back to normal now",
     "stroke_signs"),
    ("I was slurring by midnight at the party (way too many cocktails), talking fine again today", "stroke_signs"),
    ("my hand went dead after I fell asleep on it on the train, fine after a shake", "stroke_signs"),
])
def test_a_passing_finding_with_a_harmless_cause_named_is_not_one(triage, text, code):
    left_alone(triage, text, code)


def test_a_harmless_cause_without_it_being_over_still_refers(triage):
    caught(triage, "had a filling this morning and now my face is drooping and my arm is weak", "stroke_signs")


@pytest.mark.parametrize("text, code", [
    ("almost killed myself slipping on the ice this morning, back's sore now", "self_harm"),
    ("I'm going to end it with my gym, the contract is a rip off. any home stretches?", "self_harm"),
    ("can you hurt yourself by foam rolling too much? can I harm myself by overdoing the massage gun?", "self_harm"),
    ("my reaction was totally out of proportion when the cramp hit, I screamed the house down", "compartment_signs"),
    ("what do the long gliding strokes do? can I do those strokes myself on my hamstring?", "stroke_signs"),
    ("my face dropped when the physio told me no football for a month", "stroke_signs"),
])
def test_idioms_of_accidents_plans_technique_and_disappointment(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("Mio nonno ha avuto un ictus l'anno scorso, adesso sta bene. Io ho un crampo al polpaccio", "stroke_signs"),
    ("mere papa ko 2012 mein stroke hua tha, ab bilkul theek hain. mujhe bas kamar mein jakdan hai", "stroke_signs"),
])
def test_someone_elses_year_old_stroke_in_other_languages(triage, text, code):
    left_alone(triage, text, code)


def test_pain_on_one_side_that_does_not_spread_is_not_one_sided_weakness(triage):
    left_alone(triage, "my lower back is sore on the left side and it doesn't go down my leg", "stroke_signs")


@pytest.mark.parametrize("text, code", [
    ("my nan has brittle bones and gets calf cramps, would a massage be safe for her?", "osteoporosis"),
    ("booking for my dad, he had his knee replaced 5 weeks ago and his thigh keeps cramping", "recent_surgery"),
    ("my wife is 30 weeks pregnant with cramp in her calves every night, what can she try?", "pregnancy"),
])
def test_advice_asked_for_someone_carries_their_cautions(triage, text, code):
    """The advice is for them, so their caution shapes it."""
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("my flatmate is on warfarin and asked if massage is ok for him, I'll tell him to ask you himself. "
     "for me: tight calves, stretches?", "vascular_condition"),
    ("the lady next to me at the pool was moaning about pins and needles in her feet. my shoulders are tight",
     "neuro_symptoms"),
])
def test_someone_elses_caution_stays_theirs_when_the_client_asks_for_themselves(triage, text, code):
    left_alone(triage, text, code)


def test_a_blade_held_to_oneself(triage):
    caught(triage, "some nights I sit with a razor against my arm just to feel something else", "self_harm")


def test_having_a_go_at_hurting_oneself(triage):
    caught(triage, "been low for ages and had a go at cutting myself last night", "self_harm")


def test_the_clients_own_test_on_someone_close_is_not_their_habit(triage):
    """"when I press a glass" is what the client did; "when he's tired" would be his habit."""
    caught(triage, "my 16 yo has a fever and a stiff neck and spots that don't fade when I press a glass on them",
           "sepsis_meningitis")


# --- classes found on blind set M (2026-12-06), examples written here, not copied from it ---------
@pytest.mark.parametrize("text", [
    "my tennis stroke has gone to pot since my shoulder started spasming",
    "painting with long brush strokes all day, forearm is tight",
    "my wrist cramps when I stroke the cat for ages",
    "my front crawl stroke is rubbish, lats are sore after every swim",
])
def test_a_stroke_of_technique_is_not_a_stroke(triage, text):
    left_alone(triage, text, "stroke_signs")


@pytest.mark.parametrize("text, code", [
    ("winded on a hill run and it hurt to breathe in for a minute. Totally fine after.", "pe_signs"),
    ("had a chest infection in the spring and was breathless for weeks but that's long gone", "pe_signs"),
    ("my calf locked solid at 2am, agony, lasted a minute then gone", "compartment_signs"),
])
def test_over_by_the_next_sentence_or_long_gone(triage, text, code):
    left_alone(triage, text, code)


def test_kidding_in_the_next_sentence_does_not_take_back_a_warning(triage):
    caught(triage, "I'd rather not wake up tomorrow. kidding. sort of. not really", "self_harm")


@pytest.mark.parametrize("text, code", [
    ("I know about snow shovelling and heart attacks, it's just my back that aches", "cardiac_signs"),
    ("J'ai failli faire une crise cardiaque en voyant la facture, bref j'ai mal au dos", "cardiac_signs"),
    ("made a plaster cast of my baby's hand and my neck is stiff from bending over", "compartment_signs"),
    ("Mein Opa hatte letztes Jahr einen Schlaganfall, es geht ihm wieder gut. Ich habe Wadenkrämpfe.",
     "stroke_signs"),
])
def test_knowledge_idioms_keepsakes_and_a_relatives_past(triage, text, code):
    left_alone(triage, text, code)


def test_a_long_cramp_that_let_go_still_wants_a_look(triage):
    caught(triage, "my calf cramped for 20 minutes this morning and wouldn't let go, it's fine now",
           "persistent_or_worsening")


def test_back_as_an_adverb_is_not_the_back(triage):
    for text in ("back in march I was training hard", "I'm back running now", "all back to normal"):
        assert all(m.concept != "BACK" for m in triage.detector.detect(text).mentions), text
    assert any(m.concept == "BACK" for m in triage.detector.detect("my back is in spasm").mentions)


# --- classes found on blind set N (2026-12-06), examples written here, not copied from it ---------
@pytest.mark.parametrize("text, code", [
    # a past cause, then the finding told in the present: the story, not the finding's tense
    ("my son got kicked in the shin at rugby on saturday, now his leg is rock hard and he's in agony "
     "way worse than a kick should be, ice or heat?", "compartment_signs"),
    ("my daughter ran a half marathon yesterday, the coach pushed them hard. she's so weak she can't "
     "climb the stairs and her pee is the colour of coke. can she have a massage?", "rhabdo_signs"),
    # a carer writing about the person they care for
    ("I'm a carer, my client fell this morning and her leg has gone cold and white and she can't move "
     "her foot", "limb_ischaemia"),
    # what someone says is no past of the finding
    ("my husband is burning up and he mentioned his neck is stiff and the light hurts his eyes",
     "sepsis_meningitis"),
])
def test_someone_close_told_in_the_present_after_a_past_cause(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("my dad had a stroke in 2019 and my mum looks after him, can I book her a massage?", "stroke_signs"),
    ("my grandad had a heart attack, he's doing fine now. my calves cramp at night", "cardiac_signs"),
    ("my brother took a knock to his calf last month, it went hard for a day then settled", "compartment_signs"),
])
def test_someone_close_and_their_past_is_still_not_a_finding(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("turns, code", [
    (["my husband's here with me, he's had a bad back all week",
      "he says his bum is numb and he's wet himself without noticing"], "cauda_equina"),
    (["my mum had a cramp in her calf this morning, what helps?",
      "now her face looks droopy on one side and she's slurring"], "stroke_signs"),
])
def test_the_person_a_conversation_is_about_carries_over_its_turns(triage, turns, code):
    assert code in triage.conversation(turns).codes


def test_someone_elses_past_in_a_conversation_about_them_is_still_their_past(triage):
    state = triage.conversation(["my dad gets cramps in his calves, what helps?",
                                 "he had a stroke years ago and his speech was slurred for a while"])
    assert "stroke_signs" not in state.codes


@pytest.mark.parametrize("text, code", [
    ("every time my neck tightens I worry it's meningitis but I've no fever and no rash, it's just "
     "tension. massage?", "sepsis_meningitis"),
    ("had a twinge in my left arm and panicked it was a heart attack. no chest pain, no sweating, it "
     "was just a cramp in my bicep", "cardiac_signs"),
    ("I read about strokes and got scared, but my face isn't drooping and my speech is normal. stiff "
     "neck though", "stroke_signs"),
])
def test_a_condition_feared_by_name_with_its_signs_denied_is_asked_not_referred(triage, text, code):
    found = triage.detect(text)
    assert code not in found["codes"] and code in found["uncertain"], found


def test_a_condition_named_now_with_one_sign_denied_is_still_referred(triage):
    caught(triage, "I think I'm having a heart attack, no sweating though", "cardiac_signs")


@pytest.mark.parametrize("text", [
    "I volunteer for a sepsis awareness charity, my calves cramp after our fun runs",
    "the meningitis trust are doing a sponsored walk, what stretches before it?",
])
def test_a_disease_named_as_a_charity_or_topic_is_not_a_finding(triage, text):
    left_alone(triage, text, "sepsis_meningitis")


def test_an_indic_vowel_sign_is_part_of_its_word_for_a_glossary(triage):
    """Python's \\w leaves out Indic vowel signs: a key must not match inside a longer word."""
    from bot.triage.language import _glossary_pattern

    pattern = _glossary_pattern({"કફ": "phlegm", "પા": "leg"})
    assert pattern.findall("કફી પીધી") == [] and pattern.findall("પાંચ") == []
    assert pattern.findall("કફ છે") == ["કફ"]


# --- classes found on blind set O (2026-12-06), examples written here, not copied from it ---------
@pytest.mark.parametrize("turns, code", [
    (["is a hot bath ok for my husband's sore legs? he's had a fever since yesterday",
      "he's here with me and he's not making any sense, doesn't know what day it is"], "sepsis_meningitis"),
    (["my nan has cramps and a temperature, can she have a massage?",
      "she's sat with me now and she doesn't know where she is, this started today"], "sepsis_meningitis"),
])
def test_their_findings_in_different_messages_combine(triage, turns, code):
    assert code in triage.conversation(turns).codes


def test_their_findings_never_combine_with_the_clients_own(triage):
    state = triage.conversation(["my son has a fever and a cold, he's off school",
                                 "I slept in his chair so my neck's stiff, can I use heat?"])
    assert "sepsis_meningitis" not in state.codes


@pytest.mark.parametrize("text", [
    "I'm a carer and I'm with him now: he's wet himself for the first time and both his legs are weak "
    "and numb, his back's been in spasm all week. should I put a heat pack on his back?",
])
def test_a_carer_with_the_person_now(triage, text):
    caught(triage, text, "cauda_equina")


@pytest.mark.parametrize("text, code", [
    ("walking up the hill I got a tight band across my chest, sweating buckets", "cardiac_signs"),
    ("my fingers are swollen in the cast and the pain is far worse than the break itself", "compartment_signs"),
    ("after the bootcamp I haven't had a normal coloured pee since, it's dark brown and my legs give way",
     "rhabdo_signs"),
])
def test_a_finding_in_a_shape_the_rules_had_not_read(triage, text, code):
    caught(triage, text, code)


def test_two_letters_swapped_are_corrected_to_the_word_they_belong_to(triage):
    assert "pain" in triage.detector.read("bad chest pian for 10 min")


def test_wanting_to_hurt_oneself_put_as_a_general_question_is_not_let_pass(triage):
    found = triage.detect("is it normal to want to hurt yourself when the cramps get really bad")
    assert "self_harm" in found["codes"] + found["uncertain"], found


@pytest.mark.parametrize("text", [
    "cramp in my calf RIGHT NOW toes all curled up help",
    "cramp cramp cramp in my foot happening now",
])
def test_a_cramp_told_with_urgency_is_a_spasm_happening_now(triage, text):
    caught(triage, text, "active_spasm")


@pytest.mark.parametrize("text, code", [
    ("that stretching class was sick bro, calves still tight though", "systemic_illness"),
    ("absolutely spewing, missed my PB by a cramp at 20k", "systemic_illness"),
    ("so confused by all the advice online, heat or ice for a stiff back?", "sepsis_meningitis"),
    ("so confused by all the advice online, heat or ice for a stiff back?", "systemic_illness"),
    ("my therapist used long strokes on my back and it eased the spasm", "stroke_signs"),
])
def test_slang_and_massage_words_that_look_like_findings(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("sadri 3am yuja3ni w nafasi ma2too3 men el sob7", "pe_signs"),
    ("ma badi 3ish ba2a, kel el 3ale a7san bala2ni", "self_harm"),
])
def test_arabizi_pieces_that_look_english_do_not_make_it_english(triage, text, code):
    """"ma2too3" is not "ma" + "too", "sob7" is not "sob": a word with digits among its letters."""
    found = triage.detect(text)
    assert found["language"] == "ar" and code in found["codes"], found


def test_text_speak_with_digits_stays_english(triage):
    found = triage.detect("l8r m8, my calf is swollen and red 2day after a 10k at 3pm")
    assert found["language"] is None and "dvt_signs" in found["codes"], found


@pytest.mark.parametrize("text, code", [
    ("my friend's back went into spasm and he can't control his bladder", "cauda_equina"),
    ("my brother fell off his bike last week and now his leg is rock hard", "compartment_signs"),
])
def test_someone_elses_story_told_without_asking_anything_stays_theirs(triage, text, code):
    left_alone(triage, text, code)


def test_a_story_about_them_with_a_request_for_advice_is_acted_on(triage):
    caught(triage, "the young lad took a knock to the calf at hurling last night, now it's hard as a "
                   "board and he's roaring with pain way worse than any knock, what would ye recommend",
           "compartment_signs")


# --- classes found on blind set P (2026-12-06), examples written here, not copied from it ---------
@pytest.mark.parametrize("turns, code", [
    (["my gran's sat next to me, her shoulder keeps locking up", "she's on warfarin for her heart"],
     "vascular_condition"),
    (["my brother's sat here with me, his hamstring cramped at the match",
      "he says his foot's gone pins and needles and it's creeping up his shin"], "neuro_symptoms"),
    (["my husband's here with me, his calves are cramping",
      "he's been throwing up since last night and can't keep water down"], "systemic_illness"),
    (["writing for my mum, she's right here beside me. she had her knee replaced three weeks ago, "
      "can she have a leg massage?"], "recent_surgery"),
])
def test_someone_close_with_the_client_now_their_cautions_count(triage, turns, code):
    """The client types for someone sitting with them: what that person reports shapes the advice."""
    assert code in triage.conversation(turns).codes


@pytest.mark.parametrize("turns, code", [
    (["the lad next to me on the train has pins and needles in his arm, funny. my neck's just stiff"],
     "neuro_symptoms"),
    (["my wife's here with me", "she had her hip replaced last month, but I'm the one with the cramp, my calf"],
     "recent_surgery"),
])
def test_someone_present_whose_caution_is_not_what_the_client_asks_about(triage, turns, code):
    """A stranger near the client, or a conversation that turns to the client's own body."""
    assert code not in triage.conversation(turns).codes


def test_months_gone_is_pregnant(triage):
    caught(triage, "I'm 6 months gone and my calves cramp every night", "pregnancy")


@pytest.mark.parametrize("text, code", [
    ("mi chest a hurt an mi cyaan ketch mi breath from mawnin", "pe_signs"),
    ("mi bredda face drop pon one side an him cyaan talk good", "stroke_signs"),
    ("mi back a kill mi an mi cyaan pass water from yesterday, numb between mi foot dem", "cauda_equina"),
])
def test_jamaican_creole_is_read(triage, text, code):
    caught(triage, text, code)


def test_text_speak_for_suicidal_thoughts(triage):
    caught(triage, "honestly might just kms, cramps every night and no one cares", "self_harm")


def test_text_garbled_twice_over_is_repaired(triage):
    garbled = "I’ve got chest pain".encode("utf-8").decode("cp1252").encode("utf-8").decode("cp1252")
    assert garbled.startswith("IÃ¢â‚¬â„¢ve")
    assert triage.detector.read(garbled).startswith("i've got chest pain")


def test_the_year_someone_believes_it_is_does_not_date_a_finding(triage):
    state = triage.conversation(["my dad's here with me, he's got a high temperature and he's confused, "
                                 "keeps saying it's 1979"])
    assert "sepsis_meningitis" in state.codes


def test_a_race_is_exertion(triage):
    caught(triage, "did an ironman on saturday, my pee is the colour of cola and my thighs are agony",
           "rhabdo_signs")


def test_a_carer_with_the_person_they_care_for(triage):
    state = triage.conversation(["support worker here, sitting with my resident now. his back's in spasm and "
                                 "he's lost control of his bladder today, both legs weak"])
    assert "cauda_equina" in state.codes


@pytest.mark.parametrize("text, code", [
    ("I work on a stroke ward as a nurse, I treat strokes every shift. my calves are just tight", "stroke_signs"),
    ("paramedic here, we see sepsis a lot, anyway my back's in spasm from lifting", "sepsis_meningitis"),
    ("there's a new stroke poster at my GP's and it made me check my face, all fine. neck stiff from sleeping", "stroke_signs"),
    ("breathtaking walk along the coast, my calves are wrecked now, stretch?", "pe_signs"),
])
def test_a_condition_named_as_work_a_campaign_or_a_view_is_not_a_finding(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("ਕੱਲ੍ਹ ਪਿੰਨੀ ਵਿੱਚ ਕੜਵੱਲ ਪਿਆ ਸੀ। ਕੋਈ ਸੋਜ ਨਹੀਂ।", "dvt_signs"),
    ("গতকাল পায়ে টান ধরেছিল। পা ফোলা নেই।", "dvt_signs"),
])
def test_a_negated_phrase_before_a_danda_is_read_as_negated(triage, text, code):
    """The danda (।) is the full stop of Panjabi and Bengali, not a letter of the word before it."""
    left_alone(triage, text, code)


@pytest.mark.parametrize("text", [
    "calf cramp after football, no swelling. ice or warm?",
    "Ho un crampo al polpaccio dopo il calcetto, nessun gonfiore. Meglio ghiaccio o caldo?",
])
def test_warm_asked_as_a_treatment_is_not_a_warm_leg(triage, text):
    left_alone(triage, text, "dvt_signs")


@pytest.mark.parametrize("turns, code", [
    (["my foot cramped up", "it's been going 25 minutes now and still won't let go"], "persistent_or_worsening"),
    (["been on the loo all night since that takeaway and my legs keep cramping"], "systemic_illness"),
    (["got a bad catch in my neck right now reaching for the kettle, can't turn my head, what do I do"],
     "active_spasm"),
    (["my hamstring is in a knot right now, can't straighten my leg, help"], "active_spasm"),
])
def test_everyday_words_for_a_long_cramp_the_runs_and_a_spasm_now(triage, turns, code):
    assert code in triage.conversation(turns).codes


# --- classes found on blind set Q (2026-12-07), examples written here, not copied from it ---------
@pytest.mark.parametrize("text, code", [
    ("there's a heaviness behind my breastbone and it's going into my jaw, I'm sweating buckets", "cardiac_signs"),
    ("I can't shift this tightness in my chest and my left arm aches and I'm clammy", "cardiac_signs"),
    ("my back's been in spasm since Friday, both legs feel weak, and I didn't realise I'd wet myself until I stood up",
     "cauda_equina"),
])
def test_a_negated_removal_or_noticing_verb_leaves_the_finding_there(triage, text, code):
    """"can't shift the pressure", "didn't notice I'd wet myself": the thing is present."""
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("bro my arm went cold and white an hour ago and I can't feel my fingers", "limb_ischaemia"),
    ("mate did a hundred squats yesterday and my pee is dark like cola", "rhabdo_signs"),
])
def test_a_word_to_the_reader_opening_a_sentence_is_not_someone_else(triage, text, code):
    caught(triage, text, code)


def test_a_mate_who_did_it_is_still_someone_else(triage):
    left_alone(triage, "my mate did a hundred squats yesterday and his pee is dark like cola", "rhabdo_signs")


def test_fear_after_a_finding_is_not_doubt_about_it(triage):
    state = triage.conversation(["ran a marathon sunday and my wee is dark brown, proper scared"])
    assert "rhabdo_signs" in state.codes


def test_indifference_to_waking_up_is_a_suicidal_thought(triage):
    caught(triage, "wouldn't care if I didn't wake up tomorrow tbh, these spasms never stop", "self_harm")


@pytest.mark.parametrize("text, code", [
    ("Maria jest tutaj, jej noga jest czerwona", "dvt_signs"),
])
def test_polish_adjectives_in_every_gender_are_read(triage, text, code):
    assert "red" in triage.read(text)[1]


@pytest.mark.parametrize("text, code", [
    ("Skurcz łydki po bieganiu. Obrzęku nie mam, duszności też nie mam.", "pe_signs"),
    ("کل رات پنڈلی میں کھچاؤ تھا۔ نہ سوجن ہے نہ سرخی", "dvt_signs"),
    ("Kramp in mijn kuit na het fietsen, geen zwelling. Helpt een warme douche?", "dvt_signs"),
    ("Спазм у попереку після меблів. Усе гаразд з сечовипусканням, можна гарячу ванну?", "dvt_signs"),
])
def test_a_negation_or_a_treatment_in_another_language_is_not_a_finding(triage, text, code):
    """Polish puts "nie mam" last, Urdu says "نہ X نہ Y", a warm shower or a hot bath is a treatment."""
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("ساقي في الجبس والألم لا يحتمل وأصابعي منتفخة", "compartment_signs"),
    ("Annem yanımda, konuşması bozuk ve yüzünün bir tarafı düştü", "stroke_signs"),
])
def test_joined_and_third_person_forms_are_read(triage, text, code):
    """Arabic writes "and" onto the next word ("وأصابعي"); Turkish says "her face" as "yüzünün"."""
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("brunch was a heart attack on a plate, now a stitch in my side, gone already", "cardiac_signs"),
    ("overdosed on squats at the gym today lol, thighs are toast", "self_harm"),
    ("the price of parking at the clinic is out of all proportion! anyway, neck knot tips?", "compartment_signs"),
    ("stroke play today, shot 90, lower back tight after", "stroke_signs"),
    ("my dad's calf cramped after the stroke I mean stroll by the river, he's fine", "stroke_signs"),
    ("bleeding hell these cramps, any stretches for the calf?", "open_wound"),
    ("my knee clicks when I kneel, always has, but my quad cramps on the bike", "acute_injury"),
])
def test_idioms_and_everyday_senses_that_look_like_findings(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("my thumb and first finger, I can't feel them properly since the neck spasm", "neuro_symptoms"),
    ("since the cramp my foot feels fizzy on top", "neuro_symptoms"),
    ("5 weeks post c section and my back keeps seizing", "recent_surgery"),
    ("had the left one done three weeks ago (a knee) and the thigh keeps cramping", "recent_surgery"),
    ("my bones are like china, the doctor says, can I still have a massage?", "osteoporosis"),
    ("started a new blood pressure med and now my calves cramp at night", "medication_related"),
    ("jugando al fútbol sentí un chasquido en el tobillo y no puedo apoyar el pie", "acute_injury"),
])
def test_cautions_in_words_the_rules_had_not_read(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text", [
    "my calves cramp since I started running",
    "shoulders tight since I started a new job at a desk",
])
def test_starting_something_is_a_medicine_only_where_one_is_named(triage, text):
    left_alone(triage, text, "medication_related")


def test_starting_a_medicine_said_without_its_name_is_still_one(triage):
    caught(triage, "my legs cramp at night since they put me on the new tablets", "medication_related")


@pytest.mark.parametrize("text, code", [
    ("my colleague had chest pains at work and they called an ambulance for him. my neck is stiff from stress",
     "cardiac_signs"),
    ("my face and arms and speech are all normal, just asking about stroke signs for my gran", "stroke_signs"),
    ("toes went white in the cold sea but pinked up in a few minutes, calves cramped a bit", "limb_ischaemia"),
    ("at what point should diarrhoea with cramps worry me? asking in general", "systemic_illness"),
])
def test_done_already_all_normal_pinked_up_and_at_what_point(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("turns, code", [
    (["my sister's in the family way, four months along, she wants to know if she can come for a massage "
      "for her back"], "pregnancy"),
    (["my husband's here, he's had no control of his waterworks since this morning and his back's in spasm, "
      "both legs weak"], "cauda_equina"),
])
def test_lay_words_for_pregnancy_and_the_waterworks(triage, turns, code):
    assert code in triage.conversation(turns).codes


# --- classes found on blind set R (2026-12-07), examples written here, not copied from it ---------
@pytest.mark.parametrize("text", [
    "got the tablets counted out on the bedside table, what's the point anymore",
    "I've been saving my codeine, that's my way out when it gets too much",
    "what's the point anymore. my back will never get better",
])
def test_hopelessness_and_a_way_out_are_suicidal_thoughts(triage, text):
    caught(triage, text, "self_harm")


@pytest.mark.parametrize("text, code", [
    ("Я думаю, що було б краще, якби мене не стало", "self_harm"),
    ("Mijn kuit zat bekneld onder een kast. Nu is hij keihard en de pijn is niet uit te houden", "compartment_signs"),
])
def test_a_wish_not_to_be_here_and_a_limb_called_he_in_other_languages(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("turns, code", [
    (["I'm with my husband, he's had the runs for four days and now his hands are cramping into claws and "
      "his lips tingle"], "systemic_illness"),
    (["I'm with my dad now. His right calf is swollen and red and it feels hot when I put my hand on it"],
     "dvt_signs"),
    (["I'm with my gran, she has severe osteoporosis, is a gentle massage safe for her?"], "osteoporosis"),
    (["my son is 4, he's here on my lap, burning up and the spots on his legs don't fade with a glass, "
      "can massage help him?"], "sepsis_meningitis"),
])
def test_with_someone_close_said_in_more_ways(triage, turns, code):
    assert code in triage.conversation(turns).codes


@pytest.mark.parametrize("text, code", [
    ("I CANT BREATHE 😂😂 that video of the physio dancing", "pe_signs"),
    ("got festival fever, booked Glastonbury!! what stretches before a weekend of dancing?", "infection_signs"),
    ("heart = broken 💔 but my shoulders are the real problem, knots everywhere", "acute_injury"),
    ("can I have the hot stone massage with a bit of a foot cramp?", "dvt_signs"),
    ("writing a newsletter about heat stroke and dark urine after races for my club, what are the signs?",
     "rhabdo_signs"),
    ("nurse here, I spend my shifts dealing with heart attacks, but my own issue is a stiff neck", "cardiac_signs"),
    ("my calves are out of all proportion to my skinny thighs lol, best stretch?", "compartment_signs"),
    ("puffed out after the hill, grand after a minute though, breathing's grand now", "pe_signs"),
    ("my left arm's my weak side, always has been, I'm right-handed", "stroke_signs"),
    ("was slurring by midnight at the stag do, fine by the morning obviously", "stroke_signs"),
    ("skin went numb and cold under the ice pack but came back fine once I took it off", "neuro_symptoms"),
    ("the GP asked if I was thinking of hurting myself and no I'm not, just stressed", "self_harm"),
    ("no temperature, my head's clear, just wiped out after the bug", "acute_injury"),
    ("every fall when I clear the gutters my back gets tight", "acute_injury"),
    ("the coffee in your waiting room is very weak 😂 anyway, sore after my massage, normal?", "neuro_symptoms"),
    ("the school sent a letter round about meningitis, my son's fine. I've got a stiff neck from the car seat",
     "sepsis_meningitis"),
    ("the instructions on the massage gun confuse me, my head is perfectly clear", "systemic_illness"),
    ("cramp in my foot earlier, gone now, the foot's warm and a normal colour", "dvt_signs"),
])
def test_idioms_work_and_reassurance_that_look_like_findings(triage, text, code):
    left_alone(triage, text, code)


def test_a_real_word_ending_in_in_is_not_a_dropped_g(triage):
    """"thin" is a word, not "thing" said quickly ("killin" is "killing")."""
    assert triage.detector.read("my bones are thin, killin me").startswith("my bones are thin, killing me")
    caught(triage, "my bones are very thin, the specialist said, can I have a massage?", "osteoporosis")


@pytest.mark.parametrize("text", [
    "کوئی چوٹ نہیں لگی، بخار بھی نہیں ہے۔",
    "Болить спина від комп'ютера. Операцій не було, травм теж.",
])
def test_a_negation_said_last_in_urdu_and_ukrainian(triage, text):
    assert triage.conversation([text]).codes == []


@pytest.mark.parametrize("text, code", [
    ("my breathing's gone all weird and fast since I sat down, and my calf is swollen", "pe_signs"),
    ("I can't hold both arms out level, the right one keeps drifting down", "stroke_signs"),
    ("tea keeps dribbling out of the corner of my mouth and I can't close my lips properly", "stroke_signs"),
])
def test_stroke_and_breathing_in_what_the_client_notices(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text", [
    "started taking the stairs instead of the lift and my calves ache",
    "my wee is bright yellow since I started taking a B vitamin, legs tired after a hike",
])
def test_taking_the_stairs_or_a_vitamin_is_not_a_medicine(triage, text):
    left_alone(triage, text, "medication_related")


# --- classes found on blind set S (2026-12-07), examples written here, not copied from it ---------
@pytest.mark.parametrize("text, code", [
    # a feeling, a fuss or a job, not a finding
    ("my heart feels heavy in the emotional sense since the funeral, physically I'm fine. neck is stiff",
     "cardiac_signs"),
    ("the agony of watching England on penalties, out of all proportion honestly. my calves ache though",
     "compartment_signs"),
    ("my wife makes a drama out of all proportion over every little cramp I get", "compartment_signs"),
    ("I'm a nurse - strokes and sepsis are my bread and butter. my own shoulders are in knots", "stroke_signs"),
    ("I work long shifts talking people through their worst days, my upper back is tight", "stroke_signs"),
    # sport and laughter
    ("switched to a suicide grip on the bench and my forearms cramp, why?", "self_harm"),
    ("wet myself laughing at my own attempt at yoga, any beginner hip stretches?", "cauda_equina"),
    ("I'm weak 😂 my kid tried the pigeon stretch and fell over laughing", "neuro_symptoms"),
    ("my PE teacher says cramp is from not drinking enough, true?", "pe_signs"),
    # what something is about: coursework, a poster, someone already in hospital
    ("general question for my sports science coursework - can you massage a calf that's rock hard after a kick?",
     "compartment_signs"),
    ("there's a poster in the physio waiting room about back pain and bladder problems, interesting",
     "cauda_equina"),
    ("a lad at my club collapsed with a heart attack and got airlifted, awful. anyway my hamstrings are tight",
     "cardiac_signs"),
    # a colour with its cause, urine said to be normal
    ("my toes are blue, it's the dye from my new socks, it washes off. foot cramps at night though",
     "sepsis_meningitis"),
])
def test_feelings_jobs_sport_and_what_a_message_is_about_are_not_findings(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("heavy legs after my first boxing class, but my wee looks normal and I'm drinking loads", "rhabdo_signs"),
    ("después del partido me duelen los muslos, pero la orina es de color normal", "rhabdo_signs"),
    ("Болю в грудях немає, просто спина болить після роботи.", "pe_signs"),
    ("Боли в груди нет, просто шея затекла.", "cardiac_signs"),
    ("Am o crampă în gambă după alergare. Respir normal, nu am febră.", "pe_signs"),
])
def test_urine_and_breathing_said_to_be_normal_rule_the_code_out(triage, text, code):
    left_alone(triage, text, code)


def test_the_rules_reading_rules_a_code_out_for_the_second_opinion(triage):
    """The `except` phrase the second opinion is told about: "pee looks normal" is URINE_COLOUR,
    read as normal, and "a suicide grip" a grip, so the client's words rule the code out; where
    another of the code's concepts is the client's now (sweating and feeling faint beside "a chest
    muscle cramp"), the except read one word and the code stays open to the second opinion."""
    def ruled_out(text):
        language, read, spell = triage.read(text)
        return triage.ruled_out(triage.detector.detect(read, spell))

    assert "URINE_COLOUR" in ruled_out("is it ok that my pee looks normal but a bit frothy")["rhabdo_signs"]
    assert "SELF_HARM_WORD" in ruled_out("my coach wants me to use a suicide grip on bench press")["self_harm"]
    assert "cardiac_signs" not in ruled_out(
        "chest muscle cramp and I feel like I'm gonna pass out and sweat and be sick rn")


@pytest.mark.parametrize("text, code", [
    # an all-is-well clause about another part leaves the finding where it was
    ("since the neck spasm I've had tingling down my right arm into two fingers. Speech is normal, no headache.",
     "neuro_symptoms"),
    ("shivery with a temperature since yesterday and aching all over, no rash, neck moves fine", "infection_signs"),
    # presence said in more ways
    ("I'm at home with my mum, her face has dropped on one side and she can't lift her arm", "stroke_signs"),
    ("my dad here by me now, he have a tight pressure in he chest going down he left arm and he sweating",
     "cardiac_signs"),
    # the saddle area in other words, and in Urdu
    ("low back spasm and now my butt and the inside of my thighs feel numb", "cauda_equina"),
    ("کمر میں درد ہے اور دونوں رانوں کے اندر سن ہے", "cauda_equina"),
    # a spasm minutes old
    ("my back just locked, happened 5 mins ago, can't move at all", "active_spasm"),
    ("j'ai une crampe énorme dans la cuisse, ça vient de commencer", "active_spasm"),
    # "cause" said for "because"
    ("asking cause my GP started me on a water tablet last month and the cramps began then",
     "medication_related"),
])
def test_findings_read_through_other_parts_presence_and_short_forms(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("turns, code", [
    (["I'm with my grandad now, typing for him", "He had his knee replaced five weeks ago, can he have a massage?"],
     "recent_surgery"),
    (["typing for my mum, she's here", "she has peripheral artery disease, her calf cramps ease when she rests. is massage ok for her?"],
     "vascular_condition"),
])
def test_a_recent_operation_or_a_condition_of_someone_with_the_client_is_theirs(triage, turns, code):
    assert code in triage.conversation(turns).codes


@pytest.mark.parametrize("text, code", [
    ("I'm starting couch to 5k this fall, any tips for calf cramps?", "acute_injury"),
    ("sugar crash after my long run and my calves cramped for a bit", "acute_injury"),
    ("cutting the caffeine for lent and getting eyelid twitches, related?", "open_wound"),
    ("I play for the Reds, I cramp in the last 10 minutes of most games", "dvt_signs"),
    ("I play for the Reds, I cramp in the last 10 minutes of most games", "persistent_or_worsening"),
    ("woke with a stiff neck from the hotel pillow, can't turn my head fully to the right", "persistent_or_worsening"),
    ("keyhole surgery on my appendix five weeks ago, the little wounds have closed up nicely", "open_wound"),
    ("the menthol gel makes my skin tingle, it stops when I wash it off", "neuro_symptoms"),
    ("talking people through their worst days is my job", "stroke_signs"),
])
def test_seasons_crashes_teams_and_healed_wounds_that_look_like_findings(triage, text, code):
    left_alone(triage, text, code)


def test_worse_and_number_are_their_own_words_to_the_rules():
    """The lemma table gives "wrong" for "worse"/"worst" and "numb" for "number"."""
    from bot.nlp import build_pipeline
    doc = build_pipeline()("the worst days, a number of times, worse than before")
    assert {t.text: t.lemma_ for t in doc if t.text in ("worst", "number", "worse")} == {
        "worst": "worst", "number": "number", "worse": "worse"}


@pytest.mark.parametrize("text", [
    # the same part in other words: the feet of the boots, breathing after breath
    "New football boots are really tight and my feet cramped in them during the match, took them off after "
    "and the cramp went, feet are fine now",
    "was completely out of breath at the end of the 10k 😅 breathing was back to normal in like two minutes",
])
def test_an_all_is_well_about_the_same_part_in_other_words_ends_the_finding(triage, text):
    assert not {"compartment_signs", "pe_signs"} & codes(triage, text)


@pytest.mark.parametrize("text", [
    "can't lift my arms above my shoulders since the pull-up session Saturday, and my pee hasn't been a "
    "normal colour since either, it's brown",
    "when I go for a number one it's been coming out a dark reddish-brown since my bootcamp class",
    "arms swollen since the climbing wall session and I haven't peed clear once since",
])
def test_urine_told_as_not_its_normal_colour_after_exertion(triage, text):
    caught(triage, text, "rhabdo_signs")


def test_a_team_in_red_is_not_redness_but_a_red_calf_is(triage):
    caught(triage, "one calf is fat n sore, bit red round the back of the knee after a 14hr flight", "dvt_signs")
    left_alone(triage, "I play for the Reds, I cramp in the last 10 minutes of most games", "dvt_signs")


def test_a_warm_foot_listed_among_checks_that_are_fine_is_a_good_sign(triage):
    left_alone(triage, "can put a bit of weight on it but it hurts. foot's warm, toes move fine, it's not gone "
                       "tight or swollen", "dvt_signs")
    caught(triage, "my left calf is swollen and warm and tender since the flight", "dvt_signs")


# --- classes found on blind set T (2026-12-07), examples written here, not copied from it ---------
@pytest.mark.parametrize("text, code", [
    # a wish with "would be fine" is acceptance, not recovery
    ("tbh if I didn't wake up tomorrow that would be fine, I've saved my tablets", "self_harm"),
    # self-injury told as an ongoing activity
    ("can massage help anxiety? I've been self-harming most nights and want to stop", "self_harm"),
    # someone with the client asked about through "we" and through "he's asking"
    ("my daughter's arm is in a cast since yesterday, she's crying all night, pain far worse than the "
     "break itself and her fingers are swollen, can we loosen it?", "compartment_signs"),
    # the chest named, then the arm and sweating, in fragments
    ("chest. goes into my left arm. sweating", "cardiac_signs"),
    # Romanian, Portuguese and Banglish in everyday words
    ("tata vorbește greu de o oră și gura i s-a strâmbat", "stroke_signs"),
    ("o meu pai está a falar enrolado e a boca dele ficou torta, o que faço?", "stroke_signs"),
    ("am febră și gâtul e înțepenit, nu pot să pun bărbia în piept", "sepsis_meningitis"),
    ("ami r parchi na, nijeke shesh kore di mone hoy", "self_harm"),
    # a glass test that is not passed
    ("temperature and a rash, pressed a glass on it and it doesn't fade", "sepsis_meningitis"),
])
def test_wishes_activities_proxies_fragments_and_languages_are_read(triage, text, code):
    caught(triage, text, code)


def test_someone_asking_through_the_client_is_theirs_now(triage):
    assert "rhabdo_signs" in set(triage.conversation([
        "my mate did a brutal spin class yesterday, he's asking if a massage would help",
        "he says his legs are too weak to stand and his wee is brown like coke"]).codes)


@pytest.mark.parametrize("text, code", [
    ("Stroking my calf when it cramps helps, is there a better way to do it?", "self_harm"),
    ("booked a marathon in a stroke of madness, how do I avoid cramping?", "stroke_signs"),
    ("my hands look blue all day because of the blue nitrile gloves at work, hand cramps though", "sepsis_meningitis"),
    ("my arm goes dead when I sleep with it under the pillow, the feeling returns within a minute", "stroke_signs"),
    ("did the glass test and it fades straight away, no temperature, feel well", "sepsis_meningitis"),
    ("a stitch under my ribs when I run, sharp when I breathe in, but it goes as soon as I stop", "pe_signs"),
    ("these night cramps will be the end of me, is magnesium worth it?", "self_harm"),
    ("my neighbour rang me to say my dad's got a fever", "stroke_signs"),
])
def test_idioms_causes_and_passed_tests_are_not_findings(triage, text, code):
    left_alone(triage, text, code)


def test_a_heart_or_chest_said_in_passing_and_an_aching_arm_are_not_cardiac(triage):
    """The chest, the arm and sweating together are cardiac even in fragments; a broken heart (a
    lost match) or chest pain denied, with an arm sore from carrying a toddler, are not."""
    assert "cardiac_signs" in set(triage.conversation(["chest", "tight. into left arm", "sweating. 61 m"]).codes)
    assert "cardiac_signs" not in set(triage.conversation([
        "my heart is broken, my team lost", "I've a knot between my shoulder blades, no chest pain"]).codes)
    assert "cardiac_signs" not in set(triage.conversation([
        "no chest pain, I feel fine, but my left arm aches from carrying my toddler"]).codes)


# --- classes found on blind set U (2026-12-07), examples written here, not copied from it ---------
@pytest.mark.parametrize("text, code", [
    # a body part that "has gone" gave way: it is not a recovery
    ("my back's gone again and both legs feel weak, I can barely stand up", "cauda_equina"),
    # the colour before the word, and a metaphor of weight without "my"
    ("coke coloured wee after the crossfit comp yesterday", "rhabdo_signs"),
    ("like a brick on chest. left arm gone numb", "cardiac_signs"),
    # "just kidding" names no child: the wish to die that follows is the client's
    ("lol this neck is killing me jk. not kidding that I want to die though", "self_harm"),
    # a thought of a high place told by how easy it would be
    ("every night I stand on the multi-storey roof and think how easy it would be", "self_harm"),
    # "them" after a finding is the client's own things or legs, not someone else
    ("I've written letters to my family and hidden them in my desk", "self_harm"),
    # the chest with the jaw and breathlessness is cardiac as well as a possible clot
    ("pressure at the front of my chest, my jaw aches and I can't catch my breath", "cardiac_signs"),
    # pain beyond anything after a crush
    ("the car door crushed my hand this morning, it hurts more than I thought anything could", "compartment_signs"),
    # romanised Hindi/Urdu in the long spelling, Spanish shortness of breath
    ("kal bahut running ki, aaj pishaab ka rang coke jaisa hai", "rhabdo_signs"),
    ("mi padre está conmigo, le falta el aire y ha tosido sangre", "pe_signs"),
])
def test_gave_way_colours_metaphors_jokes_and_plans_are_read(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("turns, code", [
    # a decision beside a hopeless word, told across messages
    (["can I buy a voucher for my husband", "before I'm gone I mean. my mind is made up, he'll be better off"],
     "self_harm"),
    # presence told plainly: "I'm with her", "he's here", "I'm round my mum's"
    (["MUM FELL OFF THE LADDER, HER LEG IS HARD AS A ROCK AND SWOLLEN, I'M WITH HER"], "compartment_signs"),
    (["my dad did a 50 mile bike ride yesterday", "he's here with me now, his legs are too weak to stand and his wee is like cola"],
     "rhabdo_signs"),
    (["I'm round my nan's now and she's slurring her words", "and her left arm won't work"], "stroke_signs"),
    # a dash ends a relative's long-past clause: what follows is the client's now
    (["my uncle had back surgery years ago - my own back is in spasm and I haven't been able to pee since this morning"],
     "cauda_equina"),
])
def test_decisions_presence_and_dashes_in_conversations(triage, turns, code):
    assert code in set(triage.conversation(turns).codes)


@pytest.mark.parametrize("text, code", [
    # "been" is any form of "be" to a lemma: "I'm on a cut" (a diet) is not self-injury
    ("I'm on a cut for a powerlifting meet, cramps in my hamstrings at night, more salt?", "self_harm"),
    # idioms read and ruled out, so the second opinion says nothing either
    ("I'll die of embarrassment if I fall asleep on the massage table again", "self_harm"),
    ("you're a breath of fresh air compared to my GP, can I use a heat pad on my back?", "pe_signs"),
    # a named condition as a topic of work or study
    ("we had a sepsis talk at work and now I'm worried about my stiff neck, no temperature though", "sepsis_meningitis"),
    ("did stroke training at the care home today, does one weak arm always mean a stroke? just curious", "stroke_signs"),
    # unsure which advice to take, in a coherent question
    ("I'm so confused 😵 ice or heat for a pulled hamstring?", "systemic_illness"),
    # over: a month-old tight chest that has cleared up, breath back within a minute
    ("had a tight chest with a chest infection in october, all cleared up now, ok for a massage?", "cardiac_signs"),
    ("was gasping after my first 5k but had my breath back within a minute, calves tight though", "pe_signs"),
    # a study question framed past a dash
    ("general question for my sports science coursework - can you massage a calf that's rock hard after a kick?",
     "compartment_signs"),
    # Welsh: a heat pad is not a fever, "dim" is "no"
    ("Mae fy ngwddf yn stiff. Dim tymheredd. Fyddai pad gwres yn helpu?", "sepsis_meningitis"),
    # French: a grandmother's stroke is hers
    ("ma grand-mère a fait un AVC, moi j'ai une crampe au mollet", "stroke_signs"),
])
def test_lemmas_idioms_topics_doubt_and_recoveries_are_not_findings(triage, text, code):
    left_alone(triage, text, code)


def test_someone_confused_is_still_confused(triage):
    """The client unsure of advice is not confusion; someone who is confused with a fever still is."""
    caught(triage, "my husband is confused, which isn't like him, and he has a high fever", "sepsis_meningitis")


@pytest.mark.parametrize("text, code", [
    # a collision told as someone driving into the back of the client
    ("a van drove into the back of me on the roundabout this morning and my neck has gone into spasm", "acute_injury"),
    ("took a nasty tumble down the stairs at work, my hip keeps spasming", "acute_injury"),
    # redness outgrowing the morning
    ("my shin has gone red and hot and the red patch is bigger than it was at breakfast", "infection_signs"),
    # a replaced joint told as "mine"
    ("can you massage round a new knee? I had mine replaced a month ago", "recent_surgery"),
    # a clotting condition is a standing condition, not a clot now
    ("on apixaban for a clotting disorder I've had for years, ok for a back massage?", "vascular_condition"),
    # an animal before the wound says what did it, not whose it is
    ("got a dog bite on my calf yesterday, still open, calf is cramping", "open_wound"),
])
def test_collisions_tumbles_spreading_joints_and_animal_wounds_are_read(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("on apixaban for a clotting disorder I've had for years, ok for a back massage?", "dvt_signs"),
    ("my brain is numb from spreadsheets and my shoulders ache, any desk stretches?", "neuro_symptoms"),
    ("ভারী ব্যাগ বয়ে আমার কাঁধে গিঁট পড়ে গেছে", "acute_injury"),
    ("my dog's leg is swollen after the walk, is that normal?", "dvt_signs"),
])
def test_conditions_idioms_knots_and_pets_are_not_findings_of_now(triage, text, code):
    left_alone(triage, text, code)


def test_if_ever_supposes_however_the_question_opens(triage):
    """"if ... ever" is a supposition even after "should I be worried": the second opinion may not
    refer on a bag of words the rules read as supposed."""
    left_alone(triage, "Should I be worried if both my legs ever went weak after a back spasm? They haven't, "
                       "my back just twinges", "cauda_equina")
    caught(triage, "both my legs have gone weak since my back spasm this morning", "cauda_equina")


@pytest.mark.parametrize("text, code", [
    # a dash after a heading does not cut the heading's past off the list after it
    ("medical history - measles at 4, broke my leg at 9. nothing since. tight calves from running", "acute_injury"),
    # an animal doing something is the animal's: the client is not the one who "slipped" or "clawed"
    ("my dog slipped on the ice and hurt his leg, my own back is just stiff from lifting him", "acute_injury"),
    # "them" after "started taking" names no medicine
    ("do magnesium tabs make your pee bright yellow? it has been since I started taking them", "medication_related"),
])
def test_headings_animals_and_unnamed_pills_are_not_findings(triage, text, code):
    left_alone(triage, text, code)


# --- classes found on blind set V (2026-12-07), examples written here, not copied from it ---------
@pytest.mark.parametrize("text, code", [
    # self-injury told as a habit, a threat said for someone with the client, a means and a place
    ("i still cut my thighs most nights when it gets bad, can i foam roll my quads?", "self_harm"),
    ("my sister's here with me, she's drunk and says she's gonna hurt herself", "self_harm"),
    ("I've bought some rope and keep eyeing up the banister. anyway, back spasms", "self_harm"),
    # the chest in lay words; "mine" answering the client's own question; today after a long past
    ("tight pressure between my boobs spreading into my left arm", "cardiac_signs"),
    ("any stretch for a sore chest? mine's been crushing for 20 mins and I'm sweating buckets", "cardiac_signs"),
    ("I tore a chest muscle 5 years ago, but today is different - a heaviness in my chest going into my jaw",
     "cardiac_signs"),
    # another person's signs in Spanish (third person), Portuguese, German and French wording
    ("mi padre está conmigo, no puede levantar el brazo derecho y se le cae la cara", "stroke_signs"),
    ("tenho espasmos no pescoço há mais de um mês, cada vez piores", "persistent_or_worsening"),
    ("bin gestern umgeknickt und kann nicht mehr richtig auftreten", "acute_injury"),
    ("la rougeur s'étend autour de la coupure et c'est chaud", "infection_signs"),
    # a spasm now told with a crying face or as "one"; varicose veins and bone density in lay words
    ("thigh cramp rn 😭 just started", "active_spasm"),
    ("can I massage my calves? I've got lumpy bulging veins down both", "vascular_condition"),
    ("my bone density scan was one of the worst they've seen, is deep tissue ok?", "osteoporosis"),
])
def test_habits_threats_lay_chests_and_third_persons_are_read(triage, text, code):
    caught(triage, text, code)


def test_one_cramp_now_answers_a_general_question(triage):
    """"have one right now" after a question about cramp is a cramp now, not a remedy."""
    assert "active_spasm" in triage.conversation(
        ["is pickle juice any good for cramp?", "i have one right now in my calf, its bad"]).codes


@pytest.mark.parametrize("text, code", [
    # idioms of breath, proportion and acronyms; breath held or lost at a finish line
    ("the view from the top took my breath away, quads sore today", "pe_signs"),
    ("I hold my breath when I stretch my hamstrings, is that bad?", "pe_signs"),
    ("was panting over the finish line of the 10k, calves tight today", "pe_signs"),
    ("my mum's response when I said I'd booked a sports massage was out of all proportion lol", "compartment_signs"),
    ("what does FAST stand for with strokes? it's for a first aid quiz", "stroke_signs"),
    # other people described by a relative clause; blood from the gums
    ("I work in a hospice with people who are breathless all day, my shoulders are in knots", "pe_signs"),
    ("my gums bleed and I spit blood when I floss, also neck knots", "pe_signs"),
    # the dentist's anaesthetic and an ice pack explain what they do while it lasts
    ("lip still numb from the injection at the dentist, is a neck massage ok this afternoon?", "stroke_signs"),
    ("I sound drunk cos my mouth is numb from the filling lol", "stroke_signs"),
    ("ice pack on my knee for 10 mins and the skin went white and cold, normal?", "limb_ischaemia"),
    # a season, a remedy's frequency, a pregnancy's months, toilet words, a neck that will not turn
    ("since last fall I've been doing parkruns and my calves get tight", "acute_injury"),
    ("is it ok to take magnesium every day?", "persistent_or_worsening"),
    ("im 5 months along and get calf cramps at night", "persistent_or_worsening"),
    ("wees and poos normal, just a stiff lower back from lifting", "infection_signs"),
    ("my neck went into spasm this morning and I can't turn my head", "persistent_or_worsening"),
    # a denied checklist with an emphasis; warmth among normal checks; treatment choices abroad
    ("calf cramp last night. Chest pain? None whatsoever. Swelling? No.", "cardiac_signs"),
    ("calves stiff after gardening, legs warm, normal colour, no swelling", "dvt_signs"),
    ("skurcz w łydce, ciepło czy zimno?", "dvt_signs"),
    ("courbatures aux cuisses, bain chaud ou froid ?", "dvt_signs"),
    ("کمر میں کھچاؤ ہے، سن ہونا یا جھنجھناہٹ بالکل نہیں", "neuro_symptoms"),
])
def test_idioms_gums_anaesthetic_ice_seasons_and_choices_are_not_findings(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, code", [
    # "ice cold" is how cold, not an ice pack ("iced" and "icing" share the lemma "ice")
    ("my foot went ice cold and white an hour ago and I can't feel my toes", "limb_ischaemia"),
    # a neck that will not turn is severe for a spasm now, and a loss of function when it stops something
    ("my neck's locked right now, can't turn my head at all", "active_spasm"),
    ("neck spasms for a month, can't turn my head to check my blind spot so I've had to stop driving",
     "persistent_or_worsening"),
])
def test_found_by_the_regression_run_after_v(triage, text, code):
    caught(triage, text, code)


def test_breathing_fine_is_a_denial(triage):
    """"breathing fine tho" beside a swollen calf denies breathlessness: the calf is a clot sign, the
    second opinion does not add a clot in the lung."""
    left_alone(triage, "calf swollen and hot since the flight on tuesday, breathing fine tho", "pe_signs")
    caught(triage, "calf swollen and hot since the flight on tuesday, breathing fine tho", "dvt_signs")


# --- classes found on blind set W (2026-12-07), examples written here, not copied from it ---------
@pytest.mark.parametrize("text, code", [
    # a spasm that has not let go, an exclamation before it, a spasm while doing the washing
    ("oh no my hamstring's cramping right now and it won't let go", "active_spasm"),
    ("my neck just locked up solid and it's still going", "active_spasm"),
    ("back went into a huge spasm as I was hanging the washing out, still clamped now", "active_spasm"),
    ("stood here frozen, my back's in spasm right now", "active_spasm"),
    # self-injury and suicide in other words: everything to stop for good, walking into water
    ("what's the point. I just want it all to stop for good", "self_harm"),
    ("might go down the canal tonight and just keep walking in", "self_harm"),
    ("thinking of walking into the sea after dark", "self_harm"),
    # breathless, sweating and sick together are a heart's signs even where the chest is "muscles"
    ("my chest muscles are tight, can't catch my breath, sweating loads and feel sick", "cardiac_signs"),
    # one side of the face numb after an arm and leg on one side
    ("my left arm and leg are heavy and my face is numb on the same side", "stroke_signs"),
    # cautions in lay words: a buzzy electric feeling, a yellow head, going down hard
    ("my shoulder knot sends a buzzy electric feeling down my arm", "neuro_symptoms"),
    ("the spot on my thigh has a yellow head on it now and it's red", "infection_signs"),
    ("slipped on the ice and went down hard on my elbow yesterday", "acute_injury"),
])
def test_spasms_that_hold_water_plans_and_lay_cautions_are_read(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    # brief breathlessness that settled, or the client's usual on an instrument
    ("sprinted for the train, gasping for a minute then fine, calves tight now", "pe_signs"),
    ("I sing in a choir and run out of breath on long phrases, which is normal for me", "pe_signs"),
    # idioms: a bill's heart attack, something off my chest, "you'll give me a stroke"
    ("the gas bill nearly gave me a heart attack, anyway night cramps", "cardiac_signs"),
    ("I just need to get this off my chest, my calves cramp every night", "cardiac_signs"),
    ("my mum says youll give yourself a stroke cracking your neck like that", "stroke_signs"),
    # a colour from dye; a weaker side since childhood; drink owning up to last night's slurring
    ("my fingers are purple from tie-dyeing t-shirts, thumb keeps cramping", "limb_ischaemia"),
    ("my right side has always been weaker since I was a kid, just a dominant side", "stroke_signs"),
    ("was slurring at the wedding last night, too much wine will do that. legs cramping today", "stroke_signs"),
    # a numb bum gone the moment the client stood; a joke; words of work and a future operation
    ("numb bum from the bleachers, went the minute I stood up, calves tight", "cauda_equina"),
    ("these leggings are so tight I can't feel my legs (joke) - best hip flexor stretch?", "limb_ischaemia"),
    ("I work on a surgical ward and my lower back is killing me after shifts", "recent_surgery"),
    ("the replacement bus seats wrecked my back", "recent_surgery"),
    ("I'm getting my hip replaced next month, can I have a massage before?", "recent_surgery"),
    ("happy little accident, spilt coffee everywhere. is caffeine bad for cramps?", "acute_injury"),
    ("do you do pregnancy massage? it's a gift for my friend", "pregnancy"),
    ("I've got big calves from cycling, best stretch?", "dvt_signs"),
    ("stood up after sitting cross-legged, fine after a minute of pins and needles", "neuro_symptoms"),
    ("got a tight hamstring what stretches are good", "dvt_signs"),
])
def test_brief_breathlessness_idioms_dye_childhood_drink_and_plans_are_not_findings(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, code", [
    # glossaries: Romanian muddled speech and spreading red skin, Arabic third person, Panjabi
    # "down below", Portuguese and Ukrainian cramps now, Chinese "really painful", Welsh "a cut"
    ("sotul meu e langa mine, vorbeste incurcat si nu poate ridica mana dreapta", "stroke_signs"),
    ("pielea e roșie, fierbinte și se tot întinde în jurul tăieturii", "infection_signs"),
    ("أبوي معي الآن، مال وجهه وكلامه مو واضح", "stroke_signs"),
    ("kamar vich dard te neeche wali jagah sunn ho gayi aa", "cauda_equina"),
    ("tô com câimbra no pé agora, socorro", "active_spasm"),
    ("судома в литці, досі тримає, дуже боляче", "active_spasm"),
    ("我的大腿现在正在抽筋，非常疼", "active_spasm"),
    ("mae gen i doriad ar fy mraich, ga i dylino?", "open_wound"),
    ("teen din se baar baar ulti aur dast, tangon mein cramp", "systemic_illness"),
])
def test_w_glossary_findings_are_read(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("kafam karıştı, sıcak mı soğuk mu?", "systemic_illness"),
    ("fizjoterapeuta: se mai senti le gambe deboli vai al pronto soccorso", "cauda_equina"),
    ("મને પગમાં ગોટલા ચડે છે, ગરમ પાણીથી શેક કરું?", "dvt_signs"),
    ("按摩脖子会引起中风吗？", "stroke_signs"),
])
def test_w_glossary_idioms_and_questions_are_not_findings(triage, text, code):
    left_alone(triage, text, code)


def test_someone_said_to_be_here_in_a_later_message_combines_their_findings(triage):
    """Fever in one message, confusion in the next, "he's right here with me" last: the person's
    findings combine as if the client had said at the start that they were with them."""
    assert "sepsis_meningitis" in triage.conversation([
        "my dad's had the shivers and a temperature all afternoon",
        "now he's not making sense, doesn't know where he is",
        "he's right here next to me"]).codes


def test_a_calf_named_before_a_question_about_stretches_still_counts(triage):
    """"got a tight calf what stretches r good" is a question about stretches, not a calf that is
    fine: a swollen, hot calf in the next message completes a clot sign."""
    assert "dvt_signs" in triage.conversation([
        "got a tight calf what stretches r good", "its the left one, puffy and hot to touch"]).codes


@pytest.mark.parametrize("text, code", [
    ("will the swelling in my calf go away if I rest it? it's red too", "dvt_signs"),
    ("how do I get the swelling in my calf to go down, it's hot and red", "dvt_signs"),
])
def test_a_finding_asked_to_go_away_is_not_over(triage, text, code):
    """Tense words in the cues that end a finding are matched as words ("went away", "gone down"):
    matched on the lemma they would also be "go away" and "go down", a question about the future."""
    caught(triage, text, code)


def test_tense_words_in_cues_that_end_a_finding_are_matched_as_words(triage):
    """A plain `went` or `gone` in a pattern is any form of "go" (lemma matching): in the cues that say
    a finding is over (post_negation) that turns a question ("will it go away?") into a recovery."""
    tense = {"went", "gone", "was", "were", "had", "been"}
    plain = [p for p in triage.rules.context["post_negation"]
             if {alt for slot in p.split() for alt in slot.split("|")} & tense]
    assert plain == [], plain


def test_a_clause_about_the_findings_own_function_says_it_is_over(triage):
    """"gasping ... but my breathing was back to normal a minute after": breathing is the function
    the finding is about (the rules name BREATHLESS "breathlessness"), so the clause ends it; "face
    feels normal" after pins and needles in an arm speaks of another part and ends nothing."""
    left_alone(triage, "was gasping on the rower but my breathing was back to normal a minute after", "pe_signs")
    caught(triage, "pins and needles down my left arm. Face feels normal", "neuro_symptoms")


@pytest.mark.parametrize("text, code", [
    # "still cramped at mile 18" is a past cramp ("cramped", not "cramping"); "had a hernia repair in
    # October" is a past operation, not one still to come ("had" shares the lemma of "having")
    ("drank loads but I still cramped at mile 20 of the marathon, salt tablets?", "active_spasm"),
])
def test_found_by_the_regression_run_after_w(triage, text, code):
    left_alone(triage, text, code)


def test_a_past_operation_in_a_month_is_not_one_to_come(triage):
    caught(triage, "I had a knee arthroscopy in October, is a calf massage ok?", "recent_surgery")


# --- classes found on blind set X (2026-12-07), examples written here, not copied from it ---------
@pytest.mark.parametrize("text, code", [
    # "not even joking" affirms; a "my" after a preposition stays in the "if" clause, whose negation
    # ends where the threat begins
    ("if this neck doesn't loosen up soon i'll walk in front of a bus. not even kidding", "self_harm"),
    ("if the pain in my hip doesn't stop I am going to hang myself, really not joking", "self_harm"),
    ("honestly I want to throw myself off the car park roof", "self_harm"),
    # not knowing what is wrong denies nothing
    ("dunno what's going on, temperature 39.4 and my neck won't bend forward", "sepsis_meningitis"),
    # losing feeling in the inner thighs and round the bottom
    ("lower back spasm and I'm losing feeling round my bum and inner thighs since lunch", "cauda_equina"),
    # medicines named by what they are for; a knee scoped
    ("my cramps started when they put me on cholesterol tablets last month", "medication_related"),
    ("been on HRT six weeks and the calf cramps began straight after", "medication_related"),
    ("had my knee scoped three weeks back, can I foam roll the quad?", "recent_surgery"),
    # a season told in the past tense is the last one, not one to come
    ("my bone scan in the summer showed severe osteoporosis, is deep tissue ok on my back?", "osteoporosis"),
    ("rubbed a raw patch on my heel with new boots, can I still massage my calf", "open_wound"),
])
def test_x_threats_said_seriously_unknowing_and_lay_findings_are_read(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    # hair dye, varnish and nail polish colour the skin; a mouthful of food muffles speech
    ("tried dyeing my daughter's hair purple and now my hands are purple as well", "sepsis_meningitis"),
    ("toes look bluish, it's just the new varnish I put on", "limb_ischaemia"),
    ("sorry can't speak properly, mouth full of crisps. best calf stretch?", "stroke_signs"),
    # food named for a heart attack; how to breathe through a stretch; exasperation at cramps
    ("the heart attack breakfast at the cafe was worth it, back's tight though", "cardiac_signs"),
    ("do you hold your breath or breathe out when you stretch the hamstring?", "pe_signs"),
    ("my calves cramp so much I could chuck my legs out the window lol", "self_harm"),
    # "if I ever ... and ..." supposes every clause after it
    ("if I ever overdo a spin class and my wee turns brown, is that A&E?", "rhabdo_signs"),
    # study frames with words between: an exam, a blog post
    ("for my paramedic course exam: what are the stroke signs again?", "stroke_signs"),
    ("writing a blog piece about cauda equina for my clinic, what's the medical word for numb saddle area?", "cauda_equina"),
    # a team's side, a room's heat, confusion over advice, legs like jelly after leg day
    ("our right side was dead weak in the second half, anyway my groin is tight", "stroke_signs"),
    ("bikram class was 41 degrees in there, how much water should I drink after?", "infection_signs"),
    ("I'm so confused about stretching before or after running, which is it?", "systemic_illness"),
    ("did squats all morning and my legs are like jelly now haha, foam roller?", "cauda_equina"),
    # a dog's claw, running for a bus, drink owning up and all fine today
    ("the cat got me with her claw on my shin, little scratch, is massage ok", "systemic_illness"),
    ("ran for the train and was completely out of breath, hamstrings tight now", "pe_signs"),
    ("was slurring after too much prosecco at the party, completely fine today, calves sore", "stroke_signs"),
])
def test_x_colours_food_idioms_study_frames_and_effort_are_not_findings(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("Mein Oberarm wurde eingeklemmt, jetzt ist er steinhart und die Schmerzen sind kaum auszuhalten", "compartment_signs"),
    ("ich hab gerade einen heftigen Krampf im Oberschenkel", "active_spasm"),
    ("Вже місяць болить спина і стає все гірше", "persistent_or_worsening"),
    ("بدأت حبوب مدرة للبول الشهر الماضي وعندي تشنجات في الساقين", "medication_related"),
    ("started hrt last month & cramps since, linked?", "medication_related"),
])
def test_x_glossary_findings_are_read(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("il polpaccio mi fa male dopo la partita, meglio il ghiaccio o il caldo?", "dvt_signs"),
    ("kamar mein dard hai, tangon mein koi sunn pan nahi, garam sikai ya barf?", "neuro_symptoms"),
    ("kamar mein dard hai, garam sikai ya barf?", "systemic_illness"),
    ("pith akad gayi, lattan theek ne, koi sunn-pan nahi", "neuro_symptoms"),
    ("રાત્રે પગમાં ખેંચાણ આવે છે, પગમાં સોજો નથી", "dvt_signs"),
])
def test_x_glossary_denials_and_treatments_are_not_findings(triage, text, code):
    left_alone(triage, text, code)


def test_a_lost_apostrophe_keeps_an_operation_in_the_future(triage):
    """"I\ufffdm having my hip replaced in March": to the rules the replacement character stands where
    the apostrophe was lost; read as "I'm", the operation is still to come, not a recent one."""
    assert "\ufffd" not in triage.detector.read("I\ufffdm having it done, don\ufffdt worry")
    left_alone(triage, "I\ufffdm having my hip replaced in March, can I have a massage before?", "recent_surgery")



@pytest.mark.parametrize("text, code", [
    # the new glossaries' list negations and treatments, found by the A–W regression run
    ("पिंडली में दर्द है पर सूजन नहीं, लाल भी नहीं है, गर्म भी नहीं", "dvt_signs"),
    ("lugtayda way adag tahay, barar ma leh, guduudna ma leh", "dvt_signs"),
    ("dhabarka ayaa i xanuuna, wax kabuubyo ah ma dareemayo", "neuro_symptoms"),
    ("baraf mise kulayl? lugaha ayaa i adag", "dvt_signs"),
])
def test_found_by_the_regression_run_after_x(triage, text, code):
    left_alone(triage, text, code)
