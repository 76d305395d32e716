"""/api/v1/programs/: every member reads; tenant admins write through the services."""

import pytest

from partners.models import Program
from prm.accounts.roles import Role
from prm.audit.models import AuditEvent
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import (
    AgreementFactory,
    ChecklistStepTemplateFactory,
    MembershipFactory,
    ProgramFactory,
    issue_token,
    partner_member,
)

from .onboard_world import onboarding_partner, program_with_checklist


def bearer(membership) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(membership)}"}


@pytest.fixture
def admin(tenant_a):
    return bearer(MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN))


def test_every_member_reads_programs_with_checklist_and_current_agreement(tenant_a):
    program = program_with_checklist(tenant_a)
    AgreementFactory(program=program, version=2, title="Draft v2", published_at=None)
    rep = partner_member(onboarding_partner(program), role=Role.PARTNER_REP)
    client = portal_client(tenant_a)
    for membership in (rep, MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF)):
        body = client.get(f"/api/v1/programs/{program.pk}/", **bearer(membership)).json()
        assert body["slug"] == program.slug and body["onboarding_target_days"] == 60
        assert [step["kind"] for step in body["checklist"]] == [
            "accept_agreement",
            "complete_profile",
            "manual",
            "upload_logo",
        ]
        assert body["checklist"][0]["kind_label"] == "Accept the partner agreement"
        assert body["current_agreement"]["version"] == 1  # the draft is not current
        assert {
            "rules_of_engagement",
            "application_questions",
            "promotions_need_approval",
            "demotion_grace_days",
        } <= set(body)


def test_program_list_query_count_is_fixed_and_filterable(tenant_a, admin, django_assert_num_queries):
    program_with_checklist(tenant_a)
    client = portal_client(tenant_a)
    client.get("/api/v1/programs/", **admin)
    # tenant, enter context, token, membership, count, programs, checklists, agreements, leave context
    with django_assert_num_queries(9):
        client.get("/api/v1/programs/", **admin)
    for _ in range(4):
        program_with_checklist(tenant_a)
    with django_assert_num_queries(9):
        assert client.get("/api/v1/programs/", **admin).json()["count"] == 5
    ProgramFactory(tenant=tenant_a, kind="referral")
    assert [row["kind"] for row in client.get("/api/v1/programs/?kind=referral", **admin).json()["results"]] == [
        "referral"
    ]
    assert client.get("/api/v1/programs/?kind=nonsense", **admin).status_code == 400


def test_tenant_admins_create_and_update_programs(tenant_a, admin):
    client = portal_client(tenant_a)
    payload = {
        "name": "Solutions",
        "slug": "solutions",
        "kind": "solutions",
        "onboarding_target_days": 45,
        "application_questions": [{"key": "why", "label": "Why us?", "required": True}],
    }
    created = client.post("/api/v1/programs/", payload, content_type="application/json", **admin)
    assert (
        created.status_code == 201 and created.json()["checklist"] == [] and created.json()["current_agreement"] is None
    )
    program_id = created.json()["id"]
    duplicate = client.post("/api/v1/programs/", payload, content_type="application/json", **admin)
    assert duplicate.status_code == 409 and duplicate.json()["error"]["code"] == "duplicate"
    bad = client.post(
        "/api/v1/programs/",
        {**payload, "slug": "other", "application_questions": [{"key": "why"}]},
        content_type="application/json",
        **admin,
    )
    assert bad.status_code == 400 and bad.json()["error"]["fields"]["application_questions"] == [
        "Question 1: needs a key and a label."
    ]
    zero = client.patch(
        f"/api/v1/programs/{program_id}/", {"onboarding_target_days": 0}, content_type="application/json", **admin
    )
    assert zero.status_code == 400 and "onboarding_target_days" in zero.json()["error"]["fields"]
    updated = client.patch(
        f"/api/v1/programs/{program_id}/", {"summary": "For agencies"}, content_type="application/json", **admin
    )
    assert updated.status_code == 200 and updated.json()["summary"] == "For agencies"
    with tenant_context(tenant_a):
        assert Program.objects.count() == 1 and Program.objects.get().onboarding_target_days == 45
        assert list(
            AuditEvent.objects.filter(action__startswith="program.").values_list("action", flat=True).order_by("id")
        ) == [
            "program.create",
            "program.update",
        ]


@pytest.mark.parametrize("role", [Role.CHANNEL_MANAGER, Role.VENDOR_STAFF, Role.PARTNER_ADMIN])
def test_only_tenant_admins_write_programs(tenant_a, role):
    program = ProgramFactory(tenant=tenant_a)
    ChecklistStepTemplateFactory(program=program)
    if role == Role.PARTNER_ADMIN:
        membership = partner_member(onboarding_partner(program))
    else:
        membership = MembershipFactory(tenant=tenant_a, role=role)
    client = portal_client(tenant_a)
    auth = bearer(membership)
    assert (
        client.post(
            "/api/v1/programs/", {"name": "X", "slug": "x"}, content_type="application/json", **auth
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"/api/v1/programs/{program.pk}/", {"name": "Y"}, content_type="application/json", **auth
        ).status_code
        == 403
    )
