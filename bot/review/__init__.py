"""The clinic's review console: staff read, flag and export the conversations the assistant stored.

`make review` starts it (bot.review.server); accounts come from `python -m bot.review.users`,
retention from `python -m bot.review.retention`. See docs/console.md.
"""
