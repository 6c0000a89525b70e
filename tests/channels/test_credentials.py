"""The credentials file `rasa run` gets: credentials.yml plus the platforms the environment sets."""
import re
from pathlib import Path
from typing import Dict

import pytest
import yaml

from bot.channels.credentials import (
    PLATFORMS,
    ChannelConfigError,
    build_credentials,
    enabled_platforms,
    write_credentials,
)
from bot.paths import ROOT

FULL: Dict[str, str] = {
    "TELEGRAM_ACCESS_TOKEN": "123456:AAE-secret-telegram", "TELEGRAM_VERIFY": "clinic_bot",
    "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/webhooks/telegram/webhook",
    "TELEGRAM_SECRET_TOKEN": "a" * 32,
    "SLACK_TOKEN": "xoxb-secret-slack", "SLACK_SIGNING_SECRET": "secret-signing",
    "TWILIO_ACCOUNT_SID": "AC0123", "TWILIO_AUTH_TOKEN": "secret-twilio",
    "TWILIO_NUMBER": "+447700900123", "TWILIO_WHATSAPP_NUMBER": "whatsapp:+14155238886",
    "FACEBOOK_VERIFY": "secret-verify", "FACEBOOK_SECRET": "secret-app",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "secret-page",
}
CHANNELS = {
    "bot.channels.telegram_secret.SecretTokenTelegramInput",
    "bot.channels.slack_complete.CompleteSlackInput",
    "bot.channels.twilio_signed.SignedTwilioInput",
    "bot.channels.twilio_signed.SignedTwilioWhatsAppInput",
    "bot.channels.facebook_complete.CompleteFacebookInput",
}


@pytest.fixture
def base(tmp_path: Path) -> Path:
    path = tmp_path / "credentials.yml"
    path.write_text("rest:\nbot.channels.secure_socketio.SecureSocketIOInput:\n"
                    "  user_message_evt: user_uttered\n  jwt_key: ${WIDGET_SECRET}\n")
    return path


def without(*variables: str) -> Dict[str, str]:
    return {k: v for k, v in FULL.items() if k not in variables}


def test_no_platform_variables_means_only_the_repository_channels(base):
    assert build_credentials({}, base) == {
        "rest": None, "bot.channels.secure_socketio.SecureSocketIOInput": {
            "user_message_evt": "user_uttered", "jwt_key": "${WIDGET_SECRET}"}}


def test_every_platform_is_added_as_environment_references(base, tmp_path):
    path = write_credentials(tmp_path / "out" / "credentials.yml", FULL, base)
    text = path.read_text()
    for value in FULL.values():
        assert value not in text  # no secret (nor any value) on disk
    data = yaml.safe_load(text)
    assert set(data) == {"rest", "bot.channels.secure_socketio.SecureSocketIOInput"} | CHANNELS
    assert data["bot.channels.twilio_signed.SignedTwilioWhatsAppInput"] == {
        "account_sid": "${TWILIO_ACCOUNT_SID}", "auth_token": "${TWILIO_AUTH_TOKEN}",
        "twilio_number": "${TWILIO_WHATSAPP_NUMBER}"}
    assert data["bot.channels.facebook_complete.CompleteFacebookInput"]["page-access-token"] == (
        "${FACEBOOK_PAGE_ACCESS_TOKEN}")
    assert "slack_channel" not in data["bot.channels.slack_complete.CompleteSlackInput"]


