"""Deal pages: the role-scoped list, the register form with the rules of engagement, a deal's page
(discount stack, conflicts per role, history) and its actions."""

import datetime
import re

import pytest
from django.utils import timezone

from deals.models import Deal, SaleRecord
from deals.services import deal_approve, deal_submit
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client

from ..factories import DealFactory, HouseAccountFactory
from .core_support import core_world, register, registration


@pytest.fixture
def world(tenant_a):
    return core_world(tenant_a)


def listed(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'id="deal-(\d+)"', response.content.decode())}


def test_the_list_shows_reps_their_own_admins_their_company_and_vendor_staff_everything(world, tenant_a):
    mine = DealFactory(partner=world.partner, registered_by=world.rep.user)
    colleague = DealFactory(partner=world.partner, registered_by=world.admin.user)
    rival = DealFactory(partner=world.other, registered_by=world.other_rep.user)
    assert listed(portal_client(tenant_a, world.rep.user).get("/deals/")) == {mine.pk}
    assert listed(portal_client(tenant_a, world.admin.user).get("/deals/")) == {mine.pk, colleague.pk}
    assert listed(portal_client(tenant_a, world.other_rep.user).get("/deals/")) == {rival.pk}
    page = portal_client(tenant_a, world.staff.user).get("/deals/")
    assert listed(page) == {mine.pk, colleague.pk, rival.pk}
    assert "Rival Systems" in page.content.decode()


def test_the_list_filters_and_highlights_overdue_reviews_for_managers(world, tenant_a):
    overdue = DealFactory(partner=world.partner, review_due_at=timezone.now() - datetime.timedelta(hours=1))
    on_time = DealFactory(partner=world.partner, review_due_at=timezone.now() + datetime.timedelta(days=1))
    approved = DealFactory(partner=world.partner, status="approved")
    flagged = DealFactory(partner=world.other, customer_name="Globodyne")
    with tenant_context(tenant_a):
        deal_submit(deal=register(world, customer_domain=""), actor=world.rep.user)  # flags itself
    manager = portal_client(tenant_a, world.manager.user)
    page = manager.get("/deals/").content.decode()
    assert re.search(rf'id="deal-{overdue.pk}" class="row-notice overdue"', page)
    assert f'id="deal-{on_time.pk}" class' not in page
    assert listed(manager.get("/deals/?status=approved")) == {approved.pk}
    assert flagged.pk not in listed(manager.get("/deals/?conflicts=true"))
    assert len(listed(manager.get("/deals/?conflicts=true"))) == 1
    assert listed(manager.get("/deals/?overdue=true")) == {overdue.pk}
    assert "Overdue" not in portal_client(tenant_a, world.admin.user).get("/deals/").content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_has_a_fixed_query_count(world, tenant_a, count, django_assert_num_queries):
    for _ in range(count):
        DealFactory(partner=world.partner, registered_by=world.rep.user)
    client = portal_client(tenant_a, world.admin.user)
    client.get("/deals/")  # session warm-up
    # tenant by host, enter its context, session, user, membership, partner of the user, pending agreement
    # (partners middleware), count, the page's rows (partner, rep and conflict flag joined in), leave
    with django_assert_num_queries(10):
        response = client.get("/deals/")
    assert len(listed(response)) == min(count, 25)


def test_the_register_page_explains_the_rules_in_plain_language(world, tenant_a):
    page = portal_client(tenant_a, world.rep.user).get("/deals/register/").content.decode()
    assert "Once approved, the customer is yours for 90 days." in page
    assert "A channel manager decides within 2 business days of submission." in page
    assert "extra 7.5 % off" in page  # 5 % program + 2.5 % Gold tier
    assert "a channel manager reviews the registrations and decides" in page
    assert world.product.name in page


def form(world, **overrides) -> dict:
    data = {
        **{key: str(value) for key, value in registration().items()},
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-product": str(world.product.pk),
        "lines-0-quantity": "3",
        "lines-1-product": "",
        "lines-1-quantity": "",
    }
    data.update(overrides)
    return data


