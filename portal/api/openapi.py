"""The OpenAPI 3.1 description of the API, written by hand and served at
``/api/v1/openapi.json``. Keep it in step with :mod:`portal.api.views` and with the
report's JSON keys (:data:`portal.reports.monthly.JSON_KEYS`); the tests compare them."""

from __future__ import annotations

from typing import Any

from portal.models import AuditStatus

VERSION = "1.0.0"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _counts(description: str) -> dict[str, Any]:
    """An object of whole numbers by key (service, grade, learning area...)."""
    return {
        "type": "object",
        "description": description,
        "additionalProperties": {"type": "integer", "minimum": 0},
    }


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


NULLABLE_STRING = {"type": ["string", "null"]}

AUDIT = {
    "type": "object",
    "required": [
        "id",
        "case_reference",
        "case_type",
        "team",
        "service",
        "process",
        "process_version",
        "status",
        "allocated_on",
        "due_on",
        "submitted_at",
        "auditor_grade",
        "record_grade",
        "moderated",
        "auditors",
    ],
    "properties": {
        "id": {"type": "integer", "description": "The audit's number in the portal."},
        "case_reference": {"type": "string", "description": "The case's reference."},
        "case_type": {"type": "string", "description": "The case type code, like CIN or CP."},
        "team": {"type": "string", "description": "The case's team."},
        "service": {"type": "string", "description": "The service the team belongs to."},
        "process": {
            "type": "string",
            "description": "The key of the audit tool (process): myaudit, or "
            "myplugin.dip_sample for a tool built at run time.",
        },
        "process_version": {"type": "string", "description": "The version of its form."},
        "status": {
            "type": "string",
            "enum": [stage.value for stage in AuditStatus],
        },
        "allocated_on": {"type": "string", "format": "date"},
        "due_on": {"type": "string", "format": "date"},
        "submitted_at": {
            **NULLABLE_STRING,
            "format": "date-time",
            "description": "When it was submitted (UTC); null before submission.",
        },
        "auditor_grade": {**NULLABLE_STRING, "description": "The auditor's overall grade."},
        "record_grade": {
            **NULLABLE_STRING,
            "description": "The grade of record: the moderator's where moderated, else the "
            "auditor's; null before submission.",
        },
        "moderated": {"type": "boolean", "description": "True once the QA lead moderated it."},
        "auditors": {
            "type": "array",
            "items": {"type": "string", "format": "email"},
            "description": "The email addresses of the auditors.",
        },
    },
}

AUDIT_PAGE = {
    "type": "object",
    "required": ["audits", "page", "per_page", "pages", "total", "next"],
    "properties": {
        "audits": {"type": "array", "items": _ref("Audit")},
        "page": {"type": "integer", "minimum": 1, "description": "This page's number."},
        "per_page": {
            "type": "integer",
            "minimum": 1,
            "maximum": 500,
            "description": "How many audits a page holds at most.",
        },
        "next": {
            **NULLABLE_STRING,
            "format": "uri",
            "description": "The address of the next page, every filter kept; null on the last.",
        },
        "pages": {
            "type": "integer",
            "minimum": 1,
            "description": "How many pages there are (1 when there are no audits).",
        },
        "total": {"type": "integer", "minimum": 0, "description": "How many audits match."},
    },
}

ACTION_FIGURES = {
    "type": "object",
    "required": ["created", "completed", "signed_off", "overdue", "weighted_progress"],
    "properties": {
        "created": {"type": "integer", "description": "Actions raised."},
        "completed": {"type": "integer", "description": "Actions completed by their owner."},
        "signed_off": {"type": "integer", "description": "Actions signed off by a manager."},
        "overdue": {"type": "integer", "description": "Open actions past their due date."},
        "weighted_progress": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "description": "Actions signed off as a share of those raised.",
        },
    },
}

TREND_MONTH = {
    "type": "object",
    "required": ["month", "completed", "grades", "services", "actions"],
    "properties": {
        "month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
        "completed": {"type": "integer", "description": "Audits completed in the month."},
        "grades": _counts("Audits completed by grade of record."),
        "services": _counts("Audits completed by service."),
        "actions": _counts("Actions created, completed and signed off in the month."),
    },
}

