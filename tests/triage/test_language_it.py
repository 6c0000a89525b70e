"""Italian (knowledge/languages/it.yml): emergencies written in Italian are read through its glossary
by the English red-flag rules; negated findings, other people's past and plain self-care questions
are left alone. Sentences written here for these tests."""
import pytest

from tests.triage.glossary_checks import caught_in, left_alone

caught = caught_in("it")


@pytest.mark.parametrize("text, code", [
    ("Da stamattina mi manca l'aria e ho un dolore al petto quando respiro", "pe_signs"),
    ("Tossisco sangue e ho il fiato corto", "pe_signs"),
    ("Ho una stretta al petto che si irradia al braccio sinistro e sono tutto sudato", "cardiac_signs"),
    ("Ho un peso sul petto che va verso la mascella e mi viene da vomitare", "cardiac_signs"),
    ("All'improvviso ho la bocca storta e parlo in modo strano", "stroke_signs"),
    ("Metà del corpo è debole da stamattina", "stroke_signs"),
    ("Non ce la faccio più, voglio farla finita", "self_harm"),
    ("Mi sento un peso per tutti, starebbero meglio senza di me", "self_harm"),
    ("Ho la febbre alta, il collo rigido e la luce mi dà fastidio agli occhi", "sepsis_meningitis"),
    ("Febbre e un mal di testa fortissimo, sono confusa", "sepsis_meningitis"),
    ("Il piede è diventato freddo e pallido all'improvviso e non sento le dita", "limb_ischaemia"),
    ("La gamba è gelida e bianca da un'ora e non riesco a muovere le dita dei piedi", "limb_ischaemia"),
    ("Mal di schiena e non sento niente tra le gambe, non riesco a trattenere la pipì", "cauda_equina"),
    ("Ho il colpo della strega e tutte e due le gambe deboli", "cauda_equina"),
    ("Dopo la palestra la pipì è scura come la coca cola e ho dolori muscolari fortissimi", "rhabdo_signs"),
    ("Ho la gamba ingessata, il gesso è troppo stretto e il dolore è insopportabile", "compartment_signs"),
    ("Sono caduto dalla bici e il polpaccio è duro come un sasso", "compartment_signs"),
    ("Il polpaccio destro è gonfio, arrossato e caldo, e pulsa", "dvt_signs"),
])
def test_emergencies_in_italian(triage, text, code):
    caught(triage, text, code)


@pytest.mark.parametrize("text, code", [
    ("Non ho dolore al petto e non mi manca l'aria, solo crampi ai polpacci", "pe_signs"),
    ("Non ho dolore al petto e non mi manca l'aria, solo crampi ai polpacci", "cardiac_signs"),
    ("Non ho febbre né mal di testa, solo la schiena rigida", "sepsis_meningitis"),
    ("Non ho nessun gonfiore e nessun formicolio", "dvt_signs"),
    ("Mio padre ha avuto un ictus anni fa, io ho solo la schiena rigida", "stroke_signs"),
    ("Mio marito ha avuto un infarto l'anno scorso, io ho solo crampi", "cardiac_signs"),
    ("Quali sono i segni di un ictus? Chiedo per curiosità", "stroke_signs"),
    ("Come faccio a sciogliere un crampo al polpaccio?", "dvt_signs"),
    ("Sono caduto sulla spalla e non riesco ad alzare il braccio sopra la testa", "stroke_signs"),
])
def test_what_italian_leaves_alone(triage, text, code):
    left_alone(triage, text, code)


def test_a_plain_self_care_question_in_italian_raises_nothing(triage):
    found = triage.detect("Che stretching posso fare per la schiena?")
    assert found["codes"] == [], found
