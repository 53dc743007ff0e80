"""Every table of the core, importable from one place."""

from portal.models.actions import Action, ActionStatus, Priority
from portal.models.audits import (
    Audit,
    AuditAnswer,
    AuditAuditor,
    AuditComment,
    AuditForm,
    AuditRevision,
    AuditStatus,
)
from portal.models.cases import Case, CaseType
from portal.models.notices import Notification, SafeguardingConcern
from portal.models.org import Agency, Service, Team
from portal.models.people import CASE_OVERSIGHT_ROLES, Role, User, UserRole
from portal.models.system import ActivityEntry, LoginAttempt, PluginState

__all__ = [
    "CASE_OVERSIGHT_ROLES",
    "Action",
    "ActionStatus",
    "ActivityEntry",
    "Agency",
    "Audit",
    "AuditAnswer",
    "AuditAuditor",
    "AuditComment",
    "AuditForm",
    "AuditRevision",
    "AuditStatus",
    "Case",
    "CaseType",
    "LoginAttempt",
    "Notification",
    "PluginState",
    "Priority",
    "Role",
    "SafeguardingConcern",
    "Service",
    "Team",
    "User",
    "UserRole",
]
