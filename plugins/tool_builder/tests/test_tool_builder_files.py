"""Tool files: the published schema, the shipped examples, the import's refusals (each
says where, and nothing is imported), and the JSON round trip."""

import json

import pytest

from plugins.tool_builder import definition
from plugins.tool_builder.models import Tool
from plugins.tool_builder.tests.tool_files import EXAMPLES, example, import_file
from portal.plugin_api import CaseType, Role, db, process_problems


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_each_shipped_example_is_sound_and_maps_to_a_process_the_portal_accepts(path):
    document = json.loads(path.read_text(encoding="utf-8"))
    assert definition.problems(document) == []
    process = definition.to_process(document, 1)
    assert process_problems(process, "tool_builder") == []
    assert process.key == f"tool_builder.{document['slug']}"
    assert process.quotas and process.case_types


def test_the_schema_names_the_portal_s_case_types_and_auditor_roles():
    properties = definition.schema()["properties"]
    assert set(properties["case_types"]["items"]["enum"]) == {c.value for c in CaseType}
    roles = definition.schema()["$defs"]["quota"]["properties"]["auditor_roles"]["items"]["enum"]
    assert set(roles) == {r.value for r in Role} - {Role.ADMIN.value}


def test_the_schema_is_served_to_the_qa_lead(app, world, client, login_as, enable_plugins):
    enable_plugins("tool_builder")
    login_as("qa_lead")
    response = client.get("/tool_builder/schema.json")
    assert response.status_code == 200
    assert response.get_json()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert response.get_json() == definition.schema()


def _without(document, *path):
    """*document* with the field at *path* removed."""
    target = document
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    return document


REFUSALS = {
    "missing field": (
        lambda d: _without(d, "sections", 0, "title"),
        "$.sections[0]: &#39;title&#39; is a required property",
    ),
    "bad grade": (
        lambda d: d["grades"][1].update(key="Good!") or d,
        "$.grades[1].key: &#39;Good!&#39; does not match",
    ),
    "unknown rule": (
        lambda d: d.update(judgement={"rule": "best_section"}) or d,
        "$.judgement.rule: &#39;best_section&#39; is not one of",
    ),
    "duplicate section keys": (
        lambda d: d["sections"][1].update(key="plan") or d,
        "$.sections[1].key: another section has the key &#39;plan&#39;",
    ),
    "duplicate question keys": (
        lambda d: d["sections"][0]["questions"][1].update(key="plan_in_date") or d,
        "$.sections[0].questions[1].key: another question has the key &#39;plan_in_date&#39;",
    ),
    "too-long slug": (
        lambda d: d.update(slug="a_slug_far_too_long_for_the_key") or d,
        "$.slug: &#39;a_slug_far_too_long_for_the_key&#39; is too long",
    ),
    "unreachable rule": (
        lambda d: d["judgement"].update(sections=9) or d,
        "$.judgement.sections: the rule needs 9 sections at the top grade but the tool grades 4",
    ),
    "not JSON": (lambda d: '{"slug": "x",', "$: this is not JSON"),
}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_an_unsound_tool_file_imports_nothing_and_says_where(
    name, app, world, client, login_as, enable_plugins
):
    enable_plugins("tool_builder")
    login_as("qa_lead")
    spoil, message = REFUSALS[name]
    response = import_file(client, spoil(example()))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    assert "<title>Error: Import an audit tool" in page
    assert message in page
    with app.app_context():
        assert db.session.query(Tool).count() == 0


def test_an_example_imports_as_a_draft_then_a_second_import_of_the_slug_is_refused(
    app, world, client, login_as, enable_plugins
):
    enable_plugins("tool_builder")
    login_as("qa_lead")
    response = import_file(client, example("fostering_oversight_dip_sample"))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Fostering management oversight dip sample" in page
    assert "Publish version 1" in page
    response = import_file(client, example("fostering_oversight_dip_sample"))
    assert response.status_code == 400
    assert "a tool with the slug &#39;fostering_dip&#39; exists already" in response.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.query(Tool).count() == 1


def test_export_then_import_on_a_portal_without_it_gives_the_same_tool_and_process(
    app, world, client, login_as, enable_plugins
):
    enable_plugins("tool_builder")
    login_as("qa_lead")
    response = import_file(client, example())
    tool_path = response.headers["Location"]
    assert client.post_form(f"{tool_path}/publish", {}).status_code == 302
    exported = client.get(f"{tool_path}/export")
    assert exported.headers["Content-Disposition"].startswith("attachment")
    assert 'filename="case_review_dip.json"' in exported.headers["Content-Disposition"]
    with app.app_context():
        before = app.extensions["portal.plugins"].process("tool_builder.case_review_dip")
        assert before is not None
        tool = db.session.query(Tool).one()
        db.session.delete(tool)
        db.session.commit()
        assert db.session.query(Tool).count() == 0

    response = import_file(client, exported.get_data(as_text=True))
    assert response.status_code == 302
    assert client.post_form(f"{response.headers['Location']}/publish", {}).status_code == 302
    again = client.get(f"{response.headers['Location']}/export").get_json()
    assert again == exported.get_json()
    assert again == example()  # the shipped file, field for field
    with app.app_context():
        after = app.extensions["portal.plugins"].process("tool_builder.case_review_dip")
        assert after.form.to_json() == before.form.to_json()
        assert after.quotas == before.quotas
        assert after.suggest_judgement == before.suggest_judgement
        assert (after.due, after.moderation_share, after.case_types, after.services) == (
            before.due,
            before.moderation_share,
            before.case_types,
            before.services,
        )
