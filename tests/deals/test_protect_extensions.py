"""Extension requests and decisions: reason, one pending at a time, the program's cap, who may act."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from deals.models import Deal, DealEvent, DealRules, ExtensionRequest
from deals.selectors import deal_rules_for
from deals.services import deal_extension_approve, deal_extension_reject, deal_extension_request
from prm.audit.models import AuditEvent
from prm.errors import Duplicate, InvalidInput, StateConflict
from prm.notifications.models import Notification
from prm.tenancy.context import tenant_context
from tests.factories import DealFactory, ProgramFactory

from .protect_world import api, approved_deal, build_world


@pytest.fixture
def w(tenant_a):
    return build_world(tenant_a)


def fresh(tenant, deal) -> Deal:
    with tenant_context(tenant):
        return Deal.objects.get(pk=deal.pk)


def test_programs_without_rules_use_the_model_defaults(tenant_a):
    program = ProgramFactory(tenant=tenant_a)
    with tenant_context(tenant_a):
        rules = deal_rules_for(program.pk)
    assert (rules.pk, rules.protection_days, rules.max_extensions, rules.extension_days) == (None, 90, 1, 30)


def test_request_approve_extends_from_the_current_end_and_counts(
    tenant_a, w, celery_eager, django_capture_on_commit_callbacks
):
    deal, end = w["deal"], w["deal"].protected_until
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        request = deal_extension_request(deal=deal, actor=w["rep"].user, reason="  Board meets in June ")
        assert request.reason == "Board meets in June" and request.status == "pending"
        deal_extension_approve(deal=deal, actor=w["manager"].user, note="OK")

    deal = fresh(tenant_a, deal)
    assert (deal.protected_until, deal.extensions_used) == (end + timedelta(days=30), 1)
    with tenant_context(tenant_a):
        request.refresh_from_db()
        assert (request.status, request.decided_by_id, request.decision_reason) == (
            "approved",
            w["manager"].user_id,
            "OK",
        )
        events = list(DealEvent.objects.filter(deal=deal).values_list("kind", "changes"))
        assert events == [
            ("extension_requested", {}),
            (
                "extended",
                {
                    "protected_until": [end.isoformat(), (end + timedelta(days=30)).isoformat()],
                    "extensions_used": [0, 1],
                },
            ),
        ]
        assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
            "deal.extension_request",
            "deal.extension_approve",
        }
        inbox = dict(Notification.objects.values_list("user__email", "title"))
    # the manager heard of the request; the rep and the partner admin of the approval
    assert inbox["cm@acme.example"].startswith("Extension requested")
    assert inbox["rep@acme.example"].startswith("Protection extended")
    assert inbox["admin@acme.example"].startswith("Protection extended")
    assert "rep2@acme.example" not in inbox
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@acme.example", "cm@acme.example", "rep@acme.example"]


def test_a_missing_reason_is_refused_and_stores_nothing(tenant_a, w):
    with tenant_context(tenant_a):
        with pytest.raises(InvalidInput) as error:
            deal_extension_request(deal=w["deal"], actor=w["rep"].user, reason="   ")
        assert "reason" in error.value.fields
        assert not ExtensionRequest.objects.exists() and not DealEvent.objects.exists()


def test_only_one_request_is_pending_at_a_time(tenant_a, w):
    with tenant_context(tenant_a):
        deal_extension_request(deal=w["deal"], actor=w["rep"].user, reason="first")
        with pytest.raises(Duplicate):
            deal_extension_request(deal=w["deal"], actor=w["admin"].user, reason="second")
        assert ExtensionRequest.objects.count() == 1
        # the database holds the rule too
        with pytest.raises(IntegrityError):
            ExtensionRequest.objects.create(deal=w["deal"], reason="around the service")


def test_the_cap_refuses_further_requests_with_a_409(tenant_a, w):
    deal = w["deal"]
    with tenant_context(tenant_a):
        for _round in range(2):
            deal_extension_request(deal=deal, actor=w["rep"].user, reason="more time")
            deal_extension_approve(deal=deal, actor=w["manager"].user)
        with pytest.raises(StateConflict) as error:
            deal_extension_request(deal=deal, actor=w["rep"].user, reason="once more")
    assert "all 2 extensions" in error.value.message
    assert fresh(tenant_a, deal).extensions_used == 2


def test_approval_checks_the_cap_again(tenant_a, w):
    deal = w["deal"]
    with tenant_context(tenant_a):
        deal_extension_request(deal=deal, actor=w["rep"].user, reason="more time")
        DealRules.objects.filter(program=w["program"]).update(max_extensions=0)
        with pytest.raises(StateConflict):
            deal_extension_approve(deal=deal, actor=w["manager"].user)
    assert fresh(tenant_a, deal).protected_until == deal.protected_until


def test_rejection_needs_a_reason_and_keeps_the_end(tenant_a, w):
    deal = w["deal"]
    with tenant_context(tenant_a):
        deal_extension_request(deal=deal, actor=w["rep"].user, reason="more time")
        with pytest.raises(InvalidInput):
            deal_extension_reject(deal=deal, actor=w["manager"].user, reason="")
        request = deal_extension_reject(deal=deal, actor=w["manager"].user, reason="Budget is not confirmed")
        assert (request.status, request.decision_reason) == ("rejected", "Budget is not confirmed")
        # a new request may follow a rejected one
        deal_extension_request(deal=deal, actor=w["rep"].user, reason="Budget confirmed now")
    deal_after = fresh(tenant_a, deal)
    assert (deal_after.protected_until, deal_after.extensions_used) == (deal.protected_until, 0)


@pytest.mark.parametrize(
    ("status", "days"),
    [("submitted", 20), ("expired", -3), ("won", 20), ("approved", -1)],
)
def test_requests_need_an_approved_deal_still_protected(tenant_a, w, status, days):
    deal = DealFactory(
        partner=w["partner"],
        registered_by=w["rep"].user,
        status=status,
        protected_until=timezone.localdate() + timedelta(days=days),
    )
    with tenant_context(tenant_a), pytest.raises(StateConflict) as error:
        deal_extension_request(deal=deal, actor=w["rep"].user, reason="more time")
    assert error.value.current_state == status


def test_decisions_without_a_pending_request_are_conflicts(tenant_a, w):
    with tenant_context(tenant_a):
        with pytest.raises(StateConflict):
            deal_extension_approve(deal=w["deal"], actor=w["manager"].user)
        with pytest.raises(StateConflict):
            deal_extension_reject(deal=w["deal"], actor=w["manager"].user, reason="no")


# --- API ----------------------------------------------------------------------------------------


def test_api_request_then_extend(tenant_a, w):
    deal, end = w["deal"], w["deal"].protected_until
    client, rep = api(tenant_a, w["rep"])
    response = client.post(f"/api/v1/deals/{deal.pk}/request-extension", {"reason": "Legal review"}, **rep)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["extensions_used"], body["max_extensions"], body["extension_days"]) == (
        "approved",
        0,
        2,
        30,
    )
    assert body["pending_request"]["reason"] == "Legal review"
    assert body["days_left"] in (19, 20, 21)  # the tenant's today may differ from the server's by a day

    again = client.post(f"/api/v1/deals/{deal.pk}/request-extension/", {"reason": "again"}, **rep)
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate"

    _client, manager = api(tenant_a, w["manager"])
    response = client.post(f"/api/v1/deals/{deal.pk}/extend", {"note": "fine"}, **manager)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["protected_until"] == (end + timedelta(days=30)).isoformat()
    assert (body["extensions_used"], body["extensions_left"], body["pending_request"]) == (1, 1, None)

    conflict = client.post(f"/api/v1/deals/{deal.pk}/extend", **manager)
    assert conflict.status_code == 409
    assert conflict.json()["error"]["current_state"] == "approved"


def test_api_errors(tenant_a, w):
    deal = w["deal"]
    client, rep = api(tenant_a, w["rep"])
    missing = client.post(f"/api/v1/deals/{deal.pk}/request-extension", {}, **rep)
    assert missing.status_code == 400 and "reason" in missing.json()["error"]["fields"]

    _c, manager = api(tenant_a, w["manager"])
    client.post(f"/api/v1/deals/{deal.pk}/request-extension", {"reason": "x"}, **rep)
    no_reason = client.post(f"/api/v1/deals/{deal.pk}/extension-reject", {"reason": ""}, **manager)
    assert no_reason.status_code == 400
    rejected = client.post(f"/api/v1/deals/{deal.pk}/extension-reject", {"reason": "Not now"}, **manager)
    assert rejected.status_code == 200 and rejected.json()["pending_request"] is None
    with tenant_context(tenant_a):
        assert ExtensionRequest.objects.get().status == "rejected"


def test_api_roles(tenant_a, w):
    deal = w["deal"]
    client = api(tenant_a, w["rep"])[0]

    def post(who, action):
        auth = api(tenant_a, w[who])[1]
        return client.post(f"/api/v1/deals/{deal.pk}/{action}", {"reason": "x"}, **auth).status_code

    # another rep of the same partner, and another partner: the deal does not exist for them
    assert post("rep2", "request-extension") == 404
    assert post("other_admin", "request-extension") == 404
    # vendor staff see the deal but neither request nor decide
    assert post("staff", "request-extension") == 403
    assert post("staff", "extend") == 403
    # partner users do not decide
    assert post("admin", "request-extension") == 201
    assert post("admin", "extend") == 403
    assert post("rep", "extension-reject") == 403
    assert post("manager", "extend") == 200
    assert fresh(tenant_a, deal).extensions_used == 1


def test_api_extend_of_another_partners_deal_by_its_admin_is_404(tenant_a, w):
    mine = approved_deal(w, days=10)
    client, other = api(tenant_a, w["other_admin"])
    assert client.post(f"/api/v1/deals/{mine.pk}/request-extension", {"reason": "x"}, **other).status_code == 404
