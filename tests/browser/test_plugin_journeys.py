"""Two plugins' audits as their auditors live them in a browser (issue 6, "Done when").

An Early Help manager completes an Early Help deep-dive audit of a case from a team they
do not manage: every graded section, the reflective interview, the child's and family's
views; then the worker's manager records on the submitted audit the date it was discussed
in supervision, and a note. A Police auditor completes a MASH audit, then tries every
address of two audits allocated to other people (a CSC draft and a submitted Early Help
audit): each one is refused.
"""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from portal.audits.answers import flatten
from portal.audits.service import allocate, save_answers, submit
from portal.extensions import db
from portal.models import Agency, Audit, AuditStatus, Case, CaseType, Role, Service, Team, User
from portal.testing.world import test_password_hash as password_hash

#: A complete Early Help audit, every section Good: {section: {field: value}}.
EARLY_HELP_ANSWERS: dict[str, dict[str, str]] = {
    **{
        key: {"grade": "good", "evidence": f"Seen on EHM: {key.replace('_', ' ')} is sound."}
        for key in (
            "assessment",
            "family_plan",
            "voice_of_child",
            "working_with_family",
            "multi_agency",
            "management_oversight",
            "impact",
        )
    },
    "reflective_interview": {
        "participants": "Eddie Worker, family support worker",
        "interview_date": "2026-11-02",
        "learning": "Asking the school earlier would have helped.",
    },
    "child_family_views": {
        "views_obtained": "yes",
        "child_views": "She likes the after-school club and feels listened to.",
        "family_views": "Mum says the routines plan made mornings calmer.",
    },
    "overall": {"summary": "Good help that made a difference to the family's mornings."},
}
EARLY_HELP_ANSWERS["impact"] |= {
    "intended": "Regular school attendance.",
    "changed": "She now attends every day.",
}

MASH_SECTIONS = ("quality_of_contact", "mash_episode", "contact_management")


def add_early_help_manager(app, world) -> None:
    """Elliot Manager, who manages a new team, Early Help South: EH-2001 (Early Help
    North, Erin's team) comes from a team he does not manage. Added to *world* as eh_m2."""
    with app.app_context():
        service = db.session.get(Service, world.services["EH"])
        agency = db.session.get(Agency, world.agencies["EH"])
        head = db.session.get(User, world.users["hos"])
        team = Team(name="Early Help South", service=service)
        manager = User(
            email="eh.m2@council.example",
            name="Elliot Manager",
            job_title="Team manager",
            password_hash=password_hash(),
            team=team,
            agency=agency,
            line_manager=head,
        )
        manager.set_roles({Role.TEAM_MANAGER})
        team.manager = manager
        db.session.add_all([team, manager])
        db.session.commit()
        world.users["eh_m2"], world.emails["eh_m2"] = manager.id, manager.email
        world.teams[team.name] = team.id


def add_mash_contact(app, world) -> None:
    """A MASH team (managed by the MASH Head of Service) holding contact MC-4001."""
    with app.app_context():
        service = db.session.get(Service, world.services["MASH"])
        agency = db.session.get(Agency, world.agencies["CSC"])
        head = db.session.get(User, world.users["mash_hos"])
        team = Team(name="MASH Team", service=service, manager=head)
        worker = User(
            email="mash.sw@council.example",
            name="Mo Worker",
            job_title="Social worker",
            password_hash=password_hash(),
            team=team,
            agency=agency,
            line_manager=head,
        )
        worker.set_roles({Role.SOCIAL_WORKER})
        case = Case(
            reference="MC-4001",
            case_type=CaseType.MASH_CONTACT.value,
            team=team,
            allocated_worker=worker,
            opened_on=date(2026, 11, 2),
        )
        db.session.add_all([team, worker, case])
        db.session.commit()
        world.cases[case.reference] = case.id


