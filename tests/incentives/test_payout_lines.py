"""Payouts of one kind of line: MDF reimbursements are often paid from another budget than incentives, so a
manager prepares payouts of reimbursements only (or of everything but them) in the service, the admin, the
portal and the API."""

from decimal import Decimal

import pytest

from incentives.models import Payout, PayoutItem
from incentives.services import payout_cancel, payouts_prepare, reimbursement_post
from prm.errors import InvalidInput
from prm.tenancy.context import tenant_context
from tests.api_client import Api
from tests.conftest import portal_client
from tests.incentives.ledger_world import ledger_world


@pytest.fixture
def world(tenant_a):
    world = ledger_world(tenant_a)
    with tenant_context(tenant_a):
        world.reimbursement = reimbursement_post(
            actor=None,
            partner=world.partner,
            currency="USD",
            amount=Decimal("700.00"),
            source="mdf_claim:1",
            idempotency_key="mdf-claim:1",
            explanation={},
        )
    return world


def _cancel_all(tenant) -> None:
    """The proposed payouts are dropped: their lines are pending again for the next face."""
    with tenant_context(tenant):
        for payout in Payout.objects.filter(status=Payout.Status.PROPOSED):
            payout_cancel(actor=None, payout=payout)


def _paid_lines(tenant) -> dict[int, set[int]]:
    with tenant_context(tenant):
        lines = {}
        for payout_id, entry_id in PayoutItem.objects.values_list("payout_id", "entry_id"):
            lines.setdefault(payout_id, set()).add(entry_id)
        return lines


@pytest.mark.django_db
def test_reimbursements_and_incentives_are_prepared_apart(world, tenant_a):
    with tenant_context(tenant_a):
        [mdf] = payouts_prepare(actor=None, currency="USD", lines="reimbursements")
        assert (mdf.recipient_partner_id, mdf.amount) == (world.partner.pk, Decimal("700.00"))
        assert payouts_prepare(actor=None, currency="USD", lines="reimbursements") == []  # nothing left of them

        incentives = payouts_prepare(actor=None, currency="USD", lines="incentives")
        company = next(p for p in incentives if p.recipient_partner_id == world.partner.pk)
        assert company.amount == Decimal("2400.00")  # the rebate line, not the reimbursement again
        assert payouts_prepare(actor=None, currency="USD") == []

        with pytest.raises(InvalidInput) as refused:
            payouts_prepare(actor=None, currency="USD", lines="mdf")
        assert "lines" in refused.value.fields
    assert _paid_lines(tenant_a)[mdf.pk] == {world.reimbursement.pk}


@pytest.mark.django_db
def test_the_admin_portal_and_api_prepare_reimbursements_only(world, tenant_a):
    admin = portal_client(tenant_a, world.manager.user)
    assert "MDF reimbursements only" in admin.get("/admin/incentives/payout/prepare/").content.decode()
    response = admin.post("/admin/incentives/payout/prepare/", {"currency": "USD", "lines": "reimbursements"})
    assert response.status_code == 302
    assert list(_paid_lines(tenant_a).values()) == [{world.reimbursement.pk}]

    _cancel_all(tenant_a)
    portal = portal_client(tenant_a, world.manager.user)
    assert portal.post("/incentives/payouts/prepare", {"currency": "USD", "lines": "nonsense"}).status_code == 400
    assert portal.post("/incentives/payouts/prepare", {"currency": "USD", "lines": "reimbursements"}).status_code == 302
    assert list(_paid_lines(tenant_a).values()) == [{world.reimbursement.pk}]

    _cancel_all(tenant_a)
    api = Api(tenant_a, world.manager)
    refused = api.post("/api/v1/incentives/payouts/", {"currency": "USD", "lines": "mdf"})
    assert refused.status_code == 400 and "lines" in refused.json()["error"]["fields"]
    created = api.post("/api/v1/incentives/payouts/", {"currency": "USD", "lines": "reimbursements"})
    assert created.status_code == 201
    assert [p["amount"] for p in created.json()["payouts"]] == ["700.00"]
    assert list(_paid_lines(tenant_a).values()) == [{world.reimbursement.pk}]
