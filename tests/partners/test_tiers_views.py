"""Portal tier pages (partner side and vendor side) and the tier admin with its threshold simulation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partners.metrics import metric_label
from partners.models import Partner, TierChange
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import (
    MembershipFactory,
    PartnerFactory,
    ProgramFactory,
    TierCriterionFactory,
    TierFactory,
    partner_member,
)


@pytest.fixture
def setup(tenant_a):
    program = ProgramFactory(tenant=tenant_a, name="Resell")
    registered = TierFactory(program=program, rank=0, name="Registered")
    silver = TierFactory(program=program, rank=1, name="Silver", perks=["Partner badge"])
    TierCriterionFactory(tier=silver, metric="active_reps", threshold=2)
    gold = TierFactory(program=program, rank=2, name="Gold")
    TierCriterionFactory(tier=gold, metric="active_reps", threshold=4)
    joined = timezone.now() - timedelta(days=50)
    mine = PartnerFactory(program=program, tier=registered, name="Mine BV", joined_at=joined)
    other = PartnerFactory(program=program, tier=silver, name="Other BV", joined_at=joined)
    partner_member(mine, role=Role.PARTNER_REP)
    with tenant_context(tenant_a):
        TierChange.objects.create(partner=mine, to_tier=registered, kind="promotion", reason="Placed on Registered")
        TierChange.objects.create(
            partner=other, from_tier=registered, to_tier=silver, kind="promotion", reason="Secret"
        )
    people = {
        role: MembershipFactory(tenant=tenant_a, role=role)
        for role in (Role.TENANT_ADMIN, Role.CHANNEL_MANAGER, Role.VENDOR_STAFF)
    }
    people["mine_user"] = partner_member(mine, role=Role.PARTNER_ADMIN)
    return {
        "program": program,
        "registered": registered,
        "silver": silver,
        "gold": gold,
        "mine": mine,
        "other": other,
        **people,
    }


def client_for(tenant, membership):
    return portal_client(tenant, membership.user)


def test_partners_see_their_tier_progress_benefits_and_history(tenant_a, setup):
    page = client_for(tenant_a, setup["mine_user"]).get("/tier/").content.decode()
    assert "Registered in the Resell program" in page and "Next tier: Silver" in page
    assert "Active sales reps" in page and "Partner badge" in page
    assert "Placed on Registered" in page and "Secret" not in page and "Other BV" not in page
    assert 'id="tier-pin-form"' not in page


def test_the_tier_page_query_count_is_fixed(tenant_a, setup, django_assert_max_num_queries):
    client = client_for(tenant_a, setup["mine_user"])
    client.get("/tier/")
    with django_assert_max_num_queries(16):
        client.get("/tier/")
    with tenant_context(tenant_a):
        for _ in range(8):
            TierChange.objects.create(partner=setup["mine"], to_tier=setup["silver"], kind="manual", reason="m")
    for rank in range(3, 8):
        TierCriterionFactory(tier=TierFactory(program=setup["program"], rank=rank), metric="active_users")
    with django_assert_max_num_queries(16):
        client.get("/tier/")


def test_tier_pages_are_for_their_audience(tenant_a, setup):
    assert client_for(tenant_a, setup[Role.VENDOR_STAFF]).get("/tier/").status_code == 403
    mine = client_for(tenant_a, setup["mine_user"])
    assert mine.get(f"/partners/{setup['other'].pk}/tier/").status_code == 403
    assert mine.get("/tier-changes/").status_code == 403
    assert mine.post(f"/partners/{setup['mine'].pk}/tier/pin", {}).status_code == 403
    staff = client_for(tenant_a, setup[Role.VENDOR_STAFF])
    page = staff.get(f"/partners/{setup['other'].pk}/tier/").content.decode()
    assert "Tier of Other BV" in page and 'id="tier-pin-form"' not in page
    assert staff.post(f"/partners/{setup['other'].pk}/tier/pin", {}).status_code == 403


def test_managers_pin_from_the_portal_and_see_clear_errors(tenant_a, setup):
    client = client_for(tenant_a, setup[Role.CHANNEL_MANAGER])
    path = f"/partners/{setup['mine'].pk}/tier/pin"
    bad = client.post(path, {"tier": setup["gold"].pk, "until": "2001-01-01", "reason": "Launch"})
    assert bad.status_code == 400 and "Choose today or a later date." in bad.content.decode()
    response = client.post(path, {"tier": setup["gold"].pk, "until": "2099-01-01", "reason": "Launch"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert 'id="tier-pin"' in page and "Launch" in page
    assert client.post(f"/partners/{setup['mine'].pk}/tier/unpin").status_code == 302
    with tenant_context(tenant_a):
        partner = Partner.objects.get(pk=setup["mine"].pk)
    assert partner.tier_id == setup["gold"].pk and partner.tier_pinned_until is None


def test_managers_approve_a_pending_promotion_from_the_changes_list(tenant_a, setup):
    with tenant_context(tenant_a):
        pending = TierChange.objects.create(
            partner=setup["mine"],
            from_tier=setup["registered"],
            to_tier=setup["silver"],
            kind="promotion",
            status="pending",
            reason="Qualifies",
        )
    client = client_for(tenant_a, setup[Role.CHANNEL_MANAGER])
    listing = client.get("/tier-changes/?status=pending").content.decode()
    assert "Mine BV" in listing and "Other BV" not in listing
    response = client.post(f"/tier-changes/{pending.pk}/approve", {"next": "list"})
    assert response.status_code == 302 and response.url == "/tier-changes/"
    again = client.post(f"/tier-changes/{pending.pk}/reject", follow=True)
    assert "Only a tier change awaiting approval" in again.content.decode()
    with tenant_context(tenant_a):
        assert Partner.objects.get(pk=setup["mine"].pk).tier_id == setup["silver"].pk


def test_the_changes_list_query_count_is_fixed(tenant_a, setup, django_assert_max_num_queries):
    client = client_for(tenant_a, setup[Role.VENDOR_STAFF])
    client.get("/tier-changes/")
    with django_assert_max_num_queries(9):
        client.get("/tier-changes/")
    with tenant_context(tenant_a):
        for _ in range(10):
            TierChange.objects.create(partner=setup["other"], to_tier=setup["gold"], kind="manual", reason="m")
    with django_assert_max_num_queries(9):
        client.get("/tier-changes/")


# --- admin ------------------------------------------------------------------------------------------


def test_the_tier_admin_edits_criteria_with_registered_metrics_only(tenant_a, setup):
    client = client_for(tenant_a, setup[Role.TENANT_ADMIN])
    assert "Simulate Resell" in client.get("/admin/partners/tier/").content.decode()
    path = f"/admin/partners/tier/{setup['gold'].pk}/change/"
    form = client.get(path).content.decode()
    assert 'name="criteria-TOTAL_FORMS"' in form and "days_since_joining" in form
    with tenant_context(tenant_a):
        criterion = setup["gold"].criteria.get()
    data = {
        "program": setup["program"].pk,
        "name": "Gold",
        "rank": 2,
        "description": "",
        "product_discount_pct": "5",
        "deal_registration_discount_pct": "0",
        "rebate_multiplier": "1",
        "mdf_allocation_per_quarter": "0",
        "mdf_reimbursement_cap_pct": "0",
        "perks": "Beta access\nEvent tickets",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "1",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        "criteria-0-id": criterion.pk,
        "criteria-0-tier": setup["gold"].pk,
        "criteria-0-metric": "active_reps",
        "criteria-0-threshold": "4",
        "criteria-1-tier": setup["gold"].pk,
        "criteria-1-metric": "no_metric",
        "criteria-1-threshold": "1",
    }
    refused = client.post(path, data)
    assert refused.status_code == 200 and "no_metric is not one of the available choices" in refused.content.decode()
    data["criteria-1-metric"] = "days_since_joining"
    assert client.post(path, data).status_code == 302
    with tenant_context(tenant_a):
        gold = type(setup["gold"]).objects.get(pk=setup["gold"].pk)
        assert gold.perks == ["Beta access", "Event tickets"]
        assert sorted(gold.criteria.values_list("metric", flat=True)) == ["active_reps", "days_since_joining"]
    assert client_for(tenant_a, setup[Role.CHANNEL_MANAGER]).post(path, data).status_code == 403


def test_the_simulation_previews_moves_without_saving_then_saves(tenant_a, setup):
    partner_member(setup["other"], role=Role.PARTNER_REP)  # other: Silver with 1 rep (needs 2)
    with tenant_context(tenant_a):
        silver_rule = setup["silver"].criteria.get()
        gold_rule = setup["gold"].criteria.get()
    client = client_for(tenant_a, setup[Role.TENANT_ADMIN])
    path = f"/admin/partners/tier/simulate/{setup['program'].pk}/"
    form_page = client.get(path)
    assert form_page.status_code == 200
    assert f"<td>Silver</td><td>{metric_label(silver_rule.metric)}</td>" in form_page.content.decode()
    proposal = {f"criterion-{silver_rule.pk}": "1", f"criterion-{gold_rule.pk}": "4", "_preview": "1"}
    page = client.post(path, proposal).content.decode()
    assert "Of 2 partners evaluated, 1 would move up and 0 would fall below" in page
    assert "(with the current thresholds: 0 up, 1 down)" in page
    assert "Mine BV" in page
    with tenant_context(tenant_a):
        silver_rule.refresh_from_db()
        assert silver_rule.threshold == 2
    manager = client_for(tenant_a, setup[Role.CHANNEL_MANAGER])
    assert manager.post(path, proposal).status_code == 200
    assert manager.post(path, {**proposal, "_save": "1"}).status_code == 403
    bad = client.post(path, {**proposal, f"criterion-{silver_rule.pk}": "-1", "_save": "1"})
    assert bad.status_code == 200
    saved = client.post(path, {**proposal, "_save": "1"})
    assert saved.status_code == 302
    with tenant_context(tenant_a):
        silver_rule.refresh_from_db()
        assert silver_rule.threshold == 1


def test_the_simulation_of_another_tenants_program_is_404(tenant_a, tenant_b, setup):
    foreign = ProgramFactory(tenant=tenant_b)
    client = client_for(tenant_a, setup[Role.TENANT_ADMIN])
    assert client.get(f"/admin/partners/tier/simulate/{foreign.pk}/").status_code == 404


def test_tier_changes_are_read_only_in_admin_with_approve_and_reject_actions(tenant_a, setup):
    with tenant_context(tenant_a):
        pending = TierChange.objects.create(
            partner=setup["mine"],
            from_tier=setup["registered"],
            to_tier=setup["silver"],
            kind="promotion",
            status="pending",
            reason="Qualifies",
        )
    client = client_for(tenant_a, setup[Role.CHANNEL_MANAGER])
    change_page = client.get(f"/admin/partners/tierchange/{pending.pk}/change/").content.decode()
    assert 'name="_save"' not in change_page
    response = client.post(
        "/admin/partners/tierchange/", {"action": "approve", "_selected_action": [pending.pk]}, follow=True
    )
    assert "1 promotion approved." in response.content.decode()
    again = client.post(
        "/admin/partners/tierchange/", {"action": "reject", "_selected_action": [pending.pk]}, follow=True
    )
    assert "Only a tier change awaiting approval" in again.content.decode()
    with tenant_context(tenant_a):
        pending.refresh_from_db()
        assert pending.status == "applied"


def test_partner_users_have_no_tier_admin(tenant_a, setup):
    assert client_for(tenant_a, setup["mine_user"]).get("/admin/partners/tier/").status_code in (302, 403)