def allocate_audit(app, world, process_key: str, reference: str, auditor: str) -> int:
    """Enable *process_key* and allocate an audit of *reference* to *auditor*, as
    tests/audits/conftest.py does; the audit's id."""
    with app.app_context():
        host = app.extensions["portal.plugins"]
        host.set_enabled(process_key, True, actor_id=None)
        audit = allocate(
            db.session.get(Case, world.cases[reference]),
            host.process(process_key),
            [db.session.get(User, world.users[auditor])],
            allocated_by=None,
            allocated_on=date.today(),
        )
        db.session.commit()
        return audit.id


def start_the_audit(page, axe_check, reference: str) -> None:
    """From the home page: the allocated case, then "Start the audit"."""
    page.get_by_role("link", name=reference).click()
    axe_check()
    page.get_by_role("link", name="Start the audit").click()
    axe_check()


def fill_date(page, html_id: str, iso: str) -> None:
    """Type an ISO date into a GOV.UK date input's day, month and year."""
    year, month, day = iso.split("-")
    page.locator(f"#{html_id}-day").fill(str(int(day)))
    page.locator(f"#{html_id}-month").fill(str(int(month)))
    page.locator(f"#{html_id}-year").fill(year)


def test_an_early_help_manager_completes_an_early_help_audit(
    page, live_server, app, world, sign_in, axe_check
):
    add_early_help_manager(app, world)
    audit_id = allocate_audit(app, world, "early_help", "EH-2001", "eh_m2")

    sign_in("eh_m2")
    start_the_audit(page, axe_check, "EH-2001")
    expect(
        page.get_by_role("heading", name="Assessment and understanding of need", exact=True)
    ).to_be_visible()

    answers = EARLY_HELP_ANSWERS
    for section, given in answers.items():
        if "grade" in given:
            page.locator(f"#{section}-evidence").fill(given["evidence"])
            page.locator(f"input[name='{section}-grade'][value='{given['grade']}']").check()
    page.locator("#impact-intended").fill(answers["impact"]["intended"])
    page.locator("#impact-changed").fill(answers["impact"]["changed"])
    interview = answers["reflective_interview"]
    page.locator("#reflective_interview-participants").fill(interview["participants"])
    fill_date(page, "reflective_interview-interview_date", interview["interview_date"])
    page.locator("#reflective_interview-learning").fill(interview["learning"])
    views = answers["child_family_views"]
    page.get_by_role(
        "group", name="Whether the child's and the family's views were obtained"
    ).get_by_label("Yes", exact=True).check()
    page.locator("#child_family_views-child_views").fill(views["child_views"])
    page.locator("#child_family_views-family_views").fill(views["family_views"])
    expect(page.locator("#section-supervision")).to_contain_text(
        "The case holder's manager records this after you submit the audit."
    )
    page.locator("#overall-summary").fill(answers["overall"]["summary"])
    expect(page.locator("#judgement")).to_contain_text("Good", timeout=10_000)

    page.get_by_role("button", name="Submit audit").click()
    expect(page.get_by_text("Your audit has been submitted.")).to_be_visible()
    axe_check("the submitted Early Help audit")
    facts = page.locator(".govuk-summary-list").first
    expect(facts).to_contain_text("Submitted")
    for text in (views["child_views"], views["family_views"], interview["learning"]):
        expect(page.get_by_text(text)).to_be_visible()

    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert audit.lifecycle == AuditStatus.SUBMITTED  # every Early Help audit is moderated
        assert audit.overall_grade == "good"
        stored = audit.answers()
        assert stored["reflective_interview"]["interview_date"] == "2026-11-02"
        assert stored["child_family_views"]["views_obtained"] == "yes"
        assert "supervision" not in stored

    # the worker's manager records the supervision on the submitted audit
    page.get_by_role("button", name="Sign out").click()
    axe_check()
    sign_in("eh_m")
    page.goto(f"{live_server}/audits/{audit_id}")
    axe_check()
    page.get_by_role("button", name="Save Discussed in supervision").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    axe_check("the supervision form with its errors")
    fill_date(page, "supervision-discussed_on", date.today().isoformat())
    page.get_by_label("A note of the discussion").fill("Eddie will ask the school about clubs.")
    page.get_by_role("button", name="Save Discussed in supervision").click()
    expect(page.get_by_text("Recorded by Erin Manager on")).to_be_visible()
    axe_check("the audit with its supervision recorded")
    with app.app_context():
        recorded = db.session.get(Audit, audit_id).answers()["supervision"]
        assert recorded["discussed_on"] == date.today().isoformat()


