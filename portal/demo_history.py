"""A year of demo audit history: the second step of ``flask --app portal seed-demo``.

:func:`seed_audit_history` runs the portal's own engine over the last 12 complete months
and the current one, as the council would have lived them: each month's selection is
drawn by the real draw (:func:`portal.scheduling.selection.draw`) from the cases that were
open then, with the quotas and independence rules of every enabled audit process; each
audit is filled in section by section (:func:`portal.audits.service.save_answers`), given
its actions, submitted, moderated by the demo QA lead, and its actions are completed,
returned and signed off by the people the rules name. Twice in the year a few audits are
joint; a handful raise safeguarding concerns; the next six months get a theme.

Only the dates are the demo's own: the engine stamps "now", so the submission, moderation,
action and concern dates (and the notifications' dates) are set afterwards to when they
happened in the story. The activity history keeps the real time of seeding.

Everything is drawn from ``random.Random(HISTORY_SEED)``, so the history for a given
day is the same on every run, and nothing is added when any audit's allocation reason
already starts with :data:`HISTORY_REASON`. Nothing is emailed.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import event, func, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal.actions.rules import sign_off_manager
from portal.audits.after import after_sections, fillers, record_after
from portal.audits.answers import nest
from portal.audits.definition import INADEQUATE, AuditProcess, FormDefinition, Grade
from portal.audits.service import (
    allocate,
    form_of,
    judgement_for,
    record_own_judgement,
    refresh_status,
    save_answers,
    sections_needing_actions,
    submit,
)
from portal.concerns.service import raise_concern, recipients, respond
from portal.demo import DOMAIN
from portal.extensions import db
from portal.models import (
    Action,
    ActionStatus,
    Audit,
    AuditStatus,
    Case,
    LearningArea,
    LearningChange,
    LearningFollowUp,
    Moderation,
    Notification,
    Priority,
    SafeguardingConcern,
    Service,
    Team,
    ThemeMonth,
    User,
)
from portal.moderation.service import check, moderate
from portal.plugins import plugin_host
from portal.scheduling.selection import (
    CandidateCase,
    draw,
    due_for_reaudit,
    recently_audited,
)
from portal.scheduling.service import (
    add_joint_auditor,
    allocate_by_hand,
    auditors,
    conflict_for,
    first_working_day,
)
from portal.scheduling.working_days import add_working_days

#: Every audit of the demo history has an allocation reason starting with this.
HISTORY_REASON = "Demo history"
#: The seed of the random generator behind the whole history.
HISTORY_SEED = 20250901
#: How many complete months of history come before the current month.
HISTORY_MONTHS = 12
#: The months (counted back from the current one) with joint audits, and how many each.
JOINT_MONTHS = (9, 4)
JOINT_AUDITS_PER_MONTH = 3
#: The month (counted back) of the audit of the demo social worker's case chosen by hand.
WORKER_STORY_MONTH = 3
#: The month (counted back) in which each tool that has not audited one of the demo social
#: worker's cases in the year audits one, chosen by hand.
WORKER_TOOLS_MONTH = 1
#: The month (back from the current one) a case graded Inadequate is re-audited by hand,
#: when none was drawn by chance, so that last month's report shows a re-audit.
REAUDIT_STORY_MONTH = 1
#: How many safeguarding concerns the year raises; the most recent stays open.
ANSWERED_CONCERNS = 4
#: The months of thematic schedule after the current one.
THEME_MONTHS_AHEAD = 6
#: Notifications older than this many days are marked read.
READ_AFTER_DAYS = 7

QA_LEAD = f"qa.lead@{DOMAIN}"
#: Learning themes followed up: months back, area, owner, the learning, the changes
#: recorded (days after it was raised, text), closed how many days after (None: open).
FOLLOWUPS = (
    (
        4,
        LearningArea.TRAINING,
        f"head.of.service@{DOMAIN}",
        "Chronologies were missing or out of date in a third of the audits: workers need "
        "refresher training on keeping a chronology.",
        ((20, "Chronology workshop run for the assessment teams (24 workers)."),),
        35,
    ),
    (
        2,
        LearningArea.SUPERVISION,
        f"service.manager@{DOMAIN}",
        "Reflective discussion in supervision is rarely recorded; the child's voice is missing "
        "from supervision notes.",
        ((12, "Supervision template now has a section for the child's voice."),),
        None,
    ),
    (
        1,
        LearningArea.SAFEGUARDING_BOARD,
        f"assistant.director@{DOMAIN}",
        "Neglect cases drift before a strategy discussion: share the learning with the "
        "safeguarding partnership's neglect priority group.",
        (),
        None,
    ),
)
QA_ADMIN = f"qa.admin@{DOMAIN}"
TEAM_MANAGER = f"team.manager@{DOMAIN}"
SOCIAL_WORKER = f"social.worker@{DOMAIN}"

# How good the practice an audit finds is: the weights of the grades of the form's scale,
# best first, given to each graded section. An audit draws one profile.
PROFILES = {
    "strong": (8, 2, 0, 0),
    "good": (15, 75, 10, 0),
    "mixed": (4, 46, 45, 5),
    "weak": (0, 30, 40, 30),
}


def _profile_weights(month_index: int) -> tuple[int, ...]:
    """The weights of :data:`PROFILES` in month *month_index* (0 the oldest): practice
    improves a little over the year."""
    return (10, 50 + 2 * month_index, 30 - month_index, 10 - month_index // 2)


# Evidence sentences by grade position: best first (Outstanding, Good, RI, Inadequate).
EVIDENCE = (
    (
        "Consistently strong practice: the records are current, analytical and written "
        "for the child.",
        "The child's own words run through the file and every decision is explained.",
        "Creative, persistent work that has clearly made a difference for the child.",
        "Partners are fully involved and challenge each other constructively.",
    ),
    (
        "The standard is met: the records are up to date and the decisions explained.",
        "Purposeful work; the plan and the case notes match and are reviewed on time.",
        "The child is seen regularly and their views shape the work.",
        "Partners contribute and information is shared promptly.",
        "Supervision is regular and gives clear direction.",
    ),
    (
        "Parts of the standard are met, but the records are out of date in places.",
        "The analysis is thin and the reasons for decisions are not recorded.",
        "Timescales slipped and the drift was not challenged in supervision.",
        "The child's views are mentioned but not in their own words.",
    ),
    (
        "There is no current record of this area and the risks to the child are not understood.",
        "The child has not been seen alone for months and nobody noticed.",
        "Decisions were made without analysis and the child was left at risk.",
    ),
)

SUMMARIES = (
    "An exemplary case: the work is child-centred, analytical and has changed the child's "
    "daily life for the better. Worth sharing as practice to learn from.",
    "A well-held case with clear planning and regular contact; the child's voice is heard. "
    "Some recording could be sharper.",
    "The worker knows the child well, but recording, analysis and management oversight "
    "have not kept up; the actions set out what must improve.",
    "Serious concerns: the risks to the child are not understood or managed, and the "
    "case needs urgent management attention.",
)

# Answers to a form's own questions, chosen by a word in the question's label.
ANSWERS_BY_WORD = (
    (
        "who",
        (
            "The allocated worker and their team manager.",
            "The allocated worker, the referrer and the school's designated safeguarding lead.",
        ),
    ),
    (
        "achieve",
        (
            "To keep the child safe at home, with their school attendance above 90%.",
            "To help the parents set routines and boundaries and to stop the arguments the "
            "child described.",
            "A stable placement and renewed contact with the child's grandmother.",
        ),
    ),
    (
        "changed",
        (
            "The child is attending school every day and says home feels calmer.",
            "Some progress: the routines are in place, but the parents still miss meetings.",
            "Little has changed for the child yet; the plan is only starting to be followed.",
        ),
    ),
    (
        "learn",
        (
            "The worker reflected that seeing the child at school gave a truer picture, and "
            "will plan visits that way.",
            "We agreed the chronology needs updating after every significant event, not at review.",
            "Talking it through showed how much good work was done but not written down.",
        ),
    ),
    (
        "child",
        (
            "'I like it when my worker comes because she listens.'",
            "The child drew their family and said they want more time with their dad.",
        ),
    ),
    (
        "family",
        (
            "Mum said the family plan was the first time anyone asked what would help.",
            "The parents felt the meetings were about them rather than with them.",
        ),
    ),
    (
        "why",
        (
            "The family declined a visit; two further appointments were offered and missed.",
            "The child is non-verbal; their views were gathered through the school's "
            "communication support worker instead.",
        ),
    ),
    (
        "discussion",
        (
            "We went through the findings together; the worker will update the plan's "
            "timescales and see the child at school before the next review.",
            "The worker was pleased with the grades and agreed to record direct work the same "
            "day, so the good practice shows on the file.",
        ),
    ),
)
DEFAULT_ANSWERS = (
    "Discussed with the allocated worker; see the evidence recorded with the grades.",
    "Recorded on the case file and reviewed for this audit.",
)

ACTIONS = (
    "Update the assessment with the child's current circumstances and their own views.",
    "Bring the chronology up to date with the significant events of the last six months.",
    "Record the reasons for the decisions made at the last review.",
    "See the child alone at the next visit and record their wishes and feelings.",
    "Discuss the case in supervision and record the direction given, with timescales.",
    "Review the plan with the family and partners so every action has a named person and a date.",
    "Complete a current risk assessment and write a contingency plan.",
    "Share the audit findings with the partner agencies and agree who does what.",
)
ACTION_EVIDENCE = (
    "Done: the updated record is on the case file and was checked in supervision.",
    "Completed at the review meeting; the minutes are on the file.",
    "The child was seen alone on the last two visits and their words are recorded.",
    "Supervision record updated with the decisions, reasons and timescales.",
)
RETURN_REASONS = (
    "The chronology still misses the events of the summer: please add them first.",
    "The plan is updated, but the child's own views are not recorded yet.",
    "The risk assessment has no contingency plan; please add one.",
)
OVERRIDE_REASONS = (
    "The grading rules understate the positive impact for the child, which the file shows clearly.",
    "One decisive gap outweighs the rest of the work on this case.",
)
RATIONALES = (
    "Having read the file, the impact for the child is stronger than the grade reflects.",
    "The evidence does not support this grade: the gaps in planning and oversight are significant.",
    "The standards are met, but the evidence of impact for the child is not there yet.",
)
FEEDBACK = (
    "A thorough audit with clear evidence for every grade. Thank you.",
    "Good evidence throughout; make the actions a little more specific next time.",
    "Clear and fair. Please quote the child's own words where the file has them.",
    "Well-balanced findings; the summary would help the worker more with one clear priority.",
)
CONCERNS = (
    "The file shows repeated domestic abuse incidents in the last month with no strategy "
    "discussion recorded.",
    "The child disclosed to school that they are left alone overnight; no follow-up is recorded.",
    "A new adult has moved into the household and no checks have been made.",
    "The child has been missing from home three times this month without a return interview.",
    "Bruising reported by the nursery was not followed up with a medical.",
)
RESPONSES = (
    "Strategy discussion held the next day; a section 47 enquiry is under way.",
    "Discussed with the team manager: the child was visited the same day and a safety plan agreed.",
    "Checks completed with the police and health; the plan has been updated.",
    "Return interview completed and a referral made to the exploitation panel.",
)
THEMES = (
    (
        "Neglect",
        "The child's lived experience of neglect: how it was recognised and measured, and "
        "whether the plan changed the child's daily life.",
    ),
    (
        "Children missing education",
        "Whether the work knows where the child is learning, acts on missed school quickly, "
        "and works with the education welfare service.",
    ),
    (
        "Domestic abuse",
        "Whether the risk assessment covers every adult, the child's experience is heard, "
        "and the safety plan is shared with the agencies who need it.",
    ),
    (
        "Child exploitation",
        "Criminal and sexual exploitation: return interviews, information shared with the "
        "police, and plans that keep the child safe outside the home.",
    ),
    (
        "Parental mental health and substance misuse",
        "Whether adult services are part of the plan and the impact on the child is assessed, "
        "not only the adult's needs.",
    ),
    (
        "Transitions to adulthood",
        "Planning for the child's move to adult services or independence, started early and "
        "shaped by what the young person wants.",
    ),
)


#: The flags each theme selects cases by (the others draw from every case).
THEME_FLAGS = {
    "Neglect": ["NEGLECT"],
    "Domestic abuse": ["DOMESTIC_ABUSE"],
    "Child exploitation": ["CSE", "CCE"],
    "Parental mental health and substance misuse": [
        "PARENTAL_MENTAL_HEALTH",
        "PARENTAL_SUBSTANCE_MISUSE",
    ],
}


def _add_months(month: date, count: int) -> date:
    """The first day of the month *count* months after *month*'s."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def history_exists() -> bool:
    """True when the database already holds the demo history."""
    return (
        db.session.scalar(
            select(Audit.id).where(Audit.allocation_reason.startswith(HISTORY_REASON)).limit(1)
        )
        is not None
    )


