"""The portal's program pages: partners (what they can earn from, opt-in), vendor staff (latest runs, run now)."""

from datetime import date
from decimal import Decimal

import pytest

from incentives.models import Enrollment, ProgramPeriod, Run
from incentives.periods import period_containing
from incentives.services import run_execute, run_request
from partners.services.tiers import tenant_today
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import MembershipFactory, PartnerFactory, ProductFactory, TierFactory, partner_member

from .factories import incentive_program

PAGE = "/incentives/programs/"
REBATE = {
    "bands": [{"from": "0", "rate": "0"}, {"from": "100000", "rate": "2"}, {"from": "250000", "rate": "4"}],
    "mode": "incremental",
    "cap": "20000",
}


@pytest.fixture
def partner(tenant_a):
    tier = TierFactory(program__tenant=tenant_a, rebate_multiplier=Decimal("1.25"))
    return PartnerFactory(program=tier.program, tier=tier, regions=["europe"])


def test_partner_page_explains_how_each_program_pays(tenant_a, partner):
    product = ProductFactory(tenant=tenant_a, sku="CAM-9", name="Camera Nine")
    incentive_program(tenant_a, name="Volume rebate", params=REBATE, summary="Sell more, earn more")
    incentive_program(
        tenant_a,
        name="Camera SPIF",
        kind="spif",
        award_to="rep",
        params={"basis": "per_deal", "amount": "100", "products": [product.pk]},
    )
    incentive_program(tenant_a, name="Share", kind="revenue_share", params={"rate": "10", "months": 12})
    incentive_program(tenant_a, name="Bonus", kind="registration_bonus", params={"basis": "flat", "amount": "250"})
    incentive_program(tenant_a, name="Hidden draft", status="draft")
    incentive_program(tenant_a, name="Americas only", eligible_regions=["north_america"])
    rep = partner_member(partner, role=Role.PARTNER_REP)

    page = portal_client(tenant_a, rep.user).get(PAGE)

    assert page.status_code == 200
    content = page.content.decode()
    for text in (
        "Volume rebate",
        "Sell more, earn more",
        "from 100,000.00 to under 250,000.00 USD",
        "250,000.00 USD and more",
        "4 %",
        "Incremental: each band",
        "Yours: × 1.25.",
        "At most 20,000.00 USD per partner and period.",
        "Camera Nine",
        "100.00 USD for every deal that includes one of the products below.",
        "10 % of the recurring revenue of the customers the partner brought, for the first 12 months",
        "250.00 USD for every approved deal registration won inside its protection window",
    ):
        assert text in content, text
    assert "Hidden draft" not in content and "Americas only" not in content
    assert 'href="/incentives/programs/"' in content  # the nav item


def test_opt_in_button_for_partner_admins_only(tenant_a, partner):
    program = incentive_program(tenant_a, name="Summit club", requires_opt_in=True, terms="Attend the summit.")
    admin, rep = partner_member(partner), partner_member(partner, role=Role.PARTNER_REP)
    opt_in = f"/incentives/programs/{program.pk}/opt-in"

    rep_page = portal_client(tenant_a, rep.user).get(PAGE).content.decode()
    assert "Attend the summit." in rep_page and opt_in not in rep_page
    assert portal_client(tenant_a, rep.user).post(opt_in).status_code == 403
    admin_client = portal_client(tenant_a, admin.user)
    assert opt_in in admin_client.get(PAGE).content.decode()

    response = admin_client.post(opt_in, follow=True)

    assert "You joined Summit club." in response.content.decode()
    assert opt_in not in response.content.decode() and "Joined" in response.content.decode()
    with tenant_context(tenant_a):
        assert Enrollment.objects.get().terms_accepted == "Attend the summit."


def test_opt_in_refusals_on_the_page(tenant_a, partner):
    automatic = incentive_program(tenant_a, name="Automatic")
    elsewhere = incentive_program(tenant_a, requires_opt_in=True, eligible_regions=["asia_pacific"])
    client = portal_client(tenant_a, partner_member(partner).user)
    response = client.post(f"/incentives/programs/{automatic.pk}/opt-in", follow=True)
    assert "needs no opt-in" in response.content.decode()
    assert client.post(f"/incentives/programs/{elsewhere.pk}/opt-in").status_code == 404
    manager = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER)
    assert portal_client(tenant_a, manager.user).post(f"/incentives/programs/{automatic.pk}/opt-in").status_code == 403
    with tenant_context(tenant_a):
        assert not Enrollment.objects.exists()


