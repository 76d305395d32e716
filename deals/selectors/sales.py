"""Reads of the catalog, the house accounts and the sale records, scoped to who asks."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from partners.permissions import request_partner
from prm.accounts.permissions import request_can, request_role
from prm.accounts.roles import Role

from ..models import HouseAccount, Product, SaleRecord


def product_list(*, active_only: bool = False) -> QuerySet[Product]:
    products = Product.objects.order_by("family", "name", "pk")
    return products.filter(is_active=True) if active_only else products


def products_visible_to(request) -> QuerySet[Product]:
    """Vendor staff see the whole catalog; partner users the active products."""
    return product_list(active_only=not request_can(request, "deals.view_all"))


def house_account_list() -> QuerySet[HouseAccount]:
    return HouseAccount.objects.order_by("company_name", "pk")


def sale_record_list() -> QuerySet[SaleRecord]:
    """Sale records with what a list shows (partner, rep, product) in the same query, newest first."""
    return SaleRecord.objects.select_related("partner", "rep", "product").order_by("-booked_on", "-id")


def sale_records_visible_to(request) -> QuerySet[SaleRecord]:
    """Vendor staff: every sale; a partner admin: the company's; a partner rep: the ones booked to them."""
    records = sale_record_list()
    if request_can(request, "deals.view_all"):
        return records
    partner = request_partner(request)
    if partner is None:
        return records.none()
    records = records.filter(partner=partner)
    if request_role(request) == Role.PARTNER_REP:
        records = records.filter(rep=request.user)
    return records


def sale_totals(records: QuerySet[SaleRecord]) -> list[dict]:
    """Count and sum of `records` per currency (amounts in different currencies are never added up)."""
    return list(
        records.order_by("currency")
        .values("currency")
        .annotate(count=Count("pk"), amount=Sum("amount"))
        .values("currency", "count", "amount")
    )


def revenue_by_partner(partners: QuerySet, *, first: date, last: date, currency: str) -> dict[int, Decimal]:
    """{partner id: net revenue} booked from `first` to `last` (both included) in `currency`, in one grouped
    query; counted as the tier metric counts revenue (every kind; credit notes are negative sales; other
    currencies are left out). Partners without sales in the window are left out."""
    rows = (
        SaleRecord.objects.filter(
            partner_id__in=partners.order_by().values("pk"), booked_on__range=(first, last), currency=currency
        )
        .order_by()
        .values("partner_id")
        .annotate(revenue=Sum("amount"))
        .values_list("partner_id", "revenue")
    )
    return dict(rows)
