"""Joint business plans: one plan per partner and period, goals on registered metrics, QBR notes."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from prm.audit.services import audit_diff, audit_record, audit_snapshot
from prm.errors import Duplicate, InvalidInput

from ..metrics import metric_get
from ..models import BusinessPlan, BusinessPlanGoal, Partner, QbrNote

PLAN_FIELDS = ("title", "period_start", "period_end", "summary")
TARGET_LIMIT = Decimal("1e14")


def _required_text(value: str, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("Please correct the highlighted fields."), fields={field: [_("This field is required.")]})
    if len(value) > max_length:
        message = _("Use at most %(n)d characters.") % {"n": max_length}
        raise InvalidInput(message, fields={field: [message]})
    return value


def _check_period(*, partner_id: int, period_start: date, period_end: date, exclude_pk=None) -> None:
    if not isinstance(period_start, date) or not isinstance(period_end, date):
        raise InvalidInput(_("Give the period's first and last day."), fields={"period_start": [_("Enter a date.")]})
    if period_end < period_start:
        message = _("The period cannot end before it starts.")
        raise InvalidInput(message, fields={"period_end": [message]})
    overlapping = (
        BusinessPlan.objects.filter(partner_id=partner_id, period_start__lte=period_end, period_end__gte=period_start)
        .exclude(pk=exclude_pk)
        .first()
    )
    if overlapping is not None:
        message = _("“%(title)s” already covers %(start)s – %(end)s for this partner.") % {
            "title": overlapping.title,
            "start": overlapping.period_start.isoformat(),
            "end": overlapping.period_end.isoformat(),
        }
        raise Duplicate(message, fields={"period_start": [message]})


@transaction.atomic
def business_plan_create(
    *, partner: Partner, actor, title: str, period_start: date, period_end: date, summary: str = ""
) -> BusinessPlan:
    """A new plan for `partner`; periods of one partner's plans never overlap."""
    Partner.objects.select_for_update().get(pk=partner.pk)  # serialises plan writes per partner
    title = _required_text(title, "title", 160)
    _check_period(partner_id=partner.pk, period_start=period_start, period_end=period_end)
    plan = BusinessPlan.objects.create(
        partner=partner,
        title=title,
        period_start=period_start,
        period_end=period_end,
        summary=(summary or "").strip(),
        created_by=actor,
    )
    audit_record(
        action="business_plan.create",
        actor=actor,
        obj=plan,
        changes=audit_diff({}, audit_snapshot(plan, PLAN_FIELDS)),
        context={"partner": partner.pk},
    )
    return plan


@transaction.atomic
def business_plan_update(*, plan: BusinessPlan, actor, **values) -> BusinessPlan:
    unknown = set(values) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"Unknown business plan fields: {sorted(unknown)}")
    Partner.objects.select_for_update().get(pk=plan.partner_id)
    plan = BusinessPlan.objects.get(pk=plan.pk)
    before = audit_snapshot(plan, PLAN_FIELDS)
    if "title" in values:
        plan.title = _required_text(values["title"], "title", 160)
    if "summary" in values:
        plan.summary = (values["summary"] or "").strip()
    plan.period_start = values.get("period_start", plan.period_start)
    plan.period_end = values.get("period_end", plan.period_end)
    _check_period(
        partner_id=plan.partner_id, period_start=plan.period_start, period_end=plan.period_end, exclude_pk=plan.pk
    )
    plan.save()
    changes = audit_diff(before, audit_snapshot(plan, PLAN_FIELDS))
    if changes:
        audit_record(action="business_plan.update", actor=actor, obj=plan, changes=changes)
    return plan


def _target(value) -> Decimal:
    try:
        target = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        target = None
    if target is None or not target.is_finite() or target <= 0 or target >= TARGET_LIMIT:
        message = _("Enter a target greater than zero.")
        raise InvalidInput(message, fields={"target": [message]})
    return target.quantize(Decimal("0.01"))


@transaction.atomic
def business_plan_goal_set(*, plan: BusinessPlan, actor, metric: str, target, note: str = "") -> BusinessPlanGoal:
    """Set the plan's target on `metric` (a key of the metric registry); one goal per metric."""
    try:
        metric_get(metric)
    except KeyError:
        message = _("“%(metric)s” is not a known metric.") % {"metric": metric}
        raise InvalidInput(message, fields={"metric": [message]}) from None
    target = _target(target)
    note = (note or "").strip()
    if len(note) > 240:
        message = _("Use at most %(n)d characters.") % {"n": 240}
        raise InvalidInput(message, fields={"note": [message]})
    goal = BusinessPlanGoal.objects.select_for_update().filter(plan=plan, metric=metric).first()
    before = [str(goal.target), goal.note] if goal is not None else None
    if goal is None:
        goal = BusinessPlanGoal.objects.create(plan=plan, metric=metric, target=target, note=note)
    else:
        goal.target, goal.note = target, note
        goal.save(update_fields=["target", "note"])
    audit_record(
        action="business_plan.goal_set",
        actor=actor,
        obj=plan,
        changes={metric: [before, [str(target), note]]},
    )
    return goal


@transaction.atomic
def business_plan_goal_remove(*, goal: BusinessPlanGoal, actor) -> None:
    audit_record(
        action="business_plan.goal_remove", actor=actor, obj=goal.plan, changes={goal.metric: [str(goal.target), None]}
    )
    goal.delete()


@transaction.atomic
def qbr_note_add(*, plan: BusinessPlan, actor, held_on: date, notes: str) -> QbrNote:
    """Record a quarterly business review of `plan`, written by `actor`."""
    if not isinstance(held_on, date):
        raise InvalidInput(_("Enter the date of the review."), fields={"held_on": [_("Enter a date.")]})
    notes = (notes or "").strip()
    if not notes:
        raise InvalidInput(_("Write what was discussed."), fields={"notes": [_("This field is required.")]})
    note = QbrNote.objects.create(plan=plan, held_on=held_on, notes=notes, author=actor)
    audit_record(action="business_plan.qbr_note_add", actor=actor, obj=plan, context={"held_on": held_on.isoformat()})
    return note
