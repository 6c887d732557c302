#!/usr/bin/env python3
"""Broadsheet command line: ``python site.py --help``."""

from broadsheet.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
