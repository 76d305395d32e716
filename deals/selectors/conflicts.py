"""Conflict candidates for a registration: other partners' open registrations and the vendor's house
accounts with the same customer domain or a similar normalised company name (pg_trgm similarity)."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, Value

from ..models import Deal, DealStatus, HouseAccount
from ..rules import normalise_company_name

# Registrations that still claim the customer: a conflict with a closed or rejected one is not a conflict.
OPEN_STATUSES = (DealStatus.SUBMITTED, DealStatus.APPROVED)
# pg_trgm similarity from which two normalised names count as the same company (1 = identical).
NAME_THRESHOLD = Decimal("0.5")
MAX_CANDIDATES = 20


@dataclass(frozen=True)
class Candidate:
    kind: str  # "deal" | "house_account"
    pk: int
    matched_on: str  # "domain" | "name"
    score: Decimal


def _same(condition: Q | None):
    """True where the domain matches (a constant False when there is no domain to match)."""
    if condition is None:
        return Value(False)
    return ExpressionWrapper(condition, output_field=BooleanField())


def _score(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.001"))


def conflict_candidates(
    *, customer_name: str, customer_domain: str = "", exclude_partner_id=None, exclude_deal_id=None
) -> list[Candidate]:
    """Best matches first. A domain match scores 1; a name match scores its trigram similarity.

    Two queries (registrations, house accounts), each served by the trigram GIN index (the `%` operator,
    with pg_trgm's threshold set to NAME_THRESHOLD for the transaction, so the index itself discards the
    weaker names) or the tenant/domain btree index.
    """
    name = normalise_company_name(customer_name)
    domain = (customer_domain or "").strip().lower()
    name_match = Q(customer_name_normalised__trigram_similar=name) if name else Q(pk__in=[])
    domain_match = Q(customer_domain=domain) if domain else None
    deals = Deal.objects.filter(status__in=OPEN_STATUSES).filter(name_match | (domain_match or Q(pk__in=[])))
    if exclude_partner_id is not None:
        deals = deals.exclude(partner_id=exclude_partner_id)
    if exclude_deal_id is not None:
        deals = deals.exclude(pk=exclude_deal_id)
    deals = deals.annotate(
        similarity=TrigramSimilarity("customer_name_normalised", name), same_domain=_same(domain_match)
    ).values_list("pk", "customer_domain", "similarity")
    house_name = Q(name_normalised__trigram_similar=name) if name else Q(pk__in=[])
    house_domain = Q(domain=domain) if domain else None
    houses = (
        HouseAccount.objects.filter(house_name | (house_domain or Q(pk__in=[])))
        .annotate(similarity=TrigramSimilarity("name_normalised", name), same_domain=_same(house_domain))
        .values_list("pk", "domain", "similarity")
    )
    found = []
    # At pg_trgm's default threshold (0.3) the index lets through many names dropped below anyway; at
    # 1,000,000 registrations that made the check about 4x slower (bench/README.md, conflict_check).
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(NAME_THRESHOLD)])
        for kind, rows in (("deal", deals), ("house_account", houses)):
            # Domain matches first: a capped list must never drop the surest evidence.
            for pk, row_domain, similarity in rows.order_by("-same_domain", "-similarity")[:MAX_CANDIDATES]:
                if domain and row_domain == domain:
                    found.append(Candidate(kind, pk, "domain", Decimal("1.000")))
                elif similarity is not None and _score(similarity) >= NAME_THRESHOLD:
                    found.append(Candidate(kind, pk, "name", _score(similarity)))
    return sorted(found, key=lambda candidate: (-candidate.score, candidate.kind, candidate.pk))
