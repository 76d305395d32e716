"""Joint business plans: periods, goals on registered metrics with progress, QBR notes; who sees them."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Count, Q

from partners.metrics import Metric, Unit, register_metric
from partners.models import BusinessPlan, BusinessPlanGoal, QbrNote
from partners.selectors import business_plan_progress
from partners.selectors.plans import goal_percent
from partners.services import business_plan_create, business_plan_goal_set, business_plan_update, qbr_note_add
from prm.errors import Duplicate, InvalidInput
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client

from .company_setup import bearer, company_world


def _active_people(partners) -> dict[int, Decimal]:
    rows = partners.annotate(n=Count("people", filter=Q(people__membership__is_active=True))).values_list("pk", "n")
    return {pk: Decimal(n) for pk, n in rows}


TEST_METRIC = Metric("test_active_people", "Active people (test)", Unit.COUNT, _active_people)


@pytest.fixture(autouse=True)
def _metric():
    register_metric(TEST_METRIC)


@pytest.fixture
def p(tenant_a):
    world = company_world(tenant_a)
    with tenant_context(tenant_a):
        plan = business_plan_create(
            partner=world["partner"],
            actor=world["manager"].user,
            title="FY25 plan",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
        )
        business_plan_goal_set(plan=plan, actor=world["manager"].user, metric="test_active_people", target="4")
    world["plan"] = plan
    return world


def test_goal_percent_rounds_down_and_shows_over_achievement():
    assert goal_percent(Decimal("1"), Decimal("3")) == 33
    assert goal_percent(Decimal("5"), Decimal("4")) == 125
    assert goal_percent(Decimal("0"), Decimal("10")) == 0


def test_goal_progress_comes_from_the_metric_registry(tenant_a, p):
    with tenant_context(tenant_a):
        plan = BusinessPlan.objects.prefetch_related("goals").get(pk=p["plan"].pk)
        (row,) = business_plan_progress(plan)
    assert (row.current, row.goal.target, row.percent, row.label) == (
        Decimal(2),
        Decimal("4.00"),
        50,
        "Active people (test)",
    )


def test_periods_of_one_partner_never_overlap(tenant_a, p):
    with tenant_context(tenant_a):
        for start, end in [(date(2025, 1, 1), date(2025, 3, 31)), (date(2025, 12, 1), date(2026, 2, 1))]:
            with pytest.raises(Duplicate, match="already covers"):
                business_plan_create(partner=p["partner"], actor=None, title="x", period_start=start, period_end=end)
        with pytest.raises(InvalidInput, match="cannot end before"):
            business_plan_create(
                partner=p["partner"], actor=None, title="x", period_start=date(2026, 2, 1), period_end=date(2026, 1, 1)
            )
        business_plan_create(
            partner=p["other"], actor=None, title="Other", period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
        )
        next_year = business_plan_create(
            partner=p["partner"], actor=None, title="FY26", period_start=date(2026, 1, 1), period_end=date(2026, 12, 31)
        )
        with pytest.raises(Duplicate):
            business_plan_update(plan=next_year, actor=None, period_start=date(2025, 6, 1))
        assert BusinessPlan.objects.get(pk=next_year.pk).period_start == date(2026, 1, 1)


def test_unknown_metrics_and_bad_targets_are_refused(tenant_a, p):
    with tenant_context(tenant_a):
        with pytest.raises(InvalidInput, match="is not a known metric") as unknown:
            business_plan_goal_set(plan=p["plan"], actor=None, metric="revenue_from_mars", target=10)
        assert "metric" in unknown.value.fields
        for target in ("0", "-1", "abc", "NaN"):
            with pytest.raises(InvalidInput):
                business_plan_goal_set(plan=p["plan"], actor=None, metric="test_active_people", target=target)
        business_plan_goal_set(plan=p["plan"], actor=None, metric="test_active_people", target="8", note="stretch")
        assert list(BusinessPlanGoal.objects.values_list("target", "note")) == [(Decimal("8.00"), "stretch")]


def test_qbr_notes_record_date_and_author(tenant_a, p):
    with tenant_context(tenant_a):
        note = qbr_note_add(plan=p["plan"], actor=p["manager"].user, held_on=date(2025, 4, 2), notes="Q1 went well.")
        assert (note.author, note.held_on) == (p["manager"].user, date(2025, 4, 2))
        with pytest.raises(InvalidInput):
            qbr_note_add(plan=p["plan"], actor=p["manager"].user, held_on=date(2025, 4, 2), notes="  ")


# --- portal ---------------------------------------------------------------------------------
def test_manager_creates_a_plan_sets_goals_and_records_a_qbr_in_the_portal(tenant_a, p):
    client = portal_client(tenant_a, p["manager"].user)
    response = client.post(
        f"/partners/{p['other'].pk}/plans/",
        {"title": "Other FY25", "period_start": "2025-01-01", "period_end": "2025-12-31", "summary": "Grow"},
    )
    assert response.status_code == 302
    with tenant_context(tenant_a):
        plan = BusinessPlan.objects.get(partner=p["other"])
    path = f"/plans/{plan.pk}"
    assert client.post(f"{path}/goals", {"metric": "test_active_people", "target": "2"}).status_code == 302
    bad = client.post(f"{path}/goals", {"metric": "revenue_from_mars", "target": "2"})
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()
    assert client.post(f"{path}/qbr", {"held_on": "2025-04-01", "notes": "Kick-off done."}).status_code == 302
    page = client.get(f"{path}/").content.decode()
    assert "Active people (test)" in page and "50%" in page and "Kick-off done." in page
    overlap = client.post(f"{path}/edit", {"title": "x", "period_start": "2024-01-01", "period_end": "2024-12-31"})
    assert overlap.status_code == 302
    clash = client.post(
        f"/partners/{p['other'].pk}/plans/",
        {"title": "Clash", "period_start": "2024-06-01", "period_end": "2024-07-01"},
    )
    assert "already covers" in clash.content.decode()


def test_partner_admins_read_their_plans_reps_do_not(tenant_a, p):
    path = f"/plans/{p['plan'].pk}/"
    admin = portal_client(tenant_a, p["admin"].user)
    page = admin.get("/business-plan/").content.decode()
    assert "FY25 plan" in page and "50%" in page
    detail = admin.get(path).content.decode()
    assert "FY25 plan" in detail and "/goals" not in detail  # read only
    assert admin.post(f"/plans/{p['plan'].pk}/qbr", {"held_on": "2025-01-01", "notes": "x"}).status_code == 403
    rep = portal_client(tenant_a, p["rep"].user)
    assert rep.get("/business-plan/").status_code == 403 and rep.get(path).status_code == 403
    assert portal_client(tenant_a, p["other_admin"].user).get(path).status_code == 404
    staff = portal_client(tenant_a, p["staff"].user)
    assert staff.get(path).status_code == 200
    assert staff.post(f"/plans/{p['plan'].pk}/qbr", {"held_on": "2025-01-01", "notes": "x"}).status_code == 403


# --- API ------------------------------------------------------------------------------------
def test_api_plans_shape_and_scope(tenant_a, tenant_b, p):
    with tenant_context(tenant_a):
        qbr_note_add(plan=p["plan"], actor=p["manager"].user, held_on=date(2025, 4, 2), notes="Q1")
    client = portal_client(tenant_a)
    body = client.get("/api/v1/business-plans/", **bearer(p["admin"])).json()
    (plan,) = body["results"]
    assert plan["partner"] == {"id": p["partner"].pk, "name": "Nimbus IT"}
    assert plan["goals"] == [
        {
            "id": plan["goals"][0]["id"],
            "metric": "test_active_people",
            "metric_label": "Active people (test)",
            "unit": "count",
            "target": "4.00",
            "current": "2.00",
            "percent": 50,
            "note": "",
        }
    ]
    assert (
        plan["qbr_notes"][0]["author"]["id"] == p["manager"].user_id and plan["qbr_notes"][0]["held_on"] == "2025-04-02"
    )
    assert client.get("/api/v1/business-plans/", **bearer(p["other_admin"])).json()["count"] == 0
    assert client.get(f"/api/v1/business-plans/{p['plan'].pk}/", **bearer(p["other_admin"])).status_code == 404
    assert client.get("/api/v1/business-plans/", **bearer(p["rep"])).status_code == 403
    assert client.get(f"/api/v1/business-plans/?partner={p['other'].pk}", **bearer(p["staff"])).json()["count"] == 0


def test_api_plan_writes_are_for_managers(tenant_a, tenant_b, p):
    client, auth = portal_client(tenant_a), bearer(p["manager"])
    new = {"partner": p["other"].pk, "title": "API plan", "period_start": "2025-01-01", "period_end": "2025-06-30"}
    assert client.post("/api/v1/business-plans/", new, **bearer(p["other_admin"])).status_code == 403
    created = client.post("/api/v1/business-plans/", new, **auth)
    assert created.status_code == 201
    plan_id = created.json()["id"]
    assert client.post("/api/v1/business-plans/", new, **auth).status_code == 409
    b_partner = company_world(tenant_b)["partner"]
    foreign = client.post("/api/v1/business-plans/", {**new, "partner": b_partner.pk}, **auth)
    assert foreign.status_code == 400 and "partner" in foreign.json()["error"]["fields"]
    goal = client.post(f"/api/v1/business-plans/{plan_id}/goals/", {"metric": "nope", "target": "1"}, **auth)
    assert goal.status_code == 400 and "metric" in goal.json()["error"]["fields"]
    ok = client.post(
        f"/api/v1/business-plans/{plan_id}/goals/", {"metric": "test_active_people", "target": "1"}, **auth
    )
    assert ok.json()["goals"][0]["percent"] == 100
    qbr = client.post(f"/api/v1/business-plans/{plan_id}/qbr-notes/", {"held_on": "2025-03-01", "notes": "ok"}, **auth)
    assert qbr.status_code == 201 and qbr.json()["qbr_notes"][0]["notes"] == "ok"
    renamed = client.patch(
        f"/api/v1/business-plans/{plan_id}/", {"title": "Renamed"}, content_type="application/json", **auth
    )
    assert renamed.json()["title"] == "Renamed"
    assert client.delete(f"/api/v1/business-plans/{plan_id}/goals/test_active_people/", **auth).status_code == 204
    assert client.delete(f"/api/v1/business-plans/{plan_id}/goals/test_active_people/", **auth).status_code == 404
    with tenant_context(tenant_a):
        assert QbrNote.objects.filter(plan_id=plan_id, author=p["manager"].user).count() == 1


def test_api_plan_list_query_count_is_fixed(tenant_a, p, django_assert_num_queries):
    client, auth = portal_client(tenant_a), bearer(p["staff"])
    client.get("/api/v1/business-plans/", **auth)
    # tenant, context, token, membership; count, page, goals, QBR notes; the metric (once); leave context
    with django_assert_num_queries(10):
        client.get("/api/v1/business-plans/", **auth)
    with tenant_context(tenant_a):
        for year in (2026, 2027):
            plan = business_plan_create(
                partner=p["other"],
                actor=None,
                title=f"FY{year}",
                period_start=date(year, 1, 1),
                period_end=date(year, 12, 31),
            )
            business_plan_goal_set(plan=plan, actor=None, metric="test_active_people", target="1")
            qbr_note_add(plan=plan, actor=None, held_on=date(year, 3, 1), notes="x")
    with django_assert_num_queries(10):
        assert client.get("/api/v1/business-plans/", **auth).json()["count"] == 3
