"""The customer-name trigram index is partial (bench/conflict_check.py measured why): it must cover exactly the
registrations conflict detection searches, or PostgreSQL cannot use it for the check and falls back to a scan."""

from django.db.models import Q

from deals.models import Deal
from deals.selectors.conflicts import OPEN_STATUSES


def test_the_trigram_index_covers_exactly_the_statuses_the_conflict_check_searches():
    index = next(index for index in Deal._meta.indexes if index.name == "deals_deal_trgm_idx")
    assert index.condition == Q(status__in=list(OPEN_STATUSES))
    assert index.fields == ["tenant", "customer_name_normalised"]
