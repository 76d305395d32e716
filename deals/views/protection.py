"""Protection on the deal page: the protection panel and history partials (for CORE's deal detail page),
the posts of their forms, and the amendment page.

CORE's deal page renders the partials with the template tags of `deals.templatetags.deal_protection`:

    {% load deal_protection %}
    {% deal_protection deal %}   {# protected until, days left, extensions, pending request, forms by role #}
    {% deal_history deal %}      {# the deal's events with before → after #}

Both need only `deal` and `request` in the template context; they compute the rest (`protection_context`,
`history_context`) and are safe for any member who can see the deal.
"""

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from partners.services.tiers import tenant_today
from prm.accounts.permissions import member_required, request_can
from prm.errors import DomainError
from prm.portal.views import form_error_fields, is_htmx

from ..forms.protection import DealAmendForm, ExtensionApproveForm, ExtensionRejectForm, ExtensionRequestForm
from ..models import Deal, DealStatus
from ..permissions import can_amend, can_decide_extension, can_request_extension, deals_visible_to
from ..protection_rules import days_left, extensions_left, is_protected
from ..selectors import deal_history, deal_rules_for, extension_pending_of
from ..services import deal_amend, deal_extension_approve, deal_extension_reject, deal_extension_request
from ..services.protection import AMENDABLE_STATUSES, deal_path


def protection_context(request, deal: Deal, *, forms: dict | None = None, error: str = "", notice: str = "") -> dict:
    """What `deals/partials/protection.html` shows to `request` for `deal`."""
    rules = deal_rules_for(deal.partner.program_id)
    today = tenant_today()
    pending = extension_pending_of(deal)
    left = extensions_left(used=deal.extensions_used, cap=rules.max_extensions)
    protected = deal.status == DealStatus.APPROVED and is_protected(protected_until=deal.protected_until, today=today)
    may_request = can_request_extension(request, deal) and protected and pending is None and left > 0
    may_decide = can_decide_extension(request) and pending is not None
    forms = forms or {}
    return {
        "deal": deal,
        "request": request,
        "rules": rules,
        "protected": protected,
        "days_left": days_left(protected_until=deal.protected_until, today=today),
        "extensions_left": left,
        "pending": pending,
        "can_amend": can_amend(request, deal) and deal.status in AMENDABLE_STATUSES,
        "request_form": forms.get("request") or (ExtensionRequestForm() if may_request else None),
        "approve_form": forms.get("approve") or (ExtensionApproveForm() if may_decide else None),
        "reject_form": forms.get("reject") or (ExtensionRejectForm() if may_decide else None),
        "panel_error": error,
        "panel_notice": notice,
        # the page the panel is on (a re-rendered panel keeps the one its form came from)
        "next": request.POST.get("next", "") if request.method == "POST" else request.get_full_path(),
    }


def history_context(deal: Deal, *, vendor_view: bool) -> dict:
    """What `deals/partials/history.html` shows: each event with its changes as (field, before, after).

    The conflict evidence recorded at submission and review is for vendor staff only: partners never
    learn which other registrations or house accounts matched.
    """
    events = []
    for event in deal_history(deal):
        rows = []
        for name, value in (event.changes or {}).items():
            if name == "conflicts":
                if vendor_view:
                    rows.append({"field": _("Conflicts"), "before": "", "after": _conflicts_text(value)})
                continue
            before, after = value if isinstance(value, list) and len(value) == 2 else ("", value)
            if name == "lines":
                before, after = _lines_text(before), _lines_text(after)
            rows.append({"field": _field_label(name), "before": before, "after": after})
        events.append({"event": event, "label": _event_label(event), "changes": rows})
    return {"deal": deal, "events": events}


def _conflicts_text(summary: dict) -> str:
    deals, houses = len(summary.get("deals", [])), len(summary.get("house_accounts", []))
    if not deals and not houses:
        return _("none")
    return _("other registrations: %(deals)d, house accounts: %(houses)d") % {"deals": deals, "houses": houses}


EVENT_LABELS = {
    "created": gettext_lazy("Registered"),
    "updated": gettext_lazy("Draft edited"),
    "submitted": gettext_lazy("Submitted for review"),
    "approved": gettext_lazy("Approved"),
    "rejected": gettext_lazy("Rejected"),
    "auto_rejected": gettext_lazy("Rejected automatically (house account)"),
    "special_pricing": gettext_lazy("Special pricing changed"),
    "won": gettext_lazy("Closed as won"),
    "lost": gettext_lazy("Closed as lost"),
    "amended": gettext_lazy("Amended"),
    "expired": gettext_lazy("Protection ended"),
    "extension_requested": gettext_lazy("Extension requested"),
    "extended": gettext_lazy("Extension approved"),
    "extension_rejected": gettext_lazy("Extension not granted"),
}


