"""The plugin inside a running portal: it must be installed (``pip install -e .``) for the
portal to find it through its entry point."""

from datetime import date

from portal.plugin_api import Case, CaseType, User, allocate, build_monthly_report, db
from portal.plugin_api.testing import login

from s47_example.process import S47_AUDIT


def test_the_portal_lists_the_installed_plugin(runner):
    result = runner.invoke(args=["plugins", "list"])
    assert (
        "s47_example disabled 1.0.0 Section 47 enquiry audit (tutorial example)"
        in result.output.splitlines()
    )


def test_an_allocated_audit_shows_the_form(app, world, enable_plugins, login_as, client):
    enable_plugins("s47_example")
    with app.app_context():
        case = Case(
            reference="S47-0001",
            case_type=CaseType.S47.value,
            team_id=world.teams["Child Protection Team"],
            allocated_worker_id=world.users["sw_b"],
            opened_on=date(2026, 11, 2),
        )
        db.session.add(case)
        audit = allocate(
            case,
            S47_AUDIT,
            [db.session.get(User, world.users["sm"])],
            allocated_by=None,
            allocated_on=date(2026, 11, 2),
        )
        db.session.commit()
        audit_id = audit.id
    login_as("sm")
    page = client.get(f"/audits/{audit_id}/edit").get_data(as_text=True)
    for title in ("Strategy discussion", "The enquiry", "Outcome and plan", "Management oversight"):
        assert title in page
    assert 'name="enquiry-child_seen"' in page


def test_the_report_has_the_plugins_section(app, enable_plugins):
    enable_plugins("s47_example")
    with app.app_context():
        report = build_monthly_report(date(2026, 11, 1), date(2026, 12, 1))
    assert report["sections"]["s47_example"]["audits"] == 0


def test_the_pages_are_for_the_qa_lead_and_the_safeguarding_unit(
    app, world, enable_plugins, login_as, client, runner
):
    enable_plugins("s47_example")
    login_as("qa_lead")
    page = client.get("/s47_example/").get_data(as_text=True)
    assert "No audit has found a child who was not seen in time." in page
    worker = app.test_client()
    login(worker, world.emails["sw_b"])
    assert worker.get("/s47_example/").status_code == 403
    runner.invoke(args=["plugins", "disable", "s47_example", "--yes"])
    assert client.get("/s47_example/").status_code == 404
