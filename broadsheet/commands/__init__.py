"""CLI commands; each module registers one sub-command."""

from . import build, serve

COMMANDS = [build, serve]
