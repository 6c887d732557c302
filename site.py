#!/usr/bin/env python3
"""Broadsheet command line: ``python site.py --help``."""

import os
import sys

from broadsheet.cli import main

if __name__ == "__main__":
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a reader that went away (`site.py build | head -1`): nothing left to tell it
        pass
    # Leave without tearing down every module and object one by one: on a large site that
    # takes longer than a rebuild's own work. Files and the cache are closed by then.
    os._exit(code)
