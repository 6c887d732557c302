"""Settings for the whole test session."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from broadsheet.model.config import MARKDOWN_ENGINES

# Hypothesis keeps its example database and caches in ./.hypothesis unless told otherwise;
# tests write only to temporary folders, never into the checkout.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "broadsheet-hypothesis"))


@pytest.fixture(params=MARKDOWN_ENGINES)
def markdown_engine(request: pytest.FixtureRequest) -> str:
    """Each Markdown engine in turn: a test that takes it runs once per engine."""
    return request.param
