"""Demo data of points and rewards: a rewards catalog per demo tenant (gift cards, event tickets, training vouchers,
swag; one item for the top tier only), welcome points for partner people and companies (on top of the demo points
program's), and redemptions in every state.

Rows are written directly (not through the services) so seeding sends no notifications; the values follow the
same rules (a `redemption` line per request, a `refund` line reversing it for a refused one, stock taken out).
Idempotent: the catalog and the redemptions are seeded once per tenant; demo points carry fixed idempotency keys.
"""

import hashlib
from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from partners.models import PartnerStatus, PartnerUser, Tier
from partners.services.tiers import tenant_today
from prm.accounts.models import User
from prm.accounts.roles import Role

from .models import EntryType, LedgerEntry, Redemption, Reward
from .selectors.points import points_balance, points_oldest_unspent_on

# name, kind, points, stock (None: unlimited), description, top tier only
CATALOG = [
    ("Amazon gift card 25", Reward.Kind.GIFT_CARD, 250, None, "Sent by email within two working days.", False),
    ("Amazon gift card 100", Reward.Kind.GIFT_CARD, 950, None, "Sent by email within two working days.", False),
    ("Partner Summit ticket", Reward.Kind.EVENT_TICKET, 2500, 20, "A full pass to our yearly partner summit.", True),
    ("Webinar series pass", Reward.Kind.EVENT_TICKET, 400, None, "Six live product deep-dives.", False),
    ("Certification exam voucher", Reward.Kind.TRAINING_VOUCHER, 1200, 50, "One attempt at any certification.", False),
    ("Instructor-led training day", Reward.Kind.TRAINING_VOUCHER, 1800, 10, "A seat in a public class.", False),
    ("Hoodie", Reward.Kind.SWAG, 300, 40, "Say your size in the note.", False),
    ("Insulated bottle", Reward.Kind.SWAG, 120, 5, "Keeps coffee hot through a long demo.", False),
]
# status, reward index, days ago (requested), note or reason
REDEMPTIONS = [
    (Redemption.Status.REQUESTED, 6, 2, "Size L, please."),
    (Redemption.Status.REQUESTED, 0, 1, ""),
    (Redemption.Status.REQUESTED, 4, 4, ""),
    (Redemption.Status.FULFILLED, 3, 40, "Access sent to your email."),
    (Redemption.Status.FULFILLED, 7, 25, "Shipped with DHL."),
    (Redemption.Status.FULFILLED, 0, 60, "Code sent by email."),
    (Redemption.Status.REFUSED, 5, 15, "The public class is full this quarter; pick an exam voucher instead."),
    (Redemption.Status.REFUSED, 6, 9, "That size is gone; ask again when the new batch arrives."),
]


def _h(*parts) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:12], 16)


def seed_catalog() -> list[Reward]:
    if Reward.objects.exists():
        return list(Reward.objects.order_by("position", "pk"))
    top = Tier.objects.values("program_id").annotate(rank=Max("rank"))
    top_ids = [
        tier_id
        for row in top
        for tier_id in Tier.objects.filter(program_id=row["program_id"], rank=row["rank"]).values_list("pk", flat=True)
    ]
    return Reward.objects.bulk_create(
        [
            Reward(
                name=name,
                kind=kind,
                points_cost=points,
                stock=stock,
                description=description,
                eligible_tier_ids=sorted(top_ids) if top_only else [],
                position=index,
            )
            for index, (name, kind, points, stock, description, top_only) in enumerate(CATALOG)
        ]
    )


def _people():
    return list(
        PartnerUser.objects.filter(partner__status=PartnerStatus.ACTIVE)
        .select_related("membership__user", "partner")
        .order_by("partner_id", "pk")
    )


