"""Setting a review up: the review itself, its cases (drawn or chosen), the pairs, starting it,
who sees what, and what the plugin adds to the menu, the home page and the schedule."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from plugins.thematic_review import cases, reviews
from plugins.thematic_review.models import Member, Review, ReviewCase
from plugins.thematic_review.process import THEMATIC_REVIEW
from plugins.thematic_review.tests.review_helpers import (
    REVIEW_DAY,
    add_cases,
    make_ready,
    make_review,
    review_of,
)
from portal.plugin_api import (
    ActivityEntry,
    Audit,
    Case,
    CaseType,
    Notification,
    ThemeFilter,
    User,
    allocate,
    db,
)


@pytest.fixture(autouse=True)
def enabled(enable_plugins):
    enable_plugins("thematic_review")


def review_form(world, **changes) -> dict:
    """The set-up form as a QA lead fills it in."""
    day = REVIEW_DAY
    form = {
        "theme": "Neglect",
        "first_day": [str(day.day), str(day.month), str(day.year)],
        "second_day": ["", "", ""],
        "venue": "Council offices, room 2",
        "lead_id": str(world.users["sgu"]),
        "qa_lead_id": str(world.users["qa_lead"]),
        "member_ids": [str(world.users["sm"]), str(world.users["hos"])],
    }
    form.update(changes)
    return form


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# The review ---------------------------------------------------------------------------------


def test_the_qa_lead_sets_up_a_review_with_the_default_questions(app, client, world, login_as):
    login_as("qa_lead")
    assert client.get("/thematic_review/new").status_code == 200
    second = REVIEW_DAY + timedelta(days=1)
    response = client.post_form(
        "/thematic_review/new",
        review_form(world, second_day=[str(second.day), str(second.month), str(second.year)]),
    )
    assert response.status_code == 302
    with app.app_context():
        review = db.session.scalar(select(Review))
        assert response.headers["Location"].endswith(f"/thematic_review/{review.id}/cases")
        assert (review.theme, review.first_day, review.second_day) == (
            "Neglect",
            REVIEW_DAY,
            second,
        )
        assert review.status == "planning"
        assert review.lead_id == world.users["sgu"]
        assert {m.user_id for m in review.members} == {
            world.users[short] for short in ("sm", "hos", "sgu", "qa_lead")
        }
        assert [q.text for q in review.questions] == list(reviews.DEFAULT_QUESTIONS)
        assert [q.position for q in review.questions] == [1, 2, 3, 4, 5, 6]
        told = db.session.scalars(
            select(Notification.user_id).where(Notification.subject == "Thematic review: Neglect")
        ).all()
        assert set(told) == {world.users[short] for short in ("sm", "hos", "sgu")}
        assert db.session.scalar(
            select(ActivityEntry).where(
                ActivityEntry.object_type == "thematic_review", ActivityEntry.verb == "created"
            )
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"theme": "  "}, "Enter the review&#39;s theme"),
        ({"first_day": ["", "", ""]}, "Enter the review&#39;s first day"),
        ({"first_day": ["31", "2", "2027"]}, "Enter a real date, for example 3 2 2027"),
        ({"first_day": ["3", "2", "27"]}, "Enter a real date, for example 3 2 2027"),
        ({"first_day": ["1", "1", "2020"]}, "The first day must be today or later"),
        ({"second_day": ["1", "1", "2020"]}, "The second day must be after the first day"),
        ({"venue": ""}, "Enter the venue"),
        ({"lead_id": "0"}, "Choose the review&#39;s lead from the safeguarding unit"),
        ({"member_ids": []}, "Choose at least two members: cases are reviewed in pairs"),
    ],
)
def test_bad_input_shows_the_error_and_sets_nothing_up(
    app, client, world, login_as, changes, message
):
    login_as("qa_lead")
    response = client.post_form("/thematic_review/new", review_form(world, **changes))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert message in page
    assert count(app, Review) == 0


def test_only_a_qa_lead_sets_up_a_review(app, client, world, login_as):
    for short in ("sgu", "hos", "sw_a"):
        client.post_form("/logout")
        login_as(short)
        assert client.get("/thematic_review/new").status_code == 403
        assert client.post_form("/thematic_review/new", review_form(world)).status_code == 403
    assert count(app, Review) == 0


def test_a_form_without_its_csrf_token_changes_nothing(app, client, world, login_as):
    login_as("qa_lead")
    response = client.post("/thematic_review/new", data=review_form(world))
    assert response.status_code == 400
    assert count(app, Review) == 0


def test_the_theme_is_shown_as_text_never_as_html(app, client, world, login_as):
    review_id = make_review(app, world, theme="<script>alert(1)</script>")
    login_as("qa_lead")
    for url in ("/thematic_review/", f"/thematic_review/{review_id}"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_qa_lead_changes_a_review_but_keeps_a_paired_member(app, client, world, login_as):
    add_cases(app, world, 1)
    review_id = make_review(app, world, ["TR-001"], pair=("sm", "hos"))
    login_as("qa_lead")
    assert client.get(f"/thematic_review/{review_id}/edit").status_code == 200
    form = review_form(
        world, venue="Town hall", member_ids=[str(world.users["hos"]), str(world.users["ad"])]
    )
    response = client.post_form(f"/thematic_review/{review_id}/edit", form)
    assert response.status_code == 400
    assert "Sam Service reviews case TR-001, so stays a member" in response.get_data(as_text=True)
    with app.app_context():
        assert review_of(review_id).venue == "Council offices, room 2"
    form["member_ids"] = [str(world.users[short]) for short in ("sm", "hos", "ad")]
    assert client.post_form(f"/thematic_review/{review_id}/edit", form).status_code == 302
    with app.app_context():
        review = review_of(review_id)
        assert review.venue == "Town hall"
        assert world.users["ad"] in {m.user_id for m in review.members}


# Who sees what --------------------------------------------------------------------------------


def test_the_list_shows_the_reviews_each_person_may_see(app, client, world, login_as):
    make_review(app, world, theme="Neglect", members=("sm", "hos"))
    make_review(app, world, theme="Children who go missing", members=("tm_b", "eh_m"))
    expected = {
        "qa_lead": {"Neglect", "Children who go missing"},
        "sgu": {"Neglect", "Children who go missing"},
        "sm": {"Neglect"},
        "tm_b": {"Children who go missing"},
        "sw_a": set(),
    }
    for short, themes in expected.items():
        client.post_form("/logout")
        login_as(short)
        page = client.get("/thematic_review/").get_data(as_text=True)
        assert "A thematic review takes place every 3 months" in page
        for theme in ("Neglect", "Children who go missing"):
            assert (theme in page) == (theme in themes), (short, theme)


def add_reviews(app, world, count, *, first_day=date(2026, 3, 3), status="planning"):
    """*count* reviews straight into the database (no members but the lead and QA lead)."""
    with app.app_context():
        db.session.add_all(
            Review(
                theme=f"Theme {first_day.year} {number:02d}",
                first_day=first_day + timedelta(days=number),
                lead_id=world.users["sgu"],
                qa_lead_id=world.users["qa_lead"],
                status=status,
            )
            for number in range(count)
        )
        db.session.commit()


def test_the_list_is_paged_and_filtered_by_status_and_year(app, client, world, login_as):
    add_reviews(app, world, 52)
    add_reviews(app, world, 3, first_day=date(2024, 5, 1), status="endorsed")
    references = add_cases(app, world, 2)
    make_review(app, world, references, theme="Neglect", first_day=date(2025, 1, 7))
    login_as("qa_lead")

    first = words(client.get("/thematic_review/"))
    last = words(client.get("/thematic_review/?page=2"))
    endorsed = words(client.get("/thematic_review/?status=endorsed"))
    year = client.get("/thematic_review/?year=2025")
    fragment = client.get(
        "/thematic_review/?year=2024&status=endorsed",
        headers={"HX-Request": "true", "HX-Target": "review-results"},
    ).get_data(as_text=True)

    assert "1–50 of 56 reviews" in first and "Theme 2026 51" in first  # the latest first
    assert "51–56 of 56 reviews" in last and "Theme 2024 00" in last
    assert "3 reviews" in endorsed and "Theme 2026" not in endorsed
    assert "1 review" in words(
        year
    ) and "Neglect 7 January 2025 Council offices, room 2 2" in words(year)
    assert 'value="2024"' in year.get_data(as_text=True)  # the years of the reviews
    assert fragment.lstrip().startswith('<div id="review-results">') and "<html" not in fragment
    assert "3 reviews" in fragment
    assert "No thematic reviews match" in words(client.get("/thematic_review/?status=under_way"))


def test_the_list_sends_as_many_statements_for_many_reviews_as_for_one(
    app, client, world, login_as
):
    from portal.plugin_api.testing import statements_for

    references = add_cases(app, world, 3)
    make_review(app, world, references[:1], members=("sm",))
    login_as("sm")
    few = statements_for(app, client, "/thematic_review/")
    for number in range(1, 12):
        make_review(app, world, references, theme=f"Theme {number}", members=("sm",))

    assert statements_for(app, client, "/thematic_review/") == few


def words(response) -> str:
    """The page's visible words, tags removed and spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(text).split())


