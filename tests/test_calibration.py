"""bot/cli/calibration.py's pure part: reliability bins, ECE and the threshold table (the numbers of
docs/confidence.md)."""
from bot.cli.calibration import expected_calibration_error, from_rasa_results, reliability, threshold_table

PREDICTIONS = [("a", "a", 0.95), ("a", "a", 0.92), ("b", "a", 0.91), ("b", "b", 0.35),
               ("a", "b", 0.32), ("c", "c", 0.55)]


def test_calibration_reliability_bins_count_confidence_and_accuracy():
    rows = {r["bin"]: r for r in reliability(PREDICTIONS)}
    assert rows["0.9-1.0"] == {"bin": "0.9-1.0", "messages": 3, "confidence": 0.927, "accuracy": 0.667}
    assert rows["0.3-0.4"]["accuracy"] == 0.5 and rows["0.5-0.6"]["messages"] == 1


def test_calibration_ece_is_zero_when_confidence_matches_accuracy_and_grows_with_the_gap():
    assert expected_calibration_error([("a", "a", 1.0), ("a", "a", 1.0)]) == 0.0
    assert expected_calibration_error([("a", "b", 0.9)]) == 0.9


def test_calibration_threshold_table_counts_asked_and_wrong_answers():
    rows = {r["threshold"]: r for r in threshold_table(PREDICTIONS, [0.4])}
    assert rows[0.4]["asked"] == round(2 / 6, 3)
    assert rows[0.4]["asked_but_right"] == 1
    assert rows[0.4]["answered_accuracy"] == 0.75
    assert rows[0.4]["wrong_answers_per_100"] == round(100 / 6, 1)


def test_calibration_reads_rasa_success_and_error_records():
    records = [{"text": "x", "intent": "a", "intent_prediction": {"name": "b", "confidence": 0.3}}]
    assert from_rasa_results(records) == [("a", "b", 0.3)]
