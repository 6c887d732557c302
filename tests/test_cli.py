"""cli.py: exit codes, help for every command, errors on stderr, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sitekit import ROOT, article, error_lines, run_cli, write_files

from broadsheet.cli import main, make_parser
from broadsheet.commands import COMMANDS


def _command_names() -> list[str]:
    parser = make_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    return sorted(sub.choices)


def test_every_command_is_registered() -> None:
    assert len(_command_names()) == len(COMMANDS)


@pytest.mark.parametrize("command", _command_names())
def test_help_for_every_command(command: str, tmp_path: Path) -> None:
    result = run_cli(command, "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: site.py {command}")
    assert result.stderr == ""


def test_top_level_help_and_version(tmp_path: Path) -> None:
    result = run_cli("--help", cwd=tmp_path)
    assert result.returncode == 0 and "build" in result.stdout
    version = run_cli("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("Broadsheet ")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    for args in ((), ("no-such-command",), ("build", "--no-such-option")):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 2
        assert "usage:" in result.stderr and "Traceback" not in result.stderr


def test_successful_build(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": article()})
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built 1 articles into ")
    assert result.stderr == ""
    quiet = run_cli("build", "-q", cwd=tmp_path)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_build_errors_go_to_stderr_one_line_each(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": "---\ntitle: x\n---\n", "content/b.md": ""})
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert error_lines(result.stderr) == [
        "error: content/a.md:2: no date: add 'date: 2024-05-01' to the front matter or name the file 2024-05-01-slug.md",
        "error: content/b.md: file is empty; an article needs front matter with a title",
    ]
    assert result.stderr.splitlines()[-1] == "build failed: 2 problems; output/ was left as it was"


def test_failure_names_the_output_folder_given(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": "---\ntitle: x\n---\n"})
    result = run_cli("build", "--output", "public", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "build failed: 1 problem; public/ was left as it was"


def test_missing_config_named_on_the_command_line(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": article()})
    result = run_cli("build", "--config", "missing.toml", cwd=tmp_path)
    assert result.returncode == 1
    assert error_lines(result.stderr) == ["error: missing.toml: config file not found"]


def test_unwritable_output_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": article(), "blocker": "a file where a folder should be"})
    result = run_cli("build", "--output", "blocker/out", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (line,) = error_lines(result.stderr)
    assert line.startswith("error: blocker/") and "Not a directory" in line


def test_main_returns_exit_codes_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build", "-q"]) == 1
    assert capsys.readouterr().err.startswith("error: content: content folder not found")
    write_files(tmp_path, {"content/a.md": article()})
    assert main(["build", "-q", "--jobs", "1"]) == 0


def _bare_checkout(tmp_path: Path, with_venv: bool) -> Path:
    """site.py and the package in a folder of their own, optionally beside a .venv whose Python has the dependencies."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    shutil.copy(ROOT / "site.py", checkout / "site.py")
    (checkout / "broadsheet").symlink_to(ROOT / "broadsheet")
    if with_venv:  # a view of the environment running the tests: its Python, settings and packages
        venv = checkout / ".venv"
        (venv / "bin").mkdir(parents=True)
        (venv / "bin" / "python").symlink_to(sys.executable)
        shutil.copy(Path(sys.prefix) / "pyvenv.cfg", venv / "pyvenv.cfg")
        (venv / "lib").symlink_to(Path(sys.prefix) / "lib")
    return checkout


def test_site_py_outside_the_environment_names_what_to_install(tmp_path: Path) -> None:
    checkout = _bare_checkout(tmp_path, with_venv=False)
    # -S: a Python without site-packages, as a system Python without the dependencies is.
    result = subprocess.run([sys.executable, "-S", str(checkout / "site.py"), "--version"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: Broadsheet needs the package ")
    assert ".venv/bin/pip install -r requirements.txt" in result.stderr


def test_site_py_outside_the_environment_uses_the_checkouts_venv(tmp_path: Path) -> None:
    checkout = _bare_checkout(tmp_path, with_venv=True)
    env = {k: v for k, v in os.environ.items() if k != "BROADSHEET_VENV_TRIED"}
    result = subprocess.run([sys.executable, "-S", str(checkout / "site.py"), "--version"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "Broadsheet 0.1.0", "")
