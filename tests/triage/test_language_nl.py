"""Dutch (knowledge/languages/nl.yml): emergencies written in Dutch or Flemish, in everyday words,
contractions ("m'n") and without accents ("een" for "één"), are named Dutch and read through its
glossary by the English red-flag rules; negated findings, someone else's past, hypothetical questions
and plain self-care are left alone; English messages with a Dutch-looking word stay English.
Sentences written here for these tests."""
import pytest

from tests.triage.glossary_checks import caught_in, left_alone

caught = caught_in("nl")


@pytest.mark.parametrize("text, code", [
    # pe_signs / cardiac_signs
    ("Ik krijg geen lucht en heb pijn op de borst bij het inademen", "pe_signs"),
    ("sinds vanochtend ben ik heel benauwd en ik hoest bloed op", "pe_signs"),
    ("ik hoest bloed en ben kortademig", "pe_signs"),
    ("Druk op de borst die uitstraalt naar mijn linkerarm, ik zweet en ben misselijk", "cardiac_signs"),
    ("pijn op m'n borst, trekt naar mijn kaak en koud zweet", "cardiac_signs"),
    # stroke_signs, the client's own and someone with the client now
    ("Mijn gezicht hangt ineens scheef en ik praat onduidelijk", "stroke_signs"),
    ("mond hangt scheef en ik kan mijn arm niet optillen", "stroke_signs"),
    ("één kant van mijn gezicht hangt opeens naar beneden", "stroke_signs"),
    ("Mijn vader is hier bij mij, zijn gezicht hangt opeens scheef en hij praat raar, wat moet ik doen", "stroke_signs"),
    ("mijn moeder zit naast me, ze lalt ineens en kan haar arm niet optillen, wat moeten we doen", "stroke_signs"),
    # self_harm
    ("Ik wil niet meer leven, ik wil dood", "self_harm"),
    ("ik ben een last voor iedereen, ze zijn beter af zonder mij", "self_harm"),
    ("ik denk erover om mezelf van kant te maken, heb al pillen gespaard", "self_harm"),
    # sepsis_meningitis
    ("Hoge koorts, een stijve nek en het licht doet pijn aan mijn ogen", "sepsis_meningitis"),
    ("ik heb koorts en ben helemaal in de war, mijn huid is gevlekt", "sepsis_meningitis"),
    ("koorts en uitslag die niet verdwijnt als ik er een glas op druk", "sepsis_meningitis"),
    # limb_ischaemia
    ("Mijn been is plotseling ijskoud en lijkbleek, ik voel mijn voet niet", "limb_ischaemia"),
    ("m'n voet is koud en blauw en ik kan mijn tenen niet bewegen", "limb_ischaemia"),
    # cauda_equina
    ("Rugpijn en ik voel niks tussen mijn benen", "cauda_equina"),
    ("lage rugpijn en ik kan mijn plas niet ophouden", "cauda_equina"),
    ("pijn in mijn rug en beide benen zijn zwak", "cauda_equina"),
    # compartment_signs
    ("Mijn been zit in het gips, het zit te strak en de pijn is ondraaglijk, pijnstillers helpen niet", "compartment_signs"),
    ("trap tegen mijn scheen gekregen, hij is keihard en opgezwollen", "compartment_signs"),
    # rhabdo_signs
    ("na de sportschool is mijn plas donker als cola", "rhabdo_signs"),
    ("na de marathon veel erger spierpijn dan normaal en mijn urine is bruin", "rhabdo_signs"),
    # dvt_signs (a Dutch calf is "hij": the limb, not a man)
    ("Mijn kuit is dik, rood en warm", "dvt_signs"),
    ("linkerkuit opgezet en gevoelig sinds gisteren", "dvt_signs"),
    ("mijn kuit is opgezet en hij is rood en warm", "dvt_signs"),
    # the codes that refer or caution
    ("ik ben van de trap gevallen, mijn enkel is opgezet en ik kan er niet op staan", "acute_injury"),
    ("de wond is ontstoken, er komt pus uit en de roodheid verspreidt zich", "infection_signs"),
    ("sinds gisteren moet ik overgeven en heb ik diarree, en krampen", "systemic_illness"),
    ("ik heb tintelingen en een doof gevoel in mijn voet", "neuro_symptoms"),
    ("drie weken geleden ben ik geopereerd aan mijn knie, mag ik massage", "recent_surgery"),
    ("ik gebruik bloedverdunners, mag ik een diepe massage", "vascular_condition"),
    ("ik ben zwanger en heb kramp in mijn kuit", "pregnancy"),
    ("op dit moment een heel erge kramp in mijn kuit, keihard", "active_spasm"),
])
def test_dutch_emergencies_are_caught(triage, text, code):
    caught(triage, text, code)


def test_someone_here_with_the_client_now_is_acted_on(triage):
    caught(triage, "mijn man is hier bij mij, hij krijgt geen lucht en heeft pijn op de borst, wat moet ik doen",
           "cardiac_signs")


@pytest.mark.parametrize("text, code", [
    # negated
    ("Geen pijn op de borst, ik kan normaal ademen", "cardiac_signs"),
    ("Geen pijn op de borst, ik kan normaal ademen", "pe_signs"),
    ("geen koorts, geen stijve nek, alleen kramp in mijn kuit", "sepsis_meningitis"),
    ("mijn kuit is niet dik en niet rood", "dvt_signs"),
    # someone else's past
    ("mijn vader heeft jaren geleden een beroerte gehad", "stroke_signs"),
    ("mijn moeder had lang geleden een bloedprop in haar been", "dvt_signs"),
    # hypothetical
    ("wat zijn de symptomen van een hartaanval, gewoon benieuwd", "cardiac_signs"),
    ("als ik pijn op de borst zou krijgen, wat moet ik doen", "cardiac_signs"),
    # plain self-care
    ("hoe kan ik mijn kuit rekken na een kramp", "dvt_signs"),
    ("is warmte of ijs beter bij kramp", "active_spasm"),
])
def test_dutch_non_findings_are_left_alone(triage, text, code):
    left_alone(triage, text, code)


@pytest.mark.parametrize("text", [
    "my kuit is cramping again after football",
    "I have kramp in my calf, should I stretch it?",
    "is ijs or heat better for my back",
    "had a massage in Amsterdam and now my rug hurts",
    "my been is killing me after hardlopen today",
    "my oma had a stroke years ago, is massage safe for me",
])
def test_english_with_a_dutch_word_stays_english(triage, text):
    assert triage.detect(text)["language"] is None
