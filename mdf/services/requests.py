"""Pre-approval requests: a partner asks funds for an activity, a manager approves (in full or in part),
rejects or returns it. Amounts are checked against the allocation under a lock on the allocation's row."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from deals.rules import add_business_days
from partners.services.tiers import tenant_today
from prm.audit.services import audit_record
from prm.errors import InvalidInput, StateConflict

from ..models import EDITABLE_REQUEST_STATUSES, ActivityType, Allocation, MdfRequest, MdfRequestStatus
from ..rules import request_cap
from ..selectors import allocation_balance
from .decisions import decision_record
from .notices import request_tell


def allocation_available(allocation: Allocation) -> Decimal:
    """What the allocation can still fund (call with its row locked for a check that writes)."""
    return allocation_balance(allocation).available


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, fields={field: [message]})


def _check_current(allocation: Allocation) -> None:
    """Requests draw only on allocations whose fund has not expired (what was left of them has gone back)."""
    expires_on = allocation.fund.expires_on
    if expires_on <= tenant_today():
        raise _invalid(
            "allocation",
            _("This allocation expired on %(date)s; choose a current one.") % {"date": expires_on.isoformat()},
        )


def _checked(values: dict, partner) -> None:
    allocation, activity_type = values["allocation"], values["activity_type"]
    if allocation.partner_id != partner.pk:
        raise _invalid("allocation", _("Choose one of your company's allocations."))
    if not isinstance(activity_type, ActivityType) or not activity_type.is_active:
        raise _invalid("activity_type", _("Choose an activity type from the list."))
    if values["ends_on"] < values["starts_on"]:
        raise _invalid("ends_on", _("The activity cannot end before it starts."))
    for field in ("planned_cost", "requested_amount"):
        if values[field] < 0:
            raise _invalid(field, _("Must be 0 or more."))
    if values["requested_amount"] > values["planned_cost"]:
        raise _invalid("requested_amount", _("You cannot ask for more than the activity costs."))
    if not (values.get("title") or "").strip():
        raise _invalid("title", _("Give the activity a title."))
    if not (values.get("campaign_code") or "").strip():
        raise _invalid("campaign_code", _("Give a campaign code: leads and deals are tied to it."))


REQUEST_FIELDS = (
    "allocation", "activity_type", "title", "description", "starts_on", "ends_on", "planned_cost",
    "requested_amount", "expected_leads", "campaign_code",
)  # fmt: skip


@transaction.atomic
def mdf_request_create(*, actor, partner, **values) -> MdfRequest:
    """A draft request of `partner` (its allocation, an active activity type, dates in order, amounts ≥ 0)."""
    values = {key: value for key, value in values.items() if key in REQUEST_FIELDS}
    _checked(values, partner)
    _check_current(values["allocation"])
    if MdfRequest.objects.filter(campaign_code=values["campaign_code"].strip()).exists():
        raise _invalid("campaign_code", _("This campaign code is in use already."))
    request = MdfRequest.objects.create(
        partner=partner, requested_by=actor, **{**values, "campaign_code": values["campaign_code"].strip()}
    )
    audit_record(
        action="mdf.request_create", actor=actor, obj=request, context={"amount": str(request.requested_amount)}
    )
    return request


def _locked(request: MdfRequest) -> MdfRequest:
    return (
        MdfRequest.objects.select_for_update(of=("self",))
        .select_related("allocation__fund", "partner__tier")
        .get(pk=request.pk)
    )


_ACTIONS = {
    "changed": lambda: pgettext("what cannot be done to an MDF request", "changed"),
    "submitted": lambda: pgettext("what cannot be done to an MDF request", "submitted"),
    "approved": lambda: pgettext("what cannot be done to an MDF request", "approved"),
    "rejected": lambda: pgettext("what cannot be done to an MDF request", "rejected"),
    "returned": lambda: pgettext("what cannot be done to an MDF request", "returned"),
}


def _action(name: str) -> str:
    """The action as it reads in "cannot be %(action)s" (a context of its own: the bare words are labels)."""
    return _ACTIONS[name]()


def _require(request: MdfRequest, allowed, action: str) -> None:
    if request.status not in allowed:
        raise StateConflict(
            _("A request that is %(status)s cannot be %(action)s.")
            % {"status": request.get_status_display().lower(), "action": action},
            current_state=request.status,
        )


def _lock_allocation(request: MdfRequest) -> Allocation:
    return Allocation.objects.select_for_update().get(pk=request.allocation_id)


@transaction.atomic
def mdf_request_update(*, actor, request: MdfRequest, **values) -> MdfRequest:
    """Change a draft or returned request (the same checks as creating it); the campaign code stays unique."""
    request = _locked(request)
    _require(request, EDITABLE_REQUEST_STATUSES, _action("changed"))
    changes = {key: value for key, value in values.items() if key in REQUEST_FIELDS}
    merged = {field: getattr(request, field) for field in REQUEST_FIELDS} | changes
    _checked(merged, request.partner)
    merged["campaign_code"] = merged["campaign_code"].strip()
    if MdfRequest.objects.filter(campaign_code=merged["campaign_code"]).exclude(pk=request.pk).exists():
        raise _invalid("campaign_code", _("This campaign code is in use already."))
    before = {field: str(getattr(request, field)) for field in changes}
    for field, value in merged.items():
        setattr(request, field, value)
    request.save()
    audit_record(
        action="mdf.request_update",
        actor=actor,
        obj=request,
        changes={field: [before[field], str(getattr(request, field))] for field in changes},
    )
    return request


@transaction.atomic
def mdf_request_submit(*, actor, request: MdfRequest) -> MdfRequest:
    """Send a draft (or a returned request) for review: the amount must fit the tier's reimbursement share of
    the planned cost and what the allocation has available; the review is due after the fund's SLA."""
    request = _locked(request)
    _require(request, EDITABLE_REQUEST_STATUSES, _action("submitted"))
    _check_current(request.allocation)
    allocation = _lock_allocation(request)
    tier = request.partner.tier
    cap = request_cap(
        request.planned_cost, tier.mdf_reimbursement_cap_pct if tier else None, allocation_available(allocation)
    )
    if request.requested_amount > cap:
        raise _invalid(
            "requested_amount",
            _("You can ask for at most %(cap)s %(currency)s for this activity.")
            % {"cap": cap, "currency": allocation.fund.currency},
        )
    now = timezone.now()
    request.status, request.submitted_at = MdfRequestStatus.SUBMITTED, now
    request.review_due_at = add_business_days(now, request.allocation.fund.review_sla_business_days)
    request.save(update_fields=["status", "submitted_at", "review_due_at", "updated_at"])
    audit_record(action="mdf.request_submit", actor=actor, obj=request, context={"cap": str(cap)})
    request_tell(request=request, kind="submitted", actor=actor)
    return request


