from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from prm.errors import DomainError
from prm.tenancy.admin import TenantModelAdmin, report_domain_error, run_for_each

from . import services
from .models import Membership, User
from .roles import VENDOR_ROLE_CHOICES

admin.site.unregister(Group)  # roles come from memberships, not Django groups


class MembershipInviteForm(forms.ModelForm):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Full name"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=VENDOR_ROLE_CHOICES)

    class Meta:
        model = Membership
        fields = ["role"]


class MembershipChangeForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("Role"), choices=VENDOR_ROLE_CHOICES)

    class Meta:
        model = Membership
        fields = ["role", "is_active"]


@admin.register(Membership)
class MembershipAdmin(TenantModelAdmin):
    change_capability = "team.manage"
    list_display = ("user", "user_name", "role", "is_active", "last_login_at", "created_at")
    list_filter = ("role", "is_active")
    search_fields = ("user__email", "user__full_name")
    readonly_fields = ("user", "invited_by", "created_at", "last_login_at", "deactivated_at")
    actions = ["deactivate", "reactivate", "resend_invitation"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description=_("name"), ordering="user__full_name")
    def user_name(self, obj):
        return obj.user.full_name

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = MembershipChangeForm if obj is not None else MembershipInviteForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "full_name", "role"]
        return ["user", "role", "is_active", "invited_by", "created_at", "last_login_at", "deactivated_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the audit trail keeps pointing at the member

    def save_model(self, request, obj, form, change):
        try:
            if not change:
                created = services.membership_invite(
                    tenant=request.tenant,
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    full_name=form.cleaned_data["full_name"],
                )
                obj.pk, obj.user = created.pk, created.user
                return
            current = Membership.objects.get(pk=obj.pk)
            if "role" in form.changed_data:
                current = services.membership_change_role(
                    membership=current, actor=request.user, role=form.cleaned_data["role"]
                )
            if "is_active" in form.changed_data:
                toggle = (
                    services.membership_reactivate if form.cleaned_data["is_active"] else services.membership_deactivate
                )
                toggle(membership=current, actor=request.user)
        except DomainError as error:
            report_domain_error(self, request, error)

    def _each(self, request, queryset, service) -> int:
        return run_for_each(self, request, queryset, lambda m: service(membership=m, actor=request.user))

    @admin.action(description=_("Deactivate selected members"), permissions=["change"])
    def deactivate(self, request, queryset):
        done = self._each(request, queryset, services.membership_deactivate)
        if done:
            message = ngettext("%(count)d member deactivated.", "%(count)d members deactivated.", done)
            self.message_user(request, message % {"count": done})

    @admin.action(description=_("Reactivate selected members"), permissions=["change"])
    def reactivate(self, request, queryset):
        done = self._each(request, queryset, services.membership_reactivate)
        if done:
            message = ngettext("%(count)d member reactivated.", "%(count)d members reactivated.", done)
            self.message_user(request, message % {"count": done})

    @admin.action(description=_("Resend invitation email"), permissions=["change"])
    def resend_invitation(self, request, queryset):
        done = self._each(request, queryset, services.membership_resend_invitation)
        if done:
            message = ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", done)
            self.message_user(request, message % {"count": done})


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Platform host only (PrmAdminSite wraps it): identities are shared by every tenant."""

    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_staff", "last_login", "date_joined")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("email", "full_name")
    filter_horizontal = ()
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name",)}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: audit trails keep pointing at the person
