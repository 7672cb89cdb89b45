"""Reporters: each reads a finished ``RunReport`` and renders it; none runs a stage."""
