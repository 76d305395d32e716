"""The protection panel and history partials (as CORE's deal page renders them) and their form posts."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from deals.models import Deal, ExtensionRequest
from deals.services import deal_amend, deal_extension_request
from prm.accounts.models import Membership
from prm.tenancy.context import tenant_context
from tests.conftest import host_of, portal_client

from .protect_world import approved_deal, build_world

PAGE = Template("{% load deal_protection %}{% deal_protection deal %}{% deal_history deal %}")


@pytest.fixture
def w(tenant_a):
    return build_world(tenant_a)


def render(tenant, membership, deal) -> str:
    """The two partials as the deal page shows them to `membership`."""
    request = RequestFactory().get(f"/deals/{deal.pk}/", HTTP_HOST=host_of(tenant))
    request.tenant = tenant
    request.user = membership.user if membership else AnonymousUser()
    with tenant_context(tenant):
        request.membership = Membership.objects.get(pk=membership.pk) if membership else None
        deal = Deal.objects.select_related("partner").get(pk=deal.pk)
        return PAGE.render(Context({"deal": deal, "request": request, "csrf_token": "token"}))


def test_the_rep_sees_the_end_days_left_and_the_request_form(tenant_a, w):
    html = render(tenant_a, w["rep"], w["deal"])
    assert "Protected until" in html and "days left" in html
    assert "Extensions used: 0 of 2 (each adds 30 days)." in html
    assert 'id="extension-request-form"' in html and 'name="next" value="/deals/' in html
    assert 'id="extension-approve-form"' not in html
    assert 'id="deal-amend-link"' in html


def test_managers_see_the_pending_request_with_approve_and_reject(tenant_a, w):
    with tenant_context(tenant_a):
        deal_extension_request(deal=w["deal"], actor=w["rep"].user, reason="Legal review takes longer")
    html = render(tenant_a, w["manager"], w["deal"])
    assert "Legal review takes longer" in html and "rep@acme.example" in html
    assert 'id="extension-approve-form"' in html and 'id="extension-reject-form"' in html
    assert "Approve (+30 days)" in html
    partner_view = render(tenant_a, w["admin"], w["deal"])
    assert "Legal review takes longer" in partner_view
    assert 'id="extension-approve-form"' not in partner_view and 'id="extension-request-form"' not in partner_view
    staff_view = render(tenant_a, w["staff"], w["deal"])
    assert 'id="extension-approve-form"' not in staff_view and 'id="deal-amend-link"' not in staff_view


def test_no_request_form_once_the_cap_is_used(tenant_a, w):
    deal = approved_deal(w, days=5, extensions_used=2)
    html = render(tenant_a, w["rep"], deal)
    assert 'id="extension-request-form"' not in html and 'id="extensions-used-up"' in html


def test_the_history_shows_events_with_before_and_after(tenant_a, w):
    with tenant_context(tenant_a):
        deal_amend(deal=w["deal"], actor=w["rep"].user, contact_name="Dana Buyer")
        deal_extension_request(deal=w["deal"], actor=w["rep"].user, reason="Board in June")
    html = render(tenant_a, w["admin"], w["deal"])
    assert "Amended" in html and "Contact name: <del>-</del> → <ins>Dana Buyer</ins>" in html
    assert "Extension requested" in html and "Board in June" in html


def test_the_rep_requests_through_the_form_and_returns_to_the_page(tenant_a, w):
    client = portal_client(tenant_a, w["rep"].user)
    path = f"/deals/{w['deal'].pk}/extension/request"
    response = client.post(path, {"reason": "Board in June", "next": "/somewhere/"})
    assert (response.status_code, response.url) == (302, "/somewhere/")
    with tenant_context(tenant_a):
        assert ExtensionRequest.objects.get().reason == "Board in June"
    # an off-site `next` is not followed
    response = client.post(path, {"reason": "again", "next": "https://evil.example/"})
    assert response.status_code == 302 and not response.url.startswith("https://evil")


def test_htmx_posts_answer_with_the_panel_including_errors(tenant_a, w):
    client = portal_client(tenant_a, w["rep"].user)
    path = f"/deals/{w['deal'].pk}/extension/request"
    invalid = client.post(path, {"reason": "", "next": "/deal-page/"}, HTTP_HX_REQUEST="true")
    assert invalid.status_code == 200 and 'id="deal-protection"' in invalid.content.decode()
    assert "This field is required." in invalid.content.decode()
    assert 'name="next" value="/deal-page/"' in invalid.content.decode()  # still the page, not the action
    done = client.post(path, {"reason": "Board in June"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Extension requested; a channel manager decides." in done and 'id="extension-pending"' in done

    manager = portal_client(tenant_a, w["manager"].user)
    approved = manager.post(
        f"/deals/{w['deal'].pk}/extension/approve", {"note": ""}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Extension approved." in approved and "Extensions used: 1 of 2" in approved
    with tenant_context(tenant_a):
        assert Deal.objects.get(pk=w["deal"].pk).protected_until == w["deal"].protected_until + timedelta(days=30)


def test_conflicts_show_as_messages(tenant_a, w):
    manager = portal_client(tenant_a, w["manager"].user)
    response = manager.post(f"/deals/{w['deal'].pk}/extension/reject", {"reason": "no"}, follow=True)
    assert "There is no extension request waiting for a decision." in response.content.decode()


@pytest.mark.parametrize(
    ("who", "action", "status"),
    [
        ("rep2", "request", 404),
        ("other_admin", "request", 404),
        ("staff", "approve", 403),
        ("admin", "reject", 403),
        ("rep", "unknown", 404),
    ],
)
def test_form_posts_by_role(tenant_a, w, who, action, status):
    client = portal_client(tenant_a, w[who].user)
    response = client.post(f"/deals/{w['deal'].pk}/extension/{action}", {"reason": "x"})
    assert response.status_code == status
    with tenant_context(tenant_a):
        assert not ExtensionRequest.objects.exists()
