"""GET /api/v1/mdf/roi/: the hand-computed figures (tests/mdf/roi_world.py) as decimal strings with currency,
partner users see only their company, bad parameters in the error envelope, another tenant's token 401 and its
rows absent, a fixed number of queries."""

import datetime

import pytest

from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.api_client import Api
from tests.conftest import portal_client
from tests.factories import MembershipFactory, issue_token
from tests.mdf.factories import FundFactory
from tests.mdf.roi_world import C2, C5, EXPECTED, TOTAL, campaign, campaign_lead, roi_world

URL = "/api/v1/mdf/roi/"
FIELDS = (
    "key",
    "label",
    "currency",
    "campaigns",
    "spend",
    "partner_cost",
    "leads",
    "deals",
    "won",
    "won_other_currency",
    "revenue",
    "roi",
    "cost_per_lead",
)


def as_json(row, world=None) -> dict:
    """An expected row as the API renders it: money and ratios as decimal strings (None as null)."""
    keys = {"alpha": str(world.alpha.pk), "beta": str(world.beta.pk)} if world else {}
    values = [keys.get(row[0], row[0]), *row[1:]]
    return {
        name: str(value)
        if name in ("spend", "partner_cost", "revenue", "roi", "cost_per_lead") and value is not None
        else value
        for name, value in zip(FIELDS, values, strict=True)
    }


@pytest.fixture
def world(tenant_a, tenant_b):
    roi_world(tenant_b, prefix="Globex-")
    return roi_world(tenant_a)


@pytest.fixture
def staff(tenant_a):
    return Api(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF))


@pytest.mark.django_db
@pytest.mark.parametrize("group_by", ["activity", "activity_type", "partner", "period"])
def test_vendor_staff_read_every_figure(world, staff, group_by):
    response = staff.get(URL, group_by=group_by)
    assert response.status_code == 200
    body = response.json()
    assert body["group_by"] == group_by
    assert body["count"] == len(EXPECTED[group_by])
    assert body["results"] == [as_json(row, world) for row in EXPECTED[group_by]]
    assert body["totals"] == [as_json(TOTAL)]


@pytest.mark.django_db
def test_money_is_decimal_strings_and_missing_ratios_are_null(world, staff):
    rows = {row["key"]: row for row in staff.get(URL).json()["results"]}  # group_by defaults to activity
    assert rows["C1"]["spend"] == "1000.00" and rows["C1"]["roi"] == "12.35" and rows["C1"]["currency"] == "USD"
    assert rows["C5"]["roi"] is None and rows["C5"]["cost_per_lead"] is None
    assert rows["C4"]["roi"] is None and rows["C4"]["cost_per_lead"] == "0.00"


@pytest.mark.django_db
def test_filters(world, staff):
    body = staff.get(URL, fund=world.q4.pk, partner=world.alpha.pk, activity_type=world.webinar.pk).json()
    assert body["results"] == [as_json(C5)]
    body = staff.get(URL, **{"from": "2026-10-01", "to": "2026-10-05"}).json()
    assert body["results"] == [as_json(C2)]


@pytest.mark.django_db
def test_a_partner_user_reads_only_its_company(world, tenant_a):
    alpha = Api(tenant_a, world.alpha_admin)
    body = alpha.get(URL).json()
    assert [row["key"] for row in body["results"]] == ["C1", "C2", "C5"]
    # Alpha = C1 + C2 + C5: spend 2500.00, revenue 21345.00 → ROI 8.54 (tests/mdf/roi_world.py)
    assert body["totals"] == [as_json(EXPECTED["partner"][0], world) | {"key": "total", "label": "Total"}]
    assert alpha.get(URL, partner=world.alpha.pk).json()["results"] == body["results"]
    # another partner is unknown to a partner user: refused, nothing of it shown
    response = alpha.get(URL, partner=world.beta.pk)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"partner": ["Unknown partner."]}
    by_partner = alpha.get(URL, group_by="partner").json()["results"]
    assert [row["label"] for row in by_partner] == ["Alpha Partner"]


@pytest.mark.django_db
def test_a_partner_role_without_a_company_is_refused(world, tenant_a):
    response = Api(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.PARTNER_REP)).get(URL)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"group_by": "week"}, {"group_by": ['"week" is not a valid choice.']}),
        ({"fund": "999999"}, {"fund": ["Unknown fund."]}),
        ({"activity_type": "999999"}, {"activity_type": ["Unknown activity type."]}),
        ({"partner": "abc"}, {"partner": ["Incorrect type. Expected pk value, received str."]}),
        ({"from": "2026-13-01"}, None),
        ({"from": "2026-10-02", "to": "2026-10-01"}, {"to": ["The end date is before the start date."]}),
    ],
)
def test_bad_parameters_are_400_in_the_envelope(world, staff, params, fields):
    response = staff.get(URL, **params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["message"] == "The ROI query is not valid."
    if fields is None:
        assert list(error["fields"]) == list(params)
    else:
        assert error["fields"] == fields


@pytest.mark.django_db
def test_another_tenants_rows_are_absent_and_its_ids_unknown(world, staff, tenant_b):
    body = staff.get(URL, group_by="partner").json()
    assert [row["label"] for row in body["results"]] == ["Alpha Partner", "Beta Partner"]
    assert body["totals"] == [as_json(TOTAL)]
    with tenant_context(tenant_b):
        b_fund = FundFactory(tenant=tenant_b, name="Globex fund")
    response = staff.get(URL, fund=b_fund.pk)
    assert response.status_code == 400 and response.json()["error"]["fields"] == {"fund": ["Unknown fund."]}


@pytest.mark.django_db
def test_another_tenants_token_and_no_token_are_401(world, tenant_a, tenant_b):
    b_token = issue_token(MembershipFactory(tenant=tenant_b, role=Role.TENANT_ADMIN))
    client = portal_client(tenant_a)
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {b_token}").status_code == 401
    assert client.get(URL).status_code == 401


# the tenant and its RLS setting (set and reset), the token, the membership, the fund filter's row, the report (2)
# (the token's first use in a minute also records it: warmed up first)
QUERIES = 8


@pytest.mark.django_db
def test_fixed_query_count(world, staff, tenant_a, django_assert_num_queries):
    def count():
        with django_assert_num_queries(QUERIES):
            assert staff.get(URL, group_by="activity", fund=world.q3.pk).status_code == 200

    staff.get(URL)
    count()
    with tenant_context(tenant_a):
        for n in range(5):
            extra = campaign(f"N{n}", world.campaigns["C1"].allocation, world.event, datetime.date(2026, 7, 20))
            campaign_lead(extra, ("won", "10.00"))
    count()
    assert len(staff.get(URL, group_by="activity").json()["results"]) == len(EXPECTED["activity"]) + 5


@pytest.mark.django_db
def test_schema_documents_the_parameters_and_the_response(tenant_a):
    schema = portal_client(tenant_a).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"][URL]["get"]
    assert {p["name"] for p in operation["parameters"]} == {
        "group_by",
        "fund",
        "partner",
        "activity_type",
        "from",
        "to",
    }
    assert set(operation["responses"]) >= {"200", "400", "401", "403"}
    row = schema["components"]["schemas"]["RoiRow"]["properties"]
    assert set(row) == set(FIELDS)
