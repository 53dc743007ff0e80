"""Learning reports: the monthly report of audits, grades, actions and learning, with the
sections the enabled plugins add; shown as a page and exported to PDF, CSV, Excel and JSON.
The pages are in :mod:`portal.reports.views`."""

from portal.models import Role

#: Who reads the learning reports: the QA team, the safeguarding unit and senior managers.
REPORT_ROLES = (
    Role.QA_LEAD,
    Role.QA_ADMIN,
    Role.SAFEGUARDING_UNIT,
    Role.HEAD_OF_SERVICE,
    Role.MASH_HEAD_OF_SERVICE,
    Role.SERVICE_MANAGER,
    Role.ASSISTANT_DIRECTOR,
)

#: The monthly report's kind in ``portal.circulation`` (its commentary and circulations).
CIRCULATION_KIND = "monthly"
