"""CLI commands; each module registers one sub-command."""

from . import build, check, importer, new

COMMANDS = [build, check, importer, new]
