"""Tier evaluation, approvals, pins and notifications. The decisions themselves are `tier_rules`."""

from datetime import date
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from prm.audit.services import audit_diff, audit_record, audit_snapshot
from prm.errors import Duplicate, InvalidInput, StateConflict
from prm.tenancy.context import current_tenant
from prm.tenancy.selectors import tenant_portal_url

from ..metrics import metric_label, validate_metric_key
from ..models import Partner, PartnerStatus, Program, Tier, TierChange, TierCriterion, TierEvaluationRun
from ..selectors.tiers import (
    metric_keys_of,
    metric_values_for,
    tier_latest_rejections,
    tier_notification_recipients,
    tier_specs_by_program,
)
from ..tier_rules import DEMOTION, PROMOTION, Decision, TierSpec, decide, explain

EVALUATED_STATUSES = (PartnerStatus.ONBOARDING, PartnerStatus.ACTIVE)
NOTIFY_BATCH = 100  # tier changes per notification task
BULK_BATCH = 1000


def tenant_today() -> date:
    """Today in the time zone of the tenant in context (the day a daily evaluation belongs to)."""
    return timezone.now().astimezone(ZoneInfo(current_tenant().timezone)).date()


def _reason(decision: Decision, values, current: TierSpec | None, *, since: date | None, grace_days: int) -> str:
    criteria = "; ".join(f"{metric_label(key)} {text}" for key, text in explain(decision, values, current))
    if decision.kind == PROMOTION and not criteria:
        return _("Placed on %(tier)s, the highest tier it qualifies for.") % {"tier": decision.to_tier.name}
    if decision.kind == PROMOTION:
        return _("Meets the criteria of %(tier)s: %(criteria)s.") % {
            "tier": decision.to_tier.name,
            "criteria": criteria,
        }
    return _("Below the criteria of %(tier)s since %(since)s (grace period %(days)d days): %(criteria)s.") % {
        "tier": current.name if current else "-",
        "since": since.isoformat() if since else "-",
        "days": grace_days,
        "criteria": criteria,
    }


def _enqueue_notifications(change_ids: list[int]) -> None:
    from ..tasks.tiers import tier_change_notify_task

    tenant_id = current_tenant().pk
    for start in range(0, len(change_ids), NOTIFY_BATCH):
        batch = change_ids[start : start + NOTIFY_BATCH]
        tier_change_notify_task.delay_on_commit(tenant_id=tenant_id, tier_change_ids=batch)


