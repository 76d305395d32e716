"""The ledger in the tenant admin: read-only lines with a claw-back action (reason form), payouts prepared,
approved, marked paid (reference form), cancelled and exported through the services."""

from decimal import Decimal

import pytest

from incentives.models import LedgerEntry, Payout
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.incentives.ledger_world import ledger_world

ENTRIES, PAYOUTS = "/admin/incentives/ledgerentry/", "/admin/incentives/payout/"


@pytest.fixture
def world(tenant_a):
    return ledger_world(tenant_a)


def action(client, url, name, objects, **data):
    return client.post(url, {"action": name, "_selected_action": [o.pk for o in objects], **data})


@pytest.mark.django_db
def test_lines_are_read_only_and_filterable(world):
    client = portal_client(world.tenant, world.staff.user)
    html = client.get(ENTRIES).content.decode()
    assert "Initech BV" in html and "2400.00" in html
    assert "claw_back" not in html  # staff read, managers act
    assert "Rival Systems" not in client.get(f"{ENTRIES}?q=Initech").content.decode().split("result_list")[-1]
    assert client.get(f"{ENTRIES}?status=pending").status_code == 200
    change = client.get(f"{ENTRIES}{world.company_line.pk}/change/").content.decode()
    assert "revenue 120000.00" in change and 'name="_save"' not in change
    assert client.get(f"{ENTRIES}add/").status_code == 403
    manager = portal_client(world.tenant, world.manager.user)
    assert manager.get(f"{ENTRIES}{world.company_line.pk}/delete/").status_code == 403
    assert "delete_selected" not in manager.get(ENTRIES).content.decode()


@pytest.mark.django_db
def test_claw_back_asks_for_a_reason_then_reverses(world):
    client = portal_client(world.tenant, world.manager.user)
    form = action(client, ENTRIES, "claw_back", [world.company_line])
    assert form.status_code == 200 and "Claw back lines" in form.content.decode()
    missing = action(client, ENTRIES, "claw_back", [world.company_line], apply="1", text="")
    assert missing.status_code == 200  # the form again
    done = action(
        client, ENTRIES, "claw_back", [world.company_line, world.rep_line], apply="1", text="Refund", amount="100.00"
    )
    assert done.status_code == 302
    with tenant_context(world.tenant):
        clawbacks = sorted(
            LedgerEntry.objects.filter(entry_type="clawback").values_list("reverses_id", "amount", "reason")
        )
    assert clawbacks == sorted(
        [(world.company_line.pk, Decimal("-100.00"), "Refund"), (world.rep_line.pk, Decimal("-100.00"), "Refund")]
    )
    # 150 - 100 = 50 left of the rep's line: a second 100 is refused, the other line still goes
    action(client, ENTRIES, "claw_back", [world.company_line, world.rep_line], apply="1", text="Again", amount="100.00")
    with tenant_context(world.tenant):
        assert LedgerEntry.objects.filter(entry_type="clawback").count() == 3


@pytest.mark.django_db
def test_payout_admin_prepare_approve_pay_cancel_export(world):
    client = portal_client(world.tenant, world.manager.user)
    assert "Prepare payouts" in client.get(PAYOUTS).content.decode()
    assert client.get(f"{PAYOUTS}prepare/").status_code == 200
    assert client.post(f"{PAYOUTS}prepare/", {"currency": "USD"}).status_code == 302
    with tenant_context(world.tenant):
        company = Payout.objects.get(recipient_partner=world.partner)
        rep = Payout.objects.get(recipient_user=world.rep.user)
    assert action(client, PAYOUTS, "approve", [company]).status_code == 302
    form = action(client, PAYOUTS, "mark_paid", [company, rep])
    assert "Mark payouts paid" in form.content.decode()
    action(client, PAYOUTS, "mark_paid", [company, rep], apply="1", text="BANK-1")  # rep's is only proposed
    action(client, PAYOUTS, "cancel", [rep])
    with tenant_context(world.tenant):
        company.refresh_from_db()
        rep.refresh_from_db()
    assert (company.status, company.external_reference, rep.status) == ("paid", "BANK-1", "cancelled")
    export = action(client, PAYOUTS, "export_csv", [company, rep])
    assert export["Content-Type"].startswith("text/csv")
    body = export.content.decode()
    assert "BANK-1" in body and "cancelled" in body
    staff = portal_client(world.tenant, world.staff.user)
    assert staff.get(f"{PAYOUTS}prepare/").status_code == 403
    assert "Prepare payouts" not in staff.get(PAYOUTS).content.decode()
