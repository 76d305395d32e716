"""The library operations in the OpenAPI schema: the schema builds without warnings, versions upload as multipart,
downloads are binary, and the conflict of a co-branded download is documented."""


def test_uploads_downloads_and_conflicts(openapi_paths):
    upload = openapi_paths["/api/v1/content/assets/{id}/versions/"]["post"]
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
    assert {"201", "400", "403", "404", "413", "415"} <= set(upload["responses"])
    for action in ("download", "cobranded-download"):
        responses = openapi_paths[f"/api/v1/content/assets/{{id}}/{action}/"]["get"]["responses"]
        assert responses["200"]["content"]["application/octet-stream"]["schema"]["format"] == "binary"
        assert {"401", "403", "404"} <= set(responses)
    assert {"400", "409"} <= set(openapi_paths["/api/v1/content/assets/{id}/cobranded-download/"]["get"]["responses"])
    listing = openapi_paths["/api/v1/content/assets/"]["get"]
    assert {"q", "kind", "stage", "language", "tag", "library", "folder"} <= {p["name"] for p in listing["parameters"]}
