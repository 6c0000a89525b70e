"""Unit tests of the vignette harness's pure part: checks per vignette and the metrics."""
import argparse
import textwrap

import pytest

from bot.cli.evaluate import (
    check_vignette,
    level_rank,
    load_vignettes,
    missed_thresholds,
    summarise,
    summarise_files,
)


def slots(level=None, flags=None, topics=None):
    return {"triage_level": level, "red_flags": flags, "advice_topics": topics}


def result(vid, expect, level=None, flags=None, topics=None, answered=(True,), file=None, latencies=()):
    return {"id": vid, "expect": expect, "slots": slots(level, flags, topics), "answered": list(answered),
            "file": file, "latencies_ms": list(latencies)}


# --- check_vignette ------------------------------------------------------------------------------
def test_passing_vignette_has_no_reasons():
    expect = {"flags": ["dvt_signs"], "no_flags": ["neuro_symptoms"], "min_level": "consultation_24",
              "max_level": "emergency", "advice_any": ["seek_help", "ice"]}
    got = slots("consultation_24", ["dvt_signs", "vascular_condition"], ["seek_help"])
    assert check_vignette(expect, got, [True, True]) == []


def test_empty_expectations_pass_even_with_unset_slots():
    assert check_vignette({}, {}, [True]) == []
    assert check_vignette({}, None, [True]) == []


def test_missing_flag():
    reasons = check_vignette({"flags": ["pe_signs", "dvt_signs"]}, slots(flags=["dvt_signs"]), [True])
    assert len(reasons) == 1 and "missing flags" in reasons[0] and "pe_signs" in reasons[0]


def test_missing_flag_when_red_flags_null():
    assert check_vignette({"flags": ["pe_signs"]}, slots(flags=None), [True])


def test_unwanted_flag():
    reasons = check_vignette({"no_flags": ["dvt_signs"]}, slots(flags=["dvt_signs"]), [True])
    assert len(reasons) == 1 and "unexpected flags" in reasons[0]


def test_no_flags_at_all():
    assert check_vignette({"no_flags_at_all": True}, slots(flags=["active_spasm"]), [True])
    assert check_vignette({"no_flags_at_all": True}, slots(flags=[]), [True]) == []
    assert check_vignette({"no_flags_at_all": True}, slots(flags=None), [True]) == []


def test_min_level_below_and_unset():
    assert check_vignette({"min_level": "emergency"}, slots("consultation_24"), [True])
    reasons = check_vignette({"min_level": "self_care"}, slots(None), [True])
    assert len(reasons) == 1 and "unset" in reasons[0]
    assert check_vignette({"min_level": "self_care"}, slots("self_care"), [True]) == []
    assert check_vignette({"min_level": "consultation"}, slots("emergency_ambulance"), [True]) == []


def test_max_level_exceeded():
    reasons = check_vignette({"max_level": "consultation"}, slots("consultation_24"), [True])
    assert len(reasons) == 1 and "above max_level" in reasons[0]
    assert check_vignette({"max_level": "consultation"}, slots("consultation"), [True]) == []


def test_unset_level_is_below_self_care():
    assert check_vignette({"max_level": "self_care"}, slots(None), [True]) == []
    assert check_vignette({"max_level": "self_care"}, slots(""), [True]) == []


def test_unknown_level_fails():
    reasons = check_vignette({"max_level": "emergency"}, slots("urgent"), [True])
    assert any("unknown triage_level" in r for r in reasons)


def test_advice_any():
    assert check_vignette({"advice_any": ["heat", "ice"]}, slots(topics=["ice"]), [True]) == []
    reasons = check_vignette({"advice_any": ["heat", "ice"]}, slots(topics=["stretching"]), [True])
    assert len(reasons) == 1 and "advice_any" in reasons[0]
    assert check_vignette({"advice_any": ["heat"]}, slots(topics=None), [True])


def test_unanswered_turn():
    reasons = check_vignette({}, {}, [True, False, True])
    assert reasons == ["turn 2 unanswered"]


def test_several_failures_are_all_reported():
    expect = {"flags": ["pe_signs"], "max_level": "self_care", "advice_any": ["heat"]}
    assert len(check_vignette(expect, slots("consultation", [], []), [False])) == 4


