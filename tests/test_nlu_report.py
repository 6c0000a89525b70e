"""Unit tests of the NLU report's pure part on a hand-made intent_report (no Rasa run)."""
import json

import pytest

from bot.cli.nlu_report import confused_pairs, result_json, summarise, weak_intents


def row(p, r, f1, support, confused=None):
    return {"precision": p, "recall": r, "f1-score": f1, "support": support,
            "confused_with": confused or {}}


REPORT = {
    "greet": row(1.0, 1.0, 1.0, 10),
    "ask_causes": row(0.8, 0.6, 0.6857, 10, {"ask_what_is_spasm": 3, "ask_prevention": 1}),
    "ask_what_is_spasm": row(0.7, 0.9, 0.7875, 10, {"ask_causes": 1}),
    "inform": row(0.95, 0.9, 0.9231, 20, {"deny": 2}),
    # a label only ever predicted, never gold: no support, not an intent of the data set
    "nlu_fallback": row(0.0, 0.0, 0.0, 0),
    "accuracy": 0.86,
    "macro avg": {"precision": 0.8625, "recall": 0.85, "f1-score": 0.849075, "support": 50},
    "weighted avg": {"precision": 0.88, "recall": 0.86, "f1-score": 0.86388, "support": 50},
}


def test_summarise_reads_accuracy_and_averages():
    assert summarise(REPORT) == {"accuracy": 0.86, "macro_f1": 0.8491, "weighted_f1": 0.8639,
                                 "examples": 50}


def test_summarise_falls_back_to_micro_avg_without_accuracy():
    report = {k: v for k, v in REPORT.items() if k != "accuracy"}
    report["micro avg"] = {"precision": 0.9, "recall": 0.9, "f1-score": 0.9, "support": 50}
    assert summarise(report)["accuracy"] == 0.9


def test_confused_pairs_from_report_most_frequent_first():
    assert confused_pairs(REPORT) == [("ask_causes", "ask_what_is_spasm", 3), ("inform", "deny", 2),
                                      ("ask_causes", "ask_prevention", 1),
                                      ("ask_what_is_spasm", "ask_causes", 1)]
    assert confused_pairs(REPORT, n=1) == [("ask_causes", "ask_what_is_spasm", 3)]


def test_confused_pairs_from_errors_counts_every_error():
    errors = [{"text": t, "intent": gold, "intent_prediction": {"name": pred, "confidence": 0.5}}
              for t, gold, pred in [("a", "inform", "deny"), ("b", "inform", "deny"),
                                    ("c", "affirm", "skip"), ("d", "inform", "deny")]]
    assert confused_pairs(REPORT, errors) == [("inform", "deny", 3), ("affirm", "skip", 1)]
    assert confused_pairs(REPORT, []) == []


def test_weak_intents_below_threshold_worst_first_without_unsupported_labels():
    assert weak_intents(REPORT) == [("ask_causes", 0.6857, 10), ("ask_what_is_spasm", 0.7875, 10)]
    assert [name for name, _, _ in weak_intents(REPORT, threshold=0.95)] == [
        "ask_causes", "ask_what_is_spasm", "inform"]


def test_result_json_shape_with_and_without_crossval():
    heldout = summarise(REPORT)
    crossval = {**summarise(REPORT), "accuracy": 0.8}
    got = result_json(heldout, crossval, 5)
    assert got == {"heldout": {"accuracy": 0.86, "macro_f1": 0.8491, "weighted_f1": 0.8639, "examples": 50},
                   "crossval": {"accuracy": 0.8, "macro_f1": 0.8491, "folds": 5}}
    assert json.loads(json.dumps(got)) == got
    assert result_json(heldout, None, 5)["crossval"] is None


@pytest.mark.parametrize("missing", ["macro avg", "weighted avg"])
def test_summarise_needs_the_averages(missing):
    with pytest.raises(KeyError):
        summarise({k: v for k, v in REPORT.items() if k != missing})
