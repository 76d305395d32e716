"""/api/v1/incentives/earnings/, /payouts/, /statements/: who sees which lines (rep: own; partner admin:
the company's; vendor: all; 404 across partners), the payout actions with their state conflicts, CSV,
idempotent prepare, and fixed query counts on the lists."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incentives.selectors import statement_key
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import PartnerFactory, issue_token
from tests.incentives.factories import LedgerEntryFactory
from tests.incentives.ledger_world import ledger_world

EARNINGS, PAYOUTS, STATEMENTS = (
    "/api/v1/incentives/earnings/",
    "/api/v1/incentives/payouts/",
    "/api/v1/incentives/statements/",
)


@pytest.fixture
def world(tenant_a):
    return ledger_world(tenant_a)


def api(world, member):
    client = portal_client(world.tenant)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {issue_token(member)}"
    return client


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.django_db
def test_earnings_by_role(world):
    every = {world.company_line.pk, world.rep_line.pk, world.rep2_line.pk, world.cam_line.pk, world.other_line.pk}
    assert ids(api(world, world.staff).get(EARNINGS)) == every
    # The partner admin: the company's line and its reps' lines, not the channel manager's share, not the rival's.
    assert ids(api(world, world.admin).get(EARNINGS)) == {world.company_line.pk, world.rep_line.pk, world.rep2_line.pk}
    assert ids(api(world, world.rep).get(EARNINGS)) == {world.rep_line.pk}
    assert ids(api(world, world.other_admin).get(EARNINGS)) == {world.other_line.pk}

    rep = api(world, world.rep)
    for line in (world.company_line, world.rep2_line, world.cam_line, world.other_line):
        assert rep.get(f"{EARNINGS}{line.pk}/").status_code == 404
    admin = api(world, world.admin)
    assert admin.get(f"{EARNINGS}{world.other_line.pk}/").status_code == 404
    assert admin.get(f"{EARNINGS}{world.cam_line.pk}/").status_code == 404

    row = admin.get(f"{EARNINGS}{world.company_line.pk}/").json()
    assert row["amount"] == "2400.00" and row["currency"] == "USD" and row["unit"] == "money"
    assert row["status"] == "pending" and row["entry_type"] == "earning" and row["period"] == "2026-Q1"
    assert row["recipient"] == {"type": "partner", "id": world.partner.pk, "name": "Initech BV"}
    assert row["program"]["name"] == "Volume rebate" and row["explanation"]["revenue"] == "120000.00"
    assert "revenue 120000.00" in row["explanation_text"]


@pytest.mark.django_db
def test_earnings_filters(world):
    staff = api(world, world.staff)
    assert ids(staff.get(EARNINGS, {"program": world.spif.pk})) == {
        world.rep_line.pk,
        world.rep2_line.pk,
        world.cam_line.pk,
    }
    assert ids(staff.get(EARNINGS, {"recipient": f"partner:{world.other.pk}"})) == {world.other_line.pk}
    assert ids(staff.get(EARNINGS, {"recipient": f"user:{world.rep.user.pk}"})) == {world.rep_line.pk}
    assert ids(staff.get(EARNINGS, {"status": "paid"})) == set()
    assert ids(staff.get(EARNINGS, {"unit": "points"})) == set()
    assert len(ids(staff.get(EARNINGS, {"period": "2026-Q1", "status": "pending"}))) == 5
    response = staff.get(EARNINGS, {"recipient": "someone"})
    assert response.status_code == 400 and "recipient" in response.json()["error"]["fields"]
    assert staff.get(EARNINGS, {"status": "lost"}).status_code == 400


@pytest.mark.django_db
def test_payout_lifecycle_over_the_api(world):
    manager, admin = api(world, world.manager), api(world, world.admin)
    assert admin.post(PAYOUTS, {"currency": "USD"}, content_type="application/json").status_code == 403

    body = {"currency": "USD", "recipients": [f"partner:{world.partner.pk}", f"user:{world.rep.user.pk}"]}
    headers = {"HTTP_IDEMPOTENCY_KEY": "prepare-1"}
    response = manager.post(PAYOUTS, body, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 2
    replay = manager.post(PAYOUTS, body, content_type="application/json", **headers)
    assert replay.json() == response.json() and replay["Idempotent-Replayed"] == "true"
    assert manager.post(PAYOUTS, body, content_type="application/json").json()["created"] == 0
    bad = manager.post(PAYOUTS, {"currency": "USD", "recipients": ["partner:999999"]}, content_type="application/json")
    assert bad.status_code == 400

    payouts = {row["recipient"]["type"]: row for row in response.json()["payouts"]}
    company, rep = payouts["partner"], payouts["user"]
    assert (company["amount"], company["status"], company["lines"]) == ("2400.00", "proposed", 1)
    assert (rep["amount"], rep["partner_name"]) == ("150.00", "Initech BV")

    assert admin.post(f"{PAYOUTS}{company['id']}/approve").status_code == 403
    paid_early = manager.post(
        f"{PAYOUTS}{company['id']}/mark-paid", {"external_reference": "X"}, content_type="application/json"
    )
    assert paid_early.status_code == 409 and paid_early.json()["error"]["code"] == "state_conflict"
    assert manager.post(f"{PAYOUTS}{company['id']}/approve").json()["status"] == "approved"
    again = manager.post(f"{PAYOUTS}{company['id']}/approve")
    assert again.status_code == 409
    assert manager.post(f"{PAYOUTS}{company['id']}/cancel").status_code == 409
    missing = manager.post(f"{PAYOUTS}{company['id']}/mark-paid", {}, content_type="application/json")
    assert missing.status_code == 400 and "external_reference" in missing.json()["error"]["fields"]
    paid = manager.post(
        f"{PAYOUTS}{company['id']}/mark-paid",
        {"external_reference": "SEPA-77", "paid_on": "2026-04-30"},
        content_type="application/json",
    ).json()
    assert (paid["status"], paid["external_reference"]) == ("paid", "SEPA-77")
    assert paid["paid_at"].startswith("2026-04-30") and paid["time_to_payment"] is not None
    assert manager.post(f"{PAYOUTS}{rep['id']}/cancel").json()["status"] == "cancelled"

    # The partner's people see the company's payouts; the rep only their own; the rival none.
    assert ids(admin.get(PAYOUTS)) == {company["id"], rep["id"]}
    assert ids(api(world, world.rep).get(PAYOUTS)) == {rep["id"]}
    assert ids(api(world, world.rep2).get(PAYOUTS)) == set()
    assert api(world, world.other_admin).get(f"{PAYOUTS}{company['id']}/").status_code == 404
    assert api(world, world.rep).get(f"{PAYOUTS}{company['id']}/").status_code == 404
    assert ids(admin.get(EARNINGS, {"status": "paid"})) == {world.company_line.pk}


@pytest.mark.django_db
def test_payouts_approved_as_a_batch_all_or_nothing(world):
    manager = api(world, world.manager)
    prepared = manager.post(PAYOUTS, {"currency": "USD"}, content_type="application/json").json()["payouts"]
    first, second, *_rest = sorted(row["id"] for row in prepared)
    batch = f"{PAYOUTS}approve"
    assert api(world, world.admin).post(batch, {"ids": [first]}, content_type="application/json").status_code == 403
    assert manager.post(batch, {"ids": []}, content_type="application/json").status_code == 400
    assert manager.post(batch, {"ids": [first, 999999]}, content_type="application/json").status_code == 404

    manager.post(f"{PAYOUTS}{second}/cancel")
    refused = manager.post(batch, {"ids": [first, second]}, content_type="application/json")
    assert refused.status_code == 409
    assert manager.get(f"{PAYOUTS}{first}/").json()["status"] == "proposed"  # nothing of the batch was approved

    approved = manager.post(batch, {"ids": [first]}, content_type="application/json")
    assert approved.status_code == 200 and [row["status"] for row in approved.json()] == ["approved"]
    other = api(world, world.other_admin)
    assert other.post(batch, {"ids": [first]}, content_type="application/json").status_code == 403


@pytest.mark.django_db
def test_payouts_as_csv(world):
    manager = api(world, world.manager)
    manager.post(PAYOUTS, {"currency": "USD"}, content_type="application/json")
    for url in (f"{PAYOUTS}?format=csv&status=proposed", f"{PAYOUTS}export?status=proposed"):
        response = manager.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert sorted((r["recipient"], r["amount"]) for r in rows) == sorted(
            [
                ("Initech BV", "2400.00"),
                ("Rival Systems", "999.00"),
                (world.rep.user.email, "150.00"),
                (world.rep2.user.email, "50.00"),
                (world.manager.user.email, "15.00"),
            ]
        )
    rep_csv = api(world, world.rep).get(f"{PAYOUTS}?format=csv").content.decode()
    assert "Initech BV,partner" not in rep_csv and world.rep.user.email in rep_csv


@pytest.mark.django_db
def test_statements_list_and_detail_by_role(world):
    company_key = statement_key(world.partner.pk, None, "2026-Q1")
    rep_key = statement_key(None, world.rep.user.pk, "2026-Q1")
    admin = api(world, world.admin)
    rows = admin.get(STATEMENTS).json()["results"]
    assert {row["id"] for row in rows} == {company_key, rep_key, statement_key(None, world.rep2.user.pk, "2026-Q1")}
    [company] = [row for row in rows if row["id"] == company_key]
    assert company["totals"] == [
        {
            "unit": "money",
            "currency": "USD",
            "total": "2400.00",
            "pending": "2400.00",
            "approved": "0.00",
            "paid": "0.00",
        }
    ]
    assert company["recipient"]["name"] == "Initech BV" and company["lines"] == 1

    detail = admin.get(f"{STATEMENTS}{rep_key}/").json()
    [line] = detail["entries"]
    assert (
        line["id"] == world.rep_line.pk
        and line["links"][0]["url"] == f"/our-sales/?external_id={world.sale.external_id}"
    )

    rep = api(world, world.rep)
    assert [row["id"] for row in rep.get(STATEMENTS).json()["results"]] == [rep_key]
    assert rep.get(f"{STATEMENTS}{company_key}/").status_code == 404
    other = api(world, world.other_admin)
    assert other.get(f"{STATEMENTS}{company_key}/").status_code == 404
    assert other.get(f"{STATEMENTS}{rep_key}/").status_code == 404
    assert admin.get(f"{STATEMENTS}{statement_key(None, world.manager.user.pk, '2026-Q1')}/").status_code == 404
    assert api(world, world.staff).get(STATEMENTS, {"recipient": f"partner:{world.other.pk}"}).json()["count"] == 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_list_query_counts_do_not_grow_with_the_rows(world):
    staff, manager = api(world, world.staff), api(world, world.manager)
    manager.post(PAYOUTS, {"currency": "USD"}, content_type="application/json")
    urls = (EARNINGS, PAYOUTS, STATEMENTS, f"{PAYOUTS}?format=csv")
    staff.get("/api/v1/me")  # the token's first use records it
    before = {url: _queries(staff, url) for url in urls}
    with tenant_context(world.tenant):
        for i in range(6):
            partner = PartnerFactory(program=world.partner.program)
            LedgerEntryFactory(program=world.rebate, partner=partner, amount=Decimal(10 + i))
            LedgerEntryFactory(program=world.rebate, partner=partner, amount=Decimal(5), period="2026-Q2")
    manager.post(PAYOUTS, {"currency": "USD"}, content_type="application/json")
    after = {url: _queries(staff, url) for url in urls}
    assert after == before
    # pinned: 5 for the request (session/token, membership, tenant …), then count + rows (+ statement totals)
    assert before == {EARNINGS: 7, PAYOUTS: 7, STATEMENTS: 8, f"{PAYOUTS}?format=csv": 6}


@pytest.mark.django_db
def test_adjustments_and_clawbacks_over_the_api(world):
    manager, admin = api(world, world.manager), api(world, world.admin)
    body = {"partner": world.partner.pk, "currency": "USD", "amount": "75.00", "reason": "Co-marketing credit"}
    assert admin.post(EARNINGS, body, content_type="application/json").status_code == 403

    first = manager.post(EARNINGS, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="adj-1")
    assert first.status_code == 201, first.content
    row = first.json()
    assert (row["entry_type"], row["amount"], row["reason"], row["status"]) == (
        "adjustment",
        "75.00",
        "Co-marketing credit",
        "pending",
    )
    assert row["recipient"] == {"type": "partner", "id": world.partner.pk, "name": "Initech BV"}
    replay = manager.post(EARNINGS, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="adj-1")
    assert replay.json()["id"] == row["id"]
    rep_body = {**body, "recipient": f"user:{world.rep.user.pk}", "amount": "-10.00", "program": world.spif.pk}
    rep_row = manager.post(EARNINGS, rep_body, content_type="application/json").json()
    assert rep_row["recipient"]["type"] == "user" and rep_row["program"]["id"] == world.spif.pk
    for bad in ({**body, "reason": ""}, {**body, "amount": "0"}, {**body, "recipient": f"partner:{world.other.pk}"}):
        response = manager.post(EARNINGS, bad, content_type="application/json")
        assert response.status_code == 400, bad
    assert manager.post(EARNINGS, {**body, "partner": 999999}, content_type="application/json").status_code == 400

    url = f"{EARNINGS}{world.company_line.pk}/claw-back"
    assert admin.post(url, {"reason": "x"}, content_type="application/json").status_code == 403
    part = manager.post(url, {"reason": "Disputed", "amount": "400.00"}, content_type="application/json")
    assert part.status_code == 201 and part.json()["amount"] == "-400.00"
    assert part.json()["reverses"] == world.company_line.pk and part.json()["entry_type"] == "clawback"
    assert manager.post(url, {"reason": "The rest"}, content_type="application/json").json()["amount"] == "-2000.00"
    twice = manager.post(url, {"reason": "Again"}, content_type="application/json")
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "state_conflict"

    refund = {"sale": world.sale.pk, "reason": "Refunded"}
    lines = manager.post(f"{EARNINGS}sale-clawback", refund, content_type="application/json")
    assert lines.status_code == 201
    assert sorted((r["reverses"], r["amount"]) for r in lines.json()) == sorted(
        [(world.rep_line.pk, "-150.00"), (world.cam_line.pk, "-15.00")]
    )
    assert manager.post(f"{EARNINGS}sale-clawback", refund, content_type="application/json").status_code == 409
    # the rep sees the reversal of their line, the partner admin not the channel manager's
    assert world.rep_line.pk in {r["reverses"] for r in api(world, world.rep).get(EARNINGS).json()["results"]}
    assert world.cam_line.pk not in {r["reverses"] for r in admin.get(EARNINGS).json()["results"]}
