"""The Children's Social Care case file audit: its form, grade scale and rules.

The ten graded standards are the practice standards of section 3 of the council's Quality
Assurance and Learning Framework; their guidance is the framework's wording (each list
item's closing semicolon made a full stop). The eleventh graded section records what the
social worker set out to achieve and what changed for the child (section 4 of the
framework), because Outstanding outcomes need both the standards and a positive impact.
"""

from plugins.csc_audit.grading import IMPACT_KEY, suggest_judgement
from portal.plugin_api import (
    OFSTED_GRADES,
    AnswerMeasure,
    AuditProcess,
    DueRule,
    Question,
    Quota,
    Role,
    Section,
)


def _standard(number: int, name: str, text: str, look_for: str) -> Section:
    """The graded section of practice standard *number*, with the framework's *text*."""
    return Section(
        key=f"standard_{number}",
        title=f"Standard {number}: {name}",
        guidance=text,
        evidence_hint=look_for,
    )


STANDARDS: tuple[Section, ...] = (
    _standard(
        1,
        "Assessment",
        "All children will have an assessment which reflects a clear picture of the "
        "child’s experience and wishes and feelings.",
        "The latest assessment: is it up to date, does it show the child's daily lived "
        "experience, and does it record the child's own wishes and feelings?",
    ),
    _standard(
        2,
        "Plan",
        "All children will have a plan which explains their needs, personal views, planned "
        "outcomes and agreed actions.",
        "The current CIN, CP, care or pathway plan: does it set out the child's needs and "
        "views, the outcomes wanted, and actions with named people and timescales?",
    ),
    _standard(
        3,
        "Parents and carers",
        "All assessments, plans and interventions will reflect an understanding of the "
        "wishes, feelings and needs of parents and carers, and will be focused on enabling "
        "them to fulfil their responsibilities to their children.",
        "Are the parents' and carers' views and needs recorded, and does the plan say what "
        "support will help them care for the child?",
    ),
    _standard(
        4,
        "Analysis",
        "All assessments, plans and interventions will be based on a clear analysis of all "
        "the information researched and made available about the child.",
        "Is there analysis rather than description: how history, partners' information and "
        "research were weighed, and how they led to the decisions made?",
    ),
    _standard(
        5,
        "Seeing the child alone",
        "As far as age and understanding allows, children will be spoken to alone and worked "
        "with by professionals who have the tools and training to directly engage children.",
        "Visit records: how often the child was seen and seen alone, and the direct work "
        "done with them (tools used, the child's words recorded).",
    ),
    _standard(
        6,
        "Chronology, genogram and summary",
        "Case records will have an up to date Chronology of significant events, an accurate "
        "Genogram and a case summary.",
        "Is the chronology up to date with the significant events, is the genogram accurate, "
        "and is there a current case summary?",
    ),
    _standard(
        7,
        "Case recording",
        "Case recording will be up to date and will reflect the purpose of interventions and "
        "contacts.",
        "Are case notes up to date, and does each say why the contact or intervention "
        "happened and what came of it?",
    ),
    _standard(
        8,
        "Risk assessment and contingency",
        "Every case file will include a relevant risk assessment on a child and will include "
        "a contingency plan.",
        "Is there a current risk assessment for this child, and a contingency plan saying "
        "what will happen if the plan is not working?",
    ),
    _standard(
        9,
        "Reflective supervision",
        "Every case will contain evidence of management oversight and regular supervision "
        "that is reflective in nature.",
        "Supervision records: are they regular, and do they reflect on the child's "
        "experience and the worker's analysis rather than list tasks?",
    ),
    _standard(
        10,
        "Management oversight",
        "Every case will contain evidence of management oversight ensuring that tasks have "
        "been completed to the required quality standard.",
        "Manager's decisions and case notes: are tasks checked as done, on time and to the "
        "required quality, and are drift and delay challenged?",
    ),
)

IMPACT = Section(
    key=IMPACT_KEY,
    title="Impact and outcomes",
    guidance=(
        "As noted in the previous sections Quality Assurance is about outcomes and the impact "
        "of our work as well as about processes and compliance to practice standards. "
        "Therefore when auditing cases it is important that auditors consider the impact of "
        "work undertaken on outcomes for the child. Audit should consider what the social "
        "worker set out to achieve and the impact that this had.\n\n"
        "Outstanding Outcomes are the result of adherence to practice standards coupled with "
        "positive impacts for the child.\n\n"
        "Grade this section Outstanding only when the work has made a clear, positive "
        "difference for the child: the case can be judged Outstanding only then."
    ),
    questions=(
        Question(
            key="intended",
            label="What did the social worker set out to achieve?",
            hint="The outcomes the work aimed for, for this child, as the file states them.",
        ),
        Question(
            key="changed",
            label="What has changed for the child?",
            hint="The difference the work has made to the child's safety, wellbeing and "
            "daily life, whether better, worse or no change.",
        ),
    ),
    evidence_hint="What in the file shows the change: the child's own words, reviews, "
    "partners' reports, school or health information?",
)

CSC_AUDIT = AuditProcess(
    key="csc_audit",
    title="Children's Social Care case file audit",
    version="1",
    sections=(*STANDARDS, IMPACT),
    services=("CSC",),
    case_types=("CIN", "CP", "CLA", "CARE_LEAVER", "FOSTERING"),
    grades=OFSTED_GRADES,
    due=DueRule(working_days=20),
    suggest_judgement=suggest_judgement,
    # the equality section of the learning report: the impact on the child graded Good or
    # better is a positive outcome (the form records no family participation of its own)
    outcome=AnswerMeasure(
        IMPACT_KEY, "grade", ("outstanding", "good"), "a positive impact for the child"
    ),
    quotas=(
        # Section 4: each management tier within Children's Social Care audits one case a
        # month; the core keeps team managers off the teams they manage.
        Quota(
            name="Each CSC manager audits one case a month",
            auditor_roles=(
                Role.TEAM_MANAGER.value,
                Role.SERVICE_MANAGER.value,
                Role.HEAD_OF_SERVICE.value,
            ),
            per_auditor=1,
            auditor_agency="CSC",
        ),
    ),
    # Issue 13: a case graded Inadequate is audited again six months on, to see whether
    # its actions changed things for the child (the 12-month rule otherwise stands).
    reaudit_inadequate_after_months=6,
)
