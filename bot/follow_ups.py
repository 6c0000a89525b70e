"""Reading a follow-up: a message that refers back to what was being discussed ("so which one should
I use?", "any other ones?", "what can I do about it myself?"). The words are those of
knowledge/conversation_memory.yml `follow_ups`; the NLU (bot/components/follow_up_rule.py) and the
action that answers (actions/follow_up.py) read them the same way."""
import re
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

KINDS = ("which_one", "another", "what_else")


@lru_cache(maxsize=None)
def _pattern(words: Tuple[str, ...]) -> "re.Pattern[str]":
    alternatives = sorted((re.escape(w.lower()) for w in words), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


def follow_up_kind(text: Optional[str], vocabulary: Dict[str, List[str]]) -> Optional[str]:
    """which_one, another or what_else (the first kind whose words the message has), else None."""
    if not text:
        return None
    lowered = re.sub(r"\s+", " ", text.lower().replace("’", "'"))
    for kind in KINDS:
        if vocabulary.get(kind) and _pattern(tuple(vocabulary[kind])).search(lowered):
            return kind
    return None
