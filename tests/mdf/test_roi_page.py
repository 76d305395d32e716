"""The MDF ROI page (`mdf:roi`): vendor staff see every partner's figures and the ROI chart, a partner's users
their company's; bad filters are explained; another tenant's session and rows stay out; fixed query count."""

import datetime
import re

import pytest
from django.urls import reverse

from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import host_of, portal_client
from tests.factories import MembershipFactory
from tests.mdf.roi_world import EXPECTED, TOTAL, campaign, campaign_lead, roi_world


@pytest.fixture
def world(tenant_a, tenant_b):
    roi_world(tenant_b, prefix="Globex-")
    return roi_world(tenant_a)


def page(tenant, membership, **params):
    return portal_client(tenant, membership.user).get(reverse("mdf:roi"), params)


def table_rows(html: str) -> dict[str, list[str]]:
    """{data-key: [cell texts]} of the ROI table (tags stripped, whitespace collapsed)."""
    rows = {}
    for key, currency, body in re.findall(r'<tr[^>]*data-key="([^"]*)" data-currency="([^"]*)">(.*?)</tr>', html, re.S):
        cells = [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td>(.*?)</td>", body, re.S)]
        rows[f"{key}/{currency}"] = cells
    return rows


def cells(row) -> list[str]:
    """An expected row as the page shows it (the campaign code after the title when grouped by activity)."""
    key, label, currency, campaigns, spend, cost, leads, deals, won, other, revenue, roi, per_lead = row
    return [
        label,
        str(campaigns),
        f"{spend} {currency}",
        f"{cost} {currency}",
        str(leads),
        str(deals),
        f"{won} ({other} in another currency)" if other else str(won),
        f"{revenue} {currency}",
        "—" if roi is None else str(roi),
        "—" if per_lead is None else f"{per_lead} {currency}",
    ]


@pytest.mark.django_db
def test_vendor_staff_see_every_partner_and_the_chart(world, tenant_a):
    response = page(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF), group_by="partner")
    assert response.status_code == 200
    html = response.content.decode()
    rows = table_rows(html)
    alpha, beta = EXPECTED["partner"]
    assert rows == {
        f"{world.alpha.pk}/USD": cells(alpha),
        f"{world.beta.pk}/USD": cells(beta),
        "total/USD": ["Total", *cells(TOTAL)[1:]],
    }
    # the chart: ROI by activity type (webinar 9.64, event 7.67), the longest bar for the best
    assert 'id="roi-chart"' in html
    chart = html[html.index('id="roi-chart"') : html.index("</svg>")]
    assert re.findall(r">(\d+\.\d\d)</text>", chart) == ["9.64", "7.67"]
    assert 'name="partner"' in html


@pytest.mark.django_db
def test_grouped_by_activity_the_campaign_code_follows_the_title(world, tenant_a):
    rows = table_rows(page(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER)).content.decode())
    assert rows == {
        **{f"{row[0]}/USD": [f"{row[1]} {row[0]}", *cells(row)[1:]] for row in EXPECTED["activity"]},
        "total/USD": ["Total", *cells(TOTAL)[1:]],
    }
    assert list(rows) == ["C1/USD", "C3/USD", "C4/USD", "C2/USD", "C5/USD", "total/USD"]
    assert rows["C4/USD"][2] == "0.00 USD"  # no reimbursed claim: still in cents


@pytest.mark.django_db
def test_a_partner_sees_its_own_figures_without_partner_filter_or_chart(world, tenant_a):
    html = page(tenant_a, world.alpha_admin, group_by="period").content.decode()
    rows = table_rows(html)
    # Alpha: C1 in 2026-Q3 (spend 1000.00, revenue 12345.00); C2 + C5 in 2026-Q4 (the Q4 figures are Alpha's)
    assert list(rows) == ["2026-Q3/USD", "2026-Q4/USD", "total/USD"]
    assert rows["2026-Q3/USD"][1:4] == ["1", "1000.00 USD", "2400.00 USD"]
    assert rows["2026-Q4/USD"] == cells(EXPECTED["period"][1])
    assert "Beta Partner" not in html and 'name="partner"' not in html and 'id="roi-chart"' not in html


@pytest.mark.django_db
def test_bad_filters_are_explained_and_show_no_figures(world, tenant_a):
    membership = MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF)
    html = page(tenant_a, membership, **{"from": "2026-10-02", "to": "2026-10-01"}).content.decode()
    assert "The end date is before the start date." in html and 'id="roi"' not in html
    html = page(tenant_a, membership, group_by="week").content.decode()
    assert "Select a valid choice." in html and 'id="roi"' not in html


@pytest.mark.django_db
def test_filters_select_campaigns(world, tenant_a):
    membership = MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF)
    rows = table_rows(page(tenant_a, membership, fund=world.q4.pk, activity_type=world.event.pk).content.decode())
    assert list(rows) == ["C2/USD", "total/USD"]
    rows = table_rows(page(tenant_a, membership, **{"from": "2026-12-01"}).content.decode())
    assert rows == {}


@pytest.mark.django_db
def test_a_partner_role_without_a_company_is_refused_and_visitors_sign_in(world, tenant_a):
    assert page(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.PARTNER_REP)).status_code == 403
    response = portal_client(tenant_a).get(reverse("mdf:roi"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.django_db
def test_another_tenants_session_is_sent_to_sign_in_and_its_rows_are_absent(world, tenant_a, tenant_b):
    admin = MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN)
    response = portal_client(tenant_a, admin.user).get(reverse("mdf:roi"), HTTP_HOST=host_of(tenant_b))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    html = page(tenant_a, admin, group_by="partner").content.decode()
    assert "Globex-" not in html
    assert table_rows(html)["total/USD"] == ["Total", *cells(TOTAL)[1:]]


# tenant, RLS set and reset, session, user, membership, the report and the chart's report (2 each), the
# choices of the fund, partner and activity type filters (the notifications badge is cached by a first visit)
PAGE_QUERIES = 13


@pytest.mark.django_db
def test_fixed_query_count(world, tenant_a, django_assert_num_queries):
    membership = MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF)
    client = portal_client(tenant_a, membership.user)

    def count():
        with django_assert_num_queries(PAGE_QUERIES):
            assert client.get(reverse("mdf:roi"), {"group_by": "partner"}).status_code == 200

    client.get(reverse("mdf:roi"))
    count()
    with tenant_context(tenant_a):
        for n in range(5):
            extra = campaign(f"N{n}", world.campaigns["C2"].allocation, world.event, datetime.date(2026, 11, 1))
            campaign_lead(extra, ("won", "10.00"))
    count()
