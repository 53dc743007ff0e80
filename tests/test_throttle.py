"""The login throttling rule, as a table: 5 failures within 15 minutes lock for 15 minutes."""

from datetime import datetime, timedelta

import pytest

from portal.auth.throttle import locked_until

T0 = datetime(2026, 11, 26, 9, 0)
RULE = {"max_failures": 5, "window": timedelta(minutes=15), "lock": timedelta(minutes=15)}


def minutes(*offsets: float) -> list[datetime]:
    return [T0 + timedelta(minutes=m) for m in offsets]


@pytest.mark.parametrize(
    ("failures", "now", "expected"),
    [
        ([], T0, None),
        (minutes(0, 1, 2, 3), T0 + timedelta(minutes=4), None),  # four are not enough
        (minutes(0, 1, 2, 3, 4), T0 + timedelta(minutes=5), T0 + timedelta(minutes=19)),
        (
            minutes(0, 1, 2, 3, 4),
            T0 + timedelta(minutes=18, seconds=59),
            T0 + timedelta(minutes=19),
        ),
        (minutes(0, 1, 2, 3, 4), T0 + timedelta(minutes=19), None),  # the lock has ended
        (minutes(0, 4, 8, 12, 15), T0 + timedelta(minutes=16), T0 + timedelta(minutes=30)),
        (minutes(0, 4, 8, 12, 16), T0 + timedelta(minutes=17), None),  # spread over 16 minutes
        # after a lock ends the count starts again
        (minutes(0, 1, 2, 3, 4, 20), T0 + timedelta(minutes=21), None),
        (
            minutes(0, 1, 2, 3, 4, 20, 21, 22, 23, 24),
            T0 + timedelta(minutes=25),
            T0 + timedelta(minutes=39),
        ),
        # failures inside a lock (should not happen: they are refused) do not extend it
        (minutes(0, 1, 2, 3, 4, 10), T0 + timedelta(minutes=19), None),
    ],
)
def test_locked_until(failures, now, expected):
    assert locked_until(failures, now, **RULE) == expected
