"""German: the glossary (knowledge/languages/de.yml) lets the English red-flag rules read emergencies
written in German, in everyday and unaccented spellings, and leaves negated, someone else's, past and
plain self-care messages alone. The `triage` fixture is tests/triage/conftest.py's."""
import pytest

from tests.triage.glossary_checks import caught_in, left_alone

caught = caught_in("de")


@pytest.mark.parametrize("text, code", [
    # pe_signs / cardiac_signs
    ("Seit einer Stunde krieg ich keine Luft mehr und beim Einatmen sticht es in der Brust", "pe_signs"),
    ("Ich bekomme seit heute Morgen kaum Luft und huste Blut", "pe_signs"),
    ("Mir ist übel, kalter Schweiß und ein Druck in der Brust der in den Kiefer ausstrahlt", "cardiac_signs"),
    ("Brustschmerzen die in den linken Arm ziehen, mir ist schlecht", "cardiac_signs"),
    # stroke_signs
    ("Mein Mundwinkel hängt runter und meine Sprache ist verwaschen", "stroke_signs"),
    ("ich kann den arm nicht heben und die linke seite ist ganz schwach", "stroke_signs"),
    # self_harm, direct and indirect
    ("ich will sterben, ich hab schon tabletten gesammelt", "self_harm"),
    ("ich bin eine last fuer alle, ohne mich waeren sie besser dran", "self_harm"),
    # sepsis_meningitis
    ("Fieber und mein Nacken ist so steif, ich kann den Kopf nicht nach vorne beugen", "sepsis_meningitis"),
    ("hohes fieber, starke kopfschmerzen und ich bin ganz verwirrt", "sepsis_meningitis"),
    # limb_ischaemia
    ("Plötzlich ist mein Bein kalt und blau und ich kann die Zehen nicht bewegen", "limb_ischaemia"),
    ("mein bein ist ploetzlich eiskalt, blass und taub", "limb_ischaemia"),
    # cauda_equina
    ("Rueckenschmerzen und ich kann seit heute morgen den Urin nicht halten", "cauda_equina"),
    ("kreuzschmerzen und ich spüre nichts zwischen den beinen", "cauda_equina"),
    # compartment_signs
    ("mein bein ist im gips und die schmerzen sind viel schlimmer als gestern", "compartment_signs"),
    ("Der Gips ist zu eng und die Schmerzen sind unerträglich", "compartment_signs"),
    # rhabdo_signs
    ("nach dem fitnessstudio ist mein pipi ganz dunkel, fast braun", "rhabdo_signs"),
    ("Nach dem Training ist mein Urin dunkel wie Cola", "rhabdo_signs"),
    # dvt_signs
    ("Meine linke Wade ist seit gestern geschwollen und gerötet", "dvt_signs"),
    ("die wade ist dick, warm und pocht", "dvt_signs"),
])
def test_german_emergencies_are_caught(triage, text, code):
    caught(triage, text, code)


def test_someone_here_with_the_client_now_is_acted_on(triage):
    caught(triage, "Mein Mann ist hier bei mir, er hat Brustschmerzen und bekommt keine Luft", "cardiac_signs")


@pytest.mark.parametrize("text, codes", [
    # negated
    ("Ich habe keine Brustschmerzen und keine Atemnot, nur einen Krampf in der Wade", ["pe_signs", "cardiac_signs"]),
    ("Meine Wade ist nicht geschwollen und nicht rot", ["dvt_signs"]),
    ("Kein Kribbeln, keine Schwellung, nur Muskelkater in den Oberschenkeln", ["dvt_signs", "neuro_symptoms"]),
    # someone else's, or long past
    ("Mein Vater hatte vor Jahren einen Schlaganfall", ["stroke_signs"]),
    ("Mein Vater hatte vor Jahren eine Thrombose, meine Wade krampft nur", ["dvt_signs"]),
    ("Meine Mutter hatte vor Jahren Fieber und einen steifen Nacken", ["sepsis_meningitis"]),
    # a question about signs, and plain self-care
    ("Was sind die Anzeichen für einen Schlaganfall?", ["stroke_signs"]),
    ("Wie kann ich einen Wadenkrampf dehnen?", ["pe_signs", "cardiac_signs", "stroke_signs", "dvt_signs",
                                                "limb_ischaemia", "self_harm", "rhabdo_signs"]),
    ("Wie kann ich Rückenschmerzen nach dem Training lindern?", ["cauda_equina", "rhabdo_signs"]),
])
def test_german_non_findings_are_left_alone(triage, text, codes):
    left_alone(triage, text, codes)