def test_rasa_resolves_the_references_and_builds_the_channels(base, tmp_path, monkeypatch):
    from rasa.core.run import create_http_input_channels
    from rasa.shared.utils.io import read_config_file

    env = without(*[v for v in FULL if v.startswith("TELEGRAM")])  # telegram calls setWebhook
    env.update(SLACK_CHANNEL="C0CLINIC", TWILIO_WEBHOOK_URL="https://bot.example.org")
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    monkeypatch.setenv("WIDGET_SECRET", "w")
    path = write_credentials(tmp_path / "credentials.yml", env, base=None)
    resolved = read_config_file(str(path))
    assert resolved["bot.channels.twilio_signed.SignedTwilioInput"] == {
        "account_sid": "AC0123", "auth_token": "secret-twilio", "twilio_number": "+447700900123",
        "webhook_url": "https://bot.example.org"}
    channels = {c.name(): c for c in create_http_input_channels(None, str(path))}
    assert set(channels) == {"slack", "twilio", "twilio_whatsapp", "facebook"}
    assert channels["twilio_whatsapp"].twilio_number == "whatsapp:+14155238886"
    assert channels["twilio"].webhook_url == "https://bot.example.org"
    assert channels["slack"].slack_channel == "C0CLINIC"
    assert channels["facebook"].fb_secret == "secret-app"


@pytest.mark.parametrize("missing", ["TELEGRAM_SECRET_TOKEN", "SLACK_SIGNING_SECRET",
                                     "TWILIO_AUTH_TOKEN", "FACEBOOK_SECRET"])
def test_a_half_configured_platform_is_an_error(missing):
    with pytest.raises(ChannelConfigError, match=missing):
        enabled_platforms(without(missing))


def test_twilio_account_without_a_number_is_an_error():
    with pytest.raises(ChannelConfigError, match="TWILIO_NUMBER nor TWILIO_WHATSAPP_NUMBER"):
        enabled_platforms({"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t"})


def test_sms_and_whatsapp_are_independent():
    sms_only = without("TWILIO_WHATSAPP_NUMBER")
    assert "WhatsApp (Twilio)" not in [p.title for p in enabled_platforms(sms_only)]
    whatsapp_only = without("TWILIO_NUMBER")
    assert "Twilio SMS" not in [p.title for p in enabled_platforms(whatsapp_only)]


@pytest.mark.parametrize("variable, value", [
    ("TWILIO_WHATSAPP_NUMBER", "+14155238886"),
    ("TWILIO_NUMBER", "whatsapp:+447700900123"),
    ("TELEGRAM_WEBHOOK_URL", "http://bot.example.org/webhooks/telegram/webhook"),
    ("TELEGRAM_SECRET_TOKEN", "short"),
    ("TELEGRAM_SECRET_TOKEN", "has spaces and ! marks in it ok"),
    ("TELEGRAM_ACCESS_TOKEN", "not-a-bot-token"),
    ("TWILIO_WEBHOOK_URL", "bot.example.org"),
])
def test_malformed_values_are_errors(variable, value):
    with pytest.raises(ChannelConfigError, match=variable):
        enabled_platforms(dict(FULL, **{variable: value}))


def test_a_platform_also_in_credentials_yml_is_an_error(tmp_path):
    base = tmp_path / "credentials.yml"
    base.write_text("rest:\ntelegram:\n  access_token: x\n")
    with pytest.raises(ChannelConfigError, match="Telegram"):
        build_credentials(FULL, base)


def test_the_template_lists_every_variable():
    template = (ROOT / "credentials.example.env").read_text()
    listed = set(re.findall(r"^([A-Z_]+)=", template, re.MULTILINE))
    used = {v for p in PLATFORMS for v in list(p.required.values()) + list(p.optional.values())}
    assert listed == used
    assert re.findall(r"^[A-Z_]+=(.+)$", template, re.MULTILINE) == []  # no values in the repo


def test_rasa_run_gets_the_generated_file(monkeypatch):
    from bot import stack

    for variable in FULL:
        monkeypatch.delenv(variable, raising=False)
    command = stack.rasa_command(5005, None, [])
    path = Path(command[command.index("--credentials") + 1])
    assert path == ROOT / "var" / "credentials.yml"
    assert set(yaml.safe_load(path.read_text())) == set(
        yaml.safe_load((ROOT / "credentials.yml").read_text()))