@contextmanager
def _no_email() -> Iterator[None]:
    """Leave the engine's notifications in the portal only: never email them."""
    host = current_app.config.get("SMTP_HOST")
    current_app.config["SMTP_HOST"] = ""
    try:
        yield
    finally:
        current_app.config["SMTP_HOST"] = host


def seed_audit_history(today: date) -> dict[str, int]:
    """Add a year of audit history up to *today*, unless it is there already; commit once.

    Returns :func:`history_counts` with ``added``, the number of audits this run added.
    """
    if history_exists():
        return {"added": 0, **history_counts(today)}
    with _no_email():
        added = _History(today).build()
    db.session.commit()
    return {"added": added, **history_counts(today)}


def history_counts(today: date) -> dict[str, int]:
    """What the demo history holds: audits, submitted and moderated ones, joint audits,
    actions by state (with the overdue and returned ones), concerns and themes."""
    history = Audit.allocation_reason.startswith(HISTORY_REASON)
    audits = db.session.scalars(
        select(Audit).where(history).options(selectinload(Audit.auditor_rows))
    ).all()
    actions = db.session.scalars(select(Action).join(Audit).where(history)).all()
    states = Counter(action.status for action in actions)
    ids = [audit.id for audit in audits]
    return {
        "audits": len(audits),
        "submitted": sum(audit.submitted_at is not None for audit in audits),
        "moderated": db.session.scalar(
            select(func.count()).select_from(Moderation).join(Audit).where(history)
        ),
        "joint": sum(len(audit.auditor_rows) > 1 for audit in audits),
        "open": states[ActionStatus.OPEN.value],
        "overdue": sum(action.is_overdue(today) for action in actions),
        "returned": sum(
            action.status == ActionStatus.OPEN.value and bool(action.returned_reason)
            for action in actions
        ),
        "completed": states[ActionStatus.COMPLETED.value],
        "signed_off": states[ActionStatus.SIGNED_OFF.value],
        "concerns": db.session.scalar(
            select(func.count())
            .select_from(SafeguardingConcern)
            .where(
                SafeguardingConcern.source_type == "audit",
                SafeguardingConcern.source_id.in_([str(audit_id) for audit_id in ids]),
            )
        ),
        "themes": db.session.scalar(
            select(func.count())
            .select_from(ThemeMonth)
            .where(ThemeMonth.month > today.replace(day=1))
        ),
    }


