from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from prm.accounts.models import Membership
from prm.accounts.roles import Role

from ..metrics import metric_get
from ..models import Partner, Tier, TierChange
from ..tier_rules import CriterionSpec, Progress, TierSpec, progress


def tier_spec(tier: Tier) -> TierSpec:
    """A tier with its (prefetched) criteria as the pure rules take it."""
    criteria = tuple(CriterionSpec(c.metric, Decimal(c.threshold)) for c in tier.criteria.all())
    return TierSpec(id=tier.pk, rank=tier.rank, name=tier.name, criteria=criteria)


def tier_list(*, program_ids=None) -> QuerySet:
    tiers = Tier.objects.select_related("program").prefetch_related("criteria").order_by("program_id", "rank")
    return tiers if program_ids is None else tiers.filter(program_id__in=program_ids)


def tier_specs_by_program(*, program_ids=None) -> dict[int, list[TierSpec]]:
    """{program id: its tiers by rank} in two queries (tiers, criteria)."""
    specs: dict[int, list[TierSpec]] = defaultdict(list)
    for tier in tier_list(program_ids=program_ids):
        specs[tier.program_id].append(tier_spec(tier))
    return dict(specs)


def metric_keys_of(tiers) -> list[str]:
    return sorted({criterion.metric for tier in tiers for criterion in tier.criteria})


def metric_values_for(partners: QuerySet, keys, *, as_of: date) -> dict[int, dict[str, Decimal]]:
    """{partner id: {metric key: value}} for every partner in `partners`: one query per metric.

    A key no app registers (any more) has no values, so criteria on it count as unmet.
    """
    values: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for key in keys:
        try:
            metric = metric_get(key)
        except KeyError:
            continue
        for partner_id, value in metric.compute(partners, as_of=as_of).items():
            values[partner_id][key] = value
    return values


def tier_progress_for(partner: Partner, *, today: date) -> tuple[Progress, dict[str, Decimal], list[Tier]]:
    """A partner's standing in its program: the pure progress, the metric values behind it and the tiers."""
    tiers = list(tier_list(program_ids=[partner.program_id]))
    specs = [tier_spec(tier) for tier in tiers]
    keys = metric_keys_of(specs)
    values = metric_values_for(Partner.objects.filter(pk=partner.pk), keys, as_of=today).get(partner.pk, {})
    return progress(tiers=specs, current_tier_id=partner.tier_id, values=values), values, tiers


def tier_change_list(*, partners: QuerySet | None = None) -> QuerySet:
    changes = TierChange.objects.select_related("partner", "from_tier", "to_tier", "actor", "decided_by")
    return changes if partners is None else changes.filter(partner__in=partners)


def tier_change_pending_of(partner: Partner) -> TierChange | None:
    return (
        TierChange.objects.filter(partner=partner, status=TierChange.Status.PENDING).select_related("to_tier").first()
    )


def tier_latest_rejections() -> dict[int, int]:
    """{partner id: rejected target tier id} for partners whose latest tier change is a rejected request."""
    latest = (
        TierChange.objects.order_by("partner_id", "-created_at", "-id")
        .distinct("partner_id")
        .values_list("partner_id", "status", "to_tier_id")
    )
    return {pid: to_tier for pid, status, to_tier in latest if status == TierChange.Status.REJECTED}


def tier_notification_recipients(partner_ids) -> dict[int, list[str]]:
    """{partner id: emails of its active partner admins} (one query)."""
    rows = (
        Membership.objects.filter(
            partner_links__partner_id__in=list(partner_ids), role=Role.PARTNER_ADMIN, is_active=True
        )
        .order_by("user__email")
        .values_list("partner_links__partner_id", "user__email")
    )
    recipients: dict[int, list[str]] = defaultdict(list)
    for partner_id, email in rows:
        recipients[partner_id].append(email)
    return dict(recipients)


def unknown_program_and_tier_errors(
    *, program_ids, tier_ids, program_field: str, tier_field: str
) -> dict[str, list[str]]:
    """{field: [message]} for ids that are not the vendor's partner programs or tiers (other apps say who their
    rows are for by program and tier ids); empty when all are known."""
    from ..models import Program

    errors = {}
    for field, model, ids, label in (
        (program_field, Program, set(program_ids or []), _("partner programs")),
        (tier_field, Tier, set(tier_ids or []), _("tiers")),
    ):
        unknown = sorted(ids - set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))) if ids else []
        if unknown:
            errors[field] = [_("Unknown %(what)s: %(ids)s.") % {"what": label, "ids": ", ".join(map(str, unknown))}]
    return errors
