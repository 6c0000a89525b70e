"""What every glossary's tests check (tests/triage/test_language_*.py): a message in the language is
named as it and its emergency found; a negated, someone else's or plain message finds none of the
codes named."""
from typing import Callable, Iterable, Union


def caught_in(language: str) -> Callable:
    def caught(triage, text: str, code: str) -> None:
        found = triage.detect(text)
        assert found["language"] == language, found
        assert code in found["codes"], found
    return caught


def left_alone(triage, text: str, codes: Union[str, Iterable[str]]) -> None:
    found = triage.detect(text)
    codes = {codes} if isinstance(codes, str) else set(codes)
    assert not codes & set(found["codes"]), found


def named_by_its_glossary(triage, text: str, language: str) -> None:
    """A romanised message py3langid names otherwise (Swahili, Dutch...) is named by the glossary
    that reads it (`romanised: true`, bot/triage/language.py)."""
    languages = triage.languages
    assert languages.identifier.rank(text)[0][0] != language
    assert language in languages.romanised
    assert languages.best_glossary(text) == language
    assert languages.named(text) == language
