"""The vendor's MDF pages: spend against allocation per fund and per partner, the review queue (oldest first,
overdue flagged), and the managers' decisions on requests and claims with their errors on the forms."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from mdf.models import MdfClaim
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory

from . import proof_files
from .factories import AllocationFactory, FundFactory, MdfClaimFactory, MdfRequestFactory
from .pages_support import client_of, html_of, ids, pages_world

D = Decimal


@pytest.fixture
def world(tenant_a):
    return pages_world(tenant_a)


def submitted_request(world, *, days_ago: int, overdue: bool, **overrides):
    now = timezone.now()
    with tenant_context(world.tenant):
        values = {"allocation": world.mdf.allocation, "activity_type": world.mdf.webinar, **overrides}
        return MdfRequestFactory(
            tenant=world.tenant,
            status="submitted",
            approved_amount=None,
            submitted_at=now - datetime.timedelta(days=days_ago),
            review_due_at=now + datetime.timedelta(hours=-1 if overdue else 24),
            **values,
        )


def submitted_claim(world, *, days_ago: int, overdue: bool):
    now = timezone.now()
    with tenant_context(world.tenant):
        mdf_request = MdfRequestFactory(
            tenant=world.tenant, allocation=world.mdf.allocation, activity_type=world.mdf.webinar
        )
        return MdfClaimFactory(
            tenant=world.tenant,
            request=mdf_request,
            status="submitted",
            submitted_at=now - datetime.timedelta(days=days_ago),
            review_due_at=now + datetime.timedelta(hours=-1 if overdue else 24),
        )


@pytest.mark.django_db
def test_the_overview_shows_spend_against_allocation(world):
    with tenant_context(world.tenant):
        older = FundFactory(tenant=world.tenant, name="Q2 fund", starts_on=datetime.date(2026, 4, 1), budget=D(500))
        AllocationFactory(tenant=world.tenant, fund=older, partner=world.mdf.partner, amount=D(200))
    html = html_of(client_of(world, world.staff).get("/mdf/"))
    row = html[html.index(f'id="fund-{world.mdf.fund.pk}"') :]
    # 10000 budget; 3000 to each of the two partners; the rival's approved request holds 1000
    for part, value in [
        ("budget", "10000.00 USD"),
        ("allocated", "6000.00"),
        ("committed", "1000.00"),
        ("paid", "0"),
        ("unused", "5000.00"),
        ("to-allocate", "4000.00"),
    ]:
        assert re.search(rf'class="{part}">{re.escape(value)}', row), part
    assert ids(html, "fund") == {world.mdf.fund.pk, older.pk}
    assert len(ids(html, "allocation")) == 3
    filtered = html_of(client_of(world, world.staff).get(f"/mdf/?fund={older.pk}"))
    assert len(ids(filtered, "allocation")) == 1 and "200.00 USD" in filtered
    assert 'id="to-review"' not in html  # nothing submitted
    assert '<a href="/mdf/" class="active" aria-current="page">MDF</a>' in html  # the nav item
    assert 'href="/mdf/roi/" id="roi-link"' in html


@pytest.mark.django_db
def test_the_review_queue_is_oldest_first_with_the_overdue_flagged(world):
    recent = submitted_request(world, days_ago=1, overdue=False)
    old = submitted_request(world, days_ago=5, overdue=True)
    claim = submitted_claim(world, days_ago=3, overdue=True)
    html = html_of(client_of(world, world.staff).get("/mdf/review/"))
    assert html.index(f'id="request-{old.pk}"') < html.index(f'id="request-{recent.pk}"')
    assert f'id="request-{old.pk}" class="overdue"' in html and f'id="request-{recent.pk}">' in html
    assert f'id="claim-{claim.pk}" class="overdue"' in html
    assert ids(html, "request") == {old.pk, recent.pk}  # drafts and approved ones are not in the queue
    assert 'id="to-review">3<' in html_of(client_of(world, world.staff).get("/mdf/"))


@pytest.mark.django_db
def test_request_decisions_show_errors_on_the_form_and_change_nothing_until_valid(world):
    mdf_request = submitted_request(world, days_ago=1, overdue=False, requested_amount=D("1000.00"))
    manager = client_of(world, world.manager)
    url = f"/mdf/requests/{mdf_request.pk}"
    html = html_of(manager.get(f"{url}/"))
    assert 'id="decide"' in html and 'id="cap-amount">1000.00 USD' in html
    response = manager.post(f"{url}/approve", {"amount": "600.00", "reason": ""})
    assert response.status_code == 400 and "Say why only part of the amount is approved." in response.content.decode()
    response = manager.post(f"{url}/approve", {"amount": "1200.00"})
    assert response.status_code == 400 and "at most the requested amount" in response.content.decode()
    assert manager.post(f"{url}/reject", {"reason": ""}).status_code == 400
    assert manager.post(f"{url}/ignore", {"reason": "x"}).status_code == 404
    with tenant_context(world.tenant):
        mdf_request.refresh_from_db()
    assert mdf_request.status == "submitted"

    assert manager.post(f"{url}/return", {"reason": "Add the agenda."}).status_code == 302
    partner_home = html_of(client_of(world, world.mdf.admin).get("/mdf/"))
    assert "Returned: see reason" in partner_home
    assert "Add the agenda." in html_of(client_of(world, world.mdf.admin).get(f"{url}/"))
    response = manager.post(f"{url}/reject", {"reason": "Too late."}, follow=True)
    assert "A request that is returned for changes cannot be rejected." in html_of(response)


@pytest.mark.django_db
def test_claim_decisions_and_more_time_to_claim(world, django_capture_on_commit_callbacks):
    claim = submitted_claim(world, days_ago=2, overdue=False)
    manager, partner = client_of(world, world.manager), client_of(world, world.mdf.admin)
    url = f"/mdf/claims/{claim.pk}"
    response = manager.post(f"{url}/approve", {"amount": "1500.00"})
    assert response.status_code == 400 and "at most the claimed amount" in response.content.decode()
    assert manager.post(f"{url}/return", {"reason": "The invoice is missing a page."}).status_code == 302
    html = html_of(partner.get(f"{url}/"))
    assert "The invoice is missing a page." in html and 'id="upload"' in html

    # the window closed: the partner cannot submit until a manager gives more time
    with tenant_context(world.tenant):
        MdfClaim.objects.filter(pk=claim.pk).update(due_on=datetime.date.today() - datetime.timedelta(days=1))
    partner.post(f"{url}/attachments", {"kind": "invoice", "file": proof_files.pdf()})
    assert "The claim window closed on" in html_of(partner.post(f"{url}/submit", follow=True))
    earlier = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
    response = manager.post(f"{url}/extend", {"due_on": earlier, "reason": "Holidays."})
    assert response.status_code == 400 and "Choose a later date than" in response.content.decode()
    later = datetime.date.today() + datetime.timedelta(days=14)
    assert manager.post(f"{url}/extend", {"due_on": later.isoformat(), "reason": "Holidays."}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert partner.post(f"{url}/submit").status_code == 302
    assert manager.post(f"{url}/reject", {"reason": "Not an MDF activity."}).status_code == 302
    with tenant_context(world.tenant):
        claim.refresh_from_db()
    assert (claim.status, claim.due_on, claim.decision_reason) == ("rejected", later, "Not an MDF activity.")
    assert "Not an MDF activity." in html_of(partner.get(f"{url}/"))


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 10])
def test_vendor_lists_have_fixed_query_counts(world, count, django_assert_num_queries):
    with tenant_context(world.tenant):
        for _ in range(count):
            partner = PartnerFactory(tenant=world.tenant, program=world.mdf.tier.program)
            allocation = AllocationFactory(tenant=world.tenant, fund=world.mdf.fund, partner=partner, amount=D(100))
            MdfRequestFactory(tenant=world.tenant, allocation=allocation, status="submitted", approved_amount=None)
    for _ in range(count):
        submitted_claim(world, days_ago=1, overdue=False)
    client = client_of(world, world.staff)
    client.get("/mdf/")  # session warm-up
    # tenant by host, enter its context, session, user, membership, funds (count, rows), their totals (allocations,
    # requests), the fund filter's choices, allocations (count, rows), their balances, requests and claims to
    # review (2 counts), time from claim to payment, leave
    with django_assert_num_queries(17):
        html = html_of(client.get("/mdf/"))
    assert len(ids(html, "allocation")) == count + 2
    # tenant by host, enter its context, session, user, membership, requests (count, rows), claims (count, rows),
    # leave
    with django_assert_num_queries(10):
        html = html_of(client.get("/mdf/review/"))
    assert len(ids(html, "request")) == count and len(ids(html, "claim")) == count


@pytest.mark.django_db
def test_the_fund_links_of_the_notices_land_on_the_overview(world):
    staff = client_of(world, world.staff)
    response = staff.get(f"/mdf/funds/{world.mdf.fund.pk}/")
    assert response.status_code == 302 and response.url == f"/mdf/?fund={world.mdf.fund.pk}#allocations"
    assert staff.get("/mdf/funds/").url == "/mdf/"
    assert client_of(world, world.mdf.admin).get(f"/mdf/funds/{world.mdf.fund.pk}/").status_code == 302
    with tenant_context(world.tenant):
        other = FundFactory(tenant=world.tenant, name="Not ours")
    assert client_of(world, world.mdf.admin).get(f"/mdf/funds/{other.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_overview_shows_the_time_from_claim_to_payment(world):
    client = client_of(world, world.staff)
    assert "No claim has been paid yet." in html_of(client.get("/mdf/"))
    with tenant_context(world.tenant):
        submitted = timezone.now() - datetime.timedelta(days=20)
        request = MdfRequestFactory(tenant=world.tenant, allocation=world.mdf.allocation)
        MdfClaimFactory(
            tenant=world.tenant,
            request=request,
            status="paid",
            approved_amount=D("100.00"),
            submitted_at=submitted,
            paid_at=submitted + datetime.timedelta(days=6),
        )
    html = html_of(client.get("/mdf/"))
    assert "From claim to payment: 6.0 days on average, median 6.0, 90th percentile 6.0 (1 paid claim)." in html
