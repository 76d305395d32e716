"""Admin of incentive programs, runs, enrollments and settings: saved and acted on through the services."""

import json
from datetime import date

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from incentives.models import IncentiveProgram, IncentiveSettings, RuleVersion, Run
from incentives.periods import period_containing
from incentives.services import enrollment_accept, run_request
from partners.services.tiers import tenant_today
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import MembershipFactory, PartnerFactory, TierFactory, partner_member

from .factories import incentive_program

PROGRAMS = "/admin/incentives/incentiveprogram/"
RUNS = "/admin/incentives/run/"
REBATE = {"bands": [{"from": "0", "rate": "0"}, {"from": "100000", "rate": "2"}]}


@pytest.fixture
def manager(tenant_a):
    return MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER)


@pytest.fixture
def admin_client(tenant_a, manager):
    return portal_client(tenant_a, manager.user)


def _add_data(**extra):
    return {
        "name": "Volume rebate",
        "slug": "",
        "kind": "rebate",
        "summary": "",
        "description": "",
        "award_to": "partner",
        "unit": "money",
        "currency": "EUR",
        "budget": "",
        "channel_manager_share_pct": "",
        "period_scheme": "quarter",
        "starts_on": "2026-01-01",
        "ends_on": "",
        "terms": "",
        "params": json.dumps(REBATE),
        **extra,
    }


def test_add_a_program_with_eligibility_choices_and_its_first_rules(tenant_a, admin_client):
    gold = TierFactory(program__tenant=tenant_a, name="Gold")
    form = admin_client.get(f"{PROGRAMS}add/")
    assert form.status_code == 200
    assert "Gold" in form.content.decode() and 'name="params"' in form.content.decode()
    data = _add_data(eligible_tier_ids=[str(gold.pk)], eligible_regions=["europe", "asia_pacific"])
    response = admin_client.post(f"{PROGRAMS}add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    with tenant_context(tenant_a):
        program = IncentiveProgram.objects.get()
        assert program.slug == "volume-rebate" and program.status == "draft"
        assert program.eligible_tier_ids == [gold.pk]
        assert program.eligible_regions == ["asia_pacific", "europe"]
        assert RuleVersion.objects.get(program=program).params["bands"][1] == {"from": "100000", "rate": "2"}


def test_add_refuses_bad_rules_and_a_used_slug(tenant_a, admin_client):
    incentive_program(tenant_a, name="Taken", slug="taken")
    response = admin_client.post(f"{PROGRAMS}add/", _add_data(params=json.dumps({"bands": "x"})))
    assert response.status_code == 200
    assert "params" in response.context["adminform"].form.errors
    response = admin_client.post(f"{PROGRAMS}add/", _add_data(slug="taken"))
    assert "slug" in response.context["adminform"].form.errors
    with tenant_context(tenant_a):
        assert IncentiveProgram.objects.count() == 1


def test_change_page_shows_versions_read_only_and_saves_through_the_service(tenant_a, admin_client):
    program = incentive_program(tenant_a, name="Rebate", currency="USD", params=REBATE)
    page = admin_client.get(f"{PROGRAMS}{program.pk}/change/").content.decode()
    assert "100000" in page and 'name="params"' not in page
    assert f"{RUNS}?program__id__exact={program.pk}" in page
    data = _add_data(name="Rebate", slug=program.slug, currency="EUR", summary="Grow together")
    data.pop("params")
    data |= {"rule_versions-TOTAL_FORMS": "1", "rule_versions-INITIAL_FORMS": "1"}
    response = admin_client.post(f"{PROGRAMS}{program.pk}/change/", data)
    assert response.status_code == 302, (response.context["adminform"].form.errors, response.context["errors"])
    with tenant_context(tenant_a):
        program.refresh_from_db()
        assert program.summary == "Grow together" and program.currency == "EUR"


def _action(client, action, pks, follow=False, **data):
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks], **data}
    return client.post(PROGRAMS, data, follow=follow)


def test_activate_and_end_actions(tenant_a, admin_client):
    draft = incentive_program(tenant_a, status="draft")
    _action(admin_client, "activate", [draft.pk])
    with tenant_context(tenant_a):
        draft.refresh_from_db()
        assert draft.status == "active"
    again = _action(admin_client, "activate", [draft.pk], follow=True).content.decode()
    assert "cannot become Active" in again
    _action(admin_client, "end", [draft.pk])
    with tenant_context(tenant_a):
        draft.refresh_from_db()
        assert draft.status == "ended"


def test_new_rule_version_action(tenant_a, admin_client):
    program = incentive_program(tenant_a, params=REBATE)
    page = _action(admin_client, "new_rule_version", [program.pk])
    assert page.status_code == 200
    content = page.content.decode()
    with tenant_context(tenant_a):
        next_period = period_containing(tenant_today(), "quarter").next().starts_on.isoformat()
    assert "100000" in content and next_period in content  # current rules and the next period, prefilled
    new = {"params": json.dumps({**REBATE, "mode": "incremental"}), "effective_from": "2027-01-01", "note": "Incr"}
    response = _action(admin_client, "new_rule_version", [program.pk], apply="1", **new)
    assert response.status_code == 302
    with tenant_context(tenant_a):
        latest = RuleVersion.objects.filter(program=program).order_by("-version").first()
        assert (latest.version, latest.params["mode"], latest.note) == (2, "incremental", "Incr")


