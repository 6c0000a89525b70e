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
    return {key: str(value) for key, value in data.items()}
