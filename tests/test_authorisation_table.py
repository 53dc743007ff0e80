"""The authorisation table: every route of the URL map × every role × the person's relation
to the object, with the answer each gets, as data. A route without an entry fails.

One app, one world, one signed-in client per person, and a loop: real requests on the
test council (``portal/testing/world.py``), one person per role:

- CS-1001 (Assessment Team): sw_a holds it; tm_a manages its team (sm, hos, ad above);
  tm_b audits it (the CSC audit, submitted); sw_b, eh_w are of another team; police is
  of another agency.
- EH-2001 (Early Help North): eh_w holds it, eh_m manages it; sm audits it (the Early
  Help audit, in progress: its case people may not read it yet).
- CS-1002 (Child Protection Team): sw_b holds it, tm_b manages it.
- The observation of practice of CS-1001 (sw_a observed by tm_b, submitted): its
  reflection page is read by the observation's own rule and written by sw_a only.
- The thematic review of CS-1001: led by sgu, coordinated by qa_lead, members tm_b and
  eh_m; a family conversation, a question and a plan item owned by hos.
- A builder tool (tool_builder) with a draft, never published: only the QA lead builds.

Each row: method, URL (``{name}`` filled from the world), and one letter per person in
the order of :data:`PEOPLE` (``anon`` last: not signed in):

    O 200   R 302   B 400   U 401   F 403   N 404   X 405   C 409
    A allowed, and not sent here: a POST that would change the world (sign-off, confirm,
      enable...), or a PDF that takes seconds to render (its print view, with the same
      rule, is sent); each feature's own tests send it. Every refusal is sent.

POSTs carry a valid CSRF token and no fields, so an allowed person gets 400 (the form's
own message) and nothing changes.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from werkzeug.routing import RequestRedirect

from plugins.thematic_review.models import PlanItem, Question
from plugins.thematic_review.tests.family_world import add_conversation, make_review
from plugins.tool_builder.tools import create as create_tool
from portal.api.auth import issue_token
from portal.audits.service import allocate
from portal.concerns.service import raise_concern
from portal.extensions import db
from portal.learning.service import create as create_followup
from portal.models import Action, Case, LearningArea, SignOnGroupRole, User
from portal.notify import notify
from portal.plugins import plugin_host
from portal.testing.fixtures import login
from portal.testing.world import World

PEOPLE = (
    "ad", "hos", "sm", "tm_a", "tm_b", "sw_a", "sw_b", "eh_m", "eh_w",
    "mash_hos", "police", "qa_lead", "qa_admin", "sgu", "admin", "anon",
)  # fmt: skip
CODES = {"O": 200, "R": 302, "B": 400, "U": 401, "F": 403, "N": 404, "X": 405, "C": 409}

# Columns, in groups: (ad hos sm tm_a tm_b) (sw_a sw_b eh_m eh_w) (mash_hos police)
#                     (qa_lead qa_admin sgu) (admin anon)
TABLE: list[tuple[str, str, str]] = [
    ("GET", "/", "OOOOO OOOO OO OOO OR"),
    ("GET", "/healthz", "OOOOO OOOO OO OOO OO"),
    ("GET", "/login", "RRRRR RRRR RR RRR RO"),
    ("POST", "/login", "RRRRR RRRR RR RRR RB"),
    ("POST", "/logout", "AAAAA AAAA AA AAA AR"),
    ("GET", "/auth/oidc/start", "NNNNN NNNN NN NNN NN"),  # single sign-on is off here
    ("GET", "/auth/oidc/callback", "NNNNN NNNN NN NNN NN"),
    ("GET", "/account/password", "OOOOO OOOO OO OOO OR"),
    ("POST", "/account/password", "BBBBB BBBB BB BBB BR"),
    ("GET", "/actions/", "OOOOO OOOO OO OOO OR"),
    ("GET", "/actions/sign-off", "OOOOO OOOO OO OOO OR"),
    ("GET", "/actions/all", "OOOFF FFFF OF OFF FR"),
    ("POST", "/actions/{action}/complete", "FFFFF BFFF FF FFF FR"),
    ("POST", "/actions/{action}/return", "FFFAF FFFF FF FFF FR"),
    ("POST", "/actions/{action}/sign-off", "FFFAF FFFF FF FFF FR"),
    ("GET", "/admin/staff-import", "FFFFF FFFF FF FFF OR"),
    ("POST", "/admin/staff-import", "FFFFF FFFF FF FFF BR"),
    ("GET", "/admin/", "FFFFF FFFF FF FFF OR"),
    ("GET", "/admin/access", "FFFFF FFFF FF FFF OR"),
    ("GET", "/admin/activity", "FFFFF FFFF FF FFF OR"),
    ("GET", "/admin/jobs", "FFFFF FFFF FF FFF OR"),
    ("POST", "/admin/jobs/{job}/run", "FFFFF FFFF FF FFF AR"),
    ("GET", "/admin/retention", "FFFFF FFFF FF FFF OR"),
    ("POST", "/admin/retention", "FFFFF FFFF FF FFF BR"),
    ("GET", "/admin/moderation", "FFFFF FFFF FF FFF OR"),
    ("POST", "/admin/moderation/{share}", "FFFFF FFFF FF FFF BR"),
    ("GET", "/admin/plugins", "FFFFF FFFF FF FFF OR"),
    ("POST", "/admin/plugins/{plugin}", "FFFFF FFFF FF FFF BR"),
    ("GET", "/admin/plugins/{plugin}/disable", "FFFFF FFFF FF FFF OR"),
    ("GET", "/admin/roles", "FFFFF FFFF FF FFF OR"),
    ("GET", "/admin/sign-on-groups", "FFFFF FFFF FF FFF OR"),
    ("POST", "/admin/sign-on-groups", "FFFFF FFFF FF FFF BR"),
    ("POST", "/admin/sign-on-groups/{sign_on_group}/remove", "FFFFF FFFF FF FFF AR"),
    ("GET", "/admin/services", "FFFFF FFFF FF FFF OR"),
    ("GET", "/admin/services/{service}", "FFFFF FFFF FF FFF OR"),
    ("POST", "/admin/services/{service}", "FFFFF FFFF FF FFF AR"),
    ("GET", "/admin/services/new", "FFFFF FFFF FF FFF OR"),
    ("POST", "/admin/services/new", "FFFFF FFFF FF FFF BR"),
    ("GET", "/admin/teams", "FFFFF FFFF FF FFF OR"),
    ("GET", "/admin/teams/{team}", "FFFFF FFFF FF FFF OR"),
    ("POST", "/admin/teams/{team}", "FFFFF FFFF FF FFF AR"),
    ("GET", "/admin/teams/new", "FFFFF FFFF FF FFF OR"),
    ("POST", "/admin/teams/new", "FFFFF FFFF FF FFF BR"),
    ("GET", "/admin/tokens", "FFFFF FFFF FF FFF OR"),
    ("POST", "/admin/tokens/{token}/revoke", "FFFFF FFFF FF FFF AR"),
    ("GET", "/admin/users", "FFFFF FFFF FF FFF OR"),
    ("GET", "/admin/users/{user}", "FFFFF FFFF FF FFF OR"),
    ("POST", "/admin/users/{user}", "FFFFF FFFF FF FFF AR"),
    ("GET", "/admin/users/{user}/password", "FFFFF FFFF FF FFF OR"),
    ("POST", "/admin/users/{user}/password", "FFFFF FFFF FF FFF BR"),
    ("GET", "/admin/users/new", "FFFFF FFFF FF FFF OR"),
    ("POST", "/admin/users/new", "FFFFF FFFF FF FFF BR"),
    ("GET", "/api/docs", "OOOOO OOOO OO OOO OR"),
    ("GET", "/api/tokens", "OOOOO OOOO OO OOO OR"),
    ("POST", "/api/tokens", "BBBBB BBBB BB BBB BR"),
    ("POST", "/api/tokens/{token}/revoke", "NNNNN NNNN NN ANN NR"),
    ("GET", "/api/v1/audits", "UUUUU UUUU UU UUU UU"),
    ("GET", "/api/v1/openapi.json", "OOOOO OOOO OO OOO OO"),
    ("GET", "/api/v1/reports/monthly", "UUUUU UUUU UU UUU UU"),
    ("GET", "/audits/", "OOOOO OOOO OO OOO OR"),
    ("GET", "/audits/{audit_csc}", "OOOOO OFFF FF OOO FR"),
    ("GET", "/audits/{audit_eh}", "FFOFF FFFF FF OOO FR"),
    ("POST", "/audits/{audit_csc}/actions", "FFFFF FFFF FF FFF FR"),
    ("POST", "/audits/{audit_eh}/actions", "FFNFF FFFF FF FFF FR"),
    ("POST", "/audits/{audit_eh}/actions/{action}/delete", "FFNFF FFFF FF FFF FR"),
    ("POST", "/audits/{audit_eh}/after/supervision", "FFFFF FFFF FF FFF FR"),
    ("POST", "/audits/{audit_eh}/autosave", "FFBFF FFFF FF FFF FR"),
    ("GET", "/audits/{audit_eh}/cancel", "FFFFF FFFF FF OFF OR"),
    ("POST", "/audits/{audit_eh}/cancel", "FFFFF FFFF FF BFF BR"),
    ("GET", "/audits/{audit_csc}/changes", "FFFFF FFFF FF FFF FR"),
    ("GET", "/audits/{audit_eh}/changes", "FFBFF FFFF FF FFF FR"),
    ("POST", "/audits/{audit_csc}/comments", "BBBBB BFFF FF BBB FR"),
    ("GET", "/audits/{audit_csc}/edit", "FFFFF FFFF FF FFF FR"),
    ("GET", "/audits/{audit_eh}/edit", "FFOFF FFFF FF FFF FR"),
    ("POST", "/audits/{audit_eh}/edit", "FFBFF FFFF FF FFF FR"),
    ("GET", "/audits/{audit_csc}/pdf", "AAAAA AFFF FF AAA FR"),
    ("GET", "/audits/{audit_csc}/print", "OOOOO OFFF FF OOO FR"),
    ("GET", "/audits/{audit_eh}/print", "FFOFF FFFF FF OOO FR"),
    ("GET", "/cases/", "OOOOO OOOO OO OOO OR"),
    ("GET", "/cases/{case_1001}", "OOOOO OFFF FF OOO FR"),
    ("GET", "/cases/{case_1002}", "OOOFO FOFF FF OOO FR"),
    ("GET", "/cases/{case_eh}", "OOOFF FFOO FF OOO FR"),
    ("GET", "/cases/import", "FFFFF FFFF FF FOF OR"),
    ("POST", "/cases/import", "FFFFF FFFF FF FBF BR"),
    ("GET", "/concerns/", "OOOOO OOOO OO OOO OR"),
    ("GET", "/concerns/{concern}", "FOFFO FFFF FF OFO FR"),
    ("POST", "/concerns/{concern}/respond", "FBFFF FFFF FF FFB FR"),
    ("POST", "/concerns/audit/{audit_csc}", "BBBBB BFFF FF BBB FR"),
    ("GET", "/learning/follow-ups", "OOOOO OOOO OO OOO OR"),
    ("GET", "/learning/follow-ups/new", "FFFFF FFFF FF OFF FR"),
    ("POST", "/learning/follow-ups/new", "FFFFF FFFF FF BFF FR"),
    ("GET", "/learning/follow-ups/{followup}", "OOOOF FFFF OF OOO FR"),
    ("POST", "/learning/follow-ups/{followup}/changes", "FFFBF FFFF FF BFF FR"),
    ("POST", "/learning/follow-ups/{followup}/close", "FFFAF FFFF FF AFF FR"),
    ("GET", "/moderation/", "FFFFF FFFF FF OFF FR"),
    ("GET", "/moderation/{audit_csc}", "FFFFF FFFF FF OFF FR"),
    ("POST", "/moderation/{audit_csc}", "FFFFF FFFF FF BFF FR"),
    ("GET", "/moderation/calibration", "OFFFF FFFF FF OOF FR"),
    ("GET", "/notifications/", "OOOOO OOOO OO OOO OR"),
    ("POST", "/notifications/{note}/read", "NNNNN ANNN NN NNN NR"),
    ("POST", "/notifications/read-all", "AAAAA AAAA AA AAA AR"),
    ("GET", "/reports/monthly", "OOOFF FFFF OF OOO FR"),
    ("GET", "/reports/monthly.csv?month=2026-10", "OOOFF FFFF OF OOO FR"),
    ("POST", "/reports/monthly/2026-10/rebuild", "FFFFF FFFF FF BFF FR"),
    ("GET", "/reports/annual", "OOOFF FFFF OF OOO FR"),
    ("GET", "/reports/annual.pdf", "AAAFF FFFF AF AAA FR"),
    ("GET", "/circulation/lists", "FFFFF FFFF FF OFF FR"),
    ("GET", "/circulation/lists/new", "FFFFF FFFF FF OFF FR"),
    ("POST", "/circulation/lists/new", "FFFFF FFFF FF BFF FR"),
    ("GET", "/circulation/lists/999", "FFFFF FFFF FF NFF FR"),
    ("POST", "/circulation/lists/999", "FFFFF FFFF FF NFF FR"),
    ("POST", "/circulation/lists/999/remove", "FFFFF FFFF FF NFF FR"),
    ("GET", "/circulation/report/monthly/2026-10", "OFFFF FFFF FF OFF FR"),
    ("GET", "/circulation/report/monthly/2026-13", "NFFFF FFFF FF NFF FR"),
    ("POST", "/circulation/report/monthly/2026-10/commentary", "FFFFF FFFF FF BFF FR"),
    ("POST", "/circulation/report/monthly/2026-10/approve", "BFFFF FFFF FF FFF FR"),
    ("POST", "/circulation/report/monthly/2026-10/circulate", "FFFFF FFFF FF BFF FR"),
    ("GET", "/circulation/report/thematic_review.quarterly/2026-Q3", "OFFFF FFFF FF OFF FR"),
    ("GET", "/schedule/", "FFFFF FFFF FF OOF FR"),
    ("GET", "/schedule/{month}/theme", "FFFFF FFFF FF OOF FR"),
    ("POST", "/schedule/{month}/theme", "FFFFF FFFF FF BBF FR"),
    ("GET", "/schedule/allocate", "FFFFF FFFF FF OOF FR"),
    ("POST", "/schedule/allocate", "FFFFF FFFF FF BBF FR"),
    ("GET", "/schedule/joint/{audit_eh}", "FFFFF FFFF FF OFF FR"),
    ("POST", "/schedule/joint/{audit_eh}", "FFFFF FFFF FF BFF FR"),
    ("GET", "/schedule/selection/{month}", "FFFFF FFFF FF OOF FR"),
    ("POST", "/schedule/selection/{month}/confirm", "FFFFF FFFF FF BBF FR"),
    ("POST", "/schedule/selection/{month}/draw", "FFFFF FFFF FF AAF FR"),
    ("GET", "/practice_observation/{observation}/reflection", "OOOOO OFFF FF OOO FR"),
    ("POST", "/practice_observation/{observation}/reflection", "FFFFF BFFF FF FFF FR"),
    ("GET", "/thematic_review/", "OOOOO OOOO OO OOO OR"),
    ("GET", "/thematic_review/{review}", "FFFFO FFOF FF OFO FR"),
    ("GET", "/thematic_review/{review}/cases", "FFFFF FFFF FF OFF FR"),
    ("GET", "/thematic_review/{review}/cases/{review_case}", "FFFFO FFOF FF OFO FR"),
    ("POST", "/thematic_review/{review}/cases/{review_case}/discussion", "FFFFF FFFF FF BFF FR"),
    ("POST", "/thematic_review/{review}/cases/{review_case}/notice", "FFFFF FFFF FF AFF FR"),
    ("GET", "/thematic_review/{review}/cases/{review_case}/pair", "FFFFF FFFF FF OFF FR"),
    ("POST", "/thematic_review/{review}/cases/{review_case}/pair", "FFFFF FFFF FF BFF FR"),
    ("POST", "/thematic_review/{review}/cases/{review_case}/remove", "FFFFF FFFF FF BFF FR"),
    ("POST", "/thematic_review/{review}/cases/choose", "FFFFF FFFF FF BFF FR"),
    ("POST", "/thematic_review/{review}/cases/draw", "FFFFF FFFF FF BFF FR"),
    ("GET", "/thematic_review/{review}/edit", "FFFFF FFFF FF OFF FR"),
    ("POST", "/thematic_review/{review}/edit", "FFFFF FFFF FF BFF FR"),
    ("POST", "/thematic_review/{review}/endorse", "FFFFF FFFF FF FFB FR"),
    ("GET", "/thematic_review/{review}/feedback-session", "FFFFF FFFF FF OFO FR"),
    ("POST", "/thematic_review/{review}/feedback-session", "FFFFF FFFF FF BFB FR"),
    ("POST", "/thematic_review/{review}/notices", "FFFFF FFFF FF AFF FR"),
    ("GET", "/thematic_review/{review}/pairs", "FFFFF FFFF FF OFF FR"),
    ("POST", "/thematic_review/{review}/pairs", "FFFFF FFFF FF BFF FR"),
    ("GET", "/thematic_review/{review}/plan/new", "FFFFF FFFF FF OFF FR"),
    ("POST", "/thematic_review/{review}/plan/new", "FFFFF FFFF FF BFF FR"),
    ("GET", "/thematic_review/{review}/questions", "FFFFF FFFF FF OFF FR"),
    ("POST", "/thematic_review/{review}/questions", "FFFFF FFFF FF BFF FR"),
    ("POST", "/thematic_review/{review}/questions/{question}", "FFFFF FFFF FF BFF FR"),
    ("POST", "/thematic_review/{review}/questions/{question}/move", "FFFFF FFFF FF BFF FR"),
    ("POST", "/thematic_review/{review}/questions/{question}/remove", "FFFFF FFFF FF AFF FR"),
    ("GET", "/thematic_review/{review}/report", "FFFFF FFFF FF OFF FR"),
    ("POST", "/thematic_review/{review}/report", "FFFFF FFFF FF BFF FR"),
    ("GET", "/thematic_review/{review}/report.pdf", "FFFFA FFAF FF AFA FR"),
    ("POST", "/thematic_review/{review}/start", "FFFFF FFFF FF BFF FR"),
    ("GET", "/thematic_review/cases/{review_case}/conversation", "FFFFO FFOF FF OFO FR"),
    ("POST", "/thematic_review/cases/{review_case}/conversation", "FFFFB FFBF FF BFB FR"),
    ("GET", "/thematic_review/cases/{review_case}/feedback", "OOOOO FFOF FF OFO FR"),
    ("GET", "/thematic_review/conversations/{conversation}/letter", "FFFFN FFNF FF NFN FR"),
    ("GET", "/thematic_review/conversations/{conversation}/letter.pdf", "NNNNN FFNF FF NFN FR"),
    ("POST", "/thematic_review/conversations/{conversation}/links", "FFFFA FFAF FF AFA FR"),
    ("GET", "/thematic_review/conversations/{conversation}/reply", "FFFFO FFOF FF OFO FR"),
    ("POST", "/thematic_review/conversations/{conversation}/reply", "FFFFB FFBF FF BFB FR"),
    ("POST", "/thematic_review/conversations/{conversation}/reply/sent", "FFFFN FFNF FF NFN FR"),
    ("GET", "/thematic_review/people", "FFFFF FFFF FF OFF FR"),
    ("GET", "/thematic_review/offline-worker.js", "OOOOO OOOO OO OOO OR"),
    ("GET", "/thematic_review/new", "FFFFF FFFF FF OFF FR"),
    ("POST", "/thematic_review/new", "FFFFF FFFF FF BFF FR"),
    ("GET", "/thematic_review/plan", "OOFFF FFFF FF OFO FR"),
    ("GET", "/thematic_review/quarterly", "OOFFF FFFF FF OFO FR"),
    ("GET", "/thematic_review/quarterly/2026-Q3.pdf", "AAFFF FFFF FF AFA FR"),
    ("GET", "/thematic_review/plan/{plan_item}", "OOFFF FFFF FF OFO FR"),
    ("POST", "/thematic_review/plan/{plan_item}", "FBFFF FFFF FF BFF FR"),
    ("GET", "/tool_builder/", "FFFFF FFFF FF OFF FR"),
    ("GET", "/tool_builder/schema.json", "FFFFF FFFF FF OFF FR"),
    ("GET", "/tool_builder/new", "FFFFF FFFF FF OFF FR"),
    ("POST", "/tool_builder/new", "FFFFF FFFF FF BFF FR"),
    ("GET", "/tool_builder/import", "FFFFF FFFF FF OFF FR"),
    ("POST", "/tool_builder/import", "FFFFF FFFF FF BFF FR"),
    ("GET", "/tool_builder/{tool}", "FFFFF FFFF FF OFF FR"),
    ("GET", "/tool_builder/{tool}/edit", "FFFFF FFFF FF OFF FR"),
    ("POST", "/tool_builder/{tool}/edit", "FFFFF FFFF FF BFF FR"),
    ("GET", "/tool_builder/{tool}/preview", "FFFFF FFFF FF OFF FR"),
    ("POST", "/tool_builder/{tool}/publish", "FFFFF FFFF FF AFF FR"),
    ("POST", "/tool_builder/{tool}/retire", "FFFFF FFFF FF BFF FR"),
    ("GET", "/tool_builder/{tool}/export", "FFFFF FFFF FF OFF FR"),
]


def build(app, world: World) -> dict[str, object]:
    """The objects the table's URLs name, created in the test council."""
    with app.app_context():
        host = plugin_host()
        for key in host.installed:
            host.set_enabled(key, True, actor_id=None)
        db.session.commit()
        user = {short: db.session.get(User, ident) for short, ident in world.users.items()}
        case = {ref: db.session.get(Case, ident) for ref, ident in world.cases.items()}
        today = datetime(2026, 11, 2).date()
        csc = allocate(
            case["CS-1001"], host.process("csc_audit"), [user["tm_b"]],
            allocated_by=None, allocated_on=today,
        )  # fmt: skip
        early = allocate(
            case["EH-2001"], host.process("early_help"), [user["sm"]],
            allocated_by=None, allocated_on=today,
        )  # fmt: skip
        observation = allocate(
            case["CS-1001"], host.process("practice_observation"), [user["tm_b"]],
            allocated_by=None, allocated_on=today,
        )  # fmt: skip
        db.session.flush()
        csc.status, csc.submitted_at, csc.overall_grade = "submitted", datetime(2026, 11, 5), "good"
        observation.status, observation.submitted_at = "submitted", datetime(2026, 11, 6)
        action = Action(
            audit_id=csc.id, description="Update the plan", owner_id=user["sw_a"].id, status="open"
        )
        db.session.add(action)
        concern = raise_concern(case["CS-1001"], "audit", csc.id, "Not seen", user["tm_b"])
        [note] = notify([user["sw_a"]], "Something to read")
        token = issue_token(user["qa_lead"], "Power BI", user["qa_lead"]).row
        sign_on_group = SignOnGroupRole(group="QA-Leads", role="qa_lead")
        db.session.add(sign_on_group)
        followup = create_followup(
            today, LearningArea.TRAINING, user["tm_a"], "Chronologies", user["qa_lead"]
        )
        tool = create_tool("dip_sample", "Dip sample", user["qa_lead"])
        db.session.commit()
        ids = {
            "audit_csc": csc.id,
            "audit_eh": early.id,
            "action": action.id,
            "concern": concern.id,
            "note": note.id,
            "token": token.id,
            "sign_on_group": sign_on_group.id,
            "followup": followup.id,
            "observation": observation.id,
            "tool": tool.id,
        }
    review = make_review(app, world)
    conversation = add_conversation(app, world, review.review_case)
    with app.app_context():
        question = Question(review_id=review.review, position=1, text="What helped?")
        item = PlanItem(
            review_id=review.review,
            action="Visit within 5 days",
            owner_id=world.users["hos"],
            measure="Checked at the next review",
            due_on=datetime(2027, 3, 31).date(),
        )
        db.session.add_all([question, item])
        db.session.commit()
        ids |= {"question": question.id, "plan_item": item.id}
    return ids | {
        "review": review.review,
        "review_case": review.review_case,
        "conversation": conversation,
        "case_1001": world.cases["CS-1001"],
        "case_1002": world.cases["CS-1002"],
        "case_eh": world.cases["EH-2001"],
        "user": world.users["sw_a"],
        "team": world.teams["Assessment Team"],
        "service": world.services["CSC"],
        "month": "2027-01",
        "job": "core.remind_due_soon",
        "plugin": "mash",
        "share": "csc_audit",
    }


