import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prm.tenancy.models import Tenant
from prm.tenancy.resolution import HostKind, classify_host, normalise_host
from tests.conftest import portal_client
from tests.factories import TenantDomainFactory


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ACME.localhost:8000", "acme.localhost"),
        ("acme.localhost.", "acme.localhost"),
        ("partners.example.com", "partners.example.com"),
        ("[::1]:8000", "[::1]"),
    ],
)
def test_normalise_host(raw, expected):
    assert normalise_host(raw) == expected


@pytest.mark.parametrize(
    ("host", "kind", "value"),
    [
        ("localhost:8000", HostKind.PLATFORM, "localhost"),
        ("acme.localhost:8000", HostKind.SUBDOMAIN, "acme"),
        ("a.b.localhost", HostKind.CUSTOM, "a.b.localhost"),
        ("partners.acme.com", HostKind.CUSTOM, "partners.acme.com"),
        ("evillocalhost", HostKind.CUSTOM, "evillocalhost"),
    ],
)
def test_classify_host(host, kind, value):
    match = classify_host(host, "localhost")
    assert (match.kind, match.value) == (kind, value)


def test_subdomain_selects_the_tenant(tenant_a, tenant_b):
    response = portal_client(tenant_b).get("/accounts/login/")
    assert response.status_code == 200
    assert response.wsgi_request.tenant == tenant_b
    assert b"Globex Software" in response.content


def test_custom_domain_selects_the_tenant(tenant_a, tenant_b):
    TenantDomainFactory(tenant=tenant_a, hostname="partners.acme-cloud.com", is_primary=True)
    response = portal_client().get("/accounts/login/", HTTP_HOST="Partners.Acme-Cloud.com")
    assert response.status_code == 200
    assert response.wsgi_request.tenant == tenant_a


@pytest.mark.parametrize("host", ["nobody.localhost", "x.acme.localhost", "acme.example.net", "127.0.0.1:8000"])
def test_unknown_host_is_a_plain_404(tenant_a, host):
    response = portal_client(tenant_a).get("/accounts/login/", HTTP_HOST=host)
    assert response.status_code == 404
    assert b"There is no partner portal at this address" in response.content
    assert b"Acme" not in response.content


def test_unknown_host_touches_no_tenant_data(tenant_a):
    with CaptureQueriesContext(connection) as queries:
        portal_client().get("/", HTTP_HOST="nobody.localhost")
    assert all("accounts_membership" not in q["sql"] for q in queries.captured_queries)


def test_platform_host_serves_the_operator_admin_only(tenant_a):
    client = portal_client()
    assert client.get("/").url == "/admin/"
    assert client.get("/api/v1/me").status_code == 404
    assert client.get("/settings/team/").status_code == 404


def test_suspended_tenant_shows_an_unavailable_page(tenant_a):
    Tenant.objects.filter(pk=tenant_a.pk).update(status=Tenant.Status.SUSPENDED)
    response = portal_client(tenant_a).get("/accounts/login/")
    assert response.status_code == 403
    assert b"currently unavailable" in response.content


def test_healthz_answers_on_any_host(db):
    response = portal_client().get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code in (200, 503)
    assert response.json()["database"]["ok"] is True
