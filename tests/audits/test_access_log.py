"""The access log: who read what about a child (and who was refused), from where; kept for
ACCESS_LOG_DAYS; and the administrators' page that answers "who opened this case file?"."""

from datetime import date, timedelta
from html import unescape

from sqlalchemy import func, select

from portal.access_log import prune_access_log
from portal.api.auth import issue_token
from portal.extensions import db
from portal.models import AccessLogEntry, ActivityEntry, User
from portal.scheduling.jobs import find_job
from portal.timeutil import utcnow
from tests.api.conftest import bearer


def entries(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id))
        return [
            (e.user_id, e.action, e.object_type, e.object_id, e.case_id, e.status) for e in rows
        ]


def test_opening_a_case_and_its_audit_is_logged_with_who_and_where(
    app, client, world, allocated, login_as
):
    audit_id = allocated("CS-1001", "tm_b")
    case_id = world.cases["CS-1001"]
    login_as("tm_b")
    activity_before = _activity_count(app)
    assert (
        client.get(f"/cases/{case_id}", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    )
    assert client.get(f"/audits/{audit_id}").status_code == 200
    assert client.get(f"/audits/{audit_id}/print").status_code == 200
    me = world.users["tm_b"]
    assert entries(app) == [
        (me, "viewed", "case", str(case_id), case_id, 200),
        (me, "viewed", "audit", str(audit_id), case_id, 200),
        (me, "printed", "audit", str(audit_id), case_id, 200),
    ]
    with app.app_context():
        first = db.session.scalars(select(AccessLogEntry)).first()
        assert first.remote_addr == "10.1.2.3"
        assert first.path == f"/cases/{case_id}"
    assert _activity_count(app) == activity_before  # reading is not an activity: its own table


def _activity_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ActivityEntry))


def test_a_refusal_is_logged(app, client, world, allocated, login_as):
    audit_id = allocated("CS-1001", "tm_b")
    login_as("sw_b")
    assert client.get(f"/audits/{audit_id}").status_code == 403
    assert entries(app) == [(world.users["sw_b"], "refused", "page", "", None, 403)]
    with app.app_context():
        assert db.session.scalars(select(AccessLogEntry.path)).one() == f"/audits/{audit_id}"


def test_an_api_read_and_a_report_export_are_logged(app, client, world, login_as):
    with app.app_context():
        lead = db.session.get(User, world.users["qa_lead"])
        secret = issue_token(lead, "Power BI", lead).secret
        db.session.commit()
    assert client.get("/api/v1/audits", headers=bearer(secret)).status_code == 200
    login_as("qa_lead")
    assert client.get("/reports/monthly.csv?month=2026-10").status_code == 200
    logged = entries(app)
    assert logged[0][:3] == (world.users["qa_lead"], "api", "api.audits")
    assert logged[1][:4] == (world.users["qa_lead"], "exported", "report", "monthly-2026-10.csv")


def test_a_page_that_shows_nothing_about_a_child_is_not_logged(app, client, world, login_as):
    login_as("qa_lead")
    assert client.get("/").status_code == 200
    assert client.get("/cases/").status_code == 200
    assert entries(app) == []


def test_the_log_is_pruned_after_the_configured_days_by_a_daily_job(app, world):
    with app.app_context():
        app.config["ACCESS_LOG_DAYS"] = 30
        now = utcnow()
        for age in (40, 29):
            db.session.add(
                AccessLogEntry(
                    at=now - timedelta(days=age), action="viewed", object_type="case", object_id="1"
                )
            )
        db.session.commit()
        assert find_job("core.prune_access_log").run is prune_access_log
        assert prune_access_log(date.today()) == "Deleted 1 access log entries older than 30 days"
        db.session.commit()
        ages = [(now - at).days for at in db.session.scalars(select(AccessLogEntry.at))]
        assert ages == [29]


def test_who_opened_this_case_file(app, client, world, allocated, login_as):
    audit_id = allocated("CS-1001", "tm_b")
    login_as("tm_b")
    client.get(f"/cases/{world.cases['CS-1001']}")
    client.get(f"/audits/{audit_id}")
    client.post_form("/logout")
    login_as("sw_b")
    client.get(f"/cases/{world.cases['CS-1002']}")  # another case: not in the answer
    client.post_form("/logout")
    login_as("admin")
    html = unescape(client.get("/admin/access?reference=CS-1001").get_data(as_text=True))
    table = html[html.find("<table") : html.find("</table>")]
    assert "2 accesses to case CS-1001" in table
    assert table.count("Tom Manager") == 2
    assert f"Audit {audit_id}" in table and f"Case {world.cases['CS-1001']}" in table
    assert "Sunil Worker" not in table
    html = unescape(client.get("/admin/access?reference=NOPE-1").get_data(as_text=True))
    assert "No case has the reference NOPE-1" in html
    fragment = client.get(
        "/admin/access?action=viewed",
        headers={"HX-Request": "true", "HX-Target": "access-results"},
    ).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="access-results">')
    assert "Sunil Worker" in fragment


def test_only_administrators_read_the_access_log(client, world, login_as):
    login_as("qa_lead")
    assert client.get("/admin/access").status_code == 403


def test_a_logged_view_writes_its_entry_in_one_insert(app, client, world, login_as):
    from sqlalchemy import event

    login_as("sw_a")
    with app.app_context():
        engine = db.engine
    inserts = []

    def watch(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO ACCESS_LOG"):
            inserts.append(statement)

    event.listen(engine, "before_cursor_execute", watch)
    try:
        assert client.get(f"/cases/{world.cases['CS-1001']}").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    assert len(inserts) == 1
