"""Every message of tests/data/red_flag_cases.yml, the project's red-flag test set."""
from pathlib import Path

import pytest
import yaml

CASES = yaml.safe_load((Path(__file__).parent.parent / "data" / "red_flag_cases.yml").read_text())


def _ids(section):
    return [case["text"][:60] for case in CASES[section]]


@pytest.mark.parametrize("case", CASES["positive"], ids=_ids("positive"))
def test_reported_finding_is_flagged(detector, case):
    found = detector.detect(case["text"])
    assert set(case["codes"]) <= set(found.codes), found.as_dict()


@pytest.mark.parametrize("case", CASES["negative"], ids=_ids("negative"))
def test_mention_that_is_not_a_finding_is_not_flagged(detector, case):
    found = detector.detect(case["text"])
    assert not set(case["not_codes"]) & set(found.codes), found.as_dict()
    assert set(case.get("codes", [])) <= set(found.codes), found.as_dict()


@pytest.mark.parametrize("case", CASES["uncertain"], ids=_ids("uncertain"))
def test_uncertain_mention_is_never_cleared(detector, case):
    found = detector.detect(case["text"])
    assert set(case["codes"]) <= set(found.codes) | set(found.uncertain), found.as_dict()
