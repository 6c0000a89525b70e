"""Whether a client's message asks something, not just tells ("is ice good?", "what should i do")."""
import re
from typing import Optional

_QUESTION_START = re.compile(
    r"^\s*(what|whats|what's|how|why|when|where|which|who|is|are|am|can|could|should|would|will|do|"
    r"does|did|any|anything|wud|shud|cud|cn|r|wat|wats|wot|whit|whit's)\b", re.I)
_QUESTION_PHRASE = re.compile(
    r"\b(what (can|should|do|would)|how (do|can|should|long|often|much)|is it (ok|okay|safe|normal|"
    r"good|bad|worth)|should i|can i|could i|any (tips|advice|ideas)|anything i can|"
    r"(what|wat|wot)('?s| is) (a |the )?(good|gud|best)|(what|wat|wot) helps|do(es)? (\w+ ){1,2}help)\b",
    re.I)


def looks_like_question(text: Optional[str]) -> bool:
    """Whether a message asks something ("is ice good?", "what should i do"), not just answers."""
    if not text:
        return False
    return "?" in text or bool(_QUESTION_START.search(text) or _QUESTION_PHRASE.search(text))
