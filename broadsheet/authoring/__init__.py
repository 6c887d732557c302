"""Helpers that write content: wire-copy import and new drafts."""
