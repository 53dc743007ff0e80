"""Management oversight dip sample of CIN, CP and CLA cases: an audit process of the QA &
Learning Portal."""

__version__ = "1.0.0"