def test_new_rule_version_action_shows_the_services_refusal(tenant_a, admin_client):
    program = incentive_program(tenant_a, params=REBATE)
    other = incentive_program(tenant_a)
    misaligned = {"params": json.dumps(REBATE), "effective_from": "2027-01-02", "note": ""}
    response = _action(admin_client, "new_rule_version", [program.pk], apply="1", **misaligned)
    assert response.status_code == 200 and "Must be the first day of a period." in response.content.decode()
    two = _action(admin_client, "new_rule_version", [program.pk, other.pk], follow=True)
    assert "Choose exactly one program" in two.content.decode()
    with tenant_context(tenant_a):
        assert RuleVersion.objects.filter(program=program).count() == 1


def test_run_now_action(tenant_a, admin_client):
    program = incentive_program(tenant_a)
    draft = incentive_program(tenant_a, status="draft")
    assert _action(admin_client, "run_now", [program.pk]).status_code == 200  # asks for the period
    response = _action(admin_client, "run_now", [program.pk, draft.pk], apply="1", period="2026-Q2", follow=True)
    content = response.content.decode()
    assert "1 run queued." in content and "activate it first" in content
    with tenant_context(tenant_a):
        run = Run.objects.get()
        assert (run.program_id, run.period, run.kind) == (program.pk, "2026-Q2", "manual")


def test_run_list_shows_progress_and_re_executes_failed_runs(
    tenant_a, admin_client, django_capture_on_commit_callbacks
):
    program = incentive_program(tenant_a)
    with tenant_context(tenant_a):
        failed = run_request(program=program, period_key="2026-Q1", kind="manual")
        queued = run_request(program=program, period_key="2026-Q2", kind="manual")
        Run.objects.filter(pk=failed.pk).update(status="failed", chunks_total=4, chunks_done=1, error="boom")
    page = admin_client.get(RUNS).content.decode()
    assert '<progress max="100" value="25">' in page and "1/4" in page
    assert admin_client.get(f"{RUNS}?program__id__exact={program.pk}").status_code == 200
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            RUNS, {"action": "reexecute", ACTION_CHECKBOX_NAME: [str(failed.pk), str(queued.pk)]}, follow=True
        )
    content = response.content.decode()
    assert "1 run queued." in content and "Only failed runs are re-executed" in content
    assert len(callbacks) == 1


def test_staff_read_but_do_not_act(tenant_a):
    staff = MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF)
    program = incentive_program(tenant_a, status="draft")
    client = portal_client(tenant_a, staff.user)
    page = client.get(PROGRAMS)
    assert page.status_code == 200 and program.name in page.content.decode()
    assert 'value="activate"' not in page.content.decode()
    assert client.get(f"{PROGRAMS}add/").status_code == 403
    _action(client, "activate", [program.pk])
    with tenant_context(tenant_a):
        program.refresh_from_db()
        assert program.status == "draft"


def test_enrollments_are_listed_read_only(tenant_a, admin_client):
    partner = PartnerFactory(program__tenant=tenant_a, name="Initech")
    program = incentive_program(tenant_a, requires_opt_in=True)
    with tenant_context(tenant_a):
        enrollment_accept(program=program, partner=partner, actor=partner_member(partner).user)
    page = admin_client.get("/admin/incentives/enrollment/")
    assert page.status_code == 200 and "Initech" in page.content.decode()
    assert admin_client.get("/admin/incentives/enrollment/add/").status_code == 403


def test_settings_open_the_one_row_and_save(tenant_a, admin_client):
    response = admin_client.get("/admin/incentives/incentivesettings/")
    with tenant_context(tenant_a):
        row = IncentiveSettings.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/incentivesettings/{row.pk}/change/")
    assert admin_client.get("/admin/incentives/incentivesettings/").url == response.url  # still one row
    data = {"close_after_days": "9", "points_expiry_months": "12", "leaderboard_published": "on"}
    assert admin_client.post(response.url, data).status_code == 302
    with tenant_context(tenant_a):
        row.refresh_from_db()
        assert (row.close_after_days, row.leaderboard_published, row.leaderboard_show_names) == (9, True, False)
        assert IncentiveSettings.objects.count() == 1


def test_program_periods_are_from_the_service(tenant_a):
    # The admin's "run now" default period is the program's current one (the service checks the window).
    program = incentive_program(tenant_a, starts_on=date(2030, 1, 1))
    client = portal_client(tenant_a, MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN).user)
    _action(client, "run_now", [program.pk], apply="1", period="")
    with tenant_context(tenant_a):
        assert Run.objects.get().period == "2030-Q1"


def test_operators_read_across_tenants(tenant_a, tenant_b):
    from tests.factories import UserFactory

    program = incentive_program(tenant_b, name="Globex rebate")
    with tenant_context(tenant_b):
        run = run_request(program=program, period_key="2026-Q1", kind="manual")
    client = portal_client(None, UserFactory(is_staff=True, is_superuser=True))
    assert "Globex rebate" in client.get(PROGRAMS).content.decode()
    assert client.get(f"{PROGRAMS}{program.pk}/change/").status_code == 200
    assert client.get(f"{RUNS}{run.pk}/change/").status_code == 200
    assert client.get("/admin/incentives/incentivesettings/").status_code == 200
    assert client.get(f"{PROGRAMS}add/").status_code == 403
