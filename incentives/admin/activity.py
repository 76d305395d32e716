"""Admin of logged activities: the list, and adding one through `activity_log` (same checks as the API).
A logged activity is a fact points were computed from: it is not changed or deleted here."""

from django import forms
from django.contrib import admin
from django.db import transaction

from partners.models import Partner
from prm.errors import DomainError
from prm.portal.views import form_error_fields
from prm.tenancy.admin import TenantModelAdmin

from ..activity_kinds import MANUAL_KINDS
from ..models import ActivityEvent
from ..services.activity import activity_log


class ActivityEventForm(forms.ModelForm):
    kind = forms.ChoiceField(choices=[(key, label) for key, label in MANUAL_KINDS.items()])
    actor = None  # set by the admin

    class Meta:
        model = ActivityEvent
        fields = ["kind", "occurred_on", "reference", "description"]  # + partner, user (the admin's get_fields)

    def _post_clean(self):
        # The service checks and records; a later failure of the admin's save rolls the row back with
        # the admin's transaction.
        if self.errors:
            return
        data = self.cleaned_data
        try:
            with transaction.atomic():
                self.instance = activity_log(
                    actor=self.actor,
                    kind=data["kind"],
                    user=data["user"],
                    partner=data["partner"],
                    occurred_on=data["occurred_on"],
                    reference=data["reference"],
                    description=data.get("description", ""),
                )
        except DomainError as error:
            form_error_fields(self, error)


@admin.register(ActivityEvent)
class ActivityEventAdmin(TenantModelAdmin):
    add_fields = ["kind", "partner", "user", "occurred_on", "reference", "description"]
    view_capability = "incentives.view_all"
    change_capability = "incentives.manage"
    form = ActivityEventForm
    list_display = ("occurred_on", "kind", "user", "partner", "reference", "logged_by", "created_at")
    list_filter = ("kind",)
    search_fields = ("reference", "description", "user__email", "partner__name")
    list_select_related = ("user", "partner", "logged_by")
    date_hierarchy = "occurred_on"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        return [*self.add_fields, "logged_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "partner":
            kwargs["queryset"] = Partner.objects.order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        pass  # recorded (and audited) by activity_log when the form was validated

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
