"""Benchmarks of the portal: a large generated council, and the monthly report timed on it.

See ``benchmarks/README.md`` for the commands and the figures measured.
"""
