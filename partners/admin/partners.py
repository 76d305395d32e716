"""Partner admin: profile edits and creation through the services; status, tier and pins are
read-only here (they change through lifecycle actions and tier evaluation)."""

from django import forms
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from prm.errors import DomainError
from prm.tenancy.admin import (
    ReadOnlyAdminMixin,
    TenantInlineMixin,
    TenantModelAdmin,
    report_domain_error,
    run_for_each,
    text_action_page,
)

from .. import services
from ..countries import country_choices
from ..models import Partner, PartnerStatusChange, PartnerUser
from ..profile import PROFILE_FIELDS, Capability, PartnerType, Region, Vertical
from ..selectors import channel_manager_candidates
from ..services.company import REASON_REQUIRED


class ServiceErrorsMixin:
    """Admin saves go through services; a refused save shows the reason and returns to the form
    instead of claiming success (Django's admin cannot turn a service error into form errors)."""

    def report_refusal(self, request, error: DomainError) -> None:
        report_domain_error(self, request, error)
        request._prm_admin_refused = True

    def refused(self, request) -> bool:
        return getattr(request, "_prm_admin_refused", False)

    def save_related(self, request, form, formsets, change):
        if not self.refused(request):
            super().save_related(request, form, formsets, change)
            return
        for formset in formsets:  # the change message reads these
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def response_add(self, request, obj, post_url_continue=None):
        if self.refused(request):
            return HttpResponseRedirect(request.path)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if self.refused(request):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)


class CapabilityInlineMixin(TenantInlineMixin):
    view_capability = "partners.view_all"
    change_capability = "partners.manage"


def _multi(label, choices):
    return forms.MultipleChoiceField(label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple)


class PartnerAdminForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    country = forms.ChoiceField(label=_("Country"), choices=lambda: [("", "—"), *country_choices()], required=False)
    regions = _multi(_("Regions"), Region.choices)
    types = _multi(_("Partner types"), PartnerType.choices)
    verticals = _multi(_("Verticals"), Vertical.choices)
    capabilities = _multi(_("Capabilities"), Capability.choices)

    class Meta:
        model = Partner
        fields = ["name", "website", *PROFILE_FIELDS]  # FKs come from get_fields() at request time (tenant choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "channel_manager" in self.fields:
            self.fields["channel_manager"].queryset = channel_manager_candidates()

    def validate_unique(self):
        pass  # the services refuse duplicates with their own messages


class PartnerUserInline(CapabilityInlineMixin, admin.TabularInline):
    model = PartnerUser
    verbose_name_plural = _("people")
    fields = ("email", "role", "is_active", "last_login_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("membership__user")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("email"))
    def email(self, obj):
        return obj.membership.user.email

    @admin.display(description=_("role"))
    def role(self, obj):
        return obj.membership.get_role_display()

    @admin.display(description=_("active"), boolean=True)
    def is_active(self, obj):
        return obj.membership.is_active

    @admin.display(description=_("last sign-in"))
    def last_login_at(self, obj):
        return obj.membership.last_login_at


class StatusChangeInline(ReadOnlyAdminMixin, CapabilityInlineMixin, admin.TabularInline):
    model = PartnerStatusChange
    verbose_name_plural = _("status history")
    fields = ("changed_at", "from_status", "to_status", "reason", "actor")
    readonly_fields = fields
    extra = 0
    can_delete = False


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


@admin.register(Partner)
class PartnerAdmin(ServiceErrorsMixin, TenantModelAdmin):
    form = PartnerAdminForm
    view_capability = "partners.view_all"
    change_capability = "partners.manage"
    list_display = ("name", "status", "program", "tier", "country", "channel_manager", "joined_at")
    list_filter = ("status", "program", "tier", "country")
    list_select_related = ("program", "tier", "channel_manager")
    search_fields = ("name", "domain")
    inlines = [PartnerUserInline, StatusChangeInline]
    actions = ["activate", "suspend", "reactivate", "offboard"]
    lifecycle_fields = (
        "domain",
        "status",
        "status_changed_at",
        "tier",
        "below_tier_since",
        "tier_pinned_until",
        "tier_pin_reason",
        "joined_at",
        "onboarded_at",
    )

    def get_fields(self, request, obj=None):
        editable = ["name", "website", "program", "channel_manager", *PROFILE_FIELDS]
        return editable if obj is None else [*editable, *self.lifecycle_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("program", *self.lifecycle_fields)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # offboard instead: deals, earnings and the audit trail keep pointing at the partner

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if not change:
                created = services.partner_create(
                    actor=request.user,
                    name=data["name"],
                    program=data["program"],
                    website=data.get("website") or "",
                    channel_manager=data.get("channel_manager"),
                    **{field: data[field] for field in PROFILE_FIELDS if field in data},
                )
                obj.pk = created.pk
                return
            current = Partner.objects.get(pk=obj.pk)
            profile = {name: data[name] for name in form.changed_data if name in ("name", "website", *PROFILE_FIELDS)}
            if profile:
                services.partner_update_profile(partner=current, actor=request.user, **profile)
            if "channel_manager" in form.changed_data:
                services.partner_assign_manager(partner=current, actor=request.user, manager=data["channel_manager"])
        except DomainError as error:
            self.report_refusal(request, error)

    # --- lifecycle actions -------------------------------------------------------------------
    def _lifecycle(self, request, queryset, action: str):
        reason = ""
        if action in REASON_REQUIRED:
            form = ReasonForm(request.POST if "apply" in request.POST else None)
            if not form.is_valid():
                return text_action_page(
                    self,
                    request,
                    queryset,
                    action=action,
                    title=_("Give a reason"),
                    form=form,
                    describe=lambda partner: f"{partner.name} ({partner.get_status_display()})",
                )
            reason = form.cleaned_data["reason"]
        done = run_for_each(
            self,
            request,
            queryset,
            lambda partner: services.partner_lifecycle_action(
                partner=partner, actor=request.user, action=action, reason=reason
            ),
            label=lambda partner: partner.name,
        )
        if done:
            message = ngettext("%(count)d partner updated.", "%(count)d partners updated.", done)
            self.message_user(request, message % {"count": done})
        return None

    @admin.action(description=_("Activate selected partners"), permissions=["change"])
    def activate(self, request, queryset):
        return self._lifecycle(request, queryset, "activate")

    @admin.action(description=_("Suspend selected partners…"), permissions=["change"])
    def suspend(self, request, queryset):
        return self._lifecycle(request, queryset, "suspend")

    @admin.action(description=_("Reactivate selected partners"), permissions=["change"])
    def reactivate(self, request, queryset):
        return self._lifecycle(request, queryset, "reactivate")

    @admin.action(description=_("Offboard selected partners…"), permissions=["change"])
    def offboard(self, request, queryset):
        return self._lifecycle(request, queryset, "offboard")
