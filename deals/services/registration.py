from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.profile import normalise_domain
from prm.audit.services import audit_record
from prm.errors import InvalidInput, StateConflict

from ..models import Deal, DealEvent, DealLine, DealSource, DealStatus, Product
from ..rules import normalise_company_name

REGISTRATION_FIELDS = (
    "customer_name",
    "customer_domain",
    "country",
    "contact_name",
    "contact_email",
    "contact_phone",
    "expected_close_date",
    "estimated_value",
    "currency",
    "notes",
)


def _clean_lines(lines) -> list[tuple[Product, int]]:
    """[(product, quantity), …] from [{"product": Product|pk, "quantity": n}, …]; every problem is reported."""
    cleaned, errors = [], []
    for index, line in enumerate(lines or ()):
        product = line.get("product")
        if not isinstance(product, Product):
            product = Product.objects.filter(pk=product, is_active=True).first()
        try:
            quantity = int(line.get("quantity"))
        except (TypeError, ValueError):
            quantity = 0
        if product is None:
            errors.append(_("Line %(n)d: choose an active product.") % {"n": index + 1})
        elif quantity < 1:
            errors.append(_("Line %(n)d: the quantity must be at least 1.") % {"n": index + 1})
        else:
            cleaned.append((product, quantity))
    if errors:
        raise InvalidInput(_("Some lines are not valid."), fields={"lines": errors})
    return cleaned


def lines_replace(*, deal: Deal, lines) -> list[DealLine]:
    """Replace the deal's lines, pricing each at the product's current list price."""
    cleaned = _clean_lines(lines)
    DealLine.objects.filter(deal=deal).delete()
    return DealLine.objects.bulk_create(
        DealLine(deal=deal, product=product, quantity=quantity, unit_list_price=product.list_price)
        for product, quantity in cleaned
    )


def _validated(deal: Deal) -> None:
    deal.customer_name = (deal.customer_name or "").strip()
    deal.customer_name_normalised = normalise_company_name(deal.customer_name)
    deal.customer_domain = normalise_domain(deal.customer_domain)
    deal.country = (deal.country or "").strip().upper()
    try:
        deal.estimated_value = Decimal(str(deal.estimated_value))
    except (InvalidOperation, ValueError):
        raise InvalidInput(
            _("Please correct the highlighted fields."), fields={"estimated_value": [_("Enter an amount.")]}
        ) from None
    try:
        deal.full_clean(exclude=["partner", "registered_by", "lead", "decided_by"])
    except ValidationError as exc:
        raise InvalidInput(_("Please correct the highlighted fields."), fields=exc.message_dict) from exc
    if deal.estimated_value <= 0:
        raise InvalidInput(
            _("Please correct the highlighted fields."),
            fields={"estimated_value": [_("Must be greater than zero.")]},
        )


@transaction.atomic
def deal_register(*, partner, actor, lines=(), source: str = DealSource.PARTNER_SOURCED, lead=None, **fields) -> Deal:
    """A new registration of `partner` in `draft` (submit it with `deal_submit`). Lines are optional here."""
    unknown = set(fields) - set(REGISTRATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown deal fields: {sorted(unknown)}")
    if partner.status not in ("onboarding", "active"):
        raise StateConflict(_("Only onboarding or active partners register deals."), current_state=partner.status)
    deal = Deal(partner=partner, registered_by=actor, source=source, lead=lead, status=DealStatus.DRAFT, **fields)
    _validated(deal)
    deal.save()
    lines_replace(deal=deal, lines=lines)
    DealEvent.objects.create(deal=deal, kind="created", to_status=DealStatus.DRAFT, actor=actor)
    audit_record(action="deal.register", actor=actor, obj=deal, context={"partner": partner.pk, "source": source})
    return deal
