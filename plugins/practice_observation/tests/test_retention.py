"""The retention rule reaches the practitioner's reflection on an observation."""

from datetime import date

from sqlalchemy import select, update

from plugins.practice_observation.models import Reflection
from plugins.practice_observation.tests.helpers import observation
from portal.plugin_api import Case, db


def test_erasing_a_due_case_blanks_the_reflection_and_keeps_it(app, world, runner):
    audit_id = observation(app, world, submitted=True)
    with app.app_context():
        app.extensions["portal.plugins"].set_enabled("practice_observation", True, actor_id=None)
        db.session.add(
            Reflection(
                audit_id=audit_id,
                author_id=world.users["sw_a"],
                went_well="Saw the child alone.",
                differently="Slow down.",
                support="Reflective supervision",
            )
        )
        db.session.execute(
            update(Case).where(Case.id == world.cases["CS-1001"]).values(closed_on=date(1990, 1, 1))
        )
        db.session.commit()

    result = runner.invoke(args=["retention", "erase", "--confirm", "--today", "2026-11-15"])

    assert "1 practice_observation.reflections" in result.output, result.output
    with app.app_context():
        reflection = db.session.scalar(select(Reflection))
        assert (reflection.went_well, reflection.differently, reflection.support) == ("", "", "")
        assert reflection.author_id == world.users["sw_a"]
