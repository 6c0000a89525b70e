"""The development sets' messages as second-opinion corpus: only what a vignette settles is a label."""
import json

from bot.cli.corpus_from_sets import corpus, labelled


def test_every_turn_of_a_harmless_conversation_is_a_message_with_no_code():
    vignette = {"turns": ["my calf cramped last night", "no swelling, all fine"],
                "expect": {"no_flags": ["dvt_signs"], "max_level": "self_care"}}
    assert list(labelled(vignette)) == [{"text": "my calf cramped last night", "codes": []},
                                        {"text": "no swelling, all fine", "codes": []}]


def test_a_one_message_vignette_gives_its_expected_flags():
    vignette = {"turns": ["crushing chest pain into my jaw"],
                "expect": {"flags": ["cardiac_signs"], "min_level": "emergency_ambulance"}}
    assert list(labelled(vignette)) == [{"text": "crushing chest pain into my jaw", "codes": ["cardiac_signs"]}]


def test_a_harmless_message_with_a_caution_keeps_it():
    vignette = {"turns": ["on warfarin, calves tight after a walk"],
                "expect": {"flags": ["vascular_condition"], "max_level": "consultation"}}
    assert list(labelled(vignette))[0]["codes"] == ["vascular_condition"]


def test_what_a_vignette_does_not_settle_is_left_out():
    either = {"turns": ["sharp pain in my chest"],
              "expect": {"flags_any": ["pe_signs", "cardiac_signs"], "min_level": "emergency_ambulance"}}
    spread = {"turns": ["hi, my back is tight", "and I can't feel my bits"],
              "expect": {"flags": ["cauda_equina"], "min_level": "emergency"}}
    assert list(labelled(either)) == [] and list(labelled(spread)) == []


def test_a_text_met_twice_is_kept_once(tmp_path):
    item = {"id": "x1", "turns": ["fine now thanks"], "expect": {"max_level": "self_care"}}
    (tmp_path / "a.yml").write_text(json.dumps([item, dict(item, id="x2")]), encoding="utf-8")
    assert corpus([str(tmp_path)]) == [{"text": "fine now thanks", "codes": []}]
