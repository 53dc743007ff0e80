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
from portal.models.cases import Case, CaseFlag, CaseType
from portal.models.circulation import DistributionList, ReportCirculation, ReportCommentary
from portal.models.learning import LearningChange, LearningFollowUp
from portal.models.moderation import (
    ApiToken,
    AuditLearning,
    JointJudgement,
    LearningArea,
    Moderation,
    ModerationShare,
)
from portal.models.notices import Notification, SafeguardingConcern
from portal.models.org import Agency, Service, Team
from portal.models.people import CASE_OVERSIGHT_ROLES, Role, SignOnGroupRole, User, UserRole
from portal.models.reports import ReportSnapshot
from portal.models.scheduling import JobRun, MonthlySelection, ThemeMonth
from portal.models.system import (
    AccessLogEntry,
    ActivityEntry,
    FlashMessage,
    LoginAttempt,
    PluginState,
)

__all__ = [
    "CASE_OVERSIGHT_ROLES",
    "AccessLogEntry",
    "Action",
    "ActionStatus",
    "ActivityEntry",
    "Agency",
    "ApiToken",
    "Audit",
    "AuditAnswer",
    "AuditAuditor",
    "AuditComment",
    "AuditForm",
    "AuditLearning",
    "AuditRevision",
    "AuditStatus",
    "Case",
    "CaseFlag",
    "CaseType",
    "DistributionList",
    "FlashMessage",
    "JobRun",
    "JointJudgement",
    "LearningArea",
    "LearningChange",
    "LearningFollowUp",
    "LoginAttempt",
    "Moderation",
    "ModerationShare",
    "MonthlySelection",
    "Notification",
    "PluginState",
    "Priority",
    "ReportCirculation",
    "ReportCommentary",
    "ReportSnapshot",
    "Role",
    "SafeguardingConcern",
    "Service",
    "SignOnGroupRole",
    "Team",
    "ThemeMonth",
    "User",
    "UserRole",
]
