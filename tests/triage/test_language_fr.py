"""French messages are read through knowledge/languages/fr.yml: emergencies are caught, and negated
findings, someone else's past and plain self-care questions are left alone."""
import pytest

from tests.triage.glossary_checks import caught_in, left_alone

caught = caught_in("fr")


@pytest.mark.parametrize("text, code", [
    ("J'ai mal à la poitrine et j'ai du mal à respirer depuis ce matin", "pe_signs"),
    ("je crache du sang et je suis essoufflé", "pe_signs"),
    ("j'ai une douleur dans la poitrine qui descend dans le bras gauche et je transpire", "cardiac_signs"),
    ("ca me serre la poitrine jusqu'a la machoire, j'ai envie de vomir", "cardiac_signs"),
    ("Tout d'un coup mon visage tombe d'un côté et je parle bizarre", "stroke_signs"),
    ("ma bouche est de travers et je n'arrive pas à lever le bras droit", "stroke_signs"),
    ("j'ai envie de mourir, je ne veux plus vivre", "self_harm"),
    ("je pense à me faire du mal, ils seraient mieux sans moi", "self_harm"),
    ("j'ai de la fièvre, la nuque raide et la lumière me fait mal aux yeux", "sepsis_meningitis"),
    ("fievre et des taches qui ne disparaissent pas sous un verre", "sepsis_meningitis"),
    ("ma jambe est devenue froide et blanche d'un coup, je ne sens plus mon pied", "limb_ischaemia"),
    ("mon pied est glacé et bleu, je ne peux pas bouger les orteils", "limb_ischaemia"),
    ("j'ai mal au dos et je ne sens rien entre les jambes", "cauda_equina"),
    ("mal au bas du dos et je n'arrive plus à retenir mes urines", "cauda_equina"),
    ("j'ai la jambe dans le plâtre, c'est trop serré et la douleur est insupportable", "compartment_signs"),
    ("après la muscu mon pipi est foncé comme du coca et mes cuisses me font très mal", "rhabdo_signs"),
    ("mon mollet est gonflé, rouge et chaud depuis hier", "dvt_signs"),
])
def test_french_emergencies_are_caught(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("je n'ai pas de douleur à la poitrine et je respire bien", "cardiac_signs"),
    ("je n'ai pas de douleur à la poitrine et je respire bien", "pe_signs"),
    ("mon père a eu un AVC il y a des années", "stroke_signs"),
    ("quels sont les signes d'une crise cardiaque, juste par curiosité", "cardiac_signs"),
    ("comment étirer mon mollet après une crampe", "dvt_signs"),
    ("pas de fièvre, pas de nuque raide, juste une crampe au mollet", "sepsis_meningitis"),
    ("je n'ai aucun engourdissement entre les jambes", "cauda_equina"),
])
def test_french_non_findings_are_left_alone(triage, text, code):
    left_alone(triage, text, code)
