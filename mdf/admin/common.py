"""What the MDF admins share: capabilities, read-only inlines, the reason form and the page of a decision on
one object (an amount, a reason or a date first)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from prm.errors import DomainError
from prm.portal.views import form_error_fields
from prm.tenancy.admin import ReadOnlyAdminMixin, TenantInlineMixin, TenantModelAdmin, run_for_each, text_action_page

from ..selectors import REVIEW_OVERDUE

VIEW, MANAGE = "mdf.view_all", "mdf.manage"
REASON_MAX_LENGTH = 2000


class ReasonForm(forms.Form):
    text = forms.CharField(
        label=_("Reason (shown to the partner)"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        max_length=REASON_MAX_LENGTH,
    )


class PartialApprovalForm(forms.Form):
    amount = forms.DecimalField(label=_("Approved amount"), max_digits=14, decimal_places=2, min_value=0)
    reason = forms.CharField(
        label=_("Reason (shown to the partner)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        max_length=REASON_MAX_LENGTH,
        required=False,
        help_text=_("Required when less than the full amount is approved."),
    )


class OverdueFilter(admin.SimpleListFilter):
    title = _("review overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(REVIEW_OVERDUE)
        if self.value() == "no":
            return queryset.exclude(REVIEW_OVERDUE)
        return queryset


def bulk_decision(modeladmin, request, queryset, *, service, done_message, title, action):
    """Run `service` for each selected row, the reason asked first when `action` needs one."""

    def run(reason=None):
        extra = {"reason": reason} if reason is not None else {}
        done = run_for_each(
            modeladmin,
            request,
            queryset.select_related(*modeladmin.list_select_related).order_by("pk"),
            lambda obj: service(actor=request.user, **{modeladmin.object_argument: obj}, **extra),
            label=lambda obj: f"{obj} ({obj.partner.name})",
        )
        if done:
            modeladmin.message_user(request, done_message(done) % {"count": done})

    if title is None:
        return run()
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        return run(form.cleaned_data["text"])
    return text_action_page(
        modeladmin,
        request,
        queryset.select_related(*modeladmin.list_select_related),
        action=action,
        title=title,
        form=form,
        describe=lambda obj: f"{obj} — {obj.partner.name} ({obj.get_status_display()})",
    )


class ReadOnlyInline(ReadOnlyAdminMixin, TenantInlineMixin, admin.TabularInline):
    view_capability = VIEW
    extra = 0
    can_delete = False


class DecisionPagesMixin:
    """The page of one decision on one object (`decisions`: {slug: (title, form class, call(request, obj,
    cleaned_data))}), linked from the object's page with `decision_links`."""

    decisions: dict = {}

    def has_decide_permission(self, request):
        return self._can_change(request)

    def get_urls(self):
        opts = self.model._meta
        view = self.admin_site.admin_view(self.decision_view)
        name = f"{opts.app_label}_{opts.model_name}_decide"
        return [path("<int:object_id>/decide/<slug:decision>/", view, name=name), *super().get_urls()]

    def decision_links(self, obj, *, only=None, exclude=()) -> str:
        opts = self.model._meta
        links = (
            (reverse(f"admin:{opts.app_label}_{opts.model_name}_decide", args=[obj.pk, slug]), title)
            for slug, (title, _form, _call) in self.decisions.items()
            if (only is None or slug in only) and slug not in exclude
        )
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def decision_view(self, request, object_id: int, decision: str):
        if decision not in self.decisions:
            raise Http404
        obj = self.get_queryset(request).filter(pk=object_id).first()
        if obj is None:
            raise Http404
        if not self.has_decide_permission(request):
            raise PermissionDenied
        title, form_class, call = self.decisions[decision]
        form = form_class(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                call(request, obj, form.cleaned_data)
            except DomainError as error:
                form_error_fields(form, error)
            else:
                self.message_user(request, format_html("{}: {}", title, obj))
                opts = self.model._meta
                return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", obj.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "form": form,
            "object": obj,
        }
        return TemplateResponse(request, "admin/mdf/decision.html", context)


class DecidedAdmin(ReadOnlyAdminMixin, DecisionPagesMixin, TenantModelAdmin):
    """Rows that change only through their services: read here, decided by bulk actions or on the page of one
    decision."""

    view_capability = VIEW
    change_capability = MANAGE

    # Read-only here: partners create them in the portal or the API.
