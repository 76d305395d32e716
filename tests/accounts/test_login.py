import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.test import Client

from prm.accounts.models import SignIn
from prm.accounts.roles import Role
from prm.accounts.services import membership_deactivate
from prm.tenancy.context import tenant_context
from tests.conftest import host_of, portal_client
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory

WRONG_CREDENTIALS = b"The email address and/or password you specified are not correct."


def sign_in(client: Client, email: str, password: str = DEFAULT_PASSWORD, **extra):
    return client.post("/accounts/login/", {"login": email, "password": password, **extra})


def test_login_page_is_branded_with_the_tenants_title_and_colours(tenant_a):
    tenant_a.portal_title = "Acme Partner Network"
    tenant_a.save()
    response = portal_client(tenant_a).get("/accounts/login/")
    content = response.content.decode()
    assert "Sign in" in content and "to Acme Partner Network" in content
    assert "--brand-primary: #0f3d91;" in content
    assert "sign up" not in content.lower()


def test_a_member_signs_in_on_their_tenants_host(tenant_a, tenant_b):
    membership = MembershipFactory(tenant=tenant_a)
    elsewhere = MembershipFactory(tenant=tenant_b, user=membership.user)
    client = portal_client(tenant_a)
    response = sign_in(client, membership.user.email)
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200
    with tenant_context(tenant_a):
        membership.refresh_from_db()
    with tenant_context(tenant_b):
        elsewhere.refresh_from_db()
    assert membership.last_login_at is not None and elsewhere.last_login_at is None  # per portal


def test_every_sign_in_is_counted_for_its_portal_only(tenant_a, tenant_b):
    membership = MembershipFactory(tenant=tenant_a)
    MembershipFactory(tenant=tenant_b, user=membership.user)
    for _ in range(2):
        sign_in(portal_client(tenant_a), membership.user.email)
    with tenant_context(tenant_a):
        assert list(SignIn.objects.values_list("membership_id", flat=True)) == [membership.pk, membership.pk]
    with tenant_context(tenant_b):
        assert not SignIn.objects.exists()


def test_cross_tenant_login_is_refused_like_a_wrong_password(tenant_a, tenant_b):
    b_member = MembershipFactory(tenant=tenant_b)
    response = sign_in(portal_client(tenant_a), b_member.user.email)
    assert response.status_code == 200
    assert WRONG_CREDENTIALS in response.content
    assert "_auth_user_id" not in response.wsgi_request.session


def test_one_identity_signs_in_to_each_vendor_it_belongs_to(tenant_a, tenant_b):
    user = UserFactory()
    MembershipFactory(tenant=tenant_a, user=user, role=Role.TENANT_ADMIN)
    MembershipFactory(tenant=tenant_b, user=user, role=Role.VENDOR_STAFF)
    for tenant, role in ((tenant_a, "Tenant admin"), (tenant_b, "Vendor staff")):
        client = portal_client(tenant)
        assert sign_in(client, user.email).status_code == 302
        assert role in client.get("/").content.decode()


def test_a_session_from_one_tenant_is_worthless_on_another(tenant_a, tenant_b):
    user = UserFactory()
    MembershipFactory(tenant=tenant_a, user=user)
    MembershipFactory(tenant=tenant_b, user=user)  # even a member of both needs to sign in again
    client = portal_client(tenant_a)
    sign_in(client, user.email)

    response = client.get("/", HTTP_HOST=host_of(tenant_b))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    # the stolen-over session was ended, not merely ignored
    assert client.get("/").status_code == 302


def test_deactivation_ends_the_session_on_the_next_request(tenant_a):
    admin = MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN)
    MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN)
    client = portal_client(tenant_a)
    sign_in(client, admin.user.email)
    with tenant_context(tenant_a):
        membership_deactivate(membership=admin, actor=None)
    assert client.get("/").status_code == 302
    assert WRONG_CREDENTIALS in sign_in(client, admin.user.email).content


def test_repeated_failures_are_rate_limited(tenant_a):
    membership = MembershipFactory(tenant=tenant_a)
    client = portal_client(tenant_a)
    for _ in range(5):
        assert WRONG_CREDENTIALS in sign_in(client, membership.user.email, "wrong-password").content
    response = sign_in(client, membership.user.email)  # even the right password now waits
    assert b"Too many failed login attempts" in response.content


def test_mfa_users_must_enter_a_totp_code(tenant_a):
    membership = MembershipFactory(tenant=tenant_a)
    secret = generate_totp_secret()
    TOTP.activate(membership.user, secret)
    client = portal_client(tenant_a)

    response = sign_in(client, membership.user.email)
    assert response.status_code == 302 and response.url == "/accounts/2fa/authenticate/"
    assert client.get("/").status_code == 302  # not signed in yet

    import time

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_the_admin_signs_in_through_allauth(tenant_a):
    response = portal_client(tenant_a).get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    response = portal_client(tenant_a).get(response.url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=")


def test_platform_host_admits_operators_only(tenant_a):
    operator = UserFactory(is_staff=True, is_superuser=True)
    tenant_admin = MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN)

    client = portal_client()
    assert sign_in(client, operator.email).url == "/admin/"
    assert client.get("/admin/").status_code == 200

    assert WRONG_CREDENTIALS in sign_in(portal_client(), tenant_admin.user.email).content


def test_password_reset_mails_only_members_of_this_portal(tenant_a, tenant_b):
    a_member, b_member = MembershipFactory(tenant=tenant_a), MembershipFactory(tenant=tenant_b)
    client = portal_client(tenant_a)
    client.post("/accounts/password/reset/", {"email": b_member.user.email})
    client.post("/accounts/password/reset/", {"email": a_member.user.email})
    with_links = [m for m in mail.outbox if "/accounts/password/reset/key/" in m.body]
    assert [m.to for m in with_links] == [[a_member.user.email]]
    assert "http://acme.localhost/accounts/password/reset/key/" in with_links[0].body


@pytest.mark.usefixtures("celery_eager")
def test_an_invited_person_chooses_a_password_and_signs_in(tenant_a, django_capture_on_commit_callbacks):
    admin = MembershipFactory(tenant=tenant_a, role=Role.TENANT_ADMIN)
    admin_client = portal_client(tenant_a, admin.user)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/settings/team/", {"email": "Nina@Example.com", "full_name": "Nina", "role": "vendor_staff"})
    (invitation,) = mail.outbox
    assert invitation.subject == "You have been invited to Acme Cloud Partner Portal"
    link = re.search(r"http://acme\.localhost:8000(\S+)", invitation.body).group(1)

    client = portal_client(tenant_a)
    form_url = client.get(link).url  # allauth moves the key into the session
    new_password = "a-long-new-passphrase-42"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302

    response = sign_in(portal_client(tenant_a), "nina@example.com", new_password)
    assert response.status_code == 302 and response.url == "/"  # email counted as verified
