"""Settings for the whole test session."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Hypothesis keeps its example database and caches in ./.hypothesis unless told otherwise;
# tests write only to temporary folders, never into the checkout.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "broadsheet-hypothesis"))
