"""What the About box says: the program's version, its licence and the bundled font's licence."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONT_LICENCE_FILE = ROOT / "resources" / "fonts" / "OFL.txt"
PROGRAM_LICENCE = "نرم‌افزار اختصاصی؛ همه حقوق برای پدیدآورندگان محفوظ است."
FONT_LICENCE = ("قلم وزیرمتن (Vazirmatn) ۳۳٫۰٫۳ از صابر راستی‌کردار، با پروانه SIL Open Font License 1.1؛ "
                "متن پروانه همراه برنامه است.")


def version() -> str:
    """The version of pyproject.toml (the source tree wins over an older installed copy's metadata)."""
    project = ROOT / "pyproject.toml"
    if project.is_file():
        with project.open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    try:
        return metadata.version("barnamenegar")
    except metadata.PackageNotFoundError:
        return "?"
