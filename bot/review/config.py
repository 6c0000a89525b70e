"""The console's settings, from the environment (the database comes from bot.review.database)."""
import os
from dataclasses import dataclass
from typing import Mapping, Optional
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 5006
    idle_minutes: int = 30       # a session ends after this long without a request
    max_hours: int = 8           # and this long after sign-in, whatever happens
    secure_cookies: bool = False  # set when the console is served over HTTPS
    timezone: ZoneInfo = ZoneInfo("UTC")  # days in filters and charts, times shown

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        env = os.environ if env is None else env
        return cls(
            host=env.get("REVIEW_HOST", cls.host),
            port=int(env.get("REVIEW_PORT", cls.port)),
            idle_minutes=int(env.get("REVIEW_SESSION_IDLE_MINUTES", cls.idle_minutes)),
            max_hours=int(env.get("REVIEW_SESSION_MAX_HOURS", cls.max_hours)),
            secure_cookies=env.get("REVIEW_SECURE_COOKIES", "") in ("1", "true", "yes"),
            timezone=ZoneInfo(env.get("REVIEW_TIMEZONE", "UTC")),
        )
