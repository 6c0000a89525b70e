"""The action server's log keeps warnings that matter and drops rasa-sdk's per-turn validator notice."""
import logging

import actions  # noqa: F401 - installs the filter, as the action server does


def test_missing_validator_notice_is_dropped_other_warnings_kept(caplog):
    forms = logging.getLogger("rasa_sdk.forms")
    with caplog.at_level(logging.WARNING, logger="rasa_sdk.forms"):
        forms.warning("Skipping validation for `spasm_area`: there is no validation method specified.")
        forms.warning("Slot `spasm_area` was not extracted")
    assert [r.getMessage() for r in caplog.records] == ["Slot `spasm_area` was not extracted"]
