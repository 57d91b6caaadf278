"""Plumbing that every app uses and that knows no domain: input parsing and validation."""
