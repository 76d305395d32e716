from tests.conftest import portal_client


def test_login_page_is_branded(tenant_a):
    response = portal_client(tenant_a).get("/accounts/login/")
    assert response.status_code == 200
    assert b"Acme Cloud Partner Portal" in response.content
