"""Report circulation, for any report: the QA lead's commentary (key messages, learning,
recommendations) saved as a draft, approved by an assistant director once the report's
period is over, then emailed as an anonymised PDF to a distribution list the QA lead
keeps, each circulation recorded in the report's history.

The core's monthly learning report and the plugins' reports (``portal_circulated_reports``)
use the same service: :mod:`~portal.circulation.registry` finds the reports,
:mod:`~portal.circulation.commentary` holds the rules, :mod:`~portal.circulation.lists`
the distribution lists, :mod:`~portal.circulation.mail` the email, and
:mod:`~portal.circulation.views` the pages.
"""

from portal.models import Role

#: Who writes the commentary, keeps the distribution lists and circulates the report.
WRITERS = (Role.QA_LEAD,)
#: Who approves the commentary (never their own draft).
APPROVERS = (Role.ASSISTANT_DIRECTOR,)
#: Who sees a draft commentary and the circulation page.
DRAFT_READERS = WRITERS + APPROVERS
