import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from prm.accounts.models import Membership
from prm.accounts.roles import Role
from prm.audit.models import AuditEvent
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant
from tests.conftest import portal_client
from tests.factories import MembershipFactory

VALID_SETTINGS = {
    "primary_color": "#112233",
    "accent_color": "#ffcc00",
    "timezone": "UTC",
    "currency": "USD",
    "default_language": "en",
}


def png_bytes(size=(64, 32), colour="#ff0000") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def staff(tenant_a):
    return {
        role: MembershipFactory(tenant=tenant_a, role=role)
        for role in (Role.TENANT_ADMIN, Role.CHANNEL_MANAGER, Role.VENDOR_STAFF)
    }


def test_anonymous_visitors_are_sent_to_sign_in(tenant_a):
    response = portal_client(tenant_a).get("/")
    assert response.status_code == 302 and response.url == "/accounts/login/?next=/"


@pytest.mark.parametrize(
    ("role", "panels", "nav"),
    [
        (
            Role.TENANT_ADMIN,
            ["account", "team", "activity", "shortcuts"],
            ["Dashboard", "Admin", "Team", "Portal settings", "API tokens"],
        ),
        (Role.CHANNEL_MANAGER, ["account", "shortcuts"], ["Dashboard", "Admin", "API tokens"]),
        (Role.VENDOR_STAFF, ["account", "shortcuts"], ["Dashboard", "Admin", "API tokens"]),
    ],
)
def test_each_role_lands_on_its_own_dashboard(tenant_a, staff, role, panels, nav):
    response = portal_client(tenant_a, staff[role].user).get("/")
    content = response.content.decode()
    shown = [key for key in ["account", "team", "activity", "shortcuts"] if f'id="panel-{key}"' in content]
    assert shown == panels
    for label in nav:
        assert f">{label}</a>" in content
    for label in {"Team", "Portal settings"} - set(nav):
        assert f">{label}</a>" not in content


def test_dashboard_query_count_is_fixed(tenant_a, staff, django_assert_max_num_queries):
    client = portal_client(tenant_a, staff[Role.TENANT_ADMIN].user)
    client.get("/")
    with django_assert_max_num_queries(14):
        client.get("/")
    for _ in range(10):
        MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF)
    with django_assert_max_num_queries(14):
        client.get("/")


@pytest.mark.parametrize("path", ["/settings/team/", "/settings/portal/"])
@pytest.mark.parametrize("role", [Role.CHANNEL_MANAGER, Role.VENDOR_STAFF])
def test_admin_pages_are_forbidden_to_other_roles(tenant_a, staff, path, role):
    assert portal_client(tenant_a, staff[role].user).get(path).status_code == 403


def test_team_page_lists_members_and_invites(tenant_a, staff, celery_eager, django_capture_on_commit_callbacks):
    client = portal_client(tenant_a, staff[Role.TENANT_ADMIN].user)
    assert staff[Role.VENDOR_STAFF].user.email in client.get("/settings/team/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/settings/team/", {"email": "zoe@example.com", "role": "channel_manager"}, follow=True)
    assert "Invitation sent to zoe@example.com." in response.content.decode()
    duplicate = client.post("/settings/team/", {"email": "zoe@example.com", "role": "vendor_staff"})
    assert "already a member" in duplicate.content.decode()


def test_team_page_query_count_is_fixed(tenant_a, staff, django_assert_max_num_queries):
    client = portal_client(tenant_a, staff[Role.TENANT_ADMIN].user)
    client.get("/settings/team/")
    with django_assert_max_num_queries(10) as few:
        client.get("/settings/team/")
    for _ in range(15):
        MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/settings/team/")


def test_htmx_role_change_swaps_the_row_and_explains_refusals(tenant_a, staff):
    admin = staff[Role.TENANT_ADMIN]
    client = portal_client(tenant_a, admin.user)
    manager = staff[Role.CHANNEL_MANAGER]
    row = client.post(f"/settings/team/{manager.pk}/role", {"role": "vendor_staff"}, HTTP_HX_REQUEST="true")
    assert row.content.decode().lstrip().startswith(f'<tr id="member-{manager.pk}"')
    assert "Role changed." in row.content.decode()
    refused = client.post(f"/settings/team/{admin.pk}/deactivate", HTTP_HX_REQUEST="true")
    assert "A portal needs at least one active tenant admin." in refused.content.decode()
    with tenant_context(tenant_a):
        assert Membership.objects.get(pk=manager.pk).role == Role.VENDOR_STAFF
        assert Membership.objects.get(pk=admin.pk).is_active


def test_member_actions_on_another_tenants_member_are_404(tenant_a, tenant_b, staff):
    foreign = MembershipFactory(tenant=tenant_b)
    client = portal_client(tenant_a, staff[Role.TENANT_ADMIN].user)
    assert client.post(f"/settings/team/{foreign.pk}/deactivate").status_code == 404
    assert client.post(f"/settings/team/{foreign.pk}/role", {"role": "vendor_staff"}).status_code == 404
    assert client.post(f"/settings/team/{staff[Role.VENDOR_STAFF].pk}/explode").status_code == 404


