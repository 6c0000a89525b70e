"""The credentials file for `rasa run`: the repository's channels plus the configured platforms.

`credentials.yml` (REST and the web widget's socketio channel) is copied as it is. Each messaging
platform is added when its environment variables are set (template: credentials.example.env):

| platform | needs | optional |
| --- | --- | --- |
| Telegram | TELEGRAM_ACCESS_TOKEN, TELEGRAM_VERIFY, TELEGRAM_WEBHOOK_URL, TELEGRAM_SECRET_TOKEN | TELEGRAM_API_URL |
| Slack | SLACK_TOKEN, SLACK_SIGNING_SECRET | SLACK_CHANNEL, SLACK_API_URL |
| Twilio SMS | TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_NUMBER | TWILIO_WEBHOOK_URL, TWILIO_API_URL |
| WhatsApp (Twilio) | TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_NUMBER | TWILIO_WEBHOOK_URL, TWILIO_API_URL |
| Facebook Messenger | FACEBOOK_VERIFY, FACEBOOK_SECRET, FACEBOOK_PAGE_ACCESS_TOKEN | FACEBOOK_API_URL |

TWILIO_API_URL, FACEBOOK_API_URL and SLACK_API_URL replace the platforms' API base URLs
(https://api.twilio.com, https://graph.facebook.com, https://slack.com/api): a proxy, or a local
stand-in in tests (TELEGRAM_API_URL does the same for Telegram's Bot API). Replies to every
platform go through the outbox (bot/channels/outbox.py: OUTBOX_DB, OUTBOX_DB_URL,
OUTBOX_MAX_ATTEMPTS, ...).

`rest=False` leaves the REST webhook out: the production profile serves it only when REST_TOKEN
(or CLUSTER_OPEN_REST) is set (bot/cluster/settings.py).

A platform with some but not all of its variables is an error (a half-configured channel is a
mistake, not a reason to start without it). The file written, var/credentials.yml, holds no
secret: values are `${VARIABLE}` references, which `rasa run` resolves from its environment.

`python -m bot.channels.credentials` writes the file and lists the enabled webhooks.
"""
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

import yaml

from bot.paths import ROOT

BASE_CREDENTIALS = ROOT / "credentials.yml"
GENERATED = ROOT / "var" / "credentials.yml"


class ChannelConfigError(ValueError):
    """The environment configures a platform incompletely or wrongly."""


@dataclass(frozen=True)
class Platform:
    title: str
    channel: str  # the credentials key: a Rasa channel class path
    webhook: str  # the route `rasa run` serves
    required: Dict[str, str]  # credential key -> environment variable
    optional: Dict[str, str] = field(default_factory=dict)
    triggers: Tuple[str, ...] = ()  # variables that say this platform is wanted (default: all)
    replaces: str = ""  # Rasa's built-in channel of the same platform

    def wanted(self, env: Mapping[str, str]) -> bool:
        return any(_set(env, v) for v in (self.triggers or tuple(self.required.values())
                                          + tuple(self.optional.values())))

    def missing(self, env: Mapping[str, str]) -> List[str]:
        return [v for v in self.required.values() if not _set(env, v)]

    def credentials(self, env: Mapping[str, str]) -> Dict[str, str]:
        keys = dict(self.required)
        keys.update({k: v for k, v in self.optional.items() if _set(env, v)})
        return {key: "${" + variable + "}" for key, variable in keys.items()}


REST_CHANNELS = ("bot.channels.rest.ClinicRestInput", "rest")  # ours, and Rasa's own

TWILIO_ACCOUNT = {"account_sid": "TWILIO_ACCOUNT_SID", "auth_token": "TWILIO_AUTH_TOKEN"}
TWILIO_OPTIONAL = {"webhook_url": "TWILIO_WEBHOOK_URL", "api_url": "TWILIO_API_URL"}

PLATFORMS = (
    Platform(
        "Telegram", "bot.channels.telegram_secret.SecretTokenTelegramInput",
        "/webhooks/telegram/webhook",
        {"access_token": "TELEGRAM_ACCESS_TOKEN", "verify": "TELEGRAM_VERIFY",
         "webhook_url": "TELEGRAM_WEBHOOK_URL", "secret_token": "TELEGRAM_SECRET_TOKEN"},
        {"api_url": "TELEGRAM_API_URL"}, replaces="telegram"),
    Platform(
        "Slack", "bot.channels.slack_complete.CompleteSlackInput", "/webhooks/slack/webhook",
        {"slack_token": "SLACK_TOKEN", "slack_signing_secret": "SLACK_SIGNING_SECRET"},
        {"slack_channel": "SLACK_CHANNEL", "api_url": "SLACK_API_URL"}, replaces="slack"),
    Platform(
        "Twilio SMS", "bot.channels.twilio_signed.SignedTwilioInput", "/webhooks/twilio/webhook",
        {**TWILIO_ACCOUNT, "twilio_number": "TWILIO_NUMBER"}, TWILIO_OPTIONAL,
        triggers=("TWILIO_NUMBER",), replaces="twilio"),
    Platform(
        "WhatsApp (Twilio)", "bot.channels.twilio_signed.SignedTwilioWhatsAppInput",
        "/webhooks/twilio_whatsapp/webhook",
        {**TWILIO_ACCOUNT, "twilio_number": "TWILIO_WHATSAPP_NUMBER"},
        TWILIO_OPTIONAL, triggers=("TWILIO_WHATSAPP_NUMBER",)),
    Platform(
        "Facebook Messenger", "bot.channels.facebook_complete.CompleteFacebookInput",
        "/webhooks/facebook/webhook",
        {"verify": "FACEBOOK_VERIFY", "secret": "FACEBOOK_SECRET",
         "page-access-token": "FACEBOOK_PAGE_ACCESS_TOKEN"}, {"api_url": "FACEBOOK_API_URL"},
        replaces="facebook"),
)