@transaction.atomic
def mdf_request_approve(*, actor, request: MdfRequest, amount: Decimal | None = None, reason: str = "") -> MdfRequest:
    """Approve a submitted request in full, or in part (a lower amount, with the reason)."""
    request = _locked(request)
    _require(request, {MdfRequestStatus.SUBMITTED}, _action("approved"))
    amount = request.requested_amount if amount is None else amount
    if amount <= 0 or amount > request.requested_amount:
        raise _invalid("amount", _("Approve more than 0 and at most the requested amount."))
    partial = amount < request.requested_amount
    if partial and not reason.strip():
        raise _invalid("reason", _("Say why only part of the amount is approved."))
    allocation = _lock_allocation(request)
    left = allocation_available(allocation)  # the request is submitted: it holds nothing yet
    if amount > left:
        raise _invalid("amount", _("The allocation has %(left)s available.") % {"left": left})
    request.status = MdfRequestStatus.PARTIALLY_APPROVED if partial else MdfRequestStatus.APPROVED
    request.approved_amount, request.decision_reason = amount, reason.strip()
    request.decided_at, request.decided_by = timezone.now(), actor
    request.save(
        update_fields=["status", "approved_amount", "decision_reason", "decided_at", "decided_by", "updated_at"]
    )
    audit_record(action="mdf.request_approve", actor=actor, obj=request, context={"amount": str(amount)})
    request_tell(request=request, kind=request.status, actor=actor)
    return request


def _decide(actor, request: MdfRequest, status: str, reason: str, action: str) -> MdfRequest:
    request = _locked(request)
    _require(request, {MdfRequestStatus.SUBMITTED}, action)
    decision_record(request, actor=actor, status=status, reason=reason, audit_action=f"mdf.request_{status}")
    request_tell(request=request, kind=status, actor=actor)
    return request


@transaction.atomic
def mdf_request_reject(*, actor, request: MdfRequest, reason: str) -> MdfRequest:
    return _decide(actor, request, MdfRequestStatus.REJECTED, reason, _action("rejected"))


@transaction.atomic
def mdf_request_return(*, actor, request: MdfRequest, reason: str) -> MdfRequest:
    """Send a submitted request back to the partner for changes; it can be submitted again."""
    return _decide(actor, request, MdfRequestStatus.RETURNED, reason, _action("returned"))
