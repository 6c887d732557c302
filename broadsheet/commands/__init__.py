"""CLI commands; each module registers one sub-command."""

from . import build, importer, new

COMMANDS = [build, importer, new]
