"""The leaderboard API and pages: vendor staff in full, partners as published (403 otherwise), bad input in the
error envelope, fixed query counts; the after-run hook and the beat task refresh the snapshots."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from incentives.models import IncentiveSettings, LeaderboardSnapshot
from incentives.services import incentive_program_create, leaderboard_refresh, run_execute, run_request
from incentives.services.leaderboards import current_period_keys
from incentives.tasks import leaderboards_refresh_all_task
from partners.services.tiers import tenant_today
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import (
    MembershipFactory,
    PartnerFactory,
    ProgramFactory,
    SaleRecordFactory,
    issue_token,
    partner_member,
)

Q3 = "2026-Q3"


def publish(tenant, *, names=False):
    with tenant_context(tenant):
        IncentiveSettings.objects.update_or_create(
            defaults={"leaderboard_published": True, "leaderboard_show_names": names}
        )


@pytest.fixture
def board(tenant_a):
    """Twelve partners with Q3 revenue 1200 … 100; a partner admin at the last one."""
    with tenant_context(tenant_a):
        program = ProgramFactory(tenant=tenant_a)
        partners = []
        for i in range(12, 0, -1):
            partner = PartnerFactory(program=program, name=f"Company {i:02d}")
            SaleRecordFactory(partner=partner, amount=Decimal(i * 100), booked_on=date(2026, 7, 1))
            partners.append(partner)
        leaderboard_refresh(period_key=Q3)
        viewer = partner_member(partners[-1])
    return {"partners": partners, "viewer": viewer}


def api(tenant, membership):
    token = issue_token(membership)
    client = portal_client(tenant)
    return lambda query: client.get(f"/api/v1/leaderboards/?{query}", HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.django_db
def test_vendor_staff_read_the_full_board(tenant_a, board):
    get = api(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF))
    response = get(f"metric=revenue&period={Q3}&by=partner&limit=12")
    assert response.status_code == 200
    body = response.json()
    assert (body["metric"], body["unit"], body["currency"], body["period"], body["by"]) == (
        "revenue",
        "money",
        "USD",
        Q3,
        "partner",
    )
    assert body["count"] == 12 and body["own"] is None and body["refreshed_at"]
    first = body["results"][0]
    assert (first["rank"], first["name"], first["value"], first["anonymised"]) == (1, "Company 12", "1200.00", False)
    assert first["partner"] == board["partners"][0].pk
    assert len(get(f"metric=revenue&period={Q3}").json()["results"]) == 10  # default limit


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("metric=karma&period=2026-Q3", "metric"),
        ("metric=revenue&period=2026-Q9", "period"),
        ("metric=revenue", "period"),
        ("metric=revenue&period=2026&by=team", "by"),
        ("metric=revenue&period=2026&limit=0", "limit"),
        ("metric=revenue&period=2026&tier=gold", "tier"),
        ("metric=revenue&period=2026&region=mars", "region"),
    ],
)
def test_bad_queries_answer_400_in_the_envelope(tenant_a, query, field):
    response = api(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER))(query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and field in error["fields"]


@pytest.mark.django_db
def test_partners_get_403_until_the_vendor_publishes(tenant_a, board):
    get = api(tenant_a, board["viewer"])
    response = get(f"metric=revenue&period={Q3}")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"

    publish(tenant_a)
    body = get(f"metric=revenue&period={Q3}&limit=50").json()

    assert body["count"] == 10  # partners get the top 10 whatever they ask
    assert [row["name"] for row in body["results"][:2]] == ["Partner #1", "Partner #2"]
    assert all(row["partner"] is None and row["anonymised"] for row in body["results"])
    own = body["own"]
    assert (own["rank"], own["name"], own["partner"], own["value"], own["own"]) == (
        12,
        "Company 01",
        board["partners"][-1].pk,
        "100.00",
        True,
    )


@pytest.mark.django_db
def test_published_names_are_shown_when_the_vendor_says_so(tenant_a, board):
    publish(tenant_a, names=True)
    body = api(tenant_a, board["viewer"])(f"metric=revenue&period={Q3}").json()
    assert [row["name"] for row in body["results"][:2]] == ["Company 12", "Company 11"]


@pytest.mark.django_db
def test_the_api_query_count_does_not_grow_with_the_board(tenant_a, board, django_assert_num_queries):
    publish(tenant_a)
    vendor = api(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF))
    partner = api(tenant_a, board["viewer"])
    vendor("metric=revenue&period=2026"), partner("metric=revenue&period=2026")  # tokens' last use recorded
    for limit in (3, 12):
        # host → tenant, tenant setting, token, membership, the board, setting reset
        with django_assert_num_queries(VENDOR_QUERIES):
            assert vendor(f"metric=revenue&period={Q3}&limit={limit}").status_code == 200
    # + the partner of the user, the settings, the own standing
    with django_assert_num_queries(PARTNER_QUERIES):
        assert partner(f"metric=revenue&period={Q3}").status_code == 200


VENDOR_QUERIES = 6
PARTNER_QUERIES = 9


@pytest.mark.django_db
def test_the_vendor_page_shows_chart_and_table_and_admins_publish(tenant_a, board, django_assert_num_queries):
    admin = MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN)
    client = portal_client(tenant_a, admin.user)
    page = client.get(f"/leaderboards/?metric=revenue&period={Q3}&limit=5")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<rect class="bar') == 5 and "Company 12" in html and 'id="publish"' in html

    response = client.post("/leaderboards/publish", {"published": "on"})

    assert response.status_code == 302
    with tenant_context(tenant_a):
        settings = IncentiveSettings.objects.get()
    assert (settings.leaderboard_published, settings.leaderboard_show_names) == (True, False)
    bad = client.get("/leaderboards/?metric=revenue&period=someday")
    assert bad.status_code == 200 and "is not a period" in bad.content.decode()


@pytest.mark.django_db
def test_channel_managers_browse_but_do_not_publish(tenant_a, board):
    manager = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER)
    client = portal_client(tenant_a, manager.user)
    assert 'id="publish"' not in client.get("/leaderboards/").content.decode()
    assert client.post("/leaderboards/publish", {"published": "on"}).status_code == 403
    assert client.get("/leaderboard/").status_code == 403  # the partner page is for partners


@pytest.mark.django_db
def test_the_partner_page_shows_the_published_top_and_own_standing(tenant_a, board):
    client = portal_client(tenant_a, board["viewer"].user)
    assert 'id="not-published"' in client.get(f"/leaderboard/?metric=revenue&period={Q3}").content.decode()
    assert client.get("/leaderboards/").status_code == 403

    publish(tenant_a)
    html = client.get(f"/leaderboard/?metric=revenue&period={Q3}").content.decode()

    assert "Partner #1" in html and "Company 12" not in html
    assert 'id="own-standing"' in html and "#12" in html


def _program(tenant):
    with tenant_context(tenant):
        return incentive_program_create(
            actor=None,
            params={"bands": [{"from": "0", "rate": "1"}, {"from": "1000", "rate": "2"}], "mode": "retroactive"},
            name="Rebate",
            kind="rebate",
            currency="USD",
            period_scheme="quarter",
            starts_on=date(2026, 1, 1),
            status="active",
        )


@pytest.mark.django_db
def test_every_run_refreshes_its_period_and_the_current_ones(
    tenant_a, celery_eager, django_capture_on_commit_callbacks
):
    program = _program(tenant_a)
    with tenant_context(tenant_a):
        partner = PartnerFactory(program__tenant=tenant_a)
        SaleRecordFactory(partner=partner, amount=Decimal("300.00"), booked_on=date(2026, 2, 1))
        SaleRecordFactory(partner=partner, amount=Decimal("50.00"), booked_on=tenant_today())
        run = run_request(program=program, period_key="2026-Q1", kind="manual")
        with django_capture_on_commit_callbacks(execute=True):
            run_execute(run_id=run.pk)
        periods = set(LeaderboardSnapshot.objects.values_list("period", flat=True))
        q1 = LeaderboardSnapshot.objects.get(period="2026-Q1", metric="revenue", scope="partner")
        assert periods == {"2026-Q1", *current_period_keys(tenant_today())}
    assert (q1.partner_id, q1.value, q1.rank) == (partner.pk, Decimal("300.00"), 1)


@pytest.mark.django_db
def test_the_beat_task_refreshes_every_tenants_current_periods(tenant_a, tenant_b, celery_eager):
    for tenant in (tenant_a, tenant_b):
        with tenant_context(tenant):
            SaleRecordFactory(partner=PartnerFactory(program__tenant=tenant), booked_on=timezone.localdate())

    assert leaderboards_refresh_all_task.delay(previous=True).get() == 2

    for tenant in (tenant_a, tenant_b):
        with tenant_context(tenant):
            periods = set(LeaderboardSnapshot.objects.values_list("period", flat=True))
            assert periods == set(current_period_keys(tenant_today()))


@pytest.mark.django_db
def test_the_pages_query_counts_do_not_grow_with_the_board(tenant_a, board, django_assert_num_queries):
    publish(tenant_a)
    vendor = portal_client(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN).user)
    partner = portal_client(tenant_a, board["viewer"].user)
    vendor.get("/leaderboards/"), partner.get("/leaderboard/")  # sessions settled
    for limit in (3, 12):
        with django_assert_num_queries(VENDOR_PAGE_QUERIES):
            assert vendor.get(f"/leaderboards/?metric=revenue&period={Q3}&limit={limit}").status_code == 200
    for period in (Q3, "2026-Q4"):
        with django_assert_num_queries(PARTNER_PAGE_QUERIES):
            assert partner.get(f"/leaderboard/?metric=revenue&period={period}").status_code == 200


VENDOR_PAGE_QUERIES = 10
PARTNER_PAGE_QUERIES = 11
