"""Dialogue policies. Loading them (with the model) installs bot.rasa_speedups in the Rasa server."""
from bot import rasa_speedups

rasa_speedups.install()
