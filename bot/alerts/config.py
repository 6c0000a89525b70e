"""Alert settings: settings/clinic.yml's `alerts` section, each value overridable from the
environment. The SMTP user and password are read from the environment only, so that no secret is
ever written into the repository's settings file."""
import os
from dataclasses import dataclass
from typing import Mapping, Optional, Tuple

from bot.settings import load_section, load_settings

# setting -> environment variable that overrides it
ENV = {
    "console_url": "ALERT_CONSOLE_URL",
    "smtp_host": "ALERT_SMTP_HOST",
    "smtp_port": "ALERT_SMTP_PORT",
    "smtp_starttls": "ALERT_SMTP_STARTTLS",
    "email_from": "ALERT_EMAIL_FROM",
    "email_to": "ALERT_EMAIL_TO",
    "webhook_url": "ALERT_WEBHOOK_URL",
}


def _flag(value: object) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class AlertSettings:
    console_url: str = "http://127.0.0.1:5006"
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_user: str = ""
    smtp_password: str = ""
    email_from: str = ""
    email_to: Tuple[str, ...] = ()
    webhook_url: str = ""
    timezone: str = "UTC"
    poll_s: float = 2.0          # how often the events are read: alerts leave within seconds
    backoff_s: float = 5.0       # first retry after this, doubled each time
    max_attempts: int = 8        # over about 10 minutes; then failed (the console shows it)

    @property
    def email_on(self) -> bool:
        return bool(self.smtp_host and self.email_to)

    @property
    def webhook_on(self) -> bool:
        return bool(self.webhook_url)

    def channels(self) -> Tuple[str, ...]:
        return tuple(name for name, on in (("email", self.email_on), ("webhook", self.webhook_on))
                     if on)

    @classmethod
    def load(cls, env: Optional[Mapping[str, str]] = None) -> "AlertSettings":
        env = os.environ if env is None else env
        values = dict(load_section("alerts"))
        for key, variable in ENV.items():
            if env.get(variable) is not None:
                values[key] = env[variable]
        recipients = tuple(a.strip() for a in str(values.get("email_to") or "").split(",")
                           if a.strip())
        return cls(
            console_url=str(values.get("console_url") or cls.console_url).rstrip("/"),
            smtp_host=str(values.get("smtp_host") or ""),
            smtp_port=int(values.get("smtp_port") or cls.smtp_port),
            smtp_starttls=_flag(values.get("smtp_starttls", True)),
            smtp_user=env.get("ALERT_SMTP_USER", ""),
            smtp_password=env.get("ALERT_SMTP_PASSWORD", ""),
            email_from=str(values.get("email_from") or ""),
            email_to=recipients,
            webhook_url=str(values.get("webhook_url") or ""),
            timezone=load_settings().get("timezone", "UTC"),
            poll_s=float(env.get("ALERT_POLL_S", cls.poll_s)),
            backoff_s=float(env.get("ALERT_BACKOFF_S", cls.backoff_s)),
            max_attempts=int(env.get("ALERT_MAX_ATTEMPTS", cls.max_attempts)),
        )