def test_the_rhythm_says_when_the_next_review_is_due(app, world):
    make_review(app, world, first_day=date(2026, 2, 3))
    with app.app_context():
        text = reviews.rhythm(date(2026, 3, 1))
    assert "The last was held on 3 February 2026; the next is due in May 2026." in text


def test_a_review_is_seen_by_its_members_the_qa_lead_and_the_safeguarding_unit(
    app, client, world, login_as
):
    review_id = make_review(app, world, members=("sm", "hos"))
    for short, status in (
        ("sm", 200),
        ("qa_lead", 200),
        ("sgu", 200),
        ("tm_a", 403),
        ("sw_a", 403),
    ):
        client.post_form("/logout")
        login_as(short)
        assert client.get(f"/thematic_review/{review_id}").status_code == status, short
    assert client.get("/thematic_review/999").status_code == 404


def test_only_the_qa_lead_changes_a_review(app, client, world, login_as):
    review_id = make_review(app, world, members=("sm", "hos"))
    login_as("sm")
    for url in ("edit", "cases", "questions", "report", "plan/new"):
        assert client.get(f"/thematic_review/{review_id}/{url}").status_code == 403, url
    for url in ("start", "cases/choose", "cases/draw", "notices"):
        assert client.post_form(f"/thematic_review/{review_id}/{url}", {}).status_code == 403, url


