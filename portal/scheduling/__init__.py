"""Scheduling: working days, and (later) selection, allocation rules and background jobs."""
