import pytest
from django.contrib import admin
from django.core import mail
from django.test import RequestFactory

from prm.accounts.admin import MembershipAdmin
from prm.accounts.models import Membership
from prm.accounts.roles import Role
from prm.audit.models import AuditEvent
from prm.tenancy.context import all_tenants, tenant_context
from prm.tenancy.models import Tenant
from tests.conftest import portal_client
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def people(tenant_a, tenant_b):
    return {
        "admin": MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN),
        "manager": MembershipFactory(tenant=tenant_a, role=Role.CHANNEL_MANAGER),
        "staff": MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF),
        "foreign": MembershipFactory(tenant=tenant_b, role=Role.TENANT_ADMIN),
        "operator": UserFactory(is_staff=True, is_superuser=True),
    }


def admin_client(tenant, user):
    return portal_client(tenant, user)


def test_changelists_show_only_the_tenants_rows(tenant_a, people):
    response = admin_client(tenant_a, people["admin"].user).get("/admin/accounts/membership/")
    content = response.content.decode()
    assert response.status_code == 200
    assert people["staff"].user.email in content
    assert people["foreign"].user.email not in content


def test_another_tenants_object_does_not_exist_here(tenant_a, people):
    client = admin_client(tenant_a, people["admin"].user)
    response = client.get(f"/admin/accounts/membership/{people['foreign'].pk}/change/", follow=True)
    assert "doesn’t exist" in response.content.decode()


def test_user_choices_are_limited_to_the_tenants_members(tenant_a, people):
    request = RequestFactory().get("/admin/")
    request.is_platform_host = False
    model_admin = MembershipAdmin(Membership, admin.site)
    with tenant_context(tenant_a):
        field = model_admin.formfield_for_foreignkey(Membership._meta.get_field("invited_by"), request)
        choices = set(field.queryset)
    assert choices == {people[k].user for k in ("admin", "manager", "staff")}


def test_adding_in_admin_invites_through_the_service(
    tenant_a, people, celery_eager, django_capture_on_commit_callbacks
):
    client = admin_client(tenant_a, people["admin"].user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/accounts/membership/add/", {"email": "new@example.com", "full_name": "New", "role": "vendor_staff"}
        )
    assert response.status_code == 302
    with tenant_context(tenant_a):
        membership = Membership.objects.get(user__email="new@example.com")
        assert AuditEvent.objects.filter(action="membership.invite", object_id=str(membership.pk)).exists()
    assert membership.tenant_id == tenant_a.pk
    assert mail.outbox[0].to == ["new@example.com"]


@pytest.mark.parametrize("who", ["manager", "staff"])
def test_only_tenant_admins_manage_members(tenant_a, people, who):
    client = admin_client(tenant_a, people[who].user)
    assert client.get("/admin/accounts/membership/").status_code == 200  # read
    assert client.get("/admin/accounts/membership/add/").status_code == 403
    response = client.post(
        f"/admin/accounts/membership/{people['staff'].pk}/change/", {"role": "tenant_admin", "is_active": "on"}
    )
    assert response.status_code == 403


def test_vendor_staff_has_no_write_access_anywhere(tenant_a, people):
    client = admin_client(tenant_a, people["staff"].user)
    index = client.get("/admin/").content.decode()
    assert "addlink" not in index and "changelink" not in index
    assert client.post(f"/admin/tenancy/tenant/{tenant_a.pk}/change/", {"portal_title": "x"}).status_code == 403


