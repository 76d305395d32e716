"""Partner-side company pages: the profile and logo, and (for partner admins) the company's people."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prm.accounts.permissions import capability_required, member_required
from prm.errors import DomainError
from prm.portal.views import form_error_fields, is_htmx
from prm.tenancy.validators import sniff_image_type

from .. import services
from ..access import can_edit_profile
from ..countries import country_name
from ..forms.company import PARTNER_ROLE_CHOICES, LogoForm, PartnerInviteForm, PartnerProfileForm, PartnerRoleForm
from ..models import Partner
from ..permissions import partners_visible_to, request_partner
from ..profile import PROFILE_CHOICES, profile_labels
from ..selectors import partner_people


def profile_context(partner: Partner) -> dict:
    """Display names of the profile's coded values (country, regions, types …)."""
    return {
        "country": country_name(partner.country),
        "labels": {field: profile_labels(field, getattr(partner, field)) for field in PROFILE_CHOICES},
    }


def own_partner(request) -> Partner:
    """The signed-in partner user's company; 404 for a partner-role member not attached to one."""
    partner = request_partner(request)
    if partner is None:
        raise Http404
    return partner


@capability_required("partner.company")
@require_http_methods(["GET", "POST"])
def company(request):
    partner = own_partner(request)
    editable = can_edit_profile(request, partner)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    # A copy: a refused change must not leave invalid values on the partner the page shows.
    form = PartnerProfileForm(request.POST or None, instance=Partner.objects.get(pk=partner.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update_profile(partner=partner, actor=request.user, **form.changes())
        except DomainError as error:
            form_error_fields(form, error)
        else:
            messages.success(request, _("Company profile saved."))
            return redirect("partners:company")
    context = {
        "partner": partner,
        "form": form if editable else None,
        "logo_form": LogoForm() if editable else None,
        **profile_context(partner),
    }
    return render(request, "partners/company/company.html", context)


@capability_required("partner.company")
@require_POST
def company_logo(request):
    partner = own_partner(request)
    if not can_edit_profile(request, partner):
        raise PermissionDenied
    if "remove" in request.POST:
        services.partner_logo_remove(partner=partner, actor=request.user)
        messages.success(request, _("Logo removed."))
        return redirect("partners:company")
    form = LogoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.partner_logo_set(partner=partner, actor=request.user, upload=form.cleaned_data["logo"])
        except DomainError as error:
            form_error_fields(form, error)
        else:
            messages.success(request, _("Logo saved."))
            return redirect("partners:company")
    context = {
        "partner": partner,
        "form": PartnerProfileForm(instance=partner),
        "logo_form": form,
        **profile_context(partner),
    }
    return render(request, "partners/company/company.html", context, status=400)


@member_required
@require_GET
def partner_logo(request, pk: int):
    """A partner's logo, for the tenant's members who may see that partner; type sniffed from content."""
    partner = get_object_or_404(partners_visible_to(request), pk=pk)
    if not partner.logo:
        raise Http404
    handle = partner.logo.open("rb")
    content_type = sniff_image_type(handle.read(16))
    handle.seek(0)
    if content_type is None:
        handle.close()
        raise Http404
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


# --- People -----------------------------------------------------------------------------------
@capability_required("partner.manage_company")
@require_http_methods(["GET", "POST"])
def people(request):
    partner = own_partner(request)
    form = PartnerInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.partner_user_invite(partner=partner, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error_fields(form, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": link.membership.user.email})
            return redirect("partners:people")
    context = {
        "partner": partner,
        "form": form,
        "people": partner_people(partner),
        "role_choices": PARTNER_ROLE_CHOICES,
    }
    return render(request, "partners/company/people.html", context)


PERSON_ACTIONS = {
    "deactivate": (services.partner_user_deactivate, gettext_lazy("Deactivated.")),
    "reactivate": (services.partner_user_reactivate, gettext_lazy("Reactivated.")),
}


def _person_response(request, partner, pk: int, error: str | None, done: str | None):
    if is_htmx(request):
        person = get_object_or_404(partner_people(partner), pk=pk)
        context = {"p": person, "row_error": error, "row_notice": done, "role_choices": PARTNER_ROLE_CHOICES}
        return render(request, "partners/company/person_row.html", context)
    if error:
        messages.error(request, error)
    elif done:
        messages.success(request, done)
    return redirect("partners:people")


@capability_required("partner.manage_company")
@require_POST
def person_action(request, pk: int, action: str):
    partner = own_partner(request)
    person = get_object_or_404(partner_people(partner), pk=pk)
    if action not in PERSON_ACTIONS:
        raise Http404
    service, done = PERSON_ACTIONS[action]
    try:
        service(partner_user=person, actor=request.user)
    except DomainError as error:
        return _person_response(request, partner, pk, error.message, None)
    return _person_response(request, partner, pk, None, str(done))


@capability_required("partner.manage_company")
@require_POST
def person_role(request, pk: int):
    partner = own_partner(request)
    person = get_object_or_404(partner_people(partner), pk=pk)
    form = PartnerRoleForm(request.POST)
    if not form.is_valid():
        return _person_response(request, partner, pk, _("Choose partner admin or partner rep."), None)
    try:
        services.partner_user_change_role(partner_user=person, actor=request.user, role=form.cleaned_data["role"])
    except DomainError as error:
        return _person_response(request, partner, pk, error.message, None)
    return _person_response(request, partner, pk, None, _("Role changed."))


urlpatterns = [
    path("company/", company, name="company"),
    path("company/logo", company_logo, name="company-logo"),
    path("people/", people, name="people"),
    path("people/<int:pk>/role", person_role, name="person-role"),
    path("people/<int:pk>/<slug:action>", person_action, name="person-action"),
    path("partners/<int:pk>/logo", partner_logo, name="partner-logo"),
]
