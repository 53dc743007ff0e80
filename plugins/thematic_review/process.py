"""The case review of a thematic practice review: the form each pair of auditors fills in.

Section 5 of the council's Quality Assurance and Learning Framework: "In pairs, auditors
review case files using the appropriate documentation". The review is qualitative: it
emphasises "the journey of the child", "focuses on outcomes as well as the quality of
record keeping", and "helps [the council] celebrate good practice as well as identify gaps
and learning". So the form has six graded sections, whose guidance draws on the practice
standards of section 3 and the outcomes of section 4, and two ungraded questions: the good
practice to celebrate and the gaps and learning.

A review's audits are allocated by the QA lead when they pair the auditors of each case,
never by the monthly draw (no quotas). Each audit is a joint audit of the pair; the
portal's default rules apply: the lowest section grade is the suggested judgement, and a
section graded Requires improvement or Inadequate needs an action, which goes back to the
worker and is signed off by their line manager.
"""

from portal.plugin_api import OFSTED_GRADES, AuditProcess, CaseType, DueRule, Question, Section

#: Every case type but a MASH contact: a thematic review looks at the journey of a child
#: whose case is open to Children's Social Care or Early Help.
CASE_TYPES = tuple(c.value for c in CaseType if c is not CaseType.MASH_CONTACT)

JOURNEY = Section(
    key="journey",
    title="The journey of the child",
    guidance=(
        "The review emphasises the journey of the child, in discussion with the case holder, "
        "within a reflective environment.\n\n"
        "Follow the child's journey through the file: why the service became involved, the "
        "significant events, and the decisions made along the way. Case records should have an "
        "up to date chronology of significant events, an accurate genogram and a case summary "
        "(standard 6)."
    ),
    evidence_hint=(
        "Is the child's journey clear from the chronology and case summary? Were there drift, "
        "delay or missed opportunities, and were the decisions timely?"
    ),
)

ASSESSMENT_AND_PLANNING = Section(
    key="assessment_planning",
    title="The quality of assessment and planning",
    guidance=(
        "All children will have an assessment which reflects a clear picture of the child’s "
        "experience and wishes and feelings (standard 1), and a plan which explains their "
        "needs, personal views, planned outcomes and agreed actions (standard 2).\n\n"
        "Assessments, plans and interventions will be based on a clear analysis of all the "
        "information researched and made available about the child (standard 4), with a "
        "relevant risk assessment and a contingency plan (standard 8)."
    ),
    evidence_hint=(
        "Is there analysis rather than description? Does the plan say what will change for the "
        "child, who will do what and by when, and what happens if the plan is not working?"
    ),
)

CHILDS_VOICE = Section(
    key="child_voice",
    title="The child's voice",
    guidance=(
        "The child’s own wishes, views and involvement in decisions that affect them is "
        "central, from early help to child protection plans, children in care and care "
        "leavers.\n\n"
        "As far as age and understanding allows, children will be spoken to alone and worked "
        "with by professionals who have the tools and training to directly engage children "
        "(standard 5)."
    ),
    evidence_hint=(
        "Was the child seen, and seen alone? Are the child's own words recorded, and can you "
        "see how their views shaped the assessment, the plan and the decisions?"
    ),
)

MULTI_AGENCY = Section(
    key="multi_agency",
    title="Multi-agency working",
    guidance=(
        "Assessments, plans and interventions draw on all the information researched and made "
        "available about the child, from the agencies who know the family: schools, health, "
        "the police and others.\n\n"
        "The Safeguarding Board holds the department and its partners to account for the "
        "findings of each thematic review."
    ),
    evidence_hint=(
        "Did the agencies share information and take part in assessments, meetings and plans? "
        "Were the partners' actions followed up, and was any disagreement resolved?"
    ),
)

OVERSIGHT = Section(
    key="management_oversight",
    title="Management oversight",
    guidance=(
        "Every case will contain evidence of management oversight and regular supervision that "
        "is reflective in nature (standard 9), and of management oversight ensuring that tasks "
        "have been completed to the required quality standard (standard 10)."
    ),
    evidence_hint=(
        "Supervision records and the manager's decisions: are they regular and reflective, do "
        "they challenge drift and delay, and do they check that tasks were done and done well?"
    ),
)

IMPACT = Section(
    key="impact",
    title="Impact and outcomes",
    guidance=(
        "The approach focuses on outcomes as well as the quality of record keeping. Audit "
        "should consider what the social worker set out to achieve and the impact that this "
        "had.\n\n"
        "Outstanding Outcomes are the result of adherence to practice standards coupled with "
        "positive impacts for the child."
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
            hint="The difference the work has made to the child's safety, wellbeing and daily "
            "life: better, worse or no change.",
        ),
    ),
    evidence_hint=(
        "What in the file shows the change: the child's own words, reviews, partners' reports, "
        "school or health information?"
    ),
)

GOOD_PRACTICE = Section(
    key="good_practice",
    title="Good practice to celebrate",
    guidance=(
        "The review helps celebrate good practice as well as identify gaps and learning. "
        "Name the practice the worker, the team and the partners can be proud of; it is shared "
        "at the feedback session with all social workers and managers."
    ),
    graded=False,
    questions=(
        Question(
            key="practice",
            label="What good practice did you find?",
            hint="Be specific: what was done, by whom, and the difference it made for the child.",
        ),
    ),
)

GAPS_AND_LEARNING = Section(
    key="gaps_learning",
    title="Gaps and learning",
    guidance=(
        "Record the gaps in practice and the learning from this case for the review's report, "
        "its findings and recommendations, and its SMART action plan. Tasks for the worker and "
        "the team manager are actions: add them to the graded sections above."
    ),
    graded=False,
    questions=(
        Question(
            key="gaps",
            label="What gaps did you find?",
            hint="What was missing or not good enough, and its effect for the child.",
        ),
        Question(
            key="learning",
            label="What is the learning for the service?",
            hint="For supervision, training, guidance and procedures, or the service's plans.",
        ),
    ),
)

THEMATIC_REVIEW = AuditProcess(
    key="thematic_review",
    title="Thematic review: case review",
    version="1",
    sections=(
        JOURNEY,
        ASSESSMENT_AND_PLANNING,
        CHILDS_VOICE,
        MULTI_AGENCY,
        OVERSIGHT,
        IMPACT,
        GOOD_PRACTICE,
        GAPS_AND_LEARNING,
    ),
    services=("CSC", "EH"),
    case_types=CASE_TYPES,
    grades=OFSTED_GRADES,
    # the pair writes the case review up within two working weeks of the review day
    due=DueRule(working_days=10),
    # every case review is moderated by the QA lead
    moderation_share=1.0,
    # reviews are not part of the monthly draw: the QA lead allocates them by pairing
    quotas=(),
)
