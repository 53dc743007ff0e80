"""The Section 47 enquiry audit: its form, due rule, quota and moderation share.

Section 5 of the council's Quality Assurance and Learning Framework: "Also contained within
the appendix is a tool to support audit of S.47 enquiries" (Appendix 5, Audit Tools). The
audit follows the enquiry as Working Together to Safeguard Children sets it out: the
strategy discussion, the enquiry itself (seeing the child within the timescale, consent,
gathering information from the agencies), its outcome and the plan, and management
oversight. Each of the four is graded against the Ofsted descriptors.
"""

from portal.plugin_api import OFSTED_GRADES, AuditProcess, DueRule, Question, Quota, Role, Section

from s47_example.grading import (
    ENQUIRY,
    OUTCOME,
    SEEN_IN_TIME,
    actions_required,
    extra_checks,
    suggest_judgement,
)

STRATEGY = Section(
    key="strategy",
    title="Strategy discussion",
    guidance=(
        "A strategy discussion is held as soon as there is reasonable cause to suspect that a "
        "child is suffering, or likely to suffer, significant harm. Children's social care, "
        "the police and health take part, with the referrer and other agencies as needed. It "
        "decides whether to start a section 47 enquiry, what immediate safety the child needs, "
        "and when the child will be seen."
    ),
    questions=(
        Question(
            key="held_on",
            label="When was the strategy discussion held?",
            kind="date",
            hint="The date on the strategy discussion record. For example, 27 3 2026",
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
        "The strategy discussion record: was it timely, were the right agencies there, and "
        "are the decisions, the immediate safety plan and the timescale to see the child "
        "recorded?"
    ),
)

THE_ENQUIRY = Section(
    key=ENQUIRY,
    title="The enquiry",
    guidance=(
        "The child is seen, and spoken to alone where their age and understanding allow, "
        "within the timescale the strategy discussion set. The parents are told about the "
        "enquiry and their consent to information sharing is sought, unless seeking it would "
        "put the child at greater risk. Information is gathered from every agency that knows "
        "the family and analysed, not just listed. An Inadequate grade here makes the whole "
        "audit Inadequate."
    ),
    questions=(
        Question(
            key="child_seen",
            label="Was the child seen within the timescale the strategy discussion set?",
            kind="choice",
            choices=(
                (SEEN_IN_TIME, "Yes, within the timescale"),
                ("late", "Yes, but later than the timescale"),
                ("not_seen", "No, the child was not seen"),
            ),
            hint="When the child was not seen within the timescale, add an action to this "
            "section, whatever its grade.",
        ),
        Question(
            key="seen_alone",
            label="Was the child spoken to alone?",
            kind="choice",
            choices=(
                ("yes", "Yes"),
                ("no", "No"),
                ("not_appropriate", "Not appropriate for the child's age or understanding"),
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
            key="consent_reason",
            label="Why was consent not sought?",
            hint="Only when it was not sought: what the record says about the risk of asking.",
            required=False,
        ),
        Question(
            key="information",
            label="What information was gathered, and from which agencies?",
        ),
    ),
    evidence_hint=(
        "Visit and enquiry records: when the child was seen and what they said, the consent "
        "recorded, the agency checks made, and the analysis that brings them together."
    ),
)

OUTCOME_AND_PLAN = Section(
    key=OUTCOME,
    title="Outcome and plan",
    guidance=(
        "The enquiry ends with a clear, reasoned outcome that the family and the agencies are "
        "told: an initial child protection conference (within 15 working days of the strategy "
        "discussion), a child in need plan, a step down to Early Help, or no further action. "
        "The plan that follows says what must change, who will do what, and by when."
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
            key="icpc_on",
            label="When was the initial child protection conference held?",
            kind="date",
            hint="Only when the outcome was a conference. For example, 27 3 2026",
            required=False,
        ),
        Question(
            key="family_told",
            label="Who told the family the outcome, and when?",
            kind="line",
        ),
    ),
    evidence_hint=(
        "The outcome record and the plan: does the outcome follow from the enquiry, was the "
        "conference on time, and is the plan specific, owned and timed?"
    ),
)

OVERSIGHT = Section(
    key="oversight",
    title="Management oversight",
    guidance=(
        "A manager oversees the enquiry from the strategy discussion to its outcome: they "
        "agree the plan for the enquiry, check the child was seen, challenge drift, and "
        "record the decision on the outcome with their reasons."
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
    key="s47_example",
    title="Section 47 enquiry audit",
    version="1",
    sections=(STRATEGY, THE_ENQUIRY, OUTCOME_AND_PLAN, OVERSIGHT),
    services=("CSC",),
    case_types=("S47",),
    grades=OFSTED_GRADES,
    due=DueRule(working_days=15),
    suggest_judgement=suggest_judgement,
    actions_required=actions_required,
    extra_checks=extra_checks,
    quotas=(
        # Each CSC service manager audits one S.47 enquiry a month; the core keeps them off
        # the cases they hold and the teams they manage directly.
        Quota(
            name="Each CSC service manager audits one S.47 enquiry a month",
            auditor_roles=(Role.SERVICE_MANAGER.value,),
            per_auditor=1,
            auditor_agency="CSC",
        ),
    ),
    # The QA lead moderates half of the S.47 audits, drawn reproducibly; an administrator
    # may change the share on the moderation settings page.
    moderation_share=0.5,
)
