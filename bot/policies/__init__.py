"""Dialogue policies. Importing them changes nothing in Rasa: the clinic's patches of Rasa's internals
are installed where a server starts (bot/rasa_patches.py)."""
