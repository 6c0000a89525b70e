"""Opening hours (settings/clinic.yml: timezone, opening_hours, callback_within_hours): whether the
clinic is open now, and when it opens next. A call-back request is answered with one or the other:
within hours "we'll call you within N hours", outside them when the clinic opens again."""
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Dict, Optional, Tuple
from zoneinfo import ZoneInfo

import yaml

from bot.settings import settings_path

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class OpeningHours:
    zone: ZoneInfo
    spans: Dict[int, Optional[Tuple[time, time]]]  # weekday (0 Monday) -> (open, close) or None
    callback_within_hours: int

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(self.zone)
        span = self.spans.get(local.weekday())
        return bool(span) and span[0] <= local.time() < span[1]

    def next_opening(self, now: datetime) -> Optional[datetime]:
        """The next time the clinic opens after `now` (in the clinic's zone); None if never."""
        local = now.astimezone(self.zone)
        for ahead in range(0, 8):
            day = local.date() + timedelta(days=ahead)
            span = self.spans.get(day.weekday())
            if not span:
                continue
            opening = datetime.combine(day, span[0], tzinfo=self.zone)
            if opening > local:
                return opening
        return None


def _span(value: object) -> Optional[Tuple[time, time]]:
    text = str(value or "").strip().lower()
    if text in ("", "closed"):
        return None
    found = _SPAN.match(text)
    if not found:
        raise ValueError(f"opening hours must be 'closed' or 'HH:MM-HH:MM', not {value!r}")
    h1, m1, h2, m2 = (int(g) for g in found.groups())
    return time(h1, m1), (time.max if (h2, m2) == (24, 0) else time(h2, m2))  # "24:00": midnight


def load_hours(path: Path = None) -> OpeningHours:
    """The opening hours of the settings file (CLINIC_SETTINGS); a clinic without them is closed."""
    data = yaml.safe_load(Path(path or settings_path()).read_text(encoding="utf-8")) or {}
    hours = data.get("opening_hours") or {}
    return OpeningHours(
        zone=ZoneInfo(str(data.get("timezone") or "UTC")),
        spans={index: _span(hours.get(day)) for index, day in enumerate(DAYS)},
        callback_within_hours=int(data.get("callback_within_hours") or 2),
    )
