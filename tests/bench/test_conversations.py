"""The benchmark's conversation mix: fixed, at the requested red-flag share, spread evenly, multi-turn."""
import pytest

from bot.bench.conversations import RED_FLAG, SELF_CARE, conversation_mix, load_scripts


def test_the_mix_is_deterministic():
    assert conversation_mix() == conversation_mix()
    assert conversation_mix(0.5, count=40, seed=3) == conversation_mix(0.5, count=40, seed=3)


@pytest.mark.parametrize("share", [0.3, 0.5, 0.1])
def test_both_kinds_at_the_requested_share_spread_evenly(share):
    mix = conversation_mix(share, count=100)
    kinds = [script.kind for script in mix]
    assert kinds.count(RED_FLAG) == round(100 * share)
    assert kinds.count(SELF_CARE) == 100 - round(100 * share)
    for n in range(1, len(kinds) + 1):  # every prefix is within one conversation of the share
        assert abs(kinds[:n].count(RED_FLAG) - n * share) <= 1


def test_the_default_mix_uses_each_vignette_at_most_once():
    mix = conversation_mix(0.3)
    ids = [script.id for script in mix]
    assert len(ids) > 100 and len(set(ids)) == len(ids)
    assert {RED_FLAG, SELF_CARE} == {script.kind for script in mix}


def test_every_script_has_messages_and_most_are_multi_turn():
    scripts = load_scripts()
    assert all(script.turns and all(t.strip() for t in script.turns) for script in scripts)
    assert sum(len(script.turns) > 1 for script in scripts) > len(scripts) / 2
    assert any(script.turns[0] == "hi" for script in scripts)


def test_kinds_come_from_the_expected_flags():
    by_id = {script.id: script for script in load_scripts()}
    assert by_id["p001"].kind == RED_FLAG and by_id["p101"].kind == SELF_CARE
    assert by_id["r001"].kind == RED_FLAG and by_id["s001"].kind == SELF_CARE


def test_one_kind_only_and_bad_shares():
    assert {s.kind for s in conversation_mix(0.0, count=10)} == {SELF_CARE}
    assert {s.kind for s in conversation_mix(1.0, count=10)} == {RED_FLAG}
    with pytest.raises(ValueError):
        conversation_mix(1.5)
