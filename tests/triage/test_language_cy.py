"""Welsh (knowledge/languages/cy.yml): emergencies written in Welsh, northern or southern, with or
without the circumflex (dŵr typed dwr, sâl typed sal), and with body parts and symptoms in their
mutated forms (pen/ben/mhen/phen, braich/fraich/mraich, coes/goes/nghoes), are named Welsh and read
through its glossary by the English red-flag rules; negated findings, someone else's past,
hypothetical questions and plain self-care are left alone; English messages with a Welsh word stay
English. Sentences written here for these tests."""
import pytest

from tests.triage.glossary_checks import caught_in, left_alone

caught = caught_in("cy")


@pytest.mark.parametrize("text, code", [
    # pe_signs / cardiac_signs
    ("Dwi'n methu anadlu ac mae gen i boen yn fy mrest pan dwi'n anadlu i mewn", "pe_signs"),
    ("dwi wedi bod yn pesychu gwaed ers bore ma ac yn fyr o wynt", "pe_signs"),
    ("alla i ddim anadlu, mae'n brifo wrth anadlu", "pe_signs"),
    ("Poen yn y frest sy'n lledu i fy mraich chwith, chwys oer a dwi'n teimlo'n sâl", "cardiac_signs"),
    ("pwysau ar fy mrest yn mynd i fy ngen, dwi'n chwysu", "cardiac_signs"),
    # stroke_signs, the client's own and someone with the client now
    ("Mae fy wyneb wedi disgyn yn sydyn ac mae fy lleferydd yn aneglur", "stroke_signs"),
    ("mae ngheg yn gam a dwi methu codi fy mraich", "stroke_signs"),
    ("Mae Mam yma gyda fi, mae ei hwyneb wedi disgyn yn sydyn a mae hi'n siarad yn od, be ddylwn i neud", "stroke_signs"),
    ("mae Dad efo fi rwan, mae o'n slyrio ac yn methu codi ei fraich, be dwi fod i neud", "stroke_signs"),
    # self_harm
    ("Dwi ddim eisiau byw, dwi eisiau marw", "self_harm"),
    ("dwi'n faich ar bawb, bydden nhw'n well eu byd hebdda i", "self_harm"),
    ("dwi wedi casglu tabledi, dwi'n meddwl am ladd fy hun", "self_harm"),
    # sepsis_meningitis
    ("Mae gen i wres uchel, gwddf stiff ac mae'r golau'n brifo fy llygaid", "sepsis_meningitis"),
    ("tymheredd uchel a dwi wedi drysu, croen brith ar fy nghoesau", "sepsis_meningitis"),
    ("gwres a brech sy ddim yn diflannu o dan wydr", "sepsis_meningitis"),
    # limb_ischaemia
    ("Mae fy nghoes yn sydyn yn oer fel rhew ac yn welw, dwi methu teimlo fy nhroed", "limb_ischaemia"),
    ("troed yn oer ac yn las a dwi'n methu symud bysedd fy nhraed", "limb_ischaemia"),
    # cauda_equina
    ("Poen cefn a dwi'n methu teimlo dim byd rhwng fy nghoesau", "cauda_equina"),
    ("poen yng ngwaelod fy nghefn a dwi methu dal fy nwr", "cauda_equina"),
    ("mae nghefn yn brifo a mae'r ddwy goes yn wan", "cauda_equina"),
    # compartment_signs (coes is feminine: "mae hi'n galed" is the leg, not a woman)
    ("Mae fy nghoes mewn plastr, mae'n rhy dynn a'r boen yn annioddefol, tabledi lladd poen ddim yn helpu", "compartment_signs"),
    ("ges i gic i fy nghoes, mae hi'n galed fel carreg ac wedi chwyddo", "compartment_signs"),
    # rhabdo_signs
    ("ar ôl y gampfa mae fy nŵr yn dywyll fel cola", "rhabdo_signs"),
    ("ar ol rhedeg marathon mae fy wrin yn frown a mae nghyhyrau'n brifo'n ofnadwy", "rhabdo_signs"),
    # dvt_signs
    ("Mae croth fy nghoes wedi chwyddo, yn goch ac yn gynnes", "dvt_signs"),
    ("croth y goes chwith wedi chwyddo ac yn dyner ers ddoe", "dvt_signs"),
    # the codes that refer or caution
    ("dwi wedi cwympo lawr y grisiau, mae fy mhigwrn wedi chwyddo a dwi methu rhoi pwysau arno", "acute_injury"),
    ("mae'r clwyf yn heintiedig, mae crawn yn dod allan a'r cochni'n lledu", "infection_signs"),
    ("dwi wedi bod yn chwydu ers ddoe ac mae gen i ddolur rhydd a crampiau", "systemic_illness"),
    ("mae gen i binnau bach a dim teimlad yn fy nhroed", "neuro_symptoms"),
    ("ges i lawdriniaeth ar fy mhen-glin dair wythnos yn ôl, ydy tylino'n iawn", "recent_surgery"),
    ("dwi'n cymryd tabledi teneuo gwaed, ydy tylino dwfn yn iawn", "vascular_condition"),
    ("dwi'n feichiog ac mae gen i gramp yng nghroth fy nghoes", "pregnancy"),
    ("cramp ofnadwy yn fy nghoes ar hyn o bryd, mae'n galed fel carreg", "active_spasm"),
])
def test_welsh_emergencies_are_caught(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    # negated
    ("Does gen i ddim poen yn y frest, dwi'n anadlu'n iawn", "cardiac_signs"),
    ("Does gen i ddim poen yn y frest, dwi'n anadlu'n iawn", "pe_signs"),
    ("dim gwres, dim gwddf stiff, jyst cramp yng nghroth fy nghoes", "sepsis_meningitis"),
    ("dyw croth fy nghoes ddim wedi chwyddo a ddim yn goch", "dvt_signs"),
    # someone else's past
    ("cafodd fy nhad strôc flynyddoedd yn ôl", "stroke_signs"),
    ("cafodd Mam glot gwaed yn ei choes flynyddoedd maith yn ôl", "dvt_signs"),
    # hypothetical
    ("beth yw arwyddion trawiad ar y galon? jyst yn chwilfrydig", "cardiac_signs"),
    ("os bydd poen yn fy mrest, beth ddylwn i wneud", "cardiac_signs"),
    # plain self-care
    ("sut alla i ymestyn croth fy nghoes ar ôl cramp", "dvt_signs"),
    ("ydy gwres neu rew yn well i gramp", "active_spasm"),
])
def test_welsh_non_findings_are_left_alone(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text", [
    "diolch, the cramp in my calf has eased",
    "had a cwtch with my mam and my back went into spasm",
    "bore da, my shoulder has been stiff for weeks",
    "my coes is cramping, help",
])
def test_english_with_a_welsh_word_stays_english(triage, text):
    assert triage.detect(text)["language"] is None
