from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prm.accounts import services as account_services
from prm.accounts.permissions import capability_required, member_required
from prm.accounts.roles import VENDOR_ROLE_CHOICES, VENDOR_ROLES
from prm.accounts.selectors import membership_list
from prm.api.exceptions import api_not_found, api_server_error
from prm.api.selectors import api_token_list
from prm.api.services import api_token_issue, api_token_revoke
from prm.errors import DomainError
from prm.tenancy.models import Tenant
from prm.tenancy.services import tenant_update
from prm.tenancy.validators import sniff_image_type

from .dashboard import panels_for
from .forms import InviteForm, PortalSettingsForm, RoleForm, TokenCreateForm


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def form_error_fields(form, error: DomainError) -> None:
    if not error.fields:
        form.add_error(None, error.message)
    for field, field_messages in error.fields.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


@member_required
@require_GET
def dashboard(request):
    return render(request, "portal/dashboard.html", {"panels": panels_for(request)})


# --- Team -------------------------------------------------------------------------
@capability_required("team.manage")
@require_http_methods(["GET", "POST"])
def team(request):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = account_services.membership_invite(
                tenant=request.tenant, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form_error_fields(form, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": membership.user.email})
            return redirect("portal:team")
    context = {"form": form, "memberships": membership_list(), "role_choices": VENDOR_ROLE_CHOICES}
    return render(request, "portal/team.html", context)


MEMBER_ACTIONS = {
    "deactivate": account_services.membership_deactivate,
    "reactivate": account_services.membership_reactivate,
    "resend": account_services.membership_resend_invitation,
}


def _vendor_membership(pk: int):
    return get_object_or_404(membership_list(roles=VENDOR_ROLES), pk=pk)


def _member_row_response(request, membership_id: int, error: str | None, done: str | None):
    if is_htmx(request):
        context = {
            "m": _vendor_membership(membership_id),
            "row_error": error,
            "row_notice": done,
            "role_choices": VENDOR_ROLE_CHOICES,
        }
        return render(request, "portal/partials/member_row.html", context)
    if error:
        messages.error(request, error)
    elif done:
        messages.success(request, done)
    return redirect("portal:team")


@capability_required("team.manage")
@require_POST
def member_action(request, pk: int, action: str):
    membership = _vendor_membership(pk)
    service = MEMBER_ACTIONS.get(action)
    if service is None:
        raise Http404
    try:
        service(membership=membership, actor=request.user)
    except DomainError as error:
        return _member_row_response(request, pk, error.message, None)
    done = {
        "deactivate": _("Deactivated."),
        "reactivate": _("Reactivated."),
        "resend": _("Invitation sent again."),
    }[action]
    return _member_row_response(request, pk, None, done)


@capability_required("team.manage")
@require_POST
def member_role(request, pk: int):
    membership = _vendor_membership(pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _member_row_response(request, pk, _("Choose a vendor role."), None)
    try:
        account_services.membership_change_role(
            membership=membership, actor=request.user, role=form.cleaned_data["role"]
        )
    except DomainError as error:
        return _member_row_response(request, pk, error.message, None)
    return _member_row_response(request, pk, None, _("Role changed."))


# --- Portal settings ------------------------------------------------------------------
@capability_required("settings.manage")
@require_http_methods(["GET", "POST"])
def portal_settings(request):
    # A copy: a failed form must not leave invalid values on request.tenant (which brands the page).
    editable = Tenant.objects.get(pk=request.tenant.pk)
    form = PortalSettingsForm(request.POST or None, request.FILES or None, instance=editable)
    if request.method == "POST" and form.is_valid():
        try:
            tenant_update(tenant=request.tenant, actor=request.user, **form.changes())
        except DomainError as error:
            form_error_fields(form, error)
        else:
            messages.success(request, _("Portal settings saved."))
            return redirect("portal:settings")
    return render(request, "portal/settings.html", {"form": form})


# --- API tokens ---------------------------------------------------------------------
@member_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenCreateForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = api_token_issue(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except DomainError as error:
            form_error_fields(form, error)
        else:
            issued = {"token": token, "raw": raw}
            form = TokenCreateForm()
    return render(
        request, "portal/tokens.html", {"form": form, "tokens": api_token_list(user=request.user), "issued": issued}
    )


@member_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(api_token_list(user=request.user), pk=pk)
    error = None
    try:
        token = api_token_revoke(token=token, actor=request.user)
    except DomainError as exc:
        error = exc.message
    if is_htmx(request):
        return render(request, "portal/partials/token_row.html", {"t": token, "row_error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Token revoked."))
    return redirect("portal:tokens")


# --- Branding assets ------------------------------------------------------------------
@require_GET
def brand_logo(request):
    """The tenant's logo (public: the login page shows it). Type sniffed from content."""
    logo = request.tenant.logo
    if not logo:
        raise Http404
    handle = logo.open("rb")
    content_type = sniff_image_type(handle.read(16))
    handle.seek(0)
    if content_type is None:
        handle.close()
        raise Http404
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Disposition"] = "inline"
    return response


# --- Error pages ----------------------------------------------------------------------
def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return render(request, "404.html", status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return api_server_error(request)
    from django.views.defaults import server_error as default_server_error

    return default_server_error(request)


def platform_home(request):
    return redirect("admin:index")
