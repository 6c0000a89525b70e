"""Dialogue policies. Loading them (with the model) installs bot.rasa_speedups and
bot.remote_action_fallback in the Rasa server."""
from bot import rasa_speedups, remote_action_fallback

rasa_speedups.install()
remote_action_fallback.install()
