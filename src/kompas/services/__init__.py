"""Workflows shared by the CLI and the API: one function per workflow."""
