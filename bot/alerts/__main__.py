"""`python -m bot.alerts`: the alert watcher (bot/alerts/watcher.py)."""
from bot.alerts.watcher import main

main()
