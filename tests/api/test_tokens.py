import time
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.utils import timezone

from prm.accounts.roles import Role
from prm.api.models import ApiToken
from prm.tenancy.context import tenant_context
from tests.conftest import host_of, portal_client
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, issue_token


def obtain(tenant, email, password=DEFAULT_PASSWORD, **extra):
    return portal_client(tenant).post(
        "/api/v1/auth/token", {"email": email, "password": password, **extra}, content_type="application/json"
    )


def bearer(tenant, token):
    return portal_client(tenant, None), {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def get_me(tenant, token):
    return portal_client(tenant).get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_credentials_buy_a_token_that_works_on_this_host_only(tenant_a, tenant_b):
    user = MembershipFactory(tenant=tenant_a).user
    MembershipFactory(tenant=tenant_b, user=user)  # a member of both still needs one token per tenant

    response = obtain(tenant_a, user.email, name="CRM sync", expires_in_days=30)
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "CRM sync" and body["token"].startswith(f"prm_{body['prefix']}_")
    assert body["expires_at"] is not None

    assert get_me(tenant_a, body["token"]).json()["tenant"]["slug"] == "acme"
    refused = get_me(tenant_b, body["token"])
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "authentication_failed"
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_only_a_hash_of_the_token_is_stored(tenant_a):
    membership = MembershipFactory(tenant=tenant_a)
    raw = issue_token(membership)
    with tenant_context(tenant_a):
        stored = ApiToken.objects.get()
    assert raw.split("_", 2)[2] not in (stored.key_hash, stored.prefix)
    assert len(stored.key_hash) == 64


@pytest.mark.parametrize(
    ("email_of", "password", "code"),
    [("member", "wrong-password", "invalid_credentials"), ("other_tenant", DEFAULT_PASSWORD, "invalid_credentials")],
)
def test_bad_credentials_get_401_with_the_envelope(tenant_a, tenant_b, email_of, password, code):
    people = {"member": MembershipFactory(tenant=tenant_a), "other_tenant": MembershipFactory(tenant=tenant_b)}
    response = obtain(tenant_a, people[email_of].user.email, password)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code


def test_missing_fields_are_a_validation_error(tenant_a):
    response = portal_client(tenant_a).post("/api/v1/auth/token", {"email": "x"}, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {"email", "password"}


def test_mfa_users_need_a_current_code(tenant_a):
    user = MembershipFactory(tenant=tenant_a).user
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    assert obtain(tenant_a, user.email).json()["error"]["code"] == "mfa_required"
    assert obtain(tenant_a, user.email, otp="123456").json()["error"]["code"] == "invalid_otp"
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    assert obtain(tenant_a, user.email, otp=code).status_code == 201


def test_token_endpoint_is_throttled(tenant_a):
    user = MembershipFactory(tenant=tenant_a).user
    statuses = [obtain(tenant_a, user.email, "wrong-password").status_code for _ in range(11)]
    assert statuses[-1] == 429
    assert 429 not in statuses[:5]


def test_revoked_expired_and_deactivated_tokens_are_refused(tenant_a):
    membership = MembershipFactory(tenant=tenant_a)
    other = MembershipFactory(tenant=tenant_a)
    revoked, expired, deactivated = issue_token(membership), issue_token(membership), issue_token(other)
    client = portal_client(tenant_a)
    prefix = revoked.split("_")[1]
    with tenant_context(tenant_a):
        token_id = ApiToken.objects.get(prefix=prefix).pk
        ApiToken.objects.filter(prefix=expired.split("_")[1]).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.delete(f"/api/v1/auth/tokens/{token_id}/", HTTP_AUTHORIZATION=f"Bearer {revoked}").status_code == 204
    with tenant_context(tenant_a):
        other.is_active = False
        other.save()
    for token in (revoked, expired, deactivated, "prm_nope_nope", "garbage"):
        assert get_me(tenant_a, token).status_code == 401, token


def test_tokens_list_shows_only_your_own_and_revoking_twice_conflicts(tenant_a):
    mine, theirs = MembershipFactory(tenant=tenant_a), MembershipFactory(tenant=tenant_a)
    token = issue_token(mine, name="mine")
    issue_token(theirs, name="theirs")
    client = portal_client(tenant_a)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    listing = client.get("/api/v1/auth/tokens/", **auth).json()
    assert listing["count"] == 1 and [t["name"] for t in listing["results"]] == ["mine"]
    assert "token" not in listing["results"][0] and "key_hash" not in listing["results"][0]

    with tenant_context(tenant_a):
        theirs_id = ApiToken.objects.get(name="theirs").pk
        mine_id = ApiToken.objects.get(name="mine").pk
    assert client.delete(f"/api/v1/auth/tokens/{theirs_id}/", **auth).status_code == 404

    second = issue_token(mine, name="second")
    client.delete(f"/api/v1/auth/tokens/{mine_id}/", HTTP_AUTHORIZATION=f"Bearer {second}")
    again = client.delete(f"/api/v1/auth/tokens/{mine_id}/", HTTP_AUTHORIZATION=f"Bearer {second}")
    assert again.status_code == 409
    assert again.json()["error"] == {
        "code": "state_conflict",
        "message": "This token is already revoked.",
        "current_state": "revoked",
    }


def test_me_describes_user_tenant_roles_and_capabilities(tenant_a):
    membership = MembershipFactory(tenant=tenant_a, role=Role.VENDOR_STAFF)
    body = get_me(tenant_a, issue_token(membership)).json()
    assert body["user"]["email"] == membership.user.email and body["user"]["mfa_enabled"] is False
    assert body["tenant"] == {
        "slug": "acme",
        "name": "Acme Cloud",
        "title": "Acme Cloud Partner Portal",
        "currency": "USD",
        "timezone": "UTC",
        "default_language": "en",
    }
    assert body["roles"] == ["vendor_staff"]
    assert body["capabilities"] == [
        "admin.view",
        "content.view_all",
        "deals.view_all",
        "incentives.view_all",
        "mdf.view_all",
        "partners.view_all",
        "portal.use",
    ]


def test_session_auth_works_for_the_portal_and_stays_on_its_host(tenant_a, tenant_b):
    membership = MembershipFactory(tenant=tenant_a)
    client = portal_client(tenant_a, membership.user)
    assert client.get("/api/v1/me").status_code == 200
    response = client.get("/api/v1/me", HTTP_HOST=host_of(tenant_b))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_failed_token_requests_share_the_login_pages_lockout(tenant_a):
    user = MembershipFactory(tenant=tenant_a).user
    assert [obtain(tenant_a, user.email, "wrong-password").status_code for _ in range(5)] == [401] * 5
    locked = obtain(tenant_a, user.email)  # even the right password waits, as on the sign-in page
    assert locked.status_code == 429
    assert "Too many failed login attempts" in locked.json()["error"]["message"]
