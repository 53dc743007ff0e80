"""The staff import (administrators): upload the staff directory's CSV export, check it
(a dry run shows what it would do), import it, and see the leavers' open work to
reallocate."""

from __future__ import annotations

from pathlib import PureWindowsPath

from flask import render_template
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovFileInput, GovSubmitInput
from wtforms import BooleanField, SubmitField

from portal.admin import bp
from portal.extensions import db
from portal.models import Role
from portal.permissions import roles_required
from portal.plugins import plugin_host
from portal.staff.importer import COLUMNS, REQUIRED_COLUMNS, import_staff_file


class StaffImportForm(FlaskForm):
    """The staff directory's CSV export, and how to read it."""

    file = FileField(
        "Upload a file",
        widget=GovFileInput(),
        description=(
            f"A CSV file with a header row. Required columns: {', '.join(REQUIRED_COLUMNS)}. "
            f"Optional columns: {', '.join(c for c in COLUMNS if c not in REQUIRED_COLUMNS)}."
        ),
        validators=[
            FileRequired(message="Select a CSV file"),
            FileAllowed(["csv"], message="The selected file must be a CSV"),
        ],
    )
    deactivate_missing = BooleanField(
        "This file is the whole staff directory: deactivate anyone not in it",
        widget=GovCheckboxInput(),
        description="Administrators are never deactivated this way.",
    )
    check_only = BooleanField(
        "Check the file and show what it would do, without importing it",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Import staff", widget=GovSubmitInput())


@bp.route("/staff-import", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def staff_import():
    """Import (or check) the staff directory; a file with any bad row imports nothing."""
    form = StaffImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        report = import_staff_file(
            db.session,
            upload.read(),
            PureWindowsPath(upload.filename).name,
            actor_id=current_user.id,
            deactivate_missing=form.deactivate_missing.data,
            dry_run=form.check_only.data,
        )
        if report.errors or report.dry_run:
            db.session.rollback()
        else:
            db.session.commit()
        if report.errors:
            count = report.bad_line_count
            rows = "1 row" if count == 1 else f"{count} rows"
            form.file.errors.append(
                f"The selected file has errors on {rows}. Nothing was imported. "
                "Correct the file and upload it again"
            )
    host = plugin_host()
    titles = {process.key: process.title for process in host.enabled_processes()}
    return render_template(
        "admin/staff_import.html",
        title="Import staff",
        form=form,
        report=report,
        process_titles=titles,
        roles=[role for role in Role if role is not Role.ADMIN],
    ), (400 if form.errors else 200)