def test_a_disabled_plugin_s_pages_answer_404(app, client, world, login_as):
    review_id = make_review(app, world)
    with app.app_context():
        app.extensions["portal.plugins"].set_enabled("thematic_review", False, actor_id=None)
        db.session.commit()
    login_as("qa_lead")
    assert client.get(f"/thematic_review/{review_id}").status_code == 404
    assert client.get("/thematic_review/").status_code == 404


# Cases ----------------------------------------------------------------------------------------


def drawn(app, review_id) -> list[str]:
    with app.app_context():
        return sorted(rc.case.reference for rc in review_of(review_id).cases)


def test_a_seeded_draw_picks_12_cases_and_the_same_seed_picks_the_same_ones(
    app, client, world, login_as
):
    add_cases(app, world, 20)
    add_cases(
        app,
        world,
        5,
        prefix="EH",
        team="Early Help North",
        worker="eh_w",
        case_type=CaseType.EARLY_HELP,
    )
    first, second = make_review(app, world), make_review(app, world, theme="Again")
    login_as("qa_lead")
    assert client.get(f"/thematic_review/{first}/cases").status_code == 200
    form = {
        "case_types": ["CIN"],
        "team_ids": [str(world.teams["Assessment Team"])],
        "count": "12",
        "seed": "2027",
    }
    for review_id in (first, second):
        response = client.post_form(f"/thematic_review/{review_id}/cases/draw", form)
        assert response.status_code == 302
    assert len(drawn(app, first)) == 12
    assert drawn(app, first) == drawn(app, second)
    assert all(reference.startswith(("TR-", "CS-1001")) for reference in drawn(app, first))
    with app.app_context():
        assert review_of(first).seed == 2027
        entry = db.session.scalar(select(ActivityEntry).where(ActivityEntry.verb == "drew cases"))
        assert entry.after["seed"] == 2027 and entry.after["case_types"] == ["CIN"]
    # a second draw adds the 9 cases left (20 new ones and CS-1001), never one already in
    response = client.post_form(f"/thematic_review/{first}/cases/draw", {**form, "count": "9"})
    assert response.status_code == 302
    assert len(set(drawn(app, first))) == 21


