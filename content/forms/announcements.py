"""The announcement form of the portal and the admin: the values `announcement_create`/`announcement_update` take,
with the audience choices read from the tenant's programs and tiers when the form is built."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import Program, Tier
from partners.profile import PartnerType, Region

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AudienceFieldsMixin:
    """The four restrictions (none ticked: anyone), with the tenant's programs and tiers as choices."""

    def set_audience_choices(self) -> None:
        self.fields["visible_program_ids"].choices = [
            (program.pk, program.name) for program in Program.objects.order_by("position", "name")
        ]
        self.fields["visible_tier_ids"].choices = [
            (tier.pk, f"{tier.program.name}: {tier.name}")
            for tier in Tier.objects.select_related("program").order_by("program__name", "rank")
        ]


def _multi(label, choices=(), *, coerce=str):
    return forms.TypedMultipleChoiceField(
        label=label,
        choices=choices,
        coerce=coerce,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every partner."),
    )


class AnnouncementForm(AudienceFieldsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("HTML: headings, paragraphs, lists, links, images and tables; anything else is removed."),
    )
    is_pinned = forms.BooleanField(label=_("Pinned (shown first)"), required=False)
    send_email = forms.BooleanField(
        label=_("Email the audience"), required=False, help_text=_("Once, when it is published.")
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=DATETIME_INPUT,
        help_text=_("Empty: a draft. A time to come schedules it."),
    )
    expire_at = forms.DateTimeField(
        label=_("Expire at"), required=False, widget=DATETIME_INPUT, help_text=_("Empty: shown until unpublished.")
    )
    visible_program_ids = _multi(_("Partner programs"), coerce=int)
    visible_tier_ids = _multi(_("Tiers"), coerce=int)
    visible_types = _multi(_("Partner types"), PartnerType.choices)
    visible_regions = _multi(_("Regions"), Region.choices)

    def __init__(self, *args, announcement=None, **kwargs):
        if announcement is not None:
            kwargs.setdefault("initial", {name: getattr(announcement, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)
        self.set_audience_choices()
