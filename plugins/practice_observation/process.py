"""The observation of practice: the observer's record, its grade scale and rules.

Section 6 of the council's Quality Assurance and Learning Framework: "the observation of
practice across Children's Social Care is underway". An experienced manager goes with a
practitioner on a visit to a family (a randomly selected Children's Social Care case,
from a team the observer does not manage), watches the practice, grades five parts of it
against the Ofsted descriptors, asks the family how the visit was for them, and gives the
practitioner feedback. Once the observation is submitted, the practitioner writes their
own reflection on a page of their own (see :mod:`plugins.practice_observation.views`).
"""

from plugins.practice_observation.grading import (
    CHILD_KEY,
    VIEW_GIVEN,
    VISIT_DATE,
    extra_checks,
    suggest_judgement,
)
from portal.plugin_api import OFSTED_GRADES, AuditProcess, DueRule, Question, Quota, Role, Section

#: Whether the family gave their view of the visit, in the form's order.
VIEW_CHOICES = (
    ("yes", "Yes"),
    ("declined", "No, they did not want to"),
    ("not_possible", "It was not possible or not appropriate to ask"),
)

VISIT = Section(
    key=VISIT_DATE[0],
    title="The visit observed",
    graded=False,
    guidance=(
        "Agree the observation with the practitioner beforehand, and make sure the family "
        "knows why you are there and agrees to it. You observe; the practitioner leads the "
        "visit."
    ),
    questions=(
        Question(
            key=VISIT_DATE[1],
            label="When was the visit?",
            kind="date",
            hint="For example, 27 3 2026",
        ),
        Question(
            key="setting",
            label="What kind of visit was it?",
            kind="choice",
            choices=(
                ("home_visit", "A visit to the child at home"),
                ("direct_work", "A direct work session with the child"),
                ("family_meeting", "A meeting with the family"),
                ("other_setting", "A visit somewhere else (school, placement, contact)"),
            ),
        ),
    ),
)

GRADED_SECTIONS: tuple[Section, ...] = (
    Section(
        key="preparation",
        title="Preparation and purpose",
        guidance=(
            "The practitioner knows the case and the plan, has a clear purpose for the visit, "
            "and has planned how to meet it: who to see, what to ask, what to look for."
        ),
        evidence_hint="How did the practitioner prepare, and was the purpose clear to the family?",
    ),
    Section(
        key="relationship",
        title="Relationship and communication with the family",
        guidance=(
            "The practitioner is respectful, honest and clear: they explain why they are "
            "there, use language the family understands, listen, and keep the relationship "
            "while naming worries plainly."
        ),
        evidence_hint="What did the practitioner say and do that helped or hindered the "
        "relationship?",
    ),
    Section(
        key=CHILD_KEY,
        title="The child's voice and experience",
        guidance=(
            "The child is seen, and seen alone where that is right; the practitioner "
            "communicates with them in a way that suits their age and needs, and finds out "
            "what daily life is like for them. An Inadequate grade here makes the whole "
            "observation Inadequate."
        ),
        evidence_hint="Was the child seen and heard, and how?",
    ),
    Section(
        key="analysis",
        title="Curiosity, risk and analysis",
        guidance=(
            "The practitioner is curious: they notice the home, the relationships and what "
            "is not said, explore risks and strengths, and challenge where needed, linking "
            "what they see to the plan."
        ),
        evidence_hint="Which risks and strengths did the practitioner explore or miss?",
    ),
    Section(
        key="next_steps",
        title="Ending the visit and next steps",
        guidance=(
            "The visit ends with the family knowing what happens next: what was agreed, who "
            "will do what and by when, and how to reach the practitioner."
        ),
        evidence_hint="How did the visit end, and what did the family understand would happen?",
    ),
)

FAMILY_VIEW = Section(
    key=VIEW_GIVEN[0],
    title="The family's view of the visit",
    graded=False,
    guidance=(
        "After the visit, ask the family (and the child, where right) how the visit was for "
        "them, out of the practitioner's hearing if they prefer. Their view is part of the "
        "observation."
    ),
    questions=(
        Question(
            key=VIEW_GIVEN[1],
            label="Did the family give their view of the visit?",
            kind="choice",
            choices=VIEW_CHOICES,
        ),
        Question(
            key="family_words",
            label="What the family said about the visit",
            hint="In their own words where you can: did they feel listened to and understand "
            "why the practitioner came? If they gave no view, say why.",
        ),
        Question(
            key="ideas",
            label="What the family would change",
            hint="Their ideas for how visits could be better.",
            required=False,
        ),
    ),
)

FEEDBACK = Section(
    key="feedback",
    title="Feedback to the practitioner",
    graded=False,
    guidance=(
        "Give the practitioner feedback soon after the visit, in person. They add their own "
        "reflection once you submit the observation."
    ),
    questions=(
        Question(
            key="strengths",
            label="What the practitioner did well",
        ),
        Question(
            key="development",
            label="What the practitioner could develop",
        ),
    ),
)

PRACTICE_OBSERVATION = AuditProcess(
    key="practice_observation",
    title="Observation of practice",
    version="1",
    sections=(VISIT, *GRADED_SECTIONS, FAMILY_VIEW, FEEDBACK),
    services=("CSC",),
    case_types=("CIN", "CP", "CLA", "CARE_LEAVER"),
    grades=OFSTED_GRADES,
    due=DueRule(working_days=20),
    suggest_judgement=suggest_judgement,
    extra_checks=extra_checks,
    quotas=(
        # Shared round the managers in a seeded order; the core keeps each observer off the
        # teams they manage and the cases they hold.
        Quota(
            name="At least 4 observations of practice a month by CSC managers",
            auditor_roles=(Role.TEAM_MANAGER.value, Role.SERVICE_MANAGER.value),
            total=4,
            auditor_agency="CSC",
        ),
    ),
)