def test_vendor_page_lists_every_program_with_its_latest_runs(tenant_a):
    program = incentive_program(tenant_a, name="Volume rebate")
    incentive_program(tenant_a, name="Draft one", status="draft")
    with tenant_context(tenant_a):
        done = run_execute(run_id=run_request(program=program, period_key="2026-Q1", kind="manual").pk)
        for quarter in (2, 3, 4):
            run_request(program=program, period_key=f"2026-Q{quarter}", kind="manual")
    staff = MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF)
    manager = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER)

    staff_page = portal_client(tenant_a, staff.user).get(PAGE).content.decode()
    manager_page = portal_client(tenant_a, manager.user).get(PAGE).content.decode()

    assert "Volume rebate" in staff_page and "Draft one" in staff_page
    assert f'id="run-{done.pk}"' not in staff_page  # only the latest three runs
    assert staff_page.count('<progress max="100"') == 3
    assert f"/incentives/programs/{program.pk}/run" not in staff_page
    assert f"/incentives/programs/{program.pk}/run" in manager_page
    with tenant_context(tenant_a):
        current = period_containing(tenant_today(), "quarter").key
    assert f'value="{current}"' in manager_page  # the current period, prefilled


def test_run_now_from_the_vendor_page(tenant_a):
    program = incentive_program(tenant_a, name="Volume rebate")
    with tenant_context(tenant_a):
        ProgramPeriod.objects.create(
            program=program, key="2026-Q1", starts_on=date(2026, 1, 1), ends_on=date(2026, 3, 31), status="closed"
        )
    manager = MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER)
    client = portal_client(tenant_a, manager.user)
    url = f"/incentives/programs/{program.pk}/run"

    queued = client.post(url, {"period": "2026-Q2"}, follow=True)
    closed = client.post(url, {"period": "2026-Q1"})
    bad = client.post(url, {"period": "soon"})
    empty = client.post(url, {})

    assert "A run of Volume rebate for 2026-Q2 is queued." in queued.content.decode()
    assert closed.status_code == 409 and "2026-Q1 is closed." in closed.content.decode()
    assert bad.status_code == 400 and "is not a period" in bad.content.decode()
    assert empty.status_code == 400
    staff = MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF)
    assert portal_client(tenant_a, staff.user).post(url, {"period": "2026-Q3"}).status_code == 403
    with tenant_context(tenant_a):
        assert list(Run.objects.values_list("period", "kind")) == [("2026-Q2", "manual")]


def test_members_without_a_partner_or_role_get_403(tenant_a):
    # A partner-role member not attached to a company sees no programs page.
    loose = MembershipFactory(tenant=tenant_a, role=Role.PARTNER_ADMIN)
    assert portal_client(tenant_a, loose.user).get(PAGE).status_code == 403


def _fill(tenant, n):
    product = ProductFactory(tenant=tenant)
    for i in range(n):
        program = incentive_program(tenant, name=f"Rebate {n}-{i}")
        incentive_program(
            tenant,
            name=f"SPIF {n}-{i}",
            kind="spif",
            award_to="rep",
            params={"basis": "percent", "rate": "5", "products": [product.pk]},
            requires_opt_in=True,
        )
        with tenant_context(tenant):
            run_request(program=program, period_key="2026-Q1", kind="manual")


@pytest.mark.parametrize(("who", "queries"), [("manager", 10), ("partner", 12)])
def test_page_query_counts_do_not_grow(tenant_a, partner, who, queries, django_assert_num_queries):
    member = (
        MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER) if who == "manager" else partner_member(partner)
    )
    client = portal_client(tenant_a, member.user)
    _fill(tenant_a, 1)
    client.get(PAGE)  # warm caches
    with django_assert_num_queries(queries):
        assert client.get(PAGE).status_code == 200
    _fill(tenant_a, 4)
    with django_assert_num_queries(queries):
        assert client.get(PAGE).status_code == 200