def test_level_order():
    order = [None, "self_care", "consultation", "consultation_24", "emergency", "emergency_ambulance"]
    assert [level_rank(level) for level in order] == list(range(6))
    with pytest.raises(ValueError):
        level_rank("urgent")


# --- summarise -----------------------------------------------------------------------------------
def test_summarise_counts_and_failures():
    results = [
        result("a", {"flags": ["pe_signs"], "min_level": "emergency_ambulance"}, "emergency_ambulance",
               ["pe_signs"]),
        result("b", {"flags": ["pe_signs", "dvt_signs"], "min_level": "emergency_ambulance"},
               "consultation_24", ["dvt_signs"], answered=(True, False)),
        result("c", {"advice_any": ["ice"], "max_level": "consultation"}, "self_care", [], ["ice"]),
    ]
    m = summarise(results)
    assert m["vignettes"] == 3 and m["passed"] == 2
    assert m["failed"] == ["b"]
    assert set(m["failures"]) == {"b"} and any("turn 2 unanswered" in r for r in m["failures"]["b"])
    assert m["turns"] == 4 and m["unanswered_turns"] == 1
    assert m["advice_accuracy"] == 1.0


def test_sensitivity_overall_and_per_code():
    results = [
        result("a", {"flags": ["pe_signs"]}, "emergency_ambulance", ["pe_signs"]),
        result("b", {"flags": ["pe_signs", "dvt_signs"]}, "consultation_24", ["dvt_signs"]),
        result("c", {"flags": ["dvt_signs"]}, "consultation_24", ["dvt_signs"]),
        result("d", {"no_flags": ["dvt_signs"]}, None, None),
    ]
    m = summarise(results)
    assert m["sensitivity"] == pytest.approx(3 / 4, abs=1e-4)
    assert m["sensitivity_per_code"] == {
        "dvt_signs": {"expected": 2, "found": 2, "sensitivity": 1.0},
        "pe_signs": {"expected": 2, "found": 1, "sensitivity": 0.5},
    }


def test_sensitivity_null_without_expected_flags():
    m = summarise([result("a", {"max_level": "self_care"})])
    assert m["sensitivity"] is None and m["sensitivity_per_code"] == {}
    assert m["advice_accuracy"] is None


def test_over_escalation_rate():
    results = [
        result("a", {"max_level": "consultation"}, "consultation_24"),   # over
        result("b", {"max_level": "consultation"}, "consultation"),      # at the limit
        result("c", {"max_level": "self_care"}, None),                   # unset is below self_care
        result("d", {"max_level": "self_care"}, "consultation"),         # over
        result("e", {"min_level": "emergency"}, "emergency_ambulance"),  # no max_level: not counted
    ]
    m = summarise(results)
    assert m["over_escalation_rate"] == 0.5
    assert m["failed"] == ["a", "d"]


def test_advice_accuracy():
    results = [
        result("a", {"advice_any": ["heat", "ice"]}, topics=["ice"]),
        result("b", {"advice_any": ["hydration"]}, topics=["stretching"]),
        result("c", {"advice_any": ["posture"]}, topics=None),
        result("d", {"no_flags_at_all": True}),
    ]
    assert summarise(results)["advice_accuracy"] == pytest.approx(1 / 3, abs=1e-4)


def test_transport_errors_fail_the_vignette():
    r = result("a", {})
    r["errors"] = ["tracker: ConnectionError: refused"]
    m = summarise([r])
    assert m["failed"] == ["a"] and m["failures"]["a"][0].startswith("tracker")


def test_latency_percentiles():
    m = summarise([result("a", {}, answered=[True] * 10, latencies=[10, 20, 30, 40, 50, 60, 70, 80, 90, 100]),
                   result("b", {}, answered=[True] * 10, latencies=[1000] * 10)])
    assert m["latency_ms"] == {"p50": 100, "p95": 1000}
    assert summarise([])["latency_ms"] == {"p50": None, "p95": None}


def test_per_file_breakdown():
    results = [result("a", {"flags": ["pe_signs"]}, "emergency_ambulance", ["pe_signs"], file="x.yml"),
               result("b", {"max_level": "self_care"}, "consultation", file="y.yml")]
    m = summarise_files(results)
    assert m["files"] == ["x.yml", "y.yml"]
    assert m["per_file"]["x.yml"]["passed"] == 1 and m["per_file"]["y.yml"]["failed"] == ["b"]
    assert "per_file" not in summarise_files(results[:1])


