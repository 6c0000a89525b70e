"""The clinical knowledge files, read once per action-server process."""
from functools import lru_cache
from typing import Any, Dict

from bot.knowledge_files import read_yaml
from bot.settings import load_settings
from bot.triage import rules as triage_rules


@lru_cache(maxsize=1)
def knowledge() -> Dict[str, Any]:
    return {
        "answers": read_yaml("knowledge/answers.yml")["answers"],
        "safety_note": read_yaml("knowledge/answers.yml")["safety_note"],
        "facts": read_yaml("knowledge/answers.yml")["facts"],
        "withheld": read_yaml("knowledge/answers.yml")["withheld"],
        "stretches": read_yaml("knowledge/stretches.yml")["stretches"],
        "stretch_lead": read_yaml("knowledge/stretches.yml")["lead"],
        "topics": read_yaml("knowledge/topics.yml"),
        "cautions": read_yaml("knowledge/cautions.yml")["cautions"],
        "triggers": read_yaml("knowledge/triggers.yml")["triggers"],
        "assessment": read_yaml("knowledge/assessment.yml"),
        "callback": read_yaml("knowledge/callback.yml")["callback"],
        "red_flags": triage_rules.load(),
        "settings": load_settings(),
    }
