"""Camera-like test photos, from scripts/make_photos.py (the script the sample site and benchmark use)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_PATH = Path(__file__).resolve().parent.parent / "scripts" / "make_photos.py"
_SPEC = importlib.util.spec_from_file_location("make_photos", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
make_photos = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(make_photos)

camera_jpeg = make_photos.camera_jpeg
MARKER = make_photos.MARKER
