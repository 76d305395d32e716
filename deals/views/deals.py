"""Deal registration pages: the list (scoped by role), the register/edit form, a deal's page with its
discount stack, conflicts (evidence for managers, a flag for partners), history and the actions."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partners.permissions import request_partner
from prm.accounts.permissions import capability_required, member_required, request_can
from prm.errors import DomainError

from .. import services
from ..filters.deals import DealFilter
from ..forms.deals import ApproveForm, CloseWonForm, DealForm, ReasonForm, SpecialPricingForm, line_formset
from ..models import Product
from ..permissions import deals_visible_to, request_may, request_sees_deals
from ..rules import actions_allowed
from ..selectors import (
    conflict_rule_text,
    deal_detail,
    deal_pricing,
    deal_rules_for,
    rules_explained,
)
from .sales import filter_query

PAGE_SIZE = 25


@member_required
@require_GET
def deal_index(request):
    if not request_sees_deals(request):
        raise PermissionDenied
    filterset = DealFilter(request.GET or None, queryset=deals_visible_to(request))
    deals = filterset.qs if filterset.is_bound else filterset.queryset
    page = Paginator(deals.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "query": filter_query(request),
        "vendor_view": request_can(request, "deals.view_all"),
        "can_register": request_can(request, "deals.register") and request_partner(request) is not None,
    }
    return render(request, "deals/list.html", context)


def _form_errors(form, error: DomainError) -> None:
    """The service's messages on the form's fields; the rest (e.g. the lines') above the form."""
    if not error.fields or set(error.fields) - set(form.fields):
        form.add_error(None, error.message)
    for key, field_messages in error.fields.items():
        for message in field_messages:
            if key in form.fields or message != error.message:
                form.add_error(key if key in form.fields else None, message)


def _register_context(request, partner, **extra) -> dict:
    rules = deal_rules_for(partner.program_id)
    return {"rules": rules, "rules_explained": rules_explained(rules, tier=partner.tier), **extra}


def _active_products():
    return Product.objects.filter(is_active=True).order_by("family", "name")


@capability_required("deals.register")
@require_http_methods(["GET", "POST"])
def deal_register(request):
    partner = request_partner(request)
    if partner is None:
        raise PermissionDenied
    form = DealForm(request.POST or None, initial={"currency": request.tenant.currency})
    lines = line_formset(request.POST or None, products=_active_products())
    return _registration_page(
        request, partner, form, lines, None, save=partial(services.deal_register, partner=partner)
    )


def _registration_page(request, partner, form, lines, deal, *, save):
    """The register/edit form: on a valid POST `save` the registration (and submit it when asked)."""
    status = 200
    if request.method == "POST":
        if form.is_valid() and lines.is_valid():
            try:
                saved = save(actor=request.user, lines=lines.lines(), **form.registration())
                if deal is not None:  # an edit whose submit is refused shows the saved draft
                    deal = saved
                if "submit" in request.POST:
                    saved = services.deal_submit(deal=saved, actor=request.user)
            except DomainError as error:
                _form_errors(form, error)
                status = error.status
            else:
                messages.success(request, _done_message("submit" if "submit" in request.POST else "save", saved))
                return redirect("deals:detail", pk=saved.pk)
        else:
            status = 400
    context = _register_context(request, partner, form=form, lines=lines, deal=deal)
    return render(request, "deals/register.html", context, status=status)


def _visible_deal(request, pk: int):
    return get_object_or_404(deal_detail(deals_visible_to(request)), pk=pk)


@capability_required("deals.register")
@require_http_methods(["GET", "POST"])
def deal_edit(request, pk: int):
    deal = _visible_deal(request, pk)
    if not request_may(request, "update_draft") or "update_draft" not in actions_allowed(deal.status):
        messages.error(request, _("Only drafts can be edited."))
        return redirect("deals:detail", pk=pk)
    form = DealForm(request.POST or None, instance=deal)
    lines = line_formset(request.POST or None, deal=deal, extra=2, products=_active_products())
    return _registration_page(
        request, deal.partner, form, lines, deal, save=partial(services.deal_update_draft, deal=deal)
    )


def _detail(request, deal, *, status=200, **forms):
    rules = deal_rules_for(deal.partner.program_id)
    vendor = request_can(request, "deals.view_all")
    actions = [action for action in actions_allowed(deal.status) if request_may(request, action)]
    conflicts = list(deal.conflicts.all())
    context = {
        "deal": deal,
        "vendor_view": vendor,
        "pricing": deal_pricing(deal, rules=rules),
        "rules": rules,
        "rules_explained": rules_explained(rules, tier=deal.partner.tier),
        "conflict_rule": conflict_rule_text(rules.conflict_policy),
        # Partners learn that a conflict exists, never with whom.
        "conflicts": conflicts if vendor else [],
        "has_conflicts": bool(conflicts),
        "actions": actions,
        "approve_form": forms.get("approve_form") or ApproveForm(auto_id="approve_form_%s"),
        "reject_form": forms.get("reject_form") or ReasonForm(auto_id="reject_form_%s"),
        "lost_form": forms.get("lost_form") or ReasonForm(auto_id="lost_form_%s"),
        "pricing_form": forms.get("pricing_form")
        or SpecialPricingForm(initial={"percent": deal.special_discount_pct}, auto_id="pricing_form_%s"),
        "won_form": forms.get("won_form") or CloseWonForm(auto_id="won_form_%s"),
        "won_lines": forms.get("won_lines") or _won_lines(deal),
    }
    return render(request, "deals/detail.html", context, status=status)


def _won_lines(deal, data=None):
    return line_formset(data, deal=deal, extra=1 if deal.lines.all() else 3, products=_active_products())


@member_required
@require_GET
def deal_show(request, pk: int):
    if not request_sees_deals(request):
        raise PermissionDenied
    return _detail(request, _visible_deal(request, pk))


def _done_message(action: str, deal) -> str:
    messages_by_action = {
        "save": _("The registration of %(customer)s was saved as a draft."),
        "submit": _("The registration of %(customer)s was submitted for review."),
        "approve": _("The registration of %(customer)s was approved."),
        "reject": _("The registration of %(customer)s was rejected."),
        "special-pricing": _("The special pricing of %(customer)s was updated."),
        "close-won": _("%(customer)s was closed as won; the sales are booked."),
        "close-lost": _("%(customer)s was closed as lost."),
    }
    message = messages_by_action[action]
    if action == "submit" and deal.status == "rejected":
        message = _("The registration of %(customer)s was rejected: %(reason)s")
    return message % {"customer": deal.customer_name, "reason": deal.decision_reason}


def _transition(capability: str, action: str, service, *, form_class=None, slot=None):
    """A POST view running one transition from the deal page (the form's fields are the service's
    arguments): 404 for a deal the user cannot see, 403 for an action their role does not take, the
    form again (400) for bad input, a message for a refused transition."""

    @capability_required(capability)
    @require_POST
    def view(request, pk: int):
        deal = _visible_deal(request, pk)
        if not request_may(request, action.replace("-", "_")):
            raise PermissionDenied
        form = form_class(request.POST, auto_id=f"{slot}_%s") if form_class else None
        if form is not None and not form.is_valid():
            return _detail(request, deal, status=400, **{slot: form})
        try:
            deal = service(deal=deal, actor=request.user, **(form.cleaned_data if form is not None else {}))
        except DomainError as error:
            if form is not None and error.fields and error.status == 400:
                _form_errors(form, error)
                return _detail(request, deal, status=400, **{slot: form})
            messages.error(request, error.message)
            return redirect("deals:detail", pk=pk)
        messages.success(request, _done_message(action, deal))
        return redirect("deals:detail", pk=pk)

    return view


deal_submit = _transition("deals.register", "submit", services.deal_submit)
deal_approve = _transition(
    "deals.manage", "approve", services.deal_approve, form_class=ApproveForm, slot="approve_form"
)
deal_reject = _transition("deals.manage", "reject", services.deal_reject, form_class=ReasonForm, slot="reject_form")
deal_special_pricing = _transition(
    "deals.manage",
    "special-pricing",
    services.deal_special_pricing_set,
    form_class=SpecialPricingForm,
    slot="pricing_form",
)


@member_required
@require_POST
def deal_close_won(request, pk: int):
    deal = _visible_deal(request, pk)
    if not request_may(request, "close_won"):
        raise PermissionDenied
    form, lines = CloseWonForm(request.POST, auto_id="won_form_%s"), _won_lines(deal, request.POST)
    if not (form.is_valid() and lines.is_valid()):
        return _detail(request, deal, status=400, won_form=form, won_lines=lines)
    try:
        deal = services.deal_close_won(
            deal=deal, actor=request.user, amount=form.cleaned_data["amount"], lines=lines.lines() or None
        )
    except DomainError as error:
        if error.status == 400:
            _form_errors(form, error)
            return _detail(request, deal, status=400, won_form=form, won_lines=lines)
        messages.error(request, error.message)
        return redirect("deals:detail", pk=pk)
    messages.success(request, _done_message("close-won", deal))
    return redirect("deals:detail", pk=pk)


deal_close_lost = _transition(
    "portal.use", "close-lost", services.deal_close_lost, form_class=ReasonForm, slot="lost_form"
)


urlpatterns = [
    path("deals/", deal_index, name="list"),
    path("deals/register/", deal_register, name="register"),
    path("deals/<int:pk>/", deal_show, name="detail"),
    path("deals/<int:pk>/edit", deal_edit, name="edit"),
    path("deals/<int:pk>/submit", deal_submit, name="submit"),
    path("deals/<int:pk>/approve", deal_approve, name="approve"),
    path("deals/<int:pk>/reject", deal_reject, name="reject"),
    path("deals/<int:pk>/special-pricing", deal_special_pricing, name="special-pricing"),
    path("deals/<int:pk>/close-won", deal_close_won, name="close-won"),
    path("deals/<int:pk>/close-lost", deal_close_lost, name="close-lost"),
]
