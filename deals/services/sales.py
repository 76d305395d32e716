"""Booked revenue: `sale_records_import`, the one write behind the admin's CSV import and POST /api/v1/sales/."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from partners.models import Partner, PartnerUser
from partners.profile import normalise_domain
from prm.audit.services import audit_record
from prm.tenancy.validators import validate_currency

from ..models import Product, SaleRecord
from ..sales_rules import is_blank, parse_amount, parse_date, parse_positive_int
from .imports import ImportRejected, ImportResult, add_error, numbered, objects_only

SALE_FIELDS = (
    "external_id",
    "partner",
    "rep",
    "customer_name",
    "customer_domain",
    "product",
    "quantity",
    "booked_on",
    "amount",
    "currency",
    "kind",
    "term_months",
    "recurring_amount",
)
SALE_REQUIRED_COLUMNS = ("external_id", "partner", "customer_name", "booked_on", "amount", "currency", "kind")
# Subscriptions: these kinds carry a term and a recurring amount; a one-time sale carries neither.
SUBSCRIPTION_KINDS = frozenset({SaleRecord.Kind.NEW, SaleRecord.Kind.RENEWAL, SaleRecord.Kind.EXPANSION})
IMPORT_SOURCES = frozenset({SaleRecord.Source.IMPORT, SaleRecord.Source.API})


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _is_id(value) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, str) and value.isdigit())


class _Lookups:
    """Partners, reps and products a batch refers to, read with one query each."""

    def __init__(self, pairs):
        partner_ids, domains, rep_ids, rep_emails, skus = set(), set(), set(), set(), set()
        for _number, row in pairs:
            partner, rep, sku = _text(row.get("partner")), _text(row.get("rep")), _text(row.get("product"))
            if _is_id(partner):
                partner_ids.add(int(partner))
            elif partner:
                domains.add(normalise_domain(partner))
            if _is_id(rep):
                rep_ids.add(int(rep))
            elif rep:
                rep_emails.add(rep.lower())
            if sku:
                skus.add(sku.lower())
        partners = Partner.objects.filter(Q(pk__in=partner_ids) | Q(domain__in=domains - {""}))
        self.partners_by_id, self.partners_by_domain = {}, {}
        for pk, domain in partners.values_list("pk", "domain"):
            self.partners_by_id[pk] = pk
            if domain:
                self.partners_by_domain[domain] = pk
        links = PartnerUser.objects.filter(
            Q(membership__user_id__in=rep_ids) | Q(membership__user__email__in=rep_emails),
            partner_id__in=list(self.partners_by_id),
        )
        self.reps: dict[tuple[int, str], int] = {}
        for partner_id, user_id, email in links.values_list(
            "partner_id", "membership__user_id", "membership__user__email"
        ):
            self.reps[(partner_id, str(user_id))] = user_id
            self.reps[(partner_id, email.lower())] = user_id
        self.products = dict(
            Product.objects.annotate(sku_lower=Lower("sku")).filter(sku_lower__in=skus).values_list("sku_lower", "pk")
        )

    def partner_id(self, value) -> int | None:
        text = _text(value)
        if _is_id(text):
            return self.partners_by_id.get(int(text))
        return self.partners_by_domain.get(normalise_domain(text))


def _sale_record(row: Mapping, lookups: _Lookups, source: str) -> tuple[SaleRecord, dict[str, list[str]]]:
    """One row → an unsaved SaleRecord and {field: [messages]} for every problem found."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(row) - set(SALE_FIELDS))
    if unknown:
        add_error(errors, "non_field_errors", _("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)})
    record = SaleRecord(source=source)
    record.external_id = _text(row.get("external_id"))
    if not record.external_id:
        add_error(errors, "external_id", _("Every sale needs an external id (your invoice or order number)."))
    elif len(record.external_id) > 120:
        add_error(errors, "external_id", _("At most 120 characters."))

    partner_value = _text(row.get("partner"))
    record.partner_id = lookups.partner_id(partner_value) if partner_value else None
    if not partner_value:
        add_error(errors, "partner", _("Name the partner by its id or its domain."))
    elif record.partner_id is None:
        add_error(errors, "partner", _("No partner with the id or domain “%(value)s”.") % {"value": partner_value})

    rep_value = _text(row.get("rep"))
    if rep_value and record.partner_id is not None:
        record.rep_id = lookups.reps.get((record.partner_id, rep_value.lower()))
        if record.rep_id is None:
            message = _("“%(value)s” is not a user of this partner (use a user id or email).")
            add_error(errors, "rep", message % {"value": rep_value})

    record.customer_name = _text(row.get("customer_name"))
    if not record.customer_name:
        add_error(errors, "customer_name", _("Enter the customer's name."))
    elif len(record.customer_name) > 200:
        add_error(errors, "customer_name", _("At most 200 characters."))
    domain_value = _text(row.get("customer_domain"))
    record.customer_domain = normalise_domain(domain_value)
    if domain_value and "." not in record.customer_domain:
        add_error(errors, "customer_domain", _("Enter a domain such as example.com."))

    sku = _text(row.get("product"))
    if sku:
        record.product_id = lookups.products.get(sku.lower())
        if record.product_id is None:
            add_error(errors, "product", _("No product with the SKU “%(sku)s”.") % {"sku": sku})

    quantity = row.get("quantity")
    if not is_blank(quantity):  # units sold (per-unit SPIFs count them); 1 when not given
        try:
            record.quantity = parse_positive_int(quantity)
        except ValueError as exc:
            add_error(errors, "quantity", exc)

    for name, parse in (("booked_on", parse_date), ("amount", lambda v: parse_amount(v, allow_negative=True))):
        value = row.get(name)
        if is_blank(value):
            add_error(errors, name, _("This field is required."))
            continue
        try:
            setattr(record, name, parse(value))
        except ValueError as exc:
            add_error(errors, name, exc)
    if record.amount is not None and record.amount == 0:
        add_error(errors, "amount", _("The amount cannot be zero."))

    record.currency = _text(row.get("currency")).upper()
    try:
        validate_currency(record.currency)
    except ValidationError:
        add_error(errors, "currency", _("Enter an ISO 4217 currency code such as USD."))

    record.kind = _text(row.get("kind")).lower()
    if record.kind not in SaleRecord.Kind.values:
        kinds = ", ".join(SaleRecord.Kind.values)
        add_error(errors, "kind", _("Choose one of: %(kinds)s.") % {"kinds": kinds})
    _subscription_terms(record, row, errors)
    return record, errors


def _subscription_terms(record: SaleRecord, row: Mapping, errors: dict[str, list[str]]) -> None:
    term, recurring = row.get("term_months"), row.get("recurring_amount")
    if record.kind == SaleRecord.Kind.ONE_TIME:
        for name, value in (("term_months", term), ("recurring_amount", recurring)):
            if not is_blank(value):
                add_error(errors, name, _("A one-time sale has no term or recurring amount."))
        return
    if record.kind not in SUBSCRIPTION_KINDS:
        return
    if is_blank(term):
        add_error(errors, "term_months", _("A subscription needs its term in months."))
    else:
        try:
            record.term_months = parse_positive_int(term)
        except ValueError as exc:
            add_error(errors, "term_months", exc)
    if is_blank(recurring):
        add_error(errors, "recurring_amount", _("A subscription needs its recurring amount."))
    else:
        try:
            record.recurring_amount = parse_amount(recurring, allow_negative=True)
        except ValueError as exc:
            add_error(errors, "recurring_amount", exc)


@transaction.atomic
def sale_records_import(
    *, rows: Sequence[Mapping], source: str, actor, row_numbers: Sequence[int] | None = None
) -> ImportResult:
    """Record a batch of sales, all or nothing.

    Every row is checked first (partner by id or domain, optional rep who must be a user of that partner,
    optional product by SKU, optional quantity (default 1), booked_on, amount, currency, kind, and for
    subscriptions term_months and recurring_amount; external_id required and unique in the batch). Any
    invalid row → ImportRejected with the row-level report and nothing written. Otherwise the rows are
    inserted with ON CONFLICT (tenant, external_id) DO NOTHING: a sale already recorded is skipped (counted,
    never changed), so sending a batch again creates nothing new. Credit notes are sales with a negative
    amount.
    """
    if source not in IMPORT_SOURCES:
        raise ValueError(f"Unknown import source {source!r}.")
    pairs = numbered(rows, row_numbers)
    errors: dict[int, dict[str, list[str]]] = {}
    objects = objects_only(pairs, errors)
    lookups = _Lookups(objects)
    records: list[SaleRecord] = []
    seen: dict[str, int] = {}
    for number, row in objects:
        record, row_errors = _sale_record(row, lookups, source)
        if record.external_id in seen:
            message = _("The external id %(id)s is already in row %(row)s.") % {
                "id": record.external_id,
                "row": seen[record.external_id],
            }
            add_error(row_errors, "external_id", message)
        elif record.external_id:
            seen[record.external_id] = number
        if row_errors:
            errors[number] = row_errors
        records.append(record)
    if errors:
        raise ImportRejected(errors, total=len(pairs))
    present = set(SaleRecord.objects.filter(external_id__in=list(seen)).values_list("external_id", flat=True))
    SaleRecord.objects.bulk_create(records, ignore_conflicts=True)
    skipped = [record.external_id for record in records if record.external_id in present]
    result = ImportResult(created=len(records) - len(skipped), skipped=len(skipped), skipped_keys=skipped)
    audit_record(
        action="sale_record.import",
        actor=actor,
        context={"source": source, "rows": len(records), "created": result.created, "skipped": result.skipped},
    )
    return result
