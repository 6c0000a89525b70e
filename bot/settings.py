"""Clinic settings (settings/clinic.yml, or the file named by CLINIC_SETTINGS)."""
import os
from pathlib import Path
from typing import Dict

import yaml

from bot.paths import SETTINGS

REQUIRED = (
    "clinic_name", "clinic_phone", "clinic_email", "clinic_hours", "clinic_booking",
    "emergency_number", "urgent_line", "crisis_line", "mental_health_line",
)


def settings_path() -> Path:
    return Path(os.environ.get("CLINIC_SETTINGS", SETTINGS / "clinic.yml"))


def load_settings(path: Path = None) -> Dict[str, str]:
    data = yaml.safe_load(Path(path or settings_path()).read_text(encoding="utf-8")) or {}
    missing = [key for key in REQUIRED if not str(data.get(key, "")).strip()]
    if missing:
        raise ValueError(f"clinic settings miss {missing}")
    # sections (opening_hours, alerts) are read by their own modules: bot/clinic_hours.py, bot/alerts/
    return {key: str(value) for key, value in data.items() if not isinstance(value, (dict, list))}


def load_section(name: str, path: Path = None) -> Dict:
    """A nested section of the settings file (e.g. `alerts`), as written; {} when absent."""
    data = yaml.safe_load(Path(path or settings_path()).read_text(encoding="utf-8")) or {}
    section = data.get(name)
    return section if isinstance(section, dict) else {}
