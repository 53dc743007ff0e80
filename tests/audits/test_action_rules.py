"""The pure rules of an action's life, on objects that never touch the database."""

from datetime import date

import pytest

from portal.actions.rules import (
    is_returned,
    refusal_to_complete,
    refusal_to_sign_off,
    sign_off_manager,
)
from portal.models import Action, ActionStatus, Audit, Case, Team, User

TODAY = date(2026, 12, 1)


def person(user_id: int, name: str, line_manager: User | None = None) -> User:
    return User(
        id=user_id,
        name=name,
        email=f"{name}@council.example",
        line_manager=line_manager,
        active=True,
    )


@pytest.fixture
def people() -> dict[str, User]:
    """sw reports to tm (the team's manager), tm to sm; loner has no line manager."""
    sm = person(1, "sm")
    tm = person(2, "tm", sm)
    return {
        "sm": sm,
        "tm": tm,
        "sw": person(3, "sw", tm),
        "loner": person(4, "loner"),
        "other": person(5, "other", sm),
    }


def action_of(
    owner: User | None,
    team_manager: User | None,
    status: ActionStatus = ActionStatus.OPEN,
    **fields,
) -> Action:
    case = Case(reference="CS-1", team=Team(name="Team", manager=team_manager))
    return Action(
        id=fields.pop("id", 10),
        audit=Audit(case=case),
        owner=owner,
        owner_id=owner.id if owner else None,
        status=status.value,
        description="Do it",
        **fields,
    )


@pytest.mark.parametrize(
    ("owner", "team_manager", "expected"),
    [
        ("sw", "tm", "tm"),  # the owner's line manager
        ("sw", "other", "tm"),  # the line manager wins over the case's team manager
        ("tm", "tm", "sm"),  # a team manager's own action goes to their line manager
        ("loner", "tm", "tm"),  # no line manager: the case's team manager
        ("loner", "loner", None),  # ...but never the owner themself
        ("loner", None, None),  # no line manager and a team without a manager
        (None, "tm", "tm"),  # no owner at all: the team manager
    ],
)
def test_the_sign_off_manager(people, owner, team_manager, expected):
    action = action_of(people.get(owner), people.get(team_manager))

    assert sign_off_manager(action) is people.get(expected)


@pytest.mark.parametrize(
    ("who", "status", "expected"),
    [
        ("sw", ActionStatus.OPEN, None),
        ("sw", ActionStatus.DRAFT, 409),
        ("sw", ActionStatus.COMPLETED, 409),
        ("sw", ActionStatus.SIGNED_OFF, 409),
        ("tm", ActionStatus.OPEN, 403),  # the line manager does not complete it
        ("other", ActionStatus.OPEN, 403),
        ("other", ActionStatus.COMPLETED, 403),  # the person is checked before the state
    ],
)
def test_only_the_owner_completes_an_open_action(people, who, status, expected):
    action = action_of(people["sw"], people["tm"], status)

    refusal = refusal_to_complete(people[who], action)

    assert (refusal.status if refusal else None) == expected
    if refusal:
        assert refusal.message


def test_an_action_without_an_owner_cannot_be_completed(people):
    refusal = refusal_to_complete(people["sw"], action_of(None, people["tm"]))

    assert refusal is not None and refusal.status == 403


@pytest.mark.parametrize(
    ("who", "status", "expected"),
    [
        ("tm", ActionStatus.COMPLETED, None),
        ("tm", ActionStatus.OPEN, 409),
        ("tm", ActionStatus.DRAFT, 409),
        ("tm", ActionStatus.SIGNED_OFF, 409),
        ("sw", ActionStatus.COMPLETED, 403),  # not their own
        ("sm", ActionStatus.COMPLETED, 403),  # the manager's manager does not
        ("other", ActionStatus.COMPLETED, 403),
        ("other", ActionStatus.OPEN, 403),
    ],
)
def test_only_the_sign_off_manager_decides_on_a_completed_action(people, who, status, expected):
    action = action_of(people["sw"], people["tm"], status)

    refusal = refusal_to_sign_off(people[who], action)

    assert (refusal.status if refusal else None) == expected


def test_nobody_signs_off_when_there_is_no_sign_off_manager(people):
    action = action_of(people["loner"], None, ActionStatus.COMPLETED)

    for who in people.values():
        refusal = refusal_to_sign_off(who, action)
        assert refusal is not None and refusal.status == 403


@pytest.mark.parametrize(
    ("status", "reason", "expected"),
    [
        (ActionStatus.OPEN, "Not yet", True),
        (ActionStatus.OPEN, "", False),
        (ActionStatus.COMPLETED, "Not yet", False),  # completed again after a return
        (ActionStatus.SIGNED_OFF, "Not yet", False),
    ],
)
def test_a_returned_action(people, status, reason, expected):
    action = action_of(people["sw"], people["tm"], status, returned_reason=reason)

    assert is_returned(action) is expected


def test_an_inactive_line_manager_passes_the_sign_off_up_the_chain():
    head = person(1, "head")
    gone = person(2, "gone", line_manager=head)
    gone.active = False
    worker = person(3, "worker", line_manager=gone)
    action = Action(owner=worker)
    assert sign_off_manager(action) is head