def test_a_draw_leaves_out_mash_contacts_closed_cases_and_cases_audited_this_year(app, world):
    add_cases(app, world, 2, prefix="MC", case_type=CaseType.MASH_CONTACT)
    fresh = add_cases(app, world, 3)
    with app.app_context():
        db.session.get(Case, world.cases["TR-001"]).closed_on = date.today()
        csc = app.extensions["portal.plugins"].process("csc_audit")
        qa_lead = db.session.get(User, world.users["qa_lead"])
        allocate(
            db.session.get(Case, world.cases["TR-002"]),
            csc,
            [qa_lead],
            allocated_by=None,
            allocated_on=date.today() - timedelta(days=90),
        )
        db.session.commit()
    review_id = make_review(app, world)
    with app.app_context():
        review = review_of(review_id)
        pool = {c.reference for c in cases.eligible_cases(review, ThemeFilter(), date.today())}
    assert pool == {"CS-1001", "CS-1002", "EH-2001", fresh[2]}


def test_a_draw_that_cannot_be_filled_says_so_and_adds_nothing(app, client, world, login_as):
    add_cases(app, world, 3)
    review_id = make_review(app, world)
    login_as("qa_lead")
    form = {"case_types": ["CIN"], "count": "12", "seed": ""}
    response = client.post_form(f"/thematic_review/{review_id}/cases/draw", form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Only 4 open cases match the filter" in page
    assert 'href="#count"' in page
    for bad, message in (
        ("0", "Enter a whole number of cases from 1 to 40"),
        ("lots", "Enter a whole number"),
    ):
        response = client.post_form(
            f"/thematic_review/{review_id}/cases/draw", {**form, "count": bad}
        )
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    response = client.post_form(
        f"/thematic_review/{review_id}/cases/draw", {**form, "count": "2", "seed": "x"}
    )
    assert response.status_code == 400
    assert "The seed must be a whole number" in response.get_data(as_text=True)
    response = client.post_form(
        f"/thematic_review/{review_id}/cases/draw", {**form, "count": "2", "seed": "99999999999"}
    )
    assert response.status_code == 400
    assert drawn(app, review_id) == []


def test_a_case_is_chosen_with_a_reason_even_when_audited_this_year(app, client, world, login_as):
    add_cases(app, world, 1, prefix="MC", case_type=CaseType.MASH_CONTACT)
    review_id = make_review(app, world)
    with app.app_context():
        allocate(
            db.session.get(Case, world.cases["CS-1002"]),
            app.extensions["portal.plugins"].process("csc_audit"),
            [db.session.get(User, world.users["sm"])],
            allocated_by=None,
            allocated_on=date.today() - timedelta(days=30),
        )
        db.session.commit()
    login_as("qa_lead")
    url = f"/thematic_review/{review_id}/cases/choose"
    for form, message in (
        ({"reference": "CS-1002", "reason": " "}, "Give the reason for choosing this case"),
        ({"reference": "", "reason": "x"}, "Enter the case reference"),
        ({"reference": "CS-9999", "reason": "x"}, "No case has the reference CS-9999"),
        ({"reference": "MC-001", "reason": "x"}, "MC-001 is a MASH contact case"),
    ):
        response = client.post_form(url, form)
        assert response.status_code == 400, form
        assert message in response.get_data(as_text=True)
    response = client.post_form(url, {"reference": "cs-1002", "reason": "A <b>complex</b> case"})
    assert response.status_code == 302
    response = client.post_form(url, {"reference": "CS-1002", "reason": "Again"})
    assert response.status_code == 400
    assert "CS-1002 is already in this review" in response.get_data(as_text=True)
    with app.app_context():
        (review_case,) = review_of(review_id).cases
        assert review_case.chosen_reason == "A <b>complex</b> case"
    page = client.get(f"/thematic_review/{review_id}").get_data(as_text=True)
    assert "A &lt;b&gt;complex&lt;/b&gt; case" in page


def test_a_case_not_yet_paired_can_be_taken_out(app, client, world, login_as):
    add_cases(app, world, 2)
    review_id = make_review(app, world, ["TR-001"], pair=("sm", "hos"))
    with app.app_context():
        qa_lead = db.session.get(User, world.users["qa_lead"])
        cases.choose_case(review_of(review_id), "TR-002", "Also", qa_lead)
        db.session.commit()
        paired, unpaired = (rc.id for rc in review_of(review_id).cases)
    login_as("qa_lead")
    response = client.post_form(f"/thematic_review/{review_id}/cases/{paired}/remove")
    assert response.status_code == 400
    assert "is allocated to its pair: the case stays in the review" in response.get_data(
        as_text=True
    )
    assert (
        client.post_form(f"/thematic_review/{review_id}/cases/{unpaired}/remove").status_code == 302
    )
    assert drawn(app, review_id) == ["TR-001"]


# Pairs ----------------------------------------------------------------------------------------


def pair(client, review_id, review_case_id, world, first, second):
    return client.post_form(
        f"/thematic_review/{review_id}/cases/{review_case_id}/pair",
        {
            "first": str(world.users[first]) if first else "0",
            "second": str(world.users[second]) if second else "0",
        },
    )


def test_pairing_allocates_the_case_review_to_both_auditors(app, client, world, login_as):
    add_cases(app, world, 1)
    review_id = make_review(app, world, ["TR-001"], first_day=REVIEW_DAY)
    with app.app_context():
        review_case_id = review_of(review_id).cases[0].id
    login_as("qa_lead")
    assert (
        client.get(f"/thematic_review/{review_id}/cases/{review_case_id}/pair").status_code == 200
    )
    assert pair(client, review_id, review_case_id, world, "sm", "hos").status_code == 302
    with app.app_context():
        review_case = db.session.get(ReviewCase, review_case_id)
        audit = review_case.audit
        assert audit.process_key == THEMATIC_REVIEW.key
        assert {a.id for a in audit.auditors} == {world.users["sm"], world.users["hos"]}
        assert audit.case.reference == "TR-001"
        assert audit.allocated_on == REVIEW_DAY
        assert audit.allocation_reason == "Thematic review: Neglect"
        told = set(
            db.session.scalars(
                select(Notification.user_id).where(Notification.subject == "New audit: TR-001")
            )
        )
        assert told == {world.users["sm"], world.users["hos"]}
    assert pair(client, review_id, review_case_id, world, "sm", "ad").status_code == 409
    page = client.get(f"/thematic_review/{review_id}").get_data(as_text=True)
    assert "Hana Head and Sam Service" in page
    assert f'href="/audits/{audit.id}"' in page


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (None, "hos", "Choose the first auditor"),
        ("sm", None, "Choose the second auditor"),
        ("sm", "sm", "Choose two different people: Sam Service cannot pair with themselves"),
        (
            "sm",
            "tm_a",
            "Tara Manager manages the team that holds case TR-001: choose another auditor",
        ),
        ("sw_a", "sm", "Sophie Worker holds case TR-001: choose another auditor"),
        ("sm", "tm_b", "Tom Manager is not a member of this review"),
    ],
)
def test_a_pair_that_breaks_the_rules_is_refused(
    app, client, world, login_as, first, second, message
):
    add_cases(app, world, 1)
    review_id = make_review(app, world, ["TR-001"], members=("sm", "hos", "tm_a", "sw_a"))
    with app.app_context():
        review_case_id = review_of(review_id).cases[0].id
    login_as("qa_lead")
    response = pair(client, review_id, review_case_id, world, first, second)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert message in page
    assert count(app, Audit) == 0