# --- thresholds and loading ----------------------------------------------------------------------
def test_missed_thresholds():
    metrics = {"sensitivity": 0.9, "over_escalation_rate": 0.0, "advice_accuracy": None,
               "unanswered_turns": 2}
    args = argparse.Namespace(min_sensitivity=1.0, max_over_escalation=0.02, min_advice_accuracy=0.97,
                              max_unanswered=0)
    missed = missed_thresholds(metrics, args)
    assert len(missed) == 2 and missed[0].startswith("sensitivity") and missed[1].startswith("unanswered")
    none_given = argparse.Namespace(min_sensitivity=None, max_over_escalation=None,
                                    min_advice_accuracy=None, max_unanswered=None)
    assert missed_thresholds(metrics, none_given) == []


def test_load_vignettes(tmp_path):
    path = tmp_path / "v.yml"
    path.write_text(textwrap.dedent("""\
        - {id: p001, turns: ["hello"], expect: {max_level: self_care}}
        - id: p002
          turns: ["my calf", "yesterday"]
        """))
    vignettes = load_vignettes(str(path))
    assert [v["id"] for v in vignettes] == ["p001", "p002"]
    assert vignettes[1]["expect"] == {} and vignettes[0]["file"] == str(path)


@pytest.mark.parametrize("item", [
    '- {id: x, turns: []}',
    '- {turns: ["hi"]}',
    '- {id: x, turns: ["hi"], expect: {max_levle: self_care}}',
    '- {id: x, turns: ["hi"], expect: {min_level: urgent}}',
])
def test_load_vignettes_rejects_malformed(tmp_path, item):
    path = tmp_path / "v.yml"
    path.write_text(item + "\n")
    with pytest.raises(ValueError):
        load_vignettes(str(path))


# --- keys CONTRACT.md added: flags_any, advice_all, reply_has, reply_lacks; emergency sensitivity ----
def test_flags_any_needs_one_of_them():
    assert check_vignette({"flags_any": ["pe_signs", "cardiac_signs"]}, slots(flags=["cardiac_signs"]),
                          [True]) == []
    reasons = check_vignette({"flags_any": ["pe_signs", "cardiac_signs"]}, slots(flags=["dvt_signs"]),
                             [True])
    assert len(reasons) == 1 and "flags_any" in reasons[0]


def test_advice_all_needs_every_topic():
    assert check_vignette({"advice_all": ["heat", "stretching"]}, slots(topics=["stretching", "heat"]),
                          [True]) == []
    assert check_vignette({"advice_all": ["heat", "stretching"]}, slots(topics=["heat"]), [True])


def test_reply_has_and_lacks_read_the_last_replies_case_insensitively():
    expect = {"reply_has": ["999"], "reply_lacks": [r"\n\s*1\.\s"]}
    assert check_vignette(expect, slots(), [True], ["Please CALL 999 now."]) == []
    reasons = check_vignette(expect, slots(), [True], ["Try this:\n 1. stretch"])
    assert len(reasons) == 2


def test_emergency_sensitivity_counts_emergency_codes_and_flags_any_lists():
    results = [result("a", {"flags": ["pe_signs", "dvt_signs"]}, flags=["dvt_signs"]),
               result("b", {"flags_any": ["pe_signs", "cardiac_signs"]}, flags=["cardiac_signs"]),
               result("c", {"flags": ["stroke_signs"]}, flags=["stroke_signs"])]
    metrics = summarise(results)
    assert metrics["emergency_sensitivity"] == round(2 / 3, 4)
    assert metrics["sensitivity"] == 0.75


def test_ambulance_for_a_harmless_message_is_counted():
    results = [result("a", {"max_level": "self_care"}, level="emergency_ambulance"),
               result("b", {"max_level": "self_care"}, level="consultation"),
               result("c", {"max_level": "emergency"}, level="emergency_ambulance")]
    assert summarise(results)["ambulance_for_harmless"] == 1


def test_only_keeps_the_listed_ids_of_one_file():
    from bot.cli.evaluate import select

    vignettes = [{"id": f"p{n}", "file": "x/next.yml"} for n in (401, 414, 421)] + [
        {"id": "s1", "file": "other.yml"}]
    kept = select(vignettes, "next.yml:p401-p414")
    assert [v["id"] for v in kept] == ["p401", "p414", "s1"]