def seed_points(tenant) -> None:
    """Welcome points for every active partner's people and companies, on top of what the demo points program
    earned, so every rep can redeem something."""
    today = tenant_today()
    lines, companies = [], {}
    for link in _people():
        user, partner = link.membership.user, link.partner
        companies[partner.pk] = partner
        for lot in range(2):
            # Two lots: one 10-11 months old (part of it expires soon), one recent.
            days = 300 + _h(tenant.slug, user.pk, lot) % 40 if lot == 0 else 10 + _h(tenant.slug, user.pk, lot) % 60
            lines.append(
                _grant(user=user, partner=partner, points=800 + _h(user.pk, lot) % 1700, days=days, today=today)
            )
    for partner in companies.values():
        lines.append(_grant(partner=partner, points=3000 + _h(partner.pk) % 2000, days=200, today=today))
    LedgerEntry.objects.bulk_create(lines, ignore_conflicts=True)


def _grant(*, partner, points: int, days: int, today, user=None) -> LedgerEntry:
    recipient = f"u{user.pk}" if user is not None else f"p{partner.pk}"
    return LedgerEntry(
        partner=partner,
        recipient_user=user,
        recipient_partner=None if user is not None else partner,
        unit="points",
        currency="",
        amount=points,
        entry_type=EntryType.ADJUSTMENT,
        source="demo",
        reason="Welcome points (demo data).",
        idempotency_key=f"demo:points:{recipient}:{days}",
        occurred_on=today - timedelta(days=days),
    )


def seed_redemptions(manager, rewards: list[Reward]) -> None:
    if Redemption.objects.exists() or not rewards:
        return
    reps = [link for link in _people() if link.membership.role == Role.PARTNER_REP] or _people()
    today, now = tenant_today(), timezone.now()
    for index, (status, reward_index, days_ago, text) in enumerate(REDEMPTIONS):
        if not reps:
            return
        link = reps[index % len(reps)]
        user, partner = link.membership.user, link.partner
        reward = rewards[reward_index % len(rewards)]
        if points_balance(user=user, today=today).available < reward.points_cost:
            continue
        oldest = points_oldest_unspent_on(user_id=user.pk)
        decided = status != Redemption.Status.REQUESTED
        redemption = Redemption.objects.create(
            reward=reward,
            user=user,
            partner=partner,
            points=reward.points_cost,
            status=status,
            note=text if status == Redemption.Status.REQUESTED else "",
            decided_at=now - timedelta(days=days_ago - 1) if decided else None,
            decided_by=manager if decided else None,
            decision_note=text if decided else "",
            points_age_days=(today - oldest).days if oldest else None,
        )
        Redemption.objects.filter(pk=redemption.pk).update(requested_at=now - timedelta(days=days_ago))
        debit = LedgerEntry.objects.create(
            partner=partner,
            recipient_user=user,
            unit="points",
            currency="",
            amount=-reward.points_cost,
            entry_type=EntryType.REDEMPTION,
            source=f"redemption:{redemption.pk}",
            explanation={"reward": reward.pk, "reward_name": reward.name, "account": "own"},
            idempotency_key=f"redemption:{redemption.pk}",
            occurred_on=today - timedelta(days=days_ago),
            created_by=user,
        )
        if status == Redemption.Status.REFUSED:
            LedgerEntry.objects.create(
                partner=partner,
                recipient_user=user,
                unit="points",
                currency="",
                amount=reward.points_cost,
                entry_type=EntryType.REFUND,
                source=f"redemption:{redemption.pk}",
                explanation={"reward": reward.pk, "reward_name": reward.name},
                reason=text,
                reverses=debit,
                idempotency_key=f"refund:{redemption.pk}",
                occurred_on=today - timedelta(days=days_ago - 1),
                created_by=manager,
            )
        elif reward.stock is not None:
            reward.stock -= 1
            reward.save(update_fields=["stock"])


def seed_rewards_demo(tenant, stdout) -> None:
    manager = User.objects.filter(email=f"manager@{tenant.slug}.example").first()
    rewards = seed_catalog()
    seed_points(tenant)
    seed_redemptions(manager, rewards)
    stdout.write(
        f"  {tenant.slug}: {Reward.objects.count()} rewards, {Redemption.objects.count()} redemptions, "
        f"{LedgerEntry.objects.filter(unit='points').count()} points lines"
    )
