from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.profile import PartnerType, Region


def _ids(label):
    return ArrayField(models.BigIntegerField(), default=list, blank=True, verbose_name=label)


class Targeted(models.Model):
    """Restrictions on who sees a piece of content (an asset, a course, an announcement): every list that is set must
    match the partner (an empty list matches anyone). `content.rules.is_for` is the rule; `content.selectors`
    applies it as one SQL condition."""

    visible_program_ids = _ids(_("partner programs"))
    visible_tier_ids = _ids(_("tiers"))
    visible_types = ArrayField(
        models.CharField(max_length=32, choices=PartnerType.choices),
        default=list,
        blank=True,
        verbose_name=_("partner types"),
    )
    visible_regions = ArrayField(
        models.CharField(max_length=32, choices=Region.choices), default=list, blank=True, verbose_name=_("regions")
    )

    class Meta:
        abstract = True
