"""Sales pages: "Sales" for vendor staff (every partner's booked revenue) and "Our sales" for partner users
(the company's; a rep's own), both with filters and per-currency totals."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from partners.permissions import request_partner
from prm.accounts.permissions import capability_required

from ..filters.sales import SaleRecordFilterSet
from ..selectors import sale_records_visible_to, sale_totals

PAGE_SIZE = 50


def filter_query(request) -> str:
    """The current filters as a query string without the page (carried into the pagination links)."""
    return urlencode([(key, value) for key in request.GET if key != "page" for value in request.GET.getlist(key)])


def _sales_page(request, *, vendor: bool):
    filterset = SaleRecordFilterSet(request.GET, queryset=sale_records_visible_to(request), request=request)
    if not vendor:
        del filterset.form.fields["partner"]
    records = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "vendor": vendor,
        "form": filterset.form,
        "page": page,
        "totals": sale_totals(records),
        "query": filter_query(request),
    }
    return render(request, "deals/sales/list.html", context)


@capability_required("deals.view_all")
@require_GET
def sales(request):
    return _sales_page(request, vendor=True)


@capability_required("deals.register")
@require_GET
def our_sales(request):
    if request_partner(request) is None:
        raise Http404
    return _sales_page(request, vendor=False)


urlpatterns = [
    path("sales/", sales, name="sales"),
    path("our-sales/", our_sales, name="our-sales"),
]
