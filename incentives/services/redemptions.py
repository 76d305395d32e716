"""Rewards catalog writes and redemptions: a rep (or a partner admin, also from the company's points) asks for
a reward, the points are debited at once; a manager fulfils it or refuses it (the points and the stock come back).

A request locks the recipient's points (advisory lock, see services.points) and the reward row, so two requests
cannot both spend the same points or the last item in stock.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Partner, PartnerUser, Tier
from partners.services.tiers import tenant_today
from prm.accounts.models import Membership
from prm.accounts.roles import Role
from prm.audit.services import audit_record
from prm.errors import DomainError, InvalidInput, NotAllowed, StateConflict
from prm.notifications.services import notify

from ..models import EntryType, LedgerEntry, Redemption, Reward
from ..selectors.points import points_balance, points_oldest_unspent_on, reward_is_eligible
from .points import points_lock_recipient

REWARD_FIELDS = ("name", "kind", "description", "points_cost", "stock", "eligible_tier_ids", "is_active", "position")
OWN, COMPANY = "own", "company"  # whose points pay: the requester's own, or (partner admins) the company's
TEXT_MAX = 2000


class InsufficientPoints(DomainError):
    """The recipient's available points do not cover the reward (HTTP 409)."""

    code = "insufficient_points"
    status = 409


