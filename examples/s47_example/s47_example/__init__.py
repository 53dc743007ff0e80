"""Section 47 enquiry audit: an audit tool for the QA & Learning Portal."""

__version__ = "1.0.0"
