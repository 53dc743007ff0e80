"""The Early Help deep-dive audit: its form, grade scale and rules.

Section 10 of the council's Quality Assurance and Learning Framework: each month every
Early Help manager audits one randomly selected case from a team they are not directly
responsible for. Each part of the audit tool is graded against the Ofsted descriptors; a
reflective interview with the allocated worker and, where possible, the child's and the
family's views are part of the audit; the completed audit is discussed in supervision
between the case holder's manager and the worker.
"""

from plugins.early_help.grading import IMPACT_KEY, VOICE_KEY, suggest_judgement
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

GRADED_SECTIONS: tuple[Section, ...] = (
    Section(
        key="assessment",
        title="Assessment and understanding of need",
        guidance=(
            "Early Help means providing support as soon as a problem emerges. The Early Help "
            "assessment gives a clear picture of the child's daily life and of the family's "
            "strengths and needs, gathered with the family and the agencies who know them. It "
            "analyses rather than lists: why help is needed now, and what is likely to happen "
            "without it."
        ),
        evidence_hint=(
            "The Early Help assessment on EHM: is it up to date and completed with the family, "
            "does it show the child's lived experience, and does it analyse the needs?"
        ),
    ),
    Section(
        key="family_plan",
        title="The family plan",
        guidance=(
            "The family plan follows from the assessment: outcomes agreed with the family, "
            "practical actions with named people and timescales, and regular reviews. It says "
            "what will show that the help is working, and when a step up to Children's Social "
            "Care or a step down would be needed."
        ),
        evidence_hint=(
            "The current family plan and its reviews: are the outcomes specific and agreed, "
            "is every action owned and timed, and do the reviews record progress?"
        ),
    ),
    Section(
        key=VOICE_KEY,
        title="Voice of the child",
        guidance=(
            "The child is seen and listened to, as far as their age and understanding allow. "
            "Their wishes, feelings and daily experience are recorded, in their own words where "
            "possible, and they shape the assessment and the plan. An Inadequate grade here "
            "makes the whole case Inadequate."
        ),
        evidence_hint=(
            "Visit and direct work records: was the child seen, and seen alone where right; "
            "are their words recorded; can you see how they changed the plan?"
        ),
    ),
    Section(
        key="working_with_family",
        title="Working with the family",
        guidance=(
            "Early Help offers practical advice, support and direct work with the family to "
            "prevent issues escalating and needing statutory intervention. The work builds on "
            "the family's strengths, goes at a pace they can manage, and keeps trying when "
            "engagement is hard, with the reasons for any disengagement understood."
        ),
        evidence_hint=(
            "Case notes and contact records: how often was the family seen, what direct work "
            "was done, how did the parents or carers take part, and how were barriers tackled?"
        ),
    ),
    Section(
        key="multi_agency",
        title="Multi-agency working",
        guidance=(
            "The right agencies (school, health, housing, police and others) are involved "
            "through a Team Around the Family with a named lead professional. They share "
            "information promptly and each does its part of the plan; where another agency's "
            "help falls short, it is challenged and escalated."
        ),
        evidence_hint=(
            "Team Around the Family minutes and agency contributions: who attended and acted, "
            "was information shared promptly, and is a lead professional named?"
        ),
    ),
    Section(
        key="management_oversight",
        title="Management oversight and supervision",
        guidance=(
            "The manager has clear oversight of the case: regular, reflective supervision that "
            "checks progress against the plan, challenges drift and delay, and records the "
            "decisions, with reasons, to continue, step up to Children's Social Care, step "
            "down or close."
        ),
        evidence_hint=(
            "Supervision and management decision records on EHM: are they regular and "
            "reflective, and do they give direction with reasons and timescales?"
        ),
    ),
    Section(
        key=IMPACT_KEY,
        title="Impact and outcomes",
        guidance=(
            "Audits are undertaken to identify what we are doing well and areas for "
            "development. They should therefore help us to consider the impact and outcomes of "
            "the work undertaken with children and families.\n\n"
            "Consider what the worker and the family set out to achieve, what has changed for "
            "the child, and whether the help has stopped the family's difficulties escalating "
            "to the point of needing statutory intervention.\n\n"
            "Grade this section Outstanding only when the help has made a clear, positive "
            "difference for the child and the family: the case can be judged Outstanding only "
            "then. An Inadequate grade here makes the whole case Inadequate."
        ),
        questions=(
            Question(
                key="intended",
                label="What did the worker and the family set out to achieve?",
                hint="The outcomes the help aimed for, as the family plan states them.",
            ),
            Question(
                key="changed",
                label="What has changed for the child and the family?",
                hint="The difference the help has made to the child's daily life and the "
                "family's situation, whether better, worse or no change.",
            ),
        ),
        evidence_hint=(
            "What shows the change: plan reviews, the child's and the family's own words, "
            "school or health information, a step down or a closure with the needs met?"
        ),
    ),
)