def others_audits(app, world) -> tuple[int, int]:
    """A CSC audit still a draft (Tom Manager's) and a submitted Early Help audit (Elliot
    Manager's): neither is the Police auditor's."""
    add_early_help_manager(app, world)
    draft = allocate_audit(app, world, "csc_audit", "CS-1001", "tm_b")
    submitted = allocate_audit(app, world, "early_help", "EH-2001", "eh_m2")
    with app.app_context():
        audit = db.session.get(Audit, submitted)
        auditor = db.session.get(User, world.users["eh_m2"])
        save_answers(audit, flatten(EARLY_HELP_ANSWERS), 0, auditor)
        assert submit(audit, auditor) == []
        db.session.commit()
    return draft, submitted


def test_a_police_auditor_completes_a_mash_audit_and_can_open_nobody_elses(
    page, live_server, app, world, sign_in, axe_check
):
    add_mash_contact(app, world)
    mash_id = allocate_audit(app, world, "mash", "MC-4001", "police")
    draft_id, submitted_id = others_audits(app, world)

    sign_in("police")
    start_the_audit(page, axe_check, "MC-4001")
    expect(page.get_by_role("heading", name="Quality of contact", exact=True)).to_be_visible()
    for section in MASH_SECTIONS:
        page.locator(f"#{section}-evidence").fill(f"The MASH record shows {section} was sound.")
        page.locator(f"input[name='{section}-grade'][value='good']").check()
    page.locator("#reflective_interview-participants").fill("The MASH social worker, Mo Worker")
    fill_date(page, "reflective_interview-interview_date", "2026-11-04")
    page.locator("#reflective_interview-learning").fill("Feedback to the referrer came late.")
    page.locator("#overall-summary").fill("A well-handled contact with a clear decision.")
    expect(page.locator("#judgement")).to_contain_text("Good", timeout=10_000)
    page.get_by_role("button", name="Submit audit").click()
    expect(page.get_by_text("Your audit has been submitted.")).to_be_visible()
    axe_check("the submitted MASH audit")
    with app.app_context():
        assert db.session.get(Audit, mash_id).submitted_at is not None

    # The audits list shows the Police auditor their own audit only.
    page.goto(f"{live_server}/audits/")
    axe_check()
    expect(page.get_by_role("main")).to_contain_text("MC-4001")
    expect(page.get_by_role("main")).not_to_contain_text("CS-1001")
    expect(page.get_by_role("main")).not_to_contain_text("EH-2001")

    # Every address of someone else's audit, and of its case, is refused; the same
    # requests, in the same session, reach the auditor's own audit.
    assert page.request.get(f"{live_server}/audits/{mash_id}/print").status == 200
    response = page.goto(f"{live_server}/audits/{draft_id}")
    assert response.status in (403, 404)
    axe_check("the refusal page")
    with app.app_context():
        case_ids = [db.session.get(Audit, i).case_id for i in (draft_id, submitted_id)]
    urls = [
        f"/audits/{audit_id}{suffix}"
        for audit_id in (draft_id, submitted_id)
        for suffix in ("", "/edit", "/print", "/pdf", "/changes?revision=0")
    ] + [f"/cases/{case_id}" for case_id in case_ids]
    statuses = {url: page.request.get(f"{live_server}{url}").status for url in urls}
    assert all(status in (403, 404) for status in statuses.values()), statuses
