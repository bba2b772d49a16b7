"""Broadsheet: newspaper typesetting from YAML issue specs."""
