"""The two ways an alert leaves: e-mail over SMTP and a Slack-compatible webhook ({"text": ...}).
Both raise on any failure; the watcher retries with backoff and records the error."""
import smtplib
from email.message import EmailMessage

import requests

from bot.alerts.config import AlertSettings

TIMEOUT_S = 10.0  # per attempt: a hung server costs one try, not the watcher


def send_email(settings: AlertSettings, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = settings.email_from or "assistant@localhost"
    message["To"] = ", ".join(settings.email_to)
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_S) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


def send_webhook(settings: AlertSettings, text: str) -> None:
    response = requests.post(settings.webhook_url, json={"text": text}, timeout=TIMEOUT_S)
    if not 200 <= response.status_code < 300:
        raise RuntimeError(f"webhook answered {response.status_code}")
