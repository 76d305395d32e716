"""The MDF operations in the OpenAPI schema: multipart uploads, binary downloads, Idempotency-Key and the error
statuses each can answer."""


def test_uploads_and_downloads(openapi_paths):
    upload = openapi_paths["/api/v1/mdf/claims/{claim_pk}/attachments/"]["post"]
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
    form = upload["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert form == "ClaimAttachmentUploadRequest"
    assert {"201", "400", "401", "403", "404", "409", "413", "415"} <= set(upload["responses"])
    download = openapi_paths["/api/v1/mdf/claims/{claim_pk}/attachments/{id}/"]["get"]["responses"]
    assert download["200"]["content"]["application/octet-stream"]["schema"]["format"] == "binary"
    assert {"401", "403", "404"} <= set(download)


def test_claims_document_the_idempotency_key_and_conflicts(openapi_paths):
    create = openapi_paths["/api/v1/mdf/claims/"]["post"]
    assert "Idempotency-Key" in {parameter["name"] for parameter in create["parameters"]}
    assert {"201", "400", "401", "403", "409"} <= set(create["responses"])
    for action in ("submit", "approve", "reject", "return", "extend"):
        assert {"200", "400", "403", "404", "409"} <= set(
            openapi_paths[f"/api/v1/mdf/claims/{{id}}/{action}/"]["post"]["responses"]
        )


def test_every_mdf_operation_answers_in_the_envelope(openapi_paths):
    operations = [(path, op) for path, item in openapi_paths.items() if "/mdf/" in path for op in item.values()]
    assert len(operations) >= 30  # this slice's; other MDF routes (roi) join them
    for path, operation in operations:
        assert {"401", "403"} <= set(operation["responses"]), path
        error = operation["responses"]["403"]["content"]["application/json"]["schema"]["$ref"]
        assert error.endswith("/ErrorEnvelope"), path
