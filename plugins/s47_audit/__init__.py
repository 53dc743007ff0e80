"""Section 47 enquiry audit: an audit process of the QA & Learning Portal."""

__version__ = "1.0.0"
