"""People of a partner company: partner admins invite and manage reps; reps cannot; partners never see each other."""

import pytest
from django.core import mail

from partners.models import PartnerUser
from prm.accounts.models import Membership
from prm.accounts.roles import Role
from prm.tenancy.context import tenant_context
from tests.conftest import portal_client
from tests.factories import PartnerFactory, ProgramFactory, partner_member

from .company_setup import bearer, company_world


@pytest.fixture
def w(tenant_a):
    return company_world(tenant_a)


def link_of(tenant, membership) -> PartnerUser:
    with tenant_context(tenant):
        return PartnerUser.objects.get(membership=membership)


def test_the_people_page_lists_only_the_own_company(tenant_a, w):
    page = portal_client(tenant_a, w["admin"].user).get("/people/").content.decode()
    assert w["admin"].user.email in page and w["rep"].user.email in page
    assert w["other_admin"].user.email not in page and w["manager"].user.email not in page


@pytest.mark.parametrize("who", ["rep", "manager", "staff"])
def test_only_partner_admins_get_the_people_page(tenant_a, w, who):
    client = portal_client(tenant_a, w[who].user)
    assert client.get("/people/").status_code == 403
    assert client.post("/people/", {"email": "x@example.com", "role": "partner_rep"}).status_code == 403
    link = link_of(tenant_a, w["rep"])
    assert client.post(f"/people/{link.pk}/deactivate").status_code == 403


def test_invite_sends_an_email_and_lists_the_invitee(tenant_a, w, celery_eager, django_capture_on_commit_callbacks):
    client = portal_client(tenant_a, w["admin"].user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/people/", {"email": "New.Rep@Nimbus.example", "full_name": "New Rep", "role": "partner_rep"}
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["new.rep@nimbus.example"]]
    with tenant_context(tenant_a):
        link = PartnerUser.objects.select_related("membership").get(membership__user__email="new.rep@nimbus.example")
    assert link.partner_id == w["partner"].pk and link.membership.role == Role.PARTNER_REP
    assert "new.rep@nimbus.example" in client.get("/people/").content.decode()


def test_same_email_at_another_vendor_is_fine_but_not_at_another_partner_of_this_vendor(
    tenant_a, tenant_b, w, celery_eager, django_capture_on_commit_callbacks
):
    b = company_world(tenant_b)
    email = w["rep"].user.email
    with django_capture_on_commit_callbacks(execute=True):
        response = portal_client(tenant_b, b["admin"].user).post("/people/", {"email": email, "role": "partner_admin"})
    assert response.status_code == 302
    refused = portal_client(tenant_a, w["other_admin"].user).post("/people/", {"email": email, "role": "partner_rep"})
    assert (
        refused.status_code == 200 and "already belongs to another partner of this vendor" in refused.content.decode()
    )
    with tenant_context(tenant_a):
        assert PartnerUser.objects.filter(membership__user__email=email).count() == 1


def test_the_last_partner_admin_cannot_be_deactivated_or_demoted(tenant_a, w):
    client = portal_client(tenant_a, w["admin"].user)
    link = link_of(tenant_a, w["admin"])
    response = client.post(f"/people/{link.pk}/deactivate", HTTP_HX_REQUEST="true")
    assert "at least one active partner admin" in response.content.decode()
    response = client.post(f"/people/{link.pk}/role", {"role": "partner_rep"}, HTTP_HX_REQUEST="true")
    assert "at least one active partner admin" in response.content.decode()
    with tenant_context(tenant_a):
        assert Membership.objects.get(pk=w["admin"].pk).is_active


def test_deactivate_reactivate_and_promote_a_rep(tenant_a, w):
    client = portal_client(tenant_a, w["admin"].user)
    link = link_of(tenant_a, w["rep"])
    row = client.post(f"/people/{link.pk}/deactivate", HTTP_HX_REQUEST="true").content.decode()
    assert f'id="person-{link.pk}"' in row and "Deactivated" in row
    client.post(f"/people/{link.pk}/reactivate")
    client.post(f"/people/{link.pk}/role", {"role": "partner_admin"})
    with tenant_context(tenant_a):
        rep = Membership.objects.get(pk=w["rep"].pk)
    assert rep.is_active and rep.role == Role.PARTNER_ADMIN
    assert client.post(f"/people/{link.pk}/explode").status_code == 404