OUTSTANDING_EXAMPLE = {
    "type": "object",
    "description": "An audit graded Outstanding. For a case the token's user may not open, "
    "`audit_id`, `case_reference` and `submitted_on` are null, and `summary` is null unless "
    "the QA lead cleared it for sharing (anonymised) at moderation.",
    "properties": {
        "audit_id": {"type": ["integer", "null"]},
        "case_reference": {"type": ["string", "null"]},
        "process_key": {"type": "string"},
        "process_title": {"type": "string"},
        "service": {"type": "string"},
        "submitted_on": {"type": ["string", "null"], "format": "date"},
        "summary": {
            "type": ["string", "null"],
            "description": "The auditor's summary of the practice.",
        },
        "cleared_for_sharing": {
            "type": "boolean",
            "description": "The QA lead cleared the summary for sharing (anonymised).",
        },
    },
}

REAUDIT = {
    "type": "object",
    "description": "Re-audits of one audit tool given one judgement: before and after "
    "(no case is named).",
    "properties": {
        "process_key": {"type": "string"},
        "process_title": {"type": "string"},
        "previous_grade": {"type": "string", "description": "Always inadequate."},
        "grade": {"type": "string", "description": "The re-audits' grade of record."},
        "audits": {"type": "integer", "description": "How many re-audits had it."},
    },
}

SNAPSHOT = {
    "type": "object",
    "description": "When the report was built. A closed month's report is built once and "
    "stored; the current month's is provisional, rebuilt every few minutes.",
    "properties": {
        "built_at": {"type": "string", "format": "date-time"},
        "provisional": {"type": "boolean"},
        "note": {
            "type": ["string", "null"],
            "description": "Why the QA lead rebuilt a closed month's report, if they did.",
        },
    },
}

MONTHLY_REPORT = {
    "type": "object",
    "description": "The monthly learning report: council-wide figures for the month, "
    "and for the twelve months up to it.",
    "required": [
        "month",
        "audits_completed",
        "grade_distribution",
        "actions",
        "outstanding_examples",
        "learning_themes",
        "sections",
        "trend",
    ],
    "properties": {
        "month": {"type": "string", "pattern": r"^\d{4}-\d{2}$", "description": "YYYY-MM."},
        "as_of": {
            "type": "string",
            "format": "date",
            "description": "The day the figures stand on: the month's last day, or today.",
        },
        "audits_completed": _counts("Audits completed in the month, by service."),
        "grade_distribution": _counts("Audits completed in the month, by grade of record."),
        "actions": ACTION_FIGURES,
        "outstanding_examples": {
            "type": "array",
            "items": OUTSTANDING_EXAMPLE,
            "description": "Examples of outstanding practice in the month (the first few).",
        },
        "outstanding_total": {
            "type": "integer",
            "description": "How many audits of the month were graded outstanding.",
        },
        "learning_themes": _counts("Findings of the month tagged with each learning area."),
        "learning_followups": {
            "type": "object",
            "description": "Learning themes given an owner and open at some time in the month "
            "(the first 50 of *total*), with the latest change recorded by the month's end.",
            "properties": {
                "total": {"type": "integer"},
                "items": {"type": "array", "items": {"type": "object"}},
            },
        },
        "equality": {
            "type": "object",
            "description": "Equality of access: grades, outcomes and family participation "
            "over the twelve months (from, to), by the child's age band, sex, ethnicity and "
            "disability. A count from 1 to 4 is the text 'fewer than 5'; a count withheld "
            "so that it cannot be worked out from the totals is 'withheld'. Absent from "
            "reports stored before the section existed.",
            "properties": {
                "from": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
                "to": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
                "threshold": {"type": "integer"},
                "tables": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "measure": {
                                "type": "string",
                                "enum": ["grades", "outcome", "participation"],
                            },
                            "characteristic": {
                                "type": "string",
                                "enum": ["age_band", "sex", "ethnicity", "disability"],
                            },
                            "title": {"type": "string"},
                            "head": {"type": "array", "items": {"type": "string"}},
                            "rows": {
                                "type": "array",
                                "items": {
                                    "type": "array",
                                    "items": {"type": ["string", "integer"]},
                                },
                            },
                        },
                    },
                },
            },
        },
        "reaudits": {
            "type": "array",
            "items": REAUDIT,
            "description": "The audits of the month that re-audited a case whose previous "
            "audit of the same process was graded Inadequate, counted by audit tool and "
            "judgement, in audit tool key order.",
        },
        "sections": {
            "type": "object",
            "description": "Each enabled audit tool's own section, by the tool's key.",
            "additionalProperties": {"type": "object"},
        },
        "trend": {
            "type": "array",
            "items": TREND_MONTH,
            "description": "The twelve months up to the report's, oldest first.",
        },
        "cumulative": {
            "type": "object",
            "description": "The same figures summed over the twelve months.",
            "properties": {
                "from": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
                "to": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
                "audits_completed": _counts("By service."),
                "grade_distribution": _counts("By grade of record."),
                "actions": ACTION_FIGURES,
                "learning_themes": _counts("By learning area."),
            },
        },
        "snapshot": SNAPSHOT,
        "labels": {
            "type": "object",
            "description": "How staff read the keys of grades and learning areas.",
            "properties": {
                "grades": {"type": "object", "additionalProperties": {"type": "string"}},
                "learning_areas": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
    },
}

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string", "description": "What went wrong."}},
}

