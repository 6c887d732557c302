"""The first hour with Broadsheet: the README's commands, in order, on a fresh copy of the sample site.

Each runs through the CLI and exits with the status the README documents:
0 on success, 130 when ``serve`` is stopped with Ctrl-C.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

from serve_support import running_server

ROOT = Path(__file__).resolve().parent.parent
WIRE = Path(__file__).parent / "fixtures" / "wire" / "standard.txt"


def site_py(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "site.py"), *args], cwd=site, capture_output=True, text=True, timeout=300
    )


def test_the_readme_commands_in_order(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for folder in ("content", "templates", "static"):
        shutil.copytree(ROOT / folder, site / folder)
    shutil.copy(ROOT / "site.toml", site / "site.toml")

    def ok(*args: str) -> subprocess.CompletedProcess[str]:
        result = site_py(site, *args)
        assert result.returncode == 0, f"{args}: {result.stdout}{result.stderr}"
        return result

    ok("build", "-q", "--no-search")
    ok("check", "-q", "--no-search")
    ok("build", "-q", "--no-search", "--base-url", "https://example.org/news/")
    ok("check", "-q", "--no-build")
    assert not [p for p in (site / "output").rglob("*.json") if "base_url" in p.read_text("utf-8")], "state not deployed"

    made = ok("new", "Night market reopens", "--author", "Lin Xiao", "--section", "City")
    assert (site / made.stdout.strip().splitlines()[-1]).is_file()

    ok("import", str(WIRE))
    ok("build", "-q", "--no-search")

    with running_server(site) as server:
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=30) == 130
