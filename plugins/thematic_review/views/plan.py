"""The pages of the SMART action plans: the QA lead adds an action to a review's plan; the
rolling action plan lists every review's actions; an action's page shows its progress, which
its owner (or the QA lead) records until it is done.

The rolling plan is for those who monitor it and the owners of its actions (``access``).
Bad input shows the GOV.UK error summary with status 400 and changes nothing.
"""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from plugins.thematic_review import access, plan, reviews
from plugins.thematic_review.blueprint import bp
from plugins.thematic_review.forms import PlanItemForm, ProgressForm, people_choices, show_error
from plugins.thematic_review.models import PlanItem
from plugins.thematic_review.reviews import ReviewError
from plugins.thematic_review.views.shared import saved
from portal.plugin_api import Role, User, db, paginate, roles_required, today_london, wants_fragment

PLAN_RESULTS = "plan-results"


@bp.route("/<int:review_id>/plan/new", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def new_plan_item(review_id: int):
    """Add a SMART action to the review's plan."""
    review = access.review_or_404(review_id, current_user)
    form = PlanItemForm()
    form.owner_id.choices = people_choices(reviews.staff(), "Choose the owner")
    if form.validate_on_submit():
        owner = db.session.get(User, form.owner_id.data)
        try:
            plan.add_item(
                review,
                form.action.data,
                owner,
                form.measure.data,
                form.due_on.data,
                current_user,
                today_london(),
            )
        except ReviewError as error:
            db.session.rollback()
            show_error(form, error, "action")
        else:
            return saved(
                "The action is added to the plan.",
                url_for("thematic_review.review_page", review_id=review.id, _anchor="plan"),
            )
    return render_template(
        "thematic_review/plan/new.html", title="Add an action to the plan", review=review, form=form
    ), 400 if form.errors else 200


@bp.route("/plan")
def rolling_plan():
    """The rolling action plan: every review's actions, with progress; overdue ones flagged.

    50 to a page, open ones first; the counts come from one aggregate statement.
    """
    access.allow(access.can_read_plan(current_user))
    query, today = plan.rolling_plan(current_user), today_london()
    context = {
        "title": "Rolling action plan",
        "page": paginate(query),
        "today": today,
        "overdue": plan.is_overdue,
        "counts": plan.plan_counts(query, today),
    }
    template = "thematic_review/plan/index.html"
    if wants_fragment(PLAN_RESULTS):
        return render_block(template, "results", **context)
    return render_template(template, **context)


@bp.route("/plan/<int:item_id>", methods=["GET", "POST"])
def plan_item(item_id: int):
    """An action of the plan and its progress; its owner or the QA lead records progress."""
    item = db.get_or_404(PlanItem, item_id)
    access.allow(access.can_see_plan_item(current_user, item))
    may_update = access.can_update_plan_item(current_user, item) and item.status == plan.OPEN
    form = ProgressForm()
    if request.method == "POST":
        if not may_update:
            abort(403 if item.status == plan.OPEN else 409)
        if form.validate_on_submit():
            plan.record_progress(item, form.progress.data, form.done.data, current_user)
            return saved(
                "The action is done." if form.done.data else "The progress is recorded.",
                url_for("thematic_review.plan_item", item_id=item.id),
            )
    return render_template(
        "thematic_review/plan/item.html",
        title="Action from a thematic review",
        item=item,
        form=form,
        may_update=may_update,
        may_see_review=access.can_see_review(current_user, item.review),
        overdue=plan.is_overdue(item, today_london()),
    ), 400 if form.errors else 200
