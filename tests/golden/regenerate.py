#!/usr/bin/env python3
"""Rebuild the golden fixture's expected output from scratch after an intended change to the output.

  python tests/golden/regenerate.py                   rewrite tests/golden/expected*/ (one folder per engine)
  python tests/golden/regenerate.py FOLDER [ENGINE]   write one engine's files into FOLDER instead (must not exist)

Review the result with ``git diff tests/golden/`` before committing it.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from golden import ENGINES, build_site, expected, output_files


def regenerate(target: Path, engine: str) -> int:
    """Build into a scratch folder, then replace ``target`` with its files; return how many."""
    with tempfile.TemporaryDirectory() as scratch:
        built = Path(scratch) / "output"
        build_site(built, engine)
        files = output_files(built)
    shutil.rmtree(target, ignore_errors=True)
    for rel, data in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return len(files)


def main(argv: list[str]) -> int:
    if len(argv) > 2 or (len(argv) == 2 and argv[1] not in ENGINES):
        print(f"usage: python tests/golden/regenerate.py [FOLDER [{'|'.join(ENGINES)}]]", file=sys.stderr)
        return 2
    if not argv:
        for engine in ENGINES:
            print(f"wrote {regenerate(expected(engine), engine)} files to {expected(engine)}")
        return 0
    target = Path(argv[0])
    if target.exists():
        print(f"error: {target} already exists", file=sys.stderr)
        return 1
    engine = argv[1] if len(argv) == 2 else ENGINES[0]
    print(f"wrote {regenerate(target, engine)} files to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
