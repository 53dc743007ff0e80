"""The Section 47 enquiry audit: its form, grade scale, due rule and quota.

Section 5 of the council's Quality Assurance and Learning Framework: "Also contained within
the appendix is a tool to support audit of S.47 enquiries" (Appendix 5, Audit Tools). The
form follows the enquiry as Working Together to Safeguard Children sets it out: the
strategy discussion, the timeliness of the enquiry, seeing the child, the information
gathered from the agencies, the outcome and the plan, and management oversight. Each is
graded against the Ofsted descriptors of the framework.
"""

from plugins.s47_audit.grading import (
    MULTI_AGENCY,
    NOT_SEEN,
    OUTCOME,
    SEEING_CHILD,
    SEEN_IN_TIME,
    actions_required,
    extra_checks,
    suggest_judgement,
)
from portal.plugin_api import OFSTED_GRADES, AuditProcess, DueRule, Question, Quota, Role, Section

DATE_HINT = "For example, 27 3 2026"

STRATEGY = Section(
    key="strategy",
    title="Strategy discussion",
    guidance=(
        "A strategy discussion is held as soon as there is reasonable cause to suspect that a "
        "child is suffering, or likely to suffer, significant harm. Children's social care, "
        "the police and health take part, with the referrer and other agencies as needed. It "
        "decides whether to start a section 47 enquiry, what immediate safety the child "
        "needs, who will do what, and when the child will be seen."
    ),
    questions=(
        Question(
            key="held_on",
            label="When was the strategy discussion held?",
            kind="date",
            hint=f"The date on the strategy discussion record. {DATE_HINT}",
        ),
        Question(
            key="attendance",
            label="Who took part?",
            kind="choice",
            choices=(
                ("csc_police_health", "Children's social care, police and health"),
                ("csc_police", "Children's social care and police, not health"),
                ("csc_only", "Children's social care only"),
            ),
        ),
    ),
    evidence_hint=(
        "The strategy discussion record: was it held promptly, were the right agencies there, "
        "and are the decisions, the immediate safety plan and the timescale to see the child "
        "recorded?"
    ),
)

TIMELINESS = Section(
    key="timeliness",
    title="Timeliness of the enquiry",
    guidance=(
        "The enquiry starts as soon as the strategy discussion decides on it and keeps to the "
        "timescales: the child seen within the timescale set, the assessment completed within "
        "45 working days of the referral, and an initial child protection conference, where "
        "one is needed, within 15 working days of the strategy discussion. Delay is explained "
        "and agreed by a manager."
    ),
    questions=(
        Question(
            key="in_timescale",
            label="Were the enquiry's timescales kept?",
            kind="choice",
            choices=(
                ("yes", "Yes, every timescale was kept"),
                ("explained", "No, but the delay was explained and agreed by a manager"),
                ("no", "No, and the delay was not explained"),
            ),
        ),
    ),
    evidence_hint=(
        "The dates of the referral, the strategy discussion, the visits, the assessment and "
        "any conference: were the timescales kept, and is any delay explained?"
    ),
)

THE_CHILD = Section(
    key=SEEING_CHILD,
    title="Seeing the child",
    guidance=(
        "The child is seen, and spoken to alone where their age and understanding allow, "
        "within the timescale the strategy discussion set. What the child says and shows is "
        "recorded in their own words and weighs in the analysis. An Inadequate grade here "
        "makes the whole audit Inadequate; a child not seen within the timescale holds it at "
        "Requires improvement at best and needs an action."
    ),
    questions=(
        Question(
            key="child_seen",
            label="Was the child seen within the timescale the strategy discussion set?",
            kind="choice",
            choices=(
                (SEEN_IN_TIME, "Yes, within the timescale"),
                ("late", "Yes, but later than the timescale"),
                (NOT_SEEN, "No, the child was not seen"),
            ),
            hint="When the child was not seen within the timescale, add an action to this "
            "section, whatever its grade.",
        ),
        Question(
            key="seen_on",
            label="When was the child first seen in the enquiry?",
            kind="date",
            hint=f"The date of the first visit that saw the child; empty when the child was "
            f"not seen. {DATE_HINT}",
            required=False,
        ),
        Question(
            key="seen_alone",
            label="Was the child spoken to alone?",
            kind="choice",
            choices=(
                ("yes", "Yes"),
                ("not_appropriate", "Not appropriate for the child's age or understanding"),
                ("no", "No"),
            ),
        ),
        Question(
            key="child_words",
            label="What did the child say or show?",
            hint="In the child's own words where the record has them.",
        ),
    ),
    evidence_hint=(
        "Visit records: when the child was seen, whether alone, what they said, and how it "
        "shaped the enquiry."
    ),
)