@pytest.fixture
def clients(app, world):
    """One client per person, signed in through the real form (anon: not signed in)."""
    signed_in = {}
    for short in PEOPLE:
        client = app.test_client()
        if short != "anon":
            assert login(client, world.emails[short]).status_code == 302
        signed_in[short] = client
    return signed_in


def answer(client, method: str, url: str, token: str) -> int:
    if method == "GET":
        return client.get(url).status_code
    return client.post(url, data={"csrf_token": token}).status_code


def routes(app) -> set[tuple[str, str]]:
    """Every (method, endpoint) of the URL map but static files."""
    return {
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if not rule.endpoint.endswith("static")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_has_an_entry_in_the_table(app, world):
    ids = build(app, world)
    adapter = app.url_map.bind("localhost")
    covered = set()
    for method, url, codes in TABLE:
        assert len(codes.replace(" ", "")) == len(PEOPLE), url
        try:
            endpoint, _ = adapter.match(url.format(**ids).split("?")[0], method=method)
        except RequestRedirect:  # pragma: no cover - a URL missing its trailing slash
            pytest.fail(f"{url} redirects: write the URL as the route has it")
        covered.add((method, endpoint))
    missing = sorted(routes(app) - covered)
    assert not missing, f"routes with no entry in the authorisation table: {missing}"


def test_each_person_gets_the_answer_the_table_gives(app, world, clients):
    ids = build(app, world)
    tokens = {short: client.csrf_token() for short, client in clients.items()}
    wrong = []
    for method, url, codes in TABLE:
        path = url.format(**ids)
        for short, code in zip(PEOPLE, codes.replace(" ", ""), strict=True):
            if code == "A":
                continue
            got = answer(clients[short], method, path, tokens[short])
            if got != CODES[code]:
                wrong.append(f"{method} {url} as {short}: {got}, the table says {CODES[code]}")
    assert not wrong, "\n".join(wrong)
