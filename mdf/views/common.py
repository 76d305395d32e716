"""What the MDF pages share: pagers that keep each other's place, the balance bar, service errors on forms,
and the partner's next step on a request or a claim."""

import datetime
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prm.errors import DomainError

from ..models import APPROVED_REQUEST_STATUSES, MdfClaimStatus, MdfRequestStatus
from ..rules import Balance, claim_due

PAGE_SIZE = 25
# Where an allocation's money is, in the order the bar draws it.
BAR_PARTS = (
    ("paid", gettext_lazy("Paid")),
    ("approved", gettext_lazy("Approved, to be paid")),
    ("claimed", gettext_lazy("Claimed, in review")),
    ("requested", gettext_lazy("Pre-approved, not claimed")),
    ("expired", gettext_lazy("Expired")),
    ("available", gettext_lazy("Available")),
)
HUNDRED = Decimal(100)


def paged(request, rows, param: str = "page") -> Page:
    """One page of `rows` read from the `param` query parameter; `previous_query`/`next_query` keep the other
    parameters (another list's page, the filters) as they are."""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get(param))
    query = request.GET.copy()
    if page.has_previous():
        query[param] = page.previous_page_number()
        page.previous_query = query.urlencode()
    if page.has_next():
        query[param] = page.next_page_number()
        page.next_query = query.urlencode()
    return page


def balance_bar(balance: Balance) -> list[dict]:
    """The bar's segments: each part's value, and its start and width in percent of the allocation."""
    segments, start = [], Decimal(0)
    for key, label in BAR_PARTS:
        value = getattr(balance, key)
        width = Decimal(0)
        if balance.allocated > 0 and value > 0:
            width = (value * HUNDRED / balance.allocated).quantize(Decimal("0.01"))
        segments.append({"key": key, "label": label, "value": value, "x": start, "width": width})
        start += width
    return segments


def form_errors(form, error: DomainError) -> None:
    """The service's messages on the form's fields; the rest above the form, a CSV's row problems line by line
    ("line 3.email" → "Line 3, email: …")."""
    if not error.fields:
        form.add_error(None, error.message)
        return
    if any(key not in form.fields for key in error.fields):
        form.add_error(None, error.message)
    for key, messages in error.fields.items():
        for message in messages:
            if key in form.fields:
                form.add_error(key, message)
            elif key.startswith("line ") and "." in key:
                line, column = key[len("line ") :].split(".", 1)
                form.add_error(
                    None,
                    _("Line %(line)s, %(column)s: %(message)s") % {"line": line, "column": column, "message": message},
                )
            elif message != error.message:
                form.add_error(None, message)


def claim_by(mdf_request) -> datetime.date:
    """The last day to claim an approved request that has no claim yet."""
    return claim_due(mdf_request.ends_on, mdf_request.allocation.fund.claim_window_days)


def _due(label: str, date: datetime.date) -> str:
    return label % {"date": date_format(date, "j M")}


def request_next_step(mdf_request) -> dict | None:
    """The partner's next step on a request annotated `with_claim`: {label, url, urgent} or None."""
    detail = reverse("mdf:request-detail", args=[mdf_request.pk])
    if mdf_request.status == MdfRequestStatus.DRAFT:
        return {"label": _("Submit"), "url": detail, "urgent": False}
    if mdf_request.status == MdfRequestStatus.RETURNED:
        return {"label": _("Returned: see reason"), "url": detail, "urgent": True}
    if mdf_request.status not in APPROVED_REQUEST_STATUSES:
        return None
    if mdf_request.claim_pk is None:
        return {"label": _due(_("Claim now — due %(date)s"), claim_by(mdf_request)), "url": detail, "urgent": True}
    return claim_next_step(mdf_request.claim_pk, mdf_request.claim_status, mdf_request.claim_due)


def claim_next_step(pk: int, status: str, due_on: datetime.date, *, lapsed: bool = False) -> dict | None:
    """The partner's next step on a claim (none once its request lapsed: it cannot go ahead)."""
    if lapsed:
        return None
    detail = reverse("mdf:claim-detail", args=[pk])
    if status == MdfClaimStatus.DRAFT:
        return {"label": _due(_("Add the proof and submit — due %(date)s"), due_on), "url": detail, "urgent": True}
    if status == MdfClaimStatus.RETURNED:
        return {"label": _("Returned: see reason"), "url": detail, "urgent": True}
    return None
