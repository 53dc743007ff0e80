"""The staff import: the staff directory's CSV creates, updates and deactivates people, all
or nothing, with the leavers' open work listed for reallocation; a page and a CLI."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select

from portal.audits.service import allocate
from portal.extensions import db
from portal.models import Action, Case, Role, User
from portal.plugins import plugin_host
from portal.staff.importer import import_staff_file, parse_staff_csv
from portal.testing.fixtures import login

HEADER = "email,name,job_title,team,line_manager_email,roles,agency,active\n"


def person(app, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            _ = (user.roles, user.line_manager)
        return user


def upload(client, text: str, **options):
    data = {"file": (io.BytesIO(text.encode()), "staff.csv"), **options}
    return client.post_form("/admin/staff-import", data, content_type="multipart/form-data")


def give_open_work(app, world, short: str) -> None:
    """An allocated audit *short* is auditing and an open action they own."""
    with app.app_context():
        host = plugin_host()
        host.set_enabled("csc_audit", True, actor_id=None)
        user = db.session.get(User, world.users[short])
        audit = allocate(
            db.session.get(Case, world.cases["CS-1001"]),
            host.process("csc_audit"),
            [user],
            allocated_by=None,
            allocated_on=date(2026, 11, 2),
        )
        db.session.flush()
        db.session.add(
            Action(audit_id=audit.id, description="Visit", owner_id=user.id, status="open")
        )
        db.session.commit()


def test_a_file_creates_updates_and_deactivates_people(app, world, client):
    give_open_work(app, world, "tm_b")
    login(client, world.emails["admin"])
    csv_text = HEADER + (
        f"new.worker@council.example,Nia New,Social worker,Assessment Team,"
        f"{world.emails['tm_a']},social_worker,CSC,yes\n"
        f"{world.emails['sw_a'].upper()},Sophie Worker,Senior practitioner,Assessment Team,"
        f"{world.emails['tm_a']},social_worker,CSC,yes\n"
        f"{world.emails['tm_b']},Tom Manager,Team manager,Child Protection Team,"
        f"{world.emails['sm']},team_manager,CSC,no\n"
    )
    response = upload(client, csv_text)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "1 created, 2 updated, 0 unchanged, 1 deactivated" in page
    assert "Leavers&#39; open work to reallocate" in page or "Leavers' open work" in page
    assert "Tom Manager" in page and "case file audit" in page
    new = person(app, "new.worker@council.example")
    assert (new.name, new.job_title, new.line_manager.email, new.roles) == (
        "Nia New",
        "Social worker",
        world.emails["tm_a"],
        frozenset({Role.SOCIAL_WORKER}),
    )
    assert person(app, world.emails["sw_a"]).job_title == "Senior practitioner"
    leaver = person(app, world.emails["tm_b"])
    assert not leaver.active and leaver.session_version > 0  # their sessions ended
    leaver_client = app.test_client()
    assert login(leaver_client, world.emails["tm_b"]).status_code != 302


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("not-an-email,Someone,,,,,,", "is not an email address"),
        ("a@council.example,Someone,,Nowhere Team,,,,", "there is no team called Nowhere Team"),
        ("a@council.example,Someone,,,,wizard,,", "wizard is not a role of the portal"),
        ("a@council.example,Someone,,,,admin,,", "the administrator role is given in the portal"),
        ("a@council.example,Someone,,,ghost@council.example,,,", "neither in the file nor"),
        ("a@council.example,Someone,,,a@council.example,,,", "cannot be their own line manager"),
        ("a@council.example,Someone,,,,,MARS,", "no agency with the code MARS"),
        ("a@council.example,Someone,,,,,,perhaps", "write yes or no"),
        ("a@council.example,,,,,,,", "give the person's name"),
    ],
)
def test_a_bad_row_imports_nothing_and_says_where(app, world, client, row, message):
    login(client, world.emails["admin"])
    good = f"good@council.example,Gail Good,,Assessment Team,{world.emails['tm_a']},,,\n"
    response = upload(client, HEADER + good + row + "\n")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "Nothing was imported" in page
    assert message in page.replace("&#39;", "'")
    assert person(app, "good@council.example") is None


def test_a_circular_chain_and_a_repeated_email_are_refused(app, world):
    with app.app_context():
        text = HEADER + (
            "a@council.example,Ann,,,b@council.example,,,\n"
            "b@council.example,Bob,,,a@council.example,,,\n"
            "A@council.example,Ann Again,,,,,,\n"
        )
        report = import_staff_file(db.session, text.encode(), "staff.csv", actor_id=None)
        messages = [str(error) for error in report.errors]
        db.session.rollback()
    assert "line 4: email: a@council.example is also on line 2" in messages
    assert any("goes round in a circle" in message for message in messages)


def test_the_whole_directory_deactivates_those_missing_but_never_administrators(app, world):
    with app.app_context():
        text = HEADER + f"{world.emails['sw_a']},Sophie Worker,,,,,,\n"
        report = import_staff_file(
            db.session, text.encode(), "all.csv", actor_id=None, deactivate_missing=True
        )
        db.session.commit()
    assert report.deactivated == len(world.users) - 2  # everyone but Sophie and the admin
    assert person(app, world.emails["admin"]).active
    assert person(app, world.emails["sw_a"]).active
    assert not person(app, world.emails["qa_lead"]).active


def test_a_check_changes_nothing_but_says_what_it_would_do(app, world, client):
    login(client, world.emails["admin"])
    text = HEADER + f"{world.emails['sw_b']},Sunil Worker,,,,,,no\n"
    page = upload(client, text, check_only="y").get_data(as_text=True)
    assert "Checked, not imported" in page
    assert "0 created, 1 updated, 0 unchanged, 1 deactivated" in page
    assert person(app, world.emails["sw_b"]).active


def test_roles_from_a_file_keep_an_administrators_own_role(app, world):
    with app.app_context():
        text = HEADER + f"{world.emails['admin']},Ada Admin,,,,qa_lead,,\n"
        import_staff_file(db.session, text.encode(), "staff.csv", actor_id=None)
        db.session.commit()
    assert person(app, world.emails["admin"]).roles == {Role.ADMIN, Role.QA_LEAD}


def test_the_command_line_imports_and_refuses(app, world, runner, tmp_path):
    good = tmp_path / "staff.csv"
    good.write_text(HEADER + "cli.person@council.example,Cal Line,,Assessment Team,,,,\n")
    result = runner.invoke(args=["staff", "import", str(good), "--dry-run"])
    assert result.exit_code == 0 and "1 created" in result.output
    assert person(app, "cli.person@council.example") is None
    result = runner.invoke(args=["staff", "import", str(good)])
    assert result.exit_code == 0 and "Imported staff.csv: 1 created" in result.output
    assert person(app, "cli.person@council.example").team_id == world.teams["Assessment Team"]
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "x,,,,,,,\n")
    result = runner.invoke(args=["staff", "import", str(bad)])
    assert result.exit_code == 1 and "Nothing was imported" in result.output


def test_only_administrators_import_staff(world, client):
    login(client, world.emails["qa_lead"])
    assert client.get("/admin/staff-import").status_code == 403


def test_the_rules_need_no_application():
    check = parse_staff_csv(
        "Email,Name,Roles\nx@council.example,X,Team manager; QA and audit lead\n",
        {},
        {},
        [],
    )
    assert not check.errors
    assert check.rows[0].roles == {Role.TEAM_MANAGER, Role.QA_LEAD}