# --- catalog -----------------------------------------------------------------------------------------------------
def _reward_apply(reward: Reward, values: dict) -> None:
    unknown = set(values) - set(REWARD_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for name, value in values.items():
        setattr(reward, name, value)
    errors = {}
    if not str(reward.name or "").strip():
        errors["name"] = [_("Give the reward a name.")]
    if reward.kind not in Reward.Kind.values:
        errors["kind"] = [_("Choose a kind.")]
    if reward.points_cost is None or reward.points_cost < 1:
        errors["points_cost"] = [_("A reward costs at least 1 point.")]
    if reward.stock is not None and reward.stock < 0:
        errors["stock"] = [_("Stock cannot be negative; leave it empty for unlimited.")]
    tier_ids = sorted({int(pk) for pk in reward.eligible_tier_ids or []})
    known = set(Tier.objects.filter(pk__in=tier_ids).values_list("pk", flat=True))
    if set(tier_ids) - known:
        errors["eligible_tier_ids"] = [_("Choose tiers of your partner programs.")]
    reward.eligible_tier_ids = tier_ids
    if errors:
        raise InvalidInput(_("Check the reward's fields."), fields=errors)


def reward_validate(reward: Reward, values: dict) -> None:
    """Apply and check `values` on `reward` (unsaved); the admin form shows the errors per field."""
    _reward_apply(reward, dict(values))


@transaction.atomic
def reward_create(*, actor, **fields) -> Reward:
    reward = Reward()
    _reward_apply(reward, fields)
    reward.save()
    audit_record(
        action="reward.create", actor=actor, obj=reward, changes={k: [None, str(v)] for k, v in fields.items()}
    )
    return reward


@transaction.atomic
def reward_update(*, reward: Reward, actor, **fields) -> Reward:
    reward = Reward.objects.select_for_update().get(pk=reward.pk)
    before = {name: str(getattr(reward, name)) for name in fields}
    _reward_apply(reward, fields)
    reward.save()
    changes = {
        name: [before[name], str(getattr(reward, name))]
        for name in fields
        if before[name] != str(getattr(reward, name))
    }
    audit_record(action="reward.update", actor=actor, obj=reward, changes=changes)
    return reward


# --- redemptions ---------------------------------------------------------------------------------------------------
def _requester_role(actor, partner: Partner) -> str:
    link = PartnerUser.objects.filter(partner=partner, membership__user=actor, membership__is_active=True)
    role = link.values_list("membership__role", flat=True).first()
    if role is None:
        raise NotAllowed(_("Only the partner's own people redeem its points."))
    return role


def _recipient(actor, partner: Partner, account: str) -> dict:
    if account == OWN:
        return {"user_id": actor.pk}
    if account == COMPANY:
        return {"partner_id": partner.pk}
    raise InvalidInput(_("Pay with 'own' or 'company' points."), fields={"account": [_("Choose own or company.")]})


def _managers_of(partner: Partner):
    """Who hears about a new request: the partner's channel manager, else the tenant's managers."""
    if partner.channel_manager_id is not None:
        return [partner.channel_manager]
    roles = (Role.TENANT_ADMIN, Role.CHANNEL_MANAGER)
    members = Membership.objects.filter(role__in=roles, is_active=True).select_related("user")
    return [member.user for member in members]


@transaction.atomic
def redemption_request(*, actor, partner: Partner, reward: Reward, account: str = OWN, note: str = "") -> Redemption:
    """Spend points on one item of `reward`: checks the reward (active, the partner's tier, stock) and the
    points, debits them with a `redemption` line and takes the item out of stock."""
    role = _requester_role(actor, partner)
    recipient = _recipient(actor, partner, account)
    if account == COMPANY and role != Role.PARTNER_ADMIN:
        raise NotAllowed(_("Only a partner admin spends the company's points."))
    if len(note) > TEXT_MAX:
        raise InvalidInput(_("The note is too long."), fields={"note": [_("At most 2000 characters.")]})
    points_lock_recipient(**recipient)
    reward = Reward.objects.select_for_update().get(pk=reward.pk)
    if not reward.is_active:
        raise StateConflict(_("This reward is no longer offered."), current_state="inactive")
    if not reward_is_eligible(reward, partner):
        raise NotAllowed(_("This reward is not offered at your partner tier."))
    if reward.stock is not None and reward.stock < 1:
        raise StateConflict(_("%(reward)s is out of stock.") % {"reward": reward.name}, current_state="out_of_stock")
    today = tenant_today()
    who = {"user": actor} if account == OWN else {"partner": partner}
    available = points_balance(**who, today=today).available
    if available < reward.points_cost:
        raise InsufficientPoints(
            _("%(reward)s costs %(cost)d points; %(available)d are available.")
            % {"reward": reward.name, "cost": reward.points_cost, "available": available}
        )
    oldest = points_oldest_unspent_on(**recipient)
    if reward.stock is not None:
        reward.stock -= 1
        reward.save(update_fields=["stock"])
    redemption = Redemption.objects.create(
        reward=reward,
        user=actor,
        partner=partner,
        points=reward.points_cost,
        note=note,
        points_age_days=(today - oldest).days if oldest is not None else None,
    )
    LedgerEntry.objects.create(
        partner=partner,
        recipient_user_id=recipient.get("user_id"),
        recipient_partner_id=recipient.get("partner_id"),
        unit="points",
        currency="",
        amount=-reward.points_cost,
        entry_type=EntryType.REDEMPTION,
        source=f"redemption:{redemption.pk}",
        explanation={"reward": reward.pk, "reward_name": reward.name, "account": account},
        idempotency_key=f"redemption:{redemption.pk}",
        occurred_on=today,
        created_by=actor,
    )
    audit_record(action="redemption.request", actor=actor, obj=redemption, context={"account": account})
    notify(
        users=_managers_of(partner),
        title=_("%(partner)s redeemed %(reward)s") % {"partner": partner.name, "reward": reward.name},
        body=_("%(person)s asked for %(reward)s (%(points)d points). Fulfil or refuse it.")
        % {"person": actor.email, "reward": reward.name, "points": redemption.points},
        url="/redemptions/",
    )
    return redemption


def _decide(redemption: Redemption, actor, status: str, note: str) -> Redemption:
    redemption = Redemption.objects.select_for_update().select_related("reward", "user").get(pk=redemption.pk)
    if redemption.status != Redemption.Status.REQUESTED:
        raise StateConflict(
            _("This redemption is already %(status)s.") % {"status": redemption.get_status_display().lower()},
            current_state=redemption.status,
        )
    redemption.status = status
    redemption.decided_at = timezone.now()
    redemption.decided_by = actor
    redemption.decision_note = note
    redemption.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    return redemption


@transaction.atomic
def redemption_fulfil(*, actor, redemption: Redemption, note: str = "") -> Redemption:
    if len(note) > TEXT_MAX:
        raise InvalidInput(_("The note is too long."), fields={"note": [_("At most 2000 characters.")]})
    redemption = _decide(redemption, actor, Redemption.Status.FULFILLED, note)
    audit_record(action="redemption.fulfil", actor=actor, obj=redemption)
    notify(
        users=[redemption.user],
        title=_("Your %(reward)s is on its way") % {"reward": redemption.reward.name},
        body=note,
        url="/rewards/",
        email=True,
    )
    return redemption


@transaction.atomic
def redemption_refuse(*, actor, redemption: Redemption, reason: str) -> Redemption:
    """Refuse a request: a `refund` line gives the points back (reversing the debit) and the item returns to stock."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say why the request is refused."), fields={"reason": [_("Give a reason.")]})
    if len(reason) > TEXT_MAX:
        raise InvalidInput(_("The reason is too long."), fields={"reason": [_("At most 2000 characters.")]})
    redemption = _decide(redemption, actor, Redemption.Status.REFUSED, reason)
    debit = LedgerEntry.objects.get(idempotency_key=f"redemption:{redemption.pk}")
    LedgerEntry.objects.create(
        partner_id=debit.partner_id,
        recipient_user_id=debit.recipient_user_id,
        recipient_partner_id=debit.recipient_partner_id,
        unit="points",
        currency="",
        amount=-debit.amount,
        entry_type=EntryType.REFUND,
        source=f"redemption:{redemption.pk}",
        explanation={"reward": redemption.reward_id, "reward_name": redemption.reward.name},
        reason=reason,
        reverses=debit,
        idempotency_key=f"refund:{redemption.pk}",
        occurred_on=tenant_today(),
        created_by=actor,
    )
    reward = Reward.objects.select_for_update().get(pk=redemption.reward_id)
    if reward.stock is not None:
        reward.stock += 1
        reward.save(update_fields=["stock"])
    audit_record(action="redemption.refuse", actor=actor, obj=redemption, context={"reason": reason})
    notify(
        users=[redemption.user],
        title=_("Your %(reward)s request was refused") % {"reward": redemption.reward.name},
        body=_("%(reason)s Your %(points)d points are back.") % {"reason": reason, "points": redemption.points},
        url="/rewards/",
        email=True,
    )
    return redemption