def _event_label(event) -> str:
    """Our kinds by name; other areas' transitions by the status they led to."""
    if event.kind in EVENT_LABELS:
        return str(EVENT_LABELS[event.kind])
    if event.to_status:
        return event.get_to_status_display()
    return event.kind.replace("_", " ").capitalize()


def _field_label(name: str) -> str:
    if name == "lines":
        return _("Products")
    try:
        return str(Deal._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:  # recorded before a field was renamed
        return name


def _lines_text(lines) -> str:
    if not lines:
        return "-"
    return ", ".join(f"{line['sku']} × {line['quantity']}" for line in lines)


def _visible_deal(request, pk: int) -> Deal:
    return get_object_or_404(deals_visible_to(request).select_related("partner"), pk=pk)


def _back(request, deal: Deal):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(deal_path(deal) or "portal:dashboard")


def _first_error(form) -> str:
    return next(iter(message for messages_ in form.errors.values() for message in messages_), "")


def _panel_response(request, deal: Deal, *, forms=None, error: str = "", notice: str = ""):
    """HTMX: the re-rendered panel (with the form's errors); otherwise a flash message and back to the page."""
    if is_htmx(request):
        deal = _visible_deal(request, deal.pk)
        context = protection_context(request, deal, forms=forms, error=error, notice=notice)
        return render(request, "deals/partials/protection.html", context)
    if forms:
        error = error or _first_error(next(iter(forms.values())))
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return _back(request, deal)


def _decides_extensions(request, deal: Deal) -> bool:
    return can_decide_extension(request)


# action → (form, who may take it, service taking the form's fields, notice)
EXTENSION_ACTIONS = {
    "request": (
        ExtensionRequestForm,
        can_request_extension,
        deal_extension_request,
        gettext_lazy("Extension requested; a channel manager decides."),
    ),
    "approve": (ExtensionApproveForm, _decides_extensions, deal_extension_approve, gettext_lazy("Extension approved.")),
    "reject": (ExtensionRejectForm, _decides_extensions, deal_extension_reject, gettext_lazy("Extension not granted.")),
}


@member_required
@require_POST
def extension_action(request, pk: int, action: str):
    if action not in EXTENSION_ACTIONS:
        raise Http404
    deal = _visible_deal(request, pk)
    form_class, allowed, service, notice = EXTENSION_ACTIONS[action]
    if not allowed(request, deal):
        raise PermissionDenied
    form = form_class(request.POST)
    if not form.is_valid():
        return _panel_response(request, deal, forms={action: form})
    try:
        service(deal=deal, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        if error.fields:
            form_error_fields(form, error)
            return _panel_response(request, deal, forms={action: form})
        return _panel_response(request, deal, error=error.message)
    return _panel_response(request, deal, notice=str(notice))


@member_required
@require_http_methods(["GET", "POST"])
def deal_amend_page(request, pk: int):
    """Amend a deal's value, close date, contact and notes (products: through the API)."""
    deal = _visible_deal(request, pk)
    if not can_amend(request, deal):
        raise PermissionDenied
    form = DealAmendForm.for_deal(deal, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and not form.has_changed():
        messages.info(request, _("Nothing changed."))
        return redirect(deal_path(deal) or reverse("deals:amend", args=[deal.pk]))
    if request.method == "POST" and form.is_valid():
        try:
            deal_amend(deal=deal, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error_fields(form, error)
        else:
            messages.success(request, _("Deal amended; the change is in its history."))
            return redirect(deal_path(deal) or reverse("deals:amend", args=[deal.pk]))
    context = {
        "deal": deal,
        "form": form,
        "amendable": deal.status in AMENDABLE_STATUSES,
        "deal_url": deal_path(deal),
        **history_context(deal, vendor_view=request_can(request, "deals.view_all")),
    }
    return render(request, "deals/amend.html", context, status=400 if form.errors else 200)


urlpatterns = [
    path("deals/<int:pk>/extension/<slug:action>", extension_action, name="extension-action"),
    path("deals/<int:pk>/amend/", deal_amend_page, name="amend"),
]
