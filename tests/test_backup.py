"""``flask --app portal backup`` and ``restore``: a round trip into an empty database finds
every row again, byte for byte; a restore refuses what it must not load."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text

from plugins.thematic_review.models import Conversation, Member, Reply, Review, ReviewCase
from portal import activity, create_app
from portal.extensions import db
from portal.models import Action, Audit, AuditAnswer, AuditComment
from portal.testing import database as databases

#: The tables whose rows the round trip must find again (the brief's list), among all.
MUST_HOLD = [
    "audits",
    "audit_answers",
    "audit_comments",
    "actions",
    "activity",
    "thematic_review_conversations",
    "thematic_review_replies",
]


def build_records(app, world) -> None:
    """A submitted audit with answers, a comment and an action; a family conversation of a
    thematic review with its reply; and the activity history of each."""
    with app.app_context():
        app.extensions["portal.plugins"].set_enabled("thematic_review", True, actor_id=None)
        audit = Audit(
            case_id=world.cases["CS-1001"],
            process_key="csc_audit",
            process_version="1",
            status="submitted",
            allocated_on=date(2026, 10, 1),
            due_on=date(2026, 10, 29),
            submitted_at=datetime(2026, 10, 20, 14, 30, 5, 123456),
            overall_grade="good",
            record_grade="good",
        )
        db.session.add(audit)
        db.session.flush()
        db.session.add_all(
            [
                AuditAnswer(
                    audit_id=audit.id,
                    section_key="overall",
                    field_key="summary",
                    value='Zoë\'s voice is heard — "I feel safe" ✓\nline two\ttabbed',
                ),
                AuditAnswer(
                    audit_id=audit.id, section_key="overall", field_key="grade", value="good"
                ),
                AuditComment(
                    audit_id=audit.id, author_id=world.users["sw_a"], body="Agreed, thank you."
                ),
                Action(
                    audit_id=audit.id,
                    description="Update the chronology ½ way through",
                    priority="high",
                    status="open",
                    owner_id=world.users["sw_a"],
                    due_on=date(2026, 11, 30),
                ),
            ]
        )
        activity.record("submitted", "audit", audit.id, actor_id=world.users["tm_a"])
        review = Review(
            theme="Neglect",
            first_day=date(2026, 11, 10),
            lead_id=world.users["sgu"],
            qa_lead_id=world.users["qa_lead"],
        )
        review.members = [Member(user_id=world.users["tm_b"])]
        review.cases = [ReviewCase(case_id=world.cases["CS-1001"])]
        db.session.add(review)
        db.session.flush()
        conversation = Conversation(
            review_case_id=review.cases[0].id,
            client_key="0f6d3c1e-backup",
            consent="given",
            consent_by="Sam Jones, mother",
            participants=["child", "parent"],
            views_of_service="The social worker listened to us.",
            wants_reply=True,
            captured_by_id=world.users["tm_b"],
        )
        db.session.add(conversation)
        db.session.flush()
        db.session.add(Reply(conversation_id=conversation.id, body="You said, we did."))
        activity.record("captured", "conversation", conversation.id, actor_id=None)
        db.session.commit()


def all_rows(url: str) -> dict[str, list[tuple]]:
    """Every table's rows (apart from Alembic's), in primary-key order."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = {}
            inspector = inspect(connection)
            for table in sorted(inspector.get_table_names()):
                keys = inspector.get_pk_constraint(table)["constrained_columns"]
                order = ", ".join(f'"{key}"' for key in keys) or "1"
                query = text(f'SELECT * FROM "{table}" ORDER BY {order}')
                found[table] = [tuple(row) for row in connection.execute(query)]
            return found
    finally:
        engine.dispose()


@pytest.fixture
def instance(app, tmp_path: Path) -> Path:
    """The portal's instance folder, moved to a temporary folder with a file in it."""
    folder = tmp_path / "instance"
    (folder / "uploads").mkdir(parents=True)
    (folder / "secret_key").write_text("the council's key")
    (folder / "uploads" / "letterhead.png").write_bytes(bytes(range(256)))
    app.instance_path = str(folder)
    return folder


@pytest.fixture
def empty_database(request: pytest.FixtureRequest, tmp_path: Path):
    """A new, empty database of the run's kind (a new SQLite file or PostgreSQL database)."""
    database = databases.TestDatabase(request.config.getoption("--database"), tmp_path / "restored")
    database.workdir.mkdir()
    url = database.create()
    yield url
    database.drop()


def restoring_app(url: str, instance: Path):
    """The portal on *url* with its instance folder at *instance*."""
    application = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "t"})
    application.instance_path = str(instance)
    return application


def test_a_backup_restored_into_an_empty_database_holds_every_row(
    app, world, instance, empty_database, tmp_path
):
    build_records(app, world)
    before = all_rows(app.config["SQLALCHEMY_DATABASE_URI"])
    assert all(before[table] for table in MUST_HOLD)

    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert set(manifest["files"]) >= {"files/secret_key", "files/uploads/letterhead.png"}
    assert manifest["revisions"]

    restored_instance = tmp_path / "restored-instance"
    target = restoring_app(empty_database, restored_instance)
    result = target.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output

    assert all_rows(empty_database) == before
    assert (restored_instance / "uploads" / "letterhead.png").read_bytes() == bytes(range(256))
    assert (restored_instance / "secret_key").read_text() == "the council's key"
    with target.app_context():  # the portal reads the restored data through its models
        summary = db.session.scalar(select(AuditAnswer.value).filter_by(field_key="summary"))
        assert summary.startswith("Zoë's voice is heard")
        db.engine.dispose()


def test_restore_refuses_a_database_that_has_tables(app, world, instance, tmp_path):
    build_records(app, world)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0

    result = runner.invoke(args=["restore", str(tmp_path / "backup")])

    assert result.exit_code == 1
    assert "The target database is not empty" in result.output


def test_restore_refuses_a_backup_from_newer_code(app, world, instance, empty_database, tmp_path):
    build_records(app, world)
    assert app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0
    manifest_file = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    manifest["revisions"].append("ffffffffffff")
    manifest_file.write_text(json.dumps(manifest))

    target = restoring_app(empty_database, tmp_path / "restored-instance")
    result = target.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])

    assert result.exit_code == 1
    assert "revision ffffffffffff, which this code does not know" in result.output
    assert all_rows(empty_database) == {}


def test_restore_refuses_a_damaged_backup(app, world, instance, empty_database, tmp_path):
    build_records(app, world)
    assert app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0
    with (tmp_path / "backup" / "files" / "uploads" / "letterhead.png").open("ab") as stream:
        stream.write(b"!")

    target = restoring_app(empty_database, tmp_path / "restored-instance")
    result = target.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])

    assert result.exit_code == 1
    assert "files/uploads/letterhead.png is missing or does not match" in result.output
    assert all_rows(empty_database) == {}


def test_backup_refuses_a_folder_that_is_not_empty(app, world, instance, tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "old.txt").write_text("yesterday")

    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")])

    assert result.exit_code == 1
    assert "is not empty" in result.output
    assert [path.name for path in (tmp_path / "backup").iterdir()] == ["old.txt"]
