#!/usr/bin/env python3
"""Rebuild ``tests/golden/expected/`` from scratch after an intended change to the output.

  python tests/golden/regenerate.py            rewrite tests/golden/expected/
  python tests/golden/regenerate.py FOLDER     write the same files into FOLDER instead (must not exist)

Review the result with ``git diff tests/golden/expected`` before committing it.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from golden import EXPECTED, build_site, output_files


def regenerate(target: Path) -> int:
    """Build into a scratch folder, then replace ``target`` with its files; return how many."""
    with tempfile.TemporaryDirectory() as scratch:
        built = Path(scratch) / "output"
        build_site(built)
        files = output_files(built)
    shutil.rmtree(target, ignore_errors=True)
    for rel, data in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return len(files)


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        print("usage: python tests/golden/regenerate.py [FOLDER]", file=sys.stderr)
        return 2
    target = Path(argv[0]) if argv else EXPECTED
    if argv and target.exists():
        print(f"error: {target} already exists", file=sys.stderr)
        return 1
    count = regenerate(target)
    print(f"wrote {count} files to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
