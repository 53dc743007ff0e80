"""The management oversight dip sample of CIN, CP and CLA cases: its form and quota.

Section 5 of the council's Quality Assurance and Learning Framework: "The appendix
contains dip sampling tools to aid management oversight of case files. One tool assists in
case review of CIN, CP and CLA cases." A dip sample is shorter than the case file audit: a
manager checks that the case is held safely (visits, plan, records, supervision, drift)
and gives direction, which the worker's own manager follows up.
"""

from plugins.management_oversight.grading import (
    DRIFT,
    SUPERVISION,
    UNCHALLENGED_DRIFT,
    VISITS,
    VISITS_IN_TIME,
    actions_required,
    extra_checks,
    suggest_judgement,
)
from portal.plugin_api import OFSTED_GRADES, AuditProcess, DueRule, Question, Quota, Role, Section

DATE_HINT = "For example, 27 3 2026"

VISITS_SECTION = Section(
    key=VISITS,
    title="Visits and seeing the child",
    guidance=(
        "The child is visited as often as their plan and the regulations require (a child "
        "protection plan at least every 10 working days; a child looked after at least every "
        "6 weeks in the first year of a placement; a child in need as the plan sets), is seen "
        "alone where their age and understanding allow, and the visit records say what the "
        "child said and how they seemed. An Inadequate grade here makes the whole case "
        "Inadequate."
    ),
    questions=(
        Question(
            key="in_timescale",
            label="Were the visits within the timescale the plan and the regulations set?",
            kind="choice",
            choices=(
                (VISITS_IN_TIME, "Yes"),
                ("mostly", "Mostly: one visit was late"),
                ("no", "No"),
            ),
            hint="When they were not, add an action to this section, whatever its grade.",
        ),
        Question(
            key="last_visit_on",
            label="When was the child last visited?",
            kind="date",
            hint=f"The date of the latest visit record. {DATE_HINT}",
        ),
        Question(
            key="seen_alone",
            label="Was the child seen alone at the last visit?",
            kind="choice",
            choices=(
                ("yes", "Yes"),
                ("not_appropriate", "Not appropriate for the child's age or understanding"),
                ("no", "No"),
            ),
        ),
    ),
    evidence_hint=(
        "Visit records: their dates against the plan, whether the child was seen alone, and "
        "the child's words and presentation."
    ),
)

PLAN = Section(
    key="plan",
    title="Plan and progress",
    guidance=(
        "The child has a current child in need, child protection or care plan that says what "
        "must change, who does what and by when. It is reviewed on time (child in need "
        "reviews, core groups and conferences, looked after reviews) and the reviews record "
        "progress for the child, not only tasks done."
    ),
    questions=(
        Question(
            key="reviewed_in_time",
            label="Was the plan's last review on time?",
            kind="choice",
            choices=(("yes", "Yes"), ("no", "No")),
        ),
    ),
    evidence_hint=(
        "The current plan and its last review: is it specific, owned and timed, and does the "
        "review show progress?"
    ),
)

RECORDS = Section(
    key="records",
    title="Case records and chronology",
    guidance=(
        "Case notes are up to date and say why each contact happened and what came of it; the "
        "chronology holds the significant events and the case summary is current."
    ),
    evidence_hint="Case notes, chronology and summary: are they current and purposeful?",
)

SUPERVISION_SECTION = Section(
    key=SUPERVISION,
    title="Supervision and management direction",
    guidance=(
        "The case is discussed in regular, reflective supervision, as the supervision policy "
        "sets, and the manager's direction is recorded with reasons and timescales, then "
        "checked at the next supervision."
    ),
    questions=(
        Question(
            key="last_supervision_on",
            label="When was the case last discussed in supervision?",
            kind="date",
            hint=f"The date on the latest supervision record. {DATE_HINT}",
        ),
    ),
    evidence_hint=(
        "Supervision records: are they regular and reflective, and is the direction recorded "
        "and followed up?"
    ),
)

DRIFT_SECTION = Section(
    key=DRIFT,
    title="Drift and delay",
    guidance=(
        "The work moves at the child's pace, not the system's: actions are done when the plan "
        "says, and where they are not the delay is noticed and challenged by the manager. "
        "Unchallenged drift holds the case at Requires improvement at best and needs an "
        "action."
    ),
    questions=(
        Question(
            key="drift_found",
            label="Did the dip sample find drift or delay?",
            kind="choice",
            choices=(
                ("none", "No drift or delay"),
                ("challenged", "Yes, and the manager had already challenged it"),
                (UNCHALLENGED_DRIFT, "Yes, and nobody had challenged it"),
            ),
        ),
    ),
    evidence_hint="The plan's actions against their dates: what slipped, and who noticed?",
)

DIRECTION = Section(
    key="direction",
    title="Direction from this dip sample",
    graded=False,
    guidance=(
        "What the worker and their manager must do now, in the manager's own words. The "
        "actions carry the owners and due dates; this is the direction in full."
    ),
    questions=(
        Question(key="direction", label="What direction do you give on this case?"),
        Question(
            key="discussed",
            label="Have you discussed the dip sample with the worker or their manager?",
            kind="choice",
            choices=(
                ("yes", "Yes"),
                ("arranged", "Not yet: a discussion is arranged"),
            ),
        ),
    ),
)

MANAGEMENT_OVERSIGHT = AuditProcess(
    key="management_oversight",
    title="Management oversight dip sample",
    version="1",
    sections=(VISITS_SECTION, PLAN, RECORDS, SUPERVISION_SECTION, DRIFT_SECTION, DIRECTION),
    services=("CSC",),
    case_types=("CIN", "CP", "CLA"),
    grades=OFSTED_GRADES,
    due=DueRule(working_days=10),
    suggest_judgement=suggest_judgement,
    actions_required=actions_required,
    extra_checks=extra_checks,
    # The QA lead moderates a quarter of the dip samples: they are managers' own checks.
    moderation_share=0.25,
    quotas=(
        # The core keeps a manager off the cases they hold and the teams they manage.
        Quota(
            name="Each CSC service manager and head of service dip-samples one CIN, CP or "
            "CLA case a month",
            auditor_roles=(Role.SERVICE_MANAGER.value, Role.HEAD_OF_SERVICE.value),
            per_auditor=1,
            auditor_agency="CSC",
        ),
    ),
)