def test_audit_trail_is_for_tenant_admins(tenant_a, people):
    assert admin_client(tenant_a, people["admin"].user).get("/admin/audit/auditevent/").status_code == 200
    assert admin_client(tenant_a, people["manager"].user).get("/admin/audit/auditevent/").status_code == 403
    with tenant_context(tenant_a):
        event = AuditEvent.objects.create(actor_label="x", action="demo")
    response = admin_client(tenant_a, people["admin"].user).post(
        f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403


def test_tenant_admin_edits_only_their_own_portal_settings(tenant_a, tenant_b, people):
    client = admin_client(tenant_a, people["admin"].user)
    listing = client.get("/admin/tenancy/tenant/").content.decode()
    assert "Acme Cloud" in listing and "Globex" not in listing
    assert client.get(f"/admin/tenancy/tenant/{tenant_b.pk}/change/", follow=True).status_code == 200
    assert client.get("/admin/tenancy/tenant/add/").status_code == 403
    form = {"portal_title": "Acme Partners", "primary_color": "#000000", "accent_color": "#ffffff",
            "support_email": "", "timezone": "UTC", "currency": "USD", "default_language": "en"}  # fmt: skip
    assert client.post(f"/admin/tenancy/tenant/{tenant_a.pk}/change/", form).status_code == 302
    assert Tenant.objects.get(pk=tenant_a.pk).portal_title == "Acme Partners"
    assert Tenant.objects.get(pk=tenant_a.pk).slug == "acme"


@pytest.mark.parametrize(
    "path", ["/admin/accounts/user/", "/admin/django_celery_beat/periodictask/", "/admin/account/emailaddress/"]
)
def test_platform_models_are_hidden_on_tenant_hosts(tenant_a, people, path):
    client = admin_client(tenant_a, people["admin"].user)
    assert client.get(path).status_code == 403
    assert f'href="{path}"' not in client.get("/admin/").content.decode()


def test_no_recent_actions_sidebar(tenant_a, people):
    assert "Recent actions" not in admin_client(tenant_a, people["admin"].user).get("/admin/").content.decode()


def test_operators_see_all_tenants_read_only(tenant_a, tenant_b, people):
    client = portal_client(None, people["operator"])
    listing = client.get("/admin/accounts/membership/").content.decode()
    assert people["staff"].user.email in listing and people["foreign"].user.email in listing
    assert "Globex Software" in listing  # the tenant column
    assert client.get("/admin/accounts/membership/add/").status_code == 403
    assert client.get("/admin/django_celery_beat/periodictask/").status_code == 200


def test_operators_create_tenants_with_a_first_admin(people, celery_eager, django_capture_on_commit_callbacks):
    client = portal_client(None, people["operator"])
    form = {"slug": "initech", "name": "Initech", "admin_email": "boss@initech.example", "portal_title": "",
            "primary_color": "#1f4fd8", "accent_color": "#f59e0b", "support_email": "", "timezone": "UTC",
            "currency": "USD", "default_language": "en"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/tenancy/tenant/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    tenant = Tenant.objects.get(slug="initech")
    with all_tenants():
        membership = Membership.objects.get(tenant=tenant)
        actions = set(AuditEvent.objects.filter(tenant=tenant).values_list("action", flat=True))
    assert (membership.user.email, membership.role) == ("boss@initech.example", Role.TENANT_ADMIN)
    assert actions == {"tenant.create", "membership.invite"}
    assert "http://initech.localhost:8000/accounts/password/reset/key/" in mail.outbox[0].body


def test_operators_add_custom_domains(tenant_a, people):
    client = portal_client(None, people["operator"])
    form = {"name": "Acme Cloud", "status": "active", "portal_title": "", "primary_color": "#0f3d91",
            "accent_color": "#f59e0b", "support_email": "", "timezone": "UTC", "currency": "USD",
            "default_language": "en", "domains-TOTAL_FORMS": "1", "domains-INITIAL_FORMS": "0",
            "domains-0-hostname": "Partners.Acme.example", "domains-0-is_primary": "on"}  # fmt: skip
    response = client.post(f"/admin/tenancy/tenant/{tenant_a.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert (
        portal_client(None).get("/accounts/login/", HTTP_HOST="partners.acme.example").wsgi_request.tenant == tenant_a
    )


def test_clearing_the_logo_in_admin_removes_it(tenant_a, people):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from prm.tenancy.services import tenant_update

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="PNG")
    with tenant_context(tenant_a):
        tenant_update(tenant=tenant_a, actor=None, logo=SimpleUploadedFile("l.png", buffer.getvalue()))
    form = {"portal_title": "", "primary_color": "#000000", "accent_color": "#ffffff", "support_email": "",
            "timezone": "UTC", "currency": "USD", "default_language": "en", "logo-clear": "on"}  # fmt: skip
    response = admin_client(tenant_a, people["admin"].user).post(f"/admin/tenancy/tenant/{tenant_a.pk}/change/", form)
    assert response.status_code == 302
    assert not Tenant.objects.get(pk=tenant_a.pk).logo