def test_portal_settings_rebrand_the_portal(tenant_a, staff):
    client = portal_client(tenant_a, staff[Role.TENANT_ADMIN].user)
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    form = {
        "portal_title": "Acme Partners",
        "primary_color": "#112233",
        "accent_color": "#ffcc00",
        "support_email": "help@acme.example",
        "timezone": "Europe/Madrid",
        "currency": "EUR",
        "default_language": "es",
        "logo": logo,
    }
    response = client.post("/settings/portal/", form, follow=True)
    assert response.status_code == 200
    tenant = Tenant.objects.get(pk=tenant_a.pk)
    assert (tenant.portal_title, tenant.primary_color, tenant.currency) == ("Acme Partners", "#112233", "EUR")
    assert tenant.logo.name.startswith(f"tenants/{tenant.pk}/logo-") and not tenant.logo.name.endswith(".png")
    page = portal_client(tenant_a).get("/accounts/login/").content.decode()
    assert "--brand-primary: #112233;" in page and "/brand/logo?v=" in page
    with tenant_context(tenant_a):
        event = AuditEvent.objects.get(action="tenant.update")
    assert event.changes["primary_color"] == ["#0f3d91", "#112233"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("primary_color", "red", "Enter a colour as #RRGGBB."),
        ("timezone", "Mars/Olympus", "is not a known time zone"),
        ("currency", "XYZ", "is not an ISO 4217 currency code"),
        (
            "logo",
            SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png"),
            "Upload a PNG, JPEG or WebP image.",
        ),
    ],
)
def test_portal_settings_reject_bad_input_and_change_nothing(tenant_a, staff, field, value, message):
    client = portal_client(tenant_a, staff[Role.TENANT_ADMIN].user)
    form = {**VALID_SETTINGS, field: value}
    response = client.post("/settings/portal/", form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Tenant.objects.get(pk=tenant_a.pk).primary_color == "#0f3d91"


def test_oversized_logo_is_refused(tenant_a, staff, settings):
    settings.PRM_LOGO_MAX_BYTES = 100
    client = portal_client(tenant_a, staff[Role.TENANT_ADMIN].user)
    big = SimpleUploadedFile("logo.png", png_bytes((400, 400)), content_type="image/png")
    form = {**VALID_SETTINGS, "logo": big}
    assert "The logo may be at most 0 KB." in client.post("/settings/portal/", form).content.decode()


def test_logo_is_served_with_its_sniffed_type(tenant_a, staff):
    client = portal_client(tenant_a, staff[Role.TENANT_ADMIN].user)
    assert portal_client(tenant_a).get("/brand/logo").status_code == 404
    form = {**VALID_SETTINGS, "logo": SimpleUploadedFile("whatever.txt", png_bytes(), content_type="text/plain")}
    client.post("/settings/portal/", form)
    response = portal_client(tenant_a).get("/brand/logo")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_carry_a_csp_with_a_nonce_for_the_brand_style(tenant_a):
    response = portal_client(tenant_a).get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert "script-src 'self' 'nonce-" in policy and "frame-ancestors 'none'" in policy
    assert f'<style nonce="{nonce}">' in response.content.decode()


def test_tenant_default_language_applies_until_the_visitor_chooses(tenant_a):
    Tenant.objects.filter(pk=tenant_a.pk).update(default_language="es")
    client = portal_client(tenant_a)
    response = client.get("/accounts/login/")
    assert response["Content-Language"] == "es"
    assert 'lang="es"' in response.content.decode()
    client.post("/i18n/setlang/", {"language": "ar", "next": "/accounts/login/"})
    page = client.get("/accounts/login/")
    assert page["Content-Language"] == "ar" and 'dir="rtl"' in page.content.decode()


def test_tokens_page_shows_a_new_token_once_and_revokes_with_htmx(tenant_a, staff):
    client = portal_client(tenant_a, staff[Role.VENDOR_STAFF].user)
    created = client.post("/settings/tokens/", {"name": "BI export", "expires_in_days": "30"}).content.decode()
    assert 'value="prm_' in created
    listing = client.get("/settings/tokens/").content.decode()
    assert "BI export" in listing and 'value="prm_' not in listing
    from prm.api.models import ApiToken

    with tenant_context(tenant_a):
        token = ApiToken.objects.get()
    row = client.post(f"/settings/tokens/{token.pk}/revoke", HTTP_HX_REQUEST="true").content.decode()
    assert "Revoked" in row
    other = MembershipFactory(tenant=tenant_a)
    assert portal_client(tenant_a, other.user).post(f"/settings/tokens/{token.pk}/revoke").status_code == 404


def test_only_the_api_docs_page_allows_inline_styles(tenant_a):
    client = portal_client(tenant_a)
    docs_policy = client.get("/api/docs/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in docs_policy and "nonce" not in docs_policy.split("style-src")[1]
    assert "unsafe-inline" not in client.get("/accounts/login/")["Content-Security-Policy"]


def test_admin_password_change_goes_to_allauth(tenant_a, staff):
    response = portal_client(tenant_a, staff[Role.VENDOR_STAFF].user).get("/admin/password_change/")
    assert response.status_code == 302 and response.url == "/accounts/password/change/"


def test_the_logo_is_previewed_through_the_branding_view_and_can_be_removed(
    tenant_a, staff, django_capture_on_commit_callbacks
):
    client = portal_client(tenant_a, staff[Role.TENANT_ADMIN].user)
    client.post("/settings/portal/", {**VALID_SETTINGS, "logo": SimpleUploadedFile("l.png", png_bytes())})
    stored = Tenant.objects.get(pk=tenant_a.pk).logo
    page = client.get("/settings/portal/").content.decode()
    assert 'src="/brand/logo"' in page and stored.name not in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/settings/portal/", {**VALID_SETTINGS, "logo-clear": "on"})
    assert not Tenant.objects.get(pk=tenant_a.pk).logo
    assert not stored.storage.exists(stored.name)