UNAUTHORISED = {
    **_error_response(
        "No token, a malformed or unknown token, a revoked one, or one whose user's account "
        "is inactive."
    ),
    "headers": {
        "WWW-Authenticate": {
            "description": "A `Bearer` challenge.",
            "schema": {"type": "string"},
        }
    },
}


def openapi_document(base_url: str) -> dict[str, Any]:
    """The OpenAPI 3.1 description, its server being *base_url* (a path on this host)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "QA & Learning Portal API",
            "version": VERSION,
            "description": "Read-only data for the council's BI tools, such as Power BI. "
            "Send an API token, issued by a portal administrator, as "
            "`Authorization: Bearer <token>`. A token sees only what its user may see "
            "in the portal.",
        },
        "servers": [{"url": base_url}],
        "security": [{"bearerToken": []}],
        "paths": {
            "/audits": {
                "get": {
                    "operationId": "listAudits",
                    "summary": "The audits the token's user may see",
                    "description": "Oldest first, 500 a page unless per_page asks for fewer. "
                    "Follow next until it is null; a page past the last is empty.",
                    "parameters": [
                        _query(
                            "from",
                            "Only audits allocated on or after this day (YYYY-MM-DD).",
                            {"type": "string", "format": "date"},
                        ),
                        _query(
                            "to",
                            "Only audits allocated on or before this day (YYYY-MM-DD).",
                            {"type": "string", "format": "date"},
                        ),
                        _query(
                            "status", "Only audits at this stage.", AUDIT["properties"]["status"]
                        ),
                        _query(
                            "process",
                            "Only audits of this audit tool (its key): a coded tool's key, "
                            "like myaudit, or a tool built at run time, keyed with its "
                            "plugin's key, a dot and a name, like myplugin.dip_sample.",
                            {"type": "string"},
                        ),
                        _query("page", "The page, from 1.", {"type": "integer", "minimum": 1}),
                        _query(
                            "per_page",
                            "How many audits a page holds, from 1 to 500 (the default).",
                            {"type": "integer", "minimum": 1, "maximum": 500},
                        ),
                    ],
                    "responses": {
                        "200": {
                            "description": "One page of audits.",
                            "content": {"application/json": {"schema": _ref("AuditPage")}},
                        },
                        "400": _error_response("A parameter is not valid; the error says which."),
                        "401": UNAUTHORISED,
                    },
                }
            },
            "/reports/monthly": {
                "get": {
                    "operationId": "monthlyReport",
                    "summary": "The monthly learning report",
                    "description": "For the QA team, the safeguarding unit and senior "
                    "managers: the roles that read the report in the portal. A closed month "
                    "is served as stored when it closed; an example of a case the token's "
                    "user may not open shows no reference.",
                    "parameters": [
                        _query(
                            "month",
                            "The month (YYYY-MM); by default the last complete month.",
                            {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
                        )
                    ],
                    "responses": {
                        "200": {
                            "description": "The report.",
                            "content": {"application/json": {"schema": _ref("MonthlyReport")}},
                        },
                        "400": _error_response("The month is malformed or in the future."),
                        "401": UNAUTHORISED,
                        "403": _error_response("The token's user may not read the report."),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This description",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "The OpenAPI 3.1 description of the API.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token (it starts qap_) issued by an administrator.",
                }
            },
            "schemas": {
                "Audit": AUDIT,
                "AuditPage": AUDIT_PAGE,
                "MonthlyReport": MONTHLY_REPORT,
                "Error": ERROR,
            },
        },
    }
