"""Management oversight of fostering cases: its form and quota.

Section 5 of the council's Quality Assurance and Learning Framework: "The appendix
contains dip sampling tools to aid management oversight of case files. ... The other
supports management oversight of Fostering cases." A fostering case is a fostering
household: the foster carers and their supervising social worker. The sections follow the
Fostering Services National Minimum Standards: supervision of the carers, unannounced
visits, the annual review of their approval, their training and development, and safer
caring.
"""

from plugins.fostering_oversight.grading import (
    ANNUAL_REVIEW,
    NO_UNANNOUNCED,
    SAFER_CARING,
    UNANNOUNCED,
    VISITS,
    actions_required,
    extra_checks,
    suggest_judgement,
)
from portal.plugin_api import OFSTED_GRADES, AuditProcess, DueRule, Question, Quota, Role, Section

DATE_HINT = "For example, 27 3 2026"

SUPERVISORY_VISITS = Section(
    key=VISITS,
    title="Supervising social worker visits",
    guidance=(
        "The supervising social worker visits the carers as often as the fostering service's "
        "policy sets (at least monthly in the first year of approval), and each visit is a "
        "recorded supervision: the children's progress, the carers' wellbeing and support "
        "needs, and any concern, with actions. The children in the household are seen. An "
        "Inadequate grade here makes the whole case Inadequate."
    ),
    questions=(
        Question(
            key="as_often_as_policy",
            label="Did the supervising social worker visit as often as the policy sets?",
            kind="choice",
            choices=(
                ("yes", "Yes"),
                ("mostly", "Mostly: one visit was late"),
                ("no", "No"),
            ),
        ),
        Question(
            key="last_visit_on",
            label="When was the last supervisory visit?",
            kind="date",
            hint=f"The date of the latest supervision record. {DATE_HINT}",
        ),
    ),
    evidence_hint=(
        "Supervision records of the carers: their dates against the policy, and whether they "
        "cover the children, the carers' wellbeing and the actions agreed."
    ),
)

UNANNOUNCED_VISITS = Section(
    key=UNANNOUNCED,
    title="Unannounced visits",
    guidance=(
        "At least one unannounced visit is made to the household every year, recorded with "
        "what was seen of the home and the children. No unannounced visit in the last 12 "
        "months holds the case at Requires improvement at best and needs an action."
    ),
    questions=(
        Question(
            key="in_last_year",
            label="Was there an unannounced visit in the last 12 months?",
            kind="choice",
            choices=(("yes", "Yes"), (NO_UNANNOUNCED, "No")),
            hint="When there was none, add an action to this section, whatever its grade.",
        ),
        Question(
            key="last_unannounced_on",
            label="When was the last unannounced visit?",
            kind="date",
            hint=f"Leave it empty when the file records none. {DATE_HINT}",
            required=False,
        ),
    ),
    evidence_hint="The record of the unannounced visit: when, who was there, what was seen.",
)

REVIEW = Section(
    key=ANNUAL_REVIEW,
    title="Annual review of approval",
    guidance=(
        "The carers' approval is reviewed at least once a year, with the views of the carers, "
        "the children placed, their social workers and the supervising social worker, and the "
        "first review goes to the fostering panel. A review more than a year ago needs an "
        "action."
    ),
    questions=(
        Question(
            key="last_review_on",
            label="When was the last annual review?",
            kind="date",
            hint=f"The date of the review meeting. {DATE_HINT}",
        ),
        Question(
            key="children_views",
            label="Did the review hear the views of the children placed?",
            kind="choice",
            choices=(("yes", "Yes"), ("no", "No")),
        ),
    ),
    evidence_hint=(
        "The review report: is it on time, does it gather the views it should, and are its "
        "recommendations followed up?"
    ),
)

TRAINING = Section(
    key="training",
    title="Training and development",
    guidance=(
        "The carers complete the Training, Support and Development Standards within 12 months "
        "of approval (18 months for family and friends carers) and keep a personal "
        "development plan, with the training it names done."
    ),
    questions=(
        Question(
            key="tsd_standards",
            label="Have the carers completed the Training, Support and Development Standards?",
            kind="choice",
            choices=(
                ("completed", "Yes, completed"),
                ("in_time", "Not yet, but within the timescale"),
                ("overdue", "No, and the timescale has passed"),
            ),
        ),
    ),
    evidence_hint="The carers' training record and development plan: what is done and due?",
)

SAFER_CARING_SECTION = Section(
    key=SAFER_CARING,
    title="Safer caring",
    guidance=(
        "The household has a safer caring policy that fits each child placed: it is written "
        "with the carers, reviewed when a child arrives and at least yearly, and known to "
        "everyone in the home. An Inadequate grade here makes the whole case Inadequate."
    ),
    questions=(
        Question(
            key="plan_current",
            label="Is the household's safer caring policy current?",
            kind="choice",
            choices=(
                ("yes", "Yes, reviewed for the children placed now"),
                ("out_of_date", "There is one, but it is out of date"),
                ("none", "There is none"),
            ),
        ),
    ),
    evidence_hint=(
        "The safer caring policy: when was it reviewed, and does it fit the children placed now?"
    ),
)

DIRECTION = Section(
    key="direction",
    title="Direction from this review",
    graded=False,
    guidance=(
        "What the supervising social worker and their manager must do now, in your own words. "
        "The actions carry the owners and due dates; this is the direction in full."
    ),
    questions=(Question(key="direction", label="What direction do you give on this household?"),),
)

FOSTERING_OVERSIGHT = AuditProcess(
    key="fostering_oversight",
    title="Fostering management oversight",
    version="1",
    sections=(
        SUPERVISORY_VISITS,
        UNANNOUNCED_VISITS,
        REVIEW,
        TRAINING,
        SAFER_CARING_SECTION,
        DIRECTION,
    ),
    services=("CSC",),
    case_types=("FOSTERING",),
    grades=OFSTED_GRADES,
    due=DueRule(working_days=15),
    suggest_judgement=suggest_judgement,
    actions_required=actions_required,
    extra_checks=extra_checks,
    quotas=(
        # Shared out among the CSC team managers; the core keeps the fostering team's own
        # manager off its households.
        Quota(
            name="Two fostering households a month, reviewed by CSC team managers",
            auditor_roles=(Role.TEAM_MANAGER.value,),
            total=2,
            auditor_agency="CSC",
        ),
    ),
)