AGENCIES = Section(
    key=MULTI_AGENCY,
    title="Multi-agency information",
    guidance=(
        "Information is gathered from every agency that knows the child and the family (the "
        "police, health, the school, and others such as housing or adult services) and "
        "analysed, not just listed. The parents are told about the enquiry and their consent "
        "to information sharing is sought, unless seeking it would put the child at greater "
        "risk, and the reason is recorded."
    ),
    questions=(
        Question(
            key="agencies",
            label="Did every agency that knows the family contribute?",
            kind="choice",
            choices=(
                ("all", "Yes, every relevant agency"),
                ("some", "Some agencies, not all"),
                ("none", "No agency besides children's social care"),
            ),
        ),
        Question(
            key="consent",
            label="Was the parents' consent to information sharing sought?",
            kind="choice",
            choices=(
                ("given", "Sought and given"),
                ("refused", "Sought and refused"),
                ("not_sought", "Not sought"),
            ),
        ),
        Question(
            key="consent_not_sought_why",
            label="Why was consent not sought?",
            hint="Only when it was not sought: what the record says about the risk of asking.",
            required=False,
        ),
    ),
    evidence_hint=(
        "Agency checks and enquiry records: who was asked, what they said, the consent "
        "recorded, and the analysis that brings it together."
    ),
)

OUTCOME_AND_PLAN = Section(
    key=OUTCOME,
    title="Outcome and plan",
    guidance=(
        "The enquiry ends with a clear, reasoned outcome that follows from its analysis, and "
        "the family and the agencies are told it: an initial child protection conference, a "
        "child in need plan, a step down to Early Help, or no further action. The plan that "
        "follows says what must change for the child, who will do what, and by when."
    ),
    questions=(
        Question(
            key="outcome",
            label="What was the outcome of the enquiry?",
            kind="choice",
            choices=(
                ("icpc", "Initial child protection conference"),
                ("cin", "Child in need plan"),
                ("early_help", "Step down to Early Help"),
                ("nfa", "No further action"),
            ),
        ),
        Question(
            key="family_told",
            label="Who told the family the outcome, and how?",
            kind="line",
        ),
    ),
    evidence_hint=(
        "The outcome record and the plan: does the outcome follow from the enquiry, and is the "
        "plan specific, owned and timed?"
    ),
)

OVERSIGHT = Section(
    key="oversight",
    title="Management oversight",
    guidance=(
        "A manager oversees the enquiry from the strategy discussion to its outcome: they "
        "agree the plan for the enquiry, check the child was seen, challenge drift, and record "
        "the decision on the outcome with their reasons."
    ),
    questions=(
        Question(
            key="decision",
            label="What did the manager decide at the end of the enquiry, and why?",
        ),
    ),
    evidence_hint=(
        "Management decisions and supervision notes during the enquiry: are they timely, "
        "reflective and recorded with reasons?"
    ),
)

S47_AUDIT = AuditProcess(
    key="s47_audit",
    title="Section 47 enquiry audit",
    version="1",
    sections=(STRATEGY, TIMELINESS, THE_CHILD, AGENCIES, OUTCOME_AND_PLAN, OVERSIGHT),
    services=("CSC",),
    case_types=("S47",),
    grades=OFSTED_GRADES,
    due=DueRule(working_days=15),
    suggest_judgement=suggest_judgement,
    actions_required=actions_required,
    extra_checks=extra_checks,
    # An enquiry lasts weeks: one that ended in the month before the draw is still drawn.
    recently_closed_days=31,
    quotas=(
        # The core keeps the manager off the cases they hold and the teams they manage.
        Quota(
            name="Each CSC service manager audits one S.47 enquiry a month",
            auditor_roles=(Role.SERVICE_MANAGER.value,),
            per_auditor=1,
            auditor_agency="CSC",
        ),
    ),
)
