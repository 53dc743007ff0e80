"""Moderation of submitted audits by the QA lead, and the calibration of auditors' grading."""
