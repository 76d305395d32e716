"""/api/v1/incentives/programs/ and /runs/: roles, partner eligibility, rule versions, runs, opt-in."""

from datetime import date
from decimal import Decimal

import pytest

from incentives.models import Enrollment, IncentiveProgram, ProgramPeriod, RuleVersion, Run
from incentives.selectors import partner_is_eligible, programs_for_partner
from incentives.services import run_execute, run_request
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import MembershipFactory, PartnerFactory, ProductFactory, TierFactory, issue_token, partner_member

from .factories import incentive_program

BASE = "/api/v1/incentives/programs/"
REBATE = {"bands": [{"from": "0", "rate": "0"}, {"from": "100000", "rate": "2"}], "mode": "retroactive"}


@pytest.fixture
def people(tenant_a):
    gold = TierFactory(program__tenant=tenant_a, rebate_multiplier=Decimal("1.50"), name="Gold")
    partner = PartnerFactory(program=gold.program, tier=gold, regions=["europe"], types=["reseller"])
    return {
        "partner": partner,
        "tier": gold,
        "manager": MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER),
        "admin": MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN),
        "staff": MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF),
        "partner_admin": partner_member(partner),
        "rep": partner_member(partner, role=Role.PARTNER_REP),
    }


def call(tenant, member, method, path, data=None):
    client = portal_client(tenant)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(member)}"}
    if method == "get":
        return client.get(path, data or {}, **auth)
    return getattr(client, method)(path, data or {}, content_type="application/json", **auth)


def _new_program(**extra):
    return {
        "name": "Q rebate",
        "kind": "rebate",
        "currency": "USD",
        "period_scheme": "quarter",
        "starts_on": "2026-01-01",
        "params": REBATE,
        **extra,
    }


# --- roles ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "list_code", "create_code"),
    [
        ("manager", 200, 201),
        ("admin", 200, 201),
        ("staff", 200, 403),
        ("partner_admin", 200, 403),
        ("rep", 200, 403),
    ],
)
def test_who_reads_and_who_creates(tenant_a, people, role, list_code, create_code):
    assert call(tenant_a, people[role], "get", BASE).status_code == list_code
    response = call(tenant_a, people[role], "post", BASE, _new_program(name=f"By {role}"))
    assert response.status_code == create_code, response.content


def test_manager_actions_are_refused_to_staff_and_partners(tenant_a, people):
    program = incentive_program(tenant_a, status="draft")
    for role in ("staff", "partner_admin", "rep"):
        member = people[role]
        assert call(tenant_a, member, "patch", f"{BASE}{program.pk}/", {"summary": "x"}).status_code == 403
        assert call(tenant_a, member, "post", f"{BASE}{program.pk}/activate").status_code == 403
        assert call(tenant_a, member, "post", f"{BASE}{program.pk}/run?period=2026-Q1").status_code == 403
        body = {"params": REBATE, "effective_from": "2027-01-01"}
        assert call(tenant_a, member, "post", f"{BASE}{program.pk}/rules/", body).status_code == 403
    with tenant_context(tenant_a):
        program.refresh_from_db()
        assert program.status == "draft" and program.summary == ""
        assert RuleVersion.objects.filter(program=program).count() == 1


def test_runs_are_vendor_only(tenant_a, people):
    for role, code in (("manager", 200), ("staff", 200), ("partner_admin", 403), ("rep", 403)):
        assert call(tenant_a, people[role], "get", "/api/v1/incentives/runs/").status_code == code