# Checks of values, by variable: (pattern the value must match in full, what it should be).
FORMATS = {
    "TELEGRAM_ACCESS_TOKEN": (r"\d+:[A-Za-z0-9_-]+", "the bot token from @BotFather, 123456:ABC..."),
    "TELEGRAM_WEBHOOK_URL": (r"https://\S+", "an https:// URL (Telegram only calls HTTPS webhooks)"),
    "TELEGRAM_SECRET_TOKEN": (r"[A-Za-z0-9_-]{16,256}",
                              "16 to 256 characters of A-Z a-z 0-9 _ - (openssl rand -hex 32)"),
    "TELEGRAM_API_URL": (r"https?://\S+", "an http(s):// URL"),
    "TWILIO_NUMBER": (r"(?!whatsapp:)\S+", "the SMS number in E.164 form, +447700900123"),
    "TWILIO_WHATSAPP_NUMBER": (r"whatsapp:\+\d{6,15}", "whatsapp:+ and the number, whatsapp:+14155238886"),
    "TWILIO_WEBHOOK_URL": (r"https?://\S+", "the public base URL, https://bot.example.org"),
    "TWILIO_API_URL": (r"https?://\S+", "an http(s):// URL"),
    "FACEBOOK_API_URL": (r"https?://\S+", "an http(s):// URL"),
    "SLACK_API_URL": (r"https?://\S+", "an http(s):// URL"),
}


def _set(env: Mapping[str, str], variable: str) -> bool:
    return bool((env.get(variable) or "").strip())


def enabled_platforms(env: Optional[Mapping[str, str]] = None) -> List[Platform]:
    """The platforms the environment configures; ChannelConfigError if one is incomplete or wrong."""
    env = os.environ if env is None else env
    problems: List[str] = []
    enabled: List[Platform] = []
    for platform in PLATFORMS:
        if not platform.wanted(env):
            continue
        missing = platform.missing(env)
        if missing:
            problems.append(f"{platform.title}: set {', '.join(missing)} as well")
            continue
        enabled.append(platform)
    account_set = [v for v in TWILIO_ACCOUNT.values() if _set(env, v)]
    if account_set and not (_set(env, "TWILIO_NUMBER") or _set(env, "TWILIO_WHATSAPP_NUMBER")):
        problems.append(f"Twilio: {', '.join(account_set)} set but neither TWILIO_NUMBER "
                        f"nor TWILIO_WHATSAPP_NUMBER")
    for platform in enabled:
        for variable in list(platform.required.values()) + list(platform.optional.values()):
            rule = FORMATS.get(variable)
            if rule and _set(env, variable) and not re.fullmatch(rule[0], env[variable].strip()):
                problems.append(f"{variable} should be {rule[1]}")
    if problems:
        raise ChannelConfigError("messaging channels misconfigured:\n  " + "\n  ".join(
            dict.fromkeys(problems)))
    return enabled


def build_credentials(env: Optional[Mapping[str, str]] = None,
                      base: Optional[Path] = BASE_CREDENTIALS, rest: bool = True) -> Dict[str, Any]:
    """credentials.yml's channels (as written; REST only if `rest`), then each configured platform's."""
    credentials: Dict[str, Any] = {}
    if base is not None and Path(base).exists():
        credentials = yaml.safe_load(Path(base).read_text(encoding="utf-8")) or {}
    if not rest:
        credentials = {k: v for k, v in credentials.items() if k not in REST_CHANNELS}
    for platform in enabled_platforms(env):
        if platform.channel in credentials or platform.replaces in credentials:
            raise ChannelConfigError(
                f"{base} already configures {platform.title}: configure it from the "
                f"environment only (credentials.example.env)")
        credentials[platform.channel] = platform.credentials(os.environ if env is None else env)
    return credentials


def write_credentials(path: Path = GENERATED, env: Optional[Mapping[str, str]] = None,
                      base: Optional[Path] = BASE_CREDENTIALS, rest: bool = True) -> Path:
    """Write the credentials file for `rasa run` (atomically) and return its path."""
    credentials = build_credentials(env, base, rest)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = ("# Written by bot/channels/credentials.py from credentials.yml and the environment: do "
            "not edit.\n# ${VARIABLE} values are read from the environment by `rasa run`.\n"
            + yaml.safe_dump(credentials, sort_keys=False, default_flow_style=False))
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return path


def main(argv: List[str]) -> int:
    try:
        path = write_credentials()
        platforms = enabled_platforms()
    except ChannelConfigError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    if not platforms:
        print("No messaging platform configured (see credentials.example.env).")
    for platform in platforms:
        print(f"  {platform.title:<20} POST <public URL>{platform.webhook}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
