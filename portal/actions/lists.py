"""One bounded list of actions: its filter form read from the query string, and one page of
rows with everything a row shows loaded in a fixed number of statements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from math import ceil

from flask import request, url_for
from sqlalchemy import Select, func, select
from wtforms import SelectChoice

from portal.actions import queries
from portal.actions.forms import ActionFilterForm, month_choices, month_value
from portal.audits.service import form_of
from portal.extensions import db
from portal.models import Action, Service
from portal.paging import PAGE_SIZE, Page, requested_page
from portal.timeutil import today_london


@dataclass(frozen=True)
class ActionList:
    """A list on a page: its filters, its page of actions and the id of its results block."""

    form: ActionFilterForm
    page: Page
    results_id: str
    page_arg: str
    filtered: bool
    endpoint: str

    def link(self, number: int) -> str:
        """The list page's address for page *number* of this list, every filter kept."""
        return url_for(self.endpoint, **{**request.args.to_dict(), self.page_arg: str(number)})

    def clear_link(self) -> str:
        """The list page without this list's filters (the other lists' kept)."""
        return url_for(self.endpoint, **dict(self.other_args()))

    def own_args(self) -> set[str]:
        """The query-string names this list reads (its filters and its page number)."""
        return {field.name for field in self.form} | {self.page_arg}

    def other_args(self) -> list[tuple[str, str]]:
        """The query arguments of the page's other lists, kept by this list's filter form."""
        mine = self.own_args()
        return [(key, value) for key, value in request.args.items(multi=True) if key not in mine]


def service_choices() -> list[SelectChoice]:
    """ "All services", then each service by name (one statement)."""
    services = db.session.execute(select(Service.id, Service.name).order_by(Service.name))
    return [SelectChoice("", "All services")] + [
        SelectChoice(str(service_id), name) for service_id, name in services
    ]


def _as_int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def action_list(
    base: Select,
    order: Callable[[Select], Select],
    *,
    results_id: str,
    endpoint: str,
    services: list[SelectChoice],
    months: list[SelectChoice],
    owners: Iterable[tuple[int, str]] = (),
    form_class: type[ActionFilterForm] = ActionFilterForm,
    prefix: str = "",
    fixed_status: str | None = None,
    per_page: int = PAGE_SIZE,
) -> ActionList:
    """One page of *base* narrowed by the filters in the query string, in *order*, shown
    on the page *endpoint*.

    *fixed_status* pins the status (a list of one status has no status filter); *per_page*
    is smaller for lists of large cards.
    """
    form = form_class(formdata=request.args, prefix=prefix)
    form.service.choices = services
    form.due.choices = list(months)
    due = form.due_month()
    if due is not None and month_value(due) not in {c.value for c in months}:
        form.due.choices.append(SelectChoice(month_value(due), f"{due:%B %Y}"))
    form.owner.choices = [SelectChoice("", "Anyone")] + [
        SelectChoice(str(owner_id), name) for owner_id, name in owners
    ]
    filters = queries.Filters(
        status=fixed_status or form.chosen(form.status),
        overdue=bool(form.overdue.data),
        priority=form.chosen(form.priority),
        due_month=due,
        service_id=_as_int(form.chosen(form.service)),
        owner_id=_as_int(form.chosen(form.owner)),
    )
    page_arg = f"{prefix}-page" if prefix else "page"
    page = _page_of(queries.narrowed(base, filters, today_london()), order, page_arg, per_page)
    return ActionList(form, page, results_id, page_arg, form.filtered(), endpoint)


def _page_of(query: Select, order: Callable[[Select], Select], arg: str, per_page: int) -> Page:
    """One page of the actions *query* finds, in *order*: the count, then the page.

    The page's ids are sorted and cut on the actions table alone (in a subquery of the
    same statement), and only those rows are read whole and joined: sorting thousands of
    open actions with their text and their audits would cost far more.
    """
    total = db.session.scalar(query.with_only_columns(func.count(Action.id)).order_by(None)) or 0
    pages = max(1, ceil(total / per_page))
    number = min(requested_page(arg), pages)
    ids = order(query.with_only_columns(Action.id)).limit(per_page).offset((number - 1) * per_page)
    rows = db.session.scalars(order(queries.listed().where(Action.id.in_(ids)))).unique()
    return Page(items=list(rows), number=number, pages=pages, total=total, per_page=per_page)


def months() -> list[SelectChoice]:
    """The due month filter's choices: every month from the latest due date back to the
    earliest (one statement)."""
    return month_choices(*queries.due_months())


def section_titles(actions: Iterable[Action]) -> dict[int, str]:
    """Each action's section title, read from the form version its audit was filled in
    (loaded with the page, once per distinct form)."""
    titles = {}
    for action in actions:
        audit = action.audit
        form = form_of(audit) if audit.form is not None else None
        sections = form.sections if form is not None else ()
        titles[action.id] = next(
            (section.title for section in sections if section.key == action.section_key),
            action.section_key,
        )
    return titles
