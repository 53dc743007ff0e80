"""Each published tool's report section shows the figures its definition chose, and the
sections of every tool, like the list of tools, cost the same statements however many
tools there are."""

from datetime import date, datetime

from plugins.tool_builder import tools
from plugins.tool_builder.report import report_sections
from plugins.tool_builder.tests.tool_files import example
from portal.plugin_api import User, db
from portal.plugin_api.testing import counted, statements_for

MONTH = date(2026, 11, 1)
START, END = datetime(2026, 11, 1), datetime(2026, 12, 1)


def publish_example(app, world, name: str, slug: str | None = None) -> None:
    """Import the example *name* (under *slug*, when given) and publish it, as the QA lead."""
    with app.app_context():
        qa_lead = db.session.get(User, world.users["qa_lead"])
        document = example(name) | ({"slug": slug} if slug else {})
        tool, problems = tools.import_tool(document, qa_lead)
        assert problems == []
        assert tools.publish(tool, qa_lead) == []
        db.session.commit()


def sections(app) -> dict:
    """The tools' report sections for November 2026, by key, and the statements they sent."""
    with counted(app) as statements, app.app_context():
        found = {section.key: section for section in report_sections(MONTH, START, END)}
    return found, len(statements)


def test_each_tool_s_section_shows_the_figures_it_chose(app, world, enable_plugins):
    enable_plugins("tool_builder")
    publish_example(app, world, "case_review_dip_sample")
    publish_example(app, world, "fostering_oversight_dip_sample")
    found, _ = sections(app)
    case_review = found["tool_builder.case_review_dip"]
    fostering = found["tool_builder.fostering_dip"]
    assert case_review.summary == (
        "0 Case review dip sample (CIN, CP and CLA) audits submitted in November 2026. "
        "0 of them (0%) had a section graded for an action."
    )
    assert [table.title for table in case_review.tables] == [
        "Overall grades, November 2026",
        "Grades by section, November 2026",
        "Sections most often graded for an action",
    ]
    # the fostering tool chose the grades and the share needing action, not the low sections
    assert [table.title for table in fostering.tables] == [
        "Overall grades, November 2026",
        "Grades by section, November 2026",
    ]
    assert fostering.data["needing_action_share"] == 0.0
    assert "sections_graded_low" not in fostering.data


def test_sections_and_the_list_cost_the_same_statements_for_one_tool_or_three(
    app, world, client, login_as, enable_plugins
):
    enable_plugins("tool_builder")
    login_as("qa_lead")
    publish_example(app, world, "case_review_dip_sample")
    _, one = sections(app)
    listing = statements_for(app, client, "/tool_builder/")
    publish_example(app, world, "fostering_oversight_dip_sample")
    publish_example(app, world, "case_review_dip_sample", slug="case_review_again")
    found, three = sections(app)
    assert len(found) == 3
    assert three == one <= 4
    assert statements_for(app, client, "/tool_builder/") == listing