def test_a_review_starts_with_at_least_12_cases_all_paired(app, client, world, login_as):
    add_cases(app, world, 12)
    review_id = make_review(app, world, [f"TR-{n:03d}" for n in range(1, 12)], pair=("sm", "hos"))
    login_as("qa_lead")
    response = client.post_form(f"/thematic_review/{review_id}/start")
    assert response.status_code == 400
    assert "A review needs at least 12 cases: this one has 11" in response.get_data(as_text=True)
    with app.app_context():
        cases.choose_case(
            review_of(review_id), "TR-012", "x", db.session.get(User, world.users["qa_lead"])
        )
        db.session.commit()
    response = client.post_form(f"/thematic_review/{review_id}/start")
    assert response.status_code == 400
    assert "Pair the auditors of every case first: TR-012" in response.get_data(as_text=True)
    with app.app_context():
        assert review_of(review_id).status == "planning"
        review_case_id = review_of(review_id).cases[-1].id
    assert pair(client, review_id, review_case_id, world, "ad", "sgu").status_code == 302
    assert client.post_form(f"/thematic_review/{review_id}/start").status_code == 302
    with app.app_context():
        assert review_of(review_id).status == "under_way"
    # once started, its cases and pairs stay as they are
    assert client.get(f"/thematic_review/{review_id}/cases").status_code == 409
    assert client.post_form(f"/thematic_review/{review_id}/start").status_code == 400


