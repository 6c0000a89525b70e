"""The action server: answers, personalised advice and the assessment form (rasa-sdk)."""
import logging


class _NoValidatorNotice(logging.Filter):
    """The assessment form reads its answers in `extract_` methods, so rasa-sdk's notice that a slot
    has no `validate_` method is not news: it came once per slot per turn (250 KB a benchmark run)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Skipping validation for")


logging.getLogger("rasa_sdk.forms").addFilter(_NoValidatorNotice())
