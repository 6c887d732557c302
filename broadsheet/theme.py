"""Where the built-in theme lives: templates in ``templates/``, assets in ``static/`` and catalogs in ``locales/`` beside them."""

from __future__ import annotations

from pathlib import Path

THEME_DIR = Path(__file__).resolve().parent.parent / "templates"
THEME_STATIC = THEME_DIR.parent / "static"
THEME_LOCALES = THEME_DIR.parent / "locales"