def describe_history(counts: dict[str, int]) -> list[str]:
    """The lines ``seed-demo`` prints about the demo history."""
    first = (
        f"Added a year of demo audit history ({counts['added']} audits)."
        if counts["added"]
        else "Nothing to add: the demo audit history is already in place."
    )
    return [
        first,
        f"Demo history: {counts['audits']} audits ({counts['submitted']} submitted, "
        f"{counts['moderated']} moderated, {counts['joint']} joint); actions: "
        f"{counts['open']} open ({counts['overdue']} overdue, {counts['returned']} returned), "
        f"{counts['completed']} completed awaiting sign-off, {counts['signed_off']} signed off; "
        f"{counts['concerns']} safeguarding concerns; {counts['themes']} themes scheduled ahead.",
    ]


class _History:
    """One run of the history: the people, the cases, the random generator and the clock."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.now = datetime.combine(today, time())  # the history ends as today begins
        self.rng = random.Random(HISTORY_SEED)
        host = plugin_host()  # invented history for the shipped tools only, never an outside
        self.processes = [  # one, nor a process defined at run time
            p
            for p in host.enabled_processes()
            if p.key in host.installed and host.installed[p.key].shipped
        ]
        self.users = {
            user.email: user
            for user in db.session.scalars(
                select(User).options(selectinload(User.role_rows), joinedload(User.agency))
            )
        }
        self.staff = auditors()
        self.cases = {case.id: case for case in db.session.scalars(select(Case).order_by(Case.id))}
        self.service_of = dict(
            db.session.execute(select(Team.id, Service.code).join(Service)).all()
        )
        self.last_audited: dict[int, date] = dict(
            db.session.execute(
                select(Audit.case_id, func.max(Audit.allocated_on)).group_by(Audit.case_id)
            ).all()
        )
        #: For each case, the processes whose last audit of it was graded Inadequate, with
        #: the day that audit was allocated: what the selection's re-audit rule reads.
        self.inadequate: dict[int, dict[str, date]] = {}
        self.clock = self.now  # when the engine call being made happened in the story
        self.notified: list[tuple[Notification, datetime]] = []
        self.submitted: list[Audit] = []
        self.added = 0

    def user(self, user_id: int) -> User:
        """The user with id *user_id*."""
        return db.session.get(User, user_id)

    # The year -----------------------------------------------------------------------

    def build(self) -> int:
        """Live through every month, oldest first, then the concerns and the themes.

        Returns how many audits were added.
        """
        session = db.session()
        event.listen(session, "transient_to_pending", self._on_pending)
        try:
            # The engine flushes where it needs ids; flushing before every lazy load as
            # well would make the history several times slower.
            with session.no_autoflush:
                current = self.today.replace(day=1)
                for back in range(HISTORY_MONTHS, -1, -1):
                    self._month(_add_months(current, -back), back)
                self._concerns()
                self._themes(current)
                self._every_tool_sees_the_worker(current)
                self._followups(current)
        finally:
            event.remove(session, "transient_to_pending", self._on_pending)
        for notification, moment in self.notified:
            notification.created_at = moment
            if moment < self.now - timedelta(days=READ_AFTER_DAYS):
                notification.read_at = moment + timedelta(hours=self.rng.randint(1, 48))
        return self.added

    def _on_pending(self, _session, instance) -> None:
        """Note each notification the engine leaves, to date it by the story's clock."""
        if isinstance(instance, Notification):
            self.notified.append((instance, self.clock))

    def _candidates(self, allocated_on: date) -> list[CandidateCase]:
        """What the selection made on *allocated_on* drew from, as the real one does: the
        cases open that day (and those closed in the month before, for processes that draw
        recently closed cases), with when each was last audited."""
        return [
            CandidateCase(
                id=case.id,
                reference=case.reference,
                case_type=case.case_type,
                team_id=case.team_id,
                service_code=self.service_of[case.team_id],
                worker_id=case.allocated_worker_id,
                last_audited_on=self.last_audited.get(case.id),
                inadequate_audits=tuple(self.inadequate.get(case.id, {}).items()),
                closed_on=case.closed_on
                if case.closed_on and case.closed_on <= allocated_on
                else None,
            )
            for case in self.cases.values()
            if case.opened_on <= allocated_on
            and (case.closed_on is None or case.closed_on > allocated_on - timedelta(days=31))
        ]

    def _month(self, month: date, back: int) -> None:
        """Draw, allocate and work through the audits of *month* (*back* months ago)."""
        allocated_on = min(first_working_day(month), self.today)
        self.clock = datetime.combine(allocated_on, time(7, 30))
        candidates = self._candidates(allocated_on)
        result = draw(month, self.rng.randrange(2**31), self.processes, candidates, self.staff)
        processes = {process.key: process for process in self.processes}
        audits = []
        for item in result.allocations:
            audits.append(
                allocate(
                    self.cases[item.case.id],
                    processes[item.process_key],
                    [self.user(item.auditor.id)],
                    allocated_by=None,
                    allocated_on=allocated_on,
                    reason=f"{HISTORY_REASON}: the selection of {month:%B %Y}",
                )
            )
            self.last_audited[item.case.id] = allocated_on
        chosen = {item.case.id for item in result.allocations}
        if back == 0:
            audits.extend(self._manager_has_an_audit(allocated_on, candidates, chosen))
        if back in JOINT_MONTHS:
            step = max(1, len(audits) // JOINT_AUDITS_PER_MONTH)
            self._make_joint(audits[::step][:JOINT_AUDITS_PER_MONTH], audits)
        month_index = HISTORY_MONTHS - back
        for audit in audits:
            _new(audit)
            profile = self.rng.choices(list(PROFILES), weights=_profile_weights(month_index))[0]
            self._work_on(audit, back, PROFILES[profile])
        if back == REAUDIT_STORY_MONTH and not any(
            due_for_reaudit(item.case, processes[item.process_key], month)
            for item in result.allocations
        ):
            reaudit = self._reaudit(allocated_on, candidates, chosen)
            if reaudit is not None:
                _new(reaudit)
                audits.append(reaudit)
                self._work_on(reaudit, back, PROFILES["mixed"])
        if back == WORKER_STORY_MONTH:
            story = self._by_hand(
                allocated_on,
                candidates,
                chosen,
                f"chosen by hand in {month:%B %Y} after a complaint from the family",
                worker=self.users[SOCIAL_WORKER],
                even_if_recent=True,
            )
            if story is not None:
                _new(story)
                audits.append(story)
                self._work_on(story, back, PROFILES["mixed"], ("open", "returned", "awaiting"))
        for audit in audits:
            audit.created_at = datetime.combine(allocated_on, time(7, 30))
            graded = self.inadequate.setdefault(audit.case_id, {})
            if audit.record_grade == INADEQUATE.key:
                graded[audit.process_key] = allocated_on
            else:  # its last audit of this process is this one, not graded Inadequate
                graded.pop(audit.process_key, None)
        self.added += len(audits)

    # Hand allocations for the demo accounts ----------------------------------------

    def _by_hand(
        self,
        allocated_on: date,
        candidates: Sequence[CandidateCase],
        chosen: set[int],
        why: str,
        *,
        auditor: User | None = None,
        worker: User | None = None,
        processes: Sequence[AuditProcess] | None = None,
        even_if_recent: bool = False,
    ) -> Audit | None:
        """Allocate one case by hand, as a QA administrator would: held by *worker* when
        given, of one of *processes* (else any enabled one), audited by *auditor* (else
        anyone a quota of its process names) with no conflict of interest; not a case
        audited in the last 12 months unless *even_if_recent* (a complaint, say, which the
        draw's rule does not bind). None when no case and auditor fit."""
        month = allocated_on.replace(day=1)
        for process in self.processes if processes is None else processes:
            people = [auditor] if auditor else [self.user(member.id) for member in self.staff]
            people = [person for person in people if _in_quota(process, person)]
            self.rng.shuffle(people)
            for candidate in candidates:
                if (
                    candidate.id in chosen
                    or (recently_audited(candidate, month) and not even_if_recent)
                    or (worker is not None and candidate.worker_id != worker.id)
                    or not _applies(process, candidate)
                ):
                    continue
                case = self.cases[candidate.id]
                for person in people:
                    if conflict_for(case, person) is None:
                        chosen.add(candidate.id)
                        self.last_audited[candidate.id] = allocated_on
                        return allocate_by_hand(
                            case,
                            process,
                            person,
                            f"{HISTORY_REASON}: {why}",
                            self.users[QA_ADMIN],
                            allocated_on,
                        )
        return None

    def _every_tool_sees_the_worker(self, current: date) -> None:
        """Let each enabled process that has not audited one of the demo social worker's
        cases in the year audit one, chosen by hand in the month :data:`WORKER_TOOLS_MONTH`
        back: so the demo worker meets every tool that applies to their cases (an
        observation of their practice waiting for their reflection, say). Runs after the
        rest of the year, so that the year itself is the same with or without it."""
        worker = self.users[SOCIAL_WORKER]
        month = _add_months(current, -WORKER_TOOLS_MONTH)
        allocated_on = min(first_working_day(month), self.today)
        db.session.flush()
        held = [case.id for case in self.cases.values() if case.allocated_worker_id == worker.id]
        seen = set(
            db.session.scalars(select(Audit.process_key).where(Audit.case_id.in_(held)).distinct())
        )
        candidates = self._candidates(allocated_on)
        for process in self.processes:
            if process.key in seen:
                continue
            self.clock = datetime.combine(allocated_on, time(7, 30))
            audit = self._by_hand(
                allocated_on,
                candidates,
                set(),
                f"chosen by hand in {month:%B %Y} so that the {process.title} sees the demo "
                f"social worker's practice",
                worker=worker,
                processes=[process],
            )
            if audit is None:
                continue
            _new(audit)
            self._work_on(audit, WORKER_TOOLS_MONTH, PROFILES["good"])
            audit.created_at = datetime.combine(allocated_on, time(7, 30))
            self.added += 1

    def _reaudit(
        self, allocated_on: date, candidates: Sequence[CandidateCase], chosen: set[int]
    ) -> Audit | None:
        """Re-audit by hand a case due for it (its last audit of a process that re-audits
        was graded Inadequate long enough ago), as a QA administrator would; None when no
        case and auditor fit."""
        month = allocated_on.replace(day=1)
        for process in self.processes:
            due = [
                candidate
                for candidate in candidates
                if candidate.id not in chosen and due_for_reaudit(candidate, process, month)
            ]
            for candidate in due:
                case = self.cases[candidate.id]
                for member in self.staff:
                    person = self.user(member.id)
                    if _in_quota(process, person) and conflict_for(case, person) is None:
                        chosen.add(candidate.id)
                        self.last_audited[candidate.id] = allocated_on
                        return allocate_by_hand(
                            case,
                            process,
                            person,
                            f"{HISTORY_REASON}: a re-audit after an Inadequate judgement",
                            self.users[QA_ADMIN],
                            allocated_on,
                        )
        return None

    def _manager_has_an_audit(
        self, allocated_on: date, candidates: Sequence[CandidateCase], chosen: set[int]
    ) -> list[Audit]:
        """Give the demo team manager an audit this month if the draw gave them none."""
        manager = self.users[TEAM_MANAGER]
        has_one = db.session.scalar(
            select(Audit.id)
            .where(Audit.allocated_on == allocated_on, Audit.auditor_rows.any(user_id=manager.id))
            .limit(1)
        )
        if has_one is not None:
            return []
        audit = self._by_hand(
            allocated_on, candidates, chosen, "the team manager's audit", auditor=manager
        )
        return [audit] if audit else []

    def _make_joint(self, joint: Sequence[Audit], month: Sequence[Audit]) -> None:
        """Name a second auditor on each of the *joint* audits: someone auditing another
        case of the same process in the *month*, with no conflict of interest."""
        lead = self.users[QA_LEAD]
        for audit in joint:
            others = [
                person
                for other in month
                if other is not audit and other.process_key == audit.process_key
                for person in other.auditors
                if person not in audit.auditors
            ]
            self.rng.shuffle(others)
            second = next((p for p in others if conflict_for(audit.case, p) is None), None)
            if second is not None:
                self.clock = datetime.combine(audit.allocated_on, time(10))
                add_joint_auditor(audit, second, "A joint audit, for calibration", lead)

    # One audit ----------------------------------------------------------------------

    def _work_on(
        self, audit: Audit, back: int, weights: Sequence[int], fates: Sequence[str] = ()
    ) -> None:
        """Work on *audit* (of the month *back* months ago) as far as the story has got by
        now: submitted, moderated and its actions moved on, or still being filled in.

        Section grades are drawn with *weights* (best first). *fates*, when given, make
        the first graded section need actions and decide the fates of its first actions.
        """
        rng = self.rng
        late = rng.random() < 0.12
        due_days = plugin_host().process(audit.process_key).due.working_days
        submit_day = (
            add_working_days(audit.due_on, rng.randint(1, 8))
            if late
            else add_working_days(audit.allocated_on, rng.randint(5, due_days))
        )
        submitted_at = datetime.combine(submit_day, time(rng.randint(8, 17), rng.randrange(60)))
        if back > 0 and submitted_at >= self.now:  # a past month's audits are all in
            submitted_at = self.now - timedelta(hours=rng.randint(2, 60))
        form = form_of(audit)
        answers = self._answers(form, weights, submitted_at.date(), first_needs_action=bool(fates))
        self.clock = submitted_at
        auditor = audit.auditors[0]
        keeps_open = back == 0 and any(person.email == TEAM_MANAGER for person in audit.auditors)
        if submitted_at < self.now and not keeps_open:
            self._submit(audit, form, answers, submitted_at, fates)
        elif audit.allocated_on + timedelta(days=3) < self.today and rng.random() < 0.75:
            begun = {s.key for s in form.graded_sections[: max(1, len(form.graded_sections) // 2)]}
            partial = {key: value for key, value in answers.items() if key.split(".")[0] in begun}
            save_answers(audit, partial, audit.revision, auditor)

    def _submit(
        self,
        audit: Audit,
        form: FormDefinition,
        answers: dict[str, str],
        submitted_at: datetime,
        fates: Sequence[str],
    ) -> None:
        """Save *answers* with an overall judgement, draft the actions, record each joint
        auditor's own judgement, submit, then moderate and move the actions on."""
        auditor = audit.auditors[0]
        answers.update(self._overall(audit, form, answers, submitted_at.date()))
        save_answers(audit, answers, audit.revision, auditor)
        self._draft_actions(audit, form, submitted_at.date(), len(fates))
        if len(audit.auditors) > 1:
            agreed = (
                audit.answers()["overall"].get("grade")
                or judgement_for(audit, form, audit.answers(), submitted_at.date()).grade
            )
            for offset, person in enumerate(audit.auditors):
                own = agreed if offset == 0 else _neighbour(form, agreed, self.rng, chance=0.35)
                record_own_judgement(audit, person, own)
                audit.joint_judgements[-1].recorded_at = submitted_at - timedelta(days=2 - offset)
        errors = submit(audit, auditor, submitted_at.date())
        if errors:
            raise RuntimeError(
                f"demo audit {audit.id} was refused: " + "; ".join(e.message for e in errors)
            )
        audit.submitted_at = submitted_at
        self.submitted.append(audit)
        for action in audit.actions:
            action.created_at = submitted_at
        self._moderate(audit, form)
        self._after_submission(audit, form)
        for index, action in enumerate(audit.actions):
            self._settle(action, fates[index] if index < len(fates) else "")
        refresh_status(audit)
        if audit.lifecycle == AuditStatus.CLOSED:
            audit.closed_at = max(
                [
                    submitted_at,
                    *([audit.moderation.moderated_at] if audit.moderation else []),
                    *(action.signed_off_at for action in audit.actions),
                ]
            )

    def _answers(
        self,
        form: FormDefinition,
        weights: Sequence[int],
        submit_day: date,
        *,
        first_needs_action: bool = False,
    ) -> dict[str, str]:
        """Every section's answers, flat, with grades drawn with *weights* (best first);
        the first graded section gets the best grade that needs actions when asked."""
        rng = self.rng
        answers: dict[str, str] = {}
        scale = _scale(form)
        for section in form.sections:
            if section.filled_after_by is not None:
                continue  # not the auditor's: recorded after submission
            first_choice = True
            for question in section.questions:
                key = f"{section.key}.{question.key}"
                if question.kind == "choice":
                    values = [value for value, _ in question.choices]
                    value = values[0] if rng.random() < 0.75 else rng.choice(values)
                    first_choice = first_choice and value == values[0]
                    answers[key] = value
                elif question.kind == "date":
                    if question.required:
                        day = submit_day - timedelta(days=rng.randint(1, 7))
                        answers[key] = day.isoformat()
                elif question.required or _answers_optional(question.key, first_choice, rng):
                    answers[key] = rng.choice(_texts_for(question.label))
            if section.graded:
                grade = rng.choices(scale, weights=_fitted(weights, len(scale)))[0]
                if first_needs_action and section == form.graded_sections[0]:
                    grade = next(grade for grade in scale if grade.needs_action)
                position = min(scale.index(grade), len(EVIDENCE) - 1)
                answers[f"{section.key}.grade"] = grade.key
                answers[f"{section.key}.evidence"] = " ".join(rng.sample(EVIDENCE[position], 2))
        grades = {s.key: answers[f"{s.key}.grade"] for s in form.graded_sections}
        answers.update(self._plugin_answers(form, grades, submit_day))
        return answers

    def _plugin_answers(
        self, form: FormDefinition, grades: dict[str, str], day: date
    ) -> dict[str, str]:
        """The answers the process's own plugin gives in agreement with *grades*
        (``portal_demo_answers``), flat, to the questions *form* asks; none without one."""
        asked = {f"{s.key}.{q.key}" for s in form.sections for q in s.questions}
        for key, call in plugin_host().implementations("portal_demo_answers"):
            if key != form.process_key:
                continue
            given = call(form=form, grades=grades, day=day, rng=self.rng) or {}
            flat = {
                f"{section}.{question}": value
                for section, fields in given.items()
                for question, value in fields.items()
            }
            return {name: value for name, value in flat.items() if name in asked}
        return {}

    def _overall(
        self, audit: Audit, form: FormDefinition, answers: dict[str, str], day: date
    ) -> dict[str, str]:
        """The overall judgement on *day*: usually the suggested one, now and then changed
        by one grade with a reason; a summary; learning areas on about half the audits."""
        rng = self.rng
        suggested = judgement_for(audit, form, nest(answers), day).grade
        overall = {"overall.grade": suggested if rng.random() < 0.5 else ""}
        if rng.random() < 0.06:
            overall["overall.grade"] = _neighbour(form, suggested, rng, chance=1)
            overall["overall.reason"] = rng.choice(OVERRIDE_REASONS)
        chosen = overall["overall.grade"] or suggested
        overall["overall.summary"] = SUMMARIES[min(_position(form, chosen), len(SUMMARIES) - 1)]
        if rng.random() < 0.5:
            areas = rng.sample([area.value for area in LearningArea], rng.randint(1, 2))
            overall["overall.learning"] = ",".join(sorted(areas))
        return overall

    def _draft_actions(
        self, audit: Audit, form: FormDefinition, submit_day: date, at_least: int
    ) -> None:
        """Draft an action on each section whose grade needs one (*at_least* in all, on
        the first such section), owned by the case's worker, due 20 to 40 days on."""
        rng = self.rng
        case = audit.case
        owner = case.allocated_worker or case.team.manager
        answers = audit.answers()
        for number, key in enumerate(sections_needing_actions(audit, form, answers, submit_day)):
            worst = _position(form, answers[key]["grade"]) == len(form.grades) - 1
            for _ in range(max(1, at_least if number == 0 else 1)):
                priority = Priority.HIGH if worst else rng.choice([Priority.MEDIUM, Priority.LOW])
                audit.actions.append(
                    Action(
                        section_key=key,
                        description=rng.choice(ACTIONS),
                        priority=priority.value,
                        owner=owner,
                        owner_id=owner.id,  # read before the next flush
                        due_on=submit_day + timedelta(days=rng.randint(20, 40)),
                        status=ActionStatus.DRAFT.value,
                        created_by_id=audit.auditors[0].id,
                    )
                )

    def _after_submission(self, audit: Audit, form: FormDefinition) -> None:
        """The sections filled after submission (the Early Help audit's supervision): the
        person named records them one to three weeks on, if that is in the past, for
        about four audits in five."""
        rng = self.rng
        for section in after_sections(form):
            day = audit.submitted_at.date() + timedelta(days=rng.randint(5, 21))
            people = fillers(audit, section)
            if day >= self.today or not people or rng.random() >= 0.8:
                continue
            answers = {
                f"{section.key}.{question.key}": day.isoformat()
                if question.kind == "date"
                else rng.choice(_texts_for(question.label))
                for question in section.questions
            }
            self.clock = datetime.combine(day, time(rng.randint(9, 16)))
            errors = record_after(audit, section, answers, people[0], self.today)
            if errors:
                raise RuntimeError(f"demo audit {audit.id}: {errors}")

    def _moderate(self, audit: Audit, form: FormDefinition) -> None:
        """The QA lead's moderation, a few days after submission if that is in the past:
        agreed about four times in five, otherwise changed by one grade."""
        rng = self.rng
        moderated_at = audit.submitted_at + timedelta(
            days=rng.randint(2, 21), hours=rng.randint(0, 6)
        )
        if not audit.moderation_required or moderated_at >= self.now:
            return
        moderator = self.users[QA_LEAD]
        grade, rationale = audit.overall_grade, ""
        if rng.random() < 0.2:
            grade = _neighbour(form, audit.overall_grade, rng, chance=1)
            rationale = rng.choice(RATIONALES)
        learning = (
            rng.sample([area.value for area in LearningArea], 1) if rng.random() < 0.3 else []
        )
        given = check(audit, moderator, grade, rationale, rng.choice(FEEDBACK), learning)
        if given.errors:
            raise RuntimeError(f"demo moderation of audit {audit.id} was refused: {given.errors}")
        self.clock = moderated_at
        moderate(audit, moderator, given).moderated_at = moderated_at

    def _settle(self, action: Action, fate: str) -> None:
        """Move an issued action on to where it would be now: completed some weeks after
        it was issued (late, now and then, or not at all), sometimes returned once, and
        signed off by the owner's line manager some days later.

        *fate* forces one unfinished state: "open" (never completed), "returned" (sent
        back and not done again yet) or "awaiting" (completed days ago, not signed off).
        """
        rng = self.rng
        issued = action.created_at
        completed = issued + timedelta(days=rng.randint(7, 45), hours=rng.randint(0, 8))
        never = fate == "open" or (not fate and rng.random() < 0.03)
        returned = fate == "returned" or (not fate and rng.random() < 0.08)
        returned_at = completed + timedelta(days=rng.randint(1, 5))
        redone = returned_at + timedelta(days=rng.randint(5, 20))
        if fate == "returned":
            completed = min(completed, self.now - timedelta(days=4))
            returned_at = completed + timedelta(days=1)
            redone = self.now + timedelta(days=30)
        elif fate == "awaiting":
            completed = self.now - timedelta(days=3)
        if never or completed >= self.now:
            return
        action.evidence = rng.choice(ACTION_EVIDENCE)
        if returned and returned_at < self.now:
            action.returned_reason = rng.choice(RETURN_REASONS)
            if redone >= self.now:
                return  # open again; the evidence stays, as when it is sent back
            completed = redone
        action.status = ActionStatus.COMPLETED.value
        action.completed_at = completed
        signed = completed + timedelta(days=rng.randint(1, 14))
        manager = sign_off_manager(action)
        if fate or (returned and returned_at >= self.now) or signed >= self.now:
            return  # waiting for the sign-off (or for being sent back)
        if manager is not None:
            action.status = ActionStatus.SIGNED_OFF.value
            action.signed_off_by = manager
            action.signed_off_at = signed

    # Concerns and themes ------------------------------------------------------------

    def _concerns(self) -> None:
        """Safeguarding concerns raised by the auditors of some of the year's audits with a
        grade that needs actions: the most recent is still open, the others were answered
        within days by one of the people the concern went to."""
        weakest = [
            audit
            for audit in self.submitted
            if form_of(audit).grade(audit.record_grade).needs_action
        ]
        if not weakest:
            return
        step = max(1, len(weakest) // (ANSWERED_CONCERNS + 1))
        chosen = [*weakest[:-1][::step][:ANSWERED_CONCERNS], weakest[-1]]
        for number, audit in enumerate(chosen):
            raiser = audit.auditors[0]
            raised_at = self.clock = audit.submitted_at - timedelta(hours=1)
            concern = raise_concern(
                audit.case, "audit", audit.id, CONCERNS[number % len(CONCERNS)], raiser
            )
            if audit is not chosen[-1]:
                responder = next(person for person in recipients(audit.case) if person != raiser)
                self.clock += timedelta(days=self.rng.randint(1, 3))
                respond(concern, RESPONSES[number % len(RESPONSES)], responder)
                concern.responded_at = self.clock
            concern.raised_at = raised_at

    def _themes(self, current: date) -> None:
        """The thematic schedule of the next months, where none is set yet."""
        lead = self.users[QA_LEAD]
        planned = set(db.session.scalars(select(ThemeMonth.month)))
        for ahead in range(1, THEME_MONTHS_AHEAD + 1):
            month = _add_months(current, ahead)
            if month in planned:
                continue
            theme, notes = THEMES[(month.month - 1) % len(THEMES)]
            db.session.add(
                ThemeMonth(
                    month=month,
                    theme=theme,
                    notes=notes,
                    flags=THEME_FLAGS.get(theme, []),
                    updated_by_id=lead.id,
                )
            )

    def _followups(self, current: date) -> None:
        """Learning themes of the last months given owners, with what changed: one closed,
        two still open (so the reports and the follow-up list have something to show)."""
        lead = self.users[QA_LEAD]
        for back, area, owner, learning, changes, closed in FOLLOWUPS:
            month = _add_months(current, -back)
            raised = datetime.combine(_add_months(month, 1), time(10))
            followup = LearningFollowUp(
                month=month,
                area=area.value,
                owner=self.users[owner],
                learning=learning,
                created_by=lead,
                created_at=raised,
            )
            db.session.add(followup)
            for days, text in changes:
                db.session.add(
                    LearningChange(
                        followup=followup,
                        author=self.users[owner],
                        text=text,
                        recorded_at=raised + timedelta(days=days),
                    )
                )
            if closed:
                followup.closed_at = raised + timedelta(days=closed)
                followup.closed_by = lead


# Pure helpers -------------------------------------------------------------------------


def _new(audit: Audit) -> None:
    """Tell the session that a just-allocated *audit* has no answers, actions, learning
    tags, joint judgements or moderation yet, which saves a query for each as the engine
    reads them."""
    for name in ("answer_rows", "actions", "learning_rows", "joint_judgements"):
        set_committed_value(audit, name, [])
    set_committed_value(audit, "moderation", None)


def _scale(form: FormDefinition) -> list[Grade]:
    """The form's grades, best first."""
    return sorted(form.grades, key=lambda grade: grade.rank, reverse=True)


def _position(form: FormDefinition, key: str | None) -> int:
    """Where the grade *key* comes on the form's scale, 0 for the best."""
    return [grade.key for grade in _scale(form)].index(key)


def _fitted(weights: Sequence[int], size: int) -> list[int]:
    """*weights* cut or padded (with the last weight) to *size* grades."""
    return [weights[min(index, len(weights) - 1)] for index in range(size)]


def _neighbour(form: FormDefinition, key: str, rng: random.Random, chance: float) -> str:
    """With probability *chance*, a grade next to *key* on the scale; else *key*."""
    if rng.random() >= chance:
        return key
    scale = _scale(form)
    position = _position(form, key)
    options = [index for index in (position - 1, position + 1) if 0 <= index < len(scale)]
    return scale[rng.choice(options)].key


def _texts_for(label: str) -> tuple[str, ...]:
    """Plausible answers to a question, chosen by the first word of :data:`ANSWERS_BY_WORD`
    in its *label*."""
    words = label.lower()
    return next((texts for word, texts in ANSWERS_BY_WORD if word in words), DEFAULT_ANSWERS)


def _answers_optional(key: str, first_choice: bool, rng: random.Random) -> bool:
    """Whether to answer an optional question: one that explains a negative answer (its
    key has a "not" part) only after a choice other than the first; others half the time."""
    if "not" in key.split("_"):
        return not first_choice
    return rng.random() < 0.5


def _closed_by(case: Case, day: date) -> date | None:
    """When *case* closed, if it had closed by *day*; None while it was still open then."""
    return case.closed_on if case.closed_on is not None and case.closed_on <= day else None


def _applies(process: AuditProcess, case: CandidateCase) -> bool:
    """True when *process* audits cases like *case* (its services and case types)."""
    return (not process.case_types or case.case_type in process.case_types) and (
        not process.services or case.service_code in process.services
    )


def _in_quota(process: AuditProcess, user: User) -> bool:
    """True when a quota of *process* names *user*."""
    roles = {role.value for role in user.roles}
    agency = user.agency.code if user.agency else None
    return any(
        roles & set(quota.auditor_roles)
        and (quota.auditor_agency is None or agency == quota.auditor_agency)
        for quota in process.quotas
    )