# What the plugin adds to the portal's pages ---------------------------------------------------


def test_the_menu_has_thematic_reviews_for_those_with_business_there(app, client, world, login_as):
    make_review(app, world, members=("sm",))
    for short, shown in (
        ("qa_lead", True),
        ("sgu", True),
        ("sm", True),
        ("hos", True),
        ("sw_a", False),
        ("tm_b", False),
    ):
        client.post_form("/logout")
        login_as(short)
        page = client.get("/").get_data(as_text=True)
        assert ('href="/thematic_review/"' in page) == shown, short


def test_home_pages_show_the_reviews_to_finish_and_a_member_s_reviews(app, client, world, login_as):
    add_cases(app, world, 2)
    make_review(app, world, ["TR-001", "TR-002"], pair=("sm", "hos"), theme="Neglect")
    login_as("qa_lead")
    page = client.get("/").get_data(as_text=True)
    assert "Thematic reviews to finish" in page
    assert "Add cases: 2 of at least 12" in page
    client.post_form("/logout")
    login_as("sm")
    page = client.get("/").get_data(as_text=True)
    assert "Your thematic reviews" in page
    assert "TR-001, TR-002" in page


def test_home_pages_say_what_is_left_before_a_written_report_can_be_endorsed(
    app, client, world, login_as
):
    """A report written before the review is held and before any case review is in: the
    QA lead's next step is the case reviews, and the safeguarding unit is told it cannot
    be endorsed yet (point 5 of the leaders' issue); once ready, both say so."""
    references = add_cases(app, world, 12)
    review_id = make_review(app, world, references, pair=("sm", "hos"), start=True)
    with app.app_context():
        review = review_of(review_id)
        review.findings, review.recommendations = "Chronologies missing", "Check them"
        db.session.commit()

    def panel(short: str, title: str) -> str:
        client.post_form("/logout")
        login_as(short)
        page = html.unescape(client.get("/").get_data(as_text=True))
        section = page.split(f">{title}</h2>")[1].split("</section>")[0]
        return " ".join(re.sub(r"<[^>]+>", " ", section).split())

    assert "Case reviews: 0 of 12 submitted" in panel("qa_lead", "Thematic reviews to finish")
    to_endorse = panel("sgu", "Thematic review reports to endorse")
    assert "Not yet: Case reviews: 0 of 12 submitted" in to_endorse

    make_ready(app, review_id)
    with app.app_context():
        review_of(review_id).cases[0].worker_attended = None
        db.session.commit()
    assert "Record the discussions with the social workers: 11 of 12" in panel(
        "qa_lead", "Thematic reviews to finish"
    )
    make_ready(app, review_id)
    assert "Ready for the safeguarding unit to endorse the report" in panel(
        "qa_lead", "Thematic reviews to finish"
    )
    assert "Neglect" in panel("sgu", "Thematic review reports to endorse")
    assert "Yes" in panel("sgu", "Thematic review reports to endorse")


def test_each_review_is_on_the_thematic_schedule(app, client, world, login_as):
    day = date.today().replace(day=1) + timedelta(days=40)
    review_id = make_review(app, world, theme="Neglect", first_day=day)
    login_as("qa_lead")
    page = client.get("/schedule/").get_data(as_text=True)
    assert "Thematic review: Neglect" in page
    assert f'href="/thematic_review/{review_id}"' in page


def test_members_are_counted_once(app, world):
    review_id = make_review(app, world, members=("sm", "sm", "sgu", "qa_lead"))
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Member).where(Member.review_id == review_id)
            )
            == 3
        )


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(app, client, world):
    review_id = make_review(app, world)
    for url in ("/thematic_review/", f"/thematic_review/{review_id}", "/thematic_review/plan"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
