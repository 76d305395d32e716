"""Admin: announcements, written through the services (the text sanitised, the audience and the window checked,
the email sent once when one goes live); publish now, back to draft, pin and unpin in bulk; read counts in the
same query as the list."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from prm.errors import DomainError
from prm.portal.views import form_error_fields
from prm.tenancy.admin import TenantModelAdmin, run_for_each

from ..announcement_rules import AnnouncementState, announcement_state
from ..forms.announcements import AnnouncementForm, AudienceFieldsMixin
from ..models import Announcement
from ..selectors import live_condition, with_read_counts
from ..services import (
    announcement_create,
    announcement_pin,
    announcement_publish,
    announcement_unpin,
    announcement_unpublish,
    announcement_update,
)
from ..services.announcements import ANNOUNCEMENT_FIELDS

VIEW_ALL, MANAGE = "content.view_all", "content.manage"
STATE_LABELS = {
    AnnouncementState.DRAFT: _("Draft"),
    AnnouncementState.SCHEDULED: _("Scheduled"),
    AnnouncementState.LIVE: _("Live"),
    AnnouncementState.EXPIRED: _("Expired"),
}


class AnnouncementAdminForm(AudienceFieldsMixin, forms.ModelForm):
    """Saved by `announcement_create`/`announcement_update` when it validates; their refusals show on the form."""

    visible_program_ids = AnnouncementForm.base_fields["visible_program_ids"]
    visible_tier_ids = AnnouncementForm.base_fields["visible_tier_ids"]
    visible_types = AnnouncementForm.base_fields["visible_types"]
    visible_regions = AnnouncementForm.base_fields["visible_regions"]
    actor = None  # set by the admin

    class Meta:
        model = Announcement
        fields = list(ANNOUNCEMENT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_audience_choices()

    def _post_clean(self):
        if self.errors:
            return
        values = {name: self.cleaned_data[name] for name in ANNOUNCEMENT_FIELDS}
        try:
            with transaction.atomic():
                if self.instance.pk is None:
                    self.instance = announcement_create(actor=self.actor, **values)
                else:
                    self.instance = announcement_update(actor=self.actor, announcement=self.instance, **values)
        except DomainError as error:
            form_error_fields(self, error)


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return list(STATE_LABELS.items())

    def queryset(self, request, queryset):
        now = timezone.now()
        conditions = {
            AnnouncementState.DRAFT: Q(publish_at__isnull=True),
            AnnouncementState.SCHEDULED: Q(publish_at__gt=now),
            AnnouncementState.LIVE: live_condition(now),
            AnnouncementState.EXPIRED: Q(publish_at__lte=now, expire_at__lte=now),
        }
        return queryset.filter(conditions[self.value()]) if self.value() in conditions else queryset


@admin.register(Announcement)
class AnnouncementAdmin(TenantModelAdmin):
    view_capability = VIEW_ALL
    change_capability = MANAGE
    form = AnnouncementAdminForm
    list_display = ("title", "state", "is_pinned", "publish_at", "expire_at", "send_email", "emailed_at", "read_count")
    list_filter = (StateFilter, "is_pinned", "send_email")
    search_fields = ("title", "body")
    readonly_fields = ("emailed_at", "read_count", "created_by", "created_at", "updated_at")
    actions = ["publish_now", "unpublish", "pin", "unpin"]

    def get_queryset(self, request):
        return with_read_counts(super().get_queryset(request))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        pass  # written (and audited) by the service when the form was validated

    def has_delete_permission(self, request, obj=None):
        return False  # back to draft instead: the read markers and the audit stay meaningful

    def has_manage_permission(self, request):
        return self._can_change(request)

    @admin.display(description=_("state"))
    def state(self, obj):
        state = announcement_state(publish_at=obj.publish_at, expire_at=obj.expire_at, now=timezone.now())
        return STATE_LABELS[state]

    @admin.display(description=_("read by"), ordering="read_count")
    def read_count(self, obj):
        return obj.read_count

    def _each(self, request, queryset, service, message):
        run_for_each(
            self,
            request,
            queryset.order_by("pk"),
            lambda obj: service(actor=request.user, announcement=obj),
            done_message=message,
        )

    @admin.action(description=_("Publish selected announcements now"), permissions=["manage"])
    def publish_now(self, request, queryset):
        self._each(
            request,
            queryset,
            announcement_publish,
            lambda n: ngettext("%(count)d announcement published.", "%(count)d announcements published.", n),
        )

    @admin.action(description=_("Move selected announcements back to draft"), permissions=["manage"])
    def unpublish(self, request, queryset):
        self._each(
            request,
            queryset,
            announcement_unpublish,
            lambda n: ngettext(
                "%(count)d announcement is a draft again.", "%(count)d announcements are drafts again.", n
            ),
        )

    @admin.action(description=_("Pin selected announcements"), permissions=["manage"])
    def pin(self, request, queryset):
        self._each(
            request,
            queryset,
            announcement_pin,
            lambda n: ngettext("%(count)d announcement pinned.", "%(count)d announcements pinned.", n),
        )

    @admin.action(description=_("Unpin selected announcements"), permissions=["manage"])
    def unpin(self, request, queryset):
        self._each(
            request,
            queryset,
            announcement_unpin,
            lambda n: ngettext("%(count)d announcement unpinned.", "%(count)d announcements unpinned.", n),
        )
