"""Several servers on one PostgreSQL (issue 14, part 3): two gunicorn processes, the
"nodes", serve one database, as behind a load balancer.

A person signs in on one node and carries on on the other with the same cookie; two
auditors save the same answer from the two nodes and the second, typed from the older
revision, is caught (also when both arrive at the same moment); every job is run on both
nodes at once and runs once; the scheduler's command, started twice at once for the same
day, escalates an overdue audit once.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from benchmarks.servers import served
from portal.audits.answers import OVERALL, FieldSpec
from portal.audits.service import allocate
from portal.extensions import db
from portal.models import Audit, Case, JobRun, Notification, User
from portal.plugins import plugin_host
from portal.scheduling.jobs import all_jobs
from portal.testing.world import TEST_PASSWORD

pytestmark = pytest.mark.postgresql

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
REVISION = re.compile(r'name="revision" id="revision" value="(\d+)"')
FLASK = Path(sys.executable).with_name("flask")
SUMMARY = FieldSpec(OVERALL, "summary", "text")
#: A working day on which the audit below is overdue.
ESCALATION_DAY = date(2026, 12, 1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # let the caller see the 302


class Visitor:
    """One person's browser: a cookie jar shared by every node it talks to."""

    def __init__(self) -> None:
        self.token = ""  # the session's CSRF token, read from a page once
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect
        )

    def request(self, node: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """GET (or POST *data* as a form, with the session's CSRF token) *path* on *node*;
        the status, the body and the redirect's Location."""
        body = None
        if data is not None:
            if not self.token:
                status, page, location = self.request(node, "/")
                if status == 302:  # not signed in yet: the sign-in page
                    page = self.request(node, urllib.parse.urlsplit(location).path)[1]
                self.token = CSRF_META.search(page).group(1)
            body = urllib.parse.urlencode({**data, "csrf_token": self.token}).encode()
        try:
            with self.opener.open(node + path, data=body, timeout=60) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode(), answer.headers.get("Location", "")

    def sign_in(self, node: str, email: str) -> None:
        status, _, location = self.request(
            node, "/login", {"email": email, "password": TEST_PASSWORD}
        )
        assert status == 302 and not location.endswith("/login"), status
        self.token = ""  # a new session


@pytest.fixture(scope="module")
def nodes(test_database, tmp_path_factory):
    """Two gunicorn servers (two workers each) on the run's PostgreSQL database, sharing
    the secret key through the environment as a deployment's would; their base URLs and
    that environment. Started once for this file; each test empties the database
    (the ``app`` fixture) as usual."""
    logs = tmp_path_factory.mktemp("nodes")
    env = {
        "DATABASE_URL": test_database.url,
        "SECRET_KEY": "one-key-for-every-node",
        "SESSION_COOKIE_SECURE": "false",  # plain HTTP on 127.0.0.1
    }
    with ExitStack() as stack:
        ports = [
            stack.enter_context(served("portal:create_app()", env, logs / f"{name}.log"))
            for name in ("a", "b")
        ]
        yield [f"http://127.0.0.1:{port}" for port in ports], env


@pytest.fixture
def joint_audit(app, world, enable_plugins) -> int:
    """A CSC audit of CS-1001 by two auditors (tm_b and sm), overdue since 20 November."""
    enable_plugins("csc_audit")
    with app.app_context():
        auditors = [db.session.get(User, world.users[name]) for name in ("tm_b", "sm")]
        audit = allocate(
            db.session.get(Case, world.cases["CS-1001"]),
            plugin_host().process("csc_audit"),
            auditors,
            allocated_by=None,
            allocated_on=date(2026, 10, 1),
        )
        audit.due_on = date(2026, 11, 20)
        db.session.commit()
        return audit.id


def _revision(page: str) -> str:
    return REVISION.search(page).group(1)


def test_signed_in_on_one_node_carries_on_on_the_other(app, world, joint_audit, nodes):
    (node_a, node_b), _ = nodes
    visitor = Visitor()
    visitor.sign_in(node_a, world.emails["tm_b"])
    status, page, _ = visitor.request(node_b, f"/audits/{joint_audit}/edit")
    assert status == 200
    assert "CS-1001" in page and "Tom Manager" in page


def test_the_second_save_from_an_older_revision_is_caught(app, world, joint_audit, nodes):
    (node_a, node_b), _ = nodes
    first, second = Visitor(), Visitor()
    first.sign_in(node_a, world.emails["tm_b"])
    second.sign_in(node_b, world.emails["sm"])
    edit = f"/audits/{joint_audit}/edit"
    first_revision = _revision(first.request(node_a, edit)[1])
    second_revision = _revision(second.request(node_b, edit)[1])
    assert first_revision == second_revision

    saved = first.request(
        node_a, edit, {"revision": first_revision, SUMMARY.html_id: "Written on node A"}
    )
    assert saved[0] == 302
    status, page, _ = second.request(
        node_b, edit, {"revision": second_revision, SUMMARY.html_id: "Written on node B"}
    )
    assert status == 409
    assert "Someone else saved different answers" in page
    assert "Written on node A" in page  # their version, shown beside this user's
    with app.app_context():
        stored = db.session.get(Audit, joint_audit).answers()[OVERALL]["summary"]
        assert stored == "Written on node A"


def _save_at_once(edit: str, revision: str, saves: list[tuple[Visitor, str, str]]) -> dict:
    """Post each (visitor, node, summary) save of *edit* from *revision* in a thread of
    its own, all at once; the answer's status by summary."""
    statuses: dict[str, int] = {}

    def save(visitor: Visitor, node: str, text: str) -> None:
        form = {"revision": revision, SUMMARY.html_id: text}
        statuses[text] = visitor.request(node, edit, form)[0]

    threads = [threading.Thread(target=save, args=arguments) for arguments in saves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_saves_arriving_on_both_nodes_at_the_same_moment_are_merged_not_lost(
    app, world, joint_audit, nodes
):
    """Each time both auditors save the same answer from the same revision at once, one
    save is kept and the other is told of the conflict: never an error, never both."""
    (node_a, node_b), _ = nodes
    first, second = Visitor(), Visitor()
    first.sign_in(node_a, world.emails["tm_b"])
    second.sign_in(node_b, world.emails["sm"])
    edit = f"/audits/{joint_audit}/edit"
    for attempt in range(5):
        revision = _revision(first.request(node_a, edit)[1])
        saves = [(first, node_a, f"A{attempt}"), (second, node_b, f"B{attempt}")]
        statuses = _save_at_once(edit, revision, saves)
        assert sorted(statuses.values()) == [302, 409], statuses
        kept = next(text for text, status in statuses.items() if status == 302)
        with app.app_context():
            assert db.session.get(Audit, joint_audit).answers()[OVERALL]["summary"] == kept


def test_every_job_run_on_both_nodes_at_once_runs_once(app, world, nodes):
    (node_a, node_b), _ = nodes
    with app.app_context():
        jobs = [job.id for job in all_jobs()]
    pages: list[str] = []

    def run_now(node: str, job_id: str) -> None:
        admin = Visitor()  # a session each, so each sees its own "Run now" message
        admin.sign_in(node, world.emails["admin"])
        assert admin.request(node, f"/admin/jobs/{job_id}/run", {})[0] == 302
        pages.append(admin.request(node, "/admin/jobs")[1])

    threads = [
        threading.Thread(target=run_now, args=(node, job_id))
        for job_id in jobs
        for node in (node_a, node_b)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(pages) == 2 * len(jobs)
    # of the two nodes asked to run a job, one ran it and the other found it done
    assert sum(": nothing was done." in page for page in pages) == len(jobs)
    with app.app_context():
        runs = db.session.execute(select(JobRun.job_id, func.count()).group_by(JobRun.job_id))
        assert dict(runs.all()) == dict.fromkeys(jobs, 1)
        succeeded = select(func.count()).where(JobRun.succeeded.is_(True))
        assert db.session.scalar(succeeded) == len(jobs)


def test_the_escalation_run_by_two_schedulers_at_once_tells_the_auditor_once(
    app, world, joint_audit, nodes
):
    _, env = nodes
    command = [str(FLASK), "--app", "portal", "jobs", "run", "core.escalate_overdue"]
    command += ["--date", ESCALATION_DAY.isoformat()]
    processes = [
        subprocess.Popen(
            command, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=60)[0].decode() for process in processes]
    assert [process.returncode for process in processes] == [0, 0]
    assert sum("already run for 2026-12-01" in output for output in outputs) == 1
    assert sum("Escalated 1 audits" in output for output in outputs) == 1
    with app.app_context():
        subjects = db.session.scalars(
            select(Notification.subject).where(Notification.user_id == world.users["tm_b"])
        ).all()
        assert subjects.count("Your audit of CS-1001 is overdue") == 1
