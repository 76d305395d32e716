"""Logging manual activities: the service's rules, the API (who logs what, who sees what) and the admin."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from incentives.models import ActivityEvent
from incentives.services import activity_log
from prm.accounts.roles import Role
from prm.audit.models import AuditEvent
from prm.errors import Duplicate, InvalidInput, NotAllowed
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import MembershipFactory, PartnerFactory, issue_token, partner_member

URL = "/api/v1/incentives/activities/"
DAY = date(2026, 2, 3)


@pytest.fixture
def w(tenant_a):
    partner = PartnerFactory(program__tenant=tenant_a, name="Nimbus IT")
    other = PartnerFactory(program__tenant=tenant_a, name="Rival Systems")
    return {
        "partner": partner,
        "other": other,
        "manager": MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER),
        "staff": MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF),
        "admin": partner_member(partner, Role.PARTNER_ADMIN),
        "rep": partner_member(partner, Role.PARTNER_REP),
        "rep2": partner_member(partner, Role.PARTNER_REP),
        "other_admin": partner_member(other, Role.PARTNER_ADMIN),
        "other_rep": partner_member(other, Role.PARTNER_REP),
    }


def log(w, actor, kind="demo_logged", user=None, partner=None, occurred_on=DAY, reference="ref-1", **extra):
    return activity_log(
        actor=w[actor].user,
        kind=kind,
        user=(user or w[actor]).user,
        partner=partner or w["partner"],
        occurred_on=occurred_on,
        reference=reference,
        **extra,
    )


# --- the service -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_managers_record_webinars_for_anyone_and_reps_log_their_own_demos(tenant_a, w):
    with tenant_context(tenant_a):
        webinar = log(w, "manager", "webinar_attended", user=w["rep"], reference="webinar-7", description="Q1 launch")
        demo = log(w, "rep")
        assert (webinar.kind, webinar.user, webinar.partner, webinar.logged_by) == (
            "webinar_attended",
            w["rep"].user,
            w["partner"],
            w["manager"].user,
        )
        assert (demo.kind, demo.user, demo.logged_by) == ("demo_logged", w["rep"].user, w["rep"].user)
        assert AuditEvent.objects.filter(action="incentives.activity_log").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("actor", "kind", "user"),
    [
        ("rep", "demo_logged", "rep2"),  # someone else's demo
        ("rep", "webinar_attended", "rep"),  # webinars are recorded by managers
        ("admin", "demo_logged", "rep"),
        ("staff", "webinar_attended", "rep"),  # vendor staff only read
    ],
)
def test_what_others_may_not_log(tenant_a, w, actor, kind, user):
    with tenant_context(tenant_a):
        with pytest.raises(NotAllowed):
            log(w, actor, kind, user=w[user])
        assert not ActivityEvent.objects.exists()


@pytest.mark.django_db
def test_kind_person_date_and_reference_are_checked(tenant_a, w):
    with tenant_context(tenant_a):
        for kind in ("deal_won", "course_completed", "nonsense"):  # computed kinds are not logged by hand
            with pytest.raises(InvalidInput) as error:
                log(w, "manager", kind, user=w["rep"])
            assert "kind" in error.value.fields
        with pytest.raises(InvalidInput) as error:
            log(w, "manager", "webinar_attended", user=w["other_rep"])  # not a person of this partner
        assert "user" in error.value.fields
        tomorrow = timezone.localdate() + timedelta(days=2)
        with pytest.raises(InvalidInput) as error:
            log(w, "rep", occurred_on=tomorrow)
        assert "occurred_on" in error.value.fields
        with pytest.raises(InvalidInput) as error:
            log(w, "rep", reference="  ")
        assert "reference" in error.value.fields
        log(w, "rep")
        with pytest.raises(Duplicate):
            log(w, "rep")
        log(w, "rep2")  # the same reference of another person is another activity
        assert ActivityEvent.objects.count() == 2


# --- the API -----------------------------------------------------------------------------------------------------


def api(tenant, membership):
    client = portal_client(tenant)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(membership)}"}

    def call(method, path=URL, data=None, **headers):
        body = {} if method == "get" else {"data": json.dumps(data or {}), "content_type": "application/json"}
        return getattr(client, method)(path, **body, **auth, **headers)

    return call


@pytest.mark.django_db
def test_a_rep_logs_a_demo_by_api_defaults_to_self_and_own_partner(tenant_a, w):
    call = api(tenant_a, w["rep"])
    response = call("post", data={"kind": "demo_logged", "occurred_on": "2026-02-03", "reference": "crm-1"})
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["kind"], data["user"], data["partner"], data["reference"]) == (
        "demo_logged",
        w["rep"].user_id,
        w["partner"].pk,
        "crm-1",
    )
    again = call("post", data={"kind": "demo_logged", "occurred_on": "2026-02-03", "reference": "crm-1"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate"
    for_other = {"kind": "demo_logged", "user": w["rep2"].user_id, "occurred_on": "2026-02-03", "reference": "x"}
    assert call("post", data=for_other).status_code == 403
    other_partner = {"kind": "demo_logged", "partner": w["other"].pk, "occurred_on": "2026-02-03", "reference": "y"}
    assert call("post", data=other_partner).status_code == 400  # not a partner the rep may see


@pytest.mark.django_db
def test_a_manager_records_a_webinar_with_an_idempotency_key(tenant_a, w):
    call = api(tenant_a, w["manager"])
    body = {
        "kind": "webinar_attended",
        "user": w["rep"].user_id,
        "partner": w["partner"].pk,
        "occurred_on": "2026-02-03",
        "reference": "webinar-9",
    }
    first = call("post", data=body, HTTP_IDEMPOTENCY_KEY="k-1")
    replay = call("post", data=body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == replay.status_code == 201
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    bad = call("post", data={**body, "kind": "deal_won"})
    assert bad.status_code == 400
    missing_partner = {k: v for k, v in body.items() if k != "partner"}
    assert call("post", data={**missing_partner, "reference": "w-10"}).status_code == 400  # a manager names it
    with tenant_context(tenant_a):
        assert ActivityEvent.objects.count() == 1


@pytest.mark.django_db
def test_who_sees_which_activities(tenant_a, w):
    with tenant_context(tenant_a):
        mine = log(w, "rep")
        colleague = log(w, "rep2")
        webinar = log(w, "manager", "webinar_attended", user=w["rep2"], reference="webinar-1")
        elsewhere = log(w, "other_rep", partner=w["other"])

    def ids(who):
        response = api(tenant_a, w[who])("get")
        assert response.status_code == 200
        return sorted(row["id"] for row in response.json()["results"])

    assert ids("rep") == [mine.pk]
    assert ids("admin") == sorted([mine.pk, colleague.pk, webinar.pk])
    assert ids("other_admin") == [elsewhere.pk]
    assert ids("manager") == ids("staff") == sorted([mine.pk, colleague.pk, webinar.pk, elsewhere.pk])
    assert api(tenant_a, w["rep"])("get", f"{URL}{colleague.pk}/").status_code == 404
    assert api(tenant_a, w["admin"])("get", f"{URL}{elsewhere.pk}/").status_code == 404
    filtered = api(tenant_a, w["manager"])("get", f"{URL}?kind=webinar_attended").json()
    assert [row["id"] for row in filtered["results"]] == [webinar.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 15])
def test_the_list_has_a_fixed_query_count(tenant_a, w, count, django_assert_num_queries):
    with tenant_context(tenant_a):
        for i in range(count):
            log(w, "rep", reference=f"demo-{i}")
    call = api(tenant_a, w["admin"])
    call("get")
    # tenant, context, token, membership, partner of the user, count, rows, context reset
    with django_assert_num_queries(8):
        response = call("get")
    assert response.json()["count"] == count


# --- the admin ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_adds_through_the_service_and_shows_its_rules(tenant_a, w):
    client = portal_client(tenant_a, w["manager"].user)
    data = {
        "kind": "webinar_attended",
        "partner": w["partner"].pk,
        "user": w["other_rep"].user_id,
        "occurred_on": "2026-02-03",
        "reference": "webinar-3",
    }
    page = client.post("/admin/incentives/activityevent/add/", data)
    assert page.status_code == 200 and "This person does not work for this partner." in page.content.decode()
    response = client.post("/admin/incentives/activityevent/add/", {**data, "user": w["rep"].user_id})
    assert response.status_code == 302
    with tenant_context(tenant_a):
        event = ActivityEvent.objects.get()
        assert (event.user, event.logged_by) == (w["rep"].user, w["manager"].user)
    assert client.get("/admin/incentives/activityevent/").status_code == 200
    assert client.get(f"/admin/incentives/activityevent/{event.pk}/change/").status_code == 200
    staff = portal_client(tenant_a, w["staff"].user)
    assert staff.get("/admin/incentives/activityevent/").status_code == 200
    assert staff.get("/admin/incentives/activityevent/add/").status_code == 403
