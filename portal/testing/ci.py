"""Whether the suite runs under continuous integration (where nothing may be skipped)."""

import os


def in_ci() -> bool:
    """True under continuous integration, where nothing may be skipped."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}
