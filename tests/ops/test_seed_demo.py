from io import StringIO

from django.core.management import call_command

from prm.accounts.models import Membership, User
from prm.audit.models import AuditEvent
from prm.tenancy.context import all_tenants
from prm.tenancy.models import Tenant
from tests.conftest import portal_client


def counts():
    with all_tenants():
        return (Tenant.objects.count(), User.objects.count(), Membership.objects.count(), AuditEvent.objects.count())


def test_seed_demo_is_idempotent_and_its_logins_work(db, settings):
    settings.PRM_DEMO_PASSWORD = "demo-pass-123"
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first and first[0] == 2  # apps add their own users and memberships
    assert "http://acme.localhost:8000/" in out.getvalue() and "analyst@globex.example" in out.getvalue()

    acme = Tenant.objects.get(slug="acme")
    assert acme.logo and acme.currency == "USD"
    client = portal_client(acme)
    response = client.post("/accounts/login/", {"login": "manager@acme.example", "password": "demo-pass-123"})
    assert response.status_code == 302
    assert "Channel manager" in client.get("/").content.decode()
    wrong_host = portal_client(Tenant.objects.get(slug="globex"))
    assert (
        wrong_host.post("/accounts/login/", {"login": "manager@acme.example", "password": "demo-pass-123"}).status_code
        == 200
    )
    operator = portal_client()
    assert (
        operator.post("/accounts/login/", {"login": "operator@prm.example", "password": "demo-pass-123"}).url
        == "/admin/"
    )
