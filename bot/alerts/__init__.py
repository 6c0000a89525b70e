"""Alerts to the clinic: an emergency referral or a call-back request, by e-mail and webhook.

`python -m bot.alerts` (started beside the Rasa server by bot/stack.py) reads what the assistant
committed to the tracker store and never takes part in a turn: see bot/alerts/watcher.py for why.
"""
