"""Phone numbers a client gives for a call-back: found in what they typed, and masked for display.

The number is kept whole only in the stored call-back request (the console's call-back queue, where
staff need it to call). Everywhere else (the assistant's reply, logs, alerts) it is shown masked,
last three digits only, so that the client can check which number was taken.
"""
import re
from typing import Optional

# 10 to 15 digits, optionally led by + and split by spaces, dashes, dots or brackets: a UK number
# ("07700 900123", "+44 7700 900123", "(020) 7946 0018") or an international one. Shorter runs are
# too often something else (a date, a pain score, a postcode's digits).
_NUMBER = re.compile(r"(?<![\w+])(?:\+|\()?\d(?:[\s\-.()]{0,2}\d){9,14}(?!\w)")


def find_phone(text: Optional[str]) -> Optional[str]:
    """The first phone number in `text`, normalised to digits (with a leading + if given)."""
    found = _NUMBER.search(text or "")
    if not found:
        return None
    raw = found.group(0)
    digits = re.sub(r"\D", "", raw)
    return ("+" if raw.startswith("+") else "") + digits


def mask_phone(number: Optional[str]) -> str:
    """"•••• ••• 123": enough for the client to recognise their number, nothing for anyone else."""
    digits = re.sub(r"\D", "", number or "")
    return "•••• ••• " + digits[-3:] if len(digits) >= 3 else "••••"
