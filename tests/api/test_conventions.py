"""The API conventions of api.md, implemented once in prm.api."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from tests.conftest import portal_client
from tests.factories import MembershipFactory, issue_token


@pytest.fixture
def auth(tenant_a):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(MembershipFactory(tenant=tenant_a))}"}


def test_unknown_api_routes_answer_404_in_the_envelope(tenant_a, auth):
    response = portal_client(tenant_a).get("/api/v1/no-such-thing/", **auth)
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found."}}


def test_unauthenticated_calls_answer_401(tenant_a):
    response = portal_client(tenant_a).get("/api/v1/auth/tokens/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_wrong_method_and_media_type(tenant_a, auth):
    client = portal_client(tenant_a)
    assert client.post("/api/v1/me", **auth).json()["error"]["code"] == "method_not_allowed"
    response = client.post("/api/v1/auth/token", "email=x", content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_malformed_json_is_a_400(tenant_a):
    response = portal_client(tenant_a).post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_lists_are_paginated(tenant_a):
    membership = MembershipFactory(tenant=tenant_a)
    tokens = [issue_token(membership, name=f"t{i}") for i in range(3)]
    body = (
        portal_client(tenant_a)
        .get("/api/v1/auth/tokens/?page_size=2&ordering=created_at", HTTP_AUTHORIZATION=f"Bearer {tokens[0]}")
        .json()
    )
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert [t["name"] for t in body["results"]] == ["t0", "t1"]


def test_list_query_count_does_not_grow_with_rows(tenant_a, django_assert_num_queries):
    membership = MembershipFactory(tenant=tenant_a)
    token = issue_token(membership)
    client = portal_client(tenant_a)
    client.get("/api/v1/auth/tokens/", HTTP_AUTHORIZATION=f"Bearer {token}")  # warm caches (content types)
    # tenant by host, enter context, token, membership, count, page, leave context
    with django_assert_num_queries(7):
        client.get("/api/v1/auth/tokens/", HTTP_AUTHORIZATION=f"Bearer {token}")
    for i in range(10):
        issue_token(membership, name=f"more{i}")
    with django_assert_num_queries(7):
        client.get("/api/v1/auth/tokens/", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_openapi_schema_is_valid_and_documents_errors(db, tmp_path):
    output = tmp_path / "schema.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(output))
    schema = json.loads(output.read_text())
    paths = schema["paths"]
    assert {"/api/v1/me", "/api/v1/auth/token", "/api/v1/auth/tokens/", "/api/v1/auth/tokens/{id}/"} <= set(paths)
    me = paths["/api/v1/me"]["get"]["responses"]
    assert {"200", "401", "403", "429"} <= set(me)
    assert me["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorEnvelope")
    token = paths["/api/v1/auth/token"]["post"]
    assert {"201", "400", "415", "429"} <= set(token["responses"]) and "401" not in token["responses"]
    assert token.get("security") == [{}] or "security" not in token or token["security"] == []
    assert {"404", "409"} <= set(paths["/api/v1/auth/tokens/{id}/"]["delete"]["responses"])
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_schema_and_docs_are_served(tenant_a):
    client = portal_client(tenant_a)
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_spectacular_command_runs_quietly(db):
    call_command("spectacular", "--validate", stdout=StringIO())
