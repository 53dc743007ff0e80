"""The quality of supervision audit: its form, grade scale and rules.

Section 6 of the council's Quality Assurance and Learning Framework: "the process and
tools to quality assure the quality of supervision" are in place. Section 7: supervision
records "demonstrate social workers' and managers' reflections on the progress of cases
and the quality of decision making", under a supervision policy that "challenges
practitioners to reflect critically on their cases and fosters an inquisitive approach".
Practice standard 9: "every case will contain evidence of management oversight and
regular supervision that is reflective in nature".

Each month every service manager reads the supervision records of one randomly selected
Children's Social Care case (from a team they do not manage) and grades five things:
how often supervision happened against the policy, the reflective discussion, the
child's voice, the actions and timescales, and the management direction recorded.
"""

from plugins.supervision_quality.grading import (
    CHILD_KEY,
    DIRECTION_KEY,
    FREQUENCY_KEY,
    REFLECTION_KEY,
    extra_checks,
    suggest_judgement,
)
from portal.plugin_api import OFSTED_GRADES, AuditProcess, DueRule, Question, Quota, Role, Section

#: The answers to "did supervision meet the policy's frequency?", in the form's order.
MET_POLICY_CHOICES = (
    ("yes", "Yes, every supervision the policy asks for took place"),
    ("mostly", "Mostly: one supervision was missed or late"),
    ("no", "No: supervision was missed or late more than once"),
)

GRADED_SECTIONS: tuple[Section, ...] = (
    Section(
        key=FREQUENCY_KEY,
        title="Frequency against the supervision policy",
        guidance=(
            "The supervision policy sets how often each case is discussed in formal "
            "supervision: more often for children subject to a child protection plan and for "
            "newly qualified social workers. Look at the last six months of supervision "
            "records on the child's file."
        ),
        questions=(
            Question(
                key="last_supervision",
                label="When was the most recent supervision of this case recorded?",
                kind="date",
                hint="The date of the supervision, not of the record. For example, 27 3 2026",
            ),
            Question(
                key="met_policy",
                label="Over the last six months, did supervision take place as often as the "
                "policy requires?",
                kind="choice",
                choices=MET_POLICY_CHOICES,
            ),
            Question(
                key="not_met_reason",
                label="Why supervision was not as frequent as the policy requires",
                hint="Only when it was not: sickness, a change of worker or manager, "
                "cancelled sessions not rearranged...",
                required=False,
            ),
        ),
        evidence_hint=(
            "The supervision records of the last six months: their dates, and any gaps or "
            "sessions cancelled and not rearranged."
        ),
    ),
    Section(
        key=REFLECTION_KEY,
        title="Reflective discussion",
        guidance=(
            "Good supervision is more than a list of tasks. The worker and the manager think "
            "together about what is happening for the child and why: hypotheses are tested, "
            "assumptions challenged, the worker's own feelings and the impact of the work on "
            "them are acknowledged, and research or theory informs the analysis."
        ),
        evidence_hint=(
            "Quote or summarise where the record shows reflection, analysis and challenge, or "
            "where it is a list of tasks and updates only."
        ),
    ),
    Section(
        key=CHILD_KEY,
        title="The child's voice and lived experience",
        guidance=(
            "The child is at the centre of the discussion: when they were last seen (and "
            "seen alone), what they said and showed, what daily life is like for them, and how "
            "their wishes and feelings shaped the decisions. An Inadequate grade here makes "
            "the whole audit Inadequate."
        ),
        evidence_hint=(
            "Does the record say when the child was last seen and what they said? Can you "
            "see their experience shaping the discussion?"
        ),
    ),
    Section(
        key="actions",
        title="Actions and timescales",
        guidance=(
            "Each supervision ends with actions that are specific, owned and timed, and "
            "starts by reviewing the actions of the last one: what was done, what was not "
            "and why. Drift shows as the same action carried forward session after session."
        ),
        questions=(
            Question(
                key="previous_reviewed",
                label="Were the actions of the previous supervision reviewed?",
                kind="choice",
                choices=(
                    ("yes", "Yes"),
                    ("partly", "Partly"),
                    ("no", "No"),
                ),
            ),
        ),
        evidence_hint=(
            "The actions recorded: does each have an owner and a timescale, and were the "
            "last session's actions followed up?"
        ),
    ),
    Section(
        key=DIRECTION_KEY,
        title="Management direction and decisions",
        guidance=(
            "The manager's direction is recorded clearly, with the reasons: the decisions "
            "about the plan, the level of risk, the contingency if things do not improve, and "
            "when to escalate, step up or step down. An Inadequate grade here makes the "
            "whole audit Inadequate."
        ),
        evidence_hint=(
            "The management decisions in the supervision records and on the case file: are "
            "they clear, reasoned and acted on?"
        ),
    ),
)

FEEDBACK = Section(
    key="feedback",
    title="Feedback to the supervisor",
    graded=False,
    guidance=(
        "Share what you found with the manager who supervises the case, so that the learning "
        "reaches the next supervision."
    ),
    questions=(
        Question(
            key="learning",
            label="What the supervisor will take from this audit",
            hint="What to keep doing, and what to do differently in the next supervision.",
        ),
    ),
)

SUPERVISION_QUALITY_AUDIT = AuditProcess(
    key="supervision_quality",
    title="Quality of supervision audit",
    version="1",
    sections=(*GRADED_SECTIONS, FEEDBACK),
    services=("CSC",),
    case_types=("CIN", "CP", "CLA", "CARE_LEAVER"),
    grades=OFSTED_GRADES,
    due=DueRule(working_days=15),
    suggest_judgement=suggest_judgement,
    extra_checks=extra_checks,
    quotas=(
        # The core keeps each service manager off the teams they manage and off cases they
        # hold, and off cases audited in the last 12 months.
        Quota(
            name="Each service manager audits the supervision of one case a month",
            auditor_roles=(Role.SERVICE_MANAGER.value,),
            per_auditor=1,
            auditor_agency="CSC",
        ),
    ),
)