# --- create, update, status -------------------------------------------------------------------------
def test_create_makes_a_draft_with_its_first_rule_version(tenant_a, people):
    response = call(tenant_a, people["manager"], "post", BASE, _new_program(budget="50000", starts_on="2026-02-10"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["slug"] == "q-rebate"
    assert body["budget"] == "50000.00" and body["currency"] == "USD"
    assert body["current_rules"]["version"] == 1
    assert body["current_rules"]["effective_from"] == "2026-01-01"  # the start of the first period
    assert body["current_rules"]["params"]["bands"][1] == {"from": "100000", "rate": "2"}
    assert "Retroactive" in " ".join(body["how_it_pays"]["sentences"])


def test_invalid_rules_and_unknown_ids_are_400_with_fields(tenant_a, people):
    bad = _new_program(params={"bands": [{"from": "100", "rate": "2"}, {"from": "50", "rate": "1"}], "mode": "x"})
    response = call(tenant_a, people["manager"], "post", BASE, bad)
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert {"params.bands", "params.mode"} <= set(fields)
    response = call(tenant_a, people["manager"], "post", BASE, _new_program(eligible_tier_ids=[999999]))
    assert response.status_code == 400
    assert "eligible_tier_ids" in response.json()["error"]["fields"]
    with tenant_context(tenant_a):
        assert not IncentiveProgram.objects.exists()


def test_patch_activate_end(tenant_a, people):
    program = incentive_program(tenant_a, status="draft")
    manager = people["manager"]
    response = call(tenant_a, manager, "patch", f"{BASE}{program.pk}/", {"summary": "Grow", "eligible_regions": []})
    assert response.status_code == 200 and response.json()["summary"] == "Grow"
    assert call(tenant_a, manager, "post", f"{BASE}{program.pk}/end").status_code == 409
    assert call(tenant_a, manager, "post", f"{BASE}{program.pk}/activate").json()["status"] == "active"
    again = call(tenant_a, manager, "post", f"{BASE}{program.pk}/activate")
    assert again.status_code == 409 and again.json()["error"]["current_state"] == "active"
    assert call(tenant_a, manager, "post", f"{BASE}{program.pk}/end").json()["status"] == "ended"


# --- partners see what they can earn from -----------------------------------------------------------
def test_partners_see_the_programs_they_are_eligible_for_or_may_join(tenant_a, people):
    partner, tier = people["partner"], people["tier"]
    open_to_all = incentive_program(tenant_a, name="Open", budget=Decimal("1000"))
    for_gold = incentive_program(tenant_a, name="Gold only", eligible_tier_ids=[tier.pk])
    opt_in = incentive_program(tenant_a, name="Opt in", requires_opt_in=True, terms="Be nice")
    ended = incentive_program(tenant_a, name="Ended", status="ended")
    incentive_program(tenant_a, name="Draft", status="draft")
    incentive_program(tenant_a, name="Americas", eligible_regions=["north_america"])
    incentive_program(tenant_a, name="MSPs", eligible_types=["msp"])
    other_program = incentive_program(
        tenant_a, name="Other program", eligible_program_ids=[TierFactory(program__tenant=tenant_a).program_id]
    )

    for role in ("partner_admin", "rep"):
        body = call(tenant_a, people[role], "get", BASE).json()
        names = {row["name"]: row for row in body["results"]}
        assert set(names) == {"Open", "Gold only", "Opt in", "Ended"}, role
        assert names["Opt in"]["enrolled"] is False and names["Open"]["budget"] is None
        assert names["Open"]["channel_manager_share_pct"] is None
        assert "× 1.50" in " ".join(names["Open"]["how_it_pays"]["sentences"])
    vendor = call(tenant_a, people["staff"], "get", BASE).json()
    assert vendor["count"] == 8
    assert {row["name"]: row["budget"] for row in vendor["results"]}["Open"] == "1000.00"
    assert call(tenant_a, people["rep"], "get", f"{BASE}{other_program.pk}/").status_code == 404
    assert call(tenant_a, people["rep"], "get", f"{BASE}{for_gold.pk}/").status_code == 200
    # The same filters as the runs' eligibility (opt-in aside).
    with tenant_context(tenant_a):
        visible = set(programs_for_partner(partner).values_list("pk", flat=True))
        for program in IncentiveProgram.objects.filter(status="active", requires_opt_in=False):
            assert (program.pk in visible) == partner_is_eligible(program, partner), program.name
        assert {open_to_all.pk, opt_in.pk, ended.pk} <= visible


def test_a_partner_outside_the_earning_statuses_sees_nothing(tenant_a, people):
    incentive_program(tenant_a)
    with tenant_context(tenant_a):
        type(people["partner"]).objects.filter(pk=people["partner"].pk).update(status="suspended")
    assert call(tenant_a, people["partner_admin"], "get", BASE).json()["count"] == 0


def test_how_a_spif_pays_names_its_products(tenant_a, people):
    product = ProductFactory(tenant=tenant_a, sku="CAM-1", name="Camera")
    params = {"basis": "per_unit", "amount": "25", "products": [product.pk], "cap_per_rep": "500"}
    program = incentive_program(tenant_a, kind="spif", params=params, award_to="rep")
    how = call(tenant_a, people["rep"], "get", f"{BASE}{program.pk}/").json()["how_it_pays"]
    assert how["rows"] == [["CAM-1", "Camera"]]
    assert "25.00 USD per unit sold of the products below." in how["sentences"]
    assert "At most 500.00 USD per rep over the whole program." in how["sentences"]


# --- rule versions ----------------------------------------------------------------------------------
def test_rule_versions_list_and_create(tenant_a, people):
    program = incentive_program(tenant_a)
    url = f"{BASE}{program.pk}/rules/"
    new = {"params": {**REBATE, "mode": "incremental"}, "effective_from": "2027-01-01", "note": "Incremental"}
    response = call(tenant_a, people["manager"], "post", url, new)
    assert response.status_code == 201, response.content
    assert response.json()["version"] == 2 and response.json()["params"]["mode"] == "incremental"
    listed = call(tenant_a, people["rep"], "get", url).json()
    assert [row["version"] for row in listed] == [2, 1]
    duplicate = call(tenant_a, people["manager"], "post", url, new)
    assert duplicate.status_code == 409


def test_rule_version_errors(tenant_a, people):
    program = incentive_program(tenant_a)
    url = f"{BASE}{program.pk}/rules/"
    misaligned = call(tenant_a, people["manager"], "post", url, {"params": REBATE, "effective_from": "2027-01-02"})
    assert misaligned.status_code == 400
    assert "effective_from" in misaligned.json()["error"]["fields"]
    bad_rules = call(
        tenant_a, people["manager"], "post", url, {"params": {"bands": []}, "effective_from": "2027-01-01"}
    )
    assert bad_rules.status_code == 400 and "params.bands" in bad_rules.json()["error"]["fields"]
    with tenant_context(tenant_a):
        ProgramPeriod.objects.create(
            program=program, key="2026-Q3", starts_on=date(2026, 7, 1), ends_on=date(2026, 9, 30), status="closed"
        )
    closed = call(tenant_a, people["manager"], "post", url, {"params": REBATE, "effective_from": "2026-07-01"})
    assert closed.status_code == 409
    with tenant_context(tenant_a):
        assert RuleVersion.objects.filter(program=program).count() == 1


# --- runs -------------------------------------------------------------------------------------------
def test_run_on_demand_answers_202_with_the_run(tenant_a, people, django_capture_on_commit_callbacks):
    program = incentive_program(tenant_a)
    with django_capture_on_commit_callbacks() as callbacks:
        response = call(tenant_a, people["manager"], "post", f"{BASE}{program.pk}/run?period=2026-Q3")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["kind"] == "manual" and body["status"] == "queued" and body["period"] == "2026-Q3"
    assert body["program"] == {"id": program.pk, "name": program.name, "kind": "rebate"}
    assert len(callbacks) == 1  # the execution is queued on commit
    with tenant_context(tenant_a):
        assert Run.objects.get().requested_by == people["manager"].user


@pytest.mark.parametrize(
    ("query", "code"),
    [("", 400), ("?period=2026-Q5", 400), ("?period=2026-07", 400), ("?period=2025-Q4", 400), ("?period=2026-Q2", 409)],
)
def test_run_on_demand_refusals(tenant_a, people, query, code):
    program = incentive_program(tenant_a)
    with tenant_context(tenant_a):
        ProgramPeriod.objects.create(
            program=program, key="2026-Q2", starts_on=date(2026, 4, 1), ends_on=date(2026, 6, 30), status="closed"
        )
    response = call(tenant_a, people["manager"], "post", f"{BASE}{program.pk}/run{query}")
    assert response.status_code == code, response.content
    if code == 400:
        assert "period" in response.json()["error"]["fields"]
    with tenant_context(tenant_a):
        assert not Run.objects.exists()


def test_a_draft_program_does_not_run(tenant_a, people):
    program = incentive_program(tenant_a, status="draft")
    response = call(tenant_a, people["manager"], "post", f"{BASE}{program.pk}/run?period=2026-Q1")
    assert response.status_code == 409 and response.json()["error"]["current_state"] == "draft"


def test_runs_list_filters_and_detail(tenant_a, people):
    first, second = incentive_program(tenant_a), incentive_program(tenant_a)
    with tenant_context(tenant_a):
        done = run_execute(run_id=run_request(program=first, period_key="2026-Q1", kind="manual").pk)
        run_request(program=first, period_key="2026-Q2", kind="manual")
        failed = run_request(program=second, period_key="2026-Q1", kind="manual")
        Run.objects.filter(pk=failed.pk).update(status="failed", error="boom")
    runs = "/api/v1/incentives/runs/"
    staff = people["staff"]
    assert call(tenant_a, staff, "get", runs).json()["count"] == 3
    assert call(tenant_a, staff, "get", runs, {"program": first.pk}).json()["count"] == 2
    assert call(tenant_a, staff, "get", runs, {"period": "2026-Q1"}).json()["count"] == 2
    assert call(tenant_a, staff, "get", runs, {"kind": "final"}).json()["count"] == 0
    failed_rows = call(tenant_a, staff, "get", runs, {"status": "failed"}).json()["results"]
    assert [(row["id"], row["error"]) for row in failed_rows] == [(failed.pk, "boom")]
    assert call(tenant_a, staff, "get", runs, {"status": "nope"}).status_code == 400
    detail = call(tenant_a, staff, "get", f"{runs}{done.pk}/").json()
    assert detail["status"] == "succeeded" and detail["progress_pct"] == 100
    assert detail["amount_posted"] == "0.00" and detail["currency"] == "USD"
    assert detail["duration_seconds"] >= 0 and detail["chunks_done"] == detail["chunks_total"] == 1


# --- opt-in -----------------------------------------------------------------------------------------
def test_opt_in_by_a_partner_admin(tenant_a, people):
    program = incentive_program(tenant_a, requires_opt_in=True, terms="Be nice")
    url = f"{BASE}{program.pk}/opt-in"
    assert call(tenant_a, people["rep"], "post", url).status_code == 403
    assert call(tenant_a, people["manager"], "post", url).status_code == 403
    first = call(tenant_a, people["partner_admin"], "post", url)
    assert first.status_code == 201, first.content
    assert first.json()["terms_accepted"] == "Be nice" and first.json()["partner"] == people["partner"].pk
    assert call(tenant_a, people["partner_admin"], "post", url).status_code == 200
    assert call(tenant_a, people["rep"], "get", f"{BASE}{program.pk}/").json()["enrolled"] is True
    with tenant_context(tenant_a):
        assert Enrollment.objects.get().accepted_by == people["partner_admin"].user
        assert partner_is_eligible(program, people["partner"])


def test_opt_in_refusals(tenant_a, people):
    automatic = incentive_program(tenant_a)
    elsewhere = incentive_program(tenant_a, requires_opt_in=True, eligible_regions=["asia_pacific"])
    partner_admin = people["partner_admin"]
    assert call(tenant_a, partner_admin, "post", f"{BASE}{automatic.pk}/opt-in").status_code == 409
    assert call(tenant_a, partner_admin, "post", f"{BASE}{elsewhere.pk}/opt-in").status_code == 404
    with tenant_context(tenant_a):
        assert not Enrollment.objects.exists()


# --- query counts -----------------------------------------------------------------------------------
def _programs_of_every_kind(tenant, n):
    product = ProductFactory(tenant=tenant)
    for i in range(n):
        incentive_program(tenant, name=f"Rebate {n}-{i}")
        incentive_program(
            tenant,
            name=f"SPIF {n}-{i}",
            kind="spif",
            award_to="rep",
            params={"basis": "percent", "rate": "5", "products": [product.pk]},
            requires_opt_in=True,
        )


# staff: host → tenant, context, token, membership, count, page, rule versions, products, leave context.
# Partner users also: their company, enrollments.
@pytest.mark.parametrize(("role", "queries"), [("staff", 9), ("partner_admin", 11)])
def test_program_list_query_count_does_not_grow(tenant_a, people, role, queries, django_assert_num_queries):
    _programs_of_every_kind(tenant_a, 1)
    client = portal_client(tenant_a)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(people[role])}"}
    client.get(BASE, **auth)  # warm caches
    with django_assert_num_queries(queries):
        assert client.get(BASE, **auth).json()["count"] == 2
    _programs_of_every_kind(tenant_a, 5)
    with django_assert_num_queries(queries):
        assert client.get(BASE, **auth).json()["count"] == 12


def test_run_list_query_count_does_not_grow(tenant_a, people, django_assert_num_queries):
    program = incentive_program(tenant_a)
    client = portal_client(tenant_a)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(people['staff'])}"}
    with tenant_context(tenant_a):
        run_request(program=program, period_key="2026-Q1", kind="manual")
    client.get("/api/v1/incentives/runs/", **auth)
    with django_assert_num_queries(7):
        client.get("/api/v1/incentives/runs/", **auth)
    with tenant_context(tenant_a):
        for quarter in (2, 3, 4):
            run_request(program=incentive_program(tenant_a), period_key=f"2026-Q{quarter}", kind="manual")
    with django_assert_num_queries(7):
        assert client.get("/api/v1/incentives/runs/", **auth).json()["count"] == 4