def _partner_tier_state_update(rows: list[tuple]) -> None:
    """Write (id, tier, below since, pinned until, pin reason) rows in one set-based UPDATE (Django's bulk_update
    builds a CASE per row and field, which costs more than the rest of the evaluation together)."""
    if not rows:
        return
    ids, tiers, below, pinned, reasons = (list(column) for column in zip(*rows, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {Partner._meta.db_table} AS p
            SET tier_id = u.tier_id, below_tier_since = u.below, tier_pinned_until = u.pinned,
                tier_pin_reason = u.reason, updated_at = %s
            FROM unnest(%s::bigint[], %s::bigint[], %s::date[], %s::date[], %s::text[])
                AS u(id, tier_id, below, pinned, reason)
            WHERE p.id = u.id AND p.tenant_id = %s
            """,
            [timezone.now(), ids, tiers, below, pinned, reasons, current_tenant().pk],
        )


@transaction.atomic
def tier_evaluate(*, today: date) -> TierEvaluationRun | None:
    """Evaluate every onboarding/active partner of the tenant in context for `today`.

    Guarded by the day's TierEvaluationRun row: a second run the same day returns None and changes and
    sends nothing. Metric values are computed once per metric for all partners; decisions come from
    `tier_rules.decide`; writes are bulk. Partners with a promotion awaiting approval keep their tier
    until a manager decides; a rejected promotion is not requested again while it is the latest change.
    """
    try:
        with transaction.atomic():
            run = TierEvaluationRun.objects.create(run_on=today)
    except IntegrityError:
        return None

    partners = Partner.objects.filter(status__in=EVALUATED_STATUSES)
    rows = list(
        partners.order_by("pk").values_list(
            "pk", "program_id", "tier_id", "below_tier_since", "tier_pinned_until", "tier_pin_reason"
        )
    )
    specs = tier_specs_by_program()
    programs = {program.pk: program for program in Program.objects.all()}
    values = metric_values_for(partners, metric_keys_of([t for tiers in specs.values() for t in tiers]), as_of=today)
    pending = set(TierChange.objects.filter(status=TierChange.Status.PENDING).values_list("partner_id", flat=True))
    rejected = tier_latest_rejections()
    keys_by_program = {program_id: metric_keys_of(tiers) for program_id, tiers in specs.items()}

    updates: list[tuple] = []
    changes: list[TierChange] = []
    with translation.override(current_tenant().default_language):
        for pk, program_id, tier_id, below_since, pinned_until, pin_reason in rows:
            tiers = specs.get(program_id)
            if not tiers:
                continue
            program = programs[program_id]
            partner_values = values.get(pk, {})
            decision = decide(
                tiers=tiers,
                current_tier_id=tier_id,
                values=partner_values,
                below_tier_since=below_since,
                pinned_until=pinned_until,
                grace_days=program.demotion_grace_days,
                today=today,
            )
            new_tier, new_below = tier_id, decision.below_tier_since
            new_pinned, new_pin_reason = pinned_until, pin_reason
            if decision.pin_expired:
                new_pinned, new_pin_reason = None, ""
            if decision.kind is not None and pk not in pending:
                needs_approval = decision.kind == PROMOTION and program.promotions_need_approval
                if not (needs_approval and rejected.get(pk) == decision.to_tier.id):
                    current = next((t for t in tiers if t.id == tier_id), None)
                    changes.append(
                        TierChange(
                            partner_id=pk,
                            from_tier_id=tier_id,
                            to_tier_id=decision.to_tier.id,
                            kind=TierChange.Kind.PROMOTION if decision.kind == PROMOTION else TierChange.Kind.DEMOTION,
                            status=TierChange.Status.PENDING if needs_approval else TierChange.Status.APPLIED,
                            reason=_reason(
                                decision,
                                partner_values,
                                current,
                                since=below_since or today,
                                grace_days=program.demotion_grace_days,
                            ),
                            metric_values={
                                key: str(partner_values.get(key, Decimal(0))) for key in keys_by_program[program_id]
                            },
                            evaluated_on=today,
                        )
                    )
                    if not needs_approval:
                        new_tier = decision.to_tier.id
            elif decision.kind == DEMOTION and pk in pending:
                new_below = below_since or today  # still below: keep counting while the request waits
            if (new_tier, new_below, new_pinned, new_pin_reason) != (tier_id, below_since, pinned_until, pin_reason):
                updates.append((pk, new_tier, new_below, new_pinned, new_pin_reason))

    _partner_tier_state_update(updates)
    created = TierChange.objects.bulk_create(changes, batch_size=BULK_BATCH)
    run.partners_evaluated = len(rows)
    run.changes = len(created)
    run.finished_at = timezone.now()
    run.save(update_fields=["partners_evaluated", "changes", "finished_at"])
    audit_record(
        action="tier.evaluate",
        obj=run,
        context={"run_on": today, "partners": len(rows), "changes": len(created), "updated": len(updates)},
    )
    _enqueue_notifications([change.pk for change in created])
    return run


def _lock_pending(tier_change: TierChange) -> tuple[TierChange, Partner]:
    change = TierChange.objects.select_for_update().select_related("to_tier").get(pk=tier_change.pk)
    if change.status != TierChange.Status.PENDING:
        raise StateConflict(
            _("Only a tier change awaiting approval can be approved or rejected; this one is %(status)s.")
            % {"status": change.get_status_display()},
            current_state=change.status,
        )
    return change, Partner.objects.select_for_update().get(pk=change.partner_id)


@transaction.atomic
def tier_change_approve(*, tier_change: TierChange, actor) -> TierChange:
    """Apply a pending promotion: the partner moves to the requested tier now."""
    change, partner = _lock_pending(tier_change)
    if change.to_tier.program_id != partner.program_id:
        raise StateConflict(
            _("The partner has moved to another program since this request; reject it instead."),
            current_state=change.status,
        )
    before = partner.tier_id
    partner.tier_id, partner.below_tier_since = change.to_tier_id, None
    partner.save(update_fields=["tier", "below_tier_since", "updated_at"])
    change.status, change.decided_by, change.decided_at = TierChange.Status.APPLIED, actor, timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        action="tier_change.approve", actor=actor, obj=change, changes={"partner.tier": [before, change.to_tier_id]}
    )
    _enqueue_notifications([change.pk])
    return change


@transaction.atomic
def tier_change_reject(*, tier_change: TierChange, actor) -> TierChange:
    """Refuse a pending promotion: the partner keeps its tier (and is not asked for again until things change)."""
    change, _partner = _lock_pending(tier_change)
    change.status, change.decided_by, change.decided_at = TierChange.Status.REJECTED, actor, timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(action="tier_change.reject", actor=actor, obj=change, changes={"status": ["pending", "rejected"]})
    _enqueue_notifications([change.pk])
    return change


@transaction.atomic
def tier_pin_set(*, partner: Partner, tier: Tier | None, until: date | None, reason: str, actor) -> TierChange:
    """Put `partner` on `tier` now and keep it there until `until` (inclusive), whatever evaluation finds."""
    partner = Partner.objects.select_for_update(of=("self",)).select_related("tier").get(pk=partner.pk)
    errors: dict[str, list[str]] = {}
    if tier is None or tier.program_id != partner.program_id:
        errors["tier"] = [_("Choose a tier of the partner's program.")]
    if until is None or until < tenant_today():
        errors["until"] = [_("Choose today or a later date.")]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say why the tier is pinned.")]
    if errors:
        raise InvalidInput(_("The pin was not set."), fields=errors)
    if partner.status == PartnerStatus.OFFBOARDED:
        raise StateConflict(_("This partner has been offboarded."), current_state=partner.status)
    if TierChange.objects.filter(partner=partner, status=TierChange.Status.PENDING).exists():
        raise StateConflict(
            _("A promotion of this partner awaits approval; approve or reject it first."),
            current_state=TierChange.Status.PENDING,
        )
    change = TierChange.objects.create(
        partner=partner,
        from_tier=partner.tier,
        to_tier=tier,
        kind=TierChange.Kind.MANUAL,
        status=TierChange.Status.APPLIED,
        reason=_("Pinned until %(until)s: %(reason)s") % {"until": until.isoformat(), "reason": reason},
        actor=actor,
    )
    before = {"tier": partner.tier_id, "tier_pinned_until": partner.tier_pinned_until}
    partner.tier, partner.tier_pinned_until, partner.tier_pin_reason = tier, until, reason[:240]
    partner.below_tier_since = None
    partner.save(update_fields=["tier", "tier_pinned_until", "tier_pin_reason", "below_tier_since", "updated_at"])
    audit_record(
        action="tier.pin",
        actor=actor,
        obj=partner,
        changes={
            "tier": [before["tier"], tier.pk],
            "tier_pinned_until": [before["tier_pinned_until"], until],
        },
        context={"reason": reason},
    )
    _enqueue_notifications([change.pk])
    return change


@transaction.atomic
def tier_pin_clear(*, partner: Partner, actor) -> Partner:
    """End a pin now: the next evaluation treats the partner like any other."""
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner.tier_pinned_until is None:
        raise StateConflict(_("This partner's tier is not pinned."), current_state="unpinned")
    before = partner.tier_pinned_until
    partner.tier_pinned_until, partner.tier_pin_reason = None, ""
    partner.save(update_fields=["tier_pinned_until", "tier_pin_reason", "updated_at"])
    audit_record(action="tier.unpin", actor=actor, obj=partner, changes={"tier_pinned_until": [before, None]})
    return partner


def tier_change_notify(*, tier_change_ids: list[int]) -> int:
    """Email each change to the partner's active partner admins and, separately, its channel manager.

    Returns the number of emails sent. Runs in a task, in the tenant's language.
    """
    tenant = current_tenant()
    changes = list(
        TierChange.objects.filter(pk__in=tier_change_ids)
        .select_related("partner__channel_manager", "from_tier", "to_tier")
        .order_by("pk")
    )
    recipients = tier_notification_recipients({change.partner_id for change in changes})
    sent = 0
    with translation.override(tenant.default_language):
        for change in changes:
            partner = change.partner
            manager = partner.channel_manager
            audiences = [
                (recipients.get(partner.pk, []), reverse("partners:tier-mine")),
                (
                    [manager.email] if manager is not None and manager.is_active else [],
                    reverse("partners:partner-tier", args=[partner.pk]),
                ),
            ]
            for to, path in audiences:
                if not to:
                    continue
                context = {
                    "tenant": tenant,
                    "change": change,
                    "partner": partner,
                    "url": tenant_portal_url(tenant=tenant, path=path),
                }
                subject = render_to_string("partners/email/tier_change_subject.txt", context).strip()
                body = render_to_string("partners/email/tier_change_message.txt", context)
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
                sent += 1
    return sent


# --- Tier set-up (API and admin simulation) ---------------------------------------------------------------

BENEFIT_FIELDS = (
    "product_discount_pct",
    "deal_registration_discount_pct",
    "rebate_multiplier",
    "mdf_allocation_per_quarter",
    "mdf_reimbursement_cap_pct",
    "perks",
)
TIER_FIELDS = ("name", "rank", "description", *BENEFIT_FIELDS)


def _validated_criteria(criteria) -> list[tuple[str, Decimal]]:
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    cleaned = []
    for index, item in enumerate(criteria):
        metric, threshold = item.get("metric", ""), item.get("threshold")
        try:
            validate_metric_key(metric)
        except ValidationError as exc:
            errors[f"criteria.{index}.metric"] = exc.messages
        if metric in seen:
            errors[f"criteria.{index}.metric"] = [_("Each metric can be used once per tier.")]
        seen.add(metric)
        try:
            threshold = Decimal(str(threshold))
        except (InvalidOperation, ValueError):
            threshold = None
        if threshold is None or not threshold.is_finite() or threshold < 0:
            errors[f"criteria.{index}.threshold"] = [_("Enter a number of 0 or more.")]
        cleaned.append((metric, threshold))
    if errors:
        raise InvalidInput(_("Check the tier's criteria."), fields=errors)
    return cleaned


def _check_tier(tier: Tier) -> None:
    if not isinstance(tier.perks, list) or not all(isinstance(p, str) and p.strip() for p in tier.perks):
        raise InvalidInput(_("Perks are a list of short texts."), fields={"perks": [_("Give a list of texts.")]})
    try:
        tier.full_clean(exclude=["program"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise InvalidInput(_("Check the tier."), fields=exc.message_dict) from exc
    siblings = Tier.objects.filter(program_id=tier.program_id).exclude(pk=tier.pk)
    if siblings.filter(rank=tier.rank).exists():
        raise Duplicate(_("The program already has a tier with this rank."), fields={"rank": [_("Choose another.")]})
    if siblings.filter(name=tier.name).exists():
        raise Duplicate(_("The program already has a tier with this name."), fields={"name": [_("Choose another.")]})


def _replace_criteria(tier: Tier, criteria: list[tuple[str, Decimal]]) -> None:
    existing = {criterion.metric: criterion for criterion in tier.criteria.all()}
    wanted = dict(criteria)
    tier.criteria.exclude(metric__in=list(wanted)).delete()
    for metric, threshold in wanted.items():
        criterion = existing.get(metric)
        if criterion is None:
            TierCriterion.objects.create(tier=tier, metric=metric, threshold=threshold)
        elif criterion.threshold != threshold:
            criterion.threshold = threshold
            criterion.save(update_fields=["threshold"])


def _criteria_snapshot(tier: Tier) -> dict[str, str]:
    return {c.metric: str(c.threshold) for c in tier.criteria.all()}


@transaction.atomic
def tier_create(*, actor, program: Program, criteria=(), **fields) -> Tier:
    """A new tier of `program` with its criteria (`[{"metric", "threshold"}]`) and structured benefits."""
    unknown = set(fields) - set(TIER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown tier fields: {sorted(unknown)}")
    cleaned = _validated_criteria(criteria)
    tier = Tier(program=program, **fields)
    _check_tier(tier)
    tier.save()
    _replace_criteria(tier, cleaned)
    audit_record(action="tier.create", actor=actor, obj=tier, changes={"criteria": [None, _criteria_snapshot(tier)]})
    return tier


@transaction.atomic
def tier_update(*, tier: Tier, actor, criteria=None, **fields) -> Tier:
    """Change a tier's name, rank, description or benefits; `criteria`, when given, replaces all of them."""
    unknown = set(fields) - set(TIER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown tier fields: {sorted(unknown)}")
    tier = Tier.objects.select_for_update().get(pk=tier.pk)
    cleaned = _validated_criteria(criteria) if criteria is not None else None
    before = audit_snapshot(tier, list(fields))
    criteria_before = _criteria_snapshot(tier)
    for name, value in fields.items():
        setattr(tier, name, value)
    _check_tier(tier)
    tier.save()
    if cleaned is not None:
        _replace_criteria(tier, cleaned)
    changes = audit_diff(before, audit_snapshot(tier, list(fields)))
    criteria_after = _criteria_snapshot(tier)
    if criteria_after != criteria_before:
        changes["criteria"] = [criteria_before, criteria_after]
    if changes:
        audit_record(action="tier.update", actor=actor, obj=tier, changes=changes)
    return tier


@transaction.atomic
def tier_thresholds_update(*, program: Program, thresholds: dict[int, Decimal], actor) -> int:
    """Set new thresholds on criteria of `program`'s tiers ({criterion id: threshold}); returns how many changed."""
    criteria = {
        c.pk: c
        for c in TierCriterion.objects.select_for_update(of=("self",))
        .select_related("tier")
        .filter(tier__program=program, pk__in=list(thresholds))
    }
    errors = {}
    for criterion_id, threshold in thresholds.items():
        if criterion_id not in criteria:
            errors[f"criterion-{criterion_id}"] = [_("Not a criterion of this program.")]
        elif threshold is None or threshold < 0:
            errors[f"criterion-{criterion_id}"] = [_("Enter a number of 0 or more.")]
    if errors:
        raise InvalidInput(_("The thresholds were not saved."), fields=errors)
    changed = []
    for criterion_id, threshold in thresholds.items():
        criterion = criteria[criterion_id]
        if criterion.threshold != threshold:
            changed.append((criterion, str(criterion.threshold), str(threshold)))
            criterion.threshold = threshold
    TierCriterion.objects.bulk_update([c for c, _old, _new in changed], ["threshold"])
    if changed:
        audit_record(
            action="tier.thresholds_update",
            actor=actor,
            obj=program,
            changes={f"{c.tier.name}: {c.metric}": [old, new] for c, old, new in changed},
        )
    return len(changed)
