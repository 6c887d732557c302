"""CLI commands; each module registers one sub-command."""

from broadsheet.commands import build, check, importer, new, serve

COMMANDS = [build, serve, check, importer, new]
