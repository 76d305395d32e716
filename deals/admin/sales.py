"""Admin of the sale records: a read-only list (a sale is a booked fact; a correction is a credit note, i.e. a
new record with a negative amount) and the all-or-nothing CSV import."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from prm.tenancy.admin import ReadOnlyAdminMixin, TenantModelAdmin

from ..models import SaleRecord
from ..services import sale_records_import
from ..services.sales import SALE_FIELDS, SALE_REQUIRED_COLUMNS
from .imports import CsvImportMixin


@admin.register(SaleRecord)
class SaleRecordAdmin(ReadOnlyAdminMixin, CsvImportMixin, TenantModelAdmin):
    view_capability = "deals.view_all"
    change_capability = "deals.manage"
    list_display = (
        "external_id",
        "booked_on",
        "partner",
        "rep",
        "customer_name",
        "product",
        "kind",
        "amount",
        "currency",
        "source",
    )
    list_filter = ("kind", "source", "currency")
    search_fields = ("external_id", "customer_name", "customer_domain", "partner__name")
    list_select_related = ("partner", "rep", "product")
    fields = (*SALE_FIELDS, "source", "deal", "created_at")
    readonly_fields = fields
    import_columns = SALE_FIELDS
    import_required = SALE_REQUIRED_COLUMNS
    import_help = _(
        "partner: the partner's id or domain. rep (optional): the id or email of a user of that partner. product "
        "(optional): a SKU. booked_on: YYYY-MM-DD. amount: e.g. 1234.50 (negative for a credit note). kind: new, "
        "renewal, expansion or one_time; new, renewal and expansion need term_months and recurring_amount. "
        "A sale whose external_id is already recorded is skipped, so importing a file twice creates nothing new."
    )

    # Read-only here: sales come from won deals, the CSV import and the API.

    def run_import(self, request, rows, line_numbers):
        return sale_records_import(
            rows=rows, source=SaleRecord.Source.IMPORT, actor=request.user, row_numbers=line_numbers
        )
