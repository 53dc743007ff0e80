"""The retention page: the closed cases whose retention period has run (50 a page), and
the administrator's confirmed erasure (see :mod:`portal.retention`)."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block
from wtforms.validators import ValidationError

from portal.admin import bp
from portal.admin.forms import RetentionEraseForm
from portal.extensions import db
from portal.models import Role
from portal.paging import paginate, wants_fragment
from portal.permissions import roles_required
from portal.retention import closed_on_or_before, due_cases, due_count, erase_due
from portal.timeutil import today_london, utcnow

TEMPLATE = "admin/retention.html"
RESULTS_ID = "retention-results"


def _page(form: RetentionEraseForm, status: int = 200):
    today = today_london()
    years = current_app.config["RETENTION_YEARS_AFTER_CLOSURE"]
    page = paginate(due_cases(today, years))
    if wants_fragment(RESULTS_ID):
        return render_block(TEMPLATE, "results", page=page)
    form.due.data = str(page.total)
    return render_template(
        TEMPLATE,
        title="Records retention",
        page=page,
        years=years,
        cutoff=closed_on_or_before(today, years),
        form=form,
    ), status


@bp.route("/retention")
@roles_required(Role.ADMIN)
def retention():
    """The cases due for erasure today: reference, type and closing date only."""
    return _page(RetentionEraseForm(formdata=None))


@bp.post("/retention")
@roles_required(Role.ADMIN)
def erase_records():
    """Erase every due case once the administrator has ticked the confirmation; a list that
    changed since the page was shown is shown again with nothing erased."""
    form = RetentionEraseForm()
    today = today_london()
    years = current_app.config["RETENTION_YEARS_AFTER_CLOSURE"]

    def same_list(form: RetentionEraseForm, field) -> None:
        if form.due.data != str(due_count(today, years)):
            raise ValidationError("The list changed since you opened it: check it again")

    if not form.validate(extra_validators={"confirm": [same_list]}):
        return _page(form, 400)
    counts = erase_due(today, years, utcnow(), current_user.id)
    db.session.commit()
    erased = counts.get("cases", 0)
    flash(f"The records of {erased} {'case' if erased == 1 else 'cases'} were erased.", "success")
    return redirect(url_for("admin.retention"))