def test_another_partners_people_are_404(tenant_a, w):
    client = portal_client(tenant_a, w["admin"].user)
    foreign = link_of(tenant_a, w["other_admin"])
    assert client.post(f"/people/{foreign.pk}/deactivate").status_code == 404
    assert client.post(f"/people/{foreign.pk}/role", {"role": "partner_rep"}).status_code == 404
    with tenant_context(tenant_a):
        assert Membership.objects.get(pk=w["other_admin"].pk).is_active


# --- API ---------------------------------------------------------------------------------------
def test_api_lists_a_partners_users_for_its_admin_and_vendor_staff(tenant_a, w):
    client = portal_client(tenant_a)
    path = f"/api/v1/partners/{w['partner'].pk}/users/"
    body = client.get(path, **bearer(w["admin"])).json()
    assert body["count"] == 2
    first = next(row for row in body["results"] if row["email"] == w["admin"].user.email)
    assert set(first) == {"id", "email", "full_name", "role", "is_active", "last_login_at", "invited_at"}
    assert first["id"] == w["admin"].user_id and first["role"] == "partner_admin"
    assert client.get(path, **bearer(w["staff"])).status_code == 200
    assert client.get(path, **bearer(w["rep"])).status_code == 403
    assert client.get(path, **bearer(w["other_admin"])).status_code == 404


def test_api_invite_and_deactivate(tenant_a, w, celery_eager, django_capture_on_commit_callbacks):
    client = portal_client(tenant_a)
    path = f"/api/v1/partners/{w['partner'].pk}/users/"
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(path, {"email": "api.rep@nimbus.example", "role": "partner_rep"}, **bearer(w["admin"]))
    assert created.status_code == 201 and created.json()["email"] == "api.rep@nimbus.example"
    assert mail.outbox[0].to == ["api.rep@nimbus.example"]
    again = client.post(path, {"email": "api.rep@nimbus.example", "role": "partner_rep"}, **bearer(w["admin"]))
    assert again.status_code == 409
    user_id = created.json()["id"]
    done = client.post(f"{path}{user_id}/deactivate", **bearer(w["admin"]))
    assert done.status_code == 200 and done.json()["is_active"] is False
    twice = client.post(f"{path}{user_id}/deactivate", **bearer(w["admin"]))
    assert twice.status_code == 409 and twice.json()["error"]["current_state"] == "inactive"
    assert client.post(f"{path}{user_id}/reactivate", **bearer(w["manager"])).json()["is_active"] is True
    last = client.post(f"{path}{w['admin'].user_id}/deactivate", **bearer(w["admin"]))
    assert last.status_code == 409


def test_api_people_writes_are_refused_to_reps_staff_and_other_partners(tenant_a, w):
    client = portal_client(tenant_a)
    path = f"/api/v1/partners/{w['partner'].pk}/users/"
    invite = {"email": "x@example.com", "role": "partner_rep"}
    assert client.post(path, invite, **bearer(w["rep"])).status_code == 403
    assert client.post(path, invite, **bearer(w["staff"])).status_code == 403
    assert client.post(path, invite, **bearer(w["other_admin"])).status_code == 404
    assert client.post(f"{path}{w['rep'].user_id}/deactivate", **bearer(w["other_admin"])).status_code == 404
    # a user of another partner is not a person of this one
    other_user = w["other_admin"].user_id
    assert client.post(f"{path}{other_user}/deactivate", **bearer(w["admin"])).status_code == 404
    bad = client.post(path, {"email": "nope", "role": "channel_manager"}, **bearer(w["admin"]))
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"email", "role"}


def test_offboarded_partners_cannot_invite(tenant_a, w):
    partner = PartnerFactory(program=ProgramFactory(tenant=tenant_a), status="offboarded")
    admin = partner_member(partner)
    response = portal_client(tenant_a).post(
        f"/api/v1/partners/{partner.pk}/users/", {"email": "x@example.com", "role": "partner_rep"}, **bearer(admin)
    )
    assert response.status_code == 409 and response.json()["error"]["current_state"] == "offboarded"
