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
from broadsheet.outputs.manifest import LEGACY_MANIFEST as MANIFEST

HERE = Path(__file__).resolve().parent
SITE = HERE / "site"
EXPECTED = HERE / "expected"
# The same site built with each Markdown engine: the default's output in ``expected/``, the others'
# in ``expected-<engine>/``; they differ only where the Markdown dialects do (docs/markdown-engines.md).
ENGINES = ("python-markdown", "commonmark")
REGENERATE = "python tests/golden/regenerate.py"


def expected(engine: str) -> Path:
    """The checked-in output of the fixture built with ``engine``."""
    return EXPECTED if engine == ENGINES[0] else HERE / f"expected-{engine}"
# The build's "now": after every article, so none is held back as scheduled.
NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)


def options(output: Path, engine: str = ENGINES[0]) -> BuildOptions:
    """Search off (Pagefind's index is not ours to pin), no cache, one process, a fixed clock.

    Source paths are relative to the site folder, as when a writer runs ``site.py build`` there.
    Another engine than the default reads the site's ``site.toml`` plus its ``markdown`` setting,
    written beside the output folder.
    """
    config = Path("site.toml")
    if engine != ENGINES[0]:
        config = output.parent / f"site-{engine}.toml"
        config.write_text(f'markdown = "{engine}"\n' + (SITE / "site.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return BuildOptions(
        config=config,
        config_required=True,
        content=Path("content"),
        templates=Path("templates"),
        output=output.resolve(),
        now=NOW,
        jobs=1,
        cache_dir=None,
        search=False,
    )


def build_site(output: Path, engine: str = ENGINES[0]) -> None:
    """Build the fixture into ``output`` from inside the site folder (``static_dir`` is relative to it)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    opts = options(output, engine)
    with contextlib.chdir(SITE):
        Builder(opts).build()


def output_files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its POSIX path, except the build manifest (it holds page keys)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }
