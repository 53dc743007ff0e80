"""The MASH audit: its form, grade scale, due rule and quotas.

Section 11 of the council's Quality Assurance and Learning Framework: each of the three
key MASH agencies (Children's Social Care, Early Help and Police) completes at least 3
audits a month, within 15 working days. The audit tool grades the quality of the contact,
the MASH episode and the contact management against the Ofsted descriptors; where
appropriate a reflective interview takes place with the MASH worker and other related
professionals, referrers or family members.

The suggested overall judgement is the portal's default, the lowest of the three section
grades: a contact handled well but with a poor decision is not a good MASH episode.
"""

from portal.plugin_api import OFSTED_GRADES, AuditProcess, DueRule, Question, Quota, Role, Section

#: The roles whose holders may be drawn as MASH auditors; the quota's agency narrows them.
MASH_AUDITOR_ROLES: tuple[str, ...] = (
    Role.TEAM_MANAGER.value,
    Role.SERVICE_MANAGER.value,
    Role.MASH_HEAD_OF_SERVICE.value,
    Role.PARTNER_AUDITOR.value,
)
#: At least this many audits a month by each key MASH agency.
AUDITS_PER_AGENCY = 3
#: The key MASH agencies (agency code, as staff name them) with a monthly quota each.
KEY_AGENCIES: tuple[tuple[str, str], ...] = (
    ("CSC", "Children's Social Care"),
    ("EH", "Early Help"),
    ("POLICE", "Police"),
)

SECTIONS: tuple[Section, ...] = (
    Section(
        key="quality_of_contact",
        title="Quality of contact",
        guidance=(
            "The contact is clear about who the child is, what the worry is and why it is "
            "raised now. The referrer has asked for the family's consent to share information, "
            "or recorded why not (where asking would put the child at risk, say). The referrer "
            "gives what they know: what they have seen and heard, and what has already been "
            "done. The child's needs and the risks to them are identified."
        ),
        evidence_hint=(
            "The contact record: is the concern specific, is consent recorded (or the reason "
            "for going ahead without it), and are the child's needs and the risks set out?"
        ),
    ),
    Section(
        key="mash_episode",
        title="The MASH episode",
        guidance=(
            "The MASH agencies share what they know promptly and record it. The contact is RAG "
            "rated, the rating matches the risk, and each step is done within the timescale "
            "the rating sets. The information is analysed, not just gathered, into a clear "
            "picture of the child's needs and the risks, and the decision follows from that "
            "analysis, with the reasons recorded."
        ),
        evidence_hint=(
            "The MASH record: which agencies contributed and when, was the RAG rating right and "
            "each step on time, and is the decision analysed and explained?"
        ),
    ),
    Section(
        key="contact_management",
        title="Contact management",
        guidance=(
            "The outcome of the contact and the next steps are clear: no further action, advice "
            "and signposting, Early Help, a social work assessment or a strategy discussion. "
            "The right threshold is applied, the referrer is told the outcome, and the contact "
            "moves on to the team that will act within timescales."
        ),
        evidence_hint=(
            "The outcome record: does the decision fit the threshold, was the referrer given "
            "feedback, and did the case reach the right team within timescales?"
        ),
    ),
)

REFLECTIVE_INTERVIEW = Section(
    key="reflective_interview",
    title="Reflective interview",
    graded=False,
    guidance=(
        "Where appropriate a reflective interview should take place with the MASH worker for "
        "the audit and other related professionals, referrers or family members."
    ),
    questions=(
        Question(
            key="participants",
            label="Who took part",
            hint="The MASH worker, and any other professionals, referrers or family members "
            "you spoke to, with their roles or relationship to the child.",
        ),
        Question(key="interview_date", label="The date of the interview", kind="date"),
        Question(
            key="learning",
            label="What was learnt",
            hint="What went well, what would be done differently, and any learning for the "
            "referrer's agency or the MASH.",
        ),
    ),
)

MASH_AUDIT = AuditProcess(
    key="mash",
    title="MASH audit",
    version="1",
    sections=(*SECTIONS, REFLECTIVE_INTERVIEW),
    services=("MASH",),
    case_types=("MASH_CONTACT",),
    grades=OFSTED_GRADES,
    due=DueRule(working_days=15),
    # a MASH contact lasts a day or three: the month's draw takes last month's contacts too
    recently_closed_days=31,
    # the key MASH agencies audit it, the police among them; nobody else from outside
    auditor_agencies=frozenset(code for code, _ in KEY_AGENCIES),
    quotas=tuple(
        Quota(
            name=f"At least {AUDITS_PER_AGENCY} audits a month by {name} auditors",
            auditor_roles=MASH_AUDITOR_ROLES,
            total=AUDITS_PER_AGENCY,
            auditor_agency=code,
        )
        for code, name in KEY_AGENCIES
    ),
)
