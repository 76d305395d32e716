"""Sale records: the all-or-nothing batch import behind the admin CSV import and POST /api/v1/sales/."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from deals.models import SaleRecord
from deals.services import ImportRejected, sale_records_import
from prm.audit.models import AuditEvent
from prm.errors import InvalidInput
from prm.tenancy.context import tenant_context
from tests.api_client import Api
from tests.conftest import portal_client

from .sales_world import sale_row, sales_world


@pytest.fixture
def w(tenant_a, tenant_b):
    return sales_world(tenant_a, tenant_b)


def stored(tenant, **filters) -> list[SaleRecord]:
    with tenant_context(tenant):
        return list(SaleRecord.objects.filter(**filters).order_by("external_id"))


# --- the service ---------------------------------------------------------------------------------------


def test_a_valid_batch_is_recorded_with_partner_rep_and_product_resolved(tenant_a, w):
    rows = [
        sale_row(rep="REP@mine.example"),
        sale_row(
            external_id="INV-1002",
            partner=str(w["other"].pk),
            product="",
            kind="one_time",
            term_months="",
            recurring_amount="",
            amount="-150.00",
        ),
    ]
    with tenant_context(tenant_a):
        result = sale_records_import(rows=rows, source="import", actor=w["manager"].user)
    assert (result.created, result.skipped) == (2, 0)
    first, second = stored(tenant_a)
    assert (first.partner_id, first.rep_id, first.product_id) == (w["mine"].pk, w["mine_rep"].user_id, w["product"].pk)
    assert (first.customer_domain, first.booked_on, first.amount) == ("globodyne.example", date(2026, 3, 15), 12000)
    assert (first.term_months, first.recurring_amount, first.source) == (12, Decimal("1000.00"), "import")
    assert (second.partner_id, second.product_id, second.amount, second.term_months) == (
        w["other"].pk,
        None,
        Decimal("-150.00"),
        None,
    )
    with tenant_context(tenant_a):
        assert AuditEvent.objects.filter(action="sale_record.import", context__created=2).exists()


def test_any_invalid_row_rejects_the_batch_with_a_report_per_row(tenant_a, w):
    rows = [
        sale_row(external_id="OK-1"),
        sale_row(external_id="BAD-1", amount="12.345", currency="EURO", partner="nobody.example"),
        sale_row(external_id="OK-1"),
        sale_row(external_id="BAD-3", kind="one_time", rep=str(w["other_admin"].user_id), product="NOPE"),
        sale_row(external_id="", kind="renewal", term_months="", recurring_amount="abc", booked_on="15.03.2026"),
    ]
    with tenant_context(tenant_a), pytest.raises(ImportRejected) as rejected:
        sale_records_import(rows=rows, source="api", actor=w["manager"].user, row_numbers=[2, 3, 4, 5, 6])
    report = rejected.value.rows
    assert set(report) == {3, 4, 5, 6}
    assert set(report[3]) == {"amount", "currency", "partner"}
    assert report[3]["amount"] == ["Use at most two decimal places."]
    assert report[4] == {"external_id": ["The external id OK-1 is already in row 2."]}
    assert set(report[5]) == {"rep", "product", "term_months", "recurring_amount"}
    assert set(report[6]) == {"external_id", "term_months", "recurring_amount", "booked_on"}
    assert rejected.value.fields["rows.3.amount"] == ["Use at most two decimal places."]
    assert rejected.value.message == "4 of 5 rows are not valid; nothing was imported."
    assert stored(tenant_a) == []


def test_sending_the_same_external_ids_again_creates_nothing_new(tenant_a, w):
    with tenant_context(tenant_a):
        sale_records_import(rows=[sale_row()], source="api", actor=None)
        again = sale_records_import(
            rows=[sale_row(amount="99.00"), sale_row(external_id="INV-2000")], source="api", actor=None
        )
    assert (again.created, again.skipped, again.skipped_keys) == (1, 1, ["INV-1001"])
    assert [(s.external_id, s.amount) for s in stored(tenant_a)] == [("INV-1001", 12000), ("INV-2000", 12000)]


def test_the_same_external_id_at_another_vendor_is_another_sale(tenant_a, tenant_b, w):
    with tenant_context(tenant_b):
        result = sale_records_import(rows=[sale_row(partner="foreign.example", product="")], source="api", actor=None)
    assert result.created == 1
    with tenant_context(tenant_a), pytest.raises(ImportRejected) as rejected:
        sale_records_import(rows=[sale_row(partner="foreign.example")], source="api", actor=None)
    assert "partner" in rejected.value.rows[0]


def test_empty_and_oversized_batches_are_refused(tenant_a, w):
    with tenant_context(tenant_a):
        with pytest.raises(InvalidInput, match="empty"):
            sale_records_import(rows=[], source="api", actor=None)
        with pytest.raises(InvalidInput, match="At most 5000 rows"):
            sale_records_import(rows=[sale_row()] * 5001, source="api", actor=None)
        with pytest.raises(ImportRejected) as rejected:
            rows = [sale_row(), "not an object", {**sale_row(), "colour": "red"}]
            sale_records_import(rows=rows, source="api", actor=None)
    assert set(rejected.value.rows) == {1, 2}


def test_a_database_failure_midway_leaves_nothing_behind(tenant_a, w, monkeypatch):
    """The insert and the audit record commit together: if the audit fails, no sale stays."""
    from deals.services import sales as sales_module

    def failing_audit(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(sales_module, "audit_record", failing_audit)
    with tenant_context(tenant_a), pytest.raises(RuntimeError):
        sale_records_import(rows=[sale_row(), sale_row(external_id="INV-2")], source="api", actor=None)
    assert stored(tenant_a) == []


# --- the API -----------------------------------------------------------------------------------------------------


def test_post_one_sale(tenant_a, w):
    response = Api(tenant_a, w["manager"]).post("/api/v1/sales/", sale_row())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["created"], body["skipped"]) == (1, 0)
    record = body["records"][0]
    assert record["amount"] == "12000.00" and record["currency"] == "USD" and record["recurring_amount"] == "1000.00"
    assert (record["partner"], record["product"], record["source"]) == (w["mine"].pk, "CS-100", "api")


def test_units_sold_are_recorded_and_default_to_one(tenant_a, w):
    api = Api(tenant_a, w["manager"])
    batch = [sale_row(quantity=3), sale_row(external_id="INV-1002")]
    response = api.post("/api/v1/sales/", batch)
    assert response.status_code == 201, response.json()
    assert [r["quantity"] for r in response.json()["records"]] == [3, 1]
    bad = api.post("/api/v1/sales/", [sale_row(external_id="INV-9", quantity="0")])
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"rows.0.quantity": ["Enter a whole number of at least 1."]}
    assert [r.quantity for r in stored(tenant_a)] == [3, 1]


def test_post_many_then_resend_skips_the_known_ones(tenant_a, w):
    api = Api(tenant_a, w["tenant_admin"])
    batch = [sale_row(), sale_row(external_id="INV-1002", partner=w["other"].pk)]
    assert api.post("/api/v1/sales/", batch).status_code == 201
    response = api.post("/api/v1/sales/", [*batch, sale_row(external_id="INV-1003")])
    assert response.status_code == 201
    body = response.json()
    assert (body["created"], body["skipped"], body["skipped_external_ids"]) == (1, 2, ["INV-1001", "INV-1002"])
    assert [r["external_id"] for r in body["records"]] == ["INV-1001", "INV-1002", "INV-1003"]
    again = api.post("/api/v1/sales/", batch)
    assert again.status_code == 200 and again.json()["created"] == 0
    assert len(stored(tenant_a)) == 3


def test_an_invalid_batch_answers_400_with_row_errors_and_records_nothing(tenant_a, w):
    batch = [sale_row(), sale_row(external_id="INV-2", amount="lots")]
    response = Api(tenant_a, w["manager"]).post("/api/v1/sales/", batch)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"] == {"rows.1.amount": ["Enter an amount such as 1234.50."]}
    single = Api(tenant_a, w["manager"]).post("/api/v1/sales/", sale_row(kind="subscription"))
    assert single.status_code == 400
    assert list(single.json()["error"]["fields"]) == ["kind"]
    assert Api(tenant_a, w["manager"]).post("/api/v1/sales/", "just text").status_code == 400
    assert stored(tenant_a) == []


@pytest.mark.parametrize("who", ["staff", "mine_admin", "mine_rep"])
def test_only_managers_record_sales(tenant_a, w, who):
    assert Api(tenant_a, w[who]).post("/api/v1/sales/", sale_row()).status_code == 403
    assert stored(tenant_a) == []


# --- Idempotency-Key -----------------------------------------------------------------------------------------


def test_a_repeated_idempotency_key_returns_the_first_response_and_creates_nothing(tenant_a, w):
    api = Api(tenant_a, w["manager"])
    key = {"HTTP_IDEMPOTENCY_KEY": "7d0c2f1e-batch-1"}
    first = api.post("/api/v1/sales/", [sale_row()], **key)
    assert first.status_code == 201
    with tenant_context(tenant_a):
        SaleRecord.objects.filter(external_id="INV-1001").delete()  # even if the sale went away meanwhile
    replay = api.post("/api/v1/sales/", [sale_row()], **key)
    assert replay.status_code == 201 and replay.json() == first.json()
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert stored(tenant_a) == []
    reordered = {key: sale_row()[key] for key in reversed(list(sale_row()))}  # same JSON, other key order
    assert api.post("/api/v1/sales/", [reordered], **key).json() == first.json()


def test_the_same_key_with_another_request_is_a_409(tenant_a, w):
    api = Api(tenant_a, w["manager"])
    key = {"HTTP_IDEMPOTENCY_KEY": "batch-2"}
    assert api.post("/api/v1/sales/", [sale_row()], **key).status_code == 201
    response = api.post("/api/v1/sales/", [sale_row(external_id="INV-9")], **key)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert [s.external_id for s in stored(tenant_a)] == ["INV-1001"]


def test_keys_belong_to_one_user_and_a_refused_request_leaves_the_key_free(tenant_a, w):
    key = {"HTTP_IDEMPOTENCY_KEY": "shared-key"}
    refused = Api(tenant_a, w["manager"]).post("/api/v1/sales/", [sale_row(amount="x")], **key)
    assert refused.status_code == 400
    corrected = Api(tenant_a, w["manager"]).post("/api/v1/sales/", [sale_row()], **key)
    assert corrected.status_code == 201 and corrected.json()["created"] == 1
    other_user = Api(tenant_a, w["tenant_admin"]).post("/api/v1/sales/", [sale_row(external_id="INV-7")], **key)
    assert other_user.status_code == 201 and other_user.json()["created"] == 1


@pytest.mark.parametrize("value", ["", "x" * 256, "tab\there"])
def test_unusable_idempotency_keys_are_a_400(tenant_a, w, value):
    response = Api(tenant_a, w["manager"]).post("/api/v1/sales/", [sale_row()], HTTP_IDEMPOTENCY_KEY=value)
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["error"]["fields"]
    assert stored(tenant_a) == []


# --- the admin CSV import ---------------------------------------------------------------------------------------

HEADER = (
    "external_id,partner,rep,customer_name,customer_domain,product,booked_on,amount,currency,kind,"
    "term_months,recurring_amount"
)


def upload(text: str, name="sales.csv", content_type="text/csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type=content_type)


def admin_import(tenant, membership, file):
    return portal_client(tenant, membership.user).post("/admin/deals/salerecord/import/", {"file": file})


def test_admin_imports_a_sales_csv_and_skips_known_rows_on_the_second_run(tenant_a, w):
    csv_text = (
        f"{HEADER}\n"
        "INV-1,mine.example,rep@mine.example,Globodyne,globodyne.example,CS-100,2026-01-10,1200.00,USD,new,12,100.00\n"
        f'INV-2,{w["other"].pk},,"Initech, Inc.",,,2026-01-11,500,USD,one_time,,\n'
    )
    page = admin_import(tenant_a, w["manager"], upload(csv_text))
    assert page.status_code == 200
    assert "2 created" in page.content.decode()
    assert [(s.external_id, s.customer_name, s.source) for s in stored(tenant_a)] == [
        ("INV-1", "Globodyne", "import"),
        ("INV-2", "Initech, Inc.", "import"),
    ]
    again = admin_import(tenant_a, w["manager"], upload(csv_text)).content.decode()
    assert "0 created" in again and "2 already present" in again


def test_admin_import_with_bad_rows_imports_nothing_and_lists_lines(tenant_a, w):
    csv_text = (
        f"{HEADER}\n"
        "INV-1,mine.example,,Globodyne,,,2026-01-10,1200.00,USD,one_time,,\n"
        "\n"
        "INV-2,mine.example,,Initech,,,2026-13-01,12.5.0,USD,one_time,,\n"
    )
    page = admin_import(tenant_a, w["manager"], upload(csv_text))
    assert page.status_code == 400
    content = page.content.decode()
    assert "1 of 2 rows is not valid; nothing was imported." in content
    assert 'class="line-4"' in content and "booked_on" in content and "amount" in content
    assert stored(tenant_a) == []


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (upload("external_id,partner\nINV-1,mine.example\n"), "Missing columns: customer_name"),
        (upload(f"{HEADER},colour\n"), "Unknown columns: colour"),
        (upload(HEADER + "\n"), "no rows"),
        (upload(""), "empty"),
        (SimpleUploadedFile("sales.csv", b"PK\x03\x04xlsx", content_type="text/csv"), "not a CSV text file"),
        (SimpleUploadedFile("s.csv", "é,ü".encode("latin-1"), content_type="text/csv"), "not UTF-8"),
        (SimpleUploadedFile("s.png", b"\x89PNG....", content_type="image/png"), "not image/png"),
        (SimpleUploadedFile("s.csv", b"a" * (2 * 1024 * 1024 + 1), content_type="text/csv"), "too large"),
    ],
)
def test_admin_import_checks_the_file_first(tenant_a, w, file, message):
    page = admin_import(tenant_a, w["manager"], file)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert stored(tenant_a) == []


def test_semicolon_separated_files_with_a_bom_are_read(tenant_a, w):
    text = "\ufeff" + HEADER.replace(",", ";") + "\nINV-1;mine.example;;Globodyne;;;2026-01-10;1200.00;USD;one_time;;\n"
    assert admin_import(tenant_a, w["manager"], upload(text)).status_code == 200
    assert [s.external_id for s in stored(tenant_a)] == ["INV-1"]


def test_only_managers_may_import_and_staff_see_no_import_button(tenant_a, w):
    assert admin_import(tenant_a, w["staff"], upload(HEADER)).status_code == 403
    page = portal_client(tenant_a, w["staff"].user).get("/admin/deals/salerecord/")
    assert page.status_code == 200 and "Import CSV" not in page.content.decode()
    manager_page = portal_client(tenant_a, w["manager"].user).get("/admin/deals/salerecord/")
    assert "Import CSV" in manager_page.content.decode()
