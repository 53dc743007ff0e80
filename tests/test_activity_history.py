"""The activity history is append-only: the database itself refuses changes and deletions."""

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError

from portal.activity import changed_fields, record
from portal.extensions import db
from portal.models import ActivityEntry


def test_entries_are_added(app, world):
    with app.app_context():
        record("changed", "team", 7, actor_id=world.users["admin"], before={"a": 1}, after={"a": 2})
        db.session.commit()
        entry = db.session.scalars(db.select(ActivityEntry)).one()
        assert (entry.verb, entry.object_type, entry.object_id) == ("changed", "team", "7")
        assert entry.before == {"a": 1} and entry.after == {"a": 2}


@pytest.mark.parametrize(
    "statement",
    [
        update(ActivityEntry).values(summary="rewritten"),
        delete(ActivityEntry),
    ],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_rewrite_history(app, statement):
    with app.app_context():
        record("created", "user", 1, actor_id=None, summary="original")
        db.session.commit()
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(statement)
            db.session.flush()
        db.session.rollback()
        assert db.session.execute(text("SELECT summary FROM activity")).scalar() == "original"


def test_changed_fields_keeps_only_what_changed():
    before, after = changed_fields({"name": "A", "team": 1}, {"name": "B", "team": 1})
    assert before == {"name": "A"}
    assert after == {"name": "B"}
