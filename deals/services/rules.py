"""Rules of engagement: one `DealRules` row per program (programs without one use the defaults)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from prm.audit.services import audit_record
from prm.errors import InvalidInput

from ..models import DealRules

RULE_FIELDS = (
    "protection_days",
    "review_sla_business_days",
    "max_extensions",
    "extension_days",
    "registration_discount_pct",
    "conflict_policy",
)


def deal_rules_validate(rules: DealRules) -> None:
    """Field ranges (percent 0–100, a known policy) and at least one day of protection and review."""
    try:
        rules.full_clean(exclude=["program"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise InvalidInput(_("Please correct the highlighted fields."), fields=exc.message_dict) from exc
    too_short = [name for name in ("protection_days", "review_sla_business_days") if getattr(rules, name) < 1]
    if too_short:
        raise InvalidInput(
            _("Please correct the highlighted fields."), fields={name: [_("Must be at least 1.")] for name in too_short}
        )


@transaction.atomic
def deal_rules_save(*, program, actor, **values) -> DealRules:
    """Create or change the rules of `program` (any subset of RULE_FIELDS; the rest keep their value)."""
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown rule fields: {sorted(unknown)}")
    rules = DealRules.objects.select_for_update().filter(program=program).first()
    created = rules is None
    rules = rules or DealRules(program=program)
    before = {name: str(getattr(rules, name)) for name in values}
    for name, value in values.items():
        setattr(rules, name, value)
    deal_rules_validate(rules)
    rules.save()
    changes = {name: [None if created else before[name], str(getattr(rules, name))] for name in values}
    audit_record(
        action="deal_rules.create" if created else "deal_rules.change",
        actor=actor,
        obj=rules,
        changes={name: pair for name, pair in changes.items() if pair[0] != pair[1]},
        context={"program": program.pk},
    )
    return rules
