"""The thematic review's own tables (every name starts with the plugin's key)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.plugin_api import Audit, Case, SafeguardingConcern, User, db, utcnow


class Review(db.Model):
    """A quarterly qualitative review of a theme: a day or two, at least 12 cases, in pairs."""

    __tablename__ = "thematic_review_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme: Mapped[str] = mapped_column(String(200))
    first_day: Mapped[date]
    second_day: Mapped[date | None]
    venue: Mapped[str] = mapped_column(String(200), default="")
    lead_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # safeguarding unit
    qa_lead_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    seed: Mapped[int | None]  # the draw of the cases, when drawn
    status: Mapped[str] = mapped_column(String(20), default="planning")
    findings: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str] = mapped_column(Text, default="")
    family_voice: Mapped[str] = mapped_column(Text, default="")
    # the group feedback session with the social workers and managers, once held
    feedback_session_on: Mapped[date | None]
    feedback_session_attendees: Mapped[str] = mapped_column(Text, default="")
    feedback_session_notes: Mapped[str] = mapped_column(Text, default="")
    endorsed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    endorsed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lead: Mapped[User] = relationship(foreign_keys=[lead_id])
    qa_lead: Mapped[User] = relationship(foreign_keys=[qa_lead_id])
    endorsed_by: Mapped[User | None] = relationship(foreign_keys=[endorsed_by_id])
    members: Mapped[list[Member]] = relationship(cascade="all, delete-orphan")
    cases: Mapped[list[ReviewCase]] = relationship(
        back_populates="review", order_by="ReviewCase.id", cascade="all, delete-orphan"
    )
    questions: Mapped[list[Question]] = relationship(
        order_by="Question.position", cascade="all, delete-orphan"
    )
    plan_items: Mapped[list[PlanItem]] = relationship(
        back_populates="review", order_by="PlanItem.id", cascade="all, delete-orphan"
    )


class Member(db.Model):
    """A member of a review (auditors, the lead, the QA lead, others invited)."""

    __tablename__ = "thematic_review_members"

    review_id: Mapped[int] = mapped_column(
        ForeignKey("thematic_review_reviews.id"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)

    user: Mapped[User] = relationship()


class ReviewCase(db.Model):
    """A case of a review: drawn or chosen with a reason; its case-review audit (the pair as
    its two auditors), and the discussion with the social worker."""

    __tablename__ = "thematic_review_cases"
    __table_args__ = (UniqueConstraint("review_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("thematic_review_reviews.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    chosen_reason: Mapped[str] = mapped_column(Text, default="")  # empty when drawn
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audits.id"))
    worker_notified_at: Mapped[datetime | None]
    worker_attended: Mapped[bool | None]
    discussion: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # question id: answer
    discussion_notes: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="cases")
    case: Mapped[Case] = relationship()
    audit: Mapped[Audit | None] = relationship()
    conversations: Mapped[list[Conversation]] = relationship(
        back_populates="review_case", order_by="Conversation.id"
    )


class Question(db.Model):
    """A question of the framework for the discussion with the social worker (per review)."""

    __tablename__ = "thematic_review_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("thematic_review_reviews.id"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)


class Conversation(db.Model):
    """A conversation with a family: consent first, then their views in their own words.

    *client_key* is made by the auditor's browser for each conversation, so sending it again
    (after the connection came back) never creates a second one.
    """

    __tablename__ = "thematic_review_conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_case_id: Mapped[int] = mapped_column(ForeignKey("thematic_review_cases.id"), index=True)
    client_key: Mapped[str] = mapped_column(String(64), unique=True)
    consent: Mapped[str] = mapped_column(String(20))  # given, refused
    consent_by: Mapped[str] = mapped_column(String(200), default="")
    consent_how: Mapped[str] = mapped_column(String(40), default="")
    participants: Mapped[list[str]] = mapped_column(JSON, default=list)  # child, parent, carer
    child_age_band: Mapped[str] = mapped_column(String(20), default="")
    views_of_service: Mapped[str] = mapped_column(Text, default="")
    what_helped: Mapped[str] = mapped_column(Text, default="")
    what_did_not_help: Mapped[str] = mapped_column(Text, default="")
    ideas: Mapped[str] = mapped_column(Text, default="")
    wants_reply: Mapped[bool] = mapped_column(default=False)
    concern_id: Mapped[int | None] = mapped_column(ForeignKey("safeguarding_concerns.id"))
    captured_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    captured_at: Mapped[datetime] = mapped_column(default=utcnow)

    review_case: Mapped[ReviewCase] = relationship(back_populates="conversations")
    captured_by: Mapped[User] = relationship()
    concern: Mapped[SafeguardingConcern | None] = relationship()
    reply: Mapped[Reply | None] = relationship(back_populates="conversation")
    plan_items: Mapped[list[PlanItem]] = relationship(secondary="thematic_review_feedback_links")


class Reply(db.Model):
    """The written reply to a family: "you said, we did", recorded as sent."""

    __tablename__ = "thematic_review_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("thematic_review_conversations.id"), unique=True
    )
    body: Mapped[str] = mapped_column(Text)
    family_name: Mapped[str] = mapped_column(String(200), default="")  # "Dear ..."
    family_address: Mapped[str] = mapped_column(Text, default="")  # one line each
    sent_on: Mapped[date | None]
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="reply")
    sent_by: Mapped[User | None] = relationship()


class PlanItem(db.Model):
    """A SMART action of a review's plan; all reviews' items make the rolling action plan."""

    __tablename__ = "thematic_review_plan_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("thematic_review_reviews.id"), index=True)
    action: Mapped[str] = mapped_column(Text)  # specific
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    measure: Mapped[str] = mapped_column(Text)  # measurable
    due_on: Mapped[date]  # time-bound
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, done
    progress: Mapped[str] = mapped_column(Text, default="")
    completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    review: Mapped[Review] = relationship(back_populates="plan_items")
    owner: Mapped[User] = relationship()


class FeedbackLink(db.Model):
    """A family's feedback linked to the action it led to."""

    __tablename__ = "thematic_review_feedback_links"

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("thematic_review_conversations.id"), primary_key=True
    )
    plan_item_id: Mapped[int] = mapped_column(
        ForeignKey("thematic_review_plan_items.id"), primary_key=True
    )