REFLECTIVE_INTERVIEW = Section(
    key="reflective_interview",
    title="Reflective interview with the worker",
    graded=False,
    guidance=(
        "A reflective interview takes place during the audit with the allocated worker. Talk "
        "the case through with them, and bring what you learn into the audit."
    ),
    questions=(
        Question(
            key="participants",
            label="Who took part",
            kind="line",
            hint="The allocated worker's name and role, and anyone else who joined.",
        ),
        Question(key="interview_date", label="The date of the interview", kind="date"),
        Question(
            key="learning",
            label="What the worker and the auditor learnt",
            hint="What went well, what the worker would do differently, and what you both take "
            "from the conversation.",
        ),
    ),
)

CHILD_AND_FAMILY_VIEWS = Section(
    key="child_family_views",
    title="Child and family views",
    graded=False,
    guidance=(
        "Where possible the child's and the family's views should be obtained and the "
        "information gained incorporated within the audit."
    ),
    questions=(
        Question(
            key="views_obtained",
            label="Whether the child's and the family's views were obtained",
            kind="choice",
            choices=(("yes", "Yes"), ("no", "No"), ("not_possible", "Not possible")),
            hint="If they were not obtained, or it was not possible, say why below.",
        ),
        Question(
            key="child_views",
            label="The child's views",
            hint="In the child's own words where you can, and how you heard them.",
            required=False,
        ),
        Question(
            key="family_views",
            label="The family's views",
            hint="What the parents or carers said about the help they have had and the "
            "difference it made.",
            required=False,
        ),
        Question(
            key="not_obtained_reason",
            label="Why the views were not obtained",
            hint="Only when they were not obtained: what was tried, and why it did not happen.",
            required=False,
        ),
    ),
)

SUPERVISION = Section(
    key="supervision",
    title="Discussed in supervision",
    graded=False,
    # filled after submission by the case holder's manager, not by the auditor
    filled_after_by="case_manager",
    guidance=(
        "Completed audits are to be discussed within supervision sessions between the "
        "appropriate manager and the allocated worker. The worker's manager records the date "
        "of that supervision and a note of the discussion once the audit is submitted."
    ),
    questions=(
        Question(
            key="discussed_on",
            label="The date the audit was discussed in supervision",
            kind="date",
            hint="The day of the supervision session, for example 27 3 2026.",
        ),
        Question(
            key="note",
            label="A note of the discussion",
            hint="What the worker took from the audit, and what will change for the family.",
        ),
    ),
)

EARLY_HELP_AUDIT = AuditProcess(
    key="early_help",
    title="Early Help deep-dive audit",
    version="2",
    sections=(*GRADED_SECTIONS, REFLECTIVE_INTERVIEW, CHILD_AND_FAMILY_VIEWS, SUPERVISION),
    services=("EH",),
    case_types=("EARLY_HELP",),
    grades=OFSTED_GRADES,
    due=DueRule(working_days=20),
    suggest_judgement=suggest_judgement,
    # the equality section of the learning report: the impact graded Good or better is a
    # positive outcome; the child's and the family's views obtained is their participation
    outcome=AnswerMeasure(
        IMPACT_KEY, "grade", ("outstanding", "good"), "a positive impact for the child"
    ),
    family_participation=AnswerMeasure(
        "child_family_views", "views_obtained", ("yes",), "the child's and family's views obtained"
    ),
    quotas=(
        # Section 10: each month the managers within Early Help audit one case each; the
        # core keeps them off the teams they manage.
        Quota(
            name="Each Early Help manager audits one case a month",
            auditor_roles=(Role.TEAM_MANAGER.value,),
            per_auditor=1,
            auditor_agency="EH",
        ),
    ),
)
