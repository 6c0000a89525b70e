"""Deterministic red-flag triage: rules from knowledge/red_flags.yml, no ML."""
