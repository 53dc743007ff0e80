"""Thematic practice review: an audit process of the QA & Learning Portal."""

__version__ = "0.1.0"
