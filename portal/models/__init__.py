"""Every table of the core, importable from one place."""

from portal.models.audits import Audit, AuditAuditor, AuditStatus
from portal.models.cases import Case, CaseType
from portal.models.org import Agency, Service, Team
from portal.models.people import CASE_OVERSIGHT_ROLES, Role, User, UserRole
from portal.models.system import ActivityEntry, LoginAttempt, PluginState

__all__ = [
    "CASE_OVERSIGHT_ROLES",
    "ActivityEntry",
    "Agency",
    "Audit",
    "AuditAuditor",
    "AuditStatus",
    "Case",
    "CaseType",
    "LoginAttempt",
    "PluginState",
    "Role",
    "Service",
    "Team",
    "User",
    "UserRole",
]
