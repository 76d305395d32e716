"""The library operations in the OpenAPI schema: the schema builds without warnings, versions upload as multipart,
downloads are binary, and the conflict of a co-branded download is documented."""

import json

import pytest
from django.core.management import call_command


@pytest.fixture(scope="module")
def paths(django_db_blocker, tmp_path_factory):
    output = tmp_path_factory.mktemp("schema") / "schema.json"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(output))
    return json.loads(output.read_text())["paths"]


def test_uploads_downloads_and_conflicts(paths):
    upload = paths["/api/v1/content/assets/{id}/versions/"]["post"]
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
    assert {"201", "400", "403", "404", "413", "415"} <= set(upload["responses"])
    for action in ("download", "cobranded-download"):
        responses = paths[f"/api/v1/content/assets/{{id}}/{action}/"]["get"]["responses"]
        assert responses["200"]["content"]["application/octet-stream"]["schema"]["format"] == "binary"
        assert {"401", "403", "404"} <= set(responses)
    assert {"400", "409"} <= set(paths["/api/v1/content/assets/{id}/cobranded-download/"]["get"]["responses"])
    listing = paths["/api/v1/content/assets/"]["get"]
    assert {"q", "kind", "stage", "language", "tag", "library", "folder"} <= {p["name"] for p in listing["parameters"]}
