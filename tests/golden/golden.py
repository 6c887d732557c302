"""The golden fixture: one fixed build of ``tests/golden/site`` whose every output byte is checked in.

``tests/test_golden.py`` builds it and compares with ``expected/``;
``regenerate.py`` rewrites ``expected/`` from the same build. Both go through
``build_site`` so they can never disagree about the options.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

from broadsheet.build import Builder, BuildOptions
from broadsheet.outputs.output import LEGACY_MANIFEST as MANIFEST

HERE = Path(__file__).resolve().parent
SITE = HERE / "site"
EXPECTED = HERE / "expected"
REGENERATE = "python tests/golden/regenerate.py"
# The build's "now": after every article, so none is held back as scheduled.
NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)


def options(output: Path) -> BuildOptions:
    """Search off (Pagefind's index is not ours to pin), no cache, one process, a fixed clock.

    Source paths are relative to the site folder, as when a writer runs ``site.py build`` there.
    """
    return BuildOptions(
        config=Path("site.toml"),
        config_required=True,
        content=Path("content"),
        templates=Path("templates"),
        output=output.resolve(),
        now=NOW,
        jobs=1,
        cache_dir=None,
        search=False,
    )


def build_site(output: Path) -> None:
    """Build the fixture into ``output`` from inside the site folder (``static_dir`` is relative to it)."""
    opts = options(output)
    with contextlib.chdir(SITE):
        Builder(opts).build()


def output_files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its POSIX path, except the build manifest (it holds page keys)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }
