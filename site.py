#!/usr/bin/env python3
"""Broadsheet command line: ``python site.py --help``."""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV_PYTHON = HERE / ".venv" / "bin" / "python"
# Packages of requirements.txt that commands load when first needed, not at start: looked up (not
# imported) before a command runs, so that a Python without them re-runs in the checkout's .venv,
# or says what to install, before any work is done.
REQUIRED = ("jinja2", "markdown", "pyromark", "frontmatter", "yaml", "slugify", "babel", "livereload", "lxml", "PIL")


def _dependencies_missing(exc: ModuleNotFoundError) -> int:
    """Run again with the project's virtual environment if there is one, else say how to make it."""
    if VENV_PYTHON.exists() and not os.environ.get("BROADSHEET_VENV_TRIED"):
        os.environ["BROADSHEET_VENV_TRIED"] = "1"  # a .venv that lacks them too must not loop
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])
    print(
        f"error: Broadsheet needs the package '{exc.name}', which this Python ({sys.executable}) does not have; "
        f"install the dependencies first: python3 -m venv .venv && .venv/bin/pip install -r requirements.txt",
        file=sys.stderr,
    )
    return 1


def _missing() -> str | None:
    from importlib.util import find_spec

    return next((name for name in REQUIRED if find_spec(name) is None), None)


if __name__ == "__main__":
    try:
        missing = _missing()
        if missing is not None:
            raise ModuleNotFoundError(f"No module named '{missing}'", name=missing)
        from broadsheet.cli import main
    except ModuleNotFoundError as exc:
        if exc.name == "broadsheet" or (exc.name or "").startswith("broadsheet."):
            raise
        sys.exit(_dependencies_missing(exc))
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a reader that went away (`site.py build | head -1`): nothing left to tell it
        pass
    # Leave without tearing down every module and object one by one: on a large site that
    # takes longer than a rebuild's own work. Files and the cache are closed by then.
    os._exit(code)
