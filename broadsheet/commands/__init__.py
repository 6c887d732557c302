"""CLI commands; each module registers one sub-command."""

from . import build, check

COMMANDS = [build, check]
