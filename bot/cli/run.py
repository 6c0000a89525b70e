"""`make run`: start the assistant in the foreground until Ctrl-C.

The HTTP API is enabled only when BOT_API_TOKEN is set (then it needs ?token=...). With REST_TOKEN
set, the REST webhook needs it (bot/channels/rest_token.py).
PORT (default 5005) and ACTION_PORT (default 5055) choose the ports; conversations are kept in
var/tracker.db (SQLite).
"""
import os
import signal
import threading

from bot.channels.rest_token import configured_token
from bot.channels.widget_secret import ensure_widget_secret
from bot.paths import ROOT
from bot.stack import running_assistant


def main() -> None:
    port = int(os.environ.get("PORT", "5005"))
    token = os.environ.get("BOT_API_TOKEN") or None
    origins = [o for o in os.environ.get("CORS_ORIGINS", f"http://localhost:{port}").split(",") if o]
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    ensure_widget_secret(ROOT / "var" / "widget_secret")  # web widget sessions survive restarts
    print("Starting the assistant (about 30 s)...", flush=True)
    with running_assistant(
        port=port, api_token=token, tracker_db=ROOT / "var" / "tracker.db",
        action_port=int(os.environ.get("ACTION_PORT", "5055")), cors=origins,
        log_dir=ROOT / "var" / "log",
    ) as url:
        bearer = '-H "Authorization: Bearer $REST_TOKEN" ' if configured_token() else ""
        print(f"\nThe assistant is ready.\n"
              f"  Chat over REST: curl -s -XPOST {url}/webhooks/rest/webhook {bearer}"
              f"-d '{{\"sender\": \"me\", \"message\": \"hi\"}}'\n"
              f"  Chat in the browser: {url}/chat (widget: {url}/widget/widget.js)\n"
              f"  Chat in the terminal: make shell\n"
              f"  HTTP API: {'on, with ?token=$BOT_API_TOKEN' if token else 'off (set BOT_API_TOKEN)'}\n"
              f"  Logs: var/log/  Stop: Ctrl-C\n", flush=True)
        stop.wait()
    print("Stopped.")


if __name__ == "__main__":
    main()
