"""Telling people about MDF requests and claims: the reviewers when one is submitted, the requester and the
partner's admins when it is decided or paid. In the portal at once and by email after commit, in the vendor's
language; the person who acted is not told about their own action."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from prm.notifications.services import notify
from prm.tenancy.context import current_tenant

from ..models import MdfClaim, MdfRequest
from ..selectors import partner_managers, request_recipients


def _tell(users, *, actor, title: str, body: str, url: str) -> None:
    actor_id = getattr(actor, "pk", None)
    notify(users=[user for user in users if user.pk != actor_id], title=title, body=body, url=url, email=True)


def _request_text(request: MdfRequest, kind: str) -> tuple[str, str]:
    values = {
        "title": request.title,
        "code": request.campaign_code,
        "partner": request.partner.name,
        "requested": request.requested_amount,
        "approved": request.approved_amount,
        "currency": request.allocation.fund.currency,
        "reason": request.decision_reason,
    }
    if kind == "submitted":
        due = request.review_due_at.date().isoformat() if request.review_due_at else "—"
        return (
            _("MDF request to review: %(title)s") % values,
            _("%(partner)s asks %(requested)s %(currency)s for %(title)s (%(code)s).") % values
            + " "
            + _("Review it by %(due)s.") % {"due": due},
        )
    if kind == "approved":
        return (
            _("MDF request approved: %(title)s") % values,
            _("%(approved)s %(currency)s are set aside for %(title)s (%(code)s). Claim them after the activity.")
            % values,
        )
    if kind == "partially_approved":
        return (
            _("MDF request partly approved: %(title)s") % values,
            _("%(approved)s of the %(requested)s %(currency)s asked are approved. Reason: %(reason)s") % values,
        )
    if kind == "rejected":
        return _("MDF request rejected: %(title)s") % values, _("Reason: %(reason)s") % values
    if kind == "returned":
        return (
            _("MDF request returned for changes: %(title)s") % values,
            _("Change it and submit it again. Reason: %(reason)s") % values,
        )
    raise ValueError(f"Unknown MDF request notice {kind!r}.")


def request_tell(*, request: MdfRequest, kind: str, actor=None) -> None:
    """On submit the partner's reviewers hear of it; on a decision the requester and the partner's admins."""
    with translation.override(current_tenant().default_language):
        title, body = _request_text(request, kind)
    users = partner_managers(request.partner) if kind == "submitted" else request_recipients([request])[request.pk]
    _tell(users, actor=actor, title=title, body=body, url=reverse("mdf:request-detail", args=[request.pk]))


def _claim_text(claim: MdfClaim, kind: str) -> tuple[str, str]:
    values = {
        "title": claim.request.title,
        "code": claim.request.campaign_code,
        "partner": claim.partner.name,
        "claimed": claim.amount,
        "approved": claim.approved_amount,
        "currency": claim.allocation.fund.currency,
        "reason": claim.decision_reason,
    }
    if kind == "submitted":
        due = claim.review_due_at.date().isoformat() if claim.review_due_at else "—"
        return (
            _("MDF claim to review: %(title)s") % values,
            _("%(partner)s claims %(claimed)s %(currency)s for %(title)s (%(code)s).") % values
            + " "
            + _("Review it by %(due)s.") % {"due": due},
        )
    if kind == "approved":
        return (
            _("MDF claim approved: %(title)s") % values,
            _("%(approved)s %(currency)s will be paid with your next payout.") % values,
        )
    if kind == "partially_approved":
        return (
            _("MDF claim partly approved: %(title)s") % values,
            _("%(approved)s of the %(claimed)s %(currency)s claimed will be paid with your next payout. Reason: "
              "%(reason)s") % values,
        )  # fmt: skip
    if kind == "rejected":
        return _("MDF claim rejected: %(title)s") % values, _("Reason: %(reason)s") % values
    if kind == "returned":
        return (
            _("MDF claim returned for changes: %(title)s") % values,
            _("Change it and submit it again. Reason: %(reason)s") % values,
        )
    if kind == "paid":
        return (
            _("MDF claim paid: %(title)s") % values,
            _("%(approved)s %(currency)s for %(title)s (%(code)s) were paid.") % values,
        )
    raise ValueError(f"Unknown MDF claim notice {kind!r}.")


def claim_tell(*, claim: MdfClaim, kind: str, actor=None) -> None:
    """On submit the partner's reviewers hear of it; on a decision or payment the requester and partner admins."""
    with translation.override(current_tenant().default_language):
        title, body = _claim_text(claim, kind)
    if kind == "submitted":
        users = partner_managers(claim.partner)
    else:
        users = request_recipients([claim.request])[claim.request_id]
    _tell(users, actor=actor, title=title, body=body, url=reverse("mdf:claim-detail", args=[claim.pk]))
