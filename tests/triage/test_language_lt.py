"""Lithuanian (knowledge/languages/lt.yml): emergencies written in Lithuanian, with or without
Lithuanian letters (ą ę ė į ų ū č š ž typed as a e e i u u c s z), are read through its glossary by
the English red-flag rules; negated findings, someone else's past, hypothetical questions and plain
self-care are left alone. Sentences written here for these tests."""
import pytest

from tests.triage.glossary_checks import caught_in, left_alone

caught = caught_in("lt")


@pytest.mark.parametrize("text, code", [
    # pe_signs / cardiac_signs
    ("Labai skauda krūtinę ir negaliu kvėpuoti", "pe_signs"),
    ("nuo ryto truksta oro ir kai ikvepiu skauda krutineje", "pe_signs"),
    ("Atsikosėju krauju ir dūstu", "pe_signs"),
    ("Spaudžia krūtinę, atiduoda į kairę ranką, išpylė šaltas prakaitas", "cardiac_signs"),
    ("krūtinę gniaužia, plinta į žandikaulį ir mane pykina", "cardiac_signs"),
    # stroke_signs, the client's own and someone with the client now
    ("Staiga nukrito veidas ir kalba neaiški", "stroke_signs"),
    ("burna persikreipe ir negaliu pakelti rankos", "stroke_signs"),
    ("viena kuno puse silpna nuo ryto", "stroke_signs"),
    ("mano mama yra čia su manimi, jai staiga persikreipė burna ir ji keistai kalba, ką daryti", "stroke_signs"),
    ("mano tėtis staiga negali pakelti rankos ir keistai kalba, ką daryti", "stroke_signs"),
    # self_harm
    ("Nebenoriu gyventi, noriu mirti", "self_harm"),
    ("esu našta visiems, be manęs jiems būtų geriau", "self_harm"),
    ("galvoju kaip nusižudyti, susirinkau tablečių", "self_harm"),
    # sepsis_meningitis
    ("Aukšta temperatūra, sustingęs sprandas ir šviesa skaudina akis", "sepsis_meningitis"),
    ("karščiuoju ir esu sumišusi, oda marmurinė", "sepsis_meningitis"),
    ("temperatūra ir bėrimas, paspaudus stikline neišnyksta", "sepsis_meningitis"),
    # limb_ischaemia
    ("Koja staiga pasidarė ledinė ir išbalusi, nejaučiu pėdos", "limb_ischaemia"),
    ("pėda šalta ir mėlyna, negaliu pajudinti pirštų", "limb_ischaemia"),
    # cauda_equina
    ("Skauda nugarą ir nutirpo tarp kojų", "cauda_equina"),
    ("skauda nugara ir nesulaikau slapimo", "cauda_equina"),
    ("nugaros skausmas ir abi kojos nusilpo", "cauda_equina"),
    # compartment_signs
    ("Koja gipse, per ankštas, skausmas nepakeliamas, vaistai nuo skausmo nepadeda", "compartment_signs"),
    ("gavau smūgį į blauzdą, ji kieta kaip akmuo ir sutinusi", "compartment_signs"),
    # rhabdo_signs
    ("po treniruotės šlapimas tamsus kaip kola", "rhabdo_signs"),
    ("po sporto salės raumenys baisiai skauda ir šlapimas arbatos spalvos", "rhabdo_signs"),
    # dvt_signs
    ("Blauzda ištinusi, paraudusi ir šilta", "dvt_signs"),
    ("kaire blauzda sutinusi ir raudona nuo vakar", "dvt_signs"),
    # the codes that refer or caution
    ("nukritau nuo laiptų, kulkšnis ištino, negaliu remtis į koją", "acute_injury"),
    ("žaizda pūliuoja ir raudonis plinta", "infection_signs"),
    ("nuo vakar vemiu ir viduriuoju, dar ir mėšlungis", "systemic_illness"),
    ("prieš tris savaites man operavo kelį, ar galima masažas", "recent_surgery"),
    ("vartoju kraują skystinančius vaistus, ar galima gilus masažas", "vascular_condition"),
    ("būtent dabar labai stiprus mėšlungis blauzdoje, kietas kaip akmuo", "active_spasm"),
])
def test_lithuanian_emergencies_are_caught(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    # negated
    ("Neskauda krūtinės, kvėpuoju normaliai", "cardiac_signs"),
    ("nėra jokio skausmo krūtinėje ir nėra dusulio", "pe_signs"),
    ("nėra karščio, nėra sustingusio sprando, tik mėšlungis blauzdoje", "sepsis_meningitis"),
    ("blauzda nesutinusi ir neraudona", "dvt_signs"),
    # someone else's past
    ("mano tėtis prieš daug metų turėjo insultą", "stroke_signs"),
    ("mamai prieš daug metų buvo krešulys kojoje", "dvt_signs"),
    # hypothetical
    ("kokie yra infarkto simptomai, tiesiog įdomu", "cardiac_signs"),
    ("jei skaudėtų krūtinę, ką daryti", "cardiac_signs"),
    # plain self-care
    ("kaip ištempti blauzdą po mėšlungio", "dvt_signs"),
    ("ar geriau masažas, šiluma ar ledas nuo mėšlungio", "active_spasm"),
])
def test_lithuanian_non_findings_are_left_alone(triage, text, code):
    left_alone(triage, text, code)
