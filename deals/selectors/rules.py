"""Rules of engagement: a program's `DealRules` row, or the defaults, and how they read to a partner."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import DealRules

Policy = DealRules.ConflictPolicy

CONFLICT_RULE_TEXT = {
    Policy.FIRST_APPROVED_WINS: lambda: _(
        "If another partner registers the same customer, the registration that is approved first is "
        "protected; later registrations for that customer are not approved."
    ),
    Policy.MANUAL_REVIEW: lambda: _(
        "If another partner has registered the same customer, or the vendor's direct sales team owns it, "
        "a channel manager reviews the registrations and decides."
    ),
    Policy.AUTO_REJECT_HOUSE: lambda: _(
        "Customers the vendor's direct sales team owns cannot be registered: such a registration is "
        "rejected at once. Overlaps with other partners are decided by a channel manager."
    ),
}


def deal_rules_for(program) -> DealRules:
    """The rules of `program` (a Program or its id): its stored row, else an unsaved row of defaults."""
    program_id = getattr(program, "pk", program)
    rules = DealRules.objects.filter(program_id=program_id).first()
    return rules if rules is not None else DealRules(program_id=program_id)


def deal_rules_by_program(program_ids) -> dict[int, DealRules]:
    """{program id: rules} for many programs in one query (defaults for programs without a row)."""
    program_ids = set(program_ids)
    stored = {rules.program_id: rules for rules in DealRules.objects.filter(program_id__in=program_ids)}
    return {pk: stored.get(pk) or DealRules(program_id=pk) for pk in program_ids}


def conflict_rule_text(policy: str) -> str:
    return CONFLICT_RULE_TEXT[policy]()


def rules_explained(rules: DealRules, *, tier=None) -> list[tuple[str, str]]:
    """(topic, sentence) pairs in plain language, for the partner's register and deal pages."""
    registration_pct = rules.registration_discount_pct + (tier.deal_registration_discount_pct if tier else 0)
    return [
        (
            _("Protection"),
            ngettext(
                "Once approved, the customer is yours for %(days)d day.",
                "Once approved, the customer is yours for %(days)d days.",
                rules.protection_days,
            )
            % {"days": rules.protection_days},
        ),
        (
            _("Extensions"),
            ngettext(
                "You may ask for %(count)d extension of %(days)d days.",
                "You may ask for up to %(count)d extensions of %(days)d days each.",
                rules.max_extensions,
            )
            % {"count": rules.max_extensions, "days": rules.extension_days}
            if rules.max_extensions
            else _("Protection cannot be extended."),
        ),
        (
            _("Review"),
            ngettext(
                "A channel manager decides within %(days)d business day of submission.",
                "A channel manager decides within %(days)d business days of submission.",
                rules.review_sla_business_days,
            )
            % {"days": rules.review_sla_business_days},
        ),
        (
            _("Registration discount"),
            _("Registered deals get an extra %(pct)s %% off, on top of your tier's product discount.")
            % {"pct": _pct(registration_pct)},
        ),
        (_("Conflicts"), conflict_rule_text(rules.conflict_policy)),
    ]


def _pct(value) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
