"""Every kind of bad input: one error line per problem naming the file, exit 1, no traceback, output untouched."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sitekit import article, error_lines, run_cli, snapshot, write_files

CASES_DIR = Path(__file__).parent / "invalid_sites"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "expected.txt").is_file())

# Bytes that are awkward to commit: written into the temporary copy before the build.
GENERATED: dict[str, dict[str, bytes]] = {
    "non_utf8": {"content/cafe.md": "---\ntitle: Café society\ndate: 2024-05-01\n---\nLatin-1 bytes.\n".encode("latin-1")},
    "control_character": {"content/bell.md": b"---\ntitle: Bell \x07 here\ndate: 2024-05-01\n---\nBody.\n"},
    # Over the default max_article_kb (2,048 KiB), without committing 2 MB.
    "limits": {"content/huge.md": b"---\ntitle: Huge\ndate: 2024-05-01\n---\n" + (b"word " * 200 + b"\n\n") * 2200},
}


def test_every_case_has_content() -> None:
    assert len(CASES) >= 15
    for case in CASES:
        has_files = any((CASES_DIR / case / "content").glob("*.md"))
        assert has_files or case in GENERATED, case


@pytest.mark.parametrize("case", CASES)
def test_invalid_site(case: str, tmp_path: Path) -> None:
    site = tmp_path / case
    shutil.copytree(CASES_DIR / case, site)
    write_files(site, GENERATED.get(case, {}))
    # A previous good build, from a separate folder, fills output/ first.
    write_files(site, {"good/2024-04-01-earlier.md": article(title="Earlier news", date="2024-04-01", tags=["x"])})
    good = _good_build(site)
    assert good.returncode == 0, good.stderr
    before = snapshot(site / "output")
    assert "2024/04/01/earlier/index.html" in before

    result = run_cli("build", cwd=site)

    expected = (CASES_DIR / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert error_lines(result.stderr) == expected
    assert snapshot(site / "output") == before
    assert not (site / ".output.staging").exists()


def _good_build(site: Path) -> subprocess.CompletedProcess[str]:
    """Build ``good/`` into output/; a bad site.toml is moved aside for it, then put back."""
    config = site / "site.toml"
    saved = config.read_bytes() if config.exists() else None
    config.unlink(missing_ok=True)
    try:
        return run_cli("build", "-q", "--content", "good", cwd=site)
    finally:
        if saved is not None:
            config.write_bytes(saved)