def test_registering_saves_a_draft_or_submits_it(world, tenant_a):
    client = portal_client(tenant_a, world.rep.user)
    response = client.post("/deals/register/", form(world, save=""))
    with tenant_context(tenant_a):
        draft = Deal.objects.get()
        assert response.url == f"/deals/{draft.pk}/"
        assert (draft.status, draft.registered_by, draft.partner) == ("draft", world.rep.user, world.partner)
        assert list(draft.lines.values_list("quantity", flat=True)) == [3]
    client.post("/deals/register/", form(world, submit="", customer_name="Initech"))
    with tenant_context(tenant_a):
        assert Deal.objects.get(customer_name="Initech").status == "submitted"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"estimated_value": "0"}, "Must be greater than zero."),
        ({"currency": "EURO"}, ""),
        ({"customer_name": ""}, "This field is required."),
        ({"lines-0-quantity": ""}, "Enter a quantity of at least 1."),
    ],
)
def test_bad_registrations_are_shown_again_and_store_nothing(world, tenant_a, overrides, message):
    response = portal_client(tenant_a, world.rep.user).post("/deals/register/", form(world, submit="", **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    with tenant_context(tenant_a):
        assert not Deal.objects.exists()


def test_vendor_staff_do_not_register(world, tenant_a):
    assert portal_client(tenant_a, world.manager.user).get("/deals/register/").status_code == 403


def conflicted(world, tenant_a):
    rival = DealFactory(partner=world.other, customer_name="Globodyne Holdings", customer_domain="globodyne.example")
    house = HouseAccountFactory(tenant=tenant_a, company_name="Globodyne", domain="", owner_name="Dana Direct")
    with tenant_context(tenant_a):
        deal = register(world, lines=[{"product": world.product, "quantity": 3}])
        deal = deal_submit(deal=deal, actor=world.rep.user)
    return deal, rival, house


def test_managers_see_conflict_evidence(world, tenant_a):
    deal, rival, house = conflicted(world, tenant_a)
    page = portal_client(tenant_a, world.staff.user).get(f"/deals/{deal.pk}/").content.decode()
    assert "Registration of Rival Systems" in page and f'href="/deals/{rival.pk}/"' in page
    assert "Globodyne Holdings" in page and "Same customer domain" in page
    assert "House account" in page and "owned by Dana Direct" in page and "Similar company name" in page
    assert "other registrations: 1, house accounts: 1" in page  # the submission's evidence in the history


def test_partners_learn_only_that_a_conflict_exists_and_the_rule(world, tenant_a):
    deal, rival, house = conflicted(world, tenant_a)
    for member in (world.rep, world.admin):
        page = portal_client(tenant_a, member.user).get(f"/deals/{deal.pk}/").content.decode()
        assert "A potential conflict exists" in page
        assert "a channel manager reviews the registrations and decides" in page
        for secret in ("Rival Systems", "Globodyne Holdings", f"/deals/{rival.pk}/", "Dana Direct", "House account"):
            assert secret not in page
        assert f'"deals": [{rival.pk}]' not in page and "house_accounts" not in page  # history evidence


def test_the_deal_page_shows_the_discount_stack_per_line(world, tenant_a):
    deal, _rival, _house = conflicted(world, tenant_a)
    page = portal_client(tenant_a, world.rep.user).get(f"/deals/{deal.pk}/").content.decode()
    # 3 × 1000.00 → −300.00 (Gold 10 %) → −202.50 (registration 7.5 %) → 2497.50
    for figure in ("3000.00", "−300.00", "−202.50", "2497.50"):
        assert figure in page
    assert 'id="deal-protection"' in page and 'id="deal-history"' in page


def test_other_partners_and_other_reps_get_404(world, tenant_a):
    deal = DealFactory(partner=world.partner, registered_by=world.admin.user)
    assert portal_client(tenant_a, world.other_rep.user).get(f"/deals/{deal.pk}/").status_code == 404
    assert portal_client(tenant_a, world.rep.user).get(f"/deals/{deal.pk}/").status_code == 404
    assert portal_client(tenant_a, world.admin.user).get(f"/deals/{deal.pk}/").status_code == 200
    response = portal_client(tenant_a, world.other_rep.user).post(f"/deals/{deal.pk}/close-lost", {"reason": "x"})
    assert response.status_code == 404


def test_managers_approve_and_reject_from_the_deal_page(world, tenant_a):
    with tenant_context(tenant_a):
        first = deal_submit(deal=register(world), actor=world.rep.user)
        second = deal_submit(deal=register(world, customer_name="Initech", customer_domain=""), actor=world.rep.user)
    manager = portal_client(tenant_a, world.manager.user)
    page = manager.get(f"/deals/{first.pk}/").content.decode()
    assert "Approve the registration" in page and "Reject the registration" in page
    assert manager.post(f"/deals/{first.pk}/approve", {"note": ""}).status_code == 302
    response = manager.post(f"/deals/{second.pk}/reject", {"reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    manager.post(f"/deals/{second.pk}/reject", {"reason": "Direct account."})
    again = manager.post(f"/deals/{first.pk}/approve", {"note": ""}, follow=True)
    assert "A registration that is approved cannot be approved." in again.content.decode()
    with tenant_context(tenant_a):
        assert Deal.objects.get(pk=first.pk).status == "approved"
        assert Deal.objects.get(pk=second.pk).decision_reason == "Direct account."
    rep = portal_client(tenant_a, world.rep.user)
    assert "Approve the registration" not in rep.get(f"/deals/{first.pk}/").content.decode()
    assert rep.post(f"/deals/{first.pk}/approve").status_code == 403
    assert rep.post(f"/deals/{first.pk}/special-pricing", {"percent": "5"}).status_code == 403


def test_special_pricing_and_close_won_from_the_deal_page(world, tenant_a):
    with tenant_context(tenant_a):
        deal = deal_submit(deal=register(world), actor=world.rep.user)
        deal_approve(deal=deal, actor=world.manager.user)
    manager = portal_client(tenant_a, world.manager.user)
    assert manager.post(f"/deals/{deal.pk}/special-pricing", {"percent": "120"}).status_code == 400
    manager.post(f"/deals/{deal.pk}/special-pricing", {"percent": "10"})
    rep = portal_client(tenant_a, world.rep.user)
    no_lines = {"amount": "5000.00", "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0"}
    response = rep.post(f"/deals/{deal.pk}/close-won", no_lines)
    assert response.status_code == 400 and "Add at least one product line" in response.content.decode()
    with_lines = {**no_lines, "lines-0-product": str(world.product.pk), "lines-0-quantity": "5"}
    assert rep.post(f"/deals/{deal.pk}/close-won", with_lines).status_code == 302
    with tenant_context(tenant_a):
        assert Deal.objects.get(pk=deal.pk).status == "won"
        assert list(SaleRecord.objects.values_list("amount", flat=True)) == [5000]
    page = rep.get(f"/deals/{deal.pk}/").content.decode()
    assert "5000.00 USD" in page and "Closed as won" in page and "Special pricing changed" in page
    assert 'id="actions"' not in page  # nothing left to do on a won deal


def test_partners_edit_and_submit_their_drafts(world, tenant_a):
    with tenant_context(tenant_a):
        deal = register(world)
    rep = portal_client(tenant_a, world.rep.user)
    assert world.product.name in rep.get(f"/deals/{deal.pk}/edit").content.decode()
    rep.post(f"/deals/{deal.pk}/edit", form(world, save="", estimated_value="99.00"))
    rep.post(f"/deals/{deal.pk}/submit")
    with tenant_context(tenant_a):
        deal.refresh_from_db()
        assert (deal.status, str(deal.estimated_value)) == ("submitted", "99.00")
    assert rep.get(f"/deals/{deal.pk}/edit").status_code == 302
    assert portal_client(tenant_a, world.manager.user).post(f"/deals/{deal.pk}/submit").status_code == 403


def test_nav_offers_deals_to_both_sides_and_registration_to_partners(world, tenant_a):
    partner_page = portal_client(tenant_a, world.rep.user).get("/").content.decode()
    assert 'href="/deals/"' in partner_page and 'href="/deals/register/"' in partner_page
    vendor_page = portal_client(tenant_a, world.staff.user).get("/").content.decode()
    assert 'href="/deals/"' in vendor_page and 'href="/deals/register/"' not in vendor_page
