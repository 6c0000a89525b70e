"""Messaging-platform channels: credentials from the environment, signed webhooks, per-channel output."""
