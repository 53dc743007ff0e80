"""Quality of supervision audit: an audit process of the QA & Learning Portal."""

__version__ = "0.1.0"
